import type Database from "better-sqlite3";
import type { Db } from "./open.ts";

const cache = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * The prepared statement for `sql` on `db`, compiled once and reused: repository functions keep their
 * SQL inline (easy to read next to the code that binds it) without paying for compilation on every call.
 */
export function statement<BindParameters extends unknown[] | object = unknown[], Result = unknown>(
  db: Db,
  sql: string,
): Database.Statement<BindParameters, Result> {
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  let prepared = statements.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    statements.set(sql, prepared);
  }
  return prepared as unknown as Database.Statement<BindParameters, Result>;
}
