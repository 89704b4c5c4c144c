import type { AuditConditionT } from "../alerts/rules.ts";
import type { ErrorType, Outcome } from "../audits/validate.ts";
import type { Verdict } from "./audit-revisions.ts";
import type { Db } from "./database.ts";

/**
 * The `alert_audit_marks` table (migration 8) and the reads of audit-rule evaluation. Each enabled audit rule
 * has a mark: the highest audits.seq and audit_revisions.seq it has evaluated. An evaluation reads what lies
 * above the mark and moves the mark in the transaction that stores the alerts it fired and their outbox
 * deliveries, so a crash anywhere leaves either both or neither. Seqs are assigned in commit order (SQLite has
 * one writer; PostgreSQL's audit inserts take the audit-append lock), so nothing committed later can appear
 * below a mark.
 */

export interface AuditMark {
  auditSeq: number;
  revisionSeq: number;
}

const MAX_AUDIT_SEQ = "(SELECT COALESCE(MAX(seq), 0) FROM audits)";
const MAX_REVISION_SEQ = "(SELECT COALESCE(MAX(seq), 0) FROM audit_revisions)";

/**
 * Sets the rule's mark at the newest audit and revision: a new, re-enabled or changed rule evaluates only what
 * is stored after this (no alerts about history). `tx` holds the transaction that stores the rule.
 */
export async function startAuditMark(tx: Db, ruleId: string): Promise<void> {
  await tx.run(
    `INSERT INTO alert_audit_marks (rule_id, audit_seq, revision_seq) VALUES (?, ${MAX_AUDIT_SEQ}, ${MAX_REVISION_SEQ})
     ON CONFLICT (rule_id) DO UPDATE SET audit_seq = excluded.audit_seq, revision_seq = excluded.revision_seq`,
    [ruleId],
  );
}

export async function deleteAuditMark(tx: Db, ruleId: string): Promise<void> {
  await tx.run("DELETE FROM alert_audit_marks WHERE rule_id = ?", [ruleId]);
}

export async function setAuditMark(tx: Db, ruleId: string, mark: AuditMark): Promise<void> {
  await tx.run("UPDATE alert_audit_marks SET audit_seq = ?, revision_seq = ? WHERE rule_id = ?", [
    mark.auditSeq,
    mark.revisionSeq,
    ruleId,
  ]);
}

export async function auditMark(db: Db, ruleId: string): Promise<AuditMark | undefined> {
  const row = await db.get<{ audit_seq: number; revision_seq: number }>(
    "SELECT audit_seq, revision_seq FROM alert_audit_marks WHERE rule_id = ?",
    [ruleId],
  );
  return row && { auditSeq: row.audit_seq, revisionSeq: row.revision_seq };
}

/** Each enabled audit rule's id and mark (undefined when it has none), oldest rule first. */
export async function enabledAuditRuleMarks(db: Db): Promise<{ ruleId: string; mark?: AuditMark }[]> {
  const rows = await db.values<[string, number | null, number | null]>(
    `SELECT r.id, m.audit_seq, m.revision_seq FROM alert_rules r LEFT JOIN alert_audit_marks m ON m.rule_id = r.id
     WHERE r.kind = 'audit' AND r.enabled = 1 ORDER BY r.created_ms, r.id`,
  );
  return rows.map(([ruleId, auditSeq, revisionSeq]) =>
    auditSeq === null || revisionSeq === null ? { ruleId } : { ruleId, mark: { auditSeq, revisionSeq } },
  );
}

/** The newest audit and revision seqs (0 when none). */
export async function newestSeqs(db: Db): Promise<AuditMark> {
  const row = await db.get<{ a: number; r: number }>(
    `SELECT ${MAX_AUDIT_SEQ} AS a, ${MAX_REVISION_SEQ} AS r`,
  );
  return { auditSeq: row!.a, revisionSeq: row!.r };
}

