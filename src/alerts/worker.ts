import { randomUUID } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { AlertsConfig } from "../config.ts";
import type { Db } from "../db/database.ts";
import { PostgresDb } from "../db/postgres.ts";
import {
  type AttemptRecord,
  alertmanagerApiWebhooks,
  type Delivery,
  getDelivery,
  getWebhook,
  hasPendingDelivery,
  markDead,
  pendingHeads,
  recordAttempt,
  type WebhookWithSecret,
} from "../db/webhooks.ts";
import type { Logger } from "../logger.ts";
import { AddressRefused, type ResolvedAddress, resolveDestination } from "./address.ts";
import { alertmanagerAlertsUrl, firingAlertBodies } from "./alertmanager-refresh.ts";
import { backgroundTransaction } from "./lifecycle.ts";
import { signatureHeader } from "./signature.ts";

/**
 * The delivery worker: an in-process loop (setTimeout-driven) that sends queued deliveries.
 *
 * - Order: per webhook, by creation. Only a webhook's oldest pending delivery may be attempted; the next one
 *   waits until it is delivered, failed or dead. Different webhooks are sent in parallel.
 * - At least once: network errors, timeouts (MODQC_WEBHOOK_TIMEOUT_MS, 10 s), 5xx and 429 are retried with
 *   exponential backoff and full jitter — attempt k waits uniform(0, min(cap, base·2^(k−1))) — or exactly
 *   `Retry-After` when the answer carries one; a retry that would start later than createdAt + max age marks
 *   the delivery dead instead. Redirects (3xx) are not followed and, like other 4xx, fail at once.
 * - Durable: every attempt (status code, latency, error) is recorded in the database before the next is
 *   planned; pending deliveries resume after a restart. A kill during an attempt leaves it unrecorded, so it
 *   is sent again (same `Modqc-Delivery` id): receivers deduplicate.
 * - Sends happen outside transactions; the attempt is recorded afterwards in a transaction of its own, which
 *   checks that the delivery has not moved on meanwhile (on PostgreSQL it may run again: it only writes).
 * - Alertmanager refresh: Alertmanager ends an alert nobody re-sends (its resolve_timeout, or the endsAt it was
 *   given), so every MODQC_ALERTMANAGER_REFRESH_MS the worker re-sends all firing alerts to each
 *   `alertmanager-api` webhook with endsAt four intervals ahead (Prometheus' own rule). The refresh reads the
 *   alerts at send time and is not an outbox row: no table grows with it, and a lost refresh is simply
 *   followed by the next one. It takes the webhook's turn like a delivery and waits while the webhook has
 *   deliveries pending, so a firing alert's refresh never overtakes its resolution: a resolution committed
 *   before the refresh reads the alerts leaves the alert out, one committed after is sent after the refresh.
 */

export interface WorkerOptions {
  db: Db;
  config: AlertsConfig;
  logger: Logger;
  version: string;
  now?: () => number;
  random?: () => number;
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
}

interface Answer {
  status: number;
  retryAfter: string | undefined;
  location: string | undefined;
  snippet: string;
}

