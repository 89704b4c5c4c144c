import type { RuleId, RulePreset } from "./run-rules.ts";

/*
 * The constant lists below are the single source of the chart types and bases for the statistics, the routes,
 * the alert rules and the dashboard. This file has no runtime import, so the dashboard (web/) bundles only
 * these arrays.
 */

/** Shewhart charts (Laney's p′ and u′ included): limits at centre ± k·σ, read by the zone and run rules. */
export const SHEWHART_CHART_TYPES = ["p", "np", "c", "u", "laney-p", "laney-u"] as const;

/**
 * Chart types of `POST /v1/chart` and `GET /v1/charts`: the Shewhart charts, then EWMA and CUSUM, then the
 * Bernoulli CUSUM of item-by-item results (Reynolds & Stoumbos 1999; stats/spc/bernoulli-cusum.ts).
 */
export const CHART_TYPES = [...SHEWHART_CHART_TYPES, "ewma", "cusum", "bernoulli-cusum"] as const;
export type ChartType = (typeof CHART_TYPES)[number];

/**
 * The chart types for a proportion (errors out of audited items) whose subgroup sizes vary: p, Laney p′,
 * EWMA and CUSUM on base p (np needs equal sizes; c and u chart counts), and the Bernoulli CUSUM. The alert
 * rules' chart conditions.
 */
export const PROPORTION_CHART_TYPES = [
  "p",
  "laney-p",
  "ewma",
  "cusum",
  "bernoulli-cusum",
] as const satisfies readonly ChartType[];

/**
 * What the EWMA and CUSUM charts are built on: the proportions (count/n) of a p chart, the rates
 * (count/n) of a u chart, the counts of a c chart, or individual measurements (the point's `count` is the
 * measurement, any finite number; `n` is ignored).
 */
export const TIME_WEIGHTED_BASES = ["p", "u", "c", "individual"] as const;
export type TimeWeightedBase = (typeof TIME_WEIGHTED_BASES)[number];

export interface ChartPointInput {
  count: number;
  n?: number;
  label?: string | null;
}

export interface EwmaOptions {
  /** Smoothing weight λ in (0, 1], default 0.2. */
  lambda?: number;
  /** Limit width in standard deviations of the EWMA statistic, default 3. */
  L?: number;
  /** Default "individual". */
  base?: TimeWeightedBase;
  /** Known in-control mean of individual measurements (default: `standard`, else the baseline mean). */
  mean?: number;
  /** Known standard deviation of individual measurements (default: baseline mean moving range / 1.128). */
  sd?: number;
}

export interface CusumOptions {
  /** Reference value in σ, default 0.5 (detects a 1σ shift fastest). */
  k?: number;
  /** Decision interval in σ, default 5. */
  h?: number;
  base?: TimeWeightedBase;
  mean?: number;
  sd?: number;
}

/**
 * The Bernoulli CUSUM's design (see bernoulliCusumDesign): p₀ (default `standard`, else the baseline's
 * Σcount/Σn), p₁ or the odds ratio (default 2), h or the target ARL₀ in items (default 10,000), and m (γ = 1/m).
 */
export interface BernoulliChartOptions {
  p0?: number;
  p1?: number;
  oddsRatio?: number;
  h?: number;
  targetArl0?: number;
  m?: number;
}

/** The design a Bernoulli CUSUM chart was drawn with (zero-state ARLs in items). */
export interface BernoulliChartDesign {
  variant: "reynolds-stoumbos-1/m";
  p0: number;
  p0Source: "option" | "standard" | "estimate";
  p1: number;
  oddsRatio: number;
  gammaExact: number;
  gamma: number;
  m: number;
  h: number;
  states: number;
  arl0: number;
  arl1: number;
  targetArl0?: number;
  /** "item" when every point is one item (n = 1), else "period" (see bernoulliCusumPath). */
  steps: "item" | "period";
}

