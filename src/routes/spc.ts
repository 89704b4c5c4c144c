import { z } from "@hono/zod-openapi";
import { MAX_BERNOULLI_M, MAX_BERNOULLI_TARGET_ARL0 } from "../../stats/spc/bernoulli-cusum.ts";
import { CHART_TYPES, TIME_WEIGHTED_BASES } from "../../stats/spc/chart-types.ts";
import { MAX_FUNNEL_UNITS } from "../../stats/spc/funnel.ts";
import { route } from "../http/auth.ts";
import { computeOf } from "../http/env.ts";
import { countSchema, MAX_COUNT, MAX_LABEL_LENGTH, MAX_MAGNITUDE, sizeSchema } from "../http/limits.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, openUnit } from "../http/schemas.ts";
import { funnelShapeFields, funnelUnitFields } from "./funnel-schemas.ts";

/*
 * The zod schemas here check types, shapes and the documented limits (docs/limits.md), so malformed bodies get
 * per-field 400s and the OpenAPI document describes the routes; range and consistency checks that need the whole
 * series or the chart type (integer counts and count ≤ n for p types, equal n for np, baseline inside the series,
 * ...) are done by the stats functions, which name the field in their error.
 */
const MAX_POINTS = 1_000_000;
/** A point index: 0 to MAX_POINTS − 1 (the statistics check it is inside the series). */
const pointIndex = z
  .number()
  .int()
  .min(0)
  .max(MAX_POINTS - 1);
/** A measurement, centre or standard in the chart's units: |x| ≤ MAX_MAGNITUDE. */
const magnitude = z.number().min(-MAX_MAGNITUDE).max(MAX_MAGNITUDE);
/** Multipliers in standard deviations: the same limits as the stored charts' query (GET /v1/charts). */
const sdMultiple = (max: number) => z.number().max(max);

const Point = z.object({
  count: magnitude.openapi({
    description:
      "Errors (p, np), defects (c, u): integers ≥ 0; or the measurement (individual base). |count| ≤ 10¹²",
  }),
  n: z
    .number()
    .max(MAX_COUNT)
    .optional()
    .openapi({ description: "Subgroup size (p, np) or inspection units (u), ≤ 10¹²" }),
  label: z.string().max(MAX_LABEL_LENGTH).nullish(),
});
const TimeWeightedBase = z.enum(TIME_WEIGHTED_BASES);

/** Largest decision interval h of a Bernoulli CUSUM (the states H = m·h are also capped by the statistics). */
const MAX_BERNOULLI_H = 1000;
/** The Bernoulli CUSUM's design fields: POST /v1/chart's `bernoulli`, GET /v1/charts' query, alert rules. */
export const bernoulliDesignFields = {
  p0: z.number().gt(0).lt(1).openapi({
    description: "In-control error rate p₀ in (0, 1); default `standard`, else Σcount/Σn over the baseline",
  }),
  p1: z.number().gt(0).lt(1).openapi({ description: "Error rate p₁ in (p₀, 1) to detect" }),
  oddsRatio: z.number().gt(1).max(1e6).openapi({
    description: "Instead of p1: p₁ = OR·p₀/(1 − p₀ + OR·p₀); default 2 when p1 is absent",
  }),
  h: z.number().gt(0).max(MAX_BERNOULLI_H).openapi({
    description: "Decision interval h (rounded up to a multiple of γ = 1/m); signal when B ≥ h",
  }),
  targetArl0: z.number().min(1).max(MAX_BERNOULLI_TARGET_ARL0).openapi({
    description:
      "Instead of h: the smallest h on the grid of 1/m whose zero-state in-control ARL is at least this many items (default 10,000)",
  }),
  m: z.number().int().min(2).max(MAX_BERNOULLI_M).openapi({
    description: "γ = 1/m; default round(1/γ*) for the likelihood-ratio reference value γ*",
  }),
};
const BernoulliOptions = z
  .object({
    p0: bernoulliDesignFields.p0.optional(),
    p1: bernoulliDesignFields.p1.optional(),
    oddsRatio: bernoulliDesignFields.oddsRatio.optional(),
    h: bernoulliDesignFields.h.optional(),
    targetArl0: bernoulliDesignFields.targetArl0.optional(),
    m: bernoulliDesignFields.m.optional(),
  })
  .openapi({
    description:
      "Bernoulli CUSUM (Reynolds & Stoumbos 1999, γ rounded to 1/m): points of n = 1 are items, points of n > 1 periods taken together",
  });

