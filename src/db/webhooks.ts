import { randomBytes, randomUUID } from "node:crypto";
import type { Db } from "./open.ts";
import { statement } from "./statements.ts";

export const WEBHOOK_EVENTS = [
  "alert.firing",
  "alert.resolved",
  "alert.acknowledged",
  "calibration.closed",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const WEBHOOK_FORMATS = ["modqc", "alertmanager", "slack"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
/** Events each format can express (an Alertmanager receiver only knows firing and resolved alerts). */
export const FORMAT_EVENTS: Record<WebhookFormat, readonly WebhookEvent[]> = {
  modqc: WEBHOOK_EVENTS,
  slack: WEBHOOK_EVENTS,
  alertmanager: ["alert.firing", "alert.resolved"],
};

interface WebhookRow {
  id: string;
  url: string;
  events: string;
  format: WebhookFormat;
  secret: string;
  enabled: number;
  created_by: string | null;
  created_ms: number;
  updated_ms: number;
}

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  format: WebhookFormat;
  enabled: boolean;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A webhook with its signing secret: for the delivery worker only, never for an API answer. */
export interface WebhookWithSecret extends Webhook {
  secret: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

function toWebhook(row: WebhookRow): WebhookWithSecret {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events),
    format: row.format,
    enabled: row.enabled === 1,
    createdBy: row.created_by,
    createdAt: iso(row.created_ms),
    updatedAt: iso(row.updated_ms),
    secret: row.secret,
  };
}

export function withoutSecret(webhook: WebhookWithSecret): Webhook {
  const { secret: _, ...rest } = webhook;
  return rest;
}

/** A new signing secret: 32 random bytes, base64url, with a recognisable prefix. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

export function insertWebhook(
  db: Db,
  input: { url: string; events: WebhookEvent[]; format: WebhookFormat; secret: string },
  createdBy: string | null,
  now: number,
): WebhookWithSecret {
  const id = randomUUID();
  statement(
    db,
    `INSERT INTO webhooks (id, url, events, format, secret, enabled, created_by, created_ms, updated_ms)
     VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)`,
  ).run(id, input.url, JSON.stringify(input.events), input.format, input.secret, createdBy, now, now);
  return getWebhook(db, id)!;
}

export function getWebhook(db: Db, id: string): WebhookWithSecret | undefined {
  const row = statement<[string], WebhookRow>(db, "SELECT * FROM webhooks WHERE id = ?").get(id);
  return row && toWebhook(row);
}

export function listWebhooks(db: Db): WebhookWithSecret[] {
  return statement<[], WebhookRow>(db, "SELECT * FROM webhooks ORDER BY created_ms, id").all().map(toWebhook);
}

/** Enabled webhooks subscribed to the event. */
export function subscribers(db: Db, event: WebhookEvent): WebhookWithSecret[] {
  return statement<[], WebhookRow>(db, "SELECT * FROM webhooks WHERE enabled = 1 ORDER BY created_ms, id")
    .all()
    .map(toWebhook)
    .filter((w) => w.events.includes(event));
}

export function updateWebhook(
  db: Db,
  id: string,
  changes: { enabled?: boolean; events?: WebhookEvent[] },
  now: number,
): WebhookWithSecret | undefined {
  const current = getWebhook(db, id);
  if (!current) return undefined;
  statement(db, "UPDATE webhooks SET enabled = ?, events = ?, updated_ms = ? WHERE id = ?").run(
    (changes.enabled ?? current.enabled) ? 1 : 0,
    JSON.stringify(changes.events ?? current.events),
    now,
    id,
  );
  return getWebhook(db, id);
}

/** Deletes the webhook with its deliveries and their attempts. */
export function deleteWebhook(db: Db, id: string): boolean {
  return statement(db, "DELETE FROM webhooks WHERE id = ?").run(id).changes === 1;
}

/* ---------- deliveries (the outbox) ---------- */

export type DeliveryStatus = "pending" | "delivered" | "failed" | "dead";

interface DeliveryRow {
  seq: number;
  id: string;
  webhook_id: string;
  event: WebhookEvent;
  alert_id: string | null;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  created_ms: number;
  next_attempt_ms: number | null;
  last_attempt_ms: number | null;
  last_status_code: number | null;
  last_error: string | null;
  finished_ms: number | null;
  redelivery_of: string | null;
}

export interface Delivery {
  seq: number;
  id: string;
  webhookId: string;
  event: WebhookEvent;
  alertId: string | null;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  createdMs: number;
  nextAttemptMs: number | null;
  redeliveryOf: string | null;
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    seq: row.seq,
    id: row.id,
    webhookId: row.webhook_id,
    event: row.event,
    alertId: row.alert_id,
    body: row.body,
    status: row.status,
    attempts: row.attempts,
    createdMs: row.created_ms,
    nextAttemptMs: row.next_attempt_ms,
    redeliveryOf: row.redelivery_of,
  };
}

