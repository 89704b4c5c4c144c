import { z } from "@hono/zod-openapi";
import { allocate } from "../../stats/allocation.ts";
import { ESTIMATE_METHODS, INTERVAL_METHODS } from "../../stats/methods.ts";
import { proportionInterval } from "../../stats/proportion-interval.ts";
import { MAX_ALLOWED_ERRORS } from "../../stats/sample-size-demonstrate.ts";
import { route } from "../http/auth.ts";
import { computeOf } from "../http/env.ts";
import { countSchema, MAX_COUNT, MAX_STRATA, MAX_STRATUM_KEY_LENGTH, sizeSchema } from "../http/limits.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, openUnit } from "../http/schemas.ts";

const confidence = openUnit("Confidence level, default 0.95").optional();

const SampleSizeRequest = z
  .object({
    goal: z.enum(["estimate", "demonstrate"]).default("estimate").openapi({
      description:
        "estimate: size a sample to measure an error rate within ±margin. demonstrate: size a sample that proves the rate is below maxRate if at most allowedErrors are found.",
    }),
    confidence,
    margin: z.number().gt(0).lt(0.5).optional().openapi({ description: "Half-width wanted (estimate)" }),
    expectedRate: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .openapi({ description: "Anticipated rate, default 0.5 (estimate)" }),
    method: z.enum(ESTIMATE_METHODS).optional().openapi({
      description:
        "wald: Cochran's formula (default). wilson / clopper-pearson: smallest n whose interval is narrow enough, found by a search whose predicted cost must fit a budget (else 422 too_expensive naming the smallest margin that fits)",
    }),
    population: sizeSchema("Population size N, for the finite-population correction").optional(),
    maxRate: z
      .number()
      .gt(0)
      .lt(1)
      .optional()
      .openapi({ description: "The limit to demonstrate (demonstrate)" }),
    allowedErrors: countSchema("Errors allowed in the sample, default 0 (demonstrate)")
      .max(MAX_ALLOWED_ERRORS)
      .optional(),
  })
  .superRefine((body, ctx) => {
    if (body.goal === "estimate" && body.margin === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["margin"],
        message: "margin is required when goal is estimate",
        params: { code: "required_when", other: "goal", value: "estimate" },
      });
    }
    if (body.goal === "demonstrate" && body.maxRate === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["maxRate"],
        message: "maxRate is required when goal is demonstrate",
        params: { code: "required_when", other: "goal", value: "demonstrate" },
      });
    }
  })
  .openapi("SampleSizeRequest");

const SampleSizeResult = z
  .object({
    n: z.number().int(),
    goal: z.enum(["estimate", "demonstrate"]),
    method: z.string(),
    confidence: z.number(),
    noteCode: z.enum(["degenerate_rate"]).optional().openapi({
      description: "The code of `note` (a caveat), for a client's own language",
    }),
    note: z.string().optional().openapi({ description: "A caveat of an estimate, in English" }),
    population: z.number().int().nullable(),
    n0: z
      .number()
      .optional()
      .openapi({ description: "estimate: the size before the finite-population correction" }),
    margin: z.number().optional(),
    expectedRate: z.number().optional(),
    z: z.number().optional(),
    maxRate: z.number().optional(),
    allowedErrors: z.number().int().optional(),
    distribution: z.enum(["binomial", "hypergeometric"]).optional(),
    achievedRisk: z.number().optional(),
  })
  .openapi("SampleSizeResult");

const IntervalRequest = z
  .object({
    count: countSchema("Number of events (errors)"),
    n: sizeSchema("Number of trials (audited items)"),
    confidence,
    method: z.enum(INTERVAL_METHODS).optional().openapi({ description: "Default wilson" }),
  })
  .superRefine((body, ctx) => {
    if (body.count > body.n)
      ctx.addIssue({
        code: "custom",
        path: ["count"],
        message: "count must not exceed n",
        params: { code: "not_above", other: "n" },
      });
  })
  .openapi("IntervalRequest");

const IntervalResult = z
  .object({
    estimate: z.number(),
    lower: z.number(),
    upper: z.number(),
    method: z.string(),
    confidence: z.number(),
  })
  .openapi("IntervalResult");

const AllocationRequest = z
  .object({
    strata: z
      .array(
        z.object({
          key: z.string().min(1).max(MAX_STRATUM_KEY_LENGTH),
          size: countSchema("Stratum size N_h"),
          expectedRate: z.number().min(0).max(1).optional(),
        }),
      )
      .min(1)
      .max(MAX_STRATA),
    method: z.enum(["proportional", "neyman", "equal"]),
    total: countSchema("Sample size to split").optional(),
    confidence,
    margin: z.number().gt(0).lt(0.5).optional(),
    expectedRate: z.number().min(0).max(1).optional().openapi({
      description: "Anticipated rate for deriving the total from margin (default 0.5)",
    }),
    minPerStratum: z.number().int().min(0).max(MAX_COUNT).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.total === undefined && body.margin === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["total"],
        message: "give total, or margin (and confidence) to derive it",
        params: { code: "total_or_margin" },
      });
    }
  })
  .openapi("AllocationRequest");

const AllocationResult = z
  .object({
    total: z.number().int(),
    method: z.string(),
    strata: z.array(z.object({ key: z.string(), size: z.number().int(), n: z.number().int() })),
    notes: z.array(z.string()),
    notices: z
      .array(
        z.object({
          code: z.string().openapi({ example: "total_derived" }),
          params: z.record(z.string(), z.union([z.number(), z.string()])),
          message: z.string(),
        }),
      )
      .openapi({
        description: "The notes with a stable code and parameters (a client's own language), one for one",
      }),
  })
  .openapi("AllocationResult");

export const calculatorsRouter = createRouter()
  .openapi(
    route("calculator", {
      method: "post",
      path: "/v1/sample-size",
      operationId: "calculateSampleSize",
      tags: ["calculators"],
      summary: "How many decisions to audit: estimate a rate, or demonstrate it is below a limit",
      request: { body: jsonBody(SampleSizeRequest) },
      responses: { 200: jsonResponse(SampleSizeResult, "The sample size"), ...errorResponses(400, 422) },
    }),
    async (c) => c.json(await computeOf(c.get("deps")).run("sample-size", c.req.valid("json")), 200),
  )
  .openapi(
    route("calculator", {
      method: "post",
      path: "/v1/interval",
      operationId: "calculateInterval",
      tags: ["calculators"],
      summary: "Confidence interval for an error rate (count of n)",
      request: { body: jsonBody(IntervalRequest) },
      responses: {
        200: jsonResponse(IntervalResult, "The estimate and its interval"),
        ...errorResponses(400),
      },
    }),
    (c) => {
      const body = c.req.valid("json");
      const result = proportionInterval(body.count, body.n, {
        confidence: body.confidence,
        method: body.method,
      });
      return c.json(result, 200);
    },
  )
  .openapi(
    route("calculator", {
      method: "post",
      path: "/v1/allocation",
      operationId: "calculateAllocation",
      tags: ["calculators"],
      summary: "Split a sample across strata (proportional, Neyman or equal)",
      request: { body: jsonBody(AllocationRequest) },
      responses: {
        200: jsonResponse(AllocationResult, "Integer allocation summing to the total"),
        ...errorResponses(400),
      },
    }),
    (c) => c.json(allocate(c.req.valid("json")), 200),
  );
