import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { announceDisputeChange } from "../alerts/dispute-events.ts";
import { FilterQuery, resolveTimeZone, toFilter } from "../audits/filters.ts";
import { ERROR_TYPES, OUTCOMES } from "../audits/validate.ts";
import { DISPUTE_STATES } from "../db/disputes.ts";
import { isLeadOrAdmin } from "../feedback/access.ts";
import type { DisputeSettings } from "../feedback/dispute-views.ts";
import { disputeList, findDispute, MAX_REASON, openDispute } from "../feedback/disputes.ts";
import { decideDispute, MAX_DECISION_NOTE, recordReview, reviewQueue } from "../feedback/disputes-review.ts";
import { route } from "../http/auth.ts";
import { type AppEnv, computeOf } from "../http/env.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, wellFormed } from "../http/schemas.ts";

const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, description: "The dispute's id" }),
});
const AuditIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(500)
    .openapi({ param: { name: "id", in: "path" }, description: "The audit's id" }),
});

const VerdictFields = {
  outcome: z.enum(OUTCOMES),
  errorType: z.enum(ERROR_TYPES).nullable(),
  severity: z.number().int().nullable(),
  correctPolicy: z.string().nullable(),
  notes: z.string().nullable(),
};

const DisputeSchema = z
  .object({
    id: z.string(),
    state: z.enum(DISPUTE_STATES).openapi({
      description:
        "open (waiting for the second review) → upheld | escalated; escalated → upheld | overturned",
    }),
    blind: z.boolean().openapi({
      description:
        "true for the second reviewer before its review: auditId, auditRevision, auditor, reason, openedBy and verdict are null",
    }),
    auditId: z.string().nullable(),
    auditRevision: z.number().int().nullable().openapi({ description: "The audit's revision under dispute" }),
    moderator: z.string(),
    queue: z.string(),
    auditor: z.string().nullable().openapi({
      description: "The audit's auditor; null to moderator keys unless MODQC_SHOW_AUDITOR_TO_MODERATOR=true",
    }),
    reviewer: z.string().nullable().openapi({
      description:
        "The blind second reviewer; null to moderator keys unless MODQC_SHOW_AUDITOR_TO_MODERATOR=true",
    }),
    reason: z.string().nullable(),
    openedBy: z.string().nullable(),
    openedAt: z.string(),
    ageMs: z.number().openapi({ description: "From opening to resolution, or to now while unresolved" }),
    resolvedAt: z.string().nullable(),
    decision: z
      .object({
        decisionId: z.string(),
        queue: z.string(),
        moderator: z.string(),
        market: z.string().nullable(),
        policy: z.string().nullable().openapi({ description: "The policy the moderator applied" }),
        decidedAt: z.string().nullable(),
        label: z
          .string()
          .nullable()
          .openapi({ description: "The moderator's action (from the audit's sample)" }),
        url: z.string().nullable(),
        content: z.string().nullable(),
        context: z.record(z.string(), z.string()),
      })
      .openapi({
        description: "The moderation decision under dispute, with its context when its sample has it",
      }),
    verdict: z.object(VerdictFields).nullable().openapi({ description: "The verdict under dispute" }),
    review: z
      .object({ ...VerdictFields, reviewedAt: z.string(), agreed: z.boolean() })
      .nullable()
      .openapi({ description: "The second reviewer's verdict" }),
    leadDecision: z
      .object({
        final: z.enum(["upheld", "overturned"]),
        by: z.string(),
        note: z.string(),
        decidedAt: z.string(),
      })
      .nullable(),
  })
  .openapi("Dispute");

const NewDispute = z
  .object({ reason: wellFormed(z.string().max(MAX_REASON).regex(/\S/, "must not be blank")) })
  .strict()
  .openapi("NewDispute");

const ReviewRequest = z
  .object({
    outcome: z.enum(OUTCOMES),
    errorType: z
      .enum(ERROR_TYPES)
      .nullish()
      .openapi({ description: "Required when incorrect, absent when correct" }),
    severity: z.number().int().min(1).max(4).nullish(),
    correctPolicy: wellFormed(z.string().max(500)).nullish(),
    notes: wellFormed(z.string().max(20_000)).nullish(),
  })
  .strict()
  .superRefine((review, ctx) => {
    if (review.outcome === "incorrect" && review.errorType == null) {
      ctx.addIssue({ code: "custom", path: ["errorType"], message: "is required when outcome is incorrect" });
    }
    if (review.outcome === "correct" && review.errorType != null) {
      ctx.addIssue({
        code: "custom",
        path: ["errorType"],
        message: "must be absent when outcome is correct",
      });
    }
  })
  .openapi("DisputeReview");

const DecisionRequest = z
  .object({
    final: z.enum(["upheld", "overturned"]),
    note: wellFormed(z.string().max(MAX_DECISION_NOTE).regex(/\S/, "must not be blank")),
  })
  .strict()
  .openapi("DisputeDecision");

