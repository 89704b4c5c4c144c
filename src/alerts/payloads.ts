import { type AlertRecord, publicAlert } from "../db/alerts.ts";
import type { WebhookEvent, WebhookFormat } from "../db/webhooks.ts";
import type { AuditEvidence } from "./conditions/index.ts";
import type { Rule } from "./rules.ts";

/**
 * Webhook bodies. Each is rendered once, when the delivery is queued (inside the transaction that changed
 * the alert), and stored: every retry sends the same bytes, and the payload describes the alert as it was at
 * that state change.
 *
 * - `modqc`: `{event, createdAt, alert, rule, links}` or, for calibration.closed, `{event, createdAt,
 *   calibration, agreement, links}` (README: "The modqc payload"). An audit rule's alert carries the audit as
 *   `alert.evidence.audit` (no statistics) and links to the audit's history.
 * - `alertmanager`: the Alertmanager webhook payload, version "4", one alert per message.
 * - `alertmanager-api`: a JSON array of one postable alert for Alertmanager's own `POST /api/v2/alerts`. A firing
 *   alert carries no endsAt (Alertmanager then ends it one resolve_timeout after it receives it, however late
 *   a retry delivers it); the worker's refresh re-sends firing alerts with an explicit endsAt before that
 *   (`alertmanagerRefresh`). A resolved one carries its resolution time as endsAt.
 * - `slack`: `{text, blocks}` for a Slack incoming webhook.
 */

/** Alertmanager's zero time: endsAt of an alert that is still firing. */
export const ALERTMANAGER_ZERO_TIME = "0001-01-01T00:00:00Z";

type RuleInfo = Pick<Rule, "id" | "name" | "severity" | "scope" | "groupBy"> & { kind: string };

export function ruleInfo(rule: Rule): RuleInfo {
  return {
    id: rule.id,
    name: rule.name,
    severity: rule.severity,
    scope: rule.scope,
    groupBy: rule.groupBy,
    kind: rule.condition.kind,
  };
}

const absolute = (publicUrl: string, link: string | null) => (link === null ? null : `${publicUrl}${link}`);

export function renderAlert(
  format: WebhookFormat,
  event: WebhookEvent,
  alert: AlertRecord,
  rule: RuleInfo,
  publicUrl: string,
  now: number,
): string {
  if (format === "alertmanager") return JSON.stringify(alertmanagerPayload(alert, rule, publicUrl));
  if (format === "alertmanager-api") return JSON.stringify([postableAlert(alert, rule, publicUrl)]);
  if (format === "slack") return JSON.stringify(slackAlert(event, alert, publicUrl));
  return JSON.stringify({
    event,
    createdAt: new Date(now).toISOString(),
    alert: publicAlert(alert),
    rule,
    links: {
      alert: `${publicUrl}/v1/alerts/${alert.id}`,
      evidence: absolute(publicUrl, alert.link),
    },
  });
}

/** Alertmanager label values are strings: the rule identity, its scope and the group's labels. */
function alertmanagerLabels(alert: AlertRecord, rule: RuleInfo): Record<string, string> {
  const labels: Record<string, string> = { alertname: rule.name, severity: alert.severity, rule_id: rule.id };
  for (const [field, value] of Object.entries(rule.scope)) if (value !== undefined) labels[field] = value;
  for (const [field, value] of Object.entries(alert.labels)) labels[field] = value ?? "";
  return labels;
}

/**
 * An alert as Alertmanager's API takes it (`postableAlert` of its OpenAPI document). Labels with no value are
 * left out: Alertmanager, like Prometheus, treats an empty label as an absent one. `endsAtMs` is the resolution
 * time, or the refresh horizon of a firing alert; absent, Alertmanager applies its resolve_timeout.
 */
export function postableAlert(alert: AlertRecord, rule: RuleInfo, publicUrl: string, endsAtMs?: number) {
  const labels = Object.fromEntries(
    Object.entries(alertmanagerLabels(alert, rule)).filter(([, value]) => value !== ""),
  );
  const annotations: Record<string, string> = { summary: alert.summary, description: describe(alert) };
  if (alert.link) annotations.evidence = `${publicUrl}${alert.link}`;
  const ends = alert.resolvedMs ?? endsAtMs;
  return {
    labels,
    annotations,
    startsAt: new Date(alert.firedMs ?? alert.startedMs).toISOString(),
    ...(ends === undefined ? {} : { endsAt: new Date(ends).toISOString() }),
    generatorURL: `${publicUrl}/alerts?alert=${encodeURIComponent(alert.id)}`,
  };
}

