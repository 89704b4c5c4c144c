import type { AgreementResult } from "../../stats/agreement/index.ts";
import { StatsInputError } from "../../stats/errors.ts";
import { proportionInterval } from "../../stats/proportion-interval.ts";
import { type ChartPointResult, chart } from "../../stats/spc/index.ts";
import {
  type AgeCell,
  countByCellAndAge,
  countByCellAndBucket,
  forEachAuditSince,
  forEachGroupedInTimeOrder,
  latestAuditedMs,
  MINUTE_MS,
} from "../db/alerts.ts";
import { type AuditFilter, countByGroups, type GroupCounts } from "../db/audits.ts";
import type { Db } from "../db/open.ts";
import { type Interval, type Period, periodOf, startOfLocalDate } from "../time.ts";
import type { AgreementConditionT, ChartConditionT, Rule, ThresholdConditionT } from "./rules.ts";

/**
 * Condition evaluation: turns a rule and the stored audits (or a closed calibration's agreement) into one
 * outcome per group. Groups without an outcome (no data, too few audits, no audits in the latest period)
 * count as clear evaluations for their open alerts.
 */

const DAY_MS = 86_400_000;
const QUARTER_HOUR_MS = 900_000;

/** A map key for a tuple of group values (null kept apart from every string). */
const cellKey = (values: readonly (string | null)[]) =>
  values.map((v) => (v === null ? "\u0001" : v)).join("\u0000");

export interface GroupOutcome {
  /** The group's labels (the rule's groupBy fields with this group's values), in groupBy order. */
  labels: Record<string, string>;
  breach: boolean;
  value: number | null;
  threshold: number | null;
  signal: string[] | null;
  evidence: Record<string, unknown>;
  /** The matching `/v1/charts`, `/v1/quality` or calibration report query (relative to the service). */
  link: string | null;
  summary: string;
}

/** Per-evaluation cache: rules with the same query share its result. */
export type QueryCache = Map<string, unknown>;

function cached<T>(cache: QueryCache, key: string, compute: () => T): T {
  if (cache.has(key)) return cache.get(key) as T;
  const value = compute();
  cache.set(key, value);
  return value;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function scopeFilter(rule: Rule): AuditFilter {
  const { queue, moderator, policy, market, errorType } = rule.scope;
  return { queue, moderator, policy, market, errorType };
}

/** Query parameters of the rule's scope plus the group's labels (all of them equality filters). */
function filterParams(rule: Rule, labels: Record<string, string>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [field, value] of Object.entries(rule.scope)) if (value !== undefined) params.set(field, value);
  for (const [field, value] of Object.entries(labels)) params.set(field, value);
  return params;
}

function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return parts.length > 0 ? ` [${parts.join(", ")}]` : "";
}

/** Group values → labels; a group with a missing (null) value is not evaluated (no filter can select it). */
function toLabels(rule: Rule, values: readonly (string | null)[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (let i = 0; i < rule.groupBy.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) return undefined;
    labels[rule.groupBy[i]] = value;
  }
  return labels;
}

/* ---------- threshold ---------- */

const CELL_FIELDS = ["queue", "moderator", "auditor", "policy", "market"] as const;
const CELL_INDEX = new Map<string, number>(CELL_FIELDS.map((f, i) => [f, i]));
/** The scope field a shared threshold scan filters on (the others are matched per cell), most selective first. */
const SCAN_FIELDS = ["queue", "moderator", "market", "policy"] as const;

function scanFieldOf(rule: Rule): (typeof SCAN_FIELDS)[number] | undefined {
  return SCAN_FIELDS.find((f) => rule.scope[f] !== undefined);
}

/**
 * Threshold rules with a window of whole days and the same scan filter (their first scope field of queue,
 * moderator, market, policy, and errorType) share one grouped query; others are evaluated on their own.
 */
export function thresholdScanKey(rule: Rule): string | undefined {
  const condition = rule.condition as ThresholdConditionT;
  if (!Number.isInteger(condition.window.days)) return undefined;
  const field = scanFieldOf(rule);
  return `thr|${field ?? ""}|${field ? rule.scope[field] : ""}|${rule.scope.errorType ?? ""}`;
}

