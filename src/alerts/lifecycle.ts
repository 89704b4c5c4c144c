import { createHash, randomUUID } from "node:crypto";
import { getRule } from "../db/alert-rules.ts";
import {
  type AlertRecord,
  alertsDueForRepeat,
  deleteAlert,
  getAlert,
  openAlertsOfRule,
  saveAlert,
} from "../db/alerts.ts";
import type { Db } from "../db/database.ts";
import { insertDelivery, subscribers, type WebhookEvent, type WebhookFormat } from "../db/webhooks.ts";
import { writeGate } from "../db/write-gate.ts";
import type { GroupOutcome } from "./conditions/index.ts";
import { renderAlert, ruleInfo } from "./payloads.ts";
import type { Rule } from "./rules.ts";

/**
 * Alert lifecycle per fingerprint (rule id + group labels), one open alert per fingerprint:
 *
 * - no open alert, breaching evaluation → a new alert with 1 breaching evaluation: `firing` at once when
 *   pendingEvaluations = 1 (so no pending state is ever visible), else `pending`;
 * - pending, breaching → count; at pendingEvaluations consecutive breaching evaluations → `firing`
 *   (alert.firing is queued);
 * - pending, clear → the alert is deleted without any notification (it never fired);
 * - firing, breaching → the clear count restarts at 0 and the evidence is updated;
 * - firing, clear → count; at keepFiringEvaluations consecutive clear evaluations → `resolved`
 *   (alert.resolved is queued);
 * - firing for repeatInterval since the last notification → alert.firing is queued again.
 *
 * Each state change and the deliveries that report it are written in ONE transaction, so a delivery exists
 * if and only if the change it reports was committed (the outbox). On PostgreSQL a transaction may run again
 * after a serialization failure: the work inside only reads and writes through its `tx` and returns what it
 * did; counts, kicks and logs happen after the commit.
 */

export interface LifecycleContext {
  db: Db;
  publicUrl: string;
}

/**
 * A write transaction of the alerting runtime, which runs in the background (no request's shared turn of
 * the write gate): on SQLite it first waits out a bulk writer's exclusive turn, so that BEGIN IMMEDIATE never
 * waits for the writer thread's lock on the event loop. No await lies between the check and the BEGIN unless
 * another transaction holds the connection. PostgreSQL's gate is always open.
 */
export async function backgroundTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  const gate = writeGate(db);
  while (gate.busy) await gate.idle();
  return db.transaction(work);
}

/** Stable identity of an alert: 16 hex digits of SHA-256 over the rule id and the sorted labels. */
export function fingerprint(ruleId: string, labels: Record<string, string | null>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k]]);
  return createHash("sha256")
    .update(`${ruleId}\n${JSON.stringify(sorted)}`)
    .digest("hex")
    .slice(0, 16);
}

/** Queues one delivery per enabled webhook subscribed to the event; returns how many. `tx` holds the transaction. */
export async function queueEvent(
  tx: Db,
  event: WebhookEvent,
  render: (format: WebhookFormat) => string,
  alertId: string | null,
  now: number,
): Promise<number> {
  const hooks = await subscribers(tx, event);
  const bodies = new Map<WebhookFormat, string>();
  for (const hook of hooks) {
    let body = bodies.get(hook.format);
    if (body === undefined) bodies.set(hook.format, (body = render(hook.format)));
    await insertDelivery(tx, { webhookId: hook.id, event, alertId, body }, now);
  }
  return hooks.length;
}

/** Queues the event about an alert; `tx` holds the transaction that stores the alert's change. */
function notify(
  tx: Db,
  publicUrl: string,
  event: WebhookEvent,
  alert: AlertRecord,
  rule: Rule,
  now: number,
): Promise<number> {
  const info = ruleInfo(rule);
  return queueEvent(
    tx,
    event,
    (format) => renderAlert(format, event, alert, info, publicUrl, now),
    alert.id,
    now,
  );
}

function withOutcome(alert: AlertRecord, rule: Rule, outcome: GroupOutcome, now: number): AlertRecord {
  return {
    ...alert,
    ruleName: rule.name,
    severity: rule.severity,
    value: outcome.value,
    threshold: outcome.threshold,
    signal: outcome.signal,
    evidence: outcome.evidence,
    link: outcome.link,
    summary: outcome.summary,
    evaluatedMs: now,
  };
}

export interface ApplyResult {
  fired: number;
  resolved: number;
  deliveries: number;
}

/**
 * Applies one evaluation of a rule: `outcomes` holds the groups evaluated (breaching or not); every open
 * alert of the rule whose group has no outcome counts a clear evaluation. One transaction (which may run
 * again on PostgreSQL: the counts are those of the run that committed).
 */