export interface ChartInput {
  type: ChartType;
  points: ChartPointInput[];
  /** Inclusive index range used to estimate the centre and limits; default all points. */
  baseline?: { from: number; to: number };
  /** Indices left out of the estimate (assignable causes: revised limits). */
  exclude?: number[];
  /** Indices where a new phase starts; each phase gets its own centre and limits. */
  phases?: number[];
  /** Known centre, in the units of the plotted value of the chart (or of its base for EWMA/CUSUM). */
  standard?: number;
  /** Limit width of Shewhart charts in standard errors, default 3. */
  sigma?: number;
  rules?: RulePreset | string[];
  ewma?: EwmaOptions;
  cusum?: CusumOptions;
  bernoulli?: BernoulliChartOptions;
}

export interface ChartPointResult {
  index: number;
  /** The input label, or null when none was given. */
  label: string | null;
  /** 0-based phase number. */
  phase: number;
  /**
   * The plotted value: count/n (p, u, laney-p, laney-u), count (np, c), the EWMA statistic (ewma), or the
   * standardised observation z (cusum; null where z is undefined, see `z`), or the CUSUM B after the point
   * (bernoulli-cusum, compared with `ucl` = h; `center` and `lcl` are 0, `sigma` 1 and `z` null).
   */
  value: number | null;
  center: number;
  lcl: number;
  ucl: number;
  /** The point's standard error σᵢ in the units of `value` (Laney: σ_z·σᵢ; cusum: 1). */
  sigma: number;
  /** (value − center)/sigma; null when sigma = 0 (the point is then on the centre or beyond every limit). */
  z: number | null;
  signals: RuleId[];
  /** True when the point was used to estimate its phase's centre and limits. */
  inEstimate: boolean;
  /** EWMA and CUSUM: the raw observation (proportion, rate, count or measurement). */
  observed?: number;
  /** CUSUM: the centre of the base chart in the units of `observed`. */
  baseCenter?: number;
  /** CUSUM: the base standard error of `observed`. */
  baseSigma?: number;
  /** CUSUM: C⁺ and C⁻ after this point, in σ units (compare with h). */
  cusumUpper?: number;
  cusumLower?: number;
  /** Bernoulli CUSUM: items since the last restart (the start or the point after a signal), this one's included. */
  runLength?: number;
}

export interface ChartSignal {
  index: number;
  label: string | null;
  rule: RuleId;
}

export interface ChartOverdispersion {
  /** Σzᵢ²/df over the baseline; null when undefined (see note). */
  ratio: number | null;
  /** Upper-tail chi-square p-value of Σzᵢ² on df degrees of freedom; null when undefined. */
  p: number | null;
  statistic: number | null;
  df: number;
  note: string;
}

export interface ChartPhaseSummary {
  phase: number;
  from: number;
  to: number;
  /** Centre line in the units of the plotted value (cusum: of the base chart). */
  center: number;
  centerSource: "estimate" | "standard";
  /** Number of points the centre and limits were estimated from. */
  estimatedFrom: number;
  /** Laney charts: σ_z (null when undefined because σᵢ = 0). */
  sigmaZ?: number | null;
  /** Individual-measurement EWMA/CUSUM: the process standard deviation used. */
  processSd?: number;
  overdispersion?: ChartOverdispersion;
}

export interface ChartResult {
  type: ChartType;
  points: ChartPointResult[];
  /** Every (point, rule) pair that fired, ordered by index then rule. */
  signals: ChartSignal[];
  /** p, np, c, u, laney-p, laney-u: pooled over phases (statistics and df add up). */
  overdispersion?: ChartOverdispersion;
  phases: ChartPhaseSummary[];
  /** The limit multiplier used: `sigma` (Shewhart), L (ewma) or h (cusum). */
  sigmaMultiplier: number;
  rules: RuleId[];
  baseline: { from: number; to: number };
  exclude: number[];
  ewma?: { lambda: number; L: number; base: TimeWeightedBase };
  cusum?: { k: number; h: number; base: TimeWeightedBase };
  bernoulliCusum?: BernoulliChartDesign;
  /** Human-readable remarks: degenerate data, overdispersion advice, fallbacks taken. */
  notes: string[];
}