export interface ThresholdScan {
  field: (typeof SCAN_FIELDS)[number] | undefined;
  /** The longest window (days) the scan covers. */
  maxDays: number;
  cells: AgeCell[];
  /** Cells summed per projection (the fields a rule matches or groups on), built on first use. */
  projections: Map<string, Map<string, { values: (string | null)[]; ages: Map<number, [number, number]> }>>;
}

/** One query for threshold rules sharing a scan key, over the longest of their windows. */
export function scanForThresholds(db: Db, rules: readonly Rule[], now: number): ThresholdScan {
  const field = scanFieldOf(rules[0]);
  const maxDays = Math.max(...rules.map((r) => (r.condition as ThresholdConditionT).window.days));
  const filter: AuditFilter = { errorType: rules[0].scope.errorType, fromMs: now - maxDays * DAY_MS };
  if (field) filter[field] = rules[0].scope[field];
  return { field, maxDays, cells: countByCellAndAge(db, filter, now), projections: new Map() };
}

const floorTo = (ms: number, unit: number) => ms - (((ms % unit) + unit) % unit);
/** ⌈(now − ms)/day⌉ as SQL computes it in countByCellAndAge (truncated toward zero). */
const ageOf = (now: number, ms: number) => Math.trunc((now - ms + DAY_MS - 1) / DAY_MS);

interface MinuteCell {
  values: (string | null)[];
  minute: number;
  audited: number;
  errors: number;
}

interface CachedThresholdScan {
  cells: Map<string, MinuteCell>;
  /** The cells include every audit with seq ≤ this. */
  seq: number;
  /** Cells cover audits at or after this minute. */
  coverFrom: number;
  builtAt: number;
  usedAt: number;
}

function addMinute(
  cells: Map<string, MinuteCell>,
  values: (string | null)[],
  minute: number,
  n: number,
  errors: number,
) {
  const key = `${cellKey(values)}\u0002${minute}`;
  const cell = cells.get(key);
  if (cell) {
    cell.audited += n;
    cell.errors += errors;
  } else cells.set(key, { values, minute, audited: n, errors });
}

/**
 * Threshold scans kept between evaluations as counts per (group fields, minute), brought up to date with the
 * audits stored since (audits are only ever added). Each evaluation turns them into counts by age in days
 * relative to its own `now`: a minute holds one age unless a window boundary (now − k days) falls inside it,
 * and those few minutes are counted exactly by SQL. Rebuilt at least every 10 minutes; not kept beyond
 * MAX_CELLS cells; dropped after 10 minutes unused.
 */
export class ThresholdScanCache {
  static readonly REBUILD_MS = 600_000;
  static readonly MAX_CELLS = 500_000;
  private readonly entries = new Map<string, CachedThresholdScan>();

