/**
 * The shape of the rollups (issue 20): which counts a cell holds, which dimension sets ("cuboids") are kept, at
 * which time widths, and how a cell's key is written. Shared by the compaction (src/rollups/accumulator.ts on
 * SQLite and for revisions, src/rollups/grouped-sql.ts on PostgreSQL), the rebuild and the reads.
 */
import { ERROR_TYPES } from "../audits/validate.ts";

export const HOUR_MS = 3_600_000;
export const QUARTER_DAY_MS = 21_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 604_800_000;
/** 1970-01-05, the first Monday after the epoch: weeks start on Monday 00:00 UTC (ISO 8601). */
export const WEEK_ORIGIN_MS = 4 * DAY_MS;

/** A bucket width: the rollups hold UTC hours, quarter days (00, 06, 12, 18 h UTC), UTC days and ISO weeks (Monday 00:00 UTC). */
export interface Level {
  width: number;
  origin: number;
}
export const HOUR: Level = { width: HOUR_MS, origin: 0 };
export const QUARTER_DAY: Level = { width: QUARTER_DAY_MS, origin: 0 };
export const DAY: Level = { width: DAY_MS, origin: 0 };
export const WEEK: Level = { width: WEEK_MS, origin: WEEK_ORIGIN_MS };

/** The first instant of the level's bucket holding `ms` (floor, also before 1970). */
export function bucketOf(ms: number, level: Level): number {
  const offset = (((ms - level.origin) % level.width) + level.width) % level.width;
  return ms - offset;
}

/** The first bucket boundary of the level at or after `ms`. */
export function ceilToBucket(ms: number, level: Level): number {
  const start = bucketOf(ms, level);
  return start === ms ? ms : start + level.width;
}

/** The dimensions a cuboid may keep, in the order of the table's key columns. */
export type RollupDimension = "queue" | "market" | "policy" | "moderator" | "auditor" | "correctPolicy";

/**
 * The policy-confusion cuboid counts only wrong-policy errors that name a correct policy (the cells of the applied ×
 * correct matrix); every other cuboid counts every audit.
 */
export const CONFUSION_CUBOID = 8;

/** Whether an audit enters the confusion cuboid. */
export function inConfusion(facts: RollupFacts): boolean {
  return facts.outcome === "incorrect" && facts.errorType === "wrong-policy" && facts.correctPolicy !== null;
}

export interface Cuboid {
  /** Stored in `audit_rollups.cuboid`: never renumber. */
  code: number;
  dims: readonly RollupDimension[];
  /**
   * Finest first, each width a multiple of the one before. Hours only where a cell holds many audits: the cuboids
   * with policy or a person have about one audit per hour and cell, so their finest width is a quarter day (a
   * Seoul or Kolkata day boundary then leaves at most six hours of rows to read, not a whole day's).
   */
  levels: readonly Level[];
}

/**
 * The kept dimension sets. Reports filter and group on queue, market and policy (low cardinality: every subset a
 * report asks for has a cuboid or a small superset); moderators and auditors (thousands) are kept with queue and
 * market only, by quarter day, day and week, for the wide views (funnels, scorecard lists, quality by moderator); a report on
 * one moderator or auditor reads its rows through their indexes.
 */
export const CUBOIDS: readonly Cuboid[] = [
  { code: 0, dims: [], levels: [HOUR, DAY, WEEK] },
  { code: 1, dims: ["queue"], levels: [HOUR, DAY, WEEK] },
  { code: 2, dims: ["market"], levels: [HOUR, DAY, WEEK] },
  { code: 3, dims: ["policy"], levels: [HOUR, DAY, WEEK] },
  { code: 4, dims: ["queue", "market"], levels: [HOUR, DAY, WEEK] },
  { code: 5, dims: ["queue", "market", "policy"], levels: [QUARTER_DAY, DAY, WEEK] },
  { code: 6, dims: ["queue", "market", "moderator"], levels: [QUARTER_DAY, DAY, WEEK] },
  { code: 7, dims: ["queue", "market", "auditor"], levels: [QUARTER_DAY, DAY, WEEK] },
  { code: CONFUSION_CUBOID, dims: ["queue", "market", "policy", "correctPolicy"], levels: [HOUR, DAY, WEEK] },
];

/** Severities 1–4; an error recorded without a severity counts as 1, as the weighted error index counts it. */
export const SEVERITIES = 4;

/**
 * The counts of a cell, in this order: audits, errors (outcome incorrect), wrong-policy errors without a correct
 * policy, then errors per error type and severity (type-major). Everything a report derives (rates, errors of one
 * type, errors by severity, the policy table) is a sum of these.
 */
export const COUNT_COLUMNS: readonly string[] = [
  "n",
  "errors",
  "wrong_policy_unnamed",
  ...ERROR_TYPES.flatMap((type) =>
    Array.from({ length: SEVERITIES }, (_, k) => `${type.replace("-", "_")}_${k + 1}`),
  ),
];
export const COUNTS = COUNT_COLUMNS.length;
export const N = 0;
export const ERRORS = 1;
export const WRONG_POLICY_UNNAMED = 2;
const FIRST_TYPED = 3;

/** The slot of errors of `type` (an index into ERROR_TYPES) with severity `severity` (1–4). */
export function typedSlot(typeIndex: number, severity: number): number {
  return FIRST_TYPED + typeIndex * SEVERITIES + (severity - 1);
}

/**
 * How a nullable dimension's value is stored in a key column: absent → '' and present → '~' + value, so that
 * an empty string and an absent value stay apart (JSON uploads may send `"market": ""`), the column can be part of
 * a primary key on both backends, and bytewise order is kept (absent first, then values in their own order).
 * Queue, moderator and auditor are never absent nor blank: stored as they are. Unused dimensions are ''.
 */
export function encodeOptional(value: string | null): string {
  return value === null ? "" : `~${value}`;
}

/** Whether a dimension is stored through `encodeOptional`. */
export const OPTIONAL_DIMENSIONS: ReadonlySet<RollupDimension> = new Set(["market", "policy"]);

/** The key column of a dimension in `audit_rollups` (moderator, auditor and the correct policy share `person`). */
export function keyColumn(dim: RollupDimension): string {
  return dim === "moderator" || dim === "auditor" || dim === "correctPolicy" ? "person" : dim;
}

/** What a rollup counts of one audit (its latest revision). */
export interface RollupFacts {
  queue: string;
  market: string | null;
  policy: string | null;
  moderator: string;
  auditor: string;
  outcome: "correct" | "incorrect";
  errorType: string | null;
  severity: number | null;
  correctPolicy: string | null;
}

/** Adds `sign` (1 or −1) times the audit's counts to `counts`. */
export function addAuditCounts(counts: Float64Array, facts: RollupFacts, sign: number): void {
  counts[N] += sign;
  if (facts.outcome !== "incorrect") return;
  counts[ERRORS] += sign;
  const typeIndex = (ERROR_TYPES as readonly string[]).indexOf(facts.errorType ?? "");
  if (typeIndex < 0) return;
  counts[typedSlot(typeIndex, facts.severity ?? 1)] += sign;
  if (facts.errorType === "wrong-policy" && facts.correctPolicy === null)
    counts[WRONG_POLICY_UNNAMED] += sign;
}
