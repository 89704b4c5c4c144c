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
import { isRuleOf, type Rule } from "./rules.ts";

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
 * Audit rules' alerts (one per audit, src/alerts/audit-rules.ts) use `openAlert` and `resolveAlert` directly:
 * they fire when an audit comes to match and resolve when a correction makes it stop matching, or when a lead
 * acknowledges them with a note (`acknowledge`).
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
      const queued = await openAlert(tx, publicUrl, rule, key, outcome, now);
      if (queued !== undefined) {
        result.fired++;
        result.deliveries += queued;
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
    result.resolved++;
    result.deliveries += await resolveAlert(
      tx,
      publicUrl,
      rule,
      resolved,
      outcome ? "condition cleared" : "no data in the latest evaluation (counts as clear)",
      now,
    );
  }
}

/**
 * A new alert for fingerprint `key` after its first breaching evaluation: `firing` at once (alert.firing
 * queued) when the rule's pendingEvaluations is 1, else `pending`. `tx` holds the transaction; resolves to the
 * number of deliveries queued, or undefined when the alert is only pending.
 */
export async function openAlert(
  tx: Db,
  publicUrl: string,
  rule: Rule,
  key: string,
  outcome: GroupOutcome,
  now: number,
): Promise<number | undefined> {
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
  return firing ? notify(tx, publicUrl, "alert.firing", created, rule, now) : undefined;
}

/** Stores `alert` (a firing one) as resolved for `reason` and queues alert.resolved; resolves to the deliveries queued. */
export async function resolveAlert(
  tx: Db,
  publicUrl: string,
  rule: Rule,
  alert: AlertRecord,
  reason: string,
  now: number,
): Promise<number> {
  const resolved: AlertRecord = {
    ...alert,
    state: "resolved",
    resolvedMs: now,
    resolution: reason,
    notifiedMs: now,
  };
  await saveAlert(tx, resolved);
  return notify(tx, publicUrl, "alert.resolved", resolved, rule, now);
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
    deliveries += await resolveAlert(tx, publicUrl, rule, alert, reason, now);
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

/** Stores what a new evaluation says about an open alert (its evidence, value, summary) without notifying. */
export function refreshAlert(tx: Db, rule: Rule, alert: AlertRecord, outcome: GroupOutcome, now: number) {
  return saveAlert(tx, withOutcome(alert, rule, outcome, now));
}

/**
 * Marks an alert acknowledged and queues alert.acknowledged (a firing alert's first acknowledgement). Other
 * alerts still resolve on their own; an audit rule's alert (about one audit, which no evaluation clears) is
 * resolved by an acknowledgement with a note when `mayResolve` (a lead's or admin's): alert.resolved is
 * queued instead, with the note as the resolution. Returns "not_found", "resolved" (nothing to acknowledge) or
 * the updated alert.
 */
export function acknowledge(
  ctx: LifecycleContext,
  id: string,
  by: string | null,
  note: string | null,
  now: number,
  mayResolve = false,
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
    const rule = await getRule(tx, alert.ruleId);
    if (rule && isRuleOf(rule, "audit") && mayResolve && note !== null && note.trim() !== "") {
      const reason = `acknowledged by ${by ?? "an unnamed key"}: ${note}`;
      await resolveAlert(tx, ctx.publicUrl, rule, updated, reason, now);
      return (await getAlert(tx, id))!;
    }
    await saveAlert(tx, updated);
    if (rule && alert.acknowledgedMs === null && alert.state === "firing")
      await notify(tx, ctx.publicUrl, "alert.acknowledged", updated, rule, now);
    return updated;
  });
}
