import type { AuditConditionT } from "../alerts/rules.ts";
import type { ErrorType, Outcome } from "../audits/validate.ts";
import { type AuditFilter, whereClause } from "./audits.ts";
import type { Db } from "./database.ts";

/**
 * The alert-rule preview's read of an audit rule's history: the audits audited in a time range that are
 * errors meeting the condition's criteria (src/alerts/preview.ts evaluates them with `auditMatches`).
 */

/** An audit as an audit rule's preview sees it (what `auditMatches` reads, plus when it was audited). */
export interface PreviewedAudit {
  id: string;
  queue: string;
  policy: string | null;
  outcome: Outcome;
  errorType: ErrorType | null;
  severity: number | null;
  auditedMs: number;
}

const placeholders = (list: readonly unknown[]) => list.map(() => "?").join(", ");

/**
 * Calls `visit` for every error (outcome incorrect) audited in [fromMs, toMs) that meets the condition's
 * criteria, in time order. Streams: memory does not grow with the number of audits.
 */
export async function forEachMatchingError(
  db: Db,
  condition: AuditConditionT,
  fromMs: number,
  toMs: number,
  visit: (audit: PreviewedAudit) => void,
): Promise<void> {
  const where = ["audited_ms >= ?", "audited_ms < ?", "outcome = 'incorrect'"];
  const params: unknown[] = [fromMs, toMs];
  if (condition.queues) {
    where.push(`queue IN (${placeholders(condition.queues)})`);
    params.push(...condition.queues);
  }
  if (condition.policies) {
    where.push(`policy IN (${placeholders(condition.policies)})`);
    params.push(...condition.policies);
  }
  if (condition.errorTypes) {
    where.push(`error_type IN (${placeholders(condition.errorTypes)})`);
    params.push(...condition.errorTypes);
  }
  if (condition.minSeverity !== undefined) {
    where.push("severity >= ?");
    params.push(condition.minSeverity);
  }
  await db.each<[string, string, string | null, Outcome, ErrorType | null, number | null, number]>(
    `SELECT id, queue, policy, outcome, error_type, severity, audited_ms FROM audits
      WHERE ${where.join(" AND ")} ORDER BY audited_ms, id`,
    params,
    ([id, queue, policy, outcome, errorType, severity, auditedMs]) =>
      visit({ id, queue, policy, outcome, errorType, severity, auditedMs }),
  );
}

/** Whether any audit under the filter (errorType ignored) was audited in [fromMs, toMs). */
export async function auditedBetween(
  db: Db,
  filter: AuditFilter,
  fromMs: number,
  toMs: number,
): Promise<boolean> {
  const where = whereClause({ ...filter, fromMs, toMs });
  const rows = await db.values<[number]>(`SELECT 1 FROM audits ${where.sql} LIMIT 1`, where.params);
  return rows.length > 0;
}
