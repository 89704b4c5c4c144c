import { type IntervalMethod, proportionInterval } from "../../stats/proportion-interval.ts";
import { type FilterQuery, toFilter } from "../audits/filters.ts";
import { CSV_BOM, csvLine } from "../csv.ts";
import { countByGroups, type GroupField } from "../db/audits.ts";
import type { Db } from "../db/database.ts";

export interface QualityQuery extends FilterQuery {
  groupBy: GroupField[];
  confidence: number;
  method: IntervalMethod;
}

export interface RateRow {
  audited: number;
  errors: number;
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

export interface QualityReport {
  groups: (RateRow & { key: Record<string, string | null> })[];
  overall: RateRow;
  confidence: number;
  method: IntervalMethod;
  timeZone: string;
}

function rateRow(audited: number, errors: number, confidence: number, method: IntervalMethod): RateRow {
  if (audited === 0) return { audited, errors, rate: null, lower: null, upper: null };
  const interval = proportionInterval(errors, audited, { confidence, method });
  return { audited, errors, rate: interval.estimate, lower: interval.lower, upper: interval.upper };
}

/** Error rates with confidence intervals, overall and per group of `groupBy`, over the audits in the filter. */
export async function qualityReport(db: Db, query: QualityQuery, timeZone: string): Promise<QualityReport> {
  const counts = await countByGroups(db, toFilter(query, timeZone), query.groupBy);
  let audited = 0;
  let errors = 0;
  for (const group of counts) {
    audited += group.audited;
    errors += group.errors;
  }
  const groups = (query.groupBy.length === 0 ? [] : counts).map((g) => ({
    key: g.key,
    ...rateRow(g.audited, g.errors, query.confidence, query.method),
  }));
  return {
    groups,
    overall: rateRow(audited, errors, query.confidence, query.method),
    confidence: query.confidence,
    method: query.method,
    timeZone,
  };
}

/** The groups of a quality report as CSV with a BOM (for Excel): the group fields, then the counts and interval. */
export function qualityCsv(report: QualityReport, groupBy: readonly GroupField[]): string {
  let out = CSV_BOM + csvLine([...groupBy, "audited", "errors", "rate", "lower", "upper"]);
  for (const g of report.groups) {
    out += csvLine([...groupBy.map((f) => g.key[f]), g.audited, g.errors, g.rate, g.lower, g.upper]);
  }
  return out;
}
