import { z } from "@hono/zod-openapi";
import { onAuditsRevised } from "../alerts/index.ts";
import { ERROR_TYPES, OUTCOMES } from "../audits/validate.ts";
import { auditHistoryFor } from "../feedback/disputes-review.ts";
import { correctVerdict } from "../gold/revise.ts";
import { route } from "../http/auth.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, wellFormed } from "../http/schemas.ts";

const AuditIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(500)
    .openapi({ param: { name: "id", in: "path" } }),
});

const VerdictFields = {
  outcome: z.enum(OUTCOMES).optional(),
  errorType: z.enum(ERROR_TYPES).nullish(),
  severity: z.number().int().min(1).max(4).nullish(),
  correctPolicy: wellFormed(z.string().max(500)).nullish(),
  notes: wellFormed(z.string().max(20_000)).nullish(),
};

const RevisionRequest = z
  .object({ ...VerdictFields, reason: wellFormed(z.string().max(2_000)).nullish() })
  .strict()
  .openapi("AuditRevisionRequest");

const RevisionResult = z
  .object({
    auditId: z.string(),
    changed: z
      .boolean()
      .openapi({ description: "false when the verdict already was this: nothing was written" }),
    revision: z.number().int().openapi({ description: "The audit's revision now (1 = never corrected)" }),
  })
  .openapi("AuditRevisionResult");

const Revision = z
  .object({
    revision: z.number().int(),
    outcome: z.enum(OUTCOMES),
    errorType: z.enum(ERROR_TYPES).nullable(),
    severity: z.number().int().nullable(),
    correctPolicy: z.string().nullable(),
    notes: z.string().nullable(),
    changedBy: z.string().nullable(),
    changedAt: z.string(),
    reason: z.string().nullable(),
  })
  .openapi("AuditRevision");

export const auditRevisionsRouter = createRouter()
  .openapi(
    route("auditor", {
      method: "post",
      path: "/v1/audits/{id}/revisions",
      operationId: "correctAudit",
      tags: ["audits"],
      summary: "Correct an audit's verdict: a new revision, the old ones kept",
      description: [
        "Changes the verdict fields given (outcome, errorType, severity, correctPolicy, notes; `null` clears an optional one) with a `reason`. The audit keeps its id; reports, charts, funnels, estimates, alerts and exports use the latest revision. Turning an audit correct clears its errorType.",
        "A revision that changes nothing → 200 with `changed: false`. Auditor keys may correct only their own audits (403 `not_own_audit`); leads and admins any.",
      ].join("\n\n"),
      request: { params: AuditIdParam, body: jsonBody(RevisionRequest) },
      responses: {
        200: jsonResponse(RevisionResult, "Committed (or nothing to change)"),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { reason, ...changes } = c.req.valid("json");
      const result = await correctVerdict(
        c.get("deps").db,
        c.get("apiKey")!,
        c.req.valid("param").id,
        changes,
        reason ?? null,
      );
      if (result.changed) onAuditsRevised(c.get("deps"));
      return c.json(result, 200);
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/audits/{id}/history",
      operationId: "getAuditHistory",
      tags: ["audits"],
      summary: "Every revision of an audit, oldest first, with who, when and why",
      description:
        "An audit under the calling auditor key's own pending blind second review (a dispute) answers 404 until the review is recorded.",
      request: { params: AuditIdParam },
      responses: {
        200: jsonResponse(
          z.object({ auditId: z.string(), revisions: z.array(Revision) }).openapi("AuditHistory"),
          "Revision 1 is the audit as first recorded",
        ),
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) =>
      c.json(await auditHistoryFor(c.get("deps").db, c.get("apiKey")!, c.req.valid("param").id), 200),
  );
