import { AUDIT_FIELDS, SERVER_FIELDS } from "../audits/validate.ts";
import type { CsvValue } from "../csv.ts";
import { type AuditListing, listAudits } from "../db/audit-listing.ts";
import { maxAuditSeq } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import { xlsxStream } from "./writer.ts";

/** The export's columns, as in the CSV export: what an upload accepts, then what the server set. */
const EXPORT_FIELDS = [...AUDIT_FIELDS, ...SERVER_FIELDS] as const;
const EXPORT_PAGE = 5000;

/**
 * `GET /v1/audits?format=xlsx`: every audit of the listing that exists now (seq at most the current maximum, so
 * rows arriving meanwhile are left out as in the CSV export), read 5,000 at a time as the client takes the file
 * (src/xlsx/writer.ts: one page in memory at a time). Past Excel's 1,048,575 data rows the audits continue on
 * a second sheet, `audits 2`.
 */
export async function auditsXlsx(
  db: Db,
  listing: AuditListing,
  afterSeq: number,
  timeZone: string,
): Promise<ReadableStream<Uint8Array>> {
  const maxSeq = await maxAuditSeq(db);
  async function* pages(): AsyncGenerator<CsvValue[][]> {
    let cursor = afterSeq;
    for (;;) {
      const page = await listAudits(db, listing, cursor, EXPORT_PAGE, maxSeq);
      yield page.audits.map((audit) => EXPORT_FIELDS.map((field) => audit[field]));
      if (page.lastSeq === undefined || page.audits.length < EXPORT_PAGE) return;
      cursor = page.lastSeq;
    }
  }
  return xlsxStream("audits", EXPORT_FIELDS, pages(), timeZone);
}
