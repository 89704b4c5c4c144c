import { z } from "@hono/zod-openapi";
import { CHART_DESIGN_LIMITS as LIMITS } from "../../stats/spc/chart-design.ts";
import { route } from "../http/auth.ts";
import { computeOf } from "../http/env.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, openUnit } from "../http/schemas.ts";

/*
 * POST /v1/chart-design: the ARLs of an EWMA or CUSUM chart, or its L or h for a target ARL₀. The schema checks
 * types and each input's range (docs/limits.md); which fields go together (L or targetArl0, shift or p0/n/p1,
 * the type's own parameters) is checked by stats/spc/chart-design.ts, which names the field.
 */
const ChartDesignRequest = z
  .object({
    type: z.enum(["ewma", "cusum"]).openapi({ description: "Two-sided EWMA (λ, L) or tabular CUSUM (k, h)" }),
    lambda: z
      .number()
      .min(LIMITS.lambdaMin)
      .max(1)
      .optional()
      .openapi({ description: `EWMA: smoothing weight λ, ${LIMITS.lambdaMin} to 1 (required for ewma)` }),
    L: z
      .number()
      .gt(0)
      .max(LIMITS.LMax)
      .optional()
      .openapi({
        description: `EWMA: limit width in σ of the EWMA statistic, (0, ${LIMITS.LMax}]; or give targetArl0`,
      }),
    limits: z.enum(["asymptotic", "time-varying"]).optional().openapi({
      description:
        "EWMA: limits at the asymptotic σ_z (Lucas & Saccucci's tables; default) or the exact time-varying limits the product's charts draw",
    }),
    k: z
      .number()
      .min(0)
      .max(LIMITS.kMax)
      .optional()
      .openapi({ description: `CUSUM: reference value in σ, 0 to ${LIMITS.kMax}; default half the shift` }),
    h: z
      .number()
      .gt(0)
      .max(LIMITS.hMax)
      .optional()
      .openapi({ description: `CUSUM: decision interval in σ, (0, ${LIMITS.hMax}]; or give targetArl0` }),
    targetArl0: z
      .number()
      .min(LIMITS.targetArl0Min)
      .max(LIMITS.targetArl0Max)
      .optional()
      .openapi({ description: "Instead of L (EWMA) or h (CUSUM): the in-control ARL to reach, 2 to 10⁶" }),
    shift: z
      .number()
      .min(-LIMITS.shiftMax)
      .max(LIMITS.shiftMax)
      .optional()
      .openapi({ description: "Normal data: the shift to detect, in σ of one observation, −10 to 10" }),
    p0: openUnit("Binomial data: the in-control error rate (the chart's centre)").optional(),
    n: z
      .number()
      .int()
      .min(1)
      .max(LIMITS.nMax)
      .optional()
      .openapi({ description: `Binomial data: the subgroup size (audits per period), 1 to ${LIMITS.nMax}` }),
    p1: openUnit("Binomial data: the out-of-control error rate to detect").optional(),
    tolerance: z.number().min(1e-5).max(0.01).optional().openapi({
      description:
        "Relative change between chain refinements at which the ARLs count as converged, 1e-5 to 0.01 (default 1e-4); a coarser one stops at a smaller chain",
    }),
  })
  .openapi("ChartDesignRequest");

const ChartDesignResult = z
  .object({
    type: z.enum(["ewma", "cusum"]),
    data: z.enum(["normal", "binomial"]).openapi({
      description:
        "normal: standardised N(0, 1) observations; binomial: the standardised subgroup proportion (X/n − p₀)/√(p₀(1 − p₀)/n) the p-based charts plot",
    }),
    lambda: z.number().optional(),
    L: z.number().optional().openapi({ description: "EWMA: the limit width given or solved" }),
    limits: z.enum(["asymptotic", "time-varying"]).optional(),
    k: z.number().optional().openapi({ description: "CUSUM: the reference value given or defaulted" }),
    h: z.number().optional().openapi({ description: "CUSUM: the decision interval given or solved" }),
    shift: z.number().openapi({ description: "The shift in σ of one observation (binomial: (p₁ − p₀)/σ₀)" }),
    p0: z.number().optional(),
    n: z.number().optional(),
    p1: z.number().optional(),
    arl0: z.number().openapi({ description: "In-control average run length (points to a false alarm)" }),
    arl1: z.number().openapi({ description: "Average run length after the shift (points to detection)" }),
    states: z.number().int().openapi({ description: "Transient states of the finest Markov chain used" }),
    change: z.number().openapi({
      description:
        "Largest change of an ARL from the previous refinement, relative (to 10 points for ARLs under 10)",
    }),
    converged: z.boolean().openapi({ description: "change < tolerance" }),
    tolerance: z.number().openapi({ description: "The tolerance `converged` was judged by" }),
    extrapolation: z.enum(["richardson", "chain"]).openapi({
      description: "richardson: extrapolated from the last two chains (normal data); chain: the finest chain",
    }),
    kDefaulted: z
      .boolean()
      .optional()
      .openapi({ description: "CUSUM: k was not given; half the shift was used" }),
    solved: z
      .object({
        parameter: z.enum(["L", "h"]),
        targetArl0: z.number(),
        tolerance: z.number().openapi({ description: "Relative tolerance on ARL₀" }),
        evaluations: z.number().int(),
      })
      .optional(),
    method: z.literal("markov-chain"),
    notes: z.array(z.string()),
  })
  .openapi("ChartDesignResult");

export const chartDesignRouter = createRouter().openapi(
  route("calculator", {
    method: "post",
    path: "/v1/chart-design",
    operationId: "designChart",
    tags: ["charts"],
    summary:
      "EWMA or CUSUM design by average run length (Markov chain, Brook & Evans 1972; Lucas & Saccucci 1990): ARL₀ and ARL₁, or L or h for a target ARL₀",
    request: { body: jsonBody(ChartDesignRequest) },
    responses: {
      200: jsonResponse(ChartDesignResult, "ARL₀, ARL₁, the chain's states and convergence"),
      ...errorResponses(400, 422),
    },
  }),
  async (c) => c.json(await computeOf(c.get("deps")).run("chart-design", c.req.valid("json")), 200),
);
