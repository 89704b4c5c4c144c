/**
 * The data-access layer: one asynchronous interface over SQLite (better-sqlite3, the embedded default) and
 * PostgreSQL (node-postgres, for several instances). Repository functions (src/db/*.ts) are plain functions
 * taking a `Db` first and write portable SQL with `?` placeholders; the PostgreSQL adapter numbers them
 * (`$1`, `$2`, …). Dialect-specific SQL is kept to where it pays (bulk ingest: prepared statements in one
 * synchronous loop on SQLite, COPY on PostgreSQL) and is chosen with `db.dialect`.
 *
 * Portable SQL, as both engines read it the same way:
 * - no boolean results (`SUM(x = y)`): write `CASE WHEN … THEN 1 ELSE 0 END`;
 * - no `IS ?` with a parameter: compare with `=` and handle NULL explicitly;
 * - ORDER BY on a nullable column says `NULLS FIRST` (SQLite's default, PostgreSQL's is the opposite);
 * - text compares bytewise on both (PostgreSQL columns are declared `COLLATE "C"`);
 * - integers come back as JavaScript numbers on both (int8 and numeric are parsed as numbers).
 */
export type Dialect = "sqlite" | "postgres";

export type Params = readonly unknown[];

/** Where a database is, as plain data a worker thread can open again. */
export type DbLocation =
  | { dialect: "sqlite"; file: string; synchronous: "NORMAL" | "FULL" }
  | { dialect: "postgres"; url: string; poolSize: number };

export interface Db {
  readonly dialect: Dialect;
  readonly location: DbLocation;
  /** Every row of a query, as objects keyed by column name. */
  all<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]>;
  /** The first row, or undefined. */
  get<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T | undefined>;
  /** Every row as an array of column values in select order. */
  values<T extends unknown[] = unknown[]>(sql: string, params?: Params): Promise<T[]>;
  /**
   * Calls `visit` for every row (as an array of column values) in batches, without holding the whole result
   * in memory: SQLite steps its statement, PostgreSQL fetches from a cursor.
   */
  each<T extends unknown[] = unknown[]>(sql: string, params: Params, visit: (row: T) => void): Promise<void>;
  /** Runs a statement; resolves to the number of rows it inserted, updated or deleted. */
  run(sql: string, params?: Params): Promise<number>;
  /**
   * Runs `work` in one transaction and commits when it resolves; rolls back (and rethrows) when it throws.
   * Everything inside must go through `tx`. Nested calls on `tx` are savepoints. On PostgreSQL the
   * transaction is SERIALIZABLE and `work` is run again (whole) after a serialization failure, so it must not
   * have effects outside the database.
   */
  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Whether `error` is a foreign-key violation, on either backend (callers answer 409 without knowing the driver). */
export function isForeignKeyViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === "SQLITE_CONSTRAINT_FOREIGNKEY" || code === "23503";
}

/**
 * Whether `error` says the database could not be reached or dropped the connection (PostgreSQL restarting,
 * a network cut, too many connections): the request did not happen and may be retried.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string") {
    return error instanceof Error && /Connection terminated|connection timeout/i.test(error.message);
  }
  return (
    code.startsWith("08") || // connection exception
    code === "57P01" || // admin shutdown
    code === "57P02" || // crash shutdown
    code === "57P03" || // cannot connect now
    code === "53300" || // too many connections
    code === "ECONNREFUSED" ||
    code === "ECONNRESET" ||
    code === "ETIMEDOUT"
  );
}

/**
 * Whether `error` is PostgreSQL refusing text it cannot hold (U+0000, or bytes that are not UTF-8): input that
 * slipped past validation, such as a NUL in a path parameter. The request changed nothing.
 */
export function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "22021" || code === "22P05";
}