const nameFilter = wellFormed(z.string().min(1).max(500)).optional();
const ListQuery = FilterQuery.pick({ from: true, to: true, tz: true }).extend({
  state: z.enum(DISPUTE_STATES).optional(),
  moderator: nameFilter,
  auditor: nameFilter.openapi({ description: "The disputed audits' auditor (lead and admin keys)" }),
  reviewer: nameFilter,
  queue: nameFilter,
  cursor: z.string().max(200).optional().openapi({ description: "nextCursor from the previous page" }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

const StatsQuery = FilterQuery.pick({ from: true, to: true, tz: true, queue: true });

const Rate = {
  rate: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
};
const DisputeStats = z
  .object({
    confidence: z.number(),
    method: z.literal("wilson"),
    states: z.object({
      open: z.number().int(),
      escalated: z.number().int(),
      upheld: z.number().int(),
      overturned: z.number().int(),
    }),
    auditors: z.array(
      z.object({ auditor: z.string(), resolved: z.number().int(), overturned: z.number().int(), ...Rate }),
    ),
    queues: z.array(
      z.object({ queue: z.string(), audits: z.number().int(), disputed: z.number().int(), ...Rate }),
    ),
    resolution: z.object({
      count: z.number().int(),
      medianMs: z.number().nullable(),
      p90Ms: z.number().nullable(),
      quantile: z.literal("hyndman-fan-7"),
    }),
  })
  .openapi("DisputeStats");

function settings(c: Context<AppEnv>): DisputeSettings {
  const { config, alerts } = c.get("deps");
  return {
    showAuditorToModerator: config.feedback.showAuditorToModerator,
    disputeWindowMs: config.feedback.disputeWindowMs,
    publicUrl: config.alerts.publicUrl,
    now: alerts!.now(),
  };
}

/** A period's bounds (dates in tz) as epoch milliseconds. */
function period(c: Context<AppEnv>, query: { from?: string; to?: string; tz?: string }) {
  const filter = toFilter(query, resolveTimeZone(query.tz, c.get("deps").config.timeZone));
  return { fromMs: filter.fromMs, toMs: filter.toMs };
}

export const disputesRouter = createRouter()
  .openapi(
    route("moderator", {
      method: "post",
      path: "/v1/audits/{id}/disputes",
      operationId: "disputeAudit",
      tags: ["disputes"],
      summary: "Dispute an incorrect verdict: a blind second review by another auditor",
      description: [
        "The audited moderator's own key, or a lead or admin on their behalf (other keys 403). Only an `incorrect` verdict (409 `audit_not_incorrect`), within MODQC_DISPUTE_WINDOW after its auditedAt (409 `dispute_window_closed`), with no unresolved dispute (409 `dispute_exists`), not already disputed at the same revision (409 `already_disputed`).",
        "The second reviewer is assigned at once: a rater of an active auditor key, not the audit's auditor, not the moderator, not an earlier reviewer of the audit, with the fewest reviews still to record (then the fewest ever assigned, then by name); none → 409 `no_reviewer_available`. Queues the dispute.opened webhook event.",
      ].join("\n\n"),
      request: { params: AuditIdParam, body: jsonBody(NewDispute) },
      responses: {
        201: jsonResponse(DisputeSchema, "Opened"),
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const deps = c.get("deps");
      const { id } = c.req.valid("param");
      const opened = await openDispute(
        deps.db,
        c.get("apiKey")!,
        id,
        c.req.valid("json").reason,
        settings(c),
      );
      announceDisputeChange(deps, { deliveries: opened.deliveries, revised: false });
      return c.json(opened.dispute, 201);
    },
  )
  .openapi(
    route("lead", {
      method: "get",
      path: "/v1/disputes/stats",
      operationId: "getDisputeStats",
      tags: ["disputes"],
      summary: "Overturn rate per auditor, dispute rate per queue, time to resolution",
      description:
        "Over the disputes of the audits audited in [from, to) (dates in tz), optionally one queue's. Per auditor: overturned / resolved disputes of their audits with a 95 % Wilson interval. Per queue: disputed audits / audits with a 95 % Wilson interval. Time to resolution (opening → resolution) in ms: count, median and 90th percentile, sample quantiles by linear interpolation (Hyndman & Fan 1996, definition 7; R's default).",
      request: { query: StatsQuery },
      responses: {
        200: jsonResponse(DisputeStats, "The statistics"),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const input = { ...period(c, query), queue: query.queue };
      return c.json(await computeOf(c.get("deps")).run("dispute-stats", input), 200);
    },
  )
  .openapi(
    route("moderator", {
      method: "get",
      path: "/v1/disputes",
      operationId: "listDisputes",
      tags: ["disputes"],
      summary: "List disputes, newest first, each with its age",
      description:
        "Leads and admins: every dispute, by state, moderator, auditor, reviewer, queue and opening date (from/to, dates in tz). A moderator key: its own moderator's only (auditor and reviewer filters 403 unless MODQC_SHOW_AUDITOR_TO_MODERATOR=true). An auditor key: the disputes it reviews, blind while open (the auditor filter 403). Viewer keys 403.",
      request: { query: ListQuery },
      responses: {
        200: jsonResponse(
          z
            .object({
              disputes: z.array(DisputeSchema),
              nextCursor: z.string().nullable(),
              stats: DisputeStats.nullable().openapi({
                description:
                  "Leads and admins: the statistics of GET /v1/disputes/stats for the same from, to and queue (overturn rate per auditor, dispute rate per queue, time to resolution); null to other keys",
              }),
            })
            .openapi("DisputePage"),
          "A page; nextCursor null on the last",
        ),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { from, to, tz, ...query } = c.req.valid("query");
      const deps = c.get("deps");
      const key = c.get("apiKey")!;
      const bounds = period(c, { from, to, tz });
      const [page, stats] = await Promise.all([
        disputeList(deps.db, key, { ...query, ...bounds }, settings(c)),
        isLeadOrAdmin(key) ? computeOf(deps).run("dispute-stats", { ...bounds, queue: query.queue }) : null,
      ]);
      return c.json({ ...page, stats }, 200);
    },
  )
  .openapi(
    route("moderator", {
      method: "get",
      path: "/v1/disputes/{id}",
      operationId: "getDispute",
      tags: ["disputes"],
      summary: "One dispute, as the caller may see it",
      description:
        "Leads and admins; the audited moderator's key (auditor names hidden unless MODQC_SHOW_AUDITOR_TO_MODERATOR=true); the second reviewer's auditor key, blind until its review is recorded (no verdict, notes, auditor or reason); the audit's auditor once the dispute is resolved. Others 403.",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(DisputeSchema, "The dispute"),
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) =>
      c.json(
        await findDispute(c.get("deps").db, c.get("apiKey")!, c.req.valid("param").id, settings(c)),
        200,
      ),
  )
  .openapi(
    route("auditor", {
      method: "put",
      path: "/v1/disputes/{id}/review",
      operationId: "reviewDispute",
      tags: ["disputes"],
      summary: "Record the blind second review",
      description:
        "Only the assigned reviewer's auditor key (403 `not_reviewer`), once (409 `review_already_recorded`). The same outcome as the audit's verdict (and, when incorrect, the same errorType) → `upheld` (resolved; dispute.resolved queued); a different one → `escalated` to a lead.",
      request: { params: IdParam, body: jsonBody(ReviewRequest) },
      responses: {
        200: jsonResponse(DisputeSchema, "Recorded: the dispute, no longer blind"),
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const deps = c.get("deps");
      const { id } = c.req.valid("param");
      const result = await recordReview(deps.db, c.get("apiKey")!, id, c.req.valid("json"), settings(c));
      announceDisputeChange(deps, { deliveries: result.deliveries, revised: false });
      return c.json(result.dispute, 200);
    },
  )
  .openapi(
    route("lead", {
      method: "post",
      path: "/v1/disputes/{id}/decision",
      operationId: "decideDispute",
      tags: ["disputes"],
      summary: "Decide an escalated dispute: uphold the verdict or overturn it",
      description:
        "Only an escalated dispute (409 `review_pending` before the review, `dispute_resolved` after a decision). `overturned` makes the second reviewer's verdict the audit's: a revision whose reason is `dispute <id> overturned: <note>`, so reports, charts, estimates and alerts use it. Queues dispute.resolved.",
      request: { params: IdParam, body: jsonBody(DecisionRequest) },
      responses: {
        200: jsonResponse(DisputeSchema, "Decided"),
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const deps = c.get("deps");
      const { id } = c.req.valid("param");
      const result = await decideDispute(deps.db, c.get("apiKey")!, id, c.req.valid("json"), settings(c));
      announceDisputeChange(deps, result);
      return c.json(result.dispute, 200);
    },
  )
  .openapi(
    route("auditor", {
      method: "get",
      path: "/v1/work/reviews",
      operationId: "listReviewWork",
      tags: ["work"],
      summary: "Second reviews of disputes waiting for an auditor, oldest first",
      description:
        "An auditor key gets its own (naming another auditor → 403), blind: the decision and its context, not the verdict, notes, auditor or reason. Lead and admin keys name the auditor.",
      request: {
        query: z.object({
          auditor: wellFormed(z.string().min(1).max(500))
            .optional()
            .openapi({ description: "Whose reviews: required for lead and admin keys" }),
        }),
      },
      responses: {
        200: jsonResponse(
          z.object({ auditor: z.string(), reviews: z.array(DisputeSchema) }).openapi("ReviewQueue"),
          "The reviews to record",
        ),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) =>
      c.json(
        await reviewQueue(c.get("deps").db, c.get("apiKey")!, c.req.valid("query").auditor, settings(c)),
        200,
      ),
  );
