import { z } from "@hono/zod-openapi";
import { StatsInputError } from "../../../stats/errors.ts";
import { bernoulliCusumDesign, MAX_BERNOULLI_TARGET_ARL0 } from "../../../stats/spc/bernoulli-cusum.ts";
import type { ChartPointResult } from "../../../stats/spc/index.ts";
import { invalidField } from "../../errors.ts";

/*
 * The Bernoulli CUSUM as an alert-rule chart type (issue 16): the design a rule stores, its normalisation, and
 * what the chart evaluator passes to chart() and shows. Evaluated like the other chart conditions: per group,
 * the periods of the rule's window (baseline periods and the latest) in order, the CUSUM starting at 0 at the
 * window's first period and restarting after each signal; the rule breaches when the latest period signals.
 */

/** Largest h of a rule: the limit of GET /v1/charts' `h`, so that the alert's link redraws the same chart. */
const MAX_RULE_H = 100;

/** The `bernoulli` field of a chart condition: the design as sent, and as stored (h and ARLs filled in). */
export const BernoulliRuleDesign = z
  .object({
    p0: z.number().gt(0).lt(1).openapi({ description: "In-control error rate p₀" }),
    p1: z.number().gt(0).lt(1).optional().openapi({ description: "Error rate p₁ > p₀ to detect" }),
    oddsRatio: z.number().gt(1).max(1e6).optional().openapi({
      description: "Instead of p1: p₁ = OR·p₀/(1 − p₀ + OR·p₀); default 2. Stored as p1.",
    }),
    h: z.number().gt(0).max(MAX_RULE_H).optional().openapi({
      description:
        "Decision interval (rounded up to a multiple of γ = 1/m); derived from targetArl0 when that is given",
    }),
    targetArl0: z.number().min(1).max(MAX_BERNOULLI_TARGET_ARL0).optional().openapi({
      description:
        "Instead of h: the in-control ARL in audits (zero-state; the smallest h on the grid reaching it). Default 10,000 when neither is given",
    }),
    arl0: z.number().optional().openapi({
      description: "Set by the service: zero-state ARL at p₀ in audits (any value sent is replaced)",
    }),
    arl1: z.number().optional().openapi({
      description: "Set by the service: zero-state ARL at p₁ in audits (any value sent is replaced)",
    }),
  })
  .strict()
  .openapi("AlertBernoulliDesign", {
    description:
      "Design of a bernoulli-cusum chart condition (Reynolds & Stoumbos 1999, γ rounded to 1/m): required with that type, refused with the others",
  });
export type BernoulliRuleDesignT = z.infer<typeof BernoulliRuleDesign>;

/** The stored design: p₁, h and the ARLs always present. */
export interface StoredBernoulliDesign {
  p0: number;
  p1: number;
  h: number;
  targetArl0?: number;
  arl0: number;
  arl1: number;
}

/**
 * Checks a chart condition's `bernoulli` against its type and computes the stored design: p₁ from the odds
 * ratio, h from the target ARL₀ (recomputed whenever a target is present, so normalising a stored rule again
 * gives the same rule), and the zero-state ARLs. Undefined for the other chart types.
 * @throws {DomainError} 400 validation_failed naming `condition.bernoulli` or `condition.bernoulli.<field>`
 */
export function normaliseBernoulli(condition: {
  type: string;
  bernoulli?: BernoulliRuleDesignT;
}): StoredBernoulliDesign | undefined {
  const design = condition.bernoulli;
  if (condition.type !== "bernoulli-cusum") {
    if (design !== undefined)
      throw invalidField("condition.bernoulli", "applies only to type bernoulli-cusum");
    return undefined;
  }
  if (design === undefined) {
    throw invalidField(
      "condition.bernoulli",
      "a bernoulli-cusum condition needs its design: p0, and p1 or oddsRatio, h or targetArl0",
    );
  }
  const { p0, p1, oddsRatio, targetArl0 } = design;
  const h = targetArl0 === undefined ? design.h : undefined;
  try {
    const computed = bernoulliCusumDesign({ p0, p1, oddsRatio, h, targetArl0 });
    if (computed.h > MAX_RULE_H) {
      throw invalidField("condition.bernoulli.targetArl0", `gives h = ${computed.h}, above ${MAX_RULE_H}`);
    }
    return {
      p0,
      p1: computed.p1,
      h: computed.h,
      ...(computed.targetArl0 === undefined ? {} : { targetArl0: computed.targetArl0 }),
      arl0: computed.arl0,
      arl1: computed.arl1,
    };
  } catch (error) {
    if (error instanceof StatsInputError) {
      throw invalidField(`condition.bernoulli.${error.field ?? ""}`.replace(/\.$/, ""), error.message);
    }
    throw error;
  }
}

/** The `bernoulli` option of chart() for a stored condition (its p₀, p₁ and h). */
export function bernoulliChartOptions(condition: { type: string; bernoulli?: BernoulliRuleDesignT }) {
  const design = condition.bernoulli;
  if (condition.type !== "bernoulli-cusum" || !design) return undefined;
  return { p0: design.p0, p1: design.p1, h: design.h };
}

/** The query of GET /v1/charts that redraws the rule's chart (p0, p1 and h, or the target h came from). */
export function bernoulliLinkParams(condition: {
  type: string;
  bernoulli?: BernoulliRuleDesignT;
}): [string, string][] {
  const design = condition.bernoulli;
  if (condition.type !== "bernoulli-cusum" || !design) return [];
  const params: [string, string][] = [["p0", String(design.p0)]];
  if (design.p1 !== undefined) params.push(["p1", String(design.p1)]);
  if (design.targetArl0 !== undefined) params.push(["targetArl0", String(design.targetArl0)]);
  else if (design.h !== undefined) params.push(["h", String(design.h)]);
  return params;
}

/** The summary's limits part for a Bernoulli CUSUM point: B against h and the audits since the restart. */
export function bernoulliLimitsText(point: ChartPointResult, h: number): string {
  return `B ${(point.value ?? 0).toFixed(3)}, h ${h.toFixed(3)}, ${point.runLength ?? 0} audits since the last restart`;
}
