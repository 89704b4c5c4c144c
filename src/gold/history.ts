/**
 * The revision history of a verdict on a gold row (issue 16), in the shape of an audit's history
 * (GET /v1/audits/{id}/history), so that an auditor asking for the history of each verdict id its queue shows
 * gets the same answer for gold items as for drawn ones. Answered to every key the route admits (viewer and up),
 * exactly as an audit's history is: refusing anyone would tell them which verdict ids are gold.
 */
import type { RevisionRecord } from "../db/audit-revisions.ts";
import type { Db } from "../db/database.ts";

export async function goldAuditHistory(
  db: Db,
  auditId: string,
): Promise<{ auditId: string; revisions: RevisionRecord[] } | undefined> {
  if (!auditId.startsWith("v-")) return undefined;
  const rows = await db.all<{
    auditor: string;
    outcome: "correct" | "incorrect";
    errorType: RevisionRecord["errorType"];
    severity: number | null;
    correctPolicy: string | null;
    notes: string | null;
    revision: number;
    reason: string | null;
    auditedAt: string;
    recordedBy: string | null;
    recordedAt: string;
  }>(
    `SELECT auditor, outcome, error_type AS "errorType", severity, correct_policy AS "correctPolicy", notes,
       revision, reason, audited_at AS "auditedAt", recorded_by AS "recordedBy", recorded_at AS "recordedAt"
     FROM gold_verdicts WHERE audit_id = ? ORDER BY revision`,
    [auditId],
  );
  if (rows.length === 0) return undefined;
  return {
    auditId,
    revisions: rows.map((row) => ({
      revision: row.revision,
      outcome: row.outcome,
      errorType: row.errorType,
      severity: row.severity,
      correctPolicy: row.correctPolicy,
      notes: row.notes,
      // As an audit's: revision 1 by whoever recorded it at the audit's time, later ones by their author.
      changedBy: row.revision === 1 ? (row.recordedBy ?? row.auditor) : row.recordedBy,
      changedAt: row.revision === 1 ? row.auditedAt : row.recordedAt,
      reason: row.reason,
    })),
  };
}
