import type { Db } from "../../db/database.ts";
import { isRuleOf, type Rule } from "../rules.ts";
import { evaluateAuditorAccuracy } from "./auditor-accuracy.ts";
import { evaluateChart } from "./chart.ts";
import type { GroupOutcome, QueryCache } from "./shared.ts";
import { evaluateThreshold } from "./threshold.ts";

/** The kinds of rule the engine evaluates over stored data (at start, on its timer, after ingests). */
export const TIMED_KINDS = ["chart", "threshold", "auditor-accuracy"] as const;
export type TimedKind = (typeof TIMED_KINDS)[number];

/**
 * One evaluation of a rule of a timed kind at `now`, through the condition's own evaluator (`cache` holds the
 * shared scans the engine prepared); no outcome for a rule of another kind.
 */
export async function evaluateTimedRule(
  db: Db,
  rule: Rule,
  defaultTimeZone: string,
  now: number,
  cache: QueryCache,
): Promise<GroupOutcome[]> {
  if (isRuleOf(rule, "chart")) return evaluateChart(db, rule, defaultTimeZone, cache);
  if (isRuleOf(rule, "threshold")) return evaluateThreshold(db, rule, now, cache);
  if (isRuleOf(rule, "auditor-accuracy")) return evaluateAuditorAccuracy(db, rule, now);
  return [];
}
