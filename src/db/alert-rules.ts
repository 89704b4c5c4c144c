import { randomUUID } from "node:crypto";
import {
  type ConditionKind,
  type GroupByField,
  isRuleOf,
  type Rule,
  type RuleCondition,
  type Scope,
  type Severity,
} from "../alerts/rules.ts";
import type { Db } from "./open.ts";
import { statement } from "./statements.ts";

/** The `alert_rules` table (migration 4): rules stored with their normalised condition as JSON. */

interface RuleRow {
  id: string;
  name: string;
  kind: ConditionKind;
  scope: string;
  group_by: string;
  condition: string;
  severity: Severity;
  pending_evaluations: number;
  keep_firing_evaluations: number;
  repeat_interval: string | null;
  repeat_ms: number | null;
  enabled: number;
  created_by: string | null;
  created_ms: number;
  updated_ms: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

function toRule(row: RuleRow): Rule {
  // Written by ruleParams from a normalised condition.
  const condition: RuleCondition = JSON.parse(row.condition);
  return {
    id: row.id,
    name: row.name,
    scope: JSON.parse(row.scope) as Scope,
    groupBy: JSON.parse(row.group_by) as GroupByField[],
    condition,
    severity: row.severity,
    pendingEvaluations: row.pending_evaluations,
    keepFiringEvaluations: row.keep_firing_evaluations,
    repeatInterval: row.repeat_interval,
    repeatMs: row.repeat_ms,
    enabled: row.enabled === 1,
    createdBy: row.created_by,
    createdAt: iso(row.created_ms),
    updatedAt: iso(row.updated_ms),
  };
}

/** The API form of a rule (without the derived repeatMs). */
export function publicRule(rule: Rule) {
  const { repeatMs: _, ...rest } = rule;
  return rest;
}

/** What a client sets on a rule; the rest (id, author, timestamps) the store assigns. */
export type RuleFields = Omit<Rule, "id" | "createdBy" | "createdAt" | "updatedAt">;

function ruleParams(fields: RuleFields) {
  return {
    name: fields.name,
    kind: fields.condition.kind,
    scope: JSON.stringify(fields.scope),
    group_by: JSON.stringify(fields.groupBy),
    condition: JSON.stringify(fields.condition),
    severity: fields.severity,
    pending_evaluations: fields.pendingEvaluations,
    keep_firing_evaluations: fields.keepFiringEvaluations,
    repeat_interval: fields.repeatInterval,
    repeat_ms: fields.repeatMs,
    enabled: fields.enabled ? 1 : 0,
  };
}

export function insertRule(db: Db, fields: RuleFields, createdBy: string | null, now: number): Rule {
  const id = randomUUID();
  statement(
    db,
    `INSERT INTO alert_rules (id, name, kind, scope, group_by, condition, severity, pending_evaluations,
       keep_firing_evaluations, repeat_interval, repeat_ms, enabled, created_by, created_ms, updated_ms)
     VALUES (@id, @name, @kind, @scope, @group_by, @condition, @severity, @pending_evaluations,
       @keep_firing_evaluations, @repeat_interval, @repeat_ms, @enabled, @created_by, @now, @now)`,
  ).run({ id, ...ruleParams(fields), created_by: createdBy, now });
  return getRule(db, id)!;
}

export function updateRule(db: Db, id: string, fields: RuleFields, now: number): Rule {
  statement(
    db,
    `UPDATE alert_rules SET name = @name, kind = @kind, scope = @scope, group_by = @group_by,
       condition = @condition, severity = @severity, pending_evaluations = @pending_evaluations,
       keep_firing_evaluations = @keep_firing_evaluations, repeat_interval = @repeat_interval,
       repeat_ms = @repeat_ms, enabled = @enabled, updated_ms = @now
     WHERE id = @id`,
  ).run({ id, ...ruleParams(fields), now });
  return getRule(db, id)!;
}

export function deleteRule(db: Db, id: string): void {
  statement(db, "DELETE FROM alert_rules WHERE id = ?").run(id);
}

export function getRule(db: Db, id: string): Rule | undefined {
  const row = statement<[string], RuleRow>(db, "SELECT * FROM alert_rules WHERE id = ?").get(id);
  return row && toRule(row);
}

export function listRules(db: Db): Rule[] {
  return statement<[], RuleRow>(db, "SELECT * FROM alert_rules ORDER BY created_ms, id").all().map(toRule);
}

/** Enabled rules of the given kinds, oldest first. */
export function enabledRules<K extends ConditionKind>(db: Db, kinds: readonly K[]): Rule<K>[] {
  const rows = statement<[], RuleRow>(
    db,
    "SELECT * FROM alert_rules WHERE enabled = 1 ORDER BY created_ms, id",
  ).all();
  return rows
    .filter((row) => kinds.some((kind) => kind === row.kind))
    .map(toRule)
    .filter((rule) => isRuleOf(rule, ...kinds));
}
