/**
 * The task of the bulk-ingest thread (src/audits/bulk-ingest.ts): validates and stores one spooled upload on
 * its own connection, in one IMMEDIATE transaction, exactly as `ingestAudits` does on the main thread.
 * Errors come back as data (`ThreadError`): structured clone would drop an DomainError's status and details.
 */
import { workerData } from "piscina";
import type { Db } from "../db/open.ts";
import { openConnection } from "../db/open.ts";
import { type ThreadError, toThreadError } from "../threads/pool.ts";
import { ingestAudits, Spool } from "./ingest.ts";
import type { Format } from "./records.ts";

export interface BulkIngestTask {
  /** The spool file written by the main thread; it stays the main thread's to remove. */
  file: string;
  bytes: number;
  format: Format;
  /** An auditor key's rater name: the upload may hold only that auditor's audits. Absent for leads and admins. */
  rater?: string;
}

export type BulkIngestAnswer = { ok: { inserted: number; duplicates: number } } | { error: ThreadError };

let db: Db | undefined;

export default function bulkIngest(task: BulkIngestTask): BulkIngestAnswer {
  db ??= openConnection(workerData.dbFile, { synchronous: workerData.synchronous });
  const spool = Spool.ofFile(task.file, task.bytes);
  const rater = task.rater;
  try {
    const mayWriteFor = rater === undefined ? () => true : (auditor: string) => auditor === rater;
    return { ok: ingestAudits(db, spool, task.format, mayWriteFor) };
  } catch (error) {
    return { error: toThreadError(error) };
  } finally {
    spool.dispose();
  }
}
