import { z } from "@hono/zod-openapi";
import type { StratifiedEstimate } from "../../stats/stratified-estimate.ts";
import { getPopulation } from "../db/populations.ts";
import type { Sample } from "../db/samples.ts";
import { route } from "../http/auth.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, wellFormed } from "../http/schemas.ts";
import { assignSample } from "../sampling/assign.ts";
import { estimateSample } from "../sampling/estimate.ts";
import { explainDecision } from "../sampling/explain.ts";
import { findSample } from "../sampling/find.ts";
import { listSampleSummaries, sampleProgress } from "../sampling/progress.ts";
import { removeSample, storeDraw } from "../sampling/store.ts";
import { GoldMixRequest, GoldPlacement } from "./gold.ts";
import { sampleItemsRouter } from "./sample-items.ts";
import { EstimateResult, ExplainResult, PlanNotices } from "./sample-schemas.ts";

const IdParam = z.object({ id: z.string().min(1).max(100) });
const rate = z.number().min(0).max(1);
const confidence = z.number().gt(0).lt(1);

const DrawRequest = z
  .object({
    population: z.string().min(1).max(100).openapi({ description: "Population id" }),
    strata: z
      .array(wellFormed(z.string().min(1).max(100)))
      .max(10)
      .optional()
      .openapi({
        description:
          "Attributes whose value combinations are the strata (none: one stratum, key `all`). Keys look like `queue=hate|market=KR`.",
      }),
    allocation: z.enum(["proportional", "neyman", "equal"]).optional().openapi({
      description: "How a total is split across strata (default proportional). Not used with perStratum.",
    }),
    total: z.number().int().min(1).max(10_000_000).optional().openapi({ description: "Sample size" }),
    confidence: confidence.optional().openapi({ description: "With margin: default 0.95" }),
    margin: z.number().gt(0).lt(0.5).optional().openapi({
      description:
        "Size the total for ±margin on the whole population (Cochran with finite-population correction), then allocate it",
    }),
    expectedRate: rate
      .optional()
      .openapi({ description: "With margin: anticipated overall rate, default 0.5" }),
    perStratum: z
      .object({
        confidence: confidence.optional(),
        margin: z.number().gt(0).lt(0.5),
        expectedRate: rate.optional(),
      })
      .strict()
      .optional()
      .openapi({
        description:
          "Size each stratum on its own for ±margin with its finite-population correction; the total is the sum",
      }),
    minPerStratum: z.number().int().min(0).max(10_000_000).optional().openapi({
      description: "At least this many per stratum (capped at the stratum size)",
    }),
    expectedRates: z
      .record(wellFormed(z.string().max(2000)), rate)
      .optional()
      .openapi({
        description: "Anticipated error rate per stratum key, for Neyman weights and perStratum sizing",
        example: { "queue=hate": 0.08, "queue=spam": 0.02 },
      }),
    fromHistory: z
      .object({ days: z.number().int().min(1).max(3660) })
      .strict()
      .optional()
      .openapi({
        description:
          "Take each stratum's expected rate from the audits of the last `days` days (strata on queue, moderator, policy, market only; strata without history: 0.5). Meaningful for neyman allocation and perStratum sizing.",
      }),
    seed: wellFormed(z.string().min(1).max(200)).optional().openapi({
      description:
        "Any text; a random one is generated when absent. Stored and returned: the draw is reproducible.",
    }),
    name: wellFormed(z.string().trim().min(1).max(200)).optional().openapi({
      description:
        "A name people find the sample by (trimmed, 1 to 200 characters); default: the population's name (or id) and the draw's date (YYYY-MM-DD in MODQC_TZ)",
      example: "hate KR 2026-12-06",
    }),
  })
  .strict()
  .superRefine((body, ctx) => {
    const ways = [body.total !== undefined, body.margin !== undefined, body.perStratum !== undefined];
    if (ways.filter(Boolean).length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: ["total"],
        message: "give exactly one of total, margin (with confidence, expectedRate) or perStratum",
      });
    }
    for (const field of ["confidence", "expectedRate"] as const) {
      if (body[field] !== undefined && body.margin === undefined) {
        ctx.addIssue({ code: "custom", path: [field], message: `${field} is only used with margin` });
      }
    }
  })
  .openapi("DrawRequest");