  /** The shared scan of threshold rules with the same thresholdScanKey, at `now`, current up to `maxSeq`. */
  scan(db: Db, rules: readonly Rule[], now: number, maxSeq: number, clock = Date.now()): ThresholdScan {
    const key = thresholdScanKey(rules[0])!;
    const field = scanFieldOf(rules[0]);
    const maxDays = Math.max(...rules.map((r) => (r.condition as ThresholdConditionT).window.days));
    const filter: AuditFilter = { errorType: rules[0].scope.errorType };
    if (field) filter[field] = rules[0].scope[field];
    const coverFrom = floorTo(now - maxDays * DAY_MS, MINUTE_MS);
    let entry = this.entries.get(key);
    if (
      entry &&
      entry.coverFrom <= coverFrom &&
      clock - entry.builtAt < ThresholdScanCache.REBUILD_MS &&
      entry.seq <= maxSeq
    ) {
      const cells = entry.cells;
      if (entry.seq < maxSeq) {
        forEachAuditSince(db, entry.seq, { ...filter, fromMs: entry.coverFrom }, (values, ms, isError) =>
          addMinute(cells, values, floorTo(ms, MINUTE_MS), 1, isError),
        );
        entry.seq = maxSeq;
      }
      if (entry.coverFrom < coverFrom) {
        for (const [k, cell] of cells) if (cell.minute < coverFrom) cells.delete(k);
        entry.coverFrom = coverFrom;
      }
    } else {
      const cells = new Map<string, MinuteCell>();
      for (const b of countByCellAndBucket(db, { ...filter, fromMs: coverFrom }, MINUTE_MS))
        addMinute(cells, b.values, b.bucket, b.n, b.count);
      entry = { cells, seq: maxSeq, coverFrom, builtAt: clock, usedAt: clock };
    }
    entry.usedAt = clock;
    if (entry.cells.size <= ThresholdScanCache.MAX_CELLS) this.entries.set(key, entry);
    else this.entries.delete(key);

    const boundaries = new Set<number>();
    for (let k = 0; k <= maxDays; k++) boundaries.add(floorTo(now - k * DAY_MS, MINUTE_MS));
    const exact = new Set<number>();
    const cells: AgeCell[] = [];
    for (const cell of entry.cells.values()) {
      if (boundaries.has(cell.minute)) exact.add(cell.minute);
      else
        cells.push({
          values: cell.values,
          age: ageOf(now, cell.minute),
          audited: cell.audited,
          errors: cell.errors,
        });
    }
    for (const minute of exact)
      cells.push(...countByCellAndAge(db, { ...filter, fromMs: minute, toMs: minute + MINUTE_MS }, now));
    return { field, maxDays, cells, projections: new Map() };
  }

  /** Drops scans no rule has used for 10 minutes. */
  sweep(clock = Date.now()): void {
    for (const [key, entry] of this.entries)
      if (clock - entry.usedAt > ThresholdScanCache.REBUILD_MS) this.entries.delete(key);
  }
}

/** What countByGroups(scope + window, groupBy) would answer, from the shared scan. */
function thresholdCounts(scan: ThresholdScan, rule: Rule): GroupCounts[] {
  const days = (rule.condition as ThresholdConditionT).window.days;
  const matched = SCOPE_FIELDS_MATCHED.filter((f) => f !== scan.field && rule.scope[f] !== undefined);
  const fields = [...new Set<string>([...matched, ...rule.groupBy])];
  const projectionKey = fields.join(",");
  let projection = scan.projections.get(projectionKey);
  if (!projection) {
    projection = new Map();
    const indices = fields.map((f) => CELL_INDEX.get(f)!);
    for (const cell of scan.cells) {
      const values = indices.map((i) => cell.values[i]);
      const key = cellKey(values);
      let group = projection.get(key);
      if (!group) projection.set(key, (group = { values, ages: new Map() }));
      const sums = group.ages.get(cell.age);
      if (sums) {
        sums[0] += cell.audited;
        sums[1] += cell.errors;
      } else group.ages.set(cell.age, [cell.audited, cell.errors]);
    }
    scan.projections.set(projectionKey, projection);
  }
  const at = (field: string) => fields.indexOf(field);
  const result = new Map<string, GroupCounts>();
  for (const group of projection.values()) {
    if (!matched.every((f) => group.values[at(f)] === rule.scope[f])) continue;
    let audited = 0;
    let errors = 0;
    for (const [age, [a, e]] of group.ages) {
      if (age <= days) {
        audited += a;
        errors += e;
      }
    }
    if (audited === 0) continue;
    const groupValues = rule.groupBy.map((g) => group.values[at(g)]);
    const key = cellKey(groupValues);
    const entry = result.get(key);
    if (entry) {
      entry.audited += audited;
      entry.errors += errors;
    } else
      result.set(key, {
        key: Object.fromEntries(rule.groupBy.map((g, i) => [g, groupValues[i]])),
        audited,
        errors,
      });
  }
  if (rule.groupBy.length === 0 && result.size === 0) return [{ key: {}, audited: 0, errors: 0 }];
  return [...result.values()];
}

const SCOPE_FIELDS_MATCHED = ["queue", "moderator", "policy", "market"] as const;

