import { type ChartInput, type ChartPointInput, chart } from "../../stats/spc/index.ts";
import { type FilterQuery, toFilter } from "../audits/filters.ts";
import {
  type AuditFilter,
  auditedTimeRange,
  auditsInTimeOrder,
  countByTimeBucket,
  forEachInTimeOrder,
  QUARTER_HOUR_MS,
} from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import { DomainError } from "../errors.ts";
import { rollupPieceSums, rollupsEnabled } from "../rollups/counts.ts";
import { AUDITED, cuboidFor, errorsMeasure } from "../rollups/read.ts";
import { type Interval, type Period, periodOf } from "../time.ts";

export interface StoredChartQuery extends FilterQuery {
  type: ChartInput["type"];
  interval: Interval;
  rules?: string;
  baseline?: string;
  phases?: string;
  exclude?: string;
  standard?: number;
  sigma?: number;
  lambda?: number;
  L?: number;
  k?: number;
  h?: number;
  /** "period" (default): one point per period; "audit": one point per audit in time order (bernoulli-cusum). */
  per?: "period" | "audit";
  p0?: number;
  p1?: number;
  oddsRatio?: number;
  targetArl0?: number;
}

/** Most audits a per-audit chart reads: above, 422 too_expensive (narrow the filters or chart per period). */
export const MAX_AUDIT_POINTS = 50_000;

/**
 * One point per audit (count 0/1, n = 1) in time order, labelled with its instant in UTC (ISO 8601), and the
 * audits' ids. Refused past MAX_AUDIT_POINTS rather than cut: a CUSUM over the first audits only would end
 * before the latest ones.
 */
async function auditSeries(db: Db, filter: AuditFilter): Promise<{ points: SeriesPoint[]; ids: string[] }> {
  const rows = await auditsInTimeOrder(db, filter, MAX_AUDIT_POINTS + 1);
  if (rows.length > MAX_AUDIT_POINTS) {
    throw new DomainError(
      "unprocessable",
      "too_expensive",
      `more than ${MAX_AUDIT_POINTS} audits match: narrow the filters (from, to, queue, …) or chart per period`,
      [{ path: "per", message: `more than ${MAX_AUDIT_POINTS} audits`, limit: MAX_AUDIT_POINTS }],
    );
  }
  const points: SeriesPoint[] = rows.map(([, ms, isError]) => ({
    count: isError,
    n: 1,
    label: new Date(ms).toISOString(),
    start: ms,
  }));
  return { points, ids: rows.map(([id]) => id) };
}

type SeriesPoint = ChartPointInput & { label: string; start: number; count: number; n: number };

/** Adds counts at instants (in time order) up to the calendar periods they fall in; `add` returns that period. */
function seriesBuilder(interval: Interval, timeZone: string) {
  const points: SeriesPoint[] = [];
  let period: Period | undefined;
  let current: SeriesPoint | undefined;
  const add = (ms: number, audited: number, errors: number): Period => {
    if (!period || ms >= period.end || ms < period.start) {
      period = periodOf(ms, interval, timeZone);
      current = { count: 0, n: 0, label: period.label, start: period.start };
      points.push(current);
    }
    current!.count += errors;
    current!.n += audited;
    return period;
  };
  return { points, add };
}

/**
 * Error counts per calendar period in the zone; empty periods are omitted (not zero). Quarter-hour counts from
 * SQL are added up to periods; a zone whose period starts inside a quarter hour (an offset that is not a
 * multiple of 15 minutes, e.g. local mean time before 1900) is counted audit by audit instead.
 */
export async function periodSeries(
  db: Db,
  filter: AuditFilter,
  interval: Interval,
  timeZone: string,
): Promise<SeriesPoint[]> {
  const rolledUp = await periodSeriesFromRollups(db, filter, interval, timeZone);
  if (rolledUp) return rolledUp;
  const series = seriesBuilder(interval, timeZone);
  for (const [bucket, audited, errors] of await countByTimeBucket(db, filter, QUARTER_HOUR_MS)) {
    const period = series.add(bucket, audited, errors);
    if (bucket + QUARTER_HOUR_MS > period.end) return periodSeriesByAudit(db, filter, interval, timeZone);
  }
  return series.points;
}

/** Most periods a chart reads from the rollups; a longer span (a stray audit decades away) reads rows. */
const MAX_ROLLUP_PERIODS = 50_000;

/**
 * The same series from the rollups (src/rollups/counts.ts): the periods from the filter's bounds (else the stored
 * audits' first and last instants), each read as whole hour, day and week buckets plus rows for what they leave.
 * Undefined when the rollups cannot answer the filter, a period boundary is not on a quarter hour, or the span
 * has too many periods: the caller reads rows.
 */
async function periodSeriesFromRollups(
  db: Db,
  filter: AuditFilter,
  interval: Interval,
  timeZone: string,
): Promise<SeriesPoint[] | undefined> {
  if (!rollupsEnabled() || !cuboidFor(filter, [])) return undefined;
  const extent = await auditedExtent(db, filter);
  if (!extent) return [];
  const [from, to] = extent;
  const periods: Period[] = [];
  for (
    let period = periodOf(from, interval, timeZone);
    period.start < to;
    period = periodOf(period.end, interval, timeZone)
  ) {
    if (period.end % QUARTER_HOUR_MS !== 0 || periods.length === MAX_ROLLUP_PERIODS) return undefined;
    periods.push(period);
  }
  const pieces = periods.map((p) => ({ start: Math.max(p.start, from), end: Math.min(p.end, to) }));
  const sums = await rollupPieceSums(db, filter, pieces, [AUDITED, errorsMeasure(filter.errorType)]);
  if (!sums) return undefined;
  return periods.flatMap((period, i) => {
    const [n, count] = sums[i];
    return n > 0 ? [{ count, n, label: period.label, start: period.start }] : [];
  });
}

