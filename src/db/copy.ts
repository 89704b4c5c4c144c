import { finished } from "node:stream/promises";
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

/** COPY's text format: a backslash, tab, newline or carriage return inside a value is escaped. */
const COPY_SPECIAL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
/** A text value as a COPY text-format field; every other character (any Unicode) passes as is, in UTF-8. */
export const copyTextField = (value: string) => value.replace(COPY_SPECIAL, (c) => COPY_ESCAPES[c]);
/** NULL in COPY's text format. */
export const COPY_NULL = "\\N";

/** A `COPY … FROM STDIN` in progress on one connection, fed with chunks of already formatted rows. */
export interface CopyStream {
  /** Hands `chunk` over and resolves once the connection has taken it (so memory stays bounded). */
  write(chunk: string): Promise<void>;
  /** Ends the COPY; resolves when the server has stored every row. */
  end(): Promise<void>;
  /** Abandons the COPY after an error of the caller's (CopyFail); the transaction then rolls back. */
  abort(): Promise<void>;
}

/**
 * Starts `sql` (a `COPY … FROM STDIN`) on `client`, inside the caller's transaction. One chunk is in the stream
 * at a time: pg-copy-streams fails with an exception no listener can catch on a chunk still queued in it when
 * the server reports an error (it has dropped the connection by then), so each write waits for the last.
 */
export function openCopy(client: pg.PoolClient | pg.Client, sql: string): CopyStream {
  const stream = client.query(copyFrom(sql));
  // An error the server reports (the COPY is then over) surfaces at the next write or at the end.
  let failure: unknown;
  stream.on("error", (error) => {
    failure ??= error;
  });
  let ended = false;
  return {
    async write(chunk) {
      if (failure !== undefined) throw failure;
      if (chunk === "") return;
      await new Promise<void>((resolve, reject) => {
        stream.once("error", reject);
        stream.write(chunk, (error) => {
          stream.off("error", reject);
          if (error) reject(error);
          else resolve();
        });
      });
    },
    async end() {
      if (failure !== undefined) throw failure;
      ended = true;
      stream.end();
      await finished(stream);
    },
    async abort() {
      // After a server error or a finished COPY there is nothing to cancel; otherwise CopyFail ends it, and the
      // connection is free for the ROLLBACK once the server has answered.
      if (ended || failure !== undefined) return;
      stream.destroy();
      await finished(stream).catch(() => {});
    },
  };
}

/** Rows per write to the COPY stream: big enough to amortise the call, small enough to keep memory flat. */
const CHUNK_ROWS = 1000;

/**
 * Streams `rows` into `table (columns)` with `COPY … FROM STDIN (FORMAT csv)` on `client` (inside the caller's
 * transaction), a chunk at a time: memory stays flat for any number of rows. Resolves to the number of rows
 * copied.
 */
export async function copyRows(
  client: pg.PoolClient | pg.Client,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>,
): Promise<number> {
  const copy = openCopy(client, `COPY ${table} (${columns.join(", ")}) FROM STDIN (FORMAT csv)`);
  let count = 0;
  let chunk = "";
  try {
    for await (const row of rows) {
      chunk += `${row.map(copyField).join(",")}\n`;
      if (++count % CHUNK_ROWS === 0) {
        await copy.write(chunk);
        chunk = "";
      }
    }
    await copy.write(chunk);
    await copy.end();
  } catch (error) {
    await copy.abort();
    throw error;
  }
  return count;
}