/** The plan as stored (src/sampling/draw.ts `normalisedPlan`): the request without seed and name, defaults filled in. */
const DrawPlan = z
  .object({
    population: z.string(),
    strata: z.array(z.string()),
    allocation: z
      .enum(["proportional", "neyman", "equal"])
      .nullable()
      .openapi({ description: "null with perStratum" }),
    total: z.number().int().optional(),
    confidence: z.number().optional().openapi({ description: "With margin" }),
    margin: z.number().optional(),
    expectedRate: z.number().optional().openapi({ description: "With margin" }),
    perStratum: z.object({ confidence: z.number(), margin: z.number(), expectedRate: z.number() }).optional(),
    minPerStratum: z.number().int(),
    expectedRates: z.record(z.string(), z.number()).optional(),
    fromHistory: z.object({ days: z.number().int() }).optional(),
  })
  .openapi("DrawPlan");

const Stratum = z.object({
  key: z.string(),
  values: z.record(z.string(), z.string()),
  size: z.number().int().openapi({ description: "N_h: decisions in the stratum" }),
  n: z.number().int().openapi({ description: "n_h: decisions drawn" }),
  expectedRate: z.number().optional(),
  rateSource: z.enum(["expectedRates", "history", "default"]).optional(),
});

const SampleCreated = z
  .object({
    id: z.string(),
    name: z.string(),
    population: z.string().openapi({ description: "Population id" }),
    seed: z.string(),
    n: z.number().int(),
    strata: z.array(Stratum),
    plan: DrawPlan,
    notes: z.array(z.string()),
    notices: PlanNotices,
    createdAt: z.string(),
  })
  .openapi("SampleCreated");

const Assignment = z.object({
  method: z.literal("balanced"),
  auditors: z.array(z.string()),
  loads: z.array(z.object({ auditor: z.string(), items: z.number().int() })),
  balanced: z.boolean(),
  notes: z.array(z.string()),
  assignedAt: z.string(),
  assignedBy: z.string().nullable(),
});

/** The work queue's counts (src/sampling/progress.ts). */
const WorkCounts = {
  assigned: z.number().int().openapi({ description: "Items with an auditor" }),
  done: z.number().int().openapi({
    description:
      "Items with an audit naming this sample and their decision (a verdict PUT or POST /v1/audits alike)",
  }),
  skipped: z.number().int().openapi({ description: "Skipped items without such an audit" }),
  todo: z.number().int().openapi({ description: "Neither done nor skipped" }),
};

/** The population's name and upload time, so that two uploads under one name can be told apart. */
const PopulationOf = {
  populationName: z.string().nullable(),
  populationCreatedAt: z.string().openapi({ description: "When the population was uploaded" }),
};

const SampleSummary = SampleCreated.extend({
  ...PopulationOf,
  createdBy: z.string().nullable(),
  progress: z.object({
    ...WorkCounts,
    unassigned: z.number().int().openapi({ description: "Items without an auditor" }),
  }),
}).openapi("SampleSummary");

const SampleDetail = SampleCreated.extend({
  ...PopulationOf,
  strata: z.array(Stratum.extend({ audited: z.number().int(), ...WorkCounts })),
  progress: z.object({
    drawn: z.number().int(),
    audited: z.number().int().openapi({ description: "Drawn items with an audit of their decision id" }),
    remaining: z.number().int(),
    unmatchedAudits: z
      .number()
      .int()
      .openapi({ description: "Audits with this sampleId whose decisionId was not drawn (typos?)" }),
    ...WorkCounts,
    unassigned: z.number().int().openapi({ description: "Items without an auditor" }),
    byAuditor: z
      .array(z.object({ auditor: z.string(), ...WorkCounts }))
      .openapi({ description: "Each auditor's items, by name" }),
  }),
  assignment: Assignment.nullable(),
  createdBy: z.string().nullable(),
}).openapi("Sample");

const AssignRequest = z
  .object({
    auditors: z
      .array(wellFormed(z.string().min(1).max(500)))
      .min(1)
      .max(1000),
    method: z.enum(["balanced"]).default("balanced"),
    replace: z.boolean().default(false).openapi({
      description:
        "Replace an existing assignment (every item's auditor, verdicts and skips kept with their items); without it, a sample already assigned answers 409 already_assigned",
    }),
    gold: GoldMixRequest,
  })
  .strict()
  .openapi("AssignRequest");

