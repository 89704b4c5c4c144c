import type { ErrorType, Outcome } from "../audits/validate.ts";
import { RollupAccumulator } from "../rollups/accumulator.ts";
import { rolledUpTo } from "../rollups/watermark.ts";
import { lockAuditAppends } from "./audits.ts";
import type { Db } from "./database.ts";

/** The fields a revision may change: the auditor's verdict, never the decision it is about. */
export interface Verdict {
  outcome: Outcome;
  errorType: ErrorType | null;
  severity: number | null;
  correctPolicy: string | null;
  notes: string | null;
}

export interface RevisionRecord extends Verdict {
  revision: number;
  /** Who made this revision (for revision 1: who recorded the audit, else its auditor). */
  changedBy: string | null;
  changedAt: string;
  reason: string | null;
}

/** The stored audit a revision starts from: its verdict, what revision 1 needs, and the rollup cell it counts in. */
export interface RevisableAudit extends Verdict {
  id: string;
  seq: number;
  auditor: string;
  moderator: string;
  queue: string;
  market: string | null;
  policy: string | null;
  recordedBy: string | null;
  auditedAt: string;
  auditedMs: number;
  revision: number;
}

interface Row {
  id: string;
  seq: number;
  auditor: string;
  moderator: string;
  queue: string;
  market: string | null;
  policy: string | null;
  audited_ms: number;
  outcome: Outcome;
  error_type: ErrorType | null;
  severity: number | null;
  correct_policy: string | null;
  notes: string | null;
  recorded_by: string | null;
  audited_at: string;
  revision: number;
}

export async function findRevisableAudit(db: Db, id: string): Promise<RevisableAudit | undefined> {
  const row = await db.get<Row>(
    `SELECT id, seq, auditor, moderator, queue, market, policy, outcome, error_type, severity, correct_policy, notes,
      recorded_by, audited_at, audited_ms, revision FROM audits WHERE id = ?`,
    [id],
  );
  if (!row) return undefined;
  return {
    id: row.id,
    seq: row.seq,
    auditor: row.auditor,
    moderator: row.moderator,
    queue: row.queue,
    market: row.market,
    policy: row.policy,
    outcome: row.outcome,
    errorType: row.error_type,
    severity: row.severity,
    correctPolicy: row.correct_policy,
    notes: row.notes,
    recordedBy: row.recorded_by,
    auditedAt: row.audited_at,
    auditedMs: row.audited_ms,
    revision: row.revision,
  };
}

const verdictOf = (v: Verdict): Verdict => ({
  outcome: v.outcome,
  errorType: v.errorType,
  severity: v.severity,
  correctPolicy: v.correctPolicy,
  notes: v.notes,
});

async function insertRevision(
  tx: Db,
  auditId: string,
  revision: number,
  verdict: Verdict,
  by: string | null,
  at: string,
  reason: string | null,
): Promise<void> {
  await tx.run(
    `INSERT INTO audit_revisions (audit_id, revision, content, changed_by, changed_at, reason)
      VALUES (?, ?, ?, ?, ?, ?)`,
    [auditId, revision, JSON.stringify(verdictOf(verdict)), by, at, reason],
  );
}

/**
 * Inside the caller's transaction: stores `next` as revision `current.revision + 1` of the audit and makes it
 * the audits row's verdict (same id and seq, so every report reads the latest revision). The first correction
 * also keeps the original as revision 1. The caller has checked that something changed.
 */
export async function storeRevision(
  tx: Db,
  current: RevisableAudit,
  next: Verdict,
  meta: { by: string; reason: string | null; at: string },
): Promise<number> {
  // Revisions draw their seq in commit order, as audits do (the alert engine's marks read "revisions above the last
  // seq seen"): on PostgreSQL the audit-append lock is held from here to COMMIT.
  await lockAuditAppends(tx);
  // The audits row first: a concurrent correction of the same audit then waits on its row lock and fails (a
  // serialization failure on PostgreSQL, which runs the transaction again) instead of both appending revisions.
  const revision = current.revision + 1;
  const updated = await tx.run(
    `UPDATE audits SET outcome = ?, error_type = ?, severity = ?, correct_policy = ?, notes = ?, revision = ?
      WHERE id = ? AND revision = ?`,
    [
      next.outcome,
      next.errorType,
      next.severity,
      next.correctPolicy,
      next.notes,
      revision,
      current.id,
      current.revision,
    ],
  );
  if (updated !== 1) throw new Error(`audit ${current.id} changed during its correction`);
  await moveRolledUpCounts(tx, current, next);
  if (current.revision === 1) {
    await insertRevision(
      tx,
      current.id,
      1,
      current,
      current.recordedBy ?? current.auditor,
      current.auditedAt,
      null,
    );
  }
  await insertRevision(tx, current.id, revision, next, meta.by, meta.at, meta.reason);
  return revision;
}

/**
 * When the audit is already rolled up (at or below the watermark), moves its counts from its old verdict's cells to
 * its new one's in the revision's transaction; one above it is counted from its row (as revised) until the
 * compactor rolls it up. On PostgreSQL a compaction committing meanwhile makes one of the two fail to serialize
 * (each read what the other wrote) and run again.
 */
async function moveRolledUpCounts(tx: Db, current: RevisableAudit, next: Verdict): Promise<void> {
  if (current.seq > (await rolledUpTo(tx))) return;
  const rollups = new RollupAccumulator(tx);
  rollups.add(current, current.auditedMs, -1);
  rollups.add({ ...current, ...next }, current.auditedMs, 1);
  await rollups.flush();
}

/** Every revision of an audit, oldest first; an audit never corrected has its one revision from the audits row. */
export async function revisionHistory(db: Db, audit: RevisableAudit): Promise<RevisionRecord[]> {
  if (audit.revision === 1) {
    return [
      {
        revision: 1,
        ...verdictOf(audit),
        changedBy: audit.recordedBy ?? audit.auditor,
        changedAt: audit.auditedAt,
        reason: null,
      },
    ];
  }
  const rows = await db.all<{
    revision: number;
    content: string;
    changed_by: string | null;
    changed_at: string;
    reason: string | null;
  }>(
    "SELECT revision, content, changed_by, changed_at, reason FROM audit_revisions WHERE audit_id = ? ORDER BY revision",
    [audit.id],
  );
  return rows.map((row) => ({
    revision: row.revision,
    ...(JSON.parse(row.content) as Verdict),
    changedBy: row.changed_by,
    changedAt: row.changed_at,
    reason: row.reason,
  }));
}

/** The largest revision seq stored (0 when no audit was ever corrected): alert scans watch it. */
export async function maxRevisionSeq(db: Db): Promise<number> {
  return (await db.get<{ m: number }>("SELECT COALESCE(MAX(seq), 0) AS m FROM audit_revisions"))!.m;
}
