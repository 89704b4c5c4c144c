import { ERROR_TYPES, type ErrorType } from "../audits/validate.ts";
import type { Db } from "../db/database.ts";
import { PostgresDb } from "../db/postgres.ts";
import {
  CONFUSION_CUBOID,
  CUBOIDS,
  type Cuboid,
  encodeOptional,
  keyColumn,
  OPTIONAL_DIMENSIONS,
  type RollupDimension,
  SEVERITIES,
} from "./cells.ts";
import type { TimeCover } from "./cover.ts";
import { rolledUpTo, WATERMARK_SQL } from "./watermark.ts";

/**
 * The filter every report and the audit listing take: instants [fromMs, toMs), dimension values, and `errorType`
 * (reports: only errors of that type count as errors; the listing: only they are listed). Declared here rather
 * than beside the row queries (src/db/audits.ts re-exports it) because that module reads the rollups through this
 * one.
 */
export interface AuditFilter {
  fromMs?: number;
  /** Exclusive upper bound. */
  toMs?: number;
  queue?: string;
  moderator?: string;
  auditor?: string;
  policy?: string;
  market?: string;
  sampleId?: string;
  /** When set, only errors of this type count as errors (reports) or are listed (listing). */
  errorType?: ErrorType;
}

/** A sum a report reads: its expression over rollup counts and over one audit row (which counts 1 or 0). */
export interface Measure {
  rollup: string;
  row: string;
}

/** An error type written into SQL: one of the fixed list (validated at the API; checked again since it is inlined). */
function known(type: ErrorType): ErrorType {
  if (!(ERROR_TYPES as readonly string[]).includes(type)) throw new Error(`not an error type: ${type}`);
  return type;
}

const typeColumn = (type: ErrorType, severity: number) => `${known(type).replace("-", "_")}_${severity}`;
const severities = Array.from({ length: SEVERITIES }, (_, k) => k + 1);

export const AUDITED: Measure = { rollup: "n", row: "1" };

/** Errors as the reports count them: outcome incorrect, or only errors of `errorType` when the filter names one. */
export function errorsMeasure(errorType: ErrorType | undefined): Measure {
  if (!errorType) return { rollup: "errors", row: "CASE WHEN outcome = 'incorrect' THEN 1 ELSE 0 END" };
  return {
    rollup: severities.map((k) => typeColumn(errorType, k)).join(" + "),
    row: `CASE WHEN error_type = '${known(errorType)}' THEN 1 ELSE 0 END`,
  };
}

/** Errors (as `errorsMeasure`) of severity `severity`, an error without one counting as 1. */
export function severityMeasure(severity: number, errorType: ErrorType | undefined): Measure {
  const types = errorType ? [errorType] : ERROR_TYPES;
  const condition = errorType ? `error_type = '${known(errorType)}'` : "outcome = 'incorrect'";
  return {
    rollup: types.map((type) => typeColumn(type, severity)).join(" + "),
    row: `CASE WHEN ${condition} AND COALESCE(severity, 1) = ${severity} THEN 1 ELSE 0 END`,
  };
}

/** Errors of one type, any severity. */
export function typeMeasure(type: ErrorType): Measure {
  return {
    rollup: severities.map((k) => typeColumn(type, k)).join(" + "),
    row: `CASE WHEN error_type = '${known(type)}' THEN 1 ELSE 0 END`,
  };
}

export const WRONG_POLICY_UNNAMED: Measure = {
  rollup: "wrong_policy_unnamed",
  row: "CASE WHEN error_type = 'wrong-policy' AND correct_policy IS NULL THEN 1 ELSE 0 END",
};

/** The report filter's dimensions (its time bounds and `errorType` aside). */
const FILTER_DIMENSIONS = ["queue", "market", "policy"] as const;

/**
 * The smallest kept cuboid holding every dimension a report filters or groups on, or undefined when the rows serve
 * better or only they can (a filter on a sample, a moderator or an auditor; grouping by moderator or auditor
 * together with policy): then the report reads rows.
 */
export function cuboidFor(
  filter: AuditFilter,
  groupBy: readonly RollupDimension[],
  confusion = false,
): Cuboid | undefined {
  // One moderator's or auditor's audits are few and indexed by person: their rows beat scanning every person's cells.
  if (filter.sampleId !== undefined || filter.moderator !== undefined || filter.auditor !== undefined)
    return undefined;
  const dims = new Set<RollupDimension>(groupBy);
  for (const dim of FILTER_DIMENSIONS) if (filter[dim] !== undefined) dims.add(dim);
  return CUBOIDS.find(
    (cuboid) =>
      (cuboid.code === CONFUSION_CUBOID) === confusion && [...dims].every((dim) => cuboid.dims.includes(dim)),
  );
}

