import { z } from "@hono/zod-openapi";
import { INTERVAL_METHODS } from "../../stats/methods.ts";
import { CHART_TYPES } from "../../stats/spc/chart-types.ts";
import { FilterQuery, resolveTimeZone } from "../audits/filters.ts";
import { CSV_CONTENT_TYPE, tableCsv } from "../csv.ts";
import { GROUP_COLUMNS, type GroupField } from "../db/audits.ts";
import { route } from "../http/auth.ts";
import { computeOf } from "../http/env.ts";
import { negotiated } from "../http/negotiate.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, exportResponse, jsonResponse } from "../http/schemas.ts";
import { qualityTable } from "../reports/quality.ts";
import { MAX_AUDIT_POINTS } from "../reports/stored-chart.ts";
import { xlsxHeaders, xlsxOfTable } from "../xlsx/writer.ts";
import { funnelShapeFields, funnelUnitFields } from "./funnel-schemas.ts";
import { chartFields } from "./spc.ts";

const GROUP_FIELDS = Object.keys(GROUP_COLUMNS) as [GroupField, ...GroupField[]];

const commaList = <T extends string>(values: readonly [T, ...T[]], description: string) =>
  z
    .string()
    .max(200)
    .optional()
    .openapi({ description })
    .transform((text, ctx) => {
      if (!text) return [] as T[];
      const items = text.split(",").map((s) => s.trim());
      const bad = items.filter((item) => !(values as readonly string[]).includes(item));
      if (bad.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `unknown: ${bad.join(", ")} (allowed: ${values.join(", ")})`,
        });
        return z.NEVER;
      }
      return [...new Set(items)] as T[];
    });

const confidence = z.coerce.number().gt(0).lt(1).default(0.95);

/** Largest weight of a severity: a documented bound only (the index is computed in units of the largest weight). */
const MAX_SEVERITY_WEIGHT = 1_000_000;
const DECIMAL = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

const severityWeights = z
  .string()
  .max(200)
  .optional()
  .openapi({
    description: `Weights of severities 1–4 (four numbers > 0 and ≤ ${MAX_SEVERITY_WEIGHT}, comma-separated): adds the severity-weighted error index I = Σ w(severity)·[error] / audited to every row, with its interval (delta method on log I); an error without a severity weighs as severity 1`,
    example: "1,2,4,8",
  })
  .transform((text, ctx) => {
    if (text === undefined) return undefined;
    const values = text.split(",").map((part) => (DECIMAL.test(part.trim()) ? Number(part) : Number.NaN));
    const valid = values.every((w) => Number.isFinite(w) && w > 0 && w <= MAX_SEVERITY_WEIGHT);
    if (values.length !== 4 || !valid) {
      ctx.addIssue({
        code: "custom",
        message: `must be 4 comma-separated numbers > 0 and ≤ ${MAX_SEVERITY_WEIGHT}, for severities 1 to 4 (e.g. 1,2,4,8)`,
      });
      return z.NEVER;
    }
    return values;
  });

const QualityQuery = FilterQuery.extend({
  groupBy: commaList(GROUP_FIELDS, `Comma-separated: ${GROUP_FIELDS.join(", ")}`),
  confidence,
  method: z.enum(INTERVAL_METHODS).default("wilson"),
  weights: severityWeights,
  limit: z.coerce.number().min(0).lt(1).optional().openapi({
    description:
      "An error-rate limit: each group gets `p` = P(X ≥ errors | audited, limit) (exact one-sided binomial), `q` (p adjusted across the groups, see `multiplicity`) and `flagged` (q ≤ fdr); also in the CSV/XLSX columns p, q, flagged",
    example: 0.05,
  }),
  fdr: z.coerce.number().gt(0).lt(1).optional().openapi({
    description: "False discovery rate of `flagged` (default 0.05); only with `limit` (else 400 naming fdr)",
  }),
  multiplicity: z.enum(["bh", "by"]).optional().openapi({
    description:
      "bh: Benjamini–Hochberg (default), by: Benjamini–Yekutieli (any dependence), as R's p.adjust; only with `limit`",
  }),
  format: z.enum(["json", "csv", "xlsx"]).default("json"),
});