/**
 * Threshold condition: audits of the last `window.days` × 24 h (audited at or after now − days; later
 * timestamps included), per group. Groups with fewer than `minAudited` audits are not evaluated.
 * `point` breaches when errors/audited > maxRate; `lower-bound` when the lower end of the two-sided Wilson
 * interval at `confidence` is above maxRate.
 */
export function evaluateThreshold(db: Db, rule: Rule, now: number, cache: QueryCache): GroupOutcome[] {
  const condition = rule.condition as ThresholdConditionT;
  const fromMs = now - condition.window.days * DAY_MS;
  const key = thresholdScanKey(rule);
  let groups: GroupCounts[];
  if (key !== undefined) {
    let scan = cache.get(key) as ThresholdScan | undefined;
    if (!scan || scan.maxDays < condition.window.days)
      cache.set(key, (scan = scanForThresholds(db, [rule], now)));
    groups = thresholdCounts(scan, rule);
  } else {
    const filter = { ...scopeFilter(rule), fromMs };
    groups = cached(cache, `threshold|${JSON.stringify(filter)}|${rule.groupBy.join(",")}`, () =>
      countByGroups(db, filter, rule.groupBy),
    );
  }
  const outcomes: GroupOutcome[] = [];
  for (const group of groups) {
    const labels = toLabels(
      rule,
      rule.groupBy.map((g) => group.key[g]),
    );
    if (!labels || group.audited < condition.minAudited) continue;
    const interval = proportionInterval(group.errors, group.audited, {
      confidence: condition.confidence,
      method: "wilson",
    });
    const rate = group.errors / group.audited;
    const breach =
      condition.evidence === "point" ? rate > condition.maxRate : interval.lower > condition.maxRate;
    const params = filterParams(rule, labels);
    params.set("from", new Date(fromMs).toISOString());
    params.set("method", "wilson");
    params.set("confidence", String(condition.confidence));
    const bound =
      condition.evidence === "lower-bound"
        ? `; ${condition.confidence * 100}% Wilson lower bound ${pct(interval.lower)}`
        : "";
    outcomes.push({
      labels,
      breach,
      value: rate,
      threshold: condition.maxRate,
      signal: null,
      evidence: {
        kind: "threshold",
        window: { days: condition.window.days, from: new Date(fromMs).toISOString() },
        audited: group.audited,
        errors: group.errors,
        rate,
        interval: {
          method: "wilson",
          confidence: condition.confidence,
          lower: interval.lower,
          upper: interval.upper,
        },
        maxRate: condition.maxRate,
        evidence: condition.evidence,
        minAudited: condition.minAudited,
      },
      link: `/v1/quality?${params}`,
      summary: `${rule.name}${labelText(labels)}: error rate ${pct(rate)} (${group.errors}/${group.audited}) over ${condition.window.days} day(s)${bound} ${breach ? "is above" : "is within"} ${pct(condition.maxRate)}`,
    });
  }
  return outcomes;
}

/* ---------- chart ---------- */

/** The start of the period `back` periods before `period` (day or ISO week) in the zone. */
function periodsBefore(period: Period, back: number, interval: Interval, timeZone: string): number {
  const [y, m, d] = period.label.split("-").map(Number);
  const first = new Date(Date.UTC(y, m - 1, d - back * (interval === "week" ? 7 : 1)));
  return startOfLocalDate(first.getUTCFullYear(), first.getUTCMonth() + 1, first.getUTCDate(), timeZone);
}

interface SeriesPoint {
  label: string;
  count: number;
  n: number;
}

/** Audits of one local day with the same values of every group field. */
interface DayCell {
  values: (string | null)[];
  count: number;
  n: number;
}

interface Day {
  start: number;
  label: string;
  /** The ISO week (Monday label) the day belongs to. */
  week: string;
  cells: Map<string, DayCell>;
}

/**
 * Audits of a scope bucketed by local day and by the values of every group field: one scan (in time order)
 * serves every chart rule with that scope and zone, whatever its groupBy, interval or baseline.
 */
