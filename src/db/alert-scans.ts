import { type AuditFilter, GROUP_COLUMNS, type GroupField, whereClause } from "./audits.ts";
import type { Db } from "./open.ts";
import { statement } from "./statements.ts";

/**
 * The alert evaluator's queries over `audits`: what an ingest touched, and the grouped counts and
 * audit-by-audit reads that build and update the shared chart and threshold scans (src/alerts/conditions/).
 */

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
