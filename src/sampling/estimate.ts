import { type StratifiedEstimate, stratifiedEstimate } from "../../stats/stratified-estimate.ts";
import { ERROR_TYPES, type ErrorType } from "../audits/validate.ts";
import type { Db } from "../db/database.ts";
import { latestAuditsOfItems, type Sample } from "../db/samples.ts";
import { skippedPerStratum } from "../db/work.ts";

export interface SampleEstimate {
  sample: string;
  population: string;
  confidence: number;
  drawn: number;
  /** Skipped items (without an audit naming the sample), left out of the estimate: in all and per stratum key. */
  skipped: number;
  skippedByStratum: Map<string, number>;
  overall: StratifiedEstimate;
  byErrorType: { errorType: ErrorType; estimate: StratifiedEstimate }[];
}

/**
 * The population error rate from the audited items of a sample (stratified estimator, see
 * `stats/stratified-estimate.ts`): each drawn item counts by the latest audit of its decision (by auditedAt,
 * then by arrival), whatever the audit's sampleId; items without an audit are not counted, nor skipped items
 * (counted in `skipped`). The same estimate is made for each error type (errors of that type only).
 */
export async function estimateSample(db: Db, sample: Sample, confidence: number): Promise<SampleEstimate> {
  const audited = new Map<string, number>();
  const errors = new Map<string, number>();
  const byType = new Map<ErrorType, Map<string, number>>(ERROR_TYPES.map((t) => [t, new Map()]));
  for (const row of await latestAuditsOfItems(db, sample.id)) {
    audited.set(row.stratum, (audited.get(row.stratum) ?? 0) + 1);
    if (row.outcome === "incorrect") {
      errors.set(row.stratum, (errors.get(row.stratum) ?? 0) + 1);
      const typed = byType.get(row.errorType as ErrorType);
      if (typed) typed.set(row.stratum, (typed.get(row.stratum) ?? 0) + 1);
    }
  }
  const skippedByStratum = await skippedPerStratum(db, sample.id);
  const strataWith = (counts: Map<string, number>) =>
    sample.strata.map((s) => ({
      key: s.key,
      size: s.size,
      audited: audited.get(s.key) ?? 0,
      errors: counts.get(s.key) ?? 0,
    }));
  return {
    sample: sample.id,
    population: sample.population,
    confidence,
    drawn: sample.n,
    skipped: [...skippedByStratum.values()].reduce((a, b) => a + b, 0),
    skippedByStratum,
    overall: stratifiedEstimate({ strata: strataWith(errors), confidence }),
    byErrorType: ERROR_TYPES.map((errorType) => ({
      errorType,
      estimate: stratifiedEstimate({ strata: strataWith(byType.get(errorType)!), confidence }),
    })),
  };
}