export interface ChartScan {
  latestMs: number;
  /** Start of the earliest window the scan covers. */
  fromMs: number;
  /** Days with audits, in time order. */
  days: Day[];
}

const ALL_GROUP_FIELDS = ["queue", "moderator", "auditor", "policy", "market"] as const;
const FIELD_INDEX = new Map<string, number>(ALL_GROUP_FIELDS.map((f, i) => [f, i]));

/** The latest period of a rule and the start of its window (`periods` calendar periods before it). */
function chartWindow(latestMs: number, condition: ChartConditionT, timeZone: string) {
  const latest = periodOf(latestMs, condition.interval, timeZone);
  return { latest, fromMs: periodsBefore(latest, condition.baseline.periods, condition.interval, timeZone) };
}

/** Rules with the same scope filter (errorType included) and zone share one scan. */
export function chartScanKey(rule: Rule, defaultTimeZone: string): string {
  const condition = rule.condition as ChartConditionT;
  return `chart|${JSON.stringify(scopeFilter(rule))}|${condition.timeZone ?? defaultTimeZone}`;
}

/** Day cells from quarter-hour cells (SQL did the counting); undefined when a day starts inside a quarter. */
function daysFromQuarters(
  quarters: ReturnType<typeof countByCellAndBucket>,
  timeZone: string,
): Day[] | undefined {
  const days: Day[] = [];
  let day: Day | undefined;
  let end = 0;
  for (const q of quarters) {
    if (!day || q.bucket >= end || q.bucket < day.start) {
      const period = periodOf(q.bucket, "day", timeZone);
      if (period.end < q.bucket + QUARTER_HOUR_MS || period.start > q.bucket) return undefined;
      end = period.end;
      day = { start: period.start, label: period.label, week: "", cells: new Map() };
      days.push(day);
    }
    const key = cellKey(q.values);
    const cell = day.cells.get(key);
    if (cell) {
      cell.count += q.count;
      cell.n += q.n;
    } else day.cells.set(key, { values: q.values, count: q.count, n: q.n });
  }
  return days;
}

/** Day cells from the audits one by one (zones whose days do not start on a quarter hour). */
function daysFromRows(db: Db, filter: AuditFilter, timeZone: string): Day[] {
  const days: Day[] = [];
  let day: Day | undefined;
  let end = 0;
  forEachGroupedInTimeOrder(db, filter, ALL_GROUP_FIELDS, (values, ms, isError) => {
    if (!day || ms >= end || ms < day.start) {
      const period = periodOf(ms, "day", timeZone);
      end = period.end;
      day = { start: period.start, label: period.label, week: "", cells: new Map() };
      days.push(day);
    }
    const key = cellKey(values);
    let cell = day.cells.get(key);
    if (!cell) day.cells.set(key, (cell = { values, count: 0, n: 0 }));
    cell.count += isError;
    cell.n += 1;
  });
  return days;
}

/**
 * Scans the audits of the rules' common scope once, over the union of their windows. Returns undefined when
 * the scope holds no audits.
 */
export function scanForCharts(
  db: Db,
  rules: readonly Rule[],
  defaultTimeZone: string,
): ChartScan | undefined {
  const first = rules[0].condition as ChartConditionT;
  const timeZone = first.timeZone ?? defaultTimeZone;
  const filter = scopeFilter(rules[0]);
  const latestMs = latestAuditedMs(db, filter);
  if (latestMs === undefined) return undefined;
  let fromMs = Number.POSITIVE_INFINITY;
  let toMs = Number.NEGATIVE_INFINITY;
  for (const rule of rules) {
    const window = chartWindow(latestMs, rule.condition as ChartConditionT, timeZone);
    fromMs = Math.min(fromMs, window.fromMs);
    toMs = Math.max(toMs, window.latest.end);
  }
  return { latestMs, fromMs, days: scanDays(db, filter, fromMs, toMs, timeZone) };
}

