import { type IntervalMethod, proportionInterval } from "../../stats/proportion-interval.ts";
import { SEVERITY_LEVELS, weightedErrorIndex } from "../../stats/weighted-error-index.ts";
import { type FilterQuery, toFilter } from "../audits/filters.ts";
import type { Table } from "../csv.ts";
import { countByGroups, type GroupField } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import { errorsBySeverity, type SeverityCount } from "../db/severity-counts.ts";

export interface QualityQuery extends FilterQuery {
  groupBy: GroupField[];
  confidence: number;
  method: IntervalMethod;
  /** Weights of severities 1–4: when given, every row also carries the severity-weighted error index. */
  weights?: number[];
}

/** The severity-weighted error index of a row (stats/weighted-error-index.ts); null when nothing was audited. */
export interface WeightedRow {
  index: number;
  standardError: number | null;
  lower: number | null;
  upper: number | null;
}

export interface RateRow {
  audited: number;
  errors: number;
  rate: number | null;
  lower: number | null;
  upper: number | null;
  /** Only when the query gave weights. */
  weighted?: WeightedRow | null;
}

export interface QualityReport {
  groups: (RateRow & { key: Record<string, string | null> })[];
  overall: RateRow;
  confidence: number;
  method: IntervalMethod;
  /** Only when the query gave weights. */
  weights?: number[];
  timeZone: string;
}

function rateRow(audited: number, errors: number, confidence: number, method: IntervalMethod): RateRow {
  if (audited === 0) return { audited, errors, rate: null, lower: null, upper: null };
  const interval = proportionInterval(errors, audited, { confidence, method });
  return { audited, errors, rate: interval.estimate, lower: interval.lower, upper: interval.upper };
}

/** Errors by severity per group key (JSON of the key's values), an error without a severity as severity 1. */
function severityTotals(rows: SeverityCount[]): Map<string, number[]> {
  const totals = new Map<string, number[]>();
  for (const row of rows) {
    const key = JSON.stringify(row.key);
    let counts = totals.get(key);
    if (!counts) totals.set(key, (counts = new Array<number>(SEVERITY_LEVELS).fill(0)));
    counts[(row.severity ?? 1) - 1] += row.errors;
  }
  return totals;
}

function weightedRow(
  audited: number,
  bySeverity: number[] | undefined,
  weights: number[],
  confidence: number,
) {
  if (audited === 0) return null;
  const errorsBySeverity = bySeverity ?? new Array<number>(SEVERITY_LEVELS).fill(0);
  const { index, standardError, lower, upper } = weightedErrorIndex({
    audited,
    errorsBySeverity,
    weights,
    confidence,
  });
  return { index, standardError, lower, upper };
}

/**
 * Error rates with confidence intervals, overall and per group of `groupBy`, over the audits in the filter; with
 * `weights`, also the severity-weighted error index of every row (errors counted by severity in SQL).
 */
export async function qualityReport(db: Db, query: QualityQuery, timeZone: string): Promise<QualityReport> {
  const filter = toFilter(query, timeZone);
  const counts = await countByGroups(db, filter, query.groupBy);
  let audited = 0;
  let errors = 0;
  for (const group of counts) {
    audited += group.audited;
    errors += group.errors;
  }
  const groups: QualityReport["groups"] = (query.groupBy.length === 0 ? [] : counts).map((g) => ({
    key: g.key,
    ...rateRow(g.audited, g.errors, query.confidence, query.method),
  }));
  const overall: RateRow = rateRow(audited, errors, query.confidence, query.method);
  const { weights } = query;
  if (weights) {
    const totals = severityTotals(await errorsBySeverity(db, filter, query.groupBy));
    const all = new Array<number>(SEVERITY_LEVELS).fill(0);
    for (const bySeverity of totals.values()) {
      for (let k = 0; k < SEVERITY_LEVELS; k++) all[k] += bySeverity[k];
    }
    for (const group of groups) {
      const key = JSON.stringify(query.groupBy.map((field) => group.key[field]));
      group.weighted = weightedRow(group.audited, totals.get(key), weights, query.confidence);
    }
    overall.weighted = weightedRow(audited, all, weights, query.confidence);
  }
  return {
    groups,
    overall,
    confidence: query.confidence,
    method: query.method,
    ...(weights ? { weights } : {}),
    timeZone,
  };
}

/**
 * The groups of a quality report as an export table (CSV or XLSX): the group fields, then the counts and interval,
 * and the weighted index with its interval when the report has weights.
 */
export function qualityTable(report: QualityReport, groupBy: readonly GroupField[]): Table {
  const weightedColumns = report.weights ? ["weightedIndex", "weightedLower", "weightedUpper"] : [];
  return {
    columns: [...groupBy, "audited", "errors", "rate", "lower", "upper", ...weightedColumns],
    rows: report.groups.map((g) => [
      ...groupBy.map((f) => g.key[f]),
      g.audited,
      g.errors,
      g.rate,
      g.lower,
      g.upper,
      ...(report.weights ? [g.weighted?.index, g.weighted?.lower, g.weighted?.upper] : []),
    ]),
  };
}
