import { ingestAudits, Spool, type Uploader } from "../audits/ingest.ts";
import type { Format } from "../audits/records.ts";
import type { Db } from "../db/database.ts";
import { compactRollups, rebuildRollups } from "../rollups/rebuild.ts";
import { drawSample } from "../sampling/draw.ts";
import type { DrawRequest } from "../sampling/plan.ts";
import { uploadPopulation } from "../sampling/upload.ts";
import type { Charset } from "../uploads/text-encoding.ts";

/** A body spooled to a file by the main thread; the file stays the main thread's to remove. */
export interface SpooledBody {
  file: string;
  bytes: number;
  /** The charset the client declared: the writer thread decodes the file exactly as the main thread would. */
  charset: Charset | undefined;
  format: Format;
}

/** A read-only view of the spooled body for the duration of `use`. */
async function withSpool<T>(body: SpooledBody, use: (spool: Spool) => Promise<T>): Promise<T> {
  const spool = Spool.ofFile(body.file, body.bytes, body.charset);
  try {
    return await use(spool);
  } finally {
    spool.dispose();
  }
}

/**
 * The long writes that run on the writer thread (src/writer/writer.ts), each one transaction on the
 * thread's own connection, exactly as on the main thread: an audit upload, a population upload, a draw, and
 * the rollups' compaction and rebuild (src/rollups/compactor.ts).
 * Inputs and results are plain data (they cross the thread by structured clone).
 */
const TASKS = {
  audits: (input: SpooledBody & { uploader: Uploader }, db: Db) =>
    withSpool(input, (spool) => ingestAudits(db, spool, input.format, input.uploader)),
  population: (input: SpooledBody & { name: string | null; createdBy: string | null }, db: Db) =>
    withSpool(input, (spool) => uploadPopulation(db, spool, input.format, input.name, input.createdBy)),
  draw: (input: { request: DrawRequest; createdBy: string | null; timeZone: string }, db: Db) =>
    drawSample(db, input.request, input.createdBy, input.timeZone),
  rollUp: (input: { limit: number }, db: Db) => compactRollups(db, input.limit),
  rebuildRollups: (_input: Record<string, never>, db: Db) => rebuildRollups(db),
};

export type WriteKind = keyof typeof TASKS;
export type WriteInput<K extends WriteKind> = Parameters<(typeof TASKS)[K]>[0];
export type WriteResult<K extends WriteKind> = Awaited<ReturnType<(typeof TASKS)[K]>>;

export async function runWrite<K extends WriteKind>(
  kind: K,
  input: WriteInput<K>,
  db: Db,
): Promise<WriteResult<K>> {
  const task = TASKS[kind] as (input: WriteInput<K>, db: Db) => Promise<WriteResult<K>>;
  return task(input, db);
}
