import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Db, DbLocation } from "./database.ts";
import { assertConsecutive, migrations } from "./migrations.ts";
import { PostgresDb } from "./postgres.ts";
import { SqliteDb, sqliteConnection } from "./sqlite.ts";

export type { Db, DbLocation } from "./database.ts";

export interface StorageOptions {
  /** SQLite's directory (`<dataDir>/modqc.sqlite`), or ":memory:" for a throwaway database in tests. */
  dataDir: string;
  /** `postgres://…`: PostgreSQL instead of SQLite. */
  databaseUrl?: string;
  synchronous?: "NORMAL" | "FULL";
  /** Connections per process to PostgreSQL. */
  poolSize?: number;
}

/** Where the configured database is: PostgreSQL when a URL is given, else the SQLite file. */
export function databaseLocation(options: StorageOptions): DbLocation {
  if (options.databaseUrl) {
    return { dialect: "postgres", url: options.databaseUrl, poolSize: options.poolSize ?? 10 };
  }
  let file = ":memory:";
  if (options.dataDir !== ":memory:") {
    mkdirSync(options.dataDir, { recursive: true });
    file = join(options.dataDir, "modqc.sqlite");
  }
  return { dialect: "sqlite", file, synchronous: options.synchronous ?? "NORMAL" };
}

/**
 * Opens (creating if needed) the configured database and brings its schema up to date: the SQLite file in
 * WAL mode, or the PostgreSQL database of the URL.
 */
export async function openDatabase(options: StorageOptions): Promise<Db> {
  const location = databaseLocation(options);
  const db =
    location.dialect === "postgres" ? new PostgresDb(location) : openSqlite(location, { serving: true });
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/**
 * A further connection to an existing, migrated database, for a worker thread: the same settings as the
 * serving connection, no migrations. `readonly` SQLite connections serve reports beside the writer (WAL);
 * writing ones must take the write gate's exclusive turn (src/db/write-gate.ts) on the main thread first.
 */
export function openConnection(location: DbLocation, options: { readonly?: boolean } = {}): Db {
  if (location.dialect === "postgres") return new PostgresDb({ ...location, poolSize: 2 });
  return openSqlite(location, { serving: false, readonly: options.readonly });
}

function openSqlite(
  location: DbLocation & { dialect: "sqlite" },
  options: { serving: boolean; readonly?: boolean },
): SqliteDb {
  const connection = options.serving
    ? new Database(location.file)
    : new Database(location.file, { fileMustExist: true, readonly: options.readonly ?? false });
  if (options.serving) connection.pragma("journal_mode = WAL");
  if (!options.readonly) {
    // NORMAL in WAL mode survives a killed process; FULL also survives a power cut (README: Durability).
    connection.pragma(`synchronous = ${location.synchronous}`);
    connection.pragma("foreign_keys = ON");
    // Checkpoints are the serving process's business (src/db/checkpointer.ts or the main connection's commits).
    if (!options.serving) connection.pragma("wal_autocheckpoint = 0");
  }
  connection.pragma("busy_timeout = 5000");
  // A 64 MiB page cache (default 2 MiB) keeps the audit indexes' hot pages in memory during bulk ingest.
  connection.pragma("cache_size = -65536");
  return new SqliteDb(connection, location);
}

/** An arbitrary constant: the advisory lock under which instances starting together create `modqc_schema`. */
const MIGRATION_LOCK = 0x6d6f6471;

/** The schema version a database is at (0 for an empty one). */
export async function schemaVersion(db: Db): Promise<number> {
  if (db.dialect === "sqlite") {
    return (await db.get<{ user_version: number }>("PRAGMA user_version"))!.user_version;
  }
  return db.transaction(async (tx) => {
    // Keyed by schema too: databases in other schemas of the same PostgreSQL database migrate independently.
    await tx.get("SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))", [MIGRATION_LOCK]);
    await tx.run("CREATE TABLE IF NOT EXISTS modqc_schema (version BIGINT NOT NULL)");
    return (await tx.get<{ version: number }>("SELECT version FROM modqc_schema"))?.version ?? 0;
  });
}

/**
 * Brings the schema up to date, one migration per transaction; refuses a database newer than this code.
 * On PostgreSQL a lock on `modqc_schema` makes instances that start together migrate one after the other.
 */
export async function migrate(db: Db): Promise<void> {
  assertConsecutive(migrations);
  const current = await schemaVersion(db);
  if (current > migrations.length) {
    throw new Error(
      `database schema version ${current} is newer than this modqc (${migrations.length}); upgrade modqc`,
    );
  }
  for (const migration of migrations.slice(current)) {
    await db.transaction(async (tx) => {
      if (tx.dialect === "postgres") {
        // LOCK TABLE first: it takes no snapshot, so the SELECT below sees what an instance that held the lock
        // before us committed (a SERIALIZABLE transaction's snapshot is taken by its first query).
        await tx.run("LOCK TABLE modqc_schema IN EXCLUSIVE MODE");
        // Another instance may have run this migration while we waited for the lock.
        const version = (await tx.get<{ version: number }>("SELECT version FROM modqc_schema"))?.version ?? 0;
        if (version >= migration.version) return;
        await tx.run(migration.postgres);
        await tx.run("DELETE FROM modqc_schema");
        await tx.run("INSERT INTO modqc_schema (version) VALUES (?)", [migration.version]);
      } else {
        sqliteConnection(tx)!.exec(migration.sqlite);
        await tx.run(`PRAGMA user_version = ${migration.version}`);
      }
    });
  }
}
