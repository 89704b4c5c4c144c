/**
 * Statistical process control for the HTTP layer: one function per route, each validating its input
 * fully and throwing StatsInputError(message, field) on bad input.
 * - chart(input)  → POST /v1/chart
 * - funnel(input) → POST /v1/funnel
 * - compare(input) → POST /v1/compare
 */
export {
  type BernoulliCusumDesign,
  type BernoulliCusumOptions,
  bernoulliCusumArl,
  bernoulliCusumDesign,
  bernoulliCusumPath,
  oddsRatioToP1,
} from "./bernoulli-cusum.ts";
export { chart } from "./chart.ts";
export type {
  BernoulliChartDesign,
  BernoulliChartOptions,
  ChartInput,
  ChartOverdispersion,
  ChartPhaseSummary,
  ChartPointInput,
  ChartPointResult,
  ChartResult,
  ChartSignal,
  ChartType,
  CusumOptions,
  EwmaOptions,
  TimeWeightedBase,
} from "./chart-types.ts";
export {
  CHART_TYPES,
  PROPORTION_CHART_TYPES,
  SHEWHART_CHART_TYPES,
  TIME_WEIGHTED_BASES,
} from "./chart-types.ts";
export { type CompareInput, type CompareResult, compare } from "./compare.ts";
export {
  type FunnelBand,
  type FunnelCurve,
  type FunnelInput,
  type FunnelLimit,
  type FunnelOverdispersion,
  type FunnelResult,
  type FunnelUnitInput,
  type FunnelUnitResult,
  funnel,
} from "./funnel.ts";
export {
  BERNOULLI_CUSUM_RULES,
  CUSUM_RULES,
  EWMA_RULES,
  NELSON_RULES,
  type RuleId,
  type RulePreset,
  WESTERN_ELECTRIC_RULES,
} from "./run-rules.ts";