/** Row-side expressions of the key columns (the stored encoding, so both sides group and order alike). */
const ROW_KEY: Record<RollupDimension, string> = {
  queue: "queue",
  market: "CASE WHEN market IS NULL THEN '' ELSE '~' || market END",
  policy: "CASE WHEN policy IS NULL THEN '' ELSE '~' || policy END",
  moderator: "moderator",
  auditor: "auditor",
  correctPolicy: "correct_policy",
};
const ROW_COLUMN: Record<RollupDimension, string> = {
  queue: "queue",
  market: "market",
  policy: "policy",
  moderator: "moderator",
  auditor: "auditor",
  correctPolicy: "correct_policy",
};

/** Rows of the bucketed read are grouped per quarter hour (every period boundary in use falls on one). */
const QUARTER_HOUR_MS = 900_000;
const ROW_BUCKET = `audited_ms - ((audited_ms % ${QUARTER_HOUR_MS}) + ${QUARTER_HOUR_MS}) % ${QUARTER_HOUR_MS}`;

export interface RollupQuery {
  cuboid: Cuboid;
  filter: AuditFilter;
  /** [from, to): the instants the cover covers. */
  span: [number, number];
  cover: TimeCover;
  groupBy: readonly RollupDimension[];
  /** Also group by the start of each bucket (a rollup bucket, or the quarter hour of a row). */
  byBucket?: boolean;
  measures: readonly Measure[];
  /** Only rows and cells whose applied or correct policy is this one (the confusion cuboid). */
  involving?: string;
  limit?: number;
}

/** One result row: the bucket start when asked, the group's stored key values, then each measure's sum. */
export type RollupRow = unknown[];

/** Terms repeat up to the next power of two (empty ranges), so statement texts stay few and cacheable. */
function padded<T>(items: readonly T[], empty: T): T[] {
  if (items.length === 0) return [];
  let size = 1;
  while (size < items.length) size *= 2;
  return [...items, ...Array.from({ length: size - items.length }, () => empty)];
}

/** The terms joined by OR as a balanced tree: SQLite refuses expressions nested over 1,000 deep. */
function anyOf(terms: readonly string[]): string {
  if (terms.length === 1) return terms[0];
  const middle = terms.length >> 1;
  return `(${anyOf(terms.slice(0, middle))} OR ${anyOf(terms.slice(middle))})`;
}

interface Part {
  sql: string;
  params: unknown[];
}

function rollupPart(query: RollupQuery, keys: string[]): Part | undefined {
  if (query.cover.buckets.length === 0) return undefined;
  const ranges = padded(query.cover.buckets, { width: 0, from: 0, to: 0 });
  const params: unknown[] = [];
  const terms = ranges.map((range) => {
    params.push(query.cuboid.code, range.width, range.from, range.to);
    return "(cuboid = ? AND width = ? AND bucket >= ? AND bucket < ?)";
  });
  const conditions = [anyOf(terms)];
  for (const dim of FILTER_DIMENSIONS) {
    const value = query.filter[dim];
    if (value === undefined) continue;
    conditions.push(`${keyColumn(dim)} = ?`);
    params.push(OPTIONAL_DIMENSIONS.has(dim) ? encodeOptional(value) : value);
  }
  if (query.involving !== undefined) {
    conditions.push("(policy = ? OR person = ?)");
    params.push(encodeOptional(query.involving), query.involving);
  }
  const columns = [
    ...(query.byBucket ? ["bucket"] : []),
    ...query.groupBy.map(keyColumn),
    ...query.measures.map((m) => m.rollup),
  ];
  return {
    sql: `SELECT ${columns.map((c, i) => `${c} AS ${keys[i]}`).join(", ")} FROM audit_rollups WHERE ${conditions.join(" AND ")}`,
    params,
  };
}

/** How a statement names the watermark: SQLite a subquery (one snapshot per statement), PostgreSQL a parameter. */
interface Watermark {
  sql: string;
  params: unknown[];
}

/**
 * The conditions and columns shared by both row parts: the filter's dimensions (but `inTerms`, already in the
 * caller's conditions), the cuboid's own audits.
 */
function rowSelect(
  query: RollupQuery,
  keys: string[],
  conditions: string[],
  params: unknown[],
  plus: string,
  inTerms?: RollupDimension,
): Part {
  for (const dim of FILTER_DIMENSIONS) {
    const value = query.filter[dim];
    if (value === undefined || dim === inTerms) continue;
    conditions.push(`${plus}${ROW_COLUMN[dim]} = ?`);
    params.push(value);
  }
  if (query.cuboid.code === CONFUSION_CUBOID) {
    conditions.push("outcome = 'incorrect' AND error_type = 'wrong-policy' AND correct_policy IS NOT NULL");
  }
  if (query.involving !== undefined) {
    conditions.push("(policy = ? OR correct_policy = ?)");
    params.push(query.involving, query.involving);
  }
  const columns = [
    ...(query.byBucket ? [ROW_BUCKET] : []),
    ...query.groupBy.map((dim) => ROW_KEY[dim]),
    ...query.measures.map((m) => m.row),
  ];
  return {
    sql: `SELECT ${columns.map((c, i) => `${c} AS ${keys[i]}`).join(", ")} FROM audits WHERE ${conditions.join(" AND ")}`,
    params,
  };
}