const WeightedRow = z
  .object({
    index: z.number(),
    standardError: z.number().nullable(),
    lower: z.number().nullable(),
    upper: z.number().nullable(),
  })
  .openapi({
    description: "Severity-weighted error index (only with `weights`); null when nothing was audited",
  });
const RateRow = z.object({
  audited: z.number().int(),
  errors: z.number().int(),
  rate: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  weighted: WeightedRow.nullable().optional(),
  p: z.number().optional().openapi({ description: "Only with `limit`: P(X ≥ errors | audited, limit)" }),
  q: z.number().optional().openapi({ description: "Only with `limit`: p adjusted across the groups" }),
  flagged: z.boolean().optional().openapi({ description: "Only with `limit`: q ≤ fdr" }),
});
const QualityResult = z
  .object({
    groups: z.array(RateRow.extend({ key: z.record(z.string(), z.string().nullable()) })),
    overall: RateRow,
    confidence: z.number(),
    method: z.string(),
    weights: z.array(z.number()).optional(),
    limit: z.number().optional(),
    fdr: z.number().optional(),
    multiplicity: z.enum(["bh", "by"]).optional(),
    flagged: z.number().int().optional().openapi({ description: "Only with `limit`: groups flagged" }),
    timeZone: z.string(),
  })
  .openapi("QualityReport");

const ChartQuery = FilterQuery.extend({
  type: z.enum(CHART_TYPES).default("p"),
  interval: z.enum(["day", "week", "month"]).default("day"),
  rules: z.string().max(300).optional().openapi({
    description:
      "western-electric (default), nelson, none, or comma-separated rule ids such as we-1,nelson-3",
  }),
  baseline: z.string().max(60).optional().openapi({
    description:
      "Periods that estimate the centre and limits: FROM..TO, each a period index or a date (YYYY-MM-DD)",
    example: "2026-09-01..2026-10-31",
  }),
  phases: z.string().max(1000).optional().openapi({
    description: "Comma-separated starts of new phases (e.g. a policy update): period indices or dates",
    example: "2026-10-15",
  }),
  exclude: z
    .string()
    .max(1000)
    .optional()
    .openapi({ description: "Comma-separated period indices or dates left out of the estimate" }),
  standard: z.coerce.number().min(0).optional(),
  sigma: z.coerce.number().gt(0).max(10).optional(),
  lambda: z.coerce.number().gt(0).max(1).optional(),
  L: z.coerce.number().gt(0).max(10).optional(),
  k: z.coerce.number().min(0).max(10).optional(),
  h: z.coerce.number().gt(0).max(100).optional(),
  per: z
    .enum(["period", "audit"])
    .default("period")
    .openapi({
      description: `bernoulli-cusum only: "audit" for one point per audit in time order (at most ${MAX_AUDIT_POINTS} audits, else 422 too_expensive), "period" (default) for one point per interval`,
    }),
  p0: z.coerce.number().gt(0).lt(1).optional().openapi({
    description: "bernoulli-cusum: in-control error rate (default `standard`, else the baseline's rate)",
  }),
  p1: z.coerce
    .number()
    .gt(0)
    .lt(1)
    .optional()
    .openapi({ description: "bernoulli-cusum: error rate to detect" }),
  oddsRatio: z.coerce.number().gt(1).max(1e6).optional().openapi({
    description: "bernoulli-cusum: instead of p1, p₁ = OR·p₀/(1 − p₀ + OR·p₀) (default 2)",
  }),
  targetArl0: z.coerce.number().min(1).max(1e9).optional().openapi({
    description: "bernoulli-cusum: instead of h, the in-control ARL in audits to reach (default 10,000)",
  }),
});