const created = (s: Sample) => ({
  id: s.id,
  name: s.name,
  population: s.population,
  seed: s.seed,
  n: s.n,
  strata: s.strata,
  // Stored as JSON by the draw (src/sampling/draw.ts `normalisedPlan`), whose shape DrawPlan documents.
  plan: s.plan as z.infer<typeof DrawPlan>,
  notes: s.notes,
  notices: s.notices ?? [],
  createdAt: s.createdAt,
});

function rateRow(e: { rate: number | null; lower: number | null; upper: number | null }) {
  return { rate: e.rate, lower: e.lower, upper: e.upper };
}

function estimateBody(estimate: StratifiedEstimate) {
  return {
    ...rateRow(estimate),
    standardError: estimate.standardError,
  };
}

export const samplesRouter = createRouter()
  .openapi(
    route("lead", {
      method: "post",
      path: "/v1/samples",
      operationId: "drawSample",
      tags: ["sampling"],
      summary: "Draw a reproducible stratified sample from a population",
      description: [
        "Sizes each stratum (total, margin, or perStratum; allocation proportional, neyman or equal), then draws, in each stratum, the n_h decisions with the smallest priority: the first 8 bytes of SHA-256 over the UTF-8 text `seed:id`, as an unsigned big-endian 64-bit integer (ties by id).",
        "Uniform without replacement and identical for the same population, plan and seed whatever the upload's row order; see the README for the same draw in PostgreSQL or DuckDB.",
      ].join("\n\n"),
      request: { body: jsonBody(DrawRequest) },
      responses: {
        201: jsonResponse(SampleCreated, "The sample: id, seed, n and each stratum's size and n"),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { db, writer, config } = c.get("deps");
      const sample = await storeDraw(db, writer, c.req.valid("json"), c.get("apiKey")!.name, config.timeZone);
      return c.json(created(sample), 201);
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/samples",
      operationId: "listSamples",
      tags: ["sampling"],
      summary: "List samples with their population and progress",
      request: {
        query: z.object({
          population: z
            .string()
            .min(1)
            .max(100)
            .optional()
            .openapi({ description: "Only this population's" }),
          q: z.string().min(1).max(200).optional().openapi({
            description: "Only samples whose name contains this text (case-insensitive)",
          }),
        }),
      },
      responses: {
        200: jsonResponse(z.object({ samples: z.array(SampleSummary) }), "Samples, oldest first"),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const samples = await listSampleSummaries(c.get("deps").db, c.req.valid("query"));
      return c.json(
        {
          samples: samples.map((s) => ({
            ...created(s),
            populationName: s.populationName,
            populationCreatedAt: s.populationCreatedAt,
            createdBy: s.createdBy,
            progress: s.progress,
          })),
        },
        200,
      );
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/samples/{id}",
      operationId: "getSample",
      tags: ["sampling"],
      summary: "A sample: plan, seed, strata and audit progress",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(SampleDetail, "The sample"),
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { db } = c.get("deps");
      const sample = await findSample(db, c.req.valid("param").id);
      const progress = await sampleProgress(db, sample);
      const population = await getPopulation(db, sample.population);
      const { audited, ...totals } = progress.totals;
      return c.json(
        {
          ...created(sample),
          populationName: population?.name ?? null,
          populationCreatedAt: population?.createdAt ?? "",
          strata: sample.strata.map((s) => ({ ...s, ...progress.strata.get(s.key)! })),
          progress: {
            drawn: sample.n,
            audited,
            remaining: sample.n - audited,
            unmatchedAudits: progress.unmatchedAudits,
            ...totals,
            byAuditor: progress.byAuditor,
          },
          assignment: sample.assignment,
          createdBy: sample.createdBy,
        },
        200,
      );
    },
  )
  .openapi(
    route("lead", {
      method: "delete",
      path: "/v1/samples/{id}",
      operationId: "deleteSample",
      tags: ["sampling"],
      summary: "Delete a sample and its items; 409 sample_has_audits while audits name it",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(z.object({ id: z.string(), deleted: z.boolean() }), "Deleted"),
        ...errorResponses(401, 403, 404, 409),
      },
    }),
    async (c) => {
      const id = c.req.valid("param").id;
      await removeSample(c.get("deps").db, id);
      return c.json({ id, deleted: true }, 200);
    },
  )
  .route("/", sampleItemsRouter)
  .openapi(
    route("lead", {
      method: "post",
      path: "/v1/samples/{id}/assign",
      operationId: "assignSample",
      tags: ["sampling"],
      summary: "Assign every drawn item an auditor: balanced, never the decision's own moderator",
      description:
        "Loads differ by at most one whenever that is possible without self-review (an auditor never gets a decision whose moderator has the same name); otherwise the most even assignment possible, with `balanced: false` and a note. A sample already assigned answers 409 already_assigned (details: each current auditor's done, skipped and todo items) unless the body says `replace: true`. 422 when no valid assignment exists (a single auditor who moderated some of the decisions).",
      request: { params: IdParam, body: jsonBody(AssignRequest) },
      responses: {
        200: jsonResponse(
          Assignment.extend({ sample: z.string(), n: z.number().int(), gold: GoldPlacement.optional() }),
          "The assignment (`gold`: what was mixed in, only in this lead's answer)",
        ),
        ...errorResponses(400, 401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const { db } = c.get("deps");
      const id = c.req.valid("param").id;
      const body = c.req.valid("json");
      const assignment = await assignSample(
        db,
        id,
        body.auditors,
        c.get("apiKey")!.name,
        body.replace,
        body.gold,
      );
      const n = assignment.loads.reduce((sum, l) => sum + l.items, 0);
      return c.json({ sample: id, n, ...assignment }, 200);
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/samples/{id}/estimate",
      operationId: "getSampleEstimate",
      tags: ["sampling"],
      summary:
        "Population error rate from the audited items (stratified estimator), overall and by error type",
      description:
        "p̂ = Σ W_h p̂_h, W_h = N_h/N; variance Σ W_h²(1 − n_h/N_h)p̂_h(1 − p̂_h)/(n_h − 1) with n_h the audited items; normal interval clipped to [0, 1]. Each stratum's rate has a Wilson interval. Strata with fewer than 2 audited items are listed with included: false and a warning, and the weights are re-normalised over the others (coverage says which share of the population the estimate covers). Each item counts by the latest audit of its decision.",
      request: {
        params: IdParam,
        query: z.object({ confidence: z.coerce.number().gt(0).lt(1).default(0.95) }),
      },
      responses: {
        200: jsonResponse(EstimateResult, "The estimate"),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { db } = c.get("deps");
      const sample = await findSample(db, c.req.valid("param").id);
      const result = await estimateSample(db, sample, c.req.valid("query").confidence);
      const overall = result.overall;
      const drawnOf = new Map(sample.strata.map((s) => [s.key, s.n]));
      return c.json(
        {
          sample: sample.id,
          population: sample.population,
          confidence: result.confidence,
          method: "stratified, normal interval clipped to [0, 1]; Wilson per stratum",
          drawn: sample.n,
          audited: overall.strata.reduce((sum, s) => sum + s.audited, 0),
          skipped: result.skipped,
          errors: overall.strata.reduce((sum, s) => sum + s.errors, 0),
          ...estimateBody(overall),
          variance: overall.variance,
          coverage: { size: overall.coveredSize, population: overall.population, share: overall.coverage },
          strata: overall.strata.map((s) => ({
            key: s.key,
            size: s.size,
            drawn: drawnOf.get(s.key) ?? 0,
            audited: s.audited,
            skipped: result.skippedByStratum.get(s.key) ?? 0,
            errors: s.errors,
            ...rateRow(s),
            weight: s.weight,
            included: s.included,
          })),
          byErrorType: result.byErrorType.map(({ errorType, estimate }) => ({
            errorType,
            errors: estimate.strata.reduce((sum, s) => sum + s.errors, 0),
            ...estimateBody(estimate),
            strata: estimate.strata.map((s) => ({ key: s.key, errors: s.errors, ...rateRow(s) })),
          })),
          warnings: overall.warnings,
        },
        200,
      );
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/samples/{id}/explain",
      operationId: "explainSample",
      tags: ["sampling"],
      summary: "How a decision got into the sample (or why not): its hash, priority, stratum and the cut-off",
      request: {
        params: IdParam,
        query: z.object({ decisionId: z.string().min(1).max(500) }),
      },
      responses: {
        200: jsonResponse(ExplainResult, "The draw rule applied to this decision"),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { decisionId } = c.req.valid("query");
      return c.json(await explainDecision(c.get("deps").db, id, decisionId, c.get("apiKey")!), 200);
    },
  );
