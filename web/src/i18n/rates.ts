/**
 * The rule for rates side by side, without imports (Node tests and the pages share it; index.ts re-exports it).
 */

/** The most decimals a rate is shown with (in percent: 0.001 %). */
export const MAX_RATE_DECIMALS = 3;
/** The decimals of a rate shown without an interval, or with an empty one. */
export const DEFAULT_RATE_DECIMALS = 1;

/**
 * The one rule for rates with an interval: the decimals (of the percentage) that show the interval's width with
 * two significant digits, between 0 and MAX_RATE_DECIMALS; the rate and both bounds then use the same decimals,
 * so `4.16% ~ 4.60%` (width 0.44 points: 2 decimals), `3% ~ 18%` (width 15 points: 0 decimals).
 */
export function rateDecimals(lower: number | null | undefined, upper: number | null | undefined): number {
  if (lower === null || lower === undefined || upper === null || upper === undefined)
    return DEFAULT_RATE_DECIMALS;
  const width = Math.abs(upper - lower) * 100;
  if (!Number.isFinite(width) || width === 0) return DEFAULT_RATE_DECIMALS;
  const decimals = 1 - Math.floor(Math.log10(width));
  return Math.min(MAX_RATE_DECIMALS, Math.max(0, decimals));
}
