import { type AuditFilter, GROUP_COLUMNS, type GroupField, whereClause } from "./audits.ts";
import type { Db } from "./database.ts";

/**
 * The alert evaluator's queries over `audits`: what an ingest touched, and the grouped counts and
 * audit-by-audit reads that build and update the shared chart and threshold scans (src/alerts/conditions/).
 *
 * Every read is a statement of its own (never inside a transaction), and a scan that is kept between
 * evaluations says which audits it holds by seq: `throughSeq` bounds a read to the audits with seq ≤ it, so an
 * ingest that commits between reading `maxAuditSeq` and scanning is read by the next extension, not twice.
 */

/** An audit filter, optionally bounded to the audits with seq ≤ `throughSeq`. */
export type ScanFilter = AuditFilter & { throughSeq?: number };

function scanWhere(filter: ScanFilter): { sql: string; params: unknown[] } {
  const where = whereClause(filter);
  if (filter.throughSeq === undefined) return where;
  return {
    sql: `${where.sql ? `${where.sql} AND` : "WHERE"} seq <= ?`,
    params: [...where.params, filter.throughSeq],
  };
}

/** 1 for an audit that counts as an error under the filter, else 0 (`errorType` decides, as in the reports). */
function errorExpression(filter: AuditFilter): { sql: string; params: unknown[] } {
  return filter.errorType
    ? { sql: "CASE WHEN error_type = ? THEN 1 ELSE 0 END", params: [filter.errorType] }
    : { sql: "CASE WHEN outcome = 'incorrect' THEN 1 ELSE 0 END", params: [] };
}

/** Epoch ms of the most recent audit under the filter (errorType ignored), or undefined when there is none. */
export async function latestAuditedMs(db: Db, filter: ScanFilter): Promise<number | undefined> {
  const where = scanWhere(filter);
  const rows = await db.values<[number]>(
    `SELECT audited_ms FROM audits ${where.sql} ORDER BY audited_ms DESC LIMIT 1`,
    where.params,
  );
  return rows[0]?.[0];
}

/**
 * Calls `visit(groupValues, auditedMs, isError)` for every audit under the filter in time order, with the
 * values of the group fields: the input of per-group period series. `errorType` decides what counts as
 * an error, as in the reports.
 */
export async function forEachGroupedInTimeOrder(
  db: Db,
  filter: ScanFilter,
  groupBy: readonly GroupField[],
  visit: (group: (string | null)[], ms: number, isError: number) => void,
): Promise<void> {
  const where = scanWhere(filter);
  const error = errorExpression(filter);
  const columns = groupBy.map((g) => `${GROUP_COLUMNS[g]}, `).join("");
  const sql = `SELECT ${columns}audited_ms, ${error.sql} FROM audits ${where.sql} ORDER BY audited_ms`;
  const width = groupBy.length;
  await db.each<unknown[]>(sql, [...error.params, ...where.params], (row) => {
    visit(row.slice(0, width) as (string | null)[], row[width] as number, row[width + 1] as number);
  });
}

/** Distinct values of one audit field among audits stored after `afterSeq` (what an ingest touched). */
export async function touchedValues(
  db: Db,
  field: "queue" | "moderator" | "policy" | "market",
  afterSeq: number,
): Promise<Set<string | null>> {
  const rows = await db.values<[string | null]>(`SELECT DISTINCT ${field} FROM audits WHERE seq > ?`, [
    afterSeq,
  ]);
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
 * (Integer division truncates toward zero on both backends.)
 */
export async function countByCellAndAge(db: Db, filter: ScanFilter, now: number): Promise<AgeCell[]> {
  const where = scanWhere(filter);
  const error = errorExpression(filter);
  const sql = `SELECT queue, moderator, auditor, policy, market,
      CAST((? - audited_ms + 86399999) / 86400000 AS INTEGER) AS age, COUNT(*), COALESCE(SUM(${error.sql}), 0)
    FROM audits ${where.sql} GROUP BY 1, 2, 3, 4, 5, 6`;
  const rows = await db.values<
    [string, string, string, string | null, string | null, number, number, number]
  >(sql, [now, ...error.params, ...where.params]);
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
export async function countByCellAndBucket(
  db: Db,
  filter: ScanFilter,
  bucketMs: number,
): Promise<{ values: (string | null)[]; bucket: number; count: number; n: number }[]> {
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0)
    throw new RangeError("bucketMs must be a positive integer");
  const where = scanWhere(filter);
  const error = errorExpression(filter);
  const sql = `SELECT queue, moderator, auditor, policy, market,
      audited_ms - ((audited_ms % ${bucketMs}) + ${bucketMs}) % ${bucketMs} AS bucket,
      COALESCE(SUM(${error.sql}), 0), COUNT(*)
    FROM audits ${where.sql} GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 6`;
  const rows = await db.values(sql, [...error.params, ...where.params]);
  return rows.map((r) => ({
    values: r.slice(0, 5) as (string | null)[],
    bucket: r[5] as number,
    count: r[6] as number,
    n: r[7] as number,
  }));
}

/**
 * Calls `visit(groupValues, auditedMs, isError)` for every audit with afterSeq < seq ≤ throughSeq (in arrival
 * order) that matches the filter: what changed since a kept scan was taken. Reads the seq range only: on
 * SQLite the `+` keeps the planner off the column indexes, which would scan every matching audit (PostgreSQL
 * has no unary `+` for text and its planner weighs the seq range itself).
 */
export async function forEachAuditSince(
  db: Db,
  afterSeq: number,
  throughSeq: number,
  filter: AuditFilter,
  visit: (group: (string | null)[], ms: number, isError: number) => void,
): Promise<void> {
  const noIndex = db.dialect === "sqlite" ? "+" : "";
  const parts = ["seq > ?", "seq <= ?"];
  const params: unknown[] = [afterSeq, throughSeq];
  if (filter.fromMs !== undefined) {
    parts.push(`${noIndex}audited_ms >= ?`);
    params.push(filter.fromMs);
  }
  for (const field of ["queue", "moderator", "auditor", "policy", "market", "sampleId"] as const) {
    if (filter[field] !== undefined) {
      parts.push(`${noIndex}${GROUP_COLUMNS[field]} = ?`);
      params.push(filter[field]);
    }
  }
  const error = errorExpression(filter);
  const sql = `SELECT queue, moderator, auditor, policy, market, audited_ms, ${error.sql} FROM audits
    WHERE ${parts.join(" AND ")} ORDER BY seq`;
  await db.each<unknown[]>(sql, [...error.params, ...params], (row) => {
    visit(row.slice(0, 5) as (string | null)[], row[5] as number, row[6] as number);
  });
}
