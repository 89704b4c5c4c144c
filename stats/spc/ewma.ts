/**
 * Exponentially weighted moving average (Roberts 1959; Montgomery ISQC §9.2) of one phase:
 * zₜ = λ·xₜ + (1 − λ)·zₜ₋₁ with z₀ = centre, and the exact variance for unequal standard errors σₜ,
 * Var(zₜ) = λ² Σᵢ₌₁ᵗ (1 − λ)^{2(t−i)} σᵢ², computed by the recursion Vₜ = (1 − λ)²·Vₜ₋₁ + λ²·σₜ²; with a
 * constant σ it equals σ²·λ/(2 − λ)·(1 − (1 − λ)^{2t}), the time-varying limits of Montgomery Example 9.2.
 *
 * Complexity O(m) time and memory.
 *
 * @param values the observations xₜ of the phase, in order
 * @param standardErrors σₜ of each observation
 * @param centre the in-control mean (also z₀)
 * @param lambda smoothing weight in (0, 1]
 * @returns the EWMA statistic and its standard deviation √Vₜ per point
 * @example
 * ewmaStatistics([9.45, 7.99], [1, 1], 10, 0.1)
 * // => { statistic: [9.945, 9.7495], standardError: [0.1, 0.13453624...] }
 */
export function ewmaStatistics(
  values: readonly number[],
  standardErrors: readonly number[],
  centre: number,
  lambda: number,
): { statistic: number[]; standardError: number[] } {
  const statistic: number[] = new Array(values.length);
  const standardError: number[] = new Array(values.length);
  const keep = 1 - lambda;
  let current = centre;
  let variance = 0;
  for (let t = 0; t < values.length; t++) {
    current = lambda * values[t] + keep * current;
    variance = keep * keep * variance + lambda * lambda * standardErrors[t] * standardErrors[t];
    statistic[t] = current;
    standardError[t] = Math.sqrt(variance);
  }
  return { statistic, standardError };
}