/** Polls the outbox at least this often even without a kick (deliveries written by another process). */
const IDLE_POLL_MS = 30_000;
const SNIPPET_BYTES = 500;

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), or undefined when absent or invalid. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export class DeliveryWorker {
  private readonly db: Db;
  private readonly config: AlertsConfig;
  private readonly logger: Logger;
  private readonly version: string;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly resolve: WorkerOptions["resolve"];
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  /** The attempt underway per webhook (one at a time, in order). */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** The loop's read of the outbox underway, if any. */
  private ticking: Promise<void> | undefined;
  /** Reads of the outbox started so far; see `due`. */
  private reads = 0;
  /** Per webhook, how many reads of the outbox had started when its last attempt ended (was recorded). */
  private readonly readsWhenLastAttemptEnded = new Map<string, number>();
  private stopController = new AbortController();
  /** Attempts this worker recorded, by outcome (GET /metrics). */
  readonly attemptOutcomes: Record<AttemptRecord["outcome"], number> = {
    delivered: 0,
    retry: 0,
    failed: 0,
    dead: 0,
  };
  /** Alertmanager refreshes this worker made (one per webhook refreshed), by outcome (GET /metrics). */
  readonly refreshOutcomes = { sent: 0, failed: 0 };

  constructor(options: WorkerOptions) {
    this.db = options.db;
    this.config = options.config;
    this.logger = options.logger;
    this.version = options.version;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.resolve = options.resolve;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopController = new AbortController();
    this.schedule(0);
    this.refreshTimer = setInterval(() => {
      this.refreshAlertmanagers().catch((error) =>
        this.logger.error("webhook worker: Alertmanager refresh failed", { error: String(error) }),
      );
    }, this.config.alertmanagerRefreshMs);
    this.refreshTimer.unref?.();
  }

  /** New deliveries were queued: look at the outbox now. */
  kick(): void {
    if (this.running) this.schedule(0);
  }

  /** Stops the loop and aborts attempts in flight (they stay pending, unrecorded, and resume on the next start). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.stopController.abort();
    await Promise.allSettled([this.ticking, ...this.inFlight.values()]);
  }

  /**
   * Sends every delivery that is due now (by the worker's clock), following each webhook's queue, until
   * nothing more is due; resolves when they are all recorded. For tests and tools; the loop does the same.
   */
  async runDue(): Promise<number> {
    let sent = 0;
    for (;;) {
      const { due, stale } = await this.due();
      if (stale) continue; // an attempt ended during the read: read again
      if (due.length === 0) {
        if (this.inFlight.size === 0) return sent;
        await Promise.allSettled([...this.inFlight.values()]);
        continue;
      }
      const launched = due.slice(0, Math.max(1, this.room()));
      sent += launched.length;
      await Promise.allSettled(launched.map((head) => this.launch(head)));
    }
  }

  /**
   * The deliveries to attempt now (webhook heads that are due and not in flight) and the wait until the next
   * one falls due (at most IDLE_POLL_MS). Launch them at once, before any await: the in-flight check holds
   * only until then. A head whose webhook had an attempt recorded after this read started is left out: the
   * read may predate that record (the next read, which the recording schedules, sees the outcome), so a
   * delivered head is never sent again from a stale read; `stale` says that happened.
   */
  private async due(): Promise<{ due: Delivery[]; nextInMs: number; stale: boolean }> {
    const read = ++this.reads;
    const heads = await pendingHeads(this.db);
    const now = this.now();
    const due: Delivery[] = [];
    let nextInMs = IDLE_POLL_MS;
    let stale = false;
    for (const head of heads) {
      if (this.inFlight.has(head.webhookId) || head.nextAttemptMs === null) continue;
      if ((this.readsWhenLastAttemptEnded.get(head.webhookId) ?? 0) >= read) stale = true;
      else if (head.nextAttemptMs <= now) due.push(head);
      else nextInMs = Math.min(nextInMs, head.nextAttemptMs - now);
    }
    return { due, nextInMs, stale };
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    const at = Date.now() + Math.max(0, delayMs);
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        // One read of the outbox at a time: a tick the timer starts during another waits for it.
        const tick = (this.ticking ?? Promise.resolve()).then(() => this.tick());
        this.ticking = tick;
        void tick.finally(() => {
          if (this.ticking === tick) this.ticking = undefined;
        });
      },
      Math.max(0, delayMs),
    );
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    let next = IDLE_POLL_MS;
    try {
      const { due, nextInMs } = await this.due();
      if (!this.running) return;
      for (const head of due.slice(0, this.room())) void this.launch(head);
      next = nextInMs;
    } catch (error) {
      this.logger.error("webhook worker: reading the outbox failed", { error: String(error) });
    }
    this.schedule(next);
  }

  /**
   * Re-sends the firing alerts to every `alertmanager-api` webhook that is idle (no attempt in flight, no
   * delivery pending); resolves when the sends are done. Returns how many webhooks were refreshed. The loop
   * calls it every MODQC_ALERTMANAGER_REFRESH_MS; tests call it directly.
   */
  async refreshAlertmanagers(): Promise<number> {
    const hooks = await alertmanagerApiWebhooks(this.db);
    const runs: Promise<void>[] = [];
    for (const hook of hooks) {
      if (this.inFlight.has(hook.id) || (await hasPendingDelivery(this.db, hook.id))) continue;
      if (this.inFlight.has(hook.id)) continue; // a delivery started during the read
      const run = this.refresh(hook)
        .then(() => {
          this.refreshOutcomes.sent++;
        })
        .catch((error) => {
          this.refreshOutcomes.failed++;
          this.logger.info("Alertmanager refresh not delivered", { webhook: hook.id, error: String(error) });
        })
        .finally(() => {
          this.readsWhenLastAttemptEnded.set(hook.id, this.reads);
          this.inFlight.delete(hook.id);
          this.schedule(0);
        });
      this.inFlight.set(hook.id, run);
      runs.push(run);
    }
    await Promise.all(runs);
    return runs.length;
  }

  /** One refresh of one webhook, holding its turn: the firing alerts as they are now, in batches. */
  private async refresh(hook: WebhookWithSecret): Promise<void> {
    const now = this.now();
    const bodies = await firingAlertBodies(this.db, this.config, now);
    if (bodies.length === 0) return;
    const url = alertmanagerAlertsUrl(hook.url);
    const destination = await resolveDestination(url, this.config.allowHosts, this.resolve);
    for (const body of bodies) {
      const headers = {
        "content-type": "application/json",
        "user-agent": `modqc/${this.version}`,
        "modqc-event": "alert.firing",
        "modqc-delivery": `refresh-${randomUUID()}`,
        "modqc-signature": signatureHeader(hook.secret, body, Math.floor(now / 1000)),
      };
      const answer = await this.send(url, destination, headers, body);
      if (answer.status < 200 || answer.status >= 300) {
        throw new Error(`HTTP ${answer.status}${answer.snippet ? `: ${answer.snippet}` : ""}`);
      }
    }
  }

  /**
   * How many more attempts may start now. On PostgreSQL each attempt holds a pooled connection while it
   * sends, so attempts leave two connections of the pool to requests; SQLite has no such bound.
   */
  private room(): number {
    const location = this.db.location;
    if (location.dialect !== "postgres") return Number.POSITIVE_INFINITY;
    return Math.max(1, location.poolSize - 2) - this.inFlight.size;
  }

  private launch(delivery: Delivery): Promise<void> {
    const run = this.attempt(delivery)
      .catch((error) =>
        this.logger.error("webhook worker: attempt failed unexpectedly", {
          delivery: delivery.id,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
      )
      .finally(() => {
        this.readsWhenLastAttemptEnded.set(delivery.webhookId, this.reads);
        this.inFlight.delete(delivery.webhookId);
        this.schedule(0);
      });
    this.inFlight.set(delivery.webhookId, run);
    return run;
  }

  /**
   * One attempt at `delivery`. On PostgreSQL several instances may run a worker for a moment (a leader that lost
   * its connection is still finishing while the next one starts), so the attempt holds the delivery's row lock
   * from its claim (`FOR UPDATE SKIP LOCKED`) to its record: a delivery another instance is attempting is
   * skipped, never sent twice. If the instance dies mid-attempt, PostgreSQL ends its transaction and the next
   * leader attempts it again at once, under the same delivery id (at least once).
   */
  private async attempt(delivery: Delivery): Promise<void> {
    if (this.db instanceof PostgresDb) {
      await this.db.lockingTransaction(async (tx) => {
        const claimed = await tx.get(
          `SELECT 1 FROM webhook_deliveries WHERE id = ? AND status = 'pending' AND attempts = ?
           FOR UPDATE SKIP LOCKED`,
          [delivery.id, delivery.attempts],
        );
        if (claimed) await this.attemptOn(tx, delivery, (record) => record(tx));
      });
    } else {
      await this.attemptOn(this.db, delivery, (record) => backgroundTransaction(this.db, record));
    }
  }

  /** Sends `delivery` and records the outcome through `write` (the transaction that holds or takes the row). */
  private async attemptOn(
    db: Db,
    delivery: Delivery,
    write: (record: (tx: Db) => Promise<void>) => Promise<void>,
  ): Promise<void> {
    const hook = await getWebhook(db, delivery.webhookId);
    if (!hook?.enabled) return;
    const startedMs = this.now();
    const deadline = delivery.createdMs + this.config.webhookMaxAgeMs;
    if (startedMs > deadline) {
      await write((tx) => markDead(tx, delivery, "maximum age reached before the attempt", startedMs));
      return;
    }
    const body = delivery.body;
    const headers = {
      "content-type": "application/json",
      "user-agent": `modqc/${this.version}`,
      "modqc-event": delivery.event,
      "modqc-delivery": delivery.id,
      "modqc-signature": signatureHeader(hook.secret, body, Math.floor(startedMs / 1000)),
    };
    const clock = performance.now();
    let record: AttemptRecord;
    try {
      const url = hook.format === "alertmanager-api" ? alertmanagerAlertsUrl(hook.url) : new URL(hook.url);
      const destination = await resolveDestination(url, this.config.allowHosts, this.resolve);
      const answer = await this.send(url, destination, headers, body);
      record = this.classify(delivery, answer, startedMs, performance.now() - clock);
    } catch (error) {
      if (this.stopController.signal.aborted) return; // shutting down: left pending, sent again after restart
      const latencyMs = performance.now() - clock;
      if (error instanceof AddressRefused) {
        record = { startedMs, latencyMs, statusCode: null, error: error.message, outcome: "failed" };
      } else {
        const timedOut =
          error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        const message = timedOut
          ? `timed out after ${this.config.webhookTimeoutMs} ms`
          : `network error: ${(error as NodeJS.ErrnoException).code ?? ""} ${(error as Error).message ?? error}`.trim();
        record = this.retry(delivery, startedMs, latencyMs, null, message, undefined);
      }
    }
    const now = this.now();
    await write(async (tx) => {
      const current = await getDelivery(tx, delivery.id);
      if (current?.status !== "pending" || current.attempts !== delivery.attempts) return; // deleted or moved on
      await recordAttempt(tx, current, record, now);
    });
    this.attemptOutcomes[record.outcome]++;
    if (record.outcome !== "delivered") {
      this.logger.info("webhook delivery attempt", {
        delivery: delivery.id,
        webhook: delivery.webhookId,
        attempt: delivery.attempts + 1,
        outcome: record.outcome,
        statusCode: record.statusCode,
        error: record.error,
      });
    }
  }

  private classify(delivery: Delivery, answer: Answer, startedMs: number, latencyMs: number): AttemptRecord {
    const { status } = answer;
    if (status >= 200 && status < 300)
      return { startedMs, latencyMs, statusCode: status, error: null, outcome: "delivered" };
    if (status === 429 || status >= 500) {
      const message = `HTTP ${status}${answer.snippet ? `: ${answer.snippet}` : ""}`;
      return this.retry(delivery, startedMs, latencyMs, status, message, answer.retryAfter);
    }
    const message =
      status >= 300 && status < 400
        ? `HTTP ${status}: redirects are not followed${answer.location ? ` (Location: ${answer.location})` : ""}`
        : `HTTP ${status}${answer.snippet ? `: ${answer.snippet}` : ""}`;
    return { startedMs, latencyMs, statusCode: status, error: message, outcome: "failed" };
  }

  /** A retryable failure: the next attempt after backoff (or Retry-After), or dead past the maximum age. */
  private retry(
    delivery: Delivery,
    startedMs: number,
    latencyMs: number,
    statusCode: number | null,
    error: string,
    retryAfter: string | undefined,
  ): AttemptRecord {
    const now = this.now();
    const attempt = delivery.attempts + 1;
    const requested = retryAfterMs(retryAfter, now);
    const ceiling = Math.min(
      this.config.webhookBackoffCapMs,
      this.config.webhookBackoffMs * 2 ** (attempt - 1),
    );
    const wait = requested ?? Math.floor(this.random() * ceiling);
    const nextAttemptMs = now + wait;
    if (nextAttemptMs > delivery.createdMs + this.config.webhookMaxAgeMs) {
      return { startedMs, latencyMs, statusCode, error: `${error}; maximum age reached`, outcome: "dead" };
    }
    return { startedMs, latencyMs, statusCode, error, outcome: "retry", nextAttemptMs };
  }

  /** POST with the connection pinned to the checked address; no redirects; the whole exchange under the timeout. */
  private send(
    url: URL,
    destination: ResolvedAddress,
    headers: Record<string, string>,
    body: string,
  ): Promise<Answer> {
    const signal = AbortSignal.any([
      AbortSignal.timeout(this.config.webhookTimeoutMs),
      this.stopController.signal,
    ]);
    const client = url.protocol === "https:" ? https : http;
    const payload = Buffer.from(body, "utf8");
    return new Promise<Answer>((resolve, reject) => {
      const request = client.request(
        url,
        {
          method: "POST",
          headers: { ...headers, "content-length": String(payload.length) },
          signal,
          agent: false,
          lookup: pinnedLookup(destination),
        },
        (response) => {
          let snippet = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            if (snippet.length < SNIPPET_BYTES) snippet += chunk.slice(0, SNIPPET_BYTES - snippet.length);
          });
          response.on("error", reject);
          response.on("end", () =>
            resolve({
              status: response.statusCode ?? 0,
              retryAfter: response.headers["retry-after"],
              location: response.headers.location,
              snippet: snippet.replace(/\s+/g, " ").trim(),
            }),
          );
        },
      );
      request.on("error", (error) =>
        reject(signal.aborted && signal.reason instanceof Error ? signal.reason : error),
      );
      request.end(payload);
    });
  }
}

/** A DNS lookup that always answers the address that passed the private-range check (no rebinding window). */
function pinnedLookup(destination: { address: string; family: number }): LookupFunction {
  return (_host, options, callback) => {
    if (options?.all) callback(null, [{ address: destination.address, family: destination.family }]);
    else callback(null, destination.address, destination.family);
  };
}
