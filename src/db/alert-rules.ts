import { randomUUID } from "node:crypto";
import {
  type ConditionKind,
  type GroupByField,
  isRuleOf,
  type Rule,
  type RuleCondition,
  type Scope,
  type Severity,
  storedCondition,
} from "../alerts/rules.ts";
import { deleteAuditMark, startAuditMark } from "./alert-audit-marks.ts";
import type { Db } from "./database.ts";

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
  // Written by ruleParams from a normalised condition (older rows lack later defaults: storedCondition).
  const condition = storedCondition(JSON.parse(row.condition) as RuleCondition);
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

/** The stored columns of a rule, in the order of RULE_COLUMNS. */
function ruleValues(fields: RuleFields): unknown[] {
  return [
    fields.name,
    fields.condition.kind,
    JSON.stringify(fields.scope),
    JSON.stringify(fields.groupBy),
    JSON.stringify(fields.condition),
    fields.severity,
    fields.pendingEvaluations,
    fields.keepFiringEvaluations,
    fields.repeatInterval,
    fields.repeatMs,
    fields.enabled ? 1 : 0,
  ];
}

const RULE_COLUMNS = [
  "name",
  "kind",
  "scope",
  "group_by",
  "condition",
  "severity",
  "pending_evaluations",
  "keep_firing_evaluations",
  "repeat_interval",
  "repeat_ms",
  "enabled",
];

/** Stores a new rule (an audit rule with its mark at the newest audit: it never fires about history). */
export function insertRule(db: Db, fields: RuleFields, createdBy: string | null, now: number): Promise<Rule> {
  const id = randomUUID();
  return db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO alert_rules (id, ${RULE_COLUMNS.join(", ")}, created_by, created_ms, updated_ms)
       VALUES (?, ${RULE_COLUMNS.map(() => "?").join(", ")}, ?, ?, ?)`,
      [id, ...ruleValues(fields), createdBy, now, now],
    );
    if (fields.condition.kind === "audit") await startAuditMark(tx, id);
    return (await getRule(tx, id))!;
  });
}

/**
 * Stores a rule's new fields. An audit rule that is enabled now and was not an enabled audit rule with the
 * same condition before (created disabled, re-enabled, changed) starts its mark afresh at the newest audit:
 * like a new rule, it never fires about what was stored before.
 */
export function updateRule(db: Db, id: string, fields: RuleFields, now: number): Promise<Rule> {
  return db.transaction(async (tx) => {
    const before = await getRule(tx, id);
    await tx.run(
      `UPDATE alert_rules SET ${RULE_COLUMNS.map((c) => `${c} = ?`).join(", ")}, updated_ms = ? WHERE id = ?`,
      [...ruleValues(fields), now, id],
    );
    if (fields.condition.kind !== "audit") await deleteAuditMark(tx, id);
    else if (
      fields.enabled &&
      !(before?.enabled && JSON.stringify(before.condition) === JSON.stringify(fields.condition))
    )
      await startAuditMark(tx, id);
    return (await getRule(tx, id))!;
  });
}

export async function deleteRule(db: Db, id: string): Promise<void> {
  await db.run("DELETE FROM alert_rules WHERE id = ?", [id]);
  await deleteAuditMark(db, id);
}

export async function getRule(db: Db, id: string): Promise<Rule | undefined> {
  const row = await db.get<RuleRow>("SELECT * FROM alert_rules WHERE id = ?", [id]);
  return row && toRule(row);
}

export async function listRules(db: Db): Promise<Rule[]> {
  return (await db.all<RuleRow>("SELECT * FROM alert_rules ORDER BY created_ms, id")).map(toRule);
}

/** Enabled rules of the given kinds, oldest first. */
export async function enabledRules<K extends ConditionKind>(db: Db, kinds: readonly K[]): Promise<Rule<K>[]> {
  const rows = await db.all<RuleRow>("SELECT * FROM alert_rules WHERE enabled = 1 ORDER BY created_ms, id");
  return rows
    .filter((row) => kinds.some((kind) => kind === row.kind))
    .map(toRule)
    .filter((rule) => isRuleOf(rule, ...kinds));
}
