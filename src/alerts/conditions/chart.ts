import { binomialUpperTail } from "../../../stats/binomial-upper-tail.ts";
import { normalUpperTail } from "../../../stats/critical.ts";
import { StatsInputError } from "../../../stats/errors.ts";
import { type ChartPointResult, chart } from "../../../stats/spc/index.ts";
import {
  countByCellAndBucket,
  forEachGroupedInTimeOrder,
  latestAuditedMs,
  type ScanFilter,
} from "../../db/alert-scans.ts";
import { QUARTER_HOUR_MS } from "../../db/audits.ts";
import type { Db } from "../../db/database.ts";
import { type Interval, type Period, periodOf, startOfLocalDate } from "../../time.ts";
import type { ChartConditionT, Rule } from "../rules.ts";
import { bernoulliChartOptions, bernoulliLimitsText, bernoulliLinkParams } from "./bernoulli.ts";
import { controlFalseDiscoveries } from "./fdr.ts";
import { ScanCache, type ScanKind } from "./scan-cache.ts";
import {
  CELL_FIELDS,
  CELL_INDEX,
  cellKey,
  filterParams,
  type GroupOutcome,
  labelText,
  pct,
  type QueryCache,
  scopeFilter,
  toLabels,
} from "./shared.ts";

/**
 * Chart conditions: a control chart of the latest period against its baseline, per group, from one scan of
 * day cells per scope and zone.
 */

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

/** The latest period of a rule and the start of its window (`periods` calendar periods before it). */
function chartWindow(latestMs: number, condition: ChartConditionT, timeZone: string) {
  const latest = periodOf(latestMs, condition.interval, timeZone);
  return { latest, fromMs: periodsBefore(latest, condition.baseline.periods, condition.interval, timeZone) };
}

/** Rules with the same scope filter (errorType included) and zone share one scan. */
export function chartScanKey(rule: Rule<"chart">, defaultTimeZone: string): string {
  return `chart|${JSON.stringify(scopeFilter(rule))}|${rule.condition.timeZone ?? defaultTimeZone}`;
}

