import { z } from "@hono/zod-openapi";
import { ERROR_TYPES, OUTCOMES } from "../audits/validate.ts";
import { type ListedGold, sampleGoldSlots } from "../db/gold.ts";
import { parseContext } from "../db/populations.ts";
import {
  goldPage,
  MAX_GOLD_ITEMS,
  MAX_GOLD_NOTES,
  MAX_GOLD_TEXT,
  registerGold,
  retireGoldItem,
} from "../gold/register.ts";
import { route } from "../http/auth.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, wellFormed } from "../http/schemas.ts";
import { MAX_CONTEXT_COLUMNS, MAX_CONTEXT_NAME, MAX_CONTEXT_TEXT, MAX_URL } from "../sampling/context.ts";
import { findSample } from "../sampling/find.ts";

const text = (max: number) => wellFormed(z.string().max(max));
const requiredText = wellFormed(z.string().min(1).max(MAX_GOLD_TEXT));

const Decision = {
  queue: requiredText,
  moderator: requiredText.openapi({
    description: "Never placed in this moderator's own queue as an auditor",
  }),
  label: text(MAX_GOLD_TEXT).nullable().optional().openapi({ description: "The moderator's action" }),
  policy: text(MAX_GOLD_TEXT).nullable().optional(),
  market: text(MAX_GOLD_TEXT).nullable().optional(),
  decidedAt: z.string().max(40).nullable().optional().openapi({
    description: "ISO 8601 with an offset; the queue shows a time within the sample's when this one is not",
  }),
  url: text(MAX_URL).nullable().optional().openapi({ description: "Absolute http(s) URL" }),
  content: text(MAX_CONTEXT_TEXT).nullable().optional(),
  context: z
    .record(text(MAX_CONTEXT_NAME), text(MAX_CONTEXT_TEXT))
    .optional()
    .openapi({
      description: `Labelled fields as in populations' context.<name> columns (≤ ${MAX_CONTEXT_COLUMNS})`,
    }),
};

const Answer = {
  outcome: z.enum(OUTCOMES).openapi({ description: "The known-correct outcome" }),
  errorType: z.enum(ERROR_TYPES).nullable().optional().openapi({ description: "Required when incorrect" }),
  severity: z
    .number()
    .int()
    .min(1)
    .max(4)
    .nullable()
    .optional()
    .openapi({ description: "Reported, not scored" }),
  correctPolicy: text(MAX_GOLD_TEXT).nullable().optional().openapi({ description: "Reported, not scored" }),
};

const ManualItem = z
  .object({
    decisionId: requiredText,
    ...Decision,
    ...Answer,
    notes: text(MAX_GOLD_NOTES).nullable().optional(),
  })
  .strict()
  .openapi("GoldManualItem");

