import type { Outcome } from "../audits/validate.ts";
import { type AuditFilter, type AuditRow, listingConditions, type StoredAudit, toAudit } from "./audits.ts";
import type { Db } from "./database.ts";

/**
 * What the audit listing selects: the report filter, and (issue 18, the drill-down to the audits behind a report)
 * the verdict (`outcome`, `minSeverity`: severity at least this, so audits without a severity are left out) and one
 * audit by `id`. Kept out of `AuditFilter`, which reports and findings share and where an outcome means nothing.
 */
export interface AuditListing {
  filter: AuditFilter;
  outcome?: Outcome;
  minSeverity?: number;
  id?: string;
  /**
   * The reviewer whose blind second reviews (open disputes) are still to record: those audits are left out
   * (issue 14: the reviewer must not see the verdict under dispute); the partial index `disputes_one_open`
   * answers the check per row.
   */
  hiddenFromReviewer?: string;
  /**
   * Leaves out the audits of samples with gold items mixed into their queues (issue 16), for auditor keys: beside
   * an auditor's queue, the verdicts missing from the listing would be its gold items.
   */
  withoutGoldSamples?: boolean;
}

/** One page of audits after `afterSeq` in arrival order, up to `limit`, no later than `maxSeq`. */
export async function listAudits(
  db: Db,
  listing: AuditListing,
  afterSeq: number,
  limit: number,
  maxSeq = Number.MAX_SAFE_INTEGER,
): Promise<{ audits: StoredAudit[]; lastSeq: number | undefined }> {
  const { parts, params } = listingConditions(listing.filter);
  const verdict: [string, unknown][] = [
    ["outcome = ?", listing.outcome],
    ["severity >= ?", listing.minSeverity],
    ["id = ?", listing.id],
  ];
  for (const [condition, value] of verdict) {
    if (value === undefined) continue;
    parts.push(condition);
    params.push(value);
  }
  parts.push("seq > ?", "seq <= ?");
  params.push(afterSeq, maxSeq);
  if (listing.hiddenFromReviewer !== undefined) {
    parts.push(`NOT EXISTS (SELECT 1 FROM disputes p WHERE p.audit_id = audits.id AND p.resolved_ms IS NULL
      AND p.state = 'open' AND p.reviewer = ?)`);
    params.push(listing.hiddenFromReviewer);
  }
  if (listing.withoutGoldSamples) {
    parts.push(`(sample_id IS NULL OR NOT EXISTS (SELECT 1 FROM samples s WHERE s.id = audits.sample_id
      AND s.gold_rows > 0))`);
  }
  const sql = `SELECT * FROM audits WHERE ${parts.join(" AND ")} ORDER BY seq LIMIT ?`;
  const rows = await db.all<AuditRow>(sql, [...params, limit]);
  return { audits: rows.map(toAudit), lastSeq: rows.at(-1)?.seq };
}
