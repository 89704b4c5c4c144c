import { once } from "node:events";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/**
 * One value as a field of PostgreSQL's COPY CSV format: NULL as an unquoted empty field, text always quoted
 * (so an empty string stays an empty string, and commas, quotes, newlines and any Unicode pass unchanged),
 * numbers as JavaScript prints them (the shortest text that reads back as the same double), bytes as bytea hex.
 */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (Buffer.isBuffer(value)) return `"\\x${value.toString("hex")}"`;
  return `"${String(value).replaceAll('"', '""')}"`;
}

/** Rows per write to the COPY stream: big enough to amortise the call, small enough to keep memory flat. */
const CHUNK_ROWS = 1000;

/**
 * Streams `rows` into `table (columns)` with `COPY … FROM STDIN (FORMAT csv)` on `client` (inside the caller's
 * transaction), waiting for the stream to drain when the server is slower than the rows: memory stays flat for
 * any number of rows. Resolves to the number of rows copied.
 */
export async function copyRows(
  client: pg.PoolClient | pg.Client,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>,
): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(", ")}) FROM STDIN (FORMAT csv)`));
  const failed = new Promise<never>((_, reject) => stream.once("error", reject));
  failed.catch(() => {});
  let count = 0;
  let chunk = "";
  let inChunk = 0;
  const flush = async () => {
    if (inChunk === 0) return;
    const more = stream.write(chunk);
    chunk = "";
    inChunk = 0;
    if (!more) await Promise.race([once(stream, "drain"), failed]);
  };
  for await (const row of rows) {
    chunk += `${row.map(copyField).join(",")}\n`;
    count++;
    if (++inChunk === CHUNK_ROWS) await flush();
  }
  await flush();
  stream.end();
  await Promise.race([once(stream, "finish"), failed]);
  return count;
}
