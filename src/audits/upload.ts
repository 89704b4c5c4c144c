import type { Piscina } from "piscina";
import { groupCommit } from "../db/group-commit.ts";
import type { Db } from "../db/open.ts";
import { writeGate } from "../db/write-gate.ts";
import { createPool, fromThreadError } from "../threads/pool.ts";
import type { BulkIngestAnswer, BulkIngestTask } from "./bulk-ingest-worker.ts";
import { ingestAudits, type Spool } from "./ingest.ts";
import type { Format } from "./records.ts";

export interface IngestResult {
  inserted: number;
  duplicates: number;
}

/**
 * Writes large audit uploads on a worker thread with its own connection, so that parsing, validating and
 * inserting a million rows (~9 s) does not stop the main thread from answering other requests.
 */
export class BulkIngest {
  private readonly pool: Piscina;

  constructor(dbFile: string, synchronous: "NORMAL" | "FULL" = "NORMAL") {
    this.pool = createPool({
      module: new URL("./bulk-ingest-worker.ts", import.meta.url),
      data: { dbFile, synchronous },
      maxThreads: 1,
      idleTimeoutMs: 60_000,
      niceIncrement: 5,
    });
  }

  async ingest(task: BulkIngestTask): Promise<IngestResult> {
    const answer = (await this.pool.run(task)) as BulkIngestAnswer;
    if ("error" in answer) throw fromThreadError(answer.error);
    return answer.ok;
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}

/**
 * Stores one received upload, all or nothing, and resolves after its commit. An upload that outgrew memory
 * (spooled to a file, > 8 MiB) goes to the bulk-ingest thread when there is one, in the write gate's exclusive
 * turn; smaller ones join the main thread's group commit in a shared turn. Auditor keys (`rater`) may only
 * write their own audits.
 */
export function uploadAudits(
  db: Db,
  bulk: BulkIngest | undefined,
  spool: Spool,
  format: Format,
  rater: string | undefined,
): Promise<IngestResult> {
  const gate = writeGate(db);
  const file = spool.path;
  if (bulk && file) {
    return gate.exclusive(() => bulk.ingest({ file, bytes: spool.size, format, rater }));
  }
  const mayWriteFor = rater === undefined ? () => true : (auditor: string) => auditor === rater;
  return gate.shared(() => groupCommit(db)(() => ingestAudits(db, spool, format, mayWriteFor)));
}
