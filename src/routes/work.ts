import { z } from "@hono/zod-openapi";
import { onAuditsIngested, onAuditsRevised } from "../alerts/index.ts";
import { ERROR_TYPES, OUTCOMES } from "../audits/validate.ts";
import { callerIdentity } from "../db/keys.ts";
import { SKIP_REASONS, WORK_STATUSES } from "../db/work.ts";
import { route } from "../http/auth.ts";
import { readJsonBody } from "../http/json-body.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, wellFormed } from "../http/schemas.ts";
import { reassignItems } from "../sampling/reassign.ts";
import { recordVerdict, skipItem, unskipItem } from "../sampling/verdicts.ts";
import { workQueue, workSummary } from "../sampling/work.ts";

const ItemParams = z.object({
  id: z.string().min(1).max(100).openapi({ description: "The sample id" }),
  itemId: z
    .string()
    .min(1)
    .max(500)
    .openapi({ description: "The drawn decision's id, URL-encoded (`encodeURIComponent`)" }),
});
const SampleParam = z.object({ id: z.string().min(1).max(100).openapi({ description: "The sample id" }) });
const auditorName = wellFormed(z.string().min(1).max(500));
const AuditorQuery = auditorName.optional().openapi({
  description:
    "Whose work: required for lead and admin keys; an auditor key sees its own rater's (naming another → 403)",
});

const Verdict = z
  .object({
    auditId: z.string().openapi({ description: "The audit's id (a verdict's is `verdictAuditId`: v-…)" }),
    auditor: z.string(),
    outcome: z.enum(OUTCOMES),
    errorType: z.string().nullable(),
    severity: z.number().int().nullable(),
    correctPolicy: z.string().nullable(),
    notes: z.string().nullable(),
    revision: z.number().int().openapi({ description: "1 until corrected" }),
    auditedAt: z.string(),
    recordedBy: z
      .string()
      .nullable()
      .openapi({ description: "Who entered it, when recorded for someone else" }),
  })
  .openapi("Verdict");

const WorkItem = z
  .object({
    sampleId: z.string(),
    position: z.number().int().openapi({
      description:
        "1-based place among the items of the item's auditor in this sample (the whole sample when unassigned): the 17 of 17 / 120",
    }),
    auditorItems: z
      .number()
      .int()
      .openapi({ description: "How many items of this sample the item's auditor has: the 120 of 17 / 120" }),
    samplePosition: z.number().int().openapi({ description: "1-based place in the sample's draw order" }),
    sampleItems: z.number().int().openapi({ description: "How many items the sample has" }),
    decisionId: z.string(),
    auditor: z.string().nullable().openapi({ description: "The assigned auditor" }),
    stratum: z.string(),
    queue: z.string().nullable(),
    moderator: z.string().nullable(),
    label: z.string().nullable().openapi({ description: "The moderator's action" }),
    policy: z.string().nullable(),
    market: z.string().nullable(),
    decidedAt: z.string().nullable(),
    url: z.string().nullable().openapi({ description: "The decision's page in the moderation tool" }),
    content: z.string().nullable().openapi({ description: "A short excerpt or caption" }),
    context: z.record(z.string(), z.string()).openapi({ description: "The `context.<name>` columns" }),
    status: z.enum(WORK_STATUSES).openapi({
      description:
        "done: an audit names this sample and decision (however it arrived); skipped: skipped and not done; else todo",
    }),
    skip: z
      .object({
        reason: z.enum(SKIP_REASONS),
        note: z.string().nullable(),
        by: z.string().nullable(),
        at: z.string().nullable(),
      })
      .nullable(),
    verdict: Verdict.nullable().openapi({
      description:
        "The latest (by arrival) audit naming this sample and decision, whichever way it arrived; null in an auditor key's own queue while it reviews that audit blind (a dispute's second review)",
    }),
  })
  .openapi("WorkItem");