const { type, points, signals, notes, ...computed } = chartFields;
const absentWithoutAudits = Object.fromEntries(
  Object.entries(computed).map(([name, schema]) => [
    name,
    schema.optional().openapi({ description: "Absent when no audit matches the filters" }),
  ]),
) as { [K in keyof typeof computed]: z.ZodOptional<(typeof computed)[K]> };
const StoredChartResult = z
  .object({
    type,
    points,
    signals,
    notes,
    ...absentWithoutAudits,
    interval: z.enum(["day", "week", "month"]),
    per: z.enum(["period", "audit"]),
    auditIds: z
      .array(z.string())
      .optional()
      .openapi({ description: "per=audit: the id of each point's audit, in the points' order" }),
    timeZone: z.string(),
  })
  .openapi("StoredChartResult");

const FunnelQuery = FilterQuery.extend({
  by: z.enum(["moderator", "auditor", "queue", "policy", "market"]).default("moderator"),
  target: z.coerce.number().gt(0).lt(1).optional(),
  method: z.enum(["exact", "normal"]).default("exact"),
  overdispersion: z.enum(["none", "multiplicative"]).default("none"),
  minAudited: z.coerce.number().int().min(1).max(1_000_000).default(20).openapi({
    description:
      "Units with fewer audits are listed with `belowMinimum: true` but neither flagged nor counted in the target, limits and overdispersion",
  }),
});

const StoredFunnelResult = z
  .object({
    by: z.string(),
    timeZone: z.string(),
    minAudited: z.number().int(),
    unitsBelowMinimum: z
      .number()
      .int()
      .openapi({ description: "How many units have fewer than minAudited audits" }),
    target: z.number().nullable().openapi({ description: "Null only when no audit matches the filters" }),
    ...funnelShapeFields,
    units: z.array(z.object({ ...funnelUnitFields, belowMinimum: z.boolean() })),
  })
  .openapi("StoredFunnelResult");

export const reportsRouter = createRouter()
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/quality",
      operationId: "getQuality",
      tags: ["reports"],
      summary: "Error rates with confidence intervals, overall and per group",
      request: { query: QualityQuery },
      responses: {
        200: exportResponse(QualityResult, "Rates per group", { csv: "", xlsx: "" }),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const offered = QualityQuery.shape.format.unwrap().options;
      const { format, ...query } = negotiated(c, c.req.valid("query"), offered);
      const deps = c.get("deps");
      const timeZone = resolveTimeZone(query.tz, deps.config.timeZone);
      const report = await computeOf(deps).run("quality", { query, timeZone });
      if (format === "csv") {
        return c.body(tableCsv(qualityTable(report, query.groupBy)), 200, {
          "content-type": CSV_CONTENT_TYPE,
        });
      }
      if (format === "xlsx") {
        const sheet = xlsxOfTable("quality", qualityTable(report, query.groupBy), timeZone);
        return c.body(sheet, 200, xlsxHeaders("quality"));
      }
      return c.json(report, 200);
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/charts",
      operationId: "getStoredChart",
      tags: ["reports"],
      summary:
        "A control chart over stored audits, one point per period (day, week or month in tz) or, for bernoulli-cusum, per audit",
      description:
        "Same result as POST /v1/chart. Each point counts the audits of one period (label = the period's first day in tz); periods with no audits are omitted, not zero. Errors are outcome = incorrect, or only errors of `errorType` when given.",
      request: { query: ChartQuery },
      responses: {
        200: jsonResponse(StoredChartResult, "The chart"),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const deps = c.get("deps");
      const timeZone = resolveTimeZone(query.tz, deps.config.timeZone);
      return c.json(await computeOf(deps).run("stored-chart", { query, timeZone }), 200);
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/funnel",
      operationId: "getStoredFunnel",
      tags: ["reports"],
      summary: "Funnel plot of moderators, auditors, queues, policies or markets over stored audits",
      request: { query: FunnelQuery },
      responses: {
        200: jsonResponse(
          StoredFunnelResult,
          "POST /v1/funnel's result over the units with at least minAudited audits, and the smaller units unflagged",
        ),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const deps = c.get("deps");
      const timeZone = resolveTimeZone(query.tz, deps.config.timeZone);
      return c.json(await computeOf(deps).run("stored-funnel", { query, timeZone }), 200);
    },
  );
