import { z } from "@hono/zod-openapi";
import { StatsInputError, StatsTooExpensiveError } from "../../../stats/errors.ts";
import { chartDesign, CHART_DESIGN_LIMITS as LIMITS } from "../../../stats/spc/chart-design.ts";
import { invalidField } from "../../errors.ts";

/*
 * The EWMA and CUSUM designs an alert rule stores (issue 16: "alert rules store the design"): the chart's
 * parameters as sent (λ and L, k and h, or a target ARL₀ instead of L or h) and the ARLs the service computed
 * for them with POST /v1/chart-design's Markov chain, on standardised normal data with the asymptotic EWMA
 * limits (Lucas & Saccucci 1990), in periods of the rule's interval. A rule's chart re-estimates its centre from
 * its baseline periods and draws exact time-varying EWMA limits from the start of its window, so the ARLs are
 * the design's, not a promise about the rule's own false-alarm rate: they say how the chart was tuned.
 */

/** The chart()'s defaults (stats/spc/chart-types.ts): a rule without a design is evaluated with these. */
const EWMA_DEFAULTS = { lambda: 0.2, L: 3 };
const CUSUM_DEFAULT_H = 5;
const DEFAULT_SHIFT = 1;

const shift = z
  .number()
  .gt(0)
  .max(LIMITS.shiftMax)
  .optional()
  .openapi({
    description: `The shift to detect in σ of one period's proportion, (0, ${LIMITS.shiftMax}], default 1: arl1 is the ARL after it`,
  });
const targetArl0 = z.number().min(LIMITS.targetArl0Min).max(LIMITS.targetArl0Max).optional();
const computed = {
  arl0: z.number().optional().openapi({
    description: "Set by the service: in-control ARL in periods (any value sent is replaced)",
  }),
  arl1: z.number().optional().openapi({
    description: "Set by the service: ARL in periods after a shift of `shift` σ (any value sent is replaced)",
  }),
};

export const EwmaRuleDesign = z
  .object({
    lambda: z
      .number()
      .min(LIMITS.lambdaMin)
      .max(1)
      .optional()
      .openapi({ description: "Smoothing weight λ, default 0.2" }),
    L: z.number().gt(0).max(LIMITS.LMax).optional().openapi({
      description: "Limit width in σ of the EWMA statistic; default 3, or derived from targetArl0",
    }),
    targetArl0: targetArl0.openapi({
      description:
        "Instead of L: the in-control ARL in periods to reach (L is derived from it; an L sent is replaced)",
    }),
    shift,
    ...computed,
  })
  .strict()
  .openapi("AlertEwmaDesign", {
    description:
      "Design of an ewma chart condition; stored with L, shift and the ARLs filled in. Refused with the other chart types.",
  });

export const CusumRuleDesign = z
  .object({
    k: z.number().min(0).max(LIMITS.kMax).optional().openapi({
      description: "Reference value in σ; default half the shift",
    }),
    h: z.number().gt(0).max(LIMITS.hMax).optional().openapi({
      description: "Decision interval in σ; default 5, or derived from targetArl0",
    }),
    targetArl0: targetArl0.openapi({
      description:
        "Instead of h: the in-control ARL in periods to reach (h is derived from it; an h sent is replaced)",
    }),
    shift,
    ...computed,
  })
  .strict()
  .openapi("AlertCusumDesign", {
    description:
      "Design of a cusum chart condition; stored with k, h, shift and the ARLs filled in. Refused with the other chart types.",
  });

type EwmaDesignT = z.infer<typeof EwmaRuleDesign>;
type CusumDesignT = z.infer<typeof CusumRuleDesign>;

export interface StoredEwmaDesign {
  lambda: number;
  L: number;
  targetArl0?: number;
  shift: number;
  arl0: number;
  arl1: number;
}
export interface StoredCusumDesign {
  k: number;
  h: number;
  targetArl0?: number;
  shift: number;
  arl0: number;
  arl1: number;
}

/** Runs the design, turning the statistics' errors into a 400 naming `condition.<type>.<field>`. */
function designed(type: "ewma" | "cusum", input: Parameters<typeof chartDesign>[0]) {
  try {
    return chartDesign(input);
  } catch (error) {
    if (error instanceof StatsInputError || error instanceof StatsTooExpensiveError) {
      throw invalidField(`condition.${type}${error.field ? `.${error.field}` : ""}`, error.message);
    }
    throw error;
  }
}

/**
 * Checks a chart condition's `ewma` and `cusum` against its type and computes the stored design (defaults
 * filled in, L or h from a target when one is given: recomputed whenever a target is present, replacing an L or
 * h sent with it, so normalising a stored rule again gives the same rule). About 10–50 ms per design (bench/chart-design.bench.ts).
 * @throws {DomainError} 400 validation_failed naming `condition.ewma`, `condition.cusum` or one of their fields
 */
export function normaliseTimeWeighted(condition: {
  type: string;
  ewma?: EwmaDesignT;
  cusum?: CusumDesignT;
}): { ewma?: StoredEwmaDesign; cusum?: StoredCusumDesign } {
  for (const type of ["ewma", "cusum"] as const) {
    if (condition.type !== type && condition[type] !== undefined)
      throw invalidField(`condition.${type}`, `applies only to type ${type}`);
  }
  if (condition.type === "ewma") {
    const sent = condition.ewma ?? {};
    const lambda = sent.lambda ?? EWMA_DEFAULTS.lambda;
    const shiftSigma = sent.shift ?? DEFAULT_SHIFT;
    const L = sent.targetArl0 === undefined ? (sent.L ?? EWMA_DEFAULTS.L) : undefined;
    const result = designed("ewma", {
      type: "ewma",
      lambda,
      L,
      targetArl0: sent.targetArl0,
      shift: shiftSigma,
    });
    return {
      ewma: {
        lambda,
        L: result.L!,
        ...(sent.targetArl0 === undefined ? {} : { targetArl0: sent.targetArl0 }),
        shift: shiftSigma,
        arl0: result.arl0,
        arl1: result.arl1,
      },
    };
  }
  if (condition.type === "cusum") {
    const sent = condition.cusum ?? {};
    const shiftSigma = sent.shift ?? DEFAULT_SHIFT;
    const h = sent.targetArl0 === undefined ? (sent.h ?? CUSUM_DEFAULT_H) : undefined;
    const result = designed("cusum", {
      type: "cusum",
      k: sent.k,
      h,
      targetArl0: sent.targetArl0,
      shift: shiftSigma,
    });
    return {
      cusum: {
        k: result.k!,
        h: result.h!,
        ...(sent.targetArl0 === undefined ? {} : { targetArl0: sent.targetArl0 }),
        shift: shiftSigma,
        arl0: result.arl0,
        arl1: result.arl1,
      },
    };
  }
  return {};
}
