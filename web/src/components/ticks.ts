/** Axis ticks that read as distinct labels (no DOM: unit-tested in web/test/ticks.test.ts). */

import { rateDecimals } from "../i18n/rates.ts";

/**
 * Distinct integer ticks covering [low, high]: round steps of at least 1 (a narrow volume axis showed "1, 2, 2, 3,
 * 3" when fractional ticks were rounded for display).
 */
export function integerTicks(low: number, high: number, count = 6): number[] {
  const first = Math.ceil(low);
  const last = Math.floor(high);
  if (last < first) return [Math.round((low + high) / 2)];
  const raw = Math.max(1, (last - first) / count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(first / step) * step; v <= last; v += step) ticks.push(v);
  return ticks;
}

/** The fewest decimals (up to 4) that show percentage ticks `step` apart exactly (0.25 % steps need two). */
export function percentDigits(step: number): number {
  for (let digits = 0; digits < 4; digits++) {
    const scaled = step * 100 * 10 ** digits;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return digits;
  }
  return 4;
}

/**
 * The decimals of every rate on a funnel (its units, its target, the table of units outside): the rate rule
 * (`rateDecimals`) applied to its narrowest band, the innermost limits at the largest volume, so that a unit's
 * distance from the target shows as finely as the limits do. No curves: the rule's default.
 */
export function funnelDecimals(
  curves: readonly { points: readonly { lower: number; upper: number }[] }[],
): number {
  let narrowest: { lower: number; upper: number } | undefined;
  for (const point of curves.flatMap((curve) => curve.points)) {
    if (!narrowest || point.upper - point.lower < narrowest.upper - narrowest.lower) narrowest = point;
  }
  return rateDecimals(narrowest?.lower, narrowest?.upper);
}
