import { lockAuditAppendsFor } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import { groupCommit } from "../db/group-commit.ts";
import { writeGate } from "../db/write-gate.ts";
import type { Writer } from "../writer/writer.ts";
import { ingestAuditsInTransaction, type Spool, type Uploader } from "./ingest.ts";
import type { Format } from "./records.ts";

export interface IngestResult {
  inserted: number;
  duplicates: number;
}

/**
 * Stores one received upload, all or nothing, and resolves after its commit. An upload that outgrew memory
 * (spooled to a file, > 8 MiB) goes to the writer thread when there is one; smaller ones join the main
 * thread's group commit in a shared turn of the write gate. Auditor keys (`uploader.rater`) may only write their
 * own audits.
 */
export function uploadAudits(
  db: Db,
  writer: Writer | undefined,
  spool: Spool,
  format: Format,
  uploader: Uploader,
): Promise<IngestResult> {
  const file = spool.path;
  if (writer && file)
    return writer.write("audits", { file, bytes: spool.size, charset: spool.charset, format, uploader });
  return writeGate(db).shared(() =>
    groupCommit(db, lockAuditAppendsFor)((tx) => ingestAuditsInTransaction(tx, spool, format, uploader)),
  );
}