/** An audit as an audit rule sees it: its latest revision (the audits row). */
export interface MarkedAudit {
  seq: number;
  id: string;
  decisionId: string;
  queue: string;
  market: string | null;
  policy: string | null;
  correctPolicy: string | null;
  moderator: string;
  auditor: string;
  outcome: Outcome;
  errorType: ErrorType | null;
  severity: number | null;
  notes: string | null;
  auditedAt: string;
  sampleId: string | null;
  revision: number;
}

const AUDIT_COLUMNS = `seq, id, decision_id AS "decisionId", queue, market, policy, correct_policy AS "correctPolicy",
  moderator, auditor, outcome, error_type AS "errorType", severity, notes, audited_at AS "auditedAt",
  sample_id AS "sampleId", revision`;

const placeholders = (list: readonly unknown[]) => list.map(() => "?").join(", ");

/**
 * Audits with seq in (from, to] that may match `condition`: in its queues and policies, and either an error
 * meeting its verdict criteria now or corrected at least once (an earlier revision may have matched; the
 * caller decides from the revisions). Oldest first.
 */
export async function candidateAudits(
  tx: Db,
  condition: AuditConditionT,
  from: number,
  to: number,
): Promise<MarkedAudit[]> {
  const where = ["seq > ?", "seq <= ?"];
  const params: unknown[] = [from, to];
  // `(queue || '')`: read the seq range, never the queue index (SQLite would scan every audit of the queue).
  if (condition.queues) {
    where.push(`(queue || '') IN (${placeholders(condition.queues)})`);
    params.push(...condition.queues);
  }
  if (condition.policies) {
    where.push(`policy IN (${placeholders(condition.policies)})`);
    params.push(...condition.policies);
  }
  const verdict = ["outcome = 'incorrect'"];
  if (condition.errorTypes) {
    verdict.push(`error_type IN (${placeholders(condition.errorTypes)})`);
    params.push(...condition.errorTypes);
  }
  if (condition.minSeverity !== undefined) {
    verdict.push("severity >= ?");
    params.push(condition.minSeverity);
  }
  where.push(`(revision > 1 OR (${verdict.join(" AND ")}))`);
  return tx.all<MarkedAudit>(
    `SELECT ${AUDIT_COLUMNS} FROM audits WHERE ${where.join(" AND ")} ORDER BY seq`,
    params,
  );
}

const CHUNK = 500;

/** The audits with these ids (any order). */
export async function auditsByIds(tx: Db, ids: readonly string[]): Promise<MarkedAudit[]> {
  const found: MarkedAudit[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    found.push(
      ...(await tx.all<MarkedAudit>(
        `SELECT ${AUDIT_COLUMNS} FROM audits WHERE id IN (${placeholders(chunk)})`,
        chunk,
      )),
    );
  }
  return found;
}

/** The ids of the audits revised with revision seq in (from, to]. */
export async function auditsRevisedBetween(tx: Db, from: number, to: number): Promise<string[]> {
  const rows = await tx.values<[string]>(
    "SELECT DISTINCT audit_id FROM audit_revisions WHERE seq > ? AND seq <= ?",
    [from, to],
  );
  return rows.map((row) => row[0]);
}

export interface StoredRevision extends Verdict {
  auditId: string;
  revision: number;
  seq: number;
}

/** Every revision of these audits, each audit's in seq order. */
export async function revisionsOf(tx: Db, ids: readonly string[]): Promise<StoredRevision[]> {
  const found: StoredRevision[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = await tx.values<[string, number, number, string]>(
      `SELECT audit_id, revision, seq, content FROM audit_revisions
       WHERE audit_id IN (${placeholders(chunk)}) ORDER BY audit_id, seq`,
      chunk,
    );
    for (const [auditId, revision, seq, content] of rows)
      found.push({ ...(JSON.parse(content) as Verdict), auditId, revision, seq });
  }
  return found;
}
