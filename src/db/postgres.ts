import pg from "pg";
import type { Db, DbLocation, Params } from "./database.ts";

/** int8 (COUNT, SUM of integers, BIGINT columns) and numeric (SUM of int8) as JavaScript numbers, like SQLite. */
const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/** Serialization failures and deadlocks: the transaction did nothing and may simply run again. */
const RETRYABLE = new Set(["40001", "40P01"]);
const MAX_ATTEMPTS = 8;

/** Whether `error` is a serialization failure or deadlock: the whole transaction must run again. */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && RETRYABLE.has(code);
}

const numbered = new Map<string, string>();

/**
 * `?` placeholders numbered for PostgreSQL (`$1`, `$2`, …), skipping quoted strings and identifiers.
 * Cached per SQL text: repository SQL is a small, fixed set.
 */
export function numberPlaceholders(sql: string): string {
  let cached = numbered.get(sql);
  if (cached === undefined) {
    let n = 0;
    let out = "";
    let quote: string | undefined;
    for (const ch of sql) {
      if (quote) {
        if (ch === quote) quote = undefined;
        out += ch;
      } else if (ch === "'" || ch === '"') {
        quote = ch;
        out += ch;
      } else if (ch === "?") out += `$${++n}`;
      else out += ch;
    }
    cached = out;
    if (numbered.size < 10_000) numbered.set(sql, cached);
  }
  return cached;
}

type Queryable = pg.Pool | pg.PoolClient;

async function query<R extends pg.QueryResultRow>(
  on: Queryable,
  sql: string,
  params: Params,
  rowMode?: "array",
): Promise<pg.QueryResult<R>> {
  const config = { text: numberPlaceholders(sql), values: params as unknown[], rowMode };
  return (await on.query(config as pg.QueryConfig)) as unknown as pg.QueryResult<R>;
}

const CURSOR_BATCH = 10_000;

async function eachRow<T extends unknown[]>(
  client: pg.PoolClient,
  sql: string,
  params: Params,
  visit: (row: T) => void,
): Promise<void> {
  await query(client, `DECLARE modqc_each NO SCROLL CURSOR FOR ${sql}`, params);
  for (;;) {
    const batch = await client.query<T>({
      text: `FETCH FORWARD ${CURSOR_BATCH} FROM modqc_each`,
      rowMode: "array",
    });
    for (const row of batch.rows) visit(row);
    if (batch.rows.length < CURSOR_BATCH) break;
  }
  await client.query("CLOSE modqc_each");
}

/** The queries both handles run alike: on the pool (any free connection) or on a transaction's connection. */
abstract class PostgresQueries {
  protected abstract readonly on: Queryable;

  async all<T>(sql: string, params: Params = []): Promise<T[]> {
    return (await query(this.on, sql, params)).rows as T[];
  }

  async get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return (await query(this.on, sql, params)).rows[0] as T | undefined;
  }

  async values<T extends unknown[]>(sql: string, params: Params = []): Promise<T[]> {
    return (await query(this.on, sql, params, "array")).rows as unknown as T[];
  }

  async run(sql: string, params: Params = []): Promise<number> {
    return (await query(this.on, sql, params)).rowCount ?? 0;
  }
}

/**
 * The PostgreSQL adapter: a pool of node-postgres connections. Calls outside a transaction take any free
 * connection; a transaction holds one connection from BEGIN to COMMIT (SERIALIZABLE, so the checks our
 * repository functions make before they write hold as they would on SQLite's single writer) and is run again
 * after a serialization failure or deadlock.
 */
export class PostgresDb extends PostgresQueries implements Db {
  readonly dialect = "postgres" as const;
  readonly pool: pg.Pool;

  constructor(readonly location: DbLocation & { dialect: "postgres" }) {
    super();
    this.pool = new pg.Pool({
      connectionString: location.url,
      max: location.poolSize,
      types,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    });
    // An idle connection the server closes (restart, admin kill) must not crash the process: the pool
    // drops it and opens another on the next query.
    this.pool.on("error", () => {});
  }

  protected get on(): Queryable {
    return this.pool;
  }

  each<T extends unknown[]>(sql: string, params: Params, visit: (row: T) => void): Promise<void> {
    // A cursor lives in a transaction: a read-only one, on a connection of its own.
    return this.readSnapshot((tx) => eachRow((tx as PostgresTransaction).client, sql, params, visit));
  }

  /**
   * Reads in one REPEATABLE READ READ ONLY transaction (one snapshot, never a serialization failure): for reads whose
   * statements must agree with each other (the rollups' watermark and the cells it describes).
   */
  async readSnapshot<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const result = await work(new PostgresTransaction(client, this.location));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query("BEGIN ISOLATION LEVEL SERIALIZABLE");
        const result = await work(new PostgresTransaction(client, this.location));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        try {
          await client.query("ROLLBACK");
        } catch {
          broken = true;
        }
        if (isRetryable(error) && attempt < MAX_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
          continue;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    }
  }

  /**
   * A READ COMMITTED transaction that is never run again: for work with effects outside the database (a
   * webhook send) that must hold row locks (`FOR UPDATE SKIP LOCKED`) while it runs. The locks end with the
   * transaction, or with the connection when the process dies, so another instance may take the rows at once.
   */
  async lockingTransaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query("BEGIN ISOLATION LEVEL READ COMMITTED");
      const result = await work(new PostgresTransaction(client, this.location));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** A transaction's handle: every call on the one connection that holds the transaction. */
export class PostgresTransaction extends PostgresQueries implements Db {
  readonly dialect = "postgres" as const;
  private depth = 0;

  constructor(
    readonly client: pg.PoolClient,
    readonly location: DbLocation & { dialect: "postgres" },
  ) {
    super();
  }

  protected get on(): Queryable {
    return this.client;
  }

  each<T extends unknown[]>(sql: string, params: Params, visit: (row: T) => void): Promise<void> {
    return eachRow(this.client, sql, params, visit);
  }

  async transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    const name = `s${++this.depth}`;
    try {
      await this.client.query(`SAVEPOINT ${name}`);
      try {
        const result = await work(this);
        await this.client.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        // A serialization failure or deadlock dooms the whole transaction: it must reach the retry loop.
        if (isRetryable(error)) throw error;
        await this.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
        await this.client.query(`RELEASE SAVEPOINT ${name}`);
        throw error;
      }
    } finally {
      this.depth--;
    }
  }

  close(): Promise<void> {
    throw new Error("a transaction's handle cannot close the database");
  }
}
