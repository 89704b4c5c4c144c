import type { MarkedAudit } from "../../db/alert-audit-marks.ts";
import type { AuditConditionT, Rule } from "../rules.ts";
import { type GroupOutcome, labelText } from "./shared.ts";

/**
 * Audit conditions (critical-error escalation): one audit that is an error and meets every criterion given.
 * No statistics: the evidence is the audit itself. Evaluated by src/alerts/audit-rules.ts on each audit and
 * each revision of one, in seq order.
 */

/** What an audit condition looks at, and what an alert about one audit shows (its latest evaluated revision). */
export type AuditEvidence = Omit<MarkedAudit, "seq">;

/**
 * Whether the audit matches: outcome incorrect, and every criterion given holds (severity at least
 * `minSeverity`, absent severity never does; error type, applied policy and queue among the listed ones).
 */
export function auditMatches(
  condition: AuditConditionT,
  audit: Pick<AuditEvidence, "outcome" | "severity" | "errorType" | "policy" | "queue">,
): boolean {
  const { minSeverity, errorTypes, policies, queues } = condition;
  return (
    audit.outcome === "incorrect" &&
    (minSeverity === undefined || (audit.severity !== null && audit.severity >= minSeverity)) &&
    (errorTypes === undefined || (audit.errorType !== null && errorTypes.includes(audit.errorType))) &&
    (policies === undefined || (audit.policy !== null && policies.includes(audit.policy))) &&
    (queues === undefined || queues.includes(audit.queue))
  );
}

/**
 * The outcome that fires (or refreshes) the alert about one matching audit. Its labels are the audit id and the
 * audit's queue (for receivers' routing); the fingerprint is the rule's id and the audit id only.
 */
export function auditOutcome(rule: Rule<"audit">, audit: AuditEvidence): GroupOutcome {
  const severity = audit.severity === null ? "no severity" : `severity ${audit.severity}`;
  const labels = { audit: audit.id, queue: audit.queue };
  return {
    labels,
    breach: true,
    value: null,
    threshold: null,
    signal: null,
    evidence: { kind: "audit", audit },
    link: `/v1/audits/${encodeURIComponent(audit.id)}/history`,
    summary: `${rule.name}: ${audit.errorType ?? "error"} (${severity}) by ${audit.moderator} in queue ${audit.queue}${
      audit.policy === null ? "" : `, policy ${audit.policy}`
    }${labelText({ audit: audit.id })}`,
  };
}