/** Day cells of the audits under the filter in [fromMs, toMs), in time order. */
function scanDays(
  db: Db,
  filter: AuditFilter,
  fromMs: number,
  toMs: number | undefined,
  timeZone: string,
): Day[] {
  const window = { ...filter, fromMs, toMs };
  const days =
    daysFromQuarters(countByCellAndBucket(db, window, QUARTER_HOUR_MS), timeZone) ??
    daysFromRows(db, window, timeZone);
  for (const d of days) d.week = periodOf(d.start, "week", timeZone).label;
  return days;
}

/** Adds one audit to the day cells of a scan (`days` kept in time order). */
function addToDays(
  scan: ChartScan,
  byLabel: Map<string, Day>,
  values: (string | null)[],
  ms: number,
  isError: number,
  timeZone: string,
  last: { period?: Period },
): boolean {
  // Intl is slow: reuse the previous audit's day when this one falls in it (new audits mostly share a day).
  if (!last.period || ms < last.period.start || ms >= last.period.end)
    last.period = periodOf(ms, "day", timeZone);
  const period = last.period;
  let day = byLabel.get(period.label);
  if (!day) {
    day = {
      start: period.start,
      label: period.label,
      week: periodOf(period.start, "week", timeZone).label,
      cells: new Map(),
    };
    byLabel.set(day.label, day);
    const at = scan.days.findIndex((d) => d.start > day!.start);
    if (at === -1) scan.days.push(day);
    else scan.days.splice(at, 0, day);
  }
  const key = cellKey(values);
  const cell = day.cells.get(key);
  if (cell) {
    cell.count += isError;
    cell.n += 1;
    return false;
  }
  day.cells.set(key, { values, count: isError, n: 1 });
  return true;
}

interface CachedScan {
  scan: ChartScan;
  /** The scan includes every audit with seq ≤ this. */
  seq: number;
  builtAt: number;
  usedAt: number;
  cells: number;
}

/**
 * Chart scans kept between evaluations and brought up to date with the audits stored since (audits are only
 * ever added: ingest never changes or deletes one), so an evaluation after an ingest reads the new audits,
 * not every audit in the windows again. A scan is rebuilt when a rule needs an earlier window, at least every
 * 10 minutes, and is not kept beyond MAX_CELLS cells; scans unused for 10 minutes are dropped.
 */
export class ChartScanCache {
  static readonly REBUILD_MS = 600_000;
  static readonly MAX_CELLS = 500_000;
  private readonly entries = new Map<string, CachedScan>();

  /** The scan for rules sharing a scope and zone (see chartScanKey), current up to audit seq `maxSeq`. */
  scan(db: Db, rules: readonly Rule[], defaultTimeZone: string, maxSeq: number, clock = Date.now()) {
    const key = chartScanKey(rules[0], defaultTimeZone);
    const timeZone = (rules[0].condition as ChartConditionT).timeZone ?? defaultTimeZone;
    const filter = scopeFilter(rules[0]);
    const latestMs = latestAuditedMs(db, filter);
    if (latestMs === undefined) {
      this.entries.delete(key);
      return undefined;
    }
    let fromMs = Number.POSITIVE_INFINITY;
    for (const rule of rules)
      fromMs = Math.min(fromMs, chartWindow(latestMs, rule.condition as ChartConditionT, timeZone).fromMs);
    let entry = this.entries.get(key);
    if (
      entry &&
      entry.scan.fromMs <= fromMs &&
      clock - entry.builtAt < ChartScanCache.REBUILD_MS &&
      entry.seq <= maxSeq
    ) {
      const { scan } = entry;
      if (entry.seq < maxSeq) {
        const byLabel = new Map(scan.days.map((d) => [d.label, d]));
        const cached = entry;
        const last: { period?: Period } = {};
        forEachAuditSince(db, entry.seq, { ...filter, fromMs: scan.fromMs }, (values, ms, isError) => {
          if (addToDays(scan, byLabel, values, ms, isError, timeZone, last)) cached.cells++;
        });
        entry.seq = maxSeq;
      }
      scan.latestMs = latestMs;
      if (scan.fromMs < fromMs) {
        // The windows moved on: drop the days before them.
        const keep = scan.days.findIndex((d) => d.start >= fromMs);
        const dropped = keep === -1 ? scan.days : scan.days.slice(0, keep);
        for (const d of dropped) entry.cells -= d.cells.size;
        scan.days = keep === -1 ? [] : scan.days.slice(keep);
        scan.fromMs = fromMs;
      }
    } else {
      const days = scanDays(db, filter, fromMs, undefined, timeZone);
      entry = {
        scan: { latestMs, fromMs, days },
        seq: maxSeq,
        builtAt: clock,
        usedAt: clock,
        cells: days.reduce((sum, d) => sum + d.cells.size, 0),
      };
    }
    entry.usedAt = clock;
    if (entry.cells <= ChartScanCache.MAX_CELLS) this.entries.set(key, entry);
    else this.entries.delete(key);
    return entry.scan;
  }