const WorkQuery = z.object({
  sample: z.string().min(1).max(100).optional().openapi({ description: "Only this sample's items" }),
  status: z
    .enum([...WORK_STATUSES, "all"])
    .default("todo")
    .openapi({ description: "Which items (default todo)" }),
  auditor: AuditorQuery,
  cursor: z.string().max(1000).optional().openapi({ description: "nextCursor from the previous page" }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const WorkPage = z
  .object({
    auditor: z.string(),
    items: z.array(WorkItem),
    nextCursor: z.string().nullable().openapi({ description: "null on the last page" }),
  })
  .openapi("WorkPage");

const Counts = {
  assigned: z.number().int(),
  done: z.number().int(),
  skipped: z.number().int(),
  todo: z.number().int(),
};
const WorkSummary = z
  .object({
    auditor: z.string(),
    samples: z.array(
      z.object({
        sampleId: z.string(),
        population: z.string(),
        createdAt: z.string(),
        drawn: z.number().int().openapi({ description: "The sample's size" }),
        ...Counts,
      }),
    ),
    totals: z.object(Counts),
    pendingReviews: z.number().int().openapi({
      description: "Disputes' blind second reviews waiting for this auditor (listed by GET /v1/work/reviews)",
    }),
  })
  .openapi("WorkSummary");

const optionalText = (max: number) => wellFormed(z.string().max(max)).nullish();

const VerdictRequest = z
  .object({
    outcome: z.enum(OUTCOMES),
    errorType: z
      .enum(ERROR_TYPES)
      .nullish()
      .openapi({ description: "Required when incorrect, absent when correct" }),
    severity: z.number().int().min(1).max(4).nullish(),
    correctPolicy: optionalText(500).openapi({ description: "The policy the decision should have applied" }),
    notes: optionalText(20_000),
    reason: optionalText(2000).openapi({
      description: "Why a stored verdict is changed (its revision history)",
    }),
    auditor: auditorName.optional().openapi({
      description: "Lead and admin keys, unassigned items only: whose verdict it is",
    }),
  })
  .strict()
  .openapi("VerdictRequest");

const VerdictResponse = WorkItem.extend({
  changed: z
    .boolean()
    .openapi({ description: "false: the same verdict was already stored (nothing written)" }),
  revision: z.number().int().openapi({ description: "The stored verdict's revision" }),
}).openapi("VerdictResult");

const SkipRequest = z
  .object({
    reason: z.enum(SKIP_REASONS),
    note: optionalText(2000),
  })
  .strict()
  .openapi("SkipRequest");

const ReassignRequest = z
  .object({
    items: z
      .array(wellFormed(z.string().min(1).max(500)))
      .min(1)
      .max(10_000)
      .openapi({ description: "Decision ids of the sample's items" }),
    auditor: auditorName,
  })
  .strict()
  .openapi("ReassignRequest");

const ReassignResult = z
  .object({
    sample: z.string(),
    auditor: z.string(),
    reassigned: z.array(
      z.object({ decisionId: z.string(), from: z.string().nullable(), wasSkipped: z.boolean() }),
    ),
    unchanged: z.array(z.string()).openapi({ description: "Already this auditor's and not skipped" }),
    assignment: z.object({
      method: z.literal("balanced"),
      auditors: z.array(z.string()),
      loads: z.array(z.object({ auditor: z.string(), items: z.number().int() })),
      balanced: z.boolean(),
      notes: z.array(z.string()),
      assignedAt: z.string(),
      assignedBy: z.string().nullable(),
    }),
  })
  .openapi("ReassignResult");

const ROLE_RULES =
  "An auditor key acts on the items assigned to its rater (another's → 403 not_assigned); lead and admin keys on any item.";

export const workRouter = createRouter();
// The verdict's body schema, referenced by the PUT route (which validates it itself).
workRouter.openAPIRegistry.register("VerdictRequest", VerdictRequest);
workRouter
  .openapi(
    route("auditor", {
      method: "get",
      path: "/v1/work",
      operationId: "listWork",
      tags: ["work"],
      summary: "The auditor's work queue: assigned items across samples, by sample then position",
      description:
        "Each item with its decision's values and context, its place among the auditor's items of the sample, its status and current verdict. Keyset-paginated: pass `nextCursor` as `cursor`.",
      request: { query: WorkQuery },
      responses: {
        200: jsonResponse(WorkPage, "A page of items"),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { db } = c.get("deps");
      return c.json(await workQueue(db, c.get("apiKey")!, c.req.valid("query")), 200);
    },
  )
  .openapi(
    route("auditor", {
      method: "get",
      path: "/v1/work/summary",
      operationId: "getWorkSummary",
      tags: ["work"],
      summary: "Per sample, the auditor's items: assigned, done, skipped, todo",
      request: { query: z.object({ auditor: AuditorQuery }) },
      responses: {
        200: jsonResponse(WorkSummary, "Samples by id, and the totals"),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { db } = c.get("deps");
      return c.json(await workSummary(db, c.get("apiKey")!, c.req.valid("query").auditor), 200);
    },
  )
  .openapi(
    route("auditor", {
      method: "put",
      path: "/v1/samples/{id}/items/{itemId}/verdict",
      operationId: "recordVerdict",
      tags: ["work"],
      summary:
        "Record the verdict on a drawn item (idempotent: one audit per item, corrections are revisions)",
      description: [
        "Creates the audit with id `verdictAuditId(sample, decision)` (so a retried or concurrent PUT is the same audit), its queue, moderator, policy, market, decidedAt, decisionId and sampleId from the population, auditedAt now; validated as POST /v1/audits. The same verdict again → 200 `changed: false`; another verdict → 200, a new revision (with `reason`). Ends the item's skip.",
        `${ROLE_RULES} A lead or admin records for the assigned auditor (the audit's recordedBy names the caller); on an unassigned item they name the auditor. No one audits a decision they moderated (403 self_review).`,
      ].join("\n\n"),
      // Documented by reference: the handler reads and validates the body itself (readJsonBody).
      request: {
        params: ItemParams,
        body: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/VerdictRequest" } } },
        },
      },
      responses: {
        201: jsonResponse(VerdictResponse, "Stored as a new audit: the item with its verdict"),
        200: jsonResponse(VerdictResponse, "Unchanged, or stored as a new revision"),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415),
      },
    }),
    async (c) => {
      const deps = c.get("deps");
      const { id, itemId } = c.req.valid("param");
      const body = await readJsonBody(c, VerdictRequest);
      const result = await recordVerdict(deps.db, id, itemId, body, c.get("apiKey")!);
      const answer = { ...result.item, changed: result.changed, revision: result.revision };
      // Alert evaluation is scheduled after the commit, never awaited here.
      if (!result.created) {
        if (result.changed) onAuditsRevised(deps);
        return c.json(answer, 200);
      }
      onAuditsIngested(deps, 1);
      return c.json(answer, 201);
    },
  )
  .openapi(
    route("auditor", {
      method: "post",
      path: "/v1/samples/{id}/items/{itemId}/skip",
      operationId: "skipItem",
      tags: ["work"],
      summary: "Skip a drawn item with a reason (it counts as skipped and is left out of estimates)",
      description: `${ROLE_RULES} An item with a verdict cannot be skipped (409 already_audited). Skipping again replaces the reason and note.`,
      request: { params: ItemParams, body: jsonBody(SkipRequest) },
      responses: {
        200: jsonResponse(WorkItem, "The item, skipped"),
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { id, itemId } = c.req.valid("param");
      const key = c.get("apiKey")!;
      return c.json(await skipItem(c.get("deps").db, id, itemId, c.req.valid("json"), key), 200);
    },
  )
  .openapi(
    route("auditor", {
      method: "delete",
      path: "/v1/samples/{id}/items/{itemId}/skip",
      operationId: "unskipItem",
      tags: ["work"],
      summary: "Unskip a drawn item (todo again)",
      description: ROLE_RULES,
      request: { params: ItemParams },
      responses: {
        200: jsonResponse(WorkItem, "The item"),
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { id, itemId } = c.req.valid("param");
      return c.json(await unskipItem(c.get("deps").db, id, itemId, c.get("apiKey")!), 200);
    },
  )
  .openapi(
    route("lead", {
      method: "post",
      path: "/v1/samples/{id}/items/reassign",
      operationId: "reassignItems",
      tags: ["work"],
      summary: "Give unstarted or skipped items to another auditor",
      description:
        "All or nothing: every item must be drawn in the sample (400 naming it), have no verdict (409 already_audited naming it) and not be decided by the auditor (400 self_review naming it). Skipped items become todo. The sample's assignment summary gets the new loads and a note; the sample must have been assigned (409 sample_not_assigned).",
      request: { params: SampleParam, body: jsonBody(ReassignRequest) },
      responses: {
        200: jsonResponse(ReassignResult, "What changed"),
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { items, auditor } = c.req.valid("json");
      const by = callerIdentity(c.get("apiKey")!);
      return c.json(await reassignItems(c.get("deps").db, c.req.valid("param").id, items, auditor, by), 200);
    },
  );