const GoldRequest = z
  .object({
    items: z.array(ManualItem).min(1).max(MAX_GOLD_ITEMS).optional().openapi({
      description: "Gold items by hand: the decision's values as the work queue shows them, and the answer",
    }),
    calibration: z
      .object({
        id: z.string().min(1).max(100).openapi({ description: "A CLOSED calibration session" }),
        answers: z
          .record(text(MAX_GOLD_TEXT), z.object(Answer).strict())
          .openapi({ description: "Each gold label (as text) → the verdict it means" }),
        decisions: z
          .record(text(MAX_GOLD_TEXT), z.object(Decision).strict())
          .optional()
          .openapi({ description: "Item id (= decision id) → the decision's values" }),
        sampleId: z.string().min(1).max(100).optional().openapi({
          description: "Items not in decisions take their values from this sample's drawn item of that id",
        }),
        notes: text(MAX_GOLD_NOTES).nullable().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .openapi("GoldRequest");

const GoldItem = z
  .object({
    id: z.string(),
    decisionId: z.string(),
    queue: z.string(),
    moderator: z.string(),
    label: z.string().nullable(),
    policy: z.string().nullable(),
    market: z.string().nullable(),
    decidedAt: z.string().nullable(),
    url: z.string().nullable(),
    content: z.string().nullable(),
    context: z.record(z.string(), z.string()),
    answer: z.object({
      outcome: z.enum(OUTCOMES),
      errorType: z.enum(ERROR_TYPES).nullable(),
      severity: z.number().int().nullable(),
      correctPolicy: z.string().nullable(),
    }),
    source: z.enum(["manual", "calibration"]),
    calibrationId: z.string().nullable(),
    calibrationItem: z.string().nullable(),
    notes: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    retiredAt: z.string().nullable(),
    retiredBy: z.string().nullable(),
    slots: z.number().int().openapi({ description: "Samples it was placed in" }),
    verdicts: z.number().int().openapi({ description: "Verdicts recorded on it (latest revisions)" }),
    correct: z.number().int().openapi({ description: "Of those, scored correct" }),
  })
  .openapi("GoldItem");

const goldItem = (g: ListedGold): z.infer<typeof GoldItem> => ({
  id: g.id,
  decisionId: g.decisionId,
  queue: g.queue,
  moderator: g.moderator,
  label: g.label,
  policy: g.policy,
  market: g.market,
  decidedAt: g.decidedAt,
  ...parseContext(g.context),
  answer: {
    outcome: g.outcome,
    errorType: g.errorType,
    severity: g.severity,
    correctPolicy: g.correctPolicy,
  },
  source: g.source,
  calibrationId: g.calibrationId,
  calibrationItem: g.calibrationItem,
  notes: g.notes,
  createdBy: g.createdBy,
  createdAt: g.createdAt,
  retiredAt: g.retiredAt,
  retiredBy: g.retiredBy,
  slots: g.slots,
  verdicts: g.verdicts,
  correct: g.correct,
});

/** The `gold` of POST /v1/samples/{id}/assign (src/routes/samples.ts). */
export const GoldMixRequest = z
  .object({
    share: z.number().min(0).max(0.5).openapi({
      description: "Gold items per drawn item of each auditor (e.g. 0.05)",
    }),
    perAuditorMin: z.number().int().min(0).max(1000).default(0).openapi({
      description: "At least this many gold items per auditor with items",
    }),
  })
  .strict()
  .optional()
  .openapi({
    description:
      "Mix registered gold items (POST /v1/gold) blind into each auditor's items: max(perAuditorMin, round(share × their items)) each, never a gold they moderated or whose decision is in the sample, each at most once, at seeded random places inside its stratum's rows (positions renumbered). 422 not_enough_gold when the pool is too small. Gold items are left out of the sample's estimate and progress; auditors cannot tell them apart.",
  });

/** What an assignment mixed in (its answer only: leads). */
export const GoldPlacement = z
  .object({
    share: z.number(),
    perAuditorMin: z.number().int(),
    items: z.number().int().openapi({ description: "Gold items placed by this assignment" }),
    kept: z.number().int().openapi({ description: "Gold items with verdicts kept from before" }),
    byAuditor: z.array(z.object({ auditor: z.string(), items: z.number().int() })),
  })
  .openapi("GoldPlacement");

const IdParam = z.object({ id: z.string().min(1).max(100) });

const GoldSlot = z
  .object({
    goldId: z.string(),
    decisionId: z.string(),
    position: z.number().int().openapi({ description: "1-based place in the sample's order" }),
    stratum: z.string(),
    auditor: z.string().nullable().openapi({ description: "Whose queue it is in now" }),
    placedFor: z.string(),
    decidedAt: z.string().nullable().openapi({ description: "The decision time the queue shows" }),
    placedAt: z.string(),
    expected: z.object({ outcome: z.enum(OUTCOMES), errorType: z.enum(ERROR_TYPES).nullable() }),
    verdict: z
      .object({
        outcome: z.enum(OUTCOMES),
        errorType: z.enum(ERROR_TYPES).nullable(),
        revision: z.number().int(),
        correct: z.boolean(),
      })
      .nullable(),
  })
  .openapi("GoldSlot");

export const goldRouter = createRouter()
  .openapi(
    route("lead", {
      method: "post",
      path: "/v1/gold",
      operationId: "registerGold",
      tags: ["gold"],
      summary: "Register gold items: decisions with their known-correct verdict",
      description:
        "Either `items` (by hand) or `calibration` (a CLOSED session's gold labels, each mapped by `answers` to a verdict; a calibration item's id is the decision id, its values from `decisions` or the drawn item of `sampleId`). All or nothing: 400 validation_failed names every bad field (`items.3.errorType`, `calibration.answers.hate`, `calibration.decisions.p2`); 409 gold_exists when a decision already has an active gold item; 409 calibration_open for an open session. Gold items are mixed blind into work queues by POST /v1/samples/{id}/assign with `gold`.",
      request: { body: jsonBody(GoldRequest) },
      responses: {
        201: jsonResponse(z.object({ items: z.array(GoldItem) }).openapi("GoldRegistered"), "Registered"),
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const items = await registerGold(c.get("deps").db, c.req.valid("json"), c.get("apiKey")!.name);
      return c.json({ items: items.map(goldItem) }, 201);
    },
  )
  .openapi(
    route("lead", {
      method: "get",
      path: "/v1/gold",
      operationId: "listGold",
      tags: ["gold"],
      summary: "Gold items, newest first (lead and admin keys only: auditors never see them)",
      request: {
        query: z.object({
          retired: z
            .enum(["true", "false"])
            .default("false")
            .transform((v) => v === "true")
            .openapi({ description: "Include retired gold items" }),
          cursor: z.string().max(1000).optional().openapi({ description: "nextCursor of the previous page" }),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      responses: {
        200: jsonResponse(
          z.object({ items: z.array(GoldItem), nextCursor: z.string().nullable() }).openapi("GoldPage"),
          "One page",
        ),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const page = await goldPage(c.get("deps").db, c.req.valid("query"));
      return c.json({ items: page.items.map(goldItem), nextCursor: page.nextCursor }, 200);
    },
  )
  .openapi(
    route("lead", {
      method: "delete",
      path: "/v1/gold/{id}",
      operationId: "retireGold",
      tags: ["gold"],
      summary:
        "Retire a gold item: never placed again; its placements and verdicts stay (nothing is deleted)",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(GoldItem, "The retired gold item"),
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const gold = await retireGoldItem(c.get("deps").db, c.req.valid("param").id, c.get("apiKey")!.name);
      return c.json(goldItem(gold), 200);
    },
  )
  .openapi(
    route("lead", {
      method: "get",
      path: "/v1/samples/{id}/gold",
      operationId: "listSampleGold",
      tags: ["gold"],
      summary:
        "Which items of a sample are gold, whose they are and their verdicts (lead and admin keys only)",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(
          z.object({ sample: z.string(), slots: z.array(GoldSlot) }).openapi("SampleGold"),
          "The sample's gold items in order",
        ),
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { db } = c.get("deps");
      const sample = await findSample(db, c.req.valid("param").id);
      const slots = (await sampleGoldSlots(db, sample.id)).map((s) => ({
        goldId: s.goldId,
        decisionId: s.decisionId,
        position: s.position + 1,
        stratum: s.stratum,
        auditor: s.auditor,
        placedFor: s.placedFor,
        decidedAt: s.decidedAt,
        placedAt: s.placedAt,
        expected: { outcome: s.expectedOutcome, errorType: s.expectedErrorType },
        verdict:
          s.outcome === null
            ? null
            : { outcome: s.outcome, errorType: s.errorType, revision: s.revision!, correct: s.correct === 1 },
      }));
      return c.json({ sample: sample.id, slots }, 200);
    },
  );
