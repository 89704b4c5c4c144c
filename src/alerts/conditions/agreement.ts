import type { AgreementResult } from "../../../stats/agreement/index.ts";
import type { AgreementConditionT, Rule } from "../rules.ts";
import type { GroupOutcome } from "./shared.ts";

/**
 * Agreement conditions: a coefficient of a calibration session that has just closed.
 */

export interface ClosedSession {
  id: string;
  name: string;
  closedAt: string | null;
}

/** The coefficient an agreement rule watches, or null when undefined for the session. */
export function agreementValue(result: AgreementResult, statistic: AgreementConditionT["statistic"]) {
  if (statistic === "fleiss")
    return { value: result.fleiss.kappa, lower: result.fleiss.lower, upper: result.fleiss.upper };
  if (statistic === "ac1")
    return { value: result.gwet.ac1, lower: result.gwet.lower, upper: result.gwet.upper };
  return { value: result.krippendorff.alpha, lower: null, upper: null };
}

const STATISTIC_NAMES = { fleiss: "Fleiss' kappa", ac1: "Gwet's AC1", alpha: "Krippendorff's alpha" };

/**
 * Agreement condition, evaluated when a calibration session closes: breaches when the coefficient is below
 * `below`. An undefined coefficient (e.g. every rating in one category) is no evidence either way: the
 * rule is not evaluated for that session (null).
 */
export function evaluateAgreement(
  rule: Rule<"agreement">,
  session: ClosedSession,
  result: AgreementResult,
): GroupOutcome[] | null {
  const { condition } = rule;
  const { value, lower, upper } = agreementValue(result, condition.statistic);
  if (value === null) return null;
  const breach = value < condition.below;
  return [
    {
      labels: {},
      breach,
      value,
      threshold: condition.below,
      signal: null,
      evidence: {
        kind: "agreement",
        breach,
        statistic: condition.statistic,
        value,
        interval: { lower, upper, confidence: result.confidence },
        below: condition.below,
        calibration: session,
        items: result.items,
        raters: result.raters,
        percentAgreement: result.percentAgreement,
      },
      link: `/v1/calibrations/${encodeURIComponent(session.id)}/report`,
      summary: `${rule.name}: ${STATISTIC_NAMES[condition.statistic]} ${value.toFixed(3)} in calibration "${session.name}" ${breach ? "is below" : "is at or above"} ${condition.below}`,
    },
  ];
}
