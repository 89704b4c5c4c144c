import { z } from "@hono/zod-openapi";
import { FilterQuery, resolveTimeZone, toFilter } from "../audits/filters.ts";
import { ERROR_TYPES, OUTCOMES } from "../audits/validate.ts";
import { markFindingRead, moderatorFindings } from "../feedback/findings.ts";
import { route } from "../http/auth.ts";
import { computeOf } from "../http/env.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonResponse } from "../http/schemas.ts";

const AuditIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(500)
    .openapi({ param: { name: "id", in: "path" } }),
});

const FindingsQuery = FilterQuery.omit({ auditor: true }).extend({
  moderator: z.string().min(1).max(500).optional().openapi({
    description: "Whose findings: required for lead and admin keys; a moderator key reads only its own",
  }),
  outcome: z.enum(["incorrect", "correct", "all"]).default("incorrect"),
  read: z
    .enum(["true", "false"])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === "true"))
    .openapi({ description: "true: only findings marked read; false: only unread ones" }),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const Finding = z
  .object({
    auditId: z.string(),
    decisionId: z.string(),
    queue: z.string(),
    market: z.string().nullable(),
    policy: z.string().nullable(),
    correctPolicy: z.string().nullable(),
    outcome: z.enum(OUTCOMES),
    errorType: z.enum(ERROR_TYPES).nullable(),
    severity: z.number().int().nullable(),
    notes: z.string().nullable(),
    decidedAt: z.string().nullable(),
    auditedAt: z.string(),
    sampleId: z.string().nullable(),
    revision: z.number().int(),
    auditor: z.string().nullable().openapi({
      description: "Null to moderator keys unless MODQC_SHOW_AUDITOR_TO_MODERATOR=true",
    }),
    read: z.object({ at: z.string(), by: z.string() }).nullable(),
    dispute: z.object({ id: z.string(), state: z.string() }).nullable().openapi({
      description: "The latest dispute of this verdict, if any",
    }),
    disputableUntil: z.string(),
    disputable: z.boolean().openapi({
      description:
        "An incorrect verdict inside MODQC_DISPUTE_WINDOW that is not under dispute and was not disputed at its current revision",
    }),
  })
  .openapi("Finding");

const FindingsPage = z
  .object({ moderator: z.string(), findings: z.array(Finding), nextCursor: z.string().nullable() })
  .openapi("FindingsPage");

const ReadResult = z
  .object({
    auditId: z.string(),
    readAt: z.string(),
    readBy: z.string(),
    alreadyRead: z
      .boolean()
      .openapi({ description: "true when it was marked read before: the first time stays" }),
  })
  .openapi("FindingRead");

const UnreadQuery = FilterQuery.omit({ auditor: true }).extend({
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
});

const Unread = z
  .object({
    unread: z
      .number()
      .int()
      .openapi({ description: "Incorrect audits inside the filter no moderator has read" }),
    moderatorsWithUnread: z.number().int(),
    moderators: z.array(
      z.object({
        moderator: z.string(),
        unread: z.number().int(),
        oldestUnreadAt: z.string().openapi({ description: "auditedAt of the oldest unread error" }),
        oldestUnreadHours: z.number().int().openapi({ description: "Whole hours since then" }),
      }),
    ),
  })
  .openapi("UnreadFindings");

export const findingsRouter = createRouter()
  .openapi(
    route("moderator", {
      method: "get",
      path: "/v1/findings",
      operationId: "listFindings",
      tags: ["feedback"],
      summary: "A moderator's audited decisions with verdicts and notes, newest first",
      description:
        "A moderator key reads only its own moderator; leads and admins name one with `moderator`. Viewer and auditor keys: 403.",
      request: { query: FindingsQuery },
      responses: {
        200: jsonResponse(FindingsPage, "A page of findings and the cursor of the next one"),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { moderator, outcome, read, cursor, limit, ...filters } = c.req.valid("query");
      const { db, config } = c.get("deps");
      const filter = toFilter(filters, resolveTimeZone(filters.tz, config.timeZone));
      const query = { moderator, outcome, read, cursor, limit };
      return c.json(await moderatorFindings(db, c.get("apiKey")!, config.feedback, query, filter), 200);
    },
  )
  .openapi(
    route("lead", {
      method: "get",
      path: "/v1/findings/unread",
      operationId: "listUnreadFindings",
      tags: ["feedback"],
      summary: "Errors no moderator has read yet: per moderator how many and since when, the oldest first",
      request: { query: UnreadQuery },
      responses: {
        200: jsonResponse(Unread, "Unread errors per moderator"),
        ...errorResponses(400, 401, 403, 422),
      },
    }),
    async (c) => {
      const { limit, ...filters } = c.req.valid("query");
      const deps = c.get("deps");
      const filter = toFilter(filters, resolveTimeZone(filters.tz, deps.config.timeZone));
      return c.json(await computeOf(deps).run("unread-findings", { filter, limit }), 200);
    },
  )
  .openapi(
    route("moderator", {
      method: "post",
      path: "/v1/audits/{id}/ack",
      operationId: "acknowledgeFinding",
      tags: ["feedback"],
      summary: "Mark one of your findings as read (moderator keys only)",
      description:
        "Only the audited moderator's key. Marking twice keeps the first time. Another moderator's audit: 404.",
      request: { params: AuditIdParam },
      responses: {
        200: jsonResponse(ReadResult, "Marked read"),
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) =>
      c.json(await markFindingRead(c.get("deps").db, c.get("apiKey")!, c.req.valid("param").id), 200),
  );
