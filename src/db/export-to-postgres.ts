import { copyRows } from "./copy.ts";
import type { Db } from "./database.ts";
import { schemaVersion } from "./open.ts";
import type { PostgresDb } from "./postgres.ts";
import { sqliteConnection } from "./sqlite.ts";

export interface TableCopy {
  table: string;
  rows: number;
}

/** Tables not copied: the target's compactor rolls its audits up again (its watermark starts at 0). */
const DERIVED = new Set(["audit_rollups", "rollup_watermark"]);

/** The tables of the SQLite schema to copy (derived ones left out), parents before children (foreign keys), then by name. */
export async function tablesInCopyOrder(sqlite: Db): Promise<string[]> {
  const tables = (
    await sqlite.values<[string]>(
      "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
  )
    .map(([name]) => name)
    .filter((name) => !DERIVED.has(name));
  const parents = new Map<string, Set<string>>();
  for (const table of tables) {
    const references = await sqlite.values<[string]>('SELECT "table" FROM pragma_foreign_key_list(?)', [
      table,
    ]);
    parents.set(table, new Set(references.map(([parent]) => parent).filter((parent) => parent !== table)));
  }
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const next = tables.find((t) => !placed.has(t) && [...parents.get(t)!].every((p) => placed.has(p)));
    if (!next) throw new Error("the SQLite schema has a foreign-key cycle");
    ordered.push(next);
    placed.add(next);
  }
  return ordered;
}

/**
 * Copies every row of a SQLite database into an empty PostgreSQL database of the same schema version, in one
 * PostgreSQL transaction (all or nothing): COPY per table, parents first, then the identity sequences moved
 * past the copied `seq` values so new rows continue after them. Refuses a target that already holds data or
 * whose schema version differs. The SQLite side is read inside one read transaction: a consistent snapshot
 * even if the source is being written (stop the service first anyway, or rows written later are not copied).
 */
export async function copySqliteToPostgres(
  sqlite: Db,
  target: PostgresDb,
  progress: (copy: TableCopy) => void = () => {},
): Promise<TableCopy[]> {
  const connection = sqliteConnection(sqlite);
  if (!connection) throw new Error("the source must be a SQLite database");
  const [from, to] = [await schemaVersion(sqlite), await schemaVersion(target)];
  if (from !== to)
    throw new Error(`schema versions differ: SQLite ${from}, PostgreSQL ${to}; run both on this modqc`);
  const tables = await tablesInCopyOrder(sqlite);
  const copies: TableCopy[] = [];
  connection.exec("BEGIN");
  try {
    await target.transaction(async (tx) => {
      for (const table of tables) {
        if (await tx.get(`SELECT 1 FROM ${table} LIMIT 1`)) {
          throw new Error(`the PostgreSQL table ${table} already holds rows; export into an empty database`);
        }
      }
      const client = (tx as unknown as { client: Parameters<typeof copyRows>[0] }).client;
      for (const table of tables) {
        const columns = (
          await sqlite.values<[string]>("SELECT name FROM pragma_table_info(?) ORDER BY cid", [table])
        ).map(([name]) => name);
        const rows = connection
          .prepare(`SELECT ${columns.join(", ")} FROM ${table}`)
          .raw(true)
          .iterate() as IterableIterator<unknown[]>;
        const copy = { table, rows: await copyRows(client, table, columns, rows) };
        copies.push(copy);
        progress(copy);
        if (columns.includes("seq")) {
          // Identity columns continue after the largest copied value (population_decisions has no sequence).
          await tx.get(
            `SELECT setval(pg_get_serial_sequence(?, 'seq')::regclass,
               (SELECT COALESCE(MAX(seq), 0) + 1 FROM ${table}), false)
             WHERE pg_get_serial_sequence(?, 'seq') IS NOT NULL`,
            [table, table],
          );
        }
      }
    });
  } finally {
    connection.exec("COMMIT");
  }
  return copies;
}
