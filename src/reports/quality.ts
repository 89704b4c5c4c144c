import { binomialUpperTail } from "../../stats/binomial-upper-tail.ts";
import { adjustPValues, type FdrMethod } from "../../stats/multiple-testing.ts";
import { type IntervalMethod, proportionInterval } from "../../stats/proportion-interval.ts";
import { SEVERITY_LEVELS, weightedErrorIndex } from "../../stats/weighted-error-index.ts";
import { type FilterQuery, toFilter } from "../audits/filters.ts";
import type { Table } from "../csv.ts";
import { countByGroups, type GroupField } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import { errorsBySeverity, type SeverityCount } from "../db/severity-counts.ts";
import { invalidField } from "../errors.ts";

export interface QualityQuery extends FilterQuery {
  groupBy: GroupField[];
  confidence: number;
  method: IntervalMethod;
  /** Weights of severities 1–4: when given, every row also carries the severity-weighted error index. */
  weights?: number[];
  /** A limit on the error rate: when given, every group gets p, q and flagged (false-discovery control). */
  limit?: number;
  /** The FDR level of `flagged` (default 0.05); only with `limit`. */
  fdr?: number;
  /** The adjustment of the p-values across groups (default bh); only with `limit`. */
  multiplicity?: FdrMethod;
}

/** The default FDR level of `flagged`. */
const QUALITY_DEFAULT_FDR = 0.05;

/** A group's test of "its rate exceeds `limit`" (only with `limit`). */
export interface LimitTest {
  /** Exact one-sided binomial p-value P(X ≥ errors | audited, limit). */
  p: number;
  /** The p-value adjusted across the report's groups (Benjamini–Hochberg or –Yekutieli). */
  q: number;
  /** q ≤ fdr. */
  flagged: boolean;
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
  groups: (RateRow & Partial<LimitTest> & { key: Record<string, string | null> })[];
  overall: RateRow;
  confidence: number;
  method: IntervalMethod;
  /** Only when the query gave weights. */
  weights?: number[];
  /** Only with `limit`: the test's settings and how many groups were flagged. */
  limit?: number;
  fdr?: number;
  multiplicity?: FdrMethod;
  flagged?: number;
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
 * `weights`, also the severity-weighted error index of every row (errors counted by severity in SQL); with
 * `limit`, each group's p, q and flagged (testLimit).
 * @throws {DomainError} 400 validation_failed naming `fdr` or `multiplicity` when given without `limit`
 */
export async function qualityReport(db: Db, query: QualityQuery, timeZone: string): Promise<QualityReport> {
  for (const field of ["fdr", "multiplicity"] as const)
    if (query[field] !== undefined && query.limit === undefined)
      throw invalidField(field, "needs `limit` (the error rate each group is tested against)");
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
  const tested = query.limit === undefined ? undefined : testLimit(groups, query.limit, query);
  return {
    groups,
    overall,
    confidence: query.confidence,
    method: query.method,
    ...(weights ? { weights } : {}),
    ...(tested ?? {}),
    timeZone,
  };
}

/**
 * Each group's exact binomial p-value for "its error rate exceeds `limit`", P(X ≥ errors | audited, limit),
 * adjusted across the groups by Benjamini–Hochberg (default) or Benjamini–Yekutieli (stats/multiple-testing.ts);
 * flagged when q ≤ fdr. The same computation as alert rules with `multiplicity` (src/alerts/conditions/fdr.ts).
 * O(groups log groups).
 */
function testLimit(groups: QualityReport["groups"], limit: number, query: QualityQuery) {
  const fdr = query.fdr ?? QUALITY_DEFAULT_FDR;
  const multiplicity = query.multiplicity ?? "bh";
  const p = Float64Array.from(groups, (g) => binomialUpperTail(g.errors, g.audited, limit));
  const q = adjustPValues(p, multiplicity);
  let flagged = 0;
  groups.forEach((group, i) => {
    group.p = p[i];
    group.q = q[i];
    group.flagged = q[i] <= fdr;
    if (group.flagged) flagged++;
  });
  return { limit, fdr, multiplicity, flagged };
}

/**
 * The groups of a quality report as an export table (CSV or XLSX): the group fields, then the counts and interval,
 * the weighted index with its interval when the report has weights, and p, q, flagged when it has a limit.
 */
export function qualityTable(report: QualityReport, groupBy: readonly GroupField[]): Table {
  const weightedColumns = report.weights ? ["weightedIndex", "weightedLower", "weightedUpper"] : [];
  const testColumns = report.limit !== undefined ? ["p", "q", "flagged"] : [];
  return {
    columns: [...groupBy, "audited", "errors", "rate", "lower", "upper", ...weightedColumns, ...testColumns],
    rows: report.groups.map((g) => [
      ...groupBy.map((f) => g.key[f]),
      g.audited,
      g.errors,
      g.rate,
      g.lower,
      g.upper,
      ...(report.weights ? [g.weighted?.index, g.weighted?.lower, g.weighted?.upper] : []),
      ...(report.limit !== undefined ? [g.p, g.q, g.flagged] : []),
    ]),
  };
}
