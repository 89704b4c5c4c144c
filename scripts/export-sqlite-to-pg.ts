/**
 * Moves an existing SQLite database into PostgreSQL (README: "Moving from SQLite to PostgreSQL"):
 *   MODQC_DATA_DIR=./data MODQC_DATABASE_URL=postgres://… npm run export-sqlite-to-pg
 * Both databases are first brought to this modqc's schema version; the PostgreSQL one must be empty. Every
 * table is copied in one PostgreSQL transaction, then row counts are compared table by table.
 */
import { join } from "node:path";
import { loadConfig } from "../src/config.ts";
import { copySqliteToPostgres } from "../src/db/export-to-postgres.ts";
import { openDatabase } from "../src/db/open.ts";
import { PostgresDb } from "../src/db/postgres.ts";

const config = loadConfig(process.env);
if (!config.databaseUrl) {
  console.error("set MODQC_DATABASE_URL to the PostgreSQL database to export into");
  process.exit(2);
}
const sqlite = await openDatabase({ dataDir: config.dataDir });
const target = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
if (!(target instanceof PostgresDb)) throw new Error("MODQC_DATABASE_URL did not open PostgreSQL");
console.log(`exporting ${join(config.dataDir, "modqc.sqlite")} into PostgreSQL`);
try {
  const copies = await copySqliteToPostgres(sqlite, target, ({ table, rows }) =>
    console.log(`  ${table}: ${rows} rows`),
  );
  for (const { table, rows } of copies) {
    const stored = (await target.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n;
    if (stored !== rows) throw new Error(`${table}: copied ${rows} rows but PostgreSQL holds ${stored}`);
  }
  console.log("done: every table's row count matches");
} catch (error) {
  console.error(`export failed, nothing was written: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await Promise.all([sqlite.close(), target.close()]);
}
