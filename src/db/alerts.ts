import type { Severity } from "../alerts/rules.ts";
import type { Db } from "./database.ts";

/**
 * The `alerts` table (migration 4): one open alert per fingerprint (a partial unique index), and the
 * resolved ones as history.
 */

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

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

/** The stored columns of an alert, in the order of ALERT_COLUMNS. */
function alertValues(a: AlertRecord): unknown[] {
  return [
    a.id,
    a.ruleId,
    a.ruleName,
    a.severity,
    a.fingerprint,
    JSON.stringify(a.labels),
    a.state,
    a.breaching,
    a.clearing,
    a.value,
    a.threshold,
    a.signal === null ? null : JSON.stringify(a.signal),
    JSON.stringify(a.evidence),
    a.link,
    a.summary,
    a.startedMs,
    a.firedMs,
    a.resolvedMs,
    a.resolution,
    a.evaluatedMs,
    a.notifiedMs,
    a.acknowledgedMs,
    a.acknowledgedBy,
    a.ackNote,
  ];
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

const SAVE_ALERT = `INSERT INTO alerts (${ALERT_COLUMNS.join(", ")}) VALUES (${ALERT_COLUMNS.map(() => "?").join(", ")})
  ON CONFLICT (id) DO UPDATE SET ${ALERT_COLUMNS.filter((c) => c !== "id")
    .map((c) => `${c} = excluded.${c}`)
    .join(", ")}`;

/**
 * Inserts a new alert or replaces the stored one with the same id (the caller holds the transaction). A
 * second open alert for a fingerprint violates the partial unique index `alerts_one_open`.
 */
export async function saveAlert(db: Db, alert: AlertRecord): Promise<void> {
  await db.run(SAVE_ALERT, alertValues(alert));
}

export async function deleteAlert(db: Db, id: string): Promise<void> {
  await db.run("DELETE FROM alerts WHERE id = ?", [id]);
}

export async function getAlert(db: Db, id: string): Promise<AlertRecord | undefined> {
  const row = await db.get<AlertRow>("SELECT * FROM alerts WHERE id = ?", [id]);
  return row && toRecord(row);
}

/** Pending and firing alerts of a rule. */
export async function openAlertsOfRule(db: Db, ruleId: string): Promise<AlertRecord[]> {
  const rows = await db.all<AlertRow>(
    "SELECT * FROM alerts WHERE rule_id = ? AND state <> 'resolved' ORDER BY started_ms, id",
    [ruleId],
  );
  return rows.map(toRecord);
}

/** The pending or firing alert with this fingerprint, if any (at most one: `alerts_one_open`). */
export async function openAlertOf(db: Db, fingerprint: string): Promise<AlertRecord | undefined> {
  const row = await db.get<AlertRow>("SELECT * FROM alerts WHERE fingerprint = ? AND state <> 'resolved'", [
    fingerprint,
  ]);
  return row && toRecord(row);
}

/** Rule ids that have at least one open alert (so an evaluation must visit them even with no data). */
export async function rulesWithOpenAlerts(db: Db): Promise<Set<string>> {
  const rows = await db.values<[string]>("SELECT DISTINCT rule_id FROM alerts WHERE state <> 'resolved'");
  return new Set(rows.map((r) => r[0]));
}

/** Firing alerts of enabled rules with a repeat interval whose last notification is at least that old. */
export async function alertsDueForRepeat(db: Db, now: number): Promise<AlertRecord[]> {
  const rows = await db.all<AlertRow>(
    `SELECT a.* FROM alerts a JOIN alert_rules r ON r.id = a.rule_id
     WHERE a.state = 'firing' AND r.enabled = 1 AND r.repeat_ms IS NOT NULL AND a.notified_ms + r.repeat_ms <= ?
     ORDER BY a.notified_ms, a.id`,
    [now],
  );
  return rows.map(toRecord);
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
export async function listAlerts(db: Db, query: AlertQuery): Promise<AlertRecord[]> {
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
  const rows = await db.all<AlertRow>(
    `SELECT * FROM alerts ${where} ORDER BY started_ms DESC, id DESC LIMIT ?`,
    [...params, query.limit],
  );
  return rows.map(toRecord);
}
