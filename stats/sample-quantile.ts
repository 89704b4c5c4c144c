import { StatsInputError } from "./errors.ts";

/**
 * Sample quantile by linear interpolation between order statistics: Hyndman & Fan's definition 7, the default
 * of R's `quantile()`, NumPy's `quantile(method="linear")` and spreadsheets' `PERCENTILE.INC`.
 *
 * With the values sorted x₍₁₎ ≤ … ≤ x₍ₙ₎, h = (n − 1)·p + 1, and j = ⌊h⌋:
 *   Q(p) = x₍ⱼ₎ + (h − j)·(x₍ⱼ₊₁₎ − x₍ⱼ₎)   (Q(1) = x₍ₙ₎),
 * so Q(0) is the minimum, Q(1) the maximum and Q(0.5) the usual median (the mean of the two middle values when n
 * is even). Every returned value lies between two observed values.
 *
 * Reference: R. J. Hyndman and Y. Fan (1996), "Sample quantiles in statistical packages", The American
 * Statistician 50(4), 361–365, definition 7.
 *
 * Complexity: O(n log n) (one sort of a copy; the input is not changed).
 *
 * @throws StatsInputError (field `values`) when there are no values or one is not finite; (field `p`) when p is
 *   not in [0, 1].
 * @example
 * sampleQuantile([1, 2, 3, 4], 0.5) // => 2.5
 * sampleQuantile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9) // => 91
 */
export function sampleQuantile(values: readonly number[], p: number): number {
  return sampleQuantiles(values, [p])[0];
}

/**
 * `sampleQuantile` at several probabilities with one sort.
 *
 * @throws StatsInputError as `sampleQuantile` (field `p.<i>` for the i-th probability).
 * @example
 * sampleQuantiles([3, 1, 2], [0, 0.5, 1]) // => [1, 2, 3]
 */
export function sampleQuantiles(values: readonly number[], ps: readonly number[]): number[] {
  if (values.length === 0) throw new StatsInputError("a quantile needs at least one value", "values");
  values.forEach((value, i) => {
    if (!Number.isFinite(value)) throw new StatsInputError("values must be finite numbers", `values.${i}`);
  });
  ps.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) {
      throw new StatsInputError("a probability must be in [0, 1]", ps.length === 1 ? "p" : `p.${i}`);
    }
  });
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  return ps.map((p) => {
    const h = (n - 1) * p;
    const j = Math.floor(h);
    if (j >= n - 1) return sorted[n - 1];
    const fraction = h - j;
    if (fraction === 0) return sorted[j];
    const low = sorted[j];
    const high = sorted[j + 1];
    // x₍ⱼ₎ + f·(x₍ⱼ₊₁₎ − x₍ⱼ₎) is monotone in f under rounding (a weighted mean (1 − f)·a + f·b is not, and can
    // fall just outside [a, b]); equal neighbours give exactly their value, an order statistic itself (−0 too). The weighted mean only where the
    // difference overflows (neighbours near ±1.8e308); the clamp keeps rounding inside the neighbours.
    const span = high - low;
    const value = Number.isFinite(span) ? low + fraction * span : low * (1 - fraction) + high * fraction;
    return Math.min(Math.max(value, low), high);
  });
}
