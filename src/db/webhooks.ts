import { randomBytes, randomUUID } from "node:crypto";
import type { Db } from "./database.ts";

export const WEBHOOK_EVENTS = [
  "alert.firing",
  "alert.resolved",
  "alert.acknowledged",
  "calibration.closed",
  "dispute.opened",
  "dispute.resolved",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const WEBHOOK_FORMATS = ["modqc", "alertmanager", "alertmanager-api", "slack"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
/**
 * Events each format can express (an Alertmanager, as a receiver or through its API, only knows firing and
 * resolved alerts; calibration and dispute events are modqc and slack only).
 */
export const FORMAT_EVENTS: Record<WebhookFormat, readonly WebhookEvent[]> = {
  modqc: WEBHOOK_EVENTS,
  slack: WEBHOOK_EVENTS,
  alertmanager: ["alert.firing", "alert.resolved"],
  "alertmanager-api": ["alert.firing", "alert.resolved"],
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

export async function insertWebhook(
  db: Db,
  input: { url: string; events: WebhookEvent[]; format: WebhookFormat; secret: string },
  createdBy: string | null,
  now: number,
): Promise<WebhookWithSecret> {
  const id = randomUUID();
  await db.run(
    `INSERT INTO webhooks (id, url, events, format, secret, enabled, created_by, created_ms, updated_ms)
     VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)`,
    [id, input.url, JSON.stringify(input.events), input.format, input.secret, createdBy, now, now],
  );
  return (await getWebhook(db, id))!;
}

export async function getWebhook(db: Db, id: string): Promise<WebhookWithSecret | undefined> {
  const row = await db.get<WebhookRow>("SELECT * FROM webhooks WHERE id = ?", [id]);
  return row && toWebhook(row);
}

export async function listWebhooks(db: Db): Promise<WebhookWithSecret[]> {
  return (await db.all<WebhookRow>("SELECT * FROM webhooks ORDER BY created_ms, id")).map(toWebhook);
}

/** Enabled webhooks subscribed to the event. */
export async function subscribers(db: Db, event: WebhookEvent): Promise<WebhookWithSecret[]> {
  const rows = await db.all<WebhookRow>("SELECT * FROM webhooks WHERE enabled = 1 ORDER BY created_ms, id");
  return rows.map(toWebhook).filter((w) => w.events.includes(event));
}

/** Enabled `alertmanager-api` webhooks subscribed to alert.firing: the ones the worker's refresh re-sends to. */
export async function alertmanagerApiWebhooks(db: Db): Promise<WebhookWithSecret[]> {
  const rows = await db.all<WebhookRow>(
    "SELECT * FROM webhooks WHERE enabled = 1 AND format = 'alertmanager-api' ORDER BY created_ms, id",
  );
  return rows.map(toWebhook).filter((w) => w.events.includes("alert.firing"));
}

/** Whether the webhook has a delivery still to send (the refresh waits for the outbox to drain first). */
export async function hasPendingDelivery(db: Db, webhookId: string): Promise<boolean> {
  const row = await db.get(
    "SELECT 1 AS pending FROM webhook_deliveries WHERE webhook_id = ? AND status = 'pending' LIMIT 1",
    [webhookId],
  );
  return row !== undefined;
}

/** Ids of firing alerts, oldest first, at most `limit` (what an Alertmanager refresh re-sends). */
export async function firingAlertIds(db: Db, limit: number): Promise<string[]> {
  const rows = await db.values<[string]>(
    "SELECT id FROM alerts WHERE state = 'firing' ORDER BY started_ms, id LIMIT ?",
    [limit],
  );
  return rows.map((row) => row[0]);
}

/** Changes a webhook's switch or events (absent fields keep their value); undefined when there is no such webhook. */
export function updateWebhook(
  db: Db,
  id: string,
  changes: { enabled?: boolean; events?: WebhookEvent[] },
  now: number,
): Promise<WebhookWithSecret | undefined> {
  return db.transaction(async (tx) => {
    const current = await getWebhook(tx, id);
    if (!current) return undefined;
    await tx.run("UPDATE webhooks SET enabled = ?, events = ?, updated_ms = ? WHERE id = ?", [
      (changes.enabled ?? current.enabled) ? 1 : 0,
      JSON.stringify(changes.events ?? current.events),
      now,
      id,
    ]);
    return getWebhook(tx, id);
  });
}

/** Deletes the webhook with its deliveries and their attempts. */
export async function deleteWebhook(db: Db, id: string): Promise<boolean> {
  return (await db.run("DELETE FROM webhooks WHERE id = ?", [id])) === 1;
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
export async function insertDelivery(
  db: Db,
  input: {
    webhookId: string;
    event: WebhookEvent;
    alertId: string | null;
    body: string;
    redeliveryOf?: string;
  },
  now: number,
): Promise<string> {
  const id = randomUUID();
  await db.run(
    `INSERT INTO webhook_deliveries (id, webhook_id, event, alert_id, body, status, created_ms, next_attempt_ms, redelivery_of)
     VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
    [id, input.webhookId, input.event, input.alertId, input.body, now, now, input.redeliveryOf ?? null],
  );
  return id;
}

export async function getDelivery(db: Db, id: string): Promise<Delivery | undefined> {
  const row = await db.get<DeliveryRow>("SELECT * FROM webhook_deliveries WHERE id = ?", [id]);
  return row && toDelivery(row);
}

/**
 * Picks the deliveries that may be attempted: the oldest pending delivery of every enabled webhook (a
 * webhook's deliveries go out one at a time in creation order, so only its head may be attempted), soonest
 * due first. The worker's only read of the outbox.
 */
export async function pendingHeads(db: Db): Promise<Delivery[]> {
  const rows = await db.all<DeliveryRow>(
    `SELECT d.* FROM webhook_deliveries d
     JOIN (SELECT webhook_id, MIN(seq) AS seq FROM webhook_deliveries WHERE status = 'pending' GROUP BY webhook_id) h
       ON h.seq = d.seq
     JOIN webhooks w ON w.id = d.webhook_id AND w.enabled = 1
     ORDER BY d.next_attempt_ms, d.seq`,
  );
  return rows.map(toDelivery);
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
export async function recordAttempt(
  db: Db,
  delivery: Delivery,
  attempt: AttemptRecord,
  now: number,
): Promise<void> {
  const number = delivery.attempts + 1;
  await db.run(
    `INSERT INTO webhook_attempts (delivery_id, attempt, started_ms, latency_ms, status_code, error, outcome)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [
      delivery.id,
      number,
      attempt.startedMs,
      Math.round(attempt.latencyMs * 10) / 10,
      attempt.statusCode,
      attempt.error,
      attempt.outcome,
    ],
  );
  const status: DeliveryStatus = attempt.outcome === "retry" ? "pending" : attempt.outcome;
  await db.run(
    `UPDATE webhook_deliveries SET attempts = ?, status = ?, next_attempt_ms = ?, last_attempt_ms = ?,
       last_status_code = ?, last_error = ?, finished_ms = ?
     WHERE id = ?`,
    [
      number,
      status,
      status === "pending" ? (attempt.nextAttemptMs ?? now) : null,
      attempt.startedMs,
      attempt.statusCode,
      attempt.error,
      status === "pending" ? null : now,
      delivery.id,
    ],
  );
}

/** Marks a delivery dead without an attempt (it outlived the maximum age while waiting). */
export async function markDead(db: Db, delivery: Delivery, reason: string, now: number): Promise<void> {
  await db.run(
    `UPDATE webhook_deliveries SET status = 'dead', next_attempt_ms = NULL, last_error = ?, finished_ms = ?
     WHERE id = ? AND status = 'pending'`,
    [reason, now, delivery.id],
  );
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

/** The API form of deliveries, each with its attempts (one query for the attempts of them all). */
async function deliveryViews(db: Db, rows: DeliveryRow[]) {
  const attemptsOf = new Map<string, AttemptRow[]>(rows.map((row) => [row.id, []]));
  if (rows.length > 0) {
    const attempts = await db.all<AttemptRow>(
      `SELECT * FROM webhook_attempts WHERE delivery_id IN (${rows.map(() => "?").join(", ")})
       ORDER BY delivery_id, attempt`,
      rows.map((row) => row.id),
    );
    for (const attempt of attempts) attemptsOf.get(attempt.delivery_id)!.push(attempt);
  }
  return rows.map((row) => ({
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
    attempts: attemptsOf.get(row.id)!.map((a) => ({
      attempt: a.attempt,
      at: iso(a.started_ms),
      statusCode: a.status_code,
      latencyMs: a.latency_ms,
      error: a.error,
      outcome: a.outcome,
    })),
    payload: JSON.parse(row.body) as unknown,
  }));
}

/** Deliveries of a webhook, newest first, each with its attempts. */
export async function listDeliveries(
  db: Db,
  webhookId: string,
  options: { status?: DeliveryStatus; limit: number },
) {
  const rows = options.status
    ? await db.all<DeliveryRow>(
        "SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND status = ? ORDER BY seq DESC LIMIT ?",
        [webhookId, options.status, options.limit],
      )
    : await db.all<DeliveryRow>(
        "SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY seq DESC LIMIT ?",
        [webhookId, options.limit],
      );
  return deliveryViews(db, rows);
}

/**
 * Queues a new delivery with a finished delivery's event and body (a new id, `redeliveryOf` the original) at
 * the end of its webhook's queue, and returns it. "pending" while the original is still to be attempted.
 */
export async function redeliver(db: Db, id: string, now: number) {
  const row = await db.transaction(async (tx) => {
    const original = await getDelivery(tx, id);
    if (!original) return "not_found" as const;
    if (original.status === "pending") return "pending" as const;
    const copy = await insertDelivery(
      tx,
      {
        webhookId: original.webhookId,
        event: original.event,
        alertId: original.alertId,
        body: original.body,
        redeliveryOf: original.id,
      },
      now,
    );
    return (await tx.get<DeliveryRow>("SELECT * FROM webhook_deliveries WHERE id = ?", [copy]))!;
  });
  if (typeof row === "string") return row;
  return (await deliveryViews(db, [row]))[0];
}
