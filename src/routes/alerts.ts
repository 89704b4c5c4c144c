import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { acknowledge } from "../alerts/lifecycle.ts";
import { previewInput } from "../alerts/preview.ts";
import { changeAlertRule, createAlertRule, deleteAlertRule } from "../alerts/rule-changes.ts";
import { type NewRule, NewRuleSchema, RulePatchSchema, RuleSchema } from "../alerts/rules.ts";
import { resolveTimeZone, toFilter } from "../audits/filters.ts";
import { getRule, listRules, publicRule } from "../db/alert-rules.ts";
import { getAlert, listAlerts, publicAlert } from "../db/alerts.ts";
import { invalidField } from "../errors.ts";
import { isLeadOrAdmin } from "../feedback/access.ts";
import { route } from "../http/auth.ts";
import { type AppEnv, computeOf } from "../http/env.ts";
import { conflict, notFound } from "../http/errors.ts";
import { createRouter, validationError } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, wellFormed } from "../http/schemas.ts";

const IdParam = z.object({ id: z.string().min(1).max(100) });

const AlertSchema = z
  .object({
    id: z.string(),
    ruleId: z.string(),
    ruleName: z.string(),
    severity: z.enum(["info", "warning", "critical"]),
    fingerprint: z.string().openapi({ description: "16 hex digits of SHA-256(rule id, group labels)" }),
    labels: z.record(z.string(), z.string().nullable()).openapi({
      description: "The group (groupBy fields); for an audit rule, the audit id (`audit`) and its `queue`",
    }),
    state: z.enum(["pending", "firing", "resolved"]),
    value: z.number().nullable().openapi({
      description: "Error rate (chart, threshold) or coefficient (agreement); null for audit rules",
    }),
    threshold: z
      .number()
      .nullable()
      .openapi({ description: "maxRate (threshold) or below (agreement); null for audit rules" }),
    signal: z
      .array(z.string())
      .nullable()
      .openapi({ description: "Run-rule ids of the latest point (chart)" }),
    summary: z.string(),
    evidence: z.record(z.string(), z.unknown()).openapi({
      description:
        "Every number of the summary as a field, by `kind` (with `breach`): threshold — `window` {days, from, to}, audited, errors, rate, Wilson `interval`, maxRate, evidence, minAudited; chart — type, interval, timeZone, `period` (label) with `periodFrom`/`periodTo` (its instants), count, n, `point` (value, limits, CUSUM sums), baseline, rules, sigmaMultiplier; threshold and chart (issue 16) — multiplicity, fdr, `p` (the group's one-sided p-value), `q` (its Benjamini–Hochberg/–Yekutieli q-value across the groups of the evaluation; null with none), groupsTested (m), groupsBreaching (R), expectedFalseAlerts (fdr × R; null with none), `suppressed` (true when the group's own condition breached but q > fdr); agreement — statistic, value, interval, below, calibration {id, name, closedAt}; audit — the audit with its revision; auditor-accuracy — `window`, gold, correct, accuracy, Wilson `interval`, below, minGold, byErrorType. Alerts stored before a field was added lack it.",
    }),
    link: z.string().nullable().openapi({
      description: "The matching /v1/charts, /v1/quality or report query, or the audit's history",
    }),
    startsAt: z.string().openapi({ description: "First breaching evaluation of this alert" }),
    firedAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    resolution: z.string().nullable(),
    lastEvaluatedAt: z.string(),
    lastNotifiedAt: z.string().nullable(),
    breachingEvaluations: z.number().int(),
    clearEvaluations: z.number().int(),
    acknowledged: z.boolean(),
    acknowledgedAt: z.string().nullable(),
    acknowledgedBy: z.string().nullable(),
    ackNote: z.string().nullable(),
  })
  .openapi("Alert");