/** The rolled-up audits of the cover's row ranges (what no whole bucket covers), through the time index. */
function remainderPart(db: Db, query: RollupQuery, keys: string[], watermark: Watermark): Part | undefined {
  if (query.cover.rows.length === 0) return undefined;
  const params: unknown[] = [];
  // A queue goes into every term, so each is one range of the (queue, audited_ms) index.
  const { queue } = query.filter;
  const terms = padded(query.cover.rows, [0, 0]).map(([from, to]) => {
    if (queue === undefined) params.push(from, to);
    else params.push(queue, from, to);
    return queue === undefined
      ? "(audited_ms >= ? AND audited_ms < ?)"
      : "(queue = ? AND audited_ms >= ? AND audited_ms < ?)";
  });
  params.push(...watermark.params);
  // `+seq` (SQLite): the time ranges are what to search by, not every seq up to the watermark.
  const seq = db.dialect === "sqlite" ? "+seq" : "seq";
  return rowSelect(query, keys, [anyOf(terms), `${seq} <= ${watermark.sql}`], params, "", "queue");
}

/**
 * The audits of the span not rolled up yet (above the watermark: the last second's, or a big upload's until the
 * compactor catches up), found by seq. On SQLite the other columns are written `+column` so that no index on them
 * is preferred to the seq range (without statistics SQLite would walk 30 days of the time index to find the last
 * second's audits); PostgreSQL plans with the watermark's value.
 */
function abovePart(db: Db, query: RollupQuery, keys: string[], watermark: Watermark): Part {
  const plus = db.dialect === "sqlite" ? "+" : "";
  const conditions = [`seq > ${watermark.sql}`, `${plus}audited_ms >= ? AND ${plus}audited_ms < ?`];
  return rowSelect(query, keys, conditions, [...watermark.params, ...query.span], plus);
}

/**
 * Sums of the measures per group (and bucket) over the cover: the rollup cells of its buckets, the audit rows of its
 * remainders and the audits not rolled up yet, in one statement so that all parts read one snapshot. Groups in key order (bytewise; an absent value first, as the row reports order them); only groups whose
 * first measure is positive; at most `limit`.
 */
export async function readRollups(db: Db, query: RollupQuery): Promise<RollupRow[]> {
  if (db instanceof PostgresDb) {
    // The watermark and the cells must come from one snapshot, or a compaction between them would count a chunk twice.
    return db.readSnapshot(async (tx) =>
      readWithWatermark(tx, query, { sql: "?", params: [await rolledUpTo(tx)] }),
    );
  }
  return readWithWatermark(db, query, { sql: WATERMARK_SQL, params: [] });
}

async function readWithWatermark(db: Db, query: RollupQuery, watermark: Watermark): Promise<RollupRow[]> {
  const groupCount = (query.byBucket ? 1 : 0) + query.groupBy.length;
  const keys = Array.from({ length: groupCount + query.measures.length }, (_, i) => `c${i}`);
  const parts = [
    rollupPart(query, keys),
    remainderPart(db, query, keys, watermark),
    abovePart(db, query, keys, watermark),
  ].filter((part): part is Part => part !== undefined);
  const groupKeys = keys.slice(0, groupCount);
  const sums = keys.slice(groupCount).map((k) => `SUM(${k})`);
  const grouping = groupKeys.length > 0 ? `GROUP BY ${groupKeys.join(", ")}` : "";
  const order = groupKeys.length > 0 ? `ORDER BY ${groupKeys.join(", ")}` : "";
  const limit = query.limit !== undefined ? "LIMIT ?" : "";
  const sql = `SELECT ${[...groupKeys, ...sums].join(", ")} FROM (${parts.map((p) => p.sql).join(" UNION ALL ")}) AS counted
    ${grouping} HAVING ${sums[0]} > 0 ${order} ${limit}`;
  const params = [...parts.flatMap((p) => p.params), ...(query.limit !== undefined ? [query.limit] : [])];
  return db.values(sql, params);
}

/** A stored key value read back: optional dimensions decoded ('' → absent, '~x' → x), the others as they are. */
export function decodeKey(dim: RollupDimension, stored: unknown): string | null {
  return OPTIONAL_DIMENSIONS.has(dim)
    ? stored === ""
      ? null
      : (stored as string).slice(1)
    : (stored as string);
}
