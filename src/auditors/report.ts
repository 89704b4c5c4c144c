import { resolveTimeZone } from "../audits/filters.ts";
import type { Config } from "../config.ts";
import type { CsvValue, Table } from "../csv.ts";
import type { Db } from "../db/database.ts";
import { goldScores } from "../db/gold.ts";
import { periodOfInput, scorecardPeriod } from "../feedback/scorecards.ts";
import { type AuditorAccuracy, accuracyByAuditor } from "./accuracy.ts";

/**
 * GET /v1/auditors: each auditor's accuracy on the gold items mixed into their queues, over a period (the
 * latest verdict of each gold slot, by when it was recorded). Leads and admins only: an auditor who could
 * watch its own gold count grow would learn which item it had just judged was gold.
 */

export interface AuditorsQuery {
  from?: string;
  to?: string;
  tz?: string;
  auditor?: string;
  queue?: string;
  confidence: number;
}

export interface AuditorsReport {
  period: { from: string; to: string; timeZone: string };
  confidence: number;
  method: "wilson";
  auditors: AuditorAccuracy[];
}

/**
 * @throws DomainError validation_failed (bad date or zone, `to` not after `from`), period_too_long (over 366 days)
 */
export async function auditorsReport(
  db: Db,
  query: AuditorsQuery,
  config: Pick<Config, "timeZone">,
): Promise<AuditorsReport> {
  const timeZone = resolveTimeZone(query.tz, config.timeZone);
  const period = scorecardPeriod(query, timeZone);
  const scores = await goldScores(db, { ...period, auditor: query.auditor });
  const inQueue = query.queue === undefined ? scores : scores.filter((s) => s.queue === query.queue);
  return {
    period: periodOfInput({ ...period, timeZone }),
    confidence: query.confidence,
    method: "wilson",
    auditors: accuracyByAuditor(inQueue, query.confidence),
  };
}

/** The report as one table: a row per auditor, then per auditor and expected error type, and per queue. */
export function auditorsTable(report: AuditorsReport): Table {
  const rows: CsvValue[][] = [];
  for (const a of report.auditors) {
    const line = (
      by: string,
      value: string | null,
      c: Omit<AuditorAccuracy, "auditor" | "byErrorType" | "byQueue">,
    ) => rows.push([a.auditor, by, value, c.gold, c.correct, c.accuracy, c.lower, c.upper]);
    line("all", null, a);
    for (const t of a.byErrorType) line("errorType", t.errorType, t);
    for (const q of a.byQueue) line("queue", q.queue, q);
  }
  return { columns: ["auditor", "by", "value", "gold", "correct", "accuracy", "lower", "upper"], rows };
}
