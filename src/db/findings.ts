import { type AuditFilter, type AuditRow, listingConditions, type StoredAudit, toAudit } from "./audits.ts";
import type { Db } from "./database.ts";

/**
 * A moderator's findings (issue 14): their audited decisions, newest first, with whether the moderator has read
 * each one (`finding_acks`) and its latest dispute. Reads go through `audits_by_moderator (moderator, audited_ms)`.
 */

export interface FindingRow {
  audit: StoredAudit;
  seq: number;
  ack: { at: string; by: string } | null;
  dispute: { id: string; state: string; auditRevision: number } | null;
}

export interface FindingsPage {
  rows: FindingRow[];
  /** The last row's (audited_ms, seq), for the next page; undefined when the page is the last. */
  last: { ms: number; seq: number } | undefined;
}

export interface FindingsSelection {
  filter: AuditFilter & { moderator: string };
  outcome: "incorrect" | "correct" | "all";
  /** true: only read ones; false: only unread ones; undefined: both. */
  read: boolean | undefined;
}

/** One page of findings after the keyset `before` (newest first: audited_ms DESC, seq DESC). */
export async function listFindings(
  db: Db,
  selection: FindingsSelection,
  before: { ms: number; seq: number } | undefined,
  limit: number,
): Promise<FindingsPage> {
  const { parts, params } = listingConditions(selection.filter);
  if (selection.outcome !== "all") {
    parts.push("a.outcome = ?");
    params.push(selection.outcome);
  }
  if (selection.read !== undefined) parts.push(`k.audit_id IS ${selection.read ? "NOT " : ""}NULL`);
  if (before) {
    parts.push("(a.audited_ms < ? OR (a.audited_ms = ? AND a.seq < ?))");
    params.push(before.ms, before.ms, before.seq);
  }
  const rows = await db.all<AuditRow & { acked_at: string | null; acked_by: string | null }>(
    `SELECT a.*, k.acked_at, k.acked_by FROM audits a LEFT JOIN finding_acks k ON k.audit_id = a.id
     WHERE ${parts.join(" AND ")} ORDER BY a.audited_ms DESC, a.seq DESC LIMIT ?`,
    [...params, limit],
  );
  const disputes = await latestDisputes(
    db,
    rows.map((row) => row.id),
  );
  const findings = rows.map((row) => {
    const audit = toAudit(row);
    return {
      audit,
      seq: row.seq,
      ack: row.acked_at !== null ? { at: row.acked_at, by: row.acked_by ?? "" } : null,
      dispute: disputes.get(audit.id) ?? null,
    };
  });
  const tail = rows.at(-1);
  return {
    rows: findings,
    last: tail && rows.length === limit ? { ms: tail.audited_ms, seq: tail.seq } : undefined,
  };
}

/** The latest dispute (by opening time) of each of `auditIds`. */
async function latestDisputes(
  db: Db,
  auditIds: string[],
): Promise<Map<string, { id: string; state: string; auditRevision: number }>> {
  const latest = new Map<string, { id: string; state: string; auditRevision: number }>();
  if (auditIds.length === 0) return latest;
  const rows = await db.all<{ audit_id: string; id: string; state: string; audit_revision: number }>(
    `SELECT audit_id, id, state, audit_revision FROM disputes WHERE audit_id IN (${auditIds.map(() => "?").join(", ")})
     ORDER BY opened_ms, id`,
    auditIds,
  );
  for (const row of rows) {
    latest.set(row.audit_id, { id: row.id, state: row.state, auditRevision: row.audit_revision });
  }
  return latest;
}

/** The moderator of an audit, or undefined when there is no such audit. */
export async function auditModerator(db: Db, auditId: string): Promise<string | undefined> {
  return (await db.get<{ moderator: string }>("SELECT moderator FROM audits WHERE id = ?", [auditId]))
    ?.moderator;
}

/**
 * Records that the audit's moderator has read it; the first time stays (an ack twice changes nothing). Returns
 * the stored acknowledgement and whether this call made it.
 */
export async function acknowledgeFinding(
  tx: Db,
  auditId: string,
  by: string,
  now: Date,
): Promise<{ at: string; by: string; created: boolean }> {
  const inserted = await tx.run(
    "INSERT INTO finding_acks (audit_id, acked_by, acked_at, acked_ms) VALUES (?, ?, ?, ?) ON CONFLICT (audit_id) DO NOTHING",
    [auditId, by, now.toISOString(), now.getTime()],
  );
  const row = (await tx.get<{ acked_at: string; acked_by: string }>(
    "SELECT acked_at, acked_by FROM finding_acks WHERE audit_id = ?",
    [auditId],
  ))!;
  return { at: row.acked_at, by: row.acked_by, created: inserted > 0 };
}

export interface UnreadByModerator {
  moderator: string;
  unread: number;
  oldestUnreadMs: number;
}

/**
 * Unread errors (incorrect audits with no acknowledgement) per moderator inside the filter, the moderators with
 * the oldest unread first, at most `limit` of them, and the totals over all.
 */
export async function unreadByModerator(
  db: Db,
  filter: AuditFilter,
  limit: number,
): Promise<{ moderators: UnreadByModerator[]; moderatorsWithUnread: number; unread: number }> {
  const { parts: conditions, params } = listingConditions(filter);
  conditions.push("a.outcome = 'incorrect'", "k.audit_id IS NULL");
  // Grouped by COALESCE(moderator, '') (moderator is NOT NULL: the same groups), not by the bare column: SQLite has
  // no statistics and would read every audit through audits_by_moderator to spare the GROUP BY its sort, one table
  // lookup per audit (3.2 s instead of 0.2 s for 1,000,000 audits when the filter has no period).
  const grouped = `SELECT COALESCE(a.moderator, '') AS moderator, COUNT(*) AS unread, MIN(a.audited_ms) AS oldest
     FROM audits a LEFT JOIN finding_acks k ON k.audit_id = a.id
     WHERE ${conditions.join(" AND ")} GROUP BY COALESCE(a.moderator, '')`;
  // One scan: the totals over all moderators ride on every row (window functions run before the LIMIT).
  const rows = await db.all<{
    moderator: string;
    unread: number;
    oldest: number;
    moderators: number;
    total: number;
  }>(
    `SELECT moderator, unread, oldest, COUNT(*) OVER () AS moderators, SUM(unread) OVER () AS total
     FROM (${grouped}) g ORDER BY oldest, moderator LIMIT ?`,
    [...params, limit],
  );
  return {
    moderators: rows.map((row) => ({
      moderator: row.moderator,
      unread: row.unread,
      oldestUnreadMs: row.oldest,
    })),
    moderatorsWithUnread: rows[0]?.moderators ?? 0,
    unread: rows[0]?.total ?? 0,
  };
}
