import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { assertConsecutive, migrations } from "./migrations.ts";

export type Db = Database.Database;

export interface OpenOptions {
  synchronous?: "NORMAL" | "FULL";
}

/**
 * A further connection to an existing, migrated database file, for a worker thread: the same pragmas as the
 * serving connection, no migrations. `readonly` connections serve reports beside the writer (WAL);
 * writing ones must take the write gate's exclusive turn (src/db/write-gate.ts) on the main thread first.
 */
export function openConnection(file: string, options: OpenOptions & { readonly?: boolean } = {}): Db {
  const db = new Database(file, { fileMustExist: true, readonly: options.readonly ?? false });
  if (!options.readonly) {
    db.pragma(`synchronous = ${options.synchronous ?? "NORMAL"}`);
    db.pragma("foreign_keys = ON");
    // Checkpoints are the serving process's business (src/db/checkpointer.ts or the main connection's commits).
    db.pragma("wal_autocheckpoint = 0");
  }
  db.pragma("busy_timeout = 5000");
  db.pragma("cache_size = -65536");
  return db;
}

/**
 * Opens (creating if needed) `<dataDir>/modqc.sqlite` in WAL mode and brings its schema up to date.
 * Pass ":memory:" as the directory for a throwaway database in tests.
 */
export function openDatabase(dataDir: string, options: OpenOptions = {}): Db {
  let file = ":memory:";
  if (dataDir !== ":memory:") {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, "modqc.sqlite");
  }
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // NORMAL in WAL mode survives a killed process; FULL also survives a power cut (README: Durability).
  db.pragma(`synchronous = ${options.synchronous ?? "NORMAL"}`);
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  // A 64 MiB page cache (default 2 MiB) keeps the audit indexes' hot pages in memory during bulk ingest.
  db.pragma("cache_size = -65536");
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  assertConsecutive(migrations);
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `database schema version ${current} is newer than this modqc (${migrations.length}); upgrade modqc`,
    );
  }
  for (const migration of migrations.slice(current)) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
