import type { ChartConditionT } from "../rules.ts";
import { normaliseBernoulli, type StoredBernoulliDesign } from "./bernoulli.ts";
import {
  normaliseTimeWeighted,
  type StoredCusumDesign,
  type StoredEwmaDesign,
} from "./time-weighted-design.ts";

/** What a design reads of a chart condition, as sent or as stored: its type and its design fields. */
export type DesignedCondition = Pick<ChartConditionT, "type" | "ewma" | "cusum" | "bernoulli">;

/** The designs a chart condition stores: one at most, that of its type. */
export interface ChartDesigns {
  ewma?: StoredEwmaDesign;
  cusum?: StoredCusumDesign;
  bernoulli?: StoredBernoulliDesign;
}

/**
 * The stored design of a chart condition (issue 16: alert rules store the design): EWMA (λ, L) and CUSUM
 * (k, h) with their ARLs in periods, the Bernoulli CUSUM (p₀, p₁, h) with its ARLs in audits; defaults, and L or
 * h from a target ARL₀, filled in. Runs as the compute task `alert-rule-design` (10–250 ms of Markov chains)
 * for POST and PATCH /v1/alert-rules, and inside the preview's task.
 * @throws {DomainError} 400 validation_failed naming `condition.ewma`, `condition.cusum`, `condition.bernoulli`
 *   or one of their fields
 */
export function designChartCondition(condition: DesignedCondition): ChartDesigns {
  const bernoulli = normaliseBernoulli(condition);
  return { ...normaliseTimeWeighted(condition), ...(bernoulli ? { bernoulli } : {}) };
}

/** The condition with its design computed by `design` (the compute pool's task, or inline). */
export async function withChartDesign<C extends { kind: string }>(
  condition: C,
  design: (condition: DesignedCondition) => ChartDesigns | Promise<ChartDesigns>,
): Promise<C> {
  if (condition.kind !== "chart") return condition;
  return { ...condition, ...(await design(condition as unknown as DesignedCondition)) };
}