/** Labels as Alertmanager prints them in a group key: `{a="x", b="y"}` with quotes escaped. */
function labelSet(labels: Record<string, string>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(", ")}}`;
}

export function alertmanagerPayload(alert: AlertRecord, rule: RuleInfo, publicUrl: string) {
  const status = alert.state === "resolved" ? "resolved" : "firing";
  const labels = alertmanagerLabels(alert, rule);
  const annotations: Record<string, string> = {
    summary: alert.summary,
    description: describe(alert),
  };
  if (alert.link) annotations.evidence = `${publicUrl}${alert.link}`;
  const groupLabels: Record<string, string> = { alertname: rule.name };
  // One group per alert: an audit rule's alerts are one per audit (receivers key incidents on groupKey).
  for (const field of rule.kind === "audit" ? ["audit"] : rule.groupBy)
    groupLabels[field] = labels[field] ?? "";
  return {
    version: "4",
    groupKey: `{}:${labelSet(groupLabels)}`,
    truncatedAlerts: 0,
    status,
    receiver: "modqc",
    groupLabels,
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: publicUrl,
    alerts: [
      {
        status,
        labels,
        annotations,
        startsAt: new Date(alert.firedMs ?? alert.startedMs).toISOString(),
        endsAt: alert.resolvedMs === null ? ALERTMANAGER_ZERO_TIME : new Date(alert.resolvedMs).toISOString(),
        generatorURL: `${publicUrl}${alert.link ?? `/v1/alerts/${alert.id}`}`,
        fingerprint: alert.fingerprint,
      },
    ],
  };
}

/** One line on what the evidence says, for descriptions and chat messages. */
function describe(alert: AlertRecord): string {
  const e = alert.evidence as Record<string, unknown>;
  if (e.kind === "audit") return describeAudit(e.audit as AuditEvidence, alert.resolution);
  const parts = [`value ${alert.value ?? "n/a"}`];
  if (alert.threshold !== null) parts.push(`threshold ${alert.threshold}`);
  if (alert.signal) parts.push(`signal ${alert.signal.join(", ")}`);
  if (e.kind === "chart") {
    const point = e.point as { lcl: number; ucl: number; center: number };
    parts.push(`period ${e.period}`, `centre ${point.center}`, `limits [${point.lcl}, ${point.ucl}]`);
  } else if (e.kind === "threshold") {
    const interval = e.interval as { lower: number; upper: number; confidence: number };
    parts.push(
      `${e.errors}/${e.audited} errors`,
      `${interval.confidence * 100}% Wilson interval [${interval.lower}, ${interval.upper}]`,
    );
  } else if (e.kind === "agreement") {
    parts.push(`calibration ${(e.calibration as { id: string }).id}`);
  }
  if (alert.resolution) parts.push(`resolution: ${alert.resolution}`);
  return parts.join("; ");
}

/** An audit rule's evidence is the audit itself: what was decided, what the auditor found, by whom. */
function describeAudit(audit: AuditEvidence, resolution: string | null): string {
  const parts = [
    `audit ${audit.id} (revision ${audit.revision}) of decision ${audit.decisionId}`,
    `${audit.outcome}${audit.errorType ? ` ${audit.errorType}` : ""}, severity ${audit.severity ?? "none"}`,
    `queue ${audit.queue}`,
    `market ${audit.market ?? "n/a"}`,
    `policy ${audit.policy ?? "n/a"}${audit.correctPolicy ? ` (correct: ${audit.correctPolicy})` : ""}`,
    `moderator ${audit.moderator}`,
    `auditor ${audit.auditor}`,
    `audited ${audit.auditedAt}`,
  ];
  if (audit.sampleId) parts.push(`sample ${audit.sampleId}`);
  if (audit.notes)
    parts.push(`notes: ${audit.notes.length > 300 ? `${audit.notes.slice(0, 300)}…` : audit.notes}`);
  if (resolution) parts.push(`resolution: ${resolution}`);
  return parts.join("; ");
}

/** Slack mrkdwn needs &, < and > escaped. */
const slackEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const SEVERITY_ICON = { info: ":information_source:", warning: ":warning:", critical: ":rotating_light:" };

function slackAlert(event: WebhookEvent, alert: AlertRecord, publicUrl: string) {
  const status =
    event === "alert.resolved" ? "RESOLVED" : event === "alert.acknowledged" ? "ACKNOWLEDGED" : "FIRING";
  const icon = event === "alert.resolved" ? ":white_check_mark:" : SEVERITY_ICON[alert.severity];
  const text = `[${status}] ${alert.summary}`;
  const links = [`<${publicUrl}/v1/alerts/${alert.id}|alert>`];
  if (alert.link) links.push(`<${publicUrl}${alert.link}|evidence>`);
  const fields = Object.entries(alert.labels).map(([k, v]) => ({
    type: "mrkdwn",
    text: `*${slackEscape(k)}*\n${slackEscape(v ?? "")}`,
  }));
  return {
    text,
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `${icon} *[${status}] ${slackEscape(alert.ruleName)}* (${alert.severity})`,
        },
      },
      { type: "section", text: { type: "mrkdwn", text: slackEscape(alert.summary) } },
      ...(fields.length > 0 ? [{ type: "section", fields: fields.slice(0, 10) }] : []),
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: `${slackEscape(describe(alert))} · ${links.join(" · ")}` }],
      },
    ],
  };
}

export interface CalibrationEvent {
  calibration: { id: string; name: string; closedAt: string | null; items: number; raters: string[] };
  agreement: {
    fleiss: number | null;
    ac1: number | null;
    alpha: number | null;
    percentAgreement: number | null;
  } | null;
  /** Why agreement is null (the session's ratings could not be analysed). */
  note?: string;
}

export function renderCalibrationClosed(
  format: WebhookFormat,
  data: CalibrationEvent,
  publicUrl: string,
  now: number,
): string {
  const report = `${publicUrl}/v1/calibrations/${encodeURIComponent(data.calibration.id)}/report`;
  if (format === "slack") {
    const a = data.agreement;
    const figure = (x: number | null) => (x === null ? "n/a" : x.toFixed(3));
    const text = `Calibration "${data.calibration.name}" closed: ${data.calibration.items} items, ${data.calibration.raters.length} raters${
      a ? `; Fleiss' kappa ${figure(a.fleiss)}, AC1 ${figure(a.ac1)}, alpha ${figure(a.alpha)}` : ""
    }`;
    return JSON.stringify({
      text,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: `:clipboard: ${slackEscape(text)}` } },
        { type: "context", elements: [{ type: "mrkdwn", text: `<${report}|report>` }] },
      ],
    });
  }
  return JSON.stringify({
    event: "calibration.closed",
    createdAt: new Date(now).toISOString(),
    ...data,
    links: { report },
  });
}