  /** Drops scans no rule has used for 10 minutes. */
  sweep(clock = Date.now()): void {
    for (const [key, entry] of this.entries)
      if (clock - entry.usedAt > ChartScanCache.REBUILD_MS) this.entries.delete(key);
  }
}

/**
 * Period series per group of one rule over its window, from the shared scan: the latest period (the one
 * holding the most recent audit in the scope) and the `periods` calendar periods before it. Periods without
 * audits are omitted, as in GET /v1/charts. Days add up to ISO weeks exactly (a week is 7 local days).
 */
function seriesOf(scan: ChartScan, rule: Rule, timeZone: string) {
  const condition = rule.condition as ChartConditionT;
  const { latest, fromMs } = chartWindow(scan.latestMs, condition, timeZone);
  const indices = rule.groupBy.map((f) => FIELD_INDEX.get(f)!);
  const groups = new Map<string, { values: (string | null)[]; points: SeriesPoint[] }>();
  for (const day of scan.days) {
    if (day.start < fromMs || day.start >= latest.end) continue;
    const label = condition.interval === "day" ? day.label : day.week;
    for (const cell of day.cells.values()) {
      const values = indices.map((i) => cell.values[i]);
      const key = cellKey(values);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { values, points: [] }));
      let point = group.points.at(-1);
      if (!point || point.label !== label) group.points.push((point = { label, count: 0, n: 0 }));
      point.count += cell.count;
      point.n += cell.n;
    }
  }
  return { latest, fromMs, groups };
}

/**
 * Chart condition: per group, the chart of the latest period and the non-empty periods among the
 * `baseline.periods` calendar periods before it; the baseline (all points but the latest) estimates the
 * centre and limits, and the rule breaches when the latest point carries a signal of one of `rules`.
 * EWMA and CUSUM are built on the proportions of a p chart. Needs at least two baseline points.
 */
