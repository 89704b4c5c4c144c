import { z } from "@hono/zod-openapi";
import { FilterQuery } from "../audits/filters.ts";
import { ERROR_TYPES } from "../audits/validate.ts";
import { CSV_CONTENT_TYPE, tableCsv } from "../csv.ts";
import { scorecardInput, scorecardListInput } from "../feedback/scorecards.ts";
import { route } from "../http/auth.ts";
import { computeOf } from "../http/env.ts";
import { negotiated } from "../http/negotiate.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, exportResponse, jsonResponse, wellFormed } from "../http/schemas.ts";
import { xlsxHeaders, xlsxOfTable } from "../xlsx/writer.ts";

const ModeratorParam = z.object({
  moderator: wellFormed(z.string().min(1).max(500)).openapi({
    param: { name: "moderator", in: "path" },
    description: "The moderator, as in audits",
  }),
});

const PeriodQuery = FilterQuery.pick({ from: true, to: true, tz: true }).extend({
  queue: wellFormed(z.string().min(1).max(500)).optional(),
});

const ListQuery = PeriodQuery.extend({
  sort: z.enum(["shrunken", "raw"]).default("shrunken"),
  order: z
    .enum(["asc", "desc"])
    .default("desc")
    .openapi({ description: "desc: the highest error rate first" }),
  format: z.enum(["json", "csv", "xlsx"]).default("json"),
});

const nullableRate = z.number().nullable();
const RateInterval = { rate: nullableRate, lower: nullableRate, upper: nullableRate };
const Evidence = z.enum(["above", "below", "across"]).nullable().openapi({
  description:
    "The 95 % Wilson interval wholly above the target, wholly below it, or across it (null: no audits)",
});
const Shrunken = z
  .object({ rate: z.number(), lower: z.number(), upper: z.number() })
  .openapi("ShrunkenRate", {
    description:
      "Empirical-Bayes posterior mean of the error rate and its 95 % equal-tailed credible interval, Beta(α + errors, β + audited − errors)",
  });
const Prior = z
  .object({
    alpha: z.number(),
    beta: z.number(),
    mean: z.number(),
    method: z.enum(["maximum-likelihood", "jeffreys"]).openapi({
      description:
        "maximum-likelihood: beta-binomial marginal likelihood over the moderators (Griffiths 1973); jeffreys: Beta(½, ½) when fewer than two moderators have audits, or there are no errors, or nothing but errors",
    }),
    bound: z.enum(["none", "no-overdispersion", "extreme-overdispersion"]).openapi({
      description:
        "Whether α + β stopped at its bound: at most the audits fitted (no overdispersion), at least 0.001",
    }),
    groups: z.number().int().openapi({ description: "Moderators the prior was fitted over" }),
    audits: z.number().int(),
  })
  .openapi("BetaBinomialPrior");
const Period = z.object({ from: z.string(), to: z.string(), timeZone: z.string() });

const Scorecard = z
  .object({
    moderator: z.string(),
    queue: z.string().nullable(),
    period: Period,
    audited: z.number().int(),
    errors: z.number().int(),
    ...RateInterval,
    target: z.number().openapi({
      description:
        "The queue's target (its own or MODQC_TARGET_ERROR_RATE); over several queues the audit-weighted mean of their targets",
    }),
    evidence: Evidence,
    shrunken: Shrunken.nullable(),
    prior: Prior.extend({ queues: z.array(z.string()) })
      .nullable()
      .openapi({
        description:
          "The prior of the shrunken rate: with `queue` or a single queue, that queue's (over all its moderators); over several queues, one prior over all moderators of those queues, each moderator's audits in them taken together",
      }),
    byType: z.array(
      z.object({
        errorType: z.enum(ERROR_TYPES),
        errors: z.number().int(),
        share: z.number().nullable(),
      }),
    ),
    byPolicy: z.array(
      z.object({
        policy: z.string().nullable(),
        audited: z.number().int(),
        errors: z.number().int(),
        ...RateInterval,
      }),
    ),
    byQueue: z.array(
      z.object({
        queue: z.string(),
        audited: z.number().int(),
        errors: z.number().int(),
        ...RateInterval,
        target: z.number(),
        evidence: Evidence,
        shrunken: Shrunken,
        prior: Prior,
      }),
    ),
    trend: z.array(
      z.object({
        week: z.string().openapi({ description: "The ISO week's Monday in tz (YYYY-MM-DD)" }),
        audited: z.number().int(),
        errors: z.number().int(),
        ...RateInterval,
      }),
    ),
    latestFindings: z.array(
      z.object({
        auditId: z.string(),
        decisionId: z.string(),
        queue: z.string(),
        policy: z.string().nullable(),
        correctPolicy: z.string().nullable(),
        errorType: z.enum(ERROR_TYPES).nullable(),
        severity: z.number().int().nullable(),
        notes: z.string().nullable(),
        auditedAt: z.string(),
        revision: z.number().int(),
        auditor: z.string().nullable().openapi({
          description: "Null to moderator keys unless MODQC_SHOW_AUDITOR_TO_MODERATOR=true",
        }),
      }),
    ),
  })
  .openapi("Scorecard");

