import { z } from "@hono/zod-openapi";
import { route } from "../http/auth.ts";
import { computeOf } from "../http/env.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse } from "../http/schemas.ts";

/*
 * The zod schemas here check types and shapes (so malformed bodies get per-field 400s and the OpenAPI document
 * describes the routes); range and consistency checks that need the whole series (count ≤ n for p types, equal n
 * for np, baseline inside the series, ...) are done by the stats functions, which name the field in their error.
 */
const Point = z.object({
  count: z
    .number()
    .openapi({ description: "Errors (p, np), defects (c, u), or the measurement (individual base)" }),
  n: z.number().optional().openapi({ description: "Subgroup size (p, np) or inspection units (u)" }),
  label: z.string().max(200).nullish(),
});
const TimeWeightedBase = z.enum(["p", "u", "c", "individual"]);

const ChartRequest = z
  .object({
    type: z.enum(["p", "np", "c", "u", "laney-p", "laney-u", "ewma", "cusum"]),
    points: z.array(Point).min(1).max(1_000_000),
    baseline: z.object({ from: z.number().int(), to: z.number().int() }).optional(),
    exclude: z.array(z.number().int()).optional(),
    phases: z.array(z.number().int()).optional(),
    standard: z.number().optional(),
    sigma: z.number().gt(0).optional(),
    rules: z.union([z.enum(["western-electric", "nelson", "none"]), z.array(z.string())]).optional(),
    ewma: z
      .object({
        lambda: z.number().optional(),
        L: z.number().optional(),
        base: TimeWeightedBase.optional(),
        mean: z.number().optional(),
        sd: z.number().optional(),
      })
      .optional(),
    cusum: z
      .object({
        k: z.number().optional(),
        h: z.number().optional(),
        base: TimeWeightedBase.optional(),
        mean: z.number().optional(),
        sd: z.number().optional(),
      })
      .optional(),
  })
  .openapi("ChartRequest");

const ChartPoint = z.object({
  index: z.number().int(),
  label: z.string().nullable(),
  value: z.number().nullable(),
  center: z.number(),
  lcl: z.number(),
  ucl: z.number(),
  signals: z.array(z.string()),
});
const ChartResult = z
  .object({
    type: z.string(),
    points: z.array(ChartPoint),
    signals: z.array(z.object({ index: z.number().int(), label: z.string().nullable(), rule: z.string() })),
    overdispersion: z
      .object({ ratio: z.number().nullable(), p: z.number().nullable() })
      .passthrough()
      .optional(),
  })
  .passthrough()
  .openapi("ChartResult");

const FunnelRequest = z
  .object({
    units: z
      .array(z.object({ key: z.union([z.string(), z.number()]), count: z.number(), n: z.number() }))
      .min(1),
    target: z.number().optional(),
    limits: z.array(z.number()).optional(),
    method: z.enum(["exact", "normal"]).optional(),
    overdispersion: z.enum(["none", "multiplicative"]).optional(),
    gridPoints: z.number().int().optional(),
  })
  .openapi("FunnelRequest");

const FunnelResult = z
  .object({
    target: z.number(),
    units: z.array(
      z
        .object({
          key: z.union([z.string(), z.number()]),
          count: z.number(),
          n: z.number(),
          rate: z.number(),
          z: z.number().nullable(),
          band: z.string(),
        })
        .passthrough(),
    ),
    curves: z.array(z.object({}).passthrough()),
  })
  .passthrough()
  .openapi("FunnelResult");

const Proportion = z.object({ count: z.number(), n: z.number() });
const CompareRequest = z
  .object({ a: Proportion, b: Proportion, confidence: z.number().optional() })
  .openapi("CompareRequest");
const CompareResult = z
  .object({
    difference: z.number(),
    lower: z.number(),
    upper: z.number(),
    z: z.number().nullable(),
    p: z.number().nullable(),
    fisherP: z.number().nullable(),
  })
  .passthrough()
  .openapi("CompareResult");

export const spcRouter = createRouter()
  .openapi(
    route("calculator", {
      method: "post",
      path: "/v1/chart",
      tags: ["charts"],
      summary:
        "Control chart (p, np, c, u, Laney p′/u′, EWMA, CUSUM) with Western Electric or Nelson run rules",
      request: { body: jsonBody(ChartRequest) },
      responses: {
        200: jsonResponse(ChartResult, "Points with centre, limits and signals"),
        ...errorResponses(400),
      },
    }),
    async (c) => c.json((await computeOf(c.get("deps")).run("chart", c.req.valid("json"))) as never, 200),
  )
  .openapi(
    route("calculator", {
      method: "post",
      path: "/v1/funnel",
      tags: ["charts"],
      summary: "Funnel plot (Spiegelhalter 2005): compare units of different volumes against a target",
      request: { body: jsonBody(FunnelRequest) },
      responses: {
        200: jsonResponse(FunnelResult, "Units with rate, z and band, and the limit curves"),
        ...errorResponses(400),
      },
    }),
    async (c) => c.json((await computeOf(c.get("deps")).run("funnel", c.req.valid("json"))) as never, 200),
  )
  .openapi(
    route("calculator", {
      method: "post",
      path: "/v1/compare",
      tags: ["charts"],
      summary:
        "Before/after: difference of two proportions (Newcombe interval, pooled z test, Fisher's exact p)",
      request: { body: jsonBody(CompareRequest) },
      responses: {
        200: jsonResponse(CompareResult, "b − a with its interval and tests"),
        ...errorResponses(400),
      },
    }),
    async (c) => c.json((await computeOf(c.get("deps")).run("compare", c.req.valid("json"))) as never, 200),
  );
