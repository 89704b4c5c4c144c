import { z } from "@hono/zod-openapi";
import {
  INTERVAL_METHODS,
  type IntervalMethod,
  proportionInterval,
} from "../../stats/proportion-interval.ts";
import { type ChartInput, type ChartPointInput, chart, funnel } from "../../stats/spc/index.ts";
import { FilterQuery, resolveTimeZone, toFilter } from "../audits/filters.ts";
import {
  type AuditFilter,
  countByGroups,
  forEachInTimeOrder,
  GROUP_COLUMNS,
  type GroupField,
} from "../db/audits.ts";
import type { Db } from "../db/open.ts";
import { route } from "../http/auth.ts";
import { CSV_BOM, CSV_CONTENT_TYPE, csvLine } from "../http/csv.ts";
import { ApiError } from "../http/errors.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonResponse } from "../http/schemas.ts";
import { type Interval, type Period, periodOf } from "../time.ts";

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

const QualityQuery = FilterQuery.extend({
  groupBy: commaList(GROUP_FIELDS, `Comma-separated: ${GROUP_FIELDS.join(", ")}`),
  confidence,
  method: z.enum(INTERVAL_METHODS as [IntervalMethod, ...IntervalMethod[]]).default("wilson"),
  format: z.enum(["json", "csv"]).default("json"),
});

const RateRow = z.object({
  audited: z.number().int(),
  errors: z.number().int(),
  rate: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
});
const QualityResult = z
  .object({
    groups: z.array(RateRow.extend({ key: z.record(z.string(), z.string().nullable()) })),
    overall: RateRow,
    confidence: z.number(),
    method: z.string(),
    timeZone: z.string(),
  })
  .openapi("QualityReport");

function rateRow(audited: number, errors: number, confidence: number, method: IntervalMethod) {
  if (audited === 0) return { audited, errors, rate: null, lower: null, upper: null };
  const interval = proportionInterval(errors, audited, { confidence, method });
  return { audited, errors, rate: interval.estimate, lower: interval.lower, upper: interval.upper };
}

const CHART_TYPES = ["p", "np", "c", "u", "laney-p", "laney-u", "ewma", "cusum"] as const;
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
});

const FunnelQuery = FilterQuery.extend({
  by: z.enum(["moderator", "auditor", "queue", "policy", "market"]).default("moderator"),
  target: z.coerce.number().gt(0).lt(1).optional(),
  method: z.enum(["exact", "normal"]).default("exact"),
  overdispersion: z.enum(["none", "multiplicative"]).default("none"),
});

/** Error counts per calendar period in the zone; empty periods are omitted (not zero). */
export function periodSeries(db: Db, filter: AuditFilter, interval: Interval, timeZone: string) {
  const points: (ChartPointInput & { label: string; start: number })[] = [];
  let period: Period | undefined;
  let current: (typeof points)[number] | undefined;
  forEachInTimeOrder(db, filter, (ms, isError) => {
    if (!period || ms >= period.end || ms < period.start) {
      period = periodOf(ms, interval, timeZone);
      current = { count: 0, n: 0, label: period.label, start: period.start };
      points.push(current);
    }
    current!.count += isError;
    current!.n! += 1;
  });
  return points;
}

/** A period reference in a query: an index, or a date meaning the first period starting on or after it. */
function periodIndex(ref: string, labels: string[], field: string): number {
  if (/^\d+$/.test(ref)) return Number(ref);
  if (/^\d{4}-\d{2}-\d{2}$/.test(ref)) {
    const index = labels.findIndex((label) => label >= ref);
    if (index === -1)
      throw new ApiError(400, "validation_failed", `${field}: no period on or after ${ref}`, [
        { path: field, message: `no period on or after ${ref}` },
      ]);
    return index;
  }
  throw new ApiError(400, "validation_failed", `invalid ${field}`, [
    { path: field, message: "use period indices or dates (YYYY-MM-DD)" },
  ]);
}

function indexList(text: string | undefined, labels: string[], field: string): number[] | undefined {
  if (!text) return undefined;
  return text.split(",").map((ref) => periodIndex(ref.trim(), labels, field));
}

