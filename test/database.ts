import { createHash, randomUUID } from "node:crypto";
import pg from "pg";
import type { Db } from "../src/db/database.ts";
import { openDatabase } from "../src/db/open.ts";

/**
 * The backend the suite runs on: SQLite (in memory) by default, PostgreSQL when MODQC_TEST_DATABASE_URL is
 * set (`.ci/run` runs the suite once each way). Every test database on PostgreSQL is a schema of its own,
 * selected through the connection's search_path, so tests never see each other's rows.
 */
export const TEST_DATABASE_URL = process.env.MODQC_TEST_DATABASE_URL || undefined;

export const onPostgres = TEST_DATABASE_URL !== undefined;

/** `url` with every connection's search_path set to `schema`. */
export function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("options", `-c search_path=${schema}`);
  return parsed.toString();
}

/**
 * The URL of a PostgreSQL schema for one test database, created if missing: a new one each call, or the
 * same one for the same `key` (a data directory reused across restarts of a child server).
 */
export async function testSchemaUrl(key?: string): Promise<string> {
  if (!TEST_DATABASE_URL) throw new Error("MODQC_TEST_DATABASE_URL is not set");
  const suffix = key
    ? createHash("sha256").update(key).digest("hex").slice(0, 24)
    : randomUUID().replaceAll("-", "");
  const schema = `t_${suffix}`;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await client.end();
  }
  return withSchema(TEST_DATABASE_URL, schema);
}

/**
 * A fresh, migrated database on the backend under test: SQLite in memory, or in a file under `dataDir` when
 * given (worker threads need a file to open); on PostgreSQL a schema of its own either way.
 */
export async function openTestDatabase(dataDir = ":memory:"): Promise<Db> {
  if (!TEST_DATABASE_URL) return openDatabase({ dataDir });
  return openDatabase({ dataDir, databaseUrl: await testSchemaUrl(), poolSize: 4 });
}
