import { type ChartInput, type ChartPointInput, chart } from "../../stats/spc/index.ts";
import { type FilterQuery, toFilter } from "../audits/filters.ts";
import { type AuditFilter, countByTimeBucket, forEachInTimeOrder, QUARTER_HOUR_MS } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import { DomainError } from "../errors.ts";
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
  const series = seriesBuilder(interval, timeZone);
  for (const [bucket, audited, errors] of await countByTimeBucket(db, filter, QUARTER_HOUR_MS)) {
    const period = series.add(bucket, audited, errors);
    if (bucket + QUARTER_HOUR_MS > period.end) return periodSeriesByAudit(db, filter, interval, timeZone);
  }
  return series.points;
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

/** A control chart over the audits in the filter, one point per period (the same `chart()` as POST /v1/chart). */
export async function storedChart(db: Db, query: StoredChartQuery, timeZone: string) {
  const series = await periodSeries(db, toFilter(query, timeZone), query.interval, timeZone);
  const labels = series.map((p) => p.label);
  if (series.length === 0) {
    return {
      type: query.type,
      interval: query.interval,
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
  });
  return { ...result, interval: query.interval, timeZone };
}
