import Database from "better-sqlite3";
import type { Db, DbLocation, Params } from "./database.ts";

/**
 * The SQLite adapter: one better-sqlite3 connection, its statements compiled once per SQL text and reused.
 *
 * better-sqlite3 is synchronous, so every call completes before it returns; the promises only give the
 * common interface. A transaction, though, spans awaits, and on one connection another request's statements
 * would land inside it. So transactions take turns (a queue per connection), and calls made outside a
 * transaction while one is open wait for it to end: nobody reads what a transaction has not yet committed.
 */
export class SqliteDb implements Db {
  readonly dialect = "sqlite" as const;
  private readonly statements = new Map<string, Database.Statement>();
  /** Settles when the open transaction (if any) has ended; transactions chain on it. */
  private turn: Promise<void> | undefined;
  /** Runs statements at once on the connection: what calls outside a transaction use once it is free. */
  private readonly direct = new SqliteTransaction(this);

  constructor(
    /** The connection itself, for SQLite-only work (bulk inserts in one synchronous loop, pragmas). */
    readonly connection: Database.Database,
    readonly location: DbLocation & { dialect: "sqlite" },
  ) {}

  /** The prepared statement for `sql`, compiled once and reused. */
  statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.connection.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  all<T>(sql: string, params: Params = []): Promise<T[]> {
    return this.outsideTransaction(() => this.direct.all<T>(sql, params));
  }

  get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return this.outsideTransaction(() => this.direct.get<T>(sql, params));
  }

  values<T extends unknown[]>(sql: string, params: Params = []): Promise<T[]> {
    return this.outsideTransaction(() => this.direct.values<T>(sql, params));
  }

  each<T extends unknown[]>(sql: string, params: Params, visit: (row: T) => void): Promise<void> {
    return this.outsideTransaction(() => this.direct.each<T>(sql, params, visit));
  }

  run(sql: string, params: Params = []): Promise<number> {
    return this.outsideTransaction(() => this.direct.run(sql, params));
  }

  async transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    while (this.turn) await this.turn;
    let end!: () => void;
    this.turn = new Promise((resolve) => {
      end = resolve;
    });
    try {
      return await runInTransaction(this, new SqliteTransaction(this), work, "BEGIN IMMEDIATE");
    } finally {
      this.turn = undefined;
      end();
    }
  }

  async close(): Promise<void> {
    while (this.turn) await this.turn;
    this.connection.close();
  }

  /**
   * Runs `read` at once when no transaction holds the connection (the common case: no extra turn of the event
   * loop), else after the transactions queued before it have ended.
   */
  private outsideTransaction<T>(read: () => Promise<T>): Promise<T> {
    return this.turn ? this.afterTransactions(read) : read();
  }

  private async afterTransactions<T>(read: () => Promise<T>): Promise<T> {
    while (this.turn) await this.turn;
    return read();
  }
}

/** `run()`'s value or error as a settled promise. */
function settled<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The handle a transaction's work gets: runs at once on the connection the transaction holds. */
class SqliteTransaction implements Db {
  readonly dialect = "sqlite" as const;
  private depth = 0;

  constructor(readonly owner: SqliteDb) {}

  get location() {
    return this.owner.location;
  }

  get connection(): Database.Database {
    return this.owner.connection;
  }

  all<T>(sql: string, params: Params = []): Promise<T[]> {
    return settled(
      () =>
        this.owner
          .statement(sql)
          .raw(false)
          .all(...params) as T[],
    );
  }

  get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return settled(
      () =>
        this.owner
          .statement(sql)
          .raw(false)
          .get(...params) as T | undefined,
    );
  }

  values<T extends unknown[]>(sql: string, params: Params = []): Promise<T[]> {
    return settled(
      () =>
        this.owner
          .statement(sql)
          .raw(true)
          .all(...params) as T[],
    );
  }

  each<T extends unknown[]>(sql: string, params: Params, visit: (row: T) => void): Promise<void> {
    return settled(() => {
      for (const row of this.owner
        .statement(sql)
        .raw(true)
        .iterate(...params))
        visit(row as T);
    });
  }

  run(sql: string, params: Params = []): Promise<number> {
    return settled(() => this.owner.statement(sql).run(...params).changes);
  }

  async transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    const name = `s${++this.depth}`;
    try {
      return await runInTransaction(this.owner, this, work, `SAVEPOINT ${name}`, name);
    } finally {
      this.depth--;
    }
  }

  close(): Promise<void> {
    throw new Error("a transaction's handle cannot close the database");
  }
}

/** BEGIN, COMMIT and savepoints as statements compiled once, as better-sqlite3 does for its own transactions. */
async function runInTransaction<T>(
  owner: SqliteDb,
  tx: Db,
  work: (tx: Db) => Promise<T>,
  begin: string,
  savepoint?: string,
): Promise<T> {
  const exec = (sql: string) => owner.statement(sql).run();
  exec(begin);
  let result: T;
  try {
    result = await work(tx);
  } catch (error) {
    if (savepoint) {
      exec(`ROLLBACK TO ${savepoint}`);
      exec(`RELEASE ${savepoint}`);
    } else if (owner.connection.inTransaction) exec("ROLLBACK");
    throw error;
  }
  try {
    exec(savepoint ? `RELEASE ${savepoint}` : "COMMIT");
  } catch (error) {
    // A failed COMMIT (disk full, I/O error) leaves the transaction open: end it, nothing of it is stored.
    if (!savepoint && owner.connection.inTransaction) exec("ROLLBACK");
    throw error;
  }
  return result;
}

/** The better-sqlite3 connection behind a SQLite `Db` (or transaction handle), for SQLite-only hot paths. */
export function sqliteConnection(db: Db): Database.Database | undefined {
  if (db instanceof SqliteDb || db instanceof SqliteTransaction) return db.connection;
  return undefined;
}

/** The prepared statement for `sql` on a SQLite `Db`, compiled once (for synchronous loops over many rows). */
export function sqliteStatement(db: Db, sql: string): Database.Statement {
  if (db instanceof SqliteDb) return db.statement(sql);
  if (db instanceof SqliteTransaction) return db.owner.statement(sql);
  throw new Error("not a SQLite database");
}

export { Database };
