import { type AuditListing, listAudits } from "../db/audit-listing.ts";
import type { StoredAudit } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import { decisionUrls, drawnDecisionKey } from "../db/decision-links.ts";

/** An audit as the listing's JSON pages show it: with its drawn decision's page, when it has one. */
export interface ListedAudit extends StoredAudit {
  decisionUrl: string | null;
}

/**
 * One JSON page of `GET /v1/audits` (issue 18: the audits behind a report, each linked to its decision's page when
 * it came through a sample item with a `url`). The CSV and NDJSON exports stay the audits as stored.
 */
export async function auditPage(
  db: Db,
  listing: AuditListing,
  afterSeq: number,
  limit: number,
): Promise<{ audits: ListedAudit[]; lastSeq: number | undefined }> {
  const page = await listAudits(db, listing, afterSeq, limit);
  const urls = await decisionUrls(db, page.audits);
  const audits = page.audits.map((audit) => ({
    ...audit,
    decisionUrl:
      audit.sampleId === null ? null : (urls.get(drawnDecisionKey(audit.sampleId, audit.decisionId)) ?? null),
  }));
  return { audits, lastSeq: page.lastSeq };
}
