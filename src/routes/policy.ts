import { z } from "@hono/zod-openapi";
import { FilterQuery, resolveTimeZone } from "../audits/filters.ts";
import { ERROR_TYPES } from "../audits/validate.ts";
import { CSV_CONTENT_TYPE } from "../csv.ts";
import { route } from "../http/auth.ts";
import { computeOf } from "../http/env.ts";
import { negotiated } from "../http/negotiate.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, exportResponse, jsonResponse, wellFormed } from "../http/schemas.ts";
import { CELL_LIMIT, POLICY_LIMIT, policyConfusionCsv } from "../reports/policy-confusion.ts";

const confidence = z.coerce
  .number()
  .gt(0)
  .lt(1)
  .default(0.95)
  .openapi({ description: "Confidence level of the intervals" });

/**
 * The filters' text fields, refusing U+0000 (400 naming the field): PostgreSQL cannot compare such text, and its
 * error would lose its code on the way back from a pool thread (a 500).
 */
const filterText = () => wellFormed(z.string().max(500)).optional();
const TEXT_FILTERS = {
  queue: filterText(),
  moderator: filterText(),
  auditor: filterText(),
  market: filterText(),
  sampleId: filterText(),
};

const ConfusionQuery = FilterQuery.omit({ errorType: true }).extend({
  ...TEXT_FILTERS,
  policy: filterText(),
  confidence,
  format: z.enum(["json", "csv"]).default("json"),
});

const ImpactQuery = FilterQuery.omit({ from: true, to: true, policy: true }).extend({
  ...TEXT_FILTERS,
  policy: wellFormed(z.string().min(1).max(500)).openapi({
    description: "The applied policy that was updated",
  }),
  at: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
    .refine((at) => at >= "1900-01-01", "must be 1900-01-01 or later")
    .openapi({ description: "The first day of 'after' (YYYY-MM-DD in tz)", example: "2026-10-15" }),
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(366)
    .default(28)
    .openapi({ description: "Calendar days on each side (in tz)" }),
  confidence,
});

const Matrix = z
  .object({
    columns: z.array(z.string()).openapi({ description: "The correct policies (columns), bytewise" }),
    rows: z.array(
      z.object({
        applied: z.string().nullable(),
        total: z.number().int(),
        cells: z.array(z.object({ correct: z.string(), count: z.number().int(), rowShare: z.number() })),
      }),
    ),
    total: z.number().int(),
    withoutCorrectPolicy: z.number().int(),
  })
  .openapi("ConfusionMatrix");

const TypeCount = z.object({ errors: z.number().int(), rate: z.number() });
const ConfusionResult = z
  .object({
    matrix: Matrix,
    policies: z.array(
      z.object({
        policy: z.string().nullable(),
        audited: z.number().int(),
        errors: z.number().int(),
        rate: z.number(),
        lower: z.number(),
        upper: z.number(),
        byType: z.object(Object.fromEntries(ERROR_TYPES.map((type) => [type, TypeCount]))),
        wrongPolicyWithoutCorrect: z.number().int(),
      }),
    ),
    confidence: z.number(),
    timeZone: z.string(),
  })
  .openapi("PolicyConfusion");

const Side = z.object({
  from: z.string(),
  to: z.string(),
  start: z.string(),
  end: z.string(),
  audited: z.number().int(),
  errors: z.number().int(),
  rate: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  matrix: Matrix,
});
const Proportion = z.object({ count: z.number().int(), n: z.number().int(), proportion: z.number() });
const ImpactResult = z
  .object({
    policy: z.string(),
    at: z.string(),
    days: z.number().int(),
    before: Side,
    after: Side,
    comparison: z
      .object({
        a: Proportion,
        b: Proportion,
        difference: z.number(),
        lower: z.number(),
        upper: z.number(),
        confidence: z.number(),
        z: z.number().nullable(),
        p: z.number().nullable(),
        fisherP: z.number().nullable(),
        fisherUndefinedReason: z.string().optional(),
        undefinedReason: z.string().optional(),
      })
      .nullable(),
    comparisonUndefinedReason: z.string().optional(),
    confidence: z.number(),
    timeZone: z.string(),
  })
  .openapi("PolicyImpact");

const LIMITS = `At most ${POLICY_LIMIT} applied policies, ${POLICY_LIMIT} correct policies and ${CELL_LIMIT} non-empty cells, else 422 too_expensive (narrow the filters).`;

export const policyRouter = createRouter()
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/policy-confusion",
      operationId: "getPolicyConfusion",
      tags: ["reports"],
      summary: "Which policies are confused with which: wrong-policy errors by applied × correct policy",
      description: `Over the audits in the filter: the matrix of wrong-policy errors that name a correctPolicy (counts, and row shares = the share of the applied policy's wrong-policy errors that should have been each correct policy), the count without a correctPolicy (not in the matrix), and per applied policy the audited decisions, errors, error rate with a Wilson interval and errors by type. ${LIMITS} CSV: the matrix in long form (applied, correct, count, rowShare).`,
      request: { query: ConfusionQuery },
      responses: {
        200: exportResponse(ConfusionResult, "The matrix and the per-policy rates", { csv: "" }),
        ...errorResponses(400, 401, 403, 422),
      },
    }),
    async (c) => {
      const offered = ConfusionQuery.shape.format.unwrap().options;
      const { format, ...query } = negotiated(c, c.req.valid("query"), offered);
      const deps = c.get("deps");
      const timeZone = resolveTimeZone(query.tz, deps.config.timeZone);
      const report = await computeOf(deps).run("policy-confusion", { query, timeZone });
      if (format === "csv")
        return c.body(policyConfusionCsv(report), 200, { "content-type": CSV_CONTENT_TYPE });
      return c.json(report, 200);
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/policy-impact",
      operationId: "getPolicyImpact",
      tags: ["reports"],
      summary: "Error rates of one policy's audits before and after a date (a policy update), compared",
      description: `The audits whose applied policy is \`policy\`, in the \`days\` calendar days (in tz) before \`at\` and the \`days\` days from \`at\`: audited, errors and rate with a Wilson interval per side, compared as in POST /v1/compare (a = before, b = after: difference, Newcombe interval, z test, Fisher's exact p; null with a reason when a side has no audits), and each side's confusion matrix of the wrong-policy errors whose applied or correct policy is \`policy\` (other filters apply). ${LIMITS}`,
      request: { query: ImpactQuery },
      responses: {
        200: jsonResponse(ImpactResult, "Both sides and their comparison"),
        ...errorResponses(400, 401, 403, 422),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const deps = c.get("deps");
      const timeZone = resolveTimeZone(query.tz, deps.config.timeZone);
      return c.json(await computeOf(deps).run("policy-impact", { query, timeZone }), 200);
    },
  );