const AlertsQuery = z.object({
  state: z.enum(["pending", "firing", "resolved"]).optional(),
  rule: z.string().max(100).optional().openapi({ description: "A rule id" }),
  from: z.string().max(40).optional().openapi({
    description:
      "Alerts still open at or after this instant (not resolved before it): a date (in tz) or date-time",
  }),
  to: z
    .string()
    .max(40)
    .optional()
    .openapi({ description: "Alerts started before this instant (exclusive)" }),
  tz: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const AckBody = z.object({ note: wellFormed(z.string().max(2000)).optional() }).strict();

/** Days a preview looks back (one evaluation at the end of each). */
const MAX_PREVIEW_DAYS = 90;

const PreviewBody = z
  .object({
    ruleId: z.string().min(1).max(100).optional().openapi({ description: "A stored rule to preview" }),
    days: z.number().int().min(1).max(MAX_PREVIEW_DAYS).default(30).openapi({
      description: "Evaluate at the end of each of the last `days` complete days (in the rule's zone)",
    }),
  })
  .catchall(z.unknown())
  .openapi("AlertRulePreviewRequest", {
    description:
      "Either `ruleId` (a stored rule) or the fields of a NewAlertRule (as POST /v1/alert-rules takes them), plus `days`",
  });

const PreviewFiring = z.object({
  labels: z.record(z.string(), z.string()),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  signal: z.array(z.string()).nullable(),
});

const PreviewSchema = z
  .object({
    ruleId: z.string().nullable(),
    kind: z.enum(["chart", "threshold", "agreement", "audit", "auditor-accuracy"]),
    days: z.number().int(),
    timeZone: z.string(),
    from: z.string().openapi({ description: "Start of the first day" }),
    to: z.string().openapi({ description: "End of the last day (the start of today)" }),
    evaluations: z.array(
      z.object({
        date: z.string().openapi({ description: "The local day at whose end the rule was evaluated" }),
        firing: z.array(PreviewFiring).openapi({ description: "Breaching groups (at most 50 listed)" }),
        firingCount: z.number().int(),
      }),
    ),
    daysFiring: z.number().int(),
    groupsFiring: z.number().int(),
    alertsWouldOpen: z.number().int().openapi({
      description:
        "Alerts that would have fired, the pending and keep-firing counters applied to the evaluations",
    }),
    note: z.enum(["daily_evaluations", "each_session", "each_audit"]).openapi({
      description:
        "daily_evaluations: chart and threshold rules evaluated once at the end of each day (the service evaluates on every ingest and every minute; counters count days here); each_session: agreement rules on each session closed in the days; each_audit: one alert per matching audit",
    }),
  })
  .openapi("AlertRulePreview");

/** The rule a preview body names: `{ruleId}` alone, or a new rule validated as POST /v1/alert-rules does. */
function previewedRequest(
  body: z.infer<typeof PreviewBody>,
): ({ ruleId: string } | NewRule) & { days: number } {
  const { ruleId, days, ...fields } = body;
  if (ruleId !== undefined) {
    const extra = Object.keys(fields)[0];
    if (extra !== undefined)
      throw invalidField(extra, "send either ruleId (a stored rule) or a rule's fields, not both");
    return { ruleId, days };
  }
  const parsed = NewRuleSchema.safeParse(fields);
  if (!parsed.success) throw validationError(parsed.error, "json");
  return { ...parsed.data, days };
}

function alertsOf(c: Context<AppEnv>) {
  return c.get("deps").alerts!;
}

export const alertsRouter = createRouter()
  .openapi(
    route("lead", {
      method: "post",
      path: "/v1/alert-rules",
      operationId: "createAlertRule",
      tags: ["alerts"],
      summary: "Create an alert rule (chart, threshold, agreement or audit condition)",
      description:
        "Chart and threshold rules are evaluated after every ingest that touches their scope and on a timer; agreement rules when a calibration session closes; audit rules on every audit and correction, within about a second of its commit (one alert per matching audit, labelled with the audit id; audits stored before the rule never fire; no scope, groupBy or evaluation counters). See README: Alerts and webhooks.",
      request: { body: jsonBody(NewRuleSchema) },
      responses: {
        201: jsonResponse(RuleSchema, "The rule, with defaults filled in"),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { db } = c.get("deps");
      const rule = await createAlertRule(
        db,
        alertsOf(c),
        computeOf(c.get("deps")),
        c.req.valid("json"),
        c.get("apiKey")!.name,
      );
      return c.json(publicRule(rule), 201);
    },
  )
  .openapi(
    route("lead", {
      method: "post",
      path: "/v1/alert-rules/preview",
      operationId: "previewAlertRule",
      tags: ["alerts"],
      summary: "How often a rule would have fired over the last days",
      description:
        "Evaluates a stored rule (`ruleId`) or a new one (a NewAlertRule's fields) as it would have been evaluated at the end of each of the last `days` complete days (in the chart condition's zone, else MODQC_TZ), on the audits stored now that were audited before that instant (corrections included); agreement rules on the calibration sessions closed in those days; audit rules count the matching errors audited each day. `alertsWouldOpen` replays the pending and keep-firing counters on those evaluations, none open at the start. One evaluation per day is a simplification (see `note`). Stores nothing. 422 too_expensive when it does not finish within the compute time budget (fewer days, a narrower scope).",
      request: { body: jsonBody(PreviewBody) },
      responses: {
        200: jsonResponse(PreviewSchema, "Day by day, the groups that would have fired"),
        ...errorResponses(400, 401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { db, config } = c.get("deps");
      const request = previewedRequest(c.req.valid("json"));
      const input = await previewInput(db, request, config.timeZone, alertsOf(c).now());
      return c.json(await computeOf(c.get("deps")).run("alert-preview", input), 200);
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/alert-rules",
      operationId: "listAlertRules",
      tags: ["alerts"],
      summary: "List alert rules",
      responses: {
        200: jsonResponse(z.object({ rules: z.array(RuleSchema) }), "All rules, oldest first"),
        ...errorResponses(401, 403),
      },
    }),
    async (c) => c.json({ rules: (await listRules(c.get("deps").db)).map(publicRule) }, 200),
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/alert-rules/{id}",
      operationId: "getAlertRule",
      tags: ["alerts"],
      summary: "One alert rule",
      request: { params: IdParam },
      responses: { 200: jsonResponse(RuleSchema, "The rule"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const rule = await getRule(c.get("deps").db, c.req.valid("param").id);
      if (!rule) throw notFound("alert rule");
      return c.json(publicRule(rule), 200);
    },
  )
  .openapi(
    route("lead", {
      method: "patch",
      path: "/v1/alert-rules/{id}",
      operationId: "updateAlertRule",
      tags: ["alerts"],
      summary: "Change an alert rule",
      description:
        "Disabling a rule, or changing its scope, groupBy or condition, resolves its open alerts (firing ones notify alert.resolved with the reason); the next evaluation starts afresh.",
      request: { params: IdParam, body: jsonBody(RulePatchSchema) },
      responses: { 200: jsonResponse(RuleSchema, "The changed rule"), ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { db } = c.get("deps");
      const rule = await changeAlertRule(
        db,
        alertsOf(c),
        computeOf(c.get("deps")),
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      return c.json(publicRule(rule), 200);
    },
  )
  .openapi(
    route("lead", {
      method: "delete",
      path: "/v1/alert-rules/{id}",
      operationId: "deleteAlertRule",
      tags: ["alerts"],
      summary: "Delete an alert rule",
      description:
        "Its open alerts are resolved (firing ones notify alert.resolved, reason: rule deleted); its alert history stays.",
      request: { params: IdParam },
      responses: { 200: jsonResponse(RuleSchema, "The deleted rule"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const rule = await deleteAlertRule(c.get("deps").db, alertsOf(c), c.req.valid("param").id);
      return c.json(publicRule(rule), 200);
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/alerts",
      operationId: "listAlerts",
      tags: ["alerts"],
      summary: "List alerts, newest first",
      description:
        "`from`/`to` select alerts active at some time in [from, to): started before `to` and not resolved before `from`.",
      request: { query: AlertsQuery },
      responses: {
        200: jsonResponse(z.object({ alerts: z.array(AlertSchema) }), "The alerts"),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const { db, config } = c.get("deps");
      const window = toFilter({ from: query.from, to: query.to }, resolveTimeZone(query.tz, config.timeZone));
      await alertsOf(c).flush();
      const list = await listAlerts(db, {
        state: query.state,
        ruleId: query.rule,
        fromMs: window.fromMs,
        toMs: window.toMs,
        limit: query.limit,
      });
      return c.json({ alerts: list.map(publicAlert) }, 200);
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/alerts/{id}",
      operationId: "getAlert",
      tags: ["alerts"],
      summary: "One alert",
      request: { params: IdParam },
      responses: { 200: jsonResponse(AlertSchema, "The alert"), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      await alertsOf(c).flush();
      const alert = await getAlert(c.get("deps").db, c.req.valid("param").id);
      if (!alert) throw notFound("alert");
      return c.json(publicAlert(alert), 200);
    },
  )
  .openapi(
    route("auditor", {
      method: "post",
      path: "/v1/alerts/{id}/ack",
      operationId: "acknowledgeAlert",
      tags: ["alerts"],
      summary:
        "Acknowledge an alert (it still resolves, and notifies, on its own); a lead's note resolves an audit rule's alert",
      description:
        "Idempotent: a second acknowledgement keeps the first time and author (a new note replaces the old one). A firing alert's first acknowledgement notifies alert.acknowledged. An audit rule's alert (about one audit, which no later evaluation clears) is resolved by an acknowledgement with a non-empty note from a lead or admin key: alert.resolved is notified instead, with the note in `resolution`; without a note, or from an auditor key, it is only acknowledged. 409 for a resolved alert.",
      request: {
        params: IdParam,
        body: { required: false, content: { "application/json": { schema: AckBody } } },
      },
      responses: {
        200: jsonResponse(AlertSchema, "The acknowledged alert"),
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const alerts = alertsOf(c);
      await alerts.flush();
      const body = (c.req.valid("json") as z.infer<typeof AckBody> | undefined) ?? {};
      const result = await acknowledge(
        alerts.lifecycle,
        c.req.valid("param").id,
        c.get("apiKey")?.name ?? null,
        body.note ?? null,
        alerts.now(),
        isLeadOrAdmin(c.get("apiKey")!),
      );
      if (result === "not_found") throw notFound("alert");
      if (result === "resolved") throw conflict("the alert is resolved; there is nothing to acknowledge");
      alerts.deliveriesQueued();
      return c.json(publicAlert(result), 200);
    },
  );