/** The filter's [from, to), an open side bounded by the first or last stored audit; undefined when there are none. */
async function auditedExtent(db: Db, filter: AuditFilter): Promise<[number, number] | undefined> {
  const stored =
    filter.fromMs === undefined || filter.toMs === undefined ? await auditedTimeRange(db) : undefined;
  const first = filter.fromMs ?? stored?.[0];
  const to = filter.toMs ?? (stored ? stored[1] + 1 : undefined);
  return first !== undefined && to !== undefined && first < to ? [first, to] : undefined;
}

/** The same series from the audits one by one, for zones whose periods do not start on a quarter hour. */
export async function periodSeriesByAudit(
  db: Db,
  filter: AuditFilter,
  interval: Interval,
  timeZone: string,
): Promise<SeriesPoint[]> {
  const series = seriesBuilder(interval, timeZone);
  await forEachInTimeOrder(db, filter, (ms, isError) => series.add(ms, 1, isError));
  return series.points;
}

/** A period reference in a query: an index, or a date meaning the first period starting on or after it. */
function periodIndex(ref: string, labels: string[], field: string): number {
  if (/^\d+$/.test(ref)) return Number(ref);
  if (/^\d{4}-\d{2}-\d{2}$/.test(ref)) {
    const index = labels.findIndex((label) => label >= ref);
    if (index === -1)
      throw new DomainError("invalid", "validation_failed", `${field}: no period on or after ${ref}`, [
        { path: field, message: `no period on or after ${ref}` },
      ]);
    return index;
  }
  throw new DomainError("invalid", "validation_failed", `invalid ${field}`, [
    { path: field, message: "use period indices or dates (YYYY-MM-DD)" },
  ]);
}

function indexList(text: string | undefined, labels: string[], field: string): number[] | undefined {
  if (!text) return undefined;
  return text.split(",").map((ref) => periodIndex(ref.trim(), labels, field));
}

function baselineOf(text: string | undefined, labels: string[]): ChartInput["baseline"] {
  if (!text) return undefined;
  const [from, to] = text.split("..");
  if (to === undefined)
    throw new DomainError("invalid", "validation_failed", "invalid baseline", [
      { path: "baseline", message: "use FROM..TO" },
    ]);
  const toIndex = /^\d{4}-\d{2}-\d{2}$/.test(to)
    ? labels.filter((l) => l <= to).length - 1
    : periodIndex(to, labels, "baseline");
  return { from: periodIndex(from, labels, "baseline"), to: toIndex };
}

function rulesOf(text: string | undefined): ChartInput["rules"] {
  if (text?.includes(",") || (text && !["western-electric", "nelson", "none"].includes(text))) {
    return text.split(",").map((r) => r.trim());
  }
  return text as ChartInput["rules"];
}

/**
 * A control chart over the audits in the filter (the same `chart()` as POST /v1/chart): one point per period,
 * or, for the Bernoulli CUSUM with `per=audit`, one point per audit in time order (`auditIds` beside the
 * points; labels are the audits' instants in UTC, so baseline/exclude/phases dates compare with UTC dates).
 */
export async function storedChart(db: Db, query: StoredChartQuery, timeZone: string) {
  const per = query.per ?? "period";
  if (per === "audit" && query.type !== "bernoulli-cusum") {
    throw new DomainError("invalid", "validation_failed", "per=audit applies only to type bernoulli-cusum", [
      { path: "per", message: "per=audit applies only to type bernoulli-cusum" },
    ]);
  }
  const filter = toFilter(query, timeZone);
  const { points: series, ids } =
    per === "audit"
      ? await auditSeries(db, filter)
      : { points: await periodSeries(db, filter, query.interval, timeZone), ids: undefined };
  const labels = series.map((p) => p.label);
  if (series.length === 0) {
    return {
      type: query.type,
      interval: query.interval,
      per,
      timeZone,
      points: [],
      signals: [],
      notes: ["no audits match the filters"],
    };
  }
  const timeWeightedBase = "p" as const;
  const result = chart({
    type: query.type,
    points: series.map(({ count, n, label }) => ({ count, n, label })),
    baseline: baselineOf(query.baseline, labels),
    exclude: indexList(query.exclude, labels, "exclude"),
    phases: indexList(query.phases, labels, "phases"),
    standard: query.standard,
    sigma: query.sigma,
    rules: rulesOf(query.rules),
    ewma: query.type === "ewma" ? { lambda: query.lambda, L: query.L, base: timeWeightedBase } : undefined,
    cusum: query.type === "cusum" ? { k: query.k, h: query.h, base: timeWeightedBase } : undefined,
    bernoulli:
      query.type === "bernoulli-cusum"
        ? {
            p0: query.p0,
            p1: query.p1,
            oddsRatio: query.oddsRatio,
            h: query.h,
            targetArl0: query.targetArl0,
          }
        : undefined,
  });
  return { ...result, interval: query.interval, per, timeZone, ...(ids ? { auditIds: ids } : {}) };
}
