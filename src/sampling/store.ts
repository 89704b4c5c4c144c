import type { Spool } from "../audits/ingest.ts";
import type { Format } from "../audits/records.ts";
import type { Db } from "../db/open.ts";
import { writeGate } from "../db/write-gate.ts";
import { InlineWriter, type Writer } from "../writer/writer.ts";
import type { DrawRequest } from "./plan.ts";
import { type UploadResult, uploadPopulation } from "./upload.ts";

/**
 * Stores a population upload, all rows or none, and resolves after its commit: on the writer thread when the
 * body was spooled to a file and there is one (a ten-million-row upload takes tens of seconds), else here in a
 * shared turn of the write gate.
 */
export function storePopulation(
  db: Db,
  writer: Writer | undefined,
  spool: Spool,
  format: Format,
  name: string | null,
  createdBy: string | null,
): Promise<UploadResult> {
  const file = spool.path;
  if (writer && file) {
    return writer.write("population", { file, bytes: spool.size, format, name, createdBy });
  }
  return writeGate(db).shared(() => uploadPopulation(db, spool, format, name, createdBy));
}

/** Draws a sample (one transaction) on the writer thread when there is one: a draw scans the whole population. */
export function storeDraw(
  db: Db,
  writer: Writer | undefined,
  request: DrawRequest,
  createdBy: string | null,
) {
  return (writer ?? new InlineWriter(db)).write("draw", { request, createdBy });
}