/** Day cells from quarter-hour cells (SQL did the counting); undefined when a day starts inside a quarter. */
function daysFromQuarters(
  quarters: Awaited<ReturnType<typeof countByCellAndBucket>>,
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
async function daysFromRows(db: Db, filter: ScanFilter, timeZone: string): Promise<Day[]> {
  const days: Day[] = [];
  let day: Day | undefined;
  let end = 0;
  await forEachGroupedInTimeOrder(db, filter, CELL_FIELDS, (values, ms, isError) => {
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
 * the scope holds no audits. `beforeMs`: only the audits audited before it (the scan an evaluation at that
 * past instant would have read: the preview).
 */
export async function scanForCharts(
  db: Db,
  rules: readonly Rule<"chart">[],
  defaultTimeZone: string,
  beforeMs?: number,
): Promise<ChartScan | undefined> {
  const timeZone = rules[0].condition.timeZone ?? defaultTimeZone;
  const filter: ScanFilter = { ...scopeFilter(rules[0]), toMs: beforeMs };
  const latestMs = await latestAuditedMs(db, filter);
  if (latestMs === undefined) return undefined;
  let fromMs = Number.POSITIVE_INFINITY;
  let toMs = Number.NEGATIVE_INFINITY;
  for (const rule of rules) {
    const window = chartWindow(latestMs, rule.condition, timeZone);
    fromMs = Math.min(fromMs, window.fromMs);
    toMs = Math.max(toMs, window.latest.end);
  }
  if (beforeMs !== undefined) toMs = Math.min(toMs, beforeMs);
  return { latestMs, fromMs, days: await scanDays(db, filter, fromMs, toMs, timeZone) };
}

/** Day cells of the audits under the filter in [fromMs, toMs), in time order. */
async function scanDays(
  db: Db,
  filter: ScanFilter,
  fromMs: number,
  toMs: number | undefined,
  timeZone: string,
): Promise<Day[]> {
  const window = { ...filter, fromMs, toMs };
  const days =
    daysFromQuarters(await countByCellAndBucket(db, window, QUARTER_HOUR_MS), timeZone) ??
    (await daysFromRows(db, window, timeZone));
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

/** A kept chart scan and the number of its day cells. */
interface KeptChartScan {
  scan: ChartScan;
  cells: number;
}

interface ChartScanContext {
  timeZone: string;
  latestMs: number;
}

/** Kept chart scans: day cells in the scope's zone. */
const DAY_SCANS: ScanKind<KeptChartScan, ChartScanContext> = {
  async build(db, filter, fromMs, { timeZone, latestMs }) {
    const days = await scanDays(db, filter, fromMs, undefined, timeZone);
    return { scan: { latestMs, fromMs, days }, cells: days.reduce((sum, d) => sum + d.cells.size, 0) };
  },
  extender(kept, { timeZone }) {
    const byLabel = new Map(kept.scan.days.map((d) => [d.label, d]));
    const last: { period?: Period } = {};
    return (values, ms, isError) => {
      if (addToDays(kept.scan, byLabel, values, ms, isError, timeZone, last)) kept.cells++;
    };
  },
  trim(kept, fromMs) {
    const { scan } = kept;
    const keep = scan.days.findIndex((d) => d.start >= fromMs);
    const dropped = keep === -1 ? scan.days : scan.days.slice(0, keep);
    for (const d of dropped) kept.cells -= d.cells.size;
    scan.days = keep === -1 ? [] : scan.days.slice(keep);
    scan.fromMs = fromMs;
  },
  size: (kept) => kept.cells,
};

/**
 * Chart scans kept between evaluations and brought up to date with the audits stored since (see ScanCache).
 * A scan is rebuilt when a rule needs an earlier window; the days before the windows are dropped as they
 * move on.
 */
export class ChartScanCache extends ScanCache<KeptChartScan, ChartScanContext> {
  constructor() {
    super(DAY_SCANS);
  }

  /** The scan for rules sharing a scope and zone (see chartScanKey), current up to audit seq `maxSeq`. */
  async scan(
    db: Db,
    rules: readonly Rule<"chart">[],
    defaultTimeZone: string,
    maxSeq: number,
    clock = Date.now(),
  ): Promise<ChartScan | undefined> {
    const key = chartScanKey(rules[0], defaultTimeZone);
    const timeZone = rules[0].condition.timeZone ?? defaultTimeZone;
    const filter = scopeFilter(rules[0]);
    const latestMs = await latestAuditedMs(db, { ...filter, throughSeq: maxSeq });
    if (latestMs === undefined) {
      this.drop(key);
      return undefined;
    }
    let fromMs = Number.POSITIVE_INFINITY;
    for (const rule of rules)
      fromMs = Math.min(fromMs, chartWindow(latestMs, rule.condition, timeZone).fromMs);
    const { scan } = await this.kept(db, key, filter, fromMs, maxSeq, { timeZone, latestMs }, clock);
    scan.latestMs = latestMs;
    return scan;
  }
}

/**
 * Period series per group of one rule over its window, from the shared scan: the latest period (the one
 * holding the most recent audit in the scope) and the `periods` calendar periods before it. Periods without
 * audits are omitted, as in GET /v1/charts. Days add up to ISO weeks exactly (a week is 7 local days).
 */
function seriesOf(scan: ChartScan, rule: Rule<"chart">, timeZone: string) {
  const { condition } = rule;
  const { latest, fromMs } = chartWindow(scan.latestMs, condition, timeZone);
  const indices = rule.groupBy.map((f) => CELL_INDEX.get(f)!);
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
 * EWMA and CUSUM are built on the proportions of a p chart. Needs at least two baseline points. With
 * `multiplicity` bh/by a group breaches only when also its q-value ≤ `fdr` (latestPointP, adjusted across the
 * evaluated groups). `beforeMs`:
 * as it would have been evaluated at that past instant, on the audits audited before it (the preview).
 */
export async function evaluateChart(
  db: Db,
  rule: Rule<"chart">,
  defaultTimeZone: string,
  cache: QueryCache,
  beforeMs?: number,
): Promise<GroupOutcome[]> {
  const { condition } = rule;
  const timeZone = condition.timeZone ?? defaultTimeZone;
  // The engine fills the cache with one scan per scope for all its rules; a scan that does not reach back
  // far enough for this rule (or none) is replaced by one for this rule.
  const key = chartScanKey(rule, defaultTimeZone);
  let scan = cache.get(key) as ChartScan | undefined;
  if (!cache.has(key) || (scan && chartWindow(scan.latestMs, condition, timeZone).fromMs < scan.fromMs))
    cache.set(key, (scan = await scanForCharts(db, [rule], defaultTimeZone, beforeMs)));
  if (!scan) return [];
  const series = seriesOf(scan, rule, timeZone);
  const outcomes: GroupOutcome[] = [];
  const tested: { outcome: GroupOutcome; p: number }[] = [];
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
        ewma:
          condition.type === "ewma"
            ? { ...timeWeighted(condition.ewma, "lambda", "L"), base: "p" }
            : undefined,
        cusum:
          condition.type === "cusum" ? { ...timeWeighted(condition.cusum, "k", "h"), base: "p" } : undefined,
        bernoulli: bernoulliChartOptions(condition),
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
    for (const [name, value] of designLinkParams(condition)) params.set(name, value);
    const limits =
      condition.type === "cusum"
        ? `C+ ${point.cusumUpper?.toFixed(2)}, C− ${point.cusumLower?.toFixed(2)}, h ${result.sigmaMultiplier}`
        : condition.type === "bernoulli-cusum"
          ? bernoulliLimitsText(point, result.sigmaMultiplier)
          : `limits ${pct(point.lcl)}–${pct(point.ucl)}`;
    const design = condition.ewma ?? condition.cusum ?? condition.bernoulli;
    const outcome: GroupOutcome = {
      labels,
      breach,
      value: observed,
      threshold: null,
      signal: breach ? point.signals : null,
      evidence: {
        kind: "chart",
        breach,
        type: condition.type,
        interval: condition.interval,
        timeZone,
        period: points[last].label,
        // The latest period's instants, so that a client can list the audits behind the point.
        periodFrom: new Date(series.latest.start).toISOString(),
        periodTo: new Date(series.latest.end).toISOString(),
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
        ...(design ? { design } : {}),
      },
      link: `/v1/charts?${params}`,
      summary: `${rule.name}${labelText(labels)}: ${condition.type} chart, ${condition.interval} of ${points[last].label}: error rate ${pct(observed)} (${points[last].count}/${points[last].n}), ${limits}${breach ? `; signals ${point.signals.join(", ")}` : "; no signal"}${design ? `; designed ARL₀ ${arlText(design.arl0)}, ARL₁ ${arlText(design.arl1)} ${condition.type === "bernoulli-cusum" ? "audits" : `${condition.interval}s`}` : ""}`,
    };
    outcomes.push(outcome);
    tested.push({ outcome, p: latestPointP(condition, point, points[last], result.phases[0]?.center) });
  }
  controlFalseDiscoveries(tested, condition);
  return outcomes;
}

/** The chart() options of a stored EWMA (λ, L) or CUSUM (k, h) design; the chart's defaults without one. */
function timeWeighted<A extends string, B extends string>(
  design: Record<string, number | undefined> | undefined,
  a: A,
  b: B,
): Partial<Record<A | B, number>> {
  if (!design) return {};
  return { [a]: design[a], [b]: design[b] } as Partial<Record<A | B, number>>;
}

/** The query of GET /v1/charts that draws the rule's chart with its own design. */
function designLinkParams(condition: ChartConditionT): [string, string][] {
  if (condition.type === "ewma" && condition.ewma)
    return [
      ["lambda", String(condition.ewma.lambda)],
      ["L", String(condition.ewma.L)],
    ];
  if (condition.type === "cusum" && condition.cusum)
    return [
      ["k", String(condition.cusum.k)],
      ["h", String(condition.cusum.h)],
    ];
  return bernoulliLinkParams(condition);
}

/** An ARL for the summary: 3 significant digits. */
function arlText(arl: number | undefined): string {
  return arl === undefined ? "?" : String(Number(arl.toPrecision(3)));
}

/**
 * The one-sided p-value of the latest point for false-discovery control (issue 16). laney-p: the normal upper
 * tail Q(z) of Laney's z = (p − p̄)/(σ_z·σᵢ) (the statistic its limits judge, so overdispersion widens it as it
 * widens them). p, ewma, cusum: the latest period's exact binomial tail P(X ≥ count | n, p̄) against the
 * baseline centre p̄ (for EWMA and CUSUM the latest observation itself, not the smoothed or cumulated statistic,
 * whose null distribution depends on the history: the q-value then asks whether this period alone is unusual).
 * A condition with an in-control rate of its own (`bernoulli.p0`) uses it instead of p̄.
 */
function latestPointP(
  { type, ...condition }: { type: string; bernoulli?: { p0: number } },
  point: ChartPointResult,
  latest: SeriesPoint,
  baselineCenter: number | undefined,
): number {
  if (type === "laney-p") {
    if (point.z !== null) return normalUpperTail(point.z);
    return (point.value ?? 0) > point.center ? 0 : 1;
  }
  const inControl = condition.bernoulli?.p0 ?? point.baseCenter ?? baselineCenter ?? point.center;
  const center = Math.min(1, Math.max(0, inControl));
  return binomialUpperTail(latest.count, latest.n, center);
}