export const reportsRouter = createRouter()
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/quality",
      tags: ["reports"],
      summary: "Error rates with confidence intervals, overall and per group",
      request: { query: QualityQuery },
      responses: {
        200: {
          description: "Rates per group (JSON, or CSV with a BOM for Excel)",
          content: { "application/json": { schema: QualityResult }, "text/csv": { schema: z.string() } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    (c) => {
      const query = c.req.valid("query");
      const { db, config } = c.get("deps");
      const timeZone = resolveTimeZone(query.tz, config.timeZone);
      const filter = toFilter(query, timeZone);
      const counts = countByGroups(db, filter, query.groupBy);
      const total = counts.reduce(
        (acc, g) => ({ audited: acc.audited + g.audited, errors: acc.errors + g.errors }),
        {
          audited: 0,
          errors: 0,
        },
      );
      const groups = (query.groupBy.length === 0 ? [] : counts).map((g) => ({
        key: g.key,
        ...rateRow(g.audited, g.errors, query.confidence, query.method),
      }));
      const overall = rateRow(total.audited, total.errors, query.confidence, query.method);
      if (query.format === "csv") {
        let out = CSV_BOM + csvLine([...query.groupBy, "audited", "errors", "rate", "lower", "upper"]);
        for (const g of groups)
          out += csvLine([
            ...query.groupBy.map((f) => g.key[f]),
            g.audited,
            g.errors,
            g.rate,
            g.lower,
            g.upper,
          ]);
        return c.body(out, 200, { "content-type": CSV_CONTENT_TYPE }) as never;
      }
      return c.json(
        {
          groups,
          overall,
          confidence: query.confidence,
          method: query.method,
          timeZone,
        },
        200,
      );
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/charts",
      tags: ["reports"],
      summary: "A control chart over stored audits, one point per period (day, week or month in tz)",
      description:
        "Same result as POST /v1/chart. Each point counts the audits of one period (label = the period's first day in tz); periods with no audits are omitted, not zero. Errors are outcome = incorrect, or only errors of `errorType` when given.",
      request: { query: ChartQuery },
      responses: {
        200: jsonResponse(z.object({}).passthrough(), "The chart"),
        ...errorResponses(400, 401, 403),
      },
    }),
    (c) => {
      const query = c.req.valid("query");
      const { db, config } = c.get("deps");
      const timeZone = resolveTimeZone(query.tz, config.timeZone);
      const series = periodSeries(db, toFilter(query, timeZone), query.interval, timeZone);
      const labels = series.map((p) => p.label);
      if (series.length === 0) {
        return c.json(
          {
            type: query.type,
            interval: query.interval,
            timeZone,
            points: [],
            signals: [],
            notes: ["no audits match the filters"],
          },
          200,
        );
      }
      let baseline: ChartInput["baseline"];
      if (query.baseline) {
        const [from, to] = query.baseline.split("..");
        if (to === undefined)
          throw new ApiError(400, "validation_failed", "invalid baseline", [
            { path: "baseline", message: "use FROM..TO" },
          ]);
        const toIndex = /^\d{4}-\d{2}-\d{2}$/.test(to)
          ? labels.filter((l) => l <= to).length - 1
          : periodIndex(to, labels, "baseline");
        baseline = { from: periodIndex(from, labels, "baseline"), to: toIndex };
      }
      const rules =
        query.rules?.includes(",") ||
        (query.rules && !["western-electric", "nelson", "none"].includes(query.rules))
          ? query.rules.split(",").map((r) => r.trim())
          : (query.rules as ChartInput["rules"]);
      const timeWeightedBase = "p" as const;
      const result = chart({
        type: query.type,
        points: series.map(({ count, n, label }) => ({ count, n, label })),
        baseline,
        exclude: indexList(query.exclude, labels, "exclude"),
        phases: indexList(query.phases, labels, "phases"),
        standard: query.standard,
        sigma: query.sigma,
        rules,
        ewma:
          query.type === "ewma" ? { lambda: query.lambda, L: query.L, base: timeWeightedBase } : undefined,
        cusum: query.type === "cusum" ? { k: query.k, h: query.h, base: timeWeightedBase } : undefined,
      });
      return c.json({ ...result, interval: query.interval, timeZone }, 200);
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/funnel",
      tags: ["reports"],
      summary: "Funnel plot of moderators, auditors, queues, policies or markets over stored audits",
      request: { query: FunnelQuery },
      responses: {
        200: jsonResponse(z.object({}).passthrough(), "Same result as POST /v1/funnel"),
        ...errorResponses(400, 401, 403),
      },
    }),
    (c) => {
      const query = c.req.valid("query");
      const { db, config } = c.get("deps");
      const timeZone = resolveTimeZone(query.tz, config.timeZone);
      const groups = countByGroups(db, toFilter(query, timeZone), [query.by]);
      const units = groups.map((g) => ({ key: g.key[query.by] ?? "(none)", count: g.errors, n: g.audited }));
      if (units.length === 0) {
        return c.json({ by: query.by, units: [], curves: [], notes: ["no audits match the filters"] }, 200);
      }
      const result = funnel({
        units,
        target: query.target,
        method: query.method,
        overdispersion: query.overdispersion,
      });
      return c.json({ ...result, by: query.by, timeZone }, 200);
    },
  );
