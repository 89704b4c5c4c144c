import type { Compute } from "../compute/pool.ts";
import { deleteRule, getRule, insertRule, type RuleFields, updateRule } from "../db/alert-rules.ts";
import type { Db } from "../db/database.ts";
import { notFound } from "../errors.ts";
import { type DesignedCondition, withChartDesign } from "./conditions/chart-designs.ts";
import type { Alerting } from "./engine.ts";
import { closeRuleAlerts } from "./lifecycle.ts";
import { type NewRule, normaliseRule, type Rule, type RuleCondition, type RulePatch } from "./rules.ts";

/**
 * Creating, changing and deleting alert rules. Each change is stored with whatever it does to the rule's open
 * alerts in one transaction; after the commit (never inside: on PostgreSQL the transaction may run again) the
 * engine hears of it: a rule to evaluate soon
 * (`ruleChanged`), a rule cache to drop (`rulesChanged`), resolution notices to send (`deliveriesQueued`).
 */

/** The compute pool designs chart conditions (their ARLs are CPU work: see designChartCondition). */
const designIn = (compute: Compute) => (condition: DesignedCondition) =>
  compute.run("alert-rule-design", condition);

/**
 * Stores a new rule (condition normalised, defaults and a chart condition's design filled in); an enabled one
 * is evaluated soon.
 */
export async function createAlertRule(
  db: Db,
  alerts: Alerting,
  compute: Compute,
  rule: NewRule,
  createdBy: string | null,
): Promise<Rule> {
  const repeatInterval = rule.repeatInterval ?? null;
  const normalised = normaliseRule({ ...rule, repeatInterval });
  const { repeatMs } = normalised;
  const condition = await withChartDesign(normalised.condition, designIn(compute));
  const fields: RuleFields = {
    name: rule.name,
    scope: rule.scope,
    groupBy: rule.groupBy,
    condition,
    severity: rule.severity,
    pendingEvaluations: rule.pendingEvaluations,
    keepFiringEvaluations: rule.keepFiringEvaluations,
    repeatInterval,
    repeatMs,
    enabled: rule.enabled,
  };
  const created = await insertRule(db, fields, createdBy, alerts.now());
  announce(alerts, created);
  return created;
}

/**
 * Applies a patch (absent fields keep their value). Disabling a rule, or changing what it watches (scope,
 * groupBy, condition), resolves its open alerts: they were about the old rule, and the next evaluation of
 * the new one starts afresh. A new condition's chart design is computed (before the transaction, in the
 * compute pool); without one the stored condition keeps its design.
 */
export async function changeAlertRule(
  db: Db,
  alerts: Alerting,
  compute: Compute,
  id: string,
  patch: RulePatch,
): Promise<Rule> {
  const now = alerts.now();
  const { publicUrl } = alerts.lifecycle;
  const designs = patch.condition?.kind === "chart" ? await designIn(compute)(patch.condition) : {};
  const { changed, deliveries } = await db.transaction(async (tx) => {
    const current = await getRule(tx, id);
    if (!current) throw notFound("alert rule");
    const merged = {
      name: patch.name ?? current.name,
      scope: patch.scope ?? current.scope,
      groupBy: patch.groupBy ?? current.groupBy,
      condition: patch.condition ?? current.condition,
      severity: patch.severity ?? current.severity,
      pendingEvaluations: patch.pendingEvaluations ?? current.pendingEvaluations,
      keepFiringEvaluations: patch.keepFiringEvaluations ?? current.keepFiringEvaluations,
      // null turns repeats off, so only an absent field keeps the old interval.
      repeatInterval: patch.repeatInterval === undefined ? current.repeatInterval : patch.repeatInterval,
      enabled: patch.enabled ?? current.enabled,
    };
    const normalised = normaliseRule(merged);
    const condition = { ...normalised.condition, ...designs } as RuleCondition;
    const fields: RuleFields = { ...merged, condition, repeatMs: normalised.repeatMs };
    const watchesOther =
      canonicalJson([current.scope, current.groupBy, current.condition]) !==
      canonicalJson([fields.scope, fields.groupBy, fields.condition]);
    let queued = 0;
    if (current.enabled && !fields.enabled)
      queued = await closeRuleAlerts(tx, publicUrl, current, "rule disabled", now);
    else if (watchesOther) queued = await closeRuleAlerts(tx, publicUrl, current, "rule changed", now);
    return { changed: await updateRule(tx, id, fields, now), deliveries: queued };
  });
  if (deliveries > 0) alerts.deliveriesQueued();
  announce(alerts, changed);
  return changed;
}

/** Deletes a rule; its open alerts are resolved (reason: rule deleted), its alert history stays. */
export async function deleteAlertRule(db: Db, alerts: Alerting, id: string): Promise<Rule> {
  const { deleted, deliveries } = await db.transaction(async (tx) => {
    const rule = await getRule(tx, id);
    if (!rule) throw notFound("alert rule");
    const queued = await closeRuleAlerts(tx, alerts.lifecycle.publicUrl, rule, "rule deleted", alerts.now());
    await deleteRule(tx, rule.id);
    return { deleted: rule, deliveries: queued };
  });
  alerts.rulesChanged();
  if (deliveries > 0) alerts.deliveriesQueued();
  return deleted;
}

/** A stored or changed rule: evaluate it soon when enabled, else only drop the engine's rule cache. */
function announce(alerts: Alerting, rule: Rule): void {
  if (rule.enabled) alerts.ruleChanged(rule.id);
  else alerts.rulesChanged();
}

/**
 * JSON with every object's keys in sorted order: a condition re-sent with its fields in another order (or parsed
 * back from storage) is the same condition, and must not resolve the rule's open alerts as a "rule changed".
 */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