export function applyOutcomes(
  ctx: LifecycleContext,
  rule: Rule,
  outcomes: readonly GroupOutcome[],
  now: number,
): Promise<ApplyResult> {
  const { publicUrl } = ctx;
  return backgroundTransaction(ctx.db, async (tx) => {
    const result: ApplyResult = { fired: 0, resolved: 0, deliveries: 0 };
    const open = new Map((await openAlertsOfRule(tx, rule.id)).map((a) => [a.fingerprint, a]));
    for (const outcome of outcomes) {
      const key = fingerprint(rule.id, outcome.labels);
      const alert = open.get(key);
      open.delete(key);
      if (outcome.breach) await breaching(tx, result, alert, key, outcome);
      else if (alert) await clear(tx, result, alert, outcome);
    }
    for (const alert of open.values()) await clear(tx, result, alert, undefined);
    return result;
  });

  async function breaching(
    tx: Db,
    result: ApplyResult,
    alert: AlertRecord | undefined,
    key: string,
    outcome: GroupOutcome,
  ) {
    if (!alert) {
      const firing = rule.pendingEvaluations <= 1;
      const created: AlertRecord = withOutcome(
        {
          id: randomUUID(),
          ruleId: rule.id,
          ruleName: rule.name,
          severity: rule.severity,
          fingerprint: key,
          labels: outcome.labels,
          state: firing ? "firing" : "pending",
          breaching: 1,
          clearing: 0,
          value: null,
          threshold: null,
          signal: null,
          evidence: {},
          link: null,
          summary: "",
          startedMs: now,
          firedMs: firing ? now : null,
          resolvedMs: null,
          resolution: null,
          evaluatedMs: now,
          notifiedMs: firing ? now : null,
          acknowledgedMs: null,
          acknowledgedBy: null,
          ackNote: null,
        },
        rule,
        outcome,
        now,
      );
      await saveAlert(tx, created);
      if (firing) {
        result.fired++;
        result.deliveries += await notify(tx, publicUrl, "alert.firing", created, rule, now);
      }
      return;
    }
    const updated = withOutcome(alert, rule, outcome, now);
    updated.breaching = alert.breaching + 1;
    updated.clearing = 0;
    if (alert.state === "pending" && updated.breaching >= rule.pendingEvaluations) {
      updated.state = "firing";
      updated.firedMs = now;
      updated.notifiedMs = now;
      await saveAlert(tx, updated);
      result.fired++;
      result.deliveries += await notify(tx, publicUrl, "alert.firing", updated, rule, now);
      return;
    }
    await saveAlert(tx, updated);
  }

  async function clear(tx: Db, result: ApplyResult, alert: AlertRecord, outcome: GroupOutcome | undefined) {
    if (alert.state === "pending") {
      await deleteAlert(tx, alert.id);
      return;
    }
    const clearing = alert.clearing + 1;
    if (clearing < rule.keepFiringEvaluations) {
      await saveAlert(tx, { ...alert, clearing, evaluatedMs: now });
      return;
    }
    const resolved: AlertRecord = outcome
      ? withOutcome(alert, rule, outcome, now)
      : { ...alert, evaluatedMs: now };
    resolved.clearing = clearing;
    resolved.state = "resolved";
    resolved.resolvedMs = now;
    resolved.resolution = outcome
      ? "condition cleared"
      : "no data in the latest evaluation (counts as clear)";
    resolved.notifiedMs = now;
    await saveAlert(tx, resolved);
    result.resolved++;
    result.deliveries += await notify(tx, publicUrl, "alert.resolved", resolved, rule, now);
  }
}

/**
 * Resolves every open alert of a rule that is being disabled, changed or deleted (firing ones notify
 * alert.resolved with the reason; pending ones are dropped). `tx` holds the caller's transaction; returns
 * the number of deliveries queued.
 */
export async function closeRuleAlerts(
  tx: Db,
  publicUrl: string,
  rule: Rule,
  reason: string,
  now: number,
): Promise<number> {
  let deliveries = 0;
  for (const alert of await openAlertsOfRule(tx, rule.id)) {
    if (alert.state === "pending") {
      await deleteAlert(tx, alert.id);
      continue;
    }
    const resolved: AlertRecord = {
      ...alert,
      state: "resolved",
      resolvedMs: now,
      resolution: reason,
      notifiedMs: now,
    };
    await saveAlert(tx, resolved);
    deliveries += await notify(tx, publicUrl, "alert.resolved", resolved, rule, now);
  }
  return deliveries;
}

/** Re-sends alert.firing for firing alerts whose rule's repeatInterval has passed since the last notification. */
export function emitRepeats(ctx: LifecycleContext, now: number): Promise<number> {
  return backgroundTransaction(ctx.db, async (tx) => {
    let deliveries = 0;
    for (const alert of await alertsDueForRepeat(tx, now)) {
      const rule = await getRule(tx, alert.ruleId);
      if (!rule) continue;
      const updated = { ...alert, notifiedMs: now };
      await saveAlert(tx, updated);
      deliveries += await notify(tx, ctx.publicUrl, "alert.firing", updated, rule, now);
    }
    return deliveries;
  });
}

/**
 * Marks an alert acknowledged (it still resolves on its own) and queues alert.acknowledged.
 * Returns "not_found", "resolved" (nothing to acknowledge) or the updated alert.
 */
export function acknowledge(
  ctx: LifecycleContext,
  id: string,
  by: string | null,
  note: string | null,
  now: number,
): Promise<AlertRecord | "not_found" | "resolved"> {
  return ctx.db.transaction(async (tx): Promise<AlertRecord | "not_found" | "resolved"> => {
    const alert = await getAlert(tx, id);
    if (!alert) return "not_found";
    if (alert.state === "resolved") return "resolved";
    const updated: AlertRecord = {
      ...alert,
      acknowledgedMs: alert.acknowledgedMs ?? now,
      acknowledgedBy: alert.acknowledgedMs === null ? by : alert.acknowledgedBy,
      ackNote: note ?? alert.ackNote,
    };
    await saveAlert(tx, updated);
    const rule = await getRule(tx, alert.ruleId);
    if (rule && alert.acknowledgedMs === null && alert.state === "firing")
      await notify(tx, ctx.publicUrl, "alert.acknowledged", updated, rule, now);
    return updated;
  });
}
