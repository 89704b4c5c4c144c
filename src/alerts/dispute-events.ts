import type { Db } from "../db/database.ts";
import type { DisputeRecord } from "../db/disputes.ts";
import type { WebhookFormat } from "../db/webhooks.ts";
import type { Alerting } from "./engine.ts";
import { onAuditsRevised } from "./index.ts";
import { queueEvent } from "./lifecycle.ts";

/**
 * The dispute events of the alert webhooks (issue 14): `dispute.opened` and `dispute.resolved`, queued with
 * `queueEvent` inside the transaction that opens or resolves the dispute (the outbox: a delivery exists if and
 * only if the change committed), signed and sent by the delivery worker like every delivery. The modqc and
 * slack formats express them; an Alertmanager receiver knows only alerts (FORMAT_EVENTS).
 *
 * `dispute.opened` carries nothing the blind second reviewer may not see (no reason, verdict, notes or
 * auditor), since a chat channel may include the reviewer; `dispute.resolved` adds them, the review being done.
 */

const iso = (ms: number) => new Date(ms).toISOString();

function openedPayload(d: DisputeRecord) {
  return {
    id: d.id,
    state: d.state,
    auditId: d.auditId,
    moderator: d.moderator,
    queue: d.queue,
    reviewer: d.reviewer,
    openedAt: d.openedAt,
  };
}

function resolvedPayload(d: DisputeRecord, disputed: { outcome: string; errorType: string | null } | null) {
  return {
    ...openedPayload(d),
    auditRevision: d.auditRevision,
    auditor: d.auditor,
    reason: d.reason,
    resolvedAt: d.resolvedAt,
    resolvedBy: d.decidedBy ?? "second review",
    decisionNote: d.decisionNote,
    verdict: disputed,
    review: d.review && {
      outcome: d.review.outcome,
      errorType: d.review.errorType,
      severity: d.review.severity,
    },
  };
}

/** Slack mrkdwn needs &, < and > escaped. */
const slackEscape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const verdictText = (v: { outcome: string; errorType: string | null } | null) =>
  v === null ? "n/a" : v.errorType === null ? v.outcome : `${v.outcome} (${v.errorType})`;

function slackMessage(text: string, detail: string, link: string) {
  return JSON.stringify({
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: slackEscape(text) } },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: `${slackEscape(detail)} · <${link}|dispute>` }],
      },
    ],
  });
}

/** The body of a dispute event in `format` (modqc for every format but slack). */
function renderDisputeEvent(
  format: WebhookFormat,
  event: "dispute.opened" | "dispute.resolved",
  d: DisputeRecord,
  disputed: { outcome: string; errorType: string | null } | null,
  publicUrl: string,
  now: number,
): string {
  const link = `${publicUrl}/v1/disputes/${encodeURIComponent(d.id)}`;
  if (format === "slack") {
    if (event === "dispute.opened") {
      return slackMessage(
        `:scales: Dispute opened on audit ${d.auditId} (queue ${d.queue}, moderator ${d.moderator})`,
        `blind second review by ${d.reviewer}`,
        link,
      );
    }
    const by = d.decidedBy === null ? "the second review agreed" : `decided by ${d.decidedBy}`;
    return slackMessage(
      `:scales: Dispute ${d.state} on audit ${d.auditId} (queue ${d.queue}, moderator ${d.moderator})`,
      `verdict ${verdictText(disputed)}, second review ${verdictText(d.review)}; ${by}${
        d.decisionNote ? `: ${d.decisionNote}` : ""
      }`,
      link,
    );
  }
  return JSON.stringify({
    event,
    createdAt: iso(now),
    dispute: event === "dispute.opened" ? openedPayload(d) : resolvedPayload(d, disputed),
    links: {
      dispute: link,
      history: `${publicUrl}/v1/audits/${encodeURIComponent(d.auditId)}/history`,
    },
  });
}

/**
 * Queues the event for every subscribed webhook; `tx` holds the transaction that opened or resolved the dispute.
 * `disputed` is the verdict under dispute (for dispute.resolved). Resolves to the number of deliveries queued.
 */
export function queueDisputeEvent(
  tx: Db,
  event: "dispute.opened" | "dispute.resolved",
  d: DisputeRecord,
  disputed: { outcome: string; errorType: string | null } | null,
  publicUrl: string,
  now: number,
): Promise<number> {
  return queueEvent(
    tx,
    event,
    (format) => renderDisputeEvent(format, event, d, disputed, publicUrl, now),
    null,
    now,
  );
}

/**
 * After a dispute's transaction committed: an overturn's revision goes to the alert engine (kept scans are stale,
 * alerts and reports see the final verdict), and queued deliveries wake the delivery worker.
 */
export function announceDisputeChange(
  deps: { alerts?: Alerting },
  effects: { deliveries: number; revised: boolean },
): void {
  if (effects.revised) onAuditsRevised(deps);
  if (effects.deliveries > 0) deps.alerts?.deliveriesQueued();
}
