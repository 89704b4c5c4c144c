import { randomUUID } from "node:crypto";
import type { Condition, GroupByField, Rule, Scope, Severity } from "../alerts/rules.ts";
import { type AuditFilter, GROUP_COLUMNS, type GroupField, whereClause } from "./audits.ts";
import type { Db } from "./open.ts";
import { statement } from "./statements.ts";

/* ---------- rules ---------- */

interface RuleRow {
  id: string;
  name: string;
  kind: string;
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
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

function toRule(row: RuleRow): Rule {
  return {
    id: row.id,
    name: row.name,
    scope: JSON.parse(row.scope) as Scope,
    groupBy: JSON.parse(row.group_by) as GroupByField[],
    condition: JSON.parse(row.condition) as Condition,
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
export function enabledRules(db: Db, kinds: readonly Condition["kind"][]): Rule[] {
  const rows = statement<[], RuleRow>(
    db,
    "SELECT * FROM alert_rules WHERE enabled = 1 ORDER BY created_ms, id",
  ).all();
  return rows.filter((row) => kinds.includes(row.kind as Condition["kind"])).map(toRule);
}

export function countEnabledRules(db: Db): number {
  return (statement(db, "SELECT COUNT(*) AS n FROM alert_rules WHERE enabled = 1").get() as { n: number }).n;
}

/* ---------- alerts ---------- */

export type AlertState = "pending" | "firing" | "resolved";

interface AlertRow {
  id: string;
  rule_id: string;
  rule_name: string;
  severity: Severity;
  fingerprint: string;
  labels: string;
  state: AlertState;
  breaching: number;
  clearing: number;
  value: number | null;
  threshold: number | null;
  signal: string | null;
  evidence: string;
  link: string | null;
  summary: string;
  started_ms: number;
  fired_ms: number | null;
  resolved_ms: number | null;
  resolution: string | null;
  evaluated_ms: number;
  notified_ms: number | null;
  acknowledged_ms: number | null;
  acknowledged_by: string | null;
  ack_note: string | null;
}

/** An alert as stored (times in epoch ms), the engine's working form. */
export interface AlertRecord {
  id: string;
  ruleId: string;
  ruleName: string;
  severity: Severity;
  fingerprint: string;
  labels: Record<string, string | null>;
  state: AlertState;
  breaching: number;
  clearing: number;
  value: number | null;
  threshold: number | null;
  signal: string[] | null;
  evidence: Record<string, unknown>;
  link: string | null;
  summary: string;
  startedMs: number;
  firedMs: number | null;
  resolvedMs: number | null;
  resolution: string | null;
  evaluatedMs: number;
  notifiedMs: number | null;
  acknowledgedMs: number | null;
  acknowledgedBy: string | null;
  ackNote: string | null;
}

function toRecord(row: AlertRow): AlertRecord {
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    severity: row.severity,
    fingerprint: row.fingerprint,
    labels: JSON.parse(row.labels),
    state: row.state,
    breaching: row.breaching,
    clearing: row.clearing,
    value: row.value,
    threshold: row.threshold,
    signal: row.signal === null ? null : JSON.parse(row.signal),
    evidence: JSON.parse(row.evidence),
    link: row.link,
    summary: row.summary,
    startedMs: row.started_ms,
    firedMs: row.fired_ms,
    resolvedMs: row.resolved_ms,
    resolution: row.resolution,
    evaluatedMs: row.evaluated_ms,
    notifiedMs: row.notified_ms,
    acknowledgedMs: row.acknowledged_ms,
    acknowledgedBy: row.acknowledged_by,
    ackNote: row.ack_note,
  };
}

/** The API (and modqc payload) form of an alert. */
export function publicAlert(a: AlertRecord) {
  return {
    id: a.id,
    ruleId: a.ruleId,
    ruleName: a.ruleName,
    severity: a.severity,
    fingerprint: a.fingerprint,
    labels: a.labels,
    state: a.state,
    value: a.value,
    threshold: a.threshold,
    signal: a.signal,
    summary: a.summary,
    evidence: a.evidence,
    link: a.link,
    startsAt: iso(a.startedMs),
    firedAt: isoOrNull(a.firedMs),
    resolvedAt: isoOrNull(a.resolvedMs),
    resolution: a.resolution,
    lastEvaluatedAt: iso(a.evaluatedMs),
    lastNotifiedAt: isoOrNull(a.notifiedMs),
    breachingEvaluations: a.breaching,
    clearEvaluations: a.clearing,
    acknowledged: a.acknowledgedMs !== null,
    acknowledgedAt: isoOrNull(a.acknowledgedMs),
    acknowledgedBy: a.acknowledgedBy,
    ackNote: a.ackNote,
  };
}
export type PublicAlert = ReturnType<typeof publicAlert>;

function alertParams(a: AlertRecord) {
  return {
    id: a.id,
    rule_id: a.ruleId,
    rule_name: a.ruleName,
    severity: a.severity,
    fingerprint: a.fingerprint,
    labels: JSON.stringify(a.labels),
    state: a.state,
    breaching: a.breaching,
    clearing: a.clearing,
    value: a.value,
    threshold: a.threshold,
    signal: a.signal === null ? null : JSON.stringify(a.signal),
    evidence: JSON.stringify(a.evidence),
    link: a.link,
    summary: a.summary,
    started_ms: a.startedMs,
    fired_ms: a.firedMs,
    resolved_ms: a.resolvedMs,
    resolution: a.resolution,
    evaluated_ms: a.evaluatedMs,
    notified_ms: a.notifiedMs,
    acknowledged_ms: a.acknowledgedMs,
    acknowledged_by: a.acknowledgedBy,
    ack_note: a.ackNote,
  };
}

const ALERT_COLUMNS = [
  "id",
  "rule_id",
  "rule_name",
  "severity",
  "fingerprint",
  "labels",
  "state",
  "breaching",
  "clearing",
  "value",
  "threshold",
  "signal",
  "evidence",
  "link",
  "summary",
  "started_ms",
  "fired_ms",
  "resolved_ms",
  "resolution",
  "evaluated_ms",
  "notified_ms",
  "acknowledged_ms",
  "acknowledged_by",
  "ack_note",
];

/** Inserts a new alert or replaces the stored one with the same id (the caller holds the transaction). */
export function saveAlert(db: Db, alert: AlertRecord): void {
  statement(
    db,
    `INSERT INTO alerts (${ALERT_COLUMNS.join(", ")}) VALUES (${ALERT_COLUMNS.map((c) => `@${c}`).join(", ")})
     ON CONFLICT (id) DO UPDATE SET ${ALERT_COLUMNS.filter((c) => c !== "id")
       .map((c) => `${c} = excluded.${c}`)
       .join(", ")}`,
  ).run(alertParams(alert));
}

export function deleteAlert(db: Db, id: string): void {
  statement(db, "DELETE FROM alerts WHERE id = ?").run(id);
}

export function getAlert(db: Db, id: string): AlertRecord | undefined {
  const row = statement<[string], AlertRow>(db, "SELECT * FROM alerts WHERE id = ?").get(id);
  return row && toRecord(row);
}

/** Pending and firing alerts of a rule. */
export function openAlertsOfRule(db: Db, ruleId: string): AlertRecord[] {
  return statement<[string], AlertRow>(
    db,
    "SELECT * FROM alerts WHERE rule_id = ? AND state <> 'resolved' ORDER BY started_ms, id",
  )
    .all(ruleId)
    .map(toRecord);
}

/** Rule ids that have at least one open alert (so an evaluation must visit them even with no data). */
export function rulesWithOpenAlerts(db: Db): Set<string> {
  const rows = statement<[], { rule_id: string }>(
    db,
    "SELECT DISTINCT rule_id FROM alerts WHERE state <> 'resolved'",
  ).all();
  return new Set(rows.map((r) => r.rule_id));
}

/** Firing alerts of enabled rules with a repeat interval whose last notification is at least that old. */
export function alertsDueForRepeat(db: Db, now: number): AlertRecord[] {
  return statement<[number], AlertRow>(
    db,
    `SELECT a.* FROM alerts a JOIN alert_rules r ON r.id = a.rule_id
     WHERE a.state = 'firing' AND r.enabled = 1 AND r.repeat_ms IS NOT NULL AND a.notified_ms + r.repeat_ms <= ?
     ORDER BY a.notified_ms, a.id`,
  )
    .all(now)
    .map(toRecord);
}

export interface AlertQuery {
  state?: AlertState;
  ruleId?: string;
  /** Alerts active at some time in [fromMs, toMs): started before toMs and not resolved before fromMs. */
  fromMs?: number;
  toMs?: number;
  limit: number;
}

/** Alerts newest first. */
export function listAlerts(db: Db, query: AlertQuery): AlertRecord[] {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (query.state) {
    parts.push("state = ?");
    params.push(query.state);
  }
  if (query.ruleId) {
    parts.push("rule_id = ?");
    params.push(query.ruleId);
  }
  if (query.toMs !== undefined) {
    parts.push("started_ms < ?");
    params.push(query.toMs);
  }
  if (query.fromMs !== undefined) {
    parts.push("(resolved_ms IS NULL OR resolved_ms >= ?)");
    params.push(query.fromMs);
  }
  const where = parts.length > 0 ? `WHERE ${parts.join(" AND ")}` : "";
  return statement<unknown[], AlertRow>(
    db,
    `SELECT * FROM alerts ${where} ORDER BY started_ms DESC, id DESC LIMIT ?`,
  )
    .all(...params, query.limit)
    .map(toRecord);
}

/* ---------- audit queries of the evaluator ---------- */

/** Epoch ms of the most recent audit under the filter (errorType ignored), or undefined when there is none. */
export function latestAuditedMs(db: Db, filter: AuditFilter): number | undefined {
  const where = whereClause(filter);
  const row = statement(db, `SELECT audited_ms FROM audits ${where.sql} ORDER BY audited_ms DESC LIMIT 1`)
    .raw(true)
    .get(...where.params) as [number] | undefined;
  return row?.[0];
}

/**
 * Calls `visit(groupValues, auditedMs, isError)` for every audit under the filter in time order, with the
 * values of the group fields: the input of per-group period series. `errorType` decides what counts as
 * an error, as in the reports.
 */
export function forEachGroupedInTimeOrder(
  db: Db,
  filter: AuditFilter,
  groupBy: readonly GroupField[],
  visit: (group: (string | null)[], ms: number, isError: number) => void,
): void {
  const where = whereClause(filter);
  const error = filter.errorType
    ? { sql: "(error_type IS ?)", params: [filter.errorType] as unknown[] }
    : { sql: "(outcome = 'incorrect')", params: [] as unknown[] };
  const columns = groupBy.map((g) => `${GROUP_COLUMNS[g]}, `).join("");
  const sql = `SELECT ${columns}audited_ms, ${error.sql} FROM audits ${where.sql} ORDER BY audited_ms`;
  const width = groupBy.length;
  for (const row of statement(db, sql)
    .raw(true)
    .iterate(...error.params, ...where.params) as Iterable<unknown[]>) {
    visit(row.slice(0, width) as (string | null)[], row[width] as number, row[width + 1] as number);
  }
}

/** Distinct values of one audit field among audits stored after `afterSeq` (what an ingest touched). */
export function touchedValues(db: Db, field: "queue" | "moderator" | "policy" | "market", afterSeq: number) {
  const rows = statement(db, `SELECT DISTINCT ${field} FROM audits WHERE seq > ?`)
    .raw(true)
    .all(afterSeq) as [string | null][];
  return new Set(rows.map((r) => r[0]));
}

/** One cell of a threshold scan: audits with the same values of every group field and the same age in days. */
export interface AgeCell {
  /** queue, moderator, auditor, policy, market */
  values: (string | null)[];
  /** ⌈(now − audited_ms) / 1 day⌉: 1 for the last 24 h, ≤ 0 for audits at or after now. */
  age: number;
  audited: number;
  errors: number;
}

/**
 * Audited and error counts under the filter per (every group field, age in whole days before `now`): one
 * grouped query serves every threshold rule with the same scan filter, whatever its window (whole days),
 * groupBy or other scope fields. An audit with age ≤ d is exactly one with audited_ms ≥ now − d days.
 */
export function countByCellAndAge(db: Db, filter: AuditFilter, now: number): AgeCell[] {
  const where = whereClause(filter);
  const error = filter.errorType
    ? { sql: "(error_type IS ?)", params: [filter.errorType] as unknown[] }
    : { sql: "(outcome = 'incorrect')", params: [] as unknown[] };
  const sql = `SELECT queue, moderator, auditor, policy, market,
      CAST((? - audited_ms + 86399999) / 86400000 AS INTEGER) AS age, COUNT(*), COALESCE(SUM(${error.sql}), 0)
    FROM audits ${where.sql} GROUP BY 1, 2, 3, 4, 5, 6`;
  const rows = statement(db, sql)
    .raw(true)
    .all(now, ...error.params, ...where.params) as [
    string,
    string,
    string,
    string | null,
    string | null,
    number,
    number,
    number,
  ][];
  return rows.map((r) => ({
    values: r.slice(0, 5) as (string | null)[],
    age: r[5],
    audited: r[6],
    errors: r[7],
  }));
}

export const QUARTER_HOUR_MS = 900_000;

export const MINUTE_MS = 60_000;

/**
 * Audited and error counts under the filter per (every group field, `bucketMs` slice of audited_ms), in time
 * order; `bucket` is the slice's first instant (floor, also before 1970). Quarter hours add up to local days
 * in every time zone in use today (the caller checks, and falls back to `forEachGroupedInTimeOrder` when one
 * does not); minutes serve threshold windows.
 */
export function countByCellAndBucket(
  db: Db,
  filter: AuditFilter,
  bucketMs: number,
): { values: (string | null)[]; bucket: number; count: number; n: number }[] {
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0)
    throw new RangeError("bucketMs must be a positive integer");
  const where = whereClause(filter);
  const error = filter.errorType
    ? { sql: "(error_type IS ?)", params: [filter.errorType] as unknown[] }
    : { sql: "(outcome = 'incorrect')", params: [] as unknown[] };
  const sql = `SELECT queue, moderator, auditor, policy, market,
      audited_ms - ((audited_ms % ${bucketMs}) + ${bucketMs}) % ${bucketMs} AS bucket,
      COALESCE(SUM(${error.sql}), 0), COUNT(*)
    FROM audits ${where.sql} GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 6`;
  const rows = statement(db, sql)
    .raw(true)
    .all(...error.params, ...where.params) as unknown[][];
  return rows.map((r) => ({
    values: r.slice(0, 5) as (string | null)[],
    bucket: r[5] as number,
    count: r[6] as number,
    n: r[7] as number,
  }));
}

/**
 * Calls `visit(groupValues, auditedMs, isError)` for every audit stored after `afterSeq` (in arrival order)
 * that matches the filter: what changed since a cached chart scan was taken. Reads the rowid range only (the
 * `+` keeps SQLite off the column indexes, which would scan every matching audit).
 */
export function forEachAuditSince(
  db: Db,
  afterSeq: number,
  filter: AuditFilter,
  visit: (group: (string | null)[], ms: number, isError: number) => void,
): void {
  const parts = ["seq > ?"];
  const params: unknown[] = [afterSeq];
  if (filter.fromMs !== undefined) {
    parts.push("+audited_ms >= ?");
    params.push(filter.fromMs);
  }
  for (const field of ["queue", "moderator", "auditor", "policy", "market", "sampleId"] as const) {
    if (filter[field] !== undefined) {
      parts.push(`+${GROUP_COLUMNS[field]} = ?`);
      params.push(filter[field]);
    }
  }
  const error = filter.errorType
    ? { sql: "(error_type IS ?)", params: [filter.errorType] as unknown[] }
    : { sql: "(outcome = 'incorrect')", params: [] as unknown[] };
  const sql = `SELECT queue, moderator, auditor, policy, market, audited_ms, ${error.sql} FROM audits
    WHERE ${parts.join(" AND ")} ORDER BY seq`;
  for (const row of statement(db, sql)
    .raw(true)
    .iterate(...error.params, ...params) as Iterable<unknown[]>) {
    visit(row.slice(0, 5) as (string | null)[], row[5] as number, row[6] as number);
  }
}