const ScorecardList = z
  .object({
    queue: z.string().nullable(),
    period: Period,
    sort: z.enum(["shrunken", "raw"]),
    order: z.enum(["asc", "desc"]),
    prior: Prior.nullable(),
    moderators: z.array(
      z.object({
        moderator: z.string(),
        audited: z.number().int(),
        errors: z.number().int(),
        ...RateInterval,
        target: z.number(),
        evidence: Evidence,
        shrunken: Shrunken,
      }),
    ),
  })
  .openapi("ScorecardList");

const PERIOD_NOTE =
  "The period is `from`..`to` (dates in `tz`), by default the 90 days up to today, at most 366 days (400 period_too_long).";

export const scorecardsRouter = createRouter()
  .openapi(
    route("moderator", {
      method: "get",
      path: "/v1/scorecards/{moderator}",
      operationId: "getScorecard",
      tags: ["feedback"],
      summary:
        "A moderator's scorecard: error rate, target, shrunken rate, breakdowns, trend and latest findings",
      description: `A moderator key reads only its own moderator; leads and admins any; viewer and auditor keys 403. ${PERIOD_NOTE}`,
      request: { params: ModeratorParam, query: PeriodQuery },
      responses: {
        200: jsonResponse(
          Scorecard,
          "The scorecard (zeros and nulls when the moderator has no audits in the period)",
        ),
        ...errorResponses(400, 401, 403, 422),
      },
    }),
    async (c) => {
      const deps = c.get("deps");
      const input = scorecardInput(
        c.get("apiKey")!,
        c.req.valid("param").moderator,
        c.req.valid("query"),
        deps.config,
      );
      return c.json(await computeOf(deps).run("scorecard", input), 200);
    },
  )
  .openapi(
    route("lead", {
      method: "get",
      path: "/v1/scorecards",
      operationId: "listScorecards",
      tags: ["feedback"],
      summary: "Every moderator with the raw and the shrunken error rate, sortable by either (JSON or CSV)",
      description: `One prior over all moderators in scope (in \`queue\`, or all queues). At most 100,000 moderator-queue pairs (422 too_many_moderators). ${PERIOD_NOTE}`,
      request: { query: ListQuery },
      responses: {
        200: exportResponse(ScorecardList, "The moderators in the requested order", { csv: "", xlsx: "" }),
        ...errorResponses(400, 401, 403, 422),
      },
    }),
    async (c) => {
      const deps = c.get("deps");
      const offered = ListQuery.shape.format.unwrap().options;
      const { format, ...query } = negotiated(c, c.req.valid("query"), offered);
      const input = scorecardListInput(query, deps.config);
      if (format === "csv") {
        const table = await computeOf(deps).run("scorecards-table", input);
        return c.body(tableCsv(table), 200, { "content-type": CSV_CONTENT_TYPE });
      }
      if (format === "xlsx") {
        const table = await computeOf(deps).run("scorecards-table", input);
        return c.body(xlsxOfTable("scorecards", table, deps.config.timeZone), 200, xlsxHeaders("scorecards"));
      }
      return c.json(await computeOf(deps).run("scorecards", input), 200);
    },
  );
