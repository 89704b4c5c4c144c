/**
 * The method names of the proportion statistics: the single list for the statistics, the routes' schemas and
 * the dashboard's choices. A module without imports, so the dashboard (web/) bundles only these arrays and not
 * the statistics (proportion-interval.ts reaches jStat through critical.ts).
 */

/** Confidence intervals for a binomial proportion (see proportion-interval.ts). */
export const INTERVAL_METHODS = Object.freeze([
  "wald",
  "wilson",
  "clopper-pearson",
  "agresti-coull",
  "jeffreys",
] as const);
export type IntervalMethod = (typeof INTERVAL_METHODS)[number];

/** Sample sizes to estimate a proportion within a margin (see sample-size-estimate.ts). */
export const ESTIMATE_METHODS = Object.freeze(["wald", "wilson", "clopper-pearson"] as const);
export type EstimateMethod = (typeof ESTIMATE_METHODS)[number];