export function evaluateChart(
  db: Db,
  rule: Rule,
  defaultTimeZone: string,
  cache: QueryCache,
): GroupOutcome[] {
  const condition = rule.condition as ChartConditionT;
  const timeZone = condition.timeZone ?? defaultTimeZone;
  // The engine fills the cache with one scan per scope for all its rules; a scan that does not reach back
  // far enough for this rule (or none) is replaced by one for this rule.
  const key = chartScanKey(rule, defaultTimeZone);
  let scan = cache.get(key) as ChartScan | undefined;
  if (!cache.has(key) || (scan && chartWindow(scan.latestMs, condition, timeZone).fromMs < scan.fromMs))
    cache.set(key, (scan = scanForCharts(db, [rule], defaultTimeZone)));
  if (!scan) return [];
  const series = seriesOf(scan, rule, timeZone);
  const outcomes: GroupOutcome[] = [];
  for (const group of series.groups.values()) {
    const labels = toLabels(rule, group.values);
    const points = group.points;
    if (!labels || points.length < 3 || points.at(-1)!.label !== series.latest.label) continue;
    const last = points.length - 1;
    let result: ReturnType<typeof chart>;
    try {
      result = chart({
        type: condition.type,
        points: points.map(({ count, n, label }) => ({ count, n, label })),
        baseline: { from: 0, to: last - 1 },
        rules: condition.rules,
        ewma: condition.type === "ewma" ? { base: "p" } : undefined,
        cusum: condition.type === "cusum" ? { base: "p" } : undefined,
      });
    } catch (error) {
      if (error instanceof StatsInputError) continue; // data the chart cannot use: not evaluated
      throw error;
    }
    const point: ChartPointResult = result.points[last];
    const observed = points[last].count / points[last].n;
    const breach = point.signals.length > 0;
    const params = filterParams(rule, labels);
    params.set("type", condition.type);
    params.set("interval", condition.interval);
    params.set("rules", condition.rules.join(","));
    params.set("from", new Date(series.fromMs).toISOString());
    params.set("to", new Date(series.latest.end).toISOString());
    params.set("baseline", `0..${last - 1}`);
    params.set("tz", timeZone);
    const limits =
      condition.type === "cusum"
        ? `C+ ${point.cusumUpper?.toFixed(2)}, C− ${point.cusumLower?.toFixed(2)}, h ${result.sigmaMultiplier}`
        : `limits ${pct(point.lcl)}–${pct(point.ucl)}`;
    outcomes.push({
      labels,
      breach,
      value: observed,
      threshold: null,
      signal: breach ? point.signals : null,
      evidence: {
        kind: "chart",
        type: condition.type,
        interval: condition.interval,
        timeZone,
        period: points[last].label,
        count: points[last].count,
        n: points[last].n,
        point,
        baseline: {
          periods: condition.baseline.periods,
          points: last,
          from: points[0].label,
          to: points[last - 1].label,
          center: result.phases[0]?.center ?? null,
        },
        rules: result.rules,
        sigmaMultiplier: result.sigmaMultiplier,
      },
      link: `/v1/charts?${params}`,
      summary: `${rule.name}${labelText(labels)}: ${condition.type} chart, ${condition.interval} of ${points[last].label}: error rate ${pct(observed)} (${points[last].count}/${points[last].n}), ${limits}${breach ? `; signals ${point.signals.join(", ")}` : "; no signal"}`,
    });
  }
  return outcomes;
}

/* ---------- agreement ---------- */

export interface ClosedSession {
  id: string;
  name: string;
  closedAt: string | null;
}

/** The coefficient an agreement rule watches, or null when undefined for the session. */
export function agreementValue(result: AgreementResult, statistic: AgreementConditionT["statistic"]) {
  if (statistic === "fleiss")
    return { value: result.fleiss.kappa, lower: result.fleiss.lower, upper: result.fleiss.upper };
  if (statistic === "ac1")
    return { value: result.gwet.ac1, lower: result.gwet.lower, upper: result.gwet.upper };
  return { value: result.krippendorff.alpha, lower: null, upper: null };
}

const STATISTIC_NAMES = { fleiss: "Fleiss' kappa", ac1: "Gwet's AC1", alpha: "Krippendorff's alpha" };

/**
 * Agreement condition, evaluated when a calibration session closes: breaches when the coefficient is below
 * `below`. An undefined coefficient (e.g. every rating in one category) is no evidence either way: the
 * rule is not evaluated for that session (null).
 */
export function evaluateAgreement(
  rule: Rule,
  session: ClosedSession,
  result: AgreementResult,
): GroupOutcome[] | null {
  const condition = rule.condition as AgreementConditionT;
  const { value, lower, upper } = agreementValue(result, condition.statistic);
  if (value === null) return null;
  const breach = value < condition.below;
  return [
    {
      labels: {},
      breach,
      value,
      threshold: condition.below,
      signal: null,
      evidence: {
        kind: "agreement",
        statistic: condition.statistic,
        value,
        interval: { lower, upper, confidence: result.confidence },
        below: condition.below,
        calibration: session,
        items: result.items,
        raters: result.raters,
        percentAgreement: result.percentAgreement,
      },
      link: `/v1/calibrations/${encodeURIComponent(session.id)}/report`,
      summary: `${rule.name}: ${STATISTIC_NAMES[condition.statistic]} ${value.toFixed(3)} in calibration "${session.name}" ${breach ? "is below" : "is at or above"} ${condition.below}`,
    },
  ];
}
