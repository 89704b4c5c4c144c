import { deleteRule, getRule, insertRule, type RuleFields, updateRule } from "../db/alert-rules.ts";
import type { Db } from "../db/open.ts";
import { notFound } from "../errors.ts";
import type { Alerting } from "./engine.ts";
import { closeRuleAlerts } from "./lifecycle.ts";
import { type NewRule, normaliseRule, type Rule, type RulePatch } from "./rules.ts";

/**
 * Creating, changing and deleting alert rules. Each change is stored with whatever it does to the rule's open
 * alerts in one IMMEDIATE transaction; after the commit the engine hears of it: a rule to evaluate soon
 * (`ruleChanged`), a rule cache to drop (`rulesChanged`), resolution notices to send (`deliveriesQueued`).
 */

/** Stores a new rule (condition normalised, defaults filled in); an enabled one is evaluated soon. */
export function createAlertRule(db: Db, alerts: Alerting, rule: NewRule, createdBy: string | null): Rule {
  const repeatInterval = rule.repeatInterval ?? null;
  const { condition, repeatMs } = normaliseRule({ ...rule, repeatInterval });
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
  const created = insertRule(db, fields, createdBy, alerts.now());
  announce(alerts, created);
  return created;
}

/**
 * Applies a patch (absent fields keep their value). Disabling a rule, or changing what it watches (scope,
 * groupBy, condition), resolves its open alerts: they were about the old rule, and the next evaluation of
 * the new one starts afresh.
 */
export function changeAlertRule(db: Db, alerts: Alerting, id: string, patch: RulePatch): Rule {
  const now = alerts.now();
  let deliveries = 0;
  const changed = db
    .transaction(() => {
      const current = getRule(db, id);
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
      const { condition, repeatMs } = normaliseRule(merged);
      const fields: RuleFields = { ...merged, condition, repeatMs };
      const watchesOther =
        JSON.stringify([current.scope, current.groupBy, current.condition]) !==
        JSON.stringify([fields.scope, fields.groupBy, fields.condition]);
      if (current.enabled && !fields.enabled)
        deliveries = closeRuleAlerts(alerts.lifecycle, current, "rule disabled", now);
      else if (watchesOther) deliveries = closeRuleAlerts(alerts.lifecycle, current, "rule changed", now);
      return updateRule(db, id, fields, now);
    })
    .immediate();
  if (deliveries > 0) alerts.deliveriesQueued();
  announce(alerts, changed);
  return changed;
}

/** Deletes a rule; its open alerts are resolved (reason: rule deleted), its alert history stays. */
export function deleteAlertRule(db: Db, alerts: Alerting, id: string): Rule {
  let deliveries = 0;
  const deleted = db
    .transaction(() => {
      const rule = getRule(db, id);
      if (!rule) throw notFound("alert rule");
      deliveries = closeRuleAlerts(alerts.lifecycle, rule, "rule deleted", alerts.now());
      deleteRule(db, rule.id);
      return rule;
    })
    .immediate();
  alerts.rulesChanged();
  if (deliveries > 0) alerts.deliveriesQueued();
  return deleted;
}

/** A stored or changed rule: evaluate it soon when enabled, else only drop the engine's rule cache. */
function announce(alerts: Alerting, rule: Rule): void {
  if (rule.enabled) alerts.ruleChanged(rule.id);
  else alerts.rulesChanged();
}