/** Queues one delivery (the caller holds the transaction that changes the state it reports). */
export function insertDelivery(
  db: Db,
  input: {
    webhookId: string;
    event: WebhookEvent;
    alertId: string | null;
    body: string;
    redeliveryOf?: string;
  },
  now: number,
): string {
  const id = randomUUID();
  statement(
    db,
    `INSERT INTO webhook_deliveries (id, webhook_id, event, alert_id, body, status, created_ms, next_attempt_ms, redelivery_of)
     VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
  ).run(id, input.webhookId, input.event, input.alertId, input.body, now, now, input.redeliveryOf ?? null);
  return id;
}

export function getDelivery(db: Db, id: string): Delivery | undefined {
  const row = statement<[string], DeliveryRow>(db, "SELECT * FROM webhook_deliveries WHERE id = ?").get(id);
  return row && toDelivery(row);
}

/**
 * The oldest pending delivery of every enabled webhook: a webhook's deliveries go out one at a time in
 * creation order, so only its head may be attempted.
 */
export function pendingHeads(db: Db): Delivery[] {
  return statement<[], DeliveryRow>(
    db,
    `SELECT d.* FROM webhook_deliveries d
     JOIN (SELECT webhook_id, MIN(seq) AS seq FROM webhook_deliveries WHERE status = 'pending' GROUP BY webhook_id) h
       ON h.seq = d.seq
     JOIN webhooks w ON w.id = d.webhook_id AND w.enabled = 1
     ORDER BY d.next_attempt_ms, d.seq`,
  )
    .all()
    .map(toDelivery);
}

export interface AttemptRecord {
  startedMs: number;
  latencyMs: number;
  statusCode: number | null;
  error: string | null;
  outcome: "delivered" | "retry" | "failed" | "dead";
  /** With outcome "retry": when to try again. */
  nextAttemptMs?: number;
}

/** Records one attempt and moves the delivery on (the caller holds the transaction). */
export function recordAttempt(db: Db, delivery: Delivery, attempt: AttemptRecord, now: number): void {
  const number = delivery.attempts + 1;
  statement(
    db,
    `INSERT INTO webhook_attempts (delivery_id, attempt, started_ms, latency_ms, status_code, error, outcome)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    delivery.id,
    number,
    attempt.startedMs,
    Math.round(attempt.latencyMs * 10) / 10,
    attempt.statusCode,
    attempt.error,
    attempt.outcome,
  );
  const status: DeliveryStatus = attempt.outcome === "retry" ? "pending" : attempt.outcome;
  statement(
    db,
    `UPDATE webhook_deliveries SET attempts = ?, status = ?, next_attempt_ms = ?, last_attempt_ms = ?,
       last_status_code = ?, last_error = ?, finished_ms = ?
     WHERE id = ?`,
  ).run(
    number,
    status,
    status === "pending" ? (attempt.nextAttemptMs ?? now) : null,
    attempt.startedMs,
    attempt.statusCode,
    attempt.error,
    status === "pending" ? null : now,
    delivery.id,
  );
}

/** Marks a delivery dead without an attempt (it outlived the maximum age while waiting). */
export function markDead(db: Db, delivery: Delivery, reason: string, now: number): void {
  statement(
    db,
    `UPDATE webhook_deliveries SET status = 'dead', next_attempt_ms = NULL, last_error = ?, finished_ms = ?
     WHERE id = ? AND status = 'pending'`,
  ).run(reason, now, delivery.id);
}

interface AttemptRow {
  delivery_id: string;
  attempt: number;
  started_ms: number;
  latency_ms: number;
  status_code: number | null;
  error: string | null;
  outcome: AttemptRecord["outcome"];
}

/** Deliveries of a webhook, newest first, each with its attempts. */
export function listDeliveries(
  db: Db,
  webhookId: string,
  options: { status?: DeliveryStatus; limit: number },
) {
  const rows = (
    options.status
      ? statement(
          db,
          "SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND status = ? ORDER BY seq DESC LIMIT ?",
        ).all(webhookId, options.status, options.limit)
      : statement(db, "SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY seq DESC LIMIT ?").all(
          webhookId,
          options.limit,
        )
  ) as DeliveryRow[];
  const attemptsOf = statement<[string], AttemptRow>(
    db,
    "SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt",
  );
  return rows.map((row) => {
    const attempts = attemptsOf.all(row.id);
    return {
      id: row.id,
      webhookId: row.webhook_id,
      event: row.event,
      alertId: row.alert_id,
      status: row.status,
      attemptCount: row.attempts,
      createdAt: iso(row.created_ms),
      nextAttemptAt: isoOrNull(row.next_attempt_ms),
      lastAttemptAt: isoOrNull(row.last_attempt_ms),
      lastStatusCode: row.last_status_code,
      lastError: row.last_error,
      finishedAt: isoOrNull(row.finished_ms),
      redeliveryOf: row.redelivery_of,
      attempts: attempts.map((a) => ({
        attempt: a.attempt,
        at: iso(a.started_ms),
        statusCode: a.status_code,
        latencyMs: a.latency_ms,
        error: a.error,
        outcome: a.outcome,
      })),
      payload: JSON.parse(row.body) as unknown,
    };
  });
}
