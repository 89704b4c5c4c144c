import { accuracyByAuditor } from "../../auditors/accuracy.ts";
import type { Db } from "../../db/database.ts";
import { goldScores } from "../../db/gold.ts";
import type { Rule } from "../rules.ts";
import { DAY_MS, type GroupOutcome, pct } from "./shared.ts";

/**
 * Auditor-accuracy condition (issue 16): per auditor, the latest verdicts on gold slots recorded in the last
 * `window.days` × 24 h, scored against the known answers (as GET /v1/auditors). Auditors with fewer than
 * `minGold` of them are not evaluated; one breaches when the upper end of the two-sided Wilson interval at
 * `confidence` is below `below` — the evidence says the auditor is worse than `below`, not merely that its
 * observed accuracy is. `asOf`: as evaluated at a past `now`, on the verdicts recorded before it (the preview).
 */
export async function evaluateAuditorAccuracy(
  db: Db,
  rule: Rule<"auditor-accuracy">,
  now: number,
  asOf = false,
): Promise<GroupOutcome[]> {
  const { condition } = rule;
  const fromMs = now - condition.window.days * DAY_MS;
  const scores = await goldScores(db, { fromMs, toMs: asOf ? now : undefined });
  const inScope =
    rule.scope.queue === undefined ? scores : scores.filter((s) => s.queue === rule.scope.queue);
  const outcomes: GroupOutcome[] = [];
  for (const auditor of accuracyByAuditor(inScope, condition.confidence)) {
    if (auditor.gold < condition.minGold) continue;
    const breach = auditor.upper < condition.below;
    const params = new URLSearchParams({
      auditor: auditor.auditor,
      from: new Date(fromMs).toISOString(),
      confidence: String(condition.confidence),
    });
    if (rule.scope.queue !== undefined) params.set("queue", rule.scope.queue);
    outcomes.push({
      labels: { auditor: auditor.auditor },
      breach,
      value: auditor.accuracy,
      threshold: condition.below,
      signal: null,
      evidence: {
        kind: "auditor-accuracy",
        breach,
        window: {
          days: condition.window.days,
          from: new Date(fromMs).toISOString(),
          to: new Date(now).toISOString(),
        },
        gold: auditor.gold,
        correct: auditor.correct,
        accuracy: auditor.accuracy,
        interval: {
          method: "wilson",
          confidence: condition.confidence,
          lower: auditor.lower,
          upper: auditor.upper,
        },
        below: condition.below,
        minGold: condition.minGold,
        byErrorType: auditor.byErrorType,
      },
      link: `/v1/auditors?${params}`,
      summary: `${rule.name} [auditor=${auditor.auditor}]: accuracy on gold ${pct(auditor.accuracy)} (${auditor.correct}/${auditor.gold}) over ${condition.window.days} day(s); ${condition.confidence * 100}% Wilson upper bound ${pct(auditor.upper)} ${breach ? "is below" : "is not below"} ${pct(condition.below)}`,
    });
  }
  return outcomes;
}