const ChartRequest = z
  .object({
    type: z.enum(CHART_TYPES),
    points: z.array(Point).min(1).max(MAX_POINTS),
    baseline: z.object({ from: pointIndex, to: pointIndex }).optional(),
    exclude: z.array(pointIndex).max(MAX_POINTS).optional(),
    phases: z.array(pointIndex).max(MAX_POINTS).optional(),
    standard: magnitude.optional(),
    sigma: sdMultiple(10).gt(0).optional(),
    rules: z
      .union([z.enum(["western-electric", "nelson", "none"]), z.array(z.string().max(100)).max(100)])
      .optional(),
    ewma: z
      .object({
        lambda: z.number().gt(0).max(1).optional(),
        L: sdMultiple(10).gt(0).optional(),
        base: TimeWeightedBase.optional(),
        mean: magnitude.optional(),
        sd: z.number().gt(0).max(MAX_MAGNITUDE).optional(),
      })
      .optional(),
    cusum: z
      .object({
        k: sdMultiple(10).min(0).optional(),
        h: sdMultiple(100).gt(0).optional(),
        base: TimeWeightedBase.optional(),
        mean: magnitude.optional(),
        sd: z.number().gt(0).max(MAX_MAGNITUDE).optional(),
      })
      .optional(),
    bernoulli: BernoulliOptions.optional(),
  })
  .openapi("ChartRequest");

const ChartPoint = z.object({
  index: z.number().int(),
  label: z.string().nullable().openapi({ description: "The input label, or null when none was given" }),
  phase: z.number().int().openapi({ description: "0-based phase number" }),
  value: z.number().nullable().openapi({
    description:
      "The plotted value: count/n (p, u, laney-p, laney-u), count (np, c), the EWMA statistic (ewma), the standardised observation z (cusum; null where z is undefined), or the CUSUM B after the point (bernoulli-cusum; compare with ucl = h)",
  }),
  center: z.number(),
  lcl: z.number(),
  ucl: z.number(),
  sigma: z.number().openapi({ description: "The point's standard error in the units of `value`" }),
  z: z.number().nullable().openapi({ description: "(value − center)/sigma; null when sigma = 0" }),
  signals: z.array(z.string()),
  inEstimate: z.boolean().openapi({ description: "Used to estimate its phase's centre and limits" }),
  observed: z.number().optional().openapi({ description: "EWMA and CUSUM: the raw observation" }),
  baseCenter: z.number().optional().openapi({ description: "CUSUM: the centre of the base chart" }),
  baseSigma: z.number().optional().openapi({ description: "CUSUM: the base standard error" }),
  cusumUpper: z.number().optional().openapi({ description: "CUSUM: C⁺ after this point, in σ units" }),
  cusumLower: z.number().optional().openapi({ description: "CUSUM: C⁻ after this point, in σ units" }),
  runLength: z.number().optional().openapi({
    description:
      "Bernoulli CUSUM: items since the last restart (start or the point after a signal), this one's included",
  }),
});
const BernoulliDesign = z
  .object({
    variant: z.literal("reynolds-stoumbos-1/m"),
    p0: z.number(),
    p0Source: z.enum(["option", "standard", "estimate"]),
    p1: z.number(),
    oddsRatio: z.number(),
    gammaExact: z.number().openapi({ description: "The likelihood-ratio reference value γ*" }),
    gamma: z.number().openapi({ description: "The reference value used, 1/m" }),
    m: z.number().int(),
    h: z.number(),
    states: z.number().int().openapi({ description: "Markov-chain states H = m·h" }),
    arl0: z.number().openapi({ description: "Zero-state ARL at p₀, in items (exact Markov chain)" }),
    arl1: z.number().openapi({ description: "Zero-state ARL at p₁, in items" }),
    targetArl0: z.number().optional(),
    steps: z.enum(["item", "period"]).openapi({
      description: "item: every point is one item; period: points of several items taken together",
    }),
  })
  .openapi("BernoulliCusumDesign");
const ChartOverdispersion = z.object({
  ratio: z.number().nullable().openapi({ description: "Σzᵢ²/df over the baseline; null when undefined" }),
  p: z.number().nullable(),
  statistic: z.number().nullable(),
  df: z.number(),
  note: z.string(),
});
const ChartPhase = z.object({
  phase: z.number().int(),
  from: z.number().int(),
  to: z.number().int(),
  center: z.number(),
  centerSource: z.enum(["estimate", "standard"]),
  estimatedFrom: z.number().int(),
  sigmaZ: z.number().nullable().optional().openapi({ description: "Laney charts: σ_z" }),
  processSd: z.number().optional(),
  overdispersion: ChartOverdispersion.optional(),
});
/** The fields of a computed chart; GET /v1/charts answers with them too (src/routes/reports.ts). */
export const chartFields = {
  type: z.enum(CHART_TYPES),
  points: z.array(ChartPoint),
  signals: z.array(z.object({ index: z.number().int(), label: z.string().nullable(), rule: z.string() })),
  overdispersion: ChartOverdispersion.optional(),
  phases: z.array(ChartPhase),
  sigmaMultiplier: z.number(),
  rules: z.array(z.string()),
  baseline: z.object({ from: z.number().int(), to: z.number().int() }),
  exclude: z.array(z.number().int()),
  ewma: z.object({ lambda: z.number(), L: z.number(), base: TimeWeightedBase }).optional(),
  cusum: z.object({ k: z.number(), h: z.number(), base: TimeWeightedBase }).optional(),
  bernoulliCusum: BernoulliDesign.optional(),
  notes: z.array(z.string()),
};
const ChartResult = z.object(chartFields).openapi("ChartResult");

const FunnelRequest = z
  .object({
    units: z
      .array(
        z.object({
          key: z.union([z.string().max(MAX_LABEL_LENGTH), z.number()]),
          count: countSchema("Errors of the unit"),
          // n's limit (≤ 10¹²) is checked by the statistics (stats/spc/funnel.ts), which own the exact limits.
          n: z.number().openapi({ description: "Items audited in the unit: an integer from 1 to 10¹²" }),
        }),
      )
      .min(1)
      .max(MAX_FUNNEL_UNITS),
    target: z.number().gt(0).lt(1).optional(),
    limits: z.array(z.number().gt(0).lt(1)).min(1).max(10).optional(),
    method: z.enum(["exact", "normal"]).optional(),
    overdispersion: z.enum(["none", "multiplicative"]).optional(),
    gridPoints: z.number().int().min(2).max(10_000).optional(),
  })
  .openapi("FunnelRequest");

const FunnelResult = z
  .object({ target: z.number(), ...funnelShapeFields, units: z.array(z.object(funnelUnitFields)) })
  .openapi("FunnelResult");

const Proportion = z.object({ count: countSchema("Errors"), n: sizeSchema("Items audited") });
const CompareRequest = z
  .object({ a: Proportion, b: Proportion, confidence: openUnit("Confidence level, default 0.95").optional() })
  .openapi("CompareRequest");
const ComparedProportion = z.object({ count: z.number(), n: z.number(), proportion: z.number() });
const CompareResult = z
  .object({
    difference: z.number(),
    lower: z.number(),
    upper: z.number(),
    z: z.number().nullable(),
    p: z.number().nullable(),
    fisherP: z.number().nullable(),
    fisherUndefinedReason: z.string().optional(),
    undefinedReason: z.string().optional(),
    a: ComparedProportion,
    b: ComparedProportion,
    confidence: z.number(),
  })
  .openapi("CompareResult");

export const spcRouter = createRouter()
  .openapi(
    route("calculator", {
      method: "post",
      path: "/v1/chart",
      operationId: "computeChart",
      tags: ["charts"],
      summary:
        "Control chart (p, np, c, u, Laney p′/u′, EWMA, CUSUM, Bernoulli CUSUM) with Western Electric or Nelson run rules",
      request: { body: jsonBody(ChartRequest) },
      responses: {
        200: jsonResponse(ChartResult, "Points with centre, limits and signals"),
        ...errorResponses(400, 422),
      },
    }),
    async (c) => c.json(await computeOf(c.get("deps")).run("chart", c.req.valid("json")), 200),
  )
  .openapi(
    route("calculator", {
      method: "post",
      path: "/v1/funnel",
      operationId: "computeFunnel",
      tags: ["charts"],
      summary: "Funnel plot (Spiegelhalter 2005): compare units of different volumes against a target",
      request: { body: jsonBody(FunnelRequest) },
      responses: {
        200: jsonResponse(FunnelResult, "Units with rate, z and band, and the limit curves"),
        ...errorResponses(400, 422),
      },
    }),
    async (c) => c.json(await computeOf(c.get("deps")).run("funnel", c.req.valid("json")), 200),
  )
  .openapi(
    route("calculator", {
      method: "post",
      path: "/v1/compare",
      operationId: "compareRates",
      tags: ["charts"],
      summary:
        "Before/after: difference of two proportions (Newcombe interval, pooled z test, Fisher's exact p)",
      request: { body: jsonBody(CompareRequest) },
      responses: {
        200: jsonResponse(CompareResult, "b − a with its interval and tests"),
        ...errorResponses(400, 422),
      },
    }),
    async (c) => c.json(await computeOf(c.get("deps")).run("compare", c.req.valid("json")), 200),
  );
