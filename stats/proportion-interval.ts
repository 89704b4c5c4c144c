import { betaQuantile } from "./beta-quantile.ts";
import { assertConfidence, zCritical } from "./critical.ts";
import { StatsInputError } from "./errors.ts";
import { INTERVAL_METHODS, type IntervalMethod } from "./methods.ts";

/**
 * Two-sided confidence intervals for a binomial proportion x/n.
 *
 * Conventions (those of R `binom::binom.confint` and statsmodels `proportion_confint`):
 * - z = Φ⁻¹(1 − α/2) with α = 1 − confidence.
 * - `wald` and `agresti-coull` are returned as computed, NOT clipped to [0, 1]: e.g. 1/30 gives an
 *   Agresti–Coull lower limit of −0.0083 (as R binom prints it). Clip on display if you need to.
 * - `wilson`, `clopper-pearson` and `jeffreys` always lie in [0, 1]; at x = 0 their lower limit is exactly 0
 *   and at x = n their upper limit is exactly 1 (for Jeffreys this is the Brown, Cai & DasGupta (2001)
 *   boundary modification; for Clopper–Pearson the beta quantile with a zero shape is undefined).
 *
 * References: Wilson (1927) JASA 22, 209–212; Clopper & Pearson (1934) Biometrika 26, 404–413;
 * Agresti & Coull (1998) Am. Stat. 52, 119–126; Brown, Cai & DasGupta (2001) Stat. Sci. 16, 101–133.
 */
export { INTERVAL_METHODS, type IntervalMethod };

export interface Bounds {
  lower: number;
  upper: number;
}

export interface ProportionInterval extends Bounds {
  estimate: number;
  method: IntervalMethod;
  confidence: number;
}

/** Wald (normal approximation): p̂ ± z·√(p̂(1−p̂)/n). Not clipped; degenerate [0,0] / [1,1] at x = 0 / x = n. */
export function waldInterval(count: number, n: number, z: number): Bounds {
  const p = count / n;
  const half = z * Math.sqrt((p * (1 - p)) / n);
  return { lower: p - half, upper: p + half };
}

/**
 * Wilson score interval (no continuity correction):
 * (x + z²/2)/(n + z²) ± z/(n + z²)·√(x(n − x)/n + z²/4), clamped to [0, 1] against rounding
 * (exactly 0 at x = 0 and 1 at x = n).
 *
 * Takes a precomputed z and does no input validation, so it can sit in hot loops
 * (sample-size search, Newcombe's difference interval). O(1).
 *
 * @example
 * wilsonInterval(19, 38, 1.959963984540054) // => { lower: 0.3484992836439..., upper: 0.6515007163560... }
 */
export function wilsonInterval(count: number, n: number, z: number): Bounds {
  const z2 = z * z;
  const denominator = n + z2;
  const centre = (count + z2 / 2) / denominator;
  const half = (z / denominator) * Math.sqrt((count * (n - count)) / n + z2 / 4);
  return {
    lower: count <= 0 ? 0 : Math.max(0, centre - half),
    upper: count >= n ? 1 : Math.min(1, centre + half),
  };
}

/**
 * Agresti–Coull: ñ = n + z², p̃ = (x + z²/2)/ñ, p̃ ± z·√(p̃(1 − p̃)/ñ).
 * The R binom / statsmodels form (not the "add two successes and two failures" shortcut); NOT clipped.
 */
export function agrestiCoullInterval(count: number, n: number, z: number): Bounds {
  const z2 = z * z;
  const nTilde = n + z2;
  const pTilde = (count + z2 / 2) / nTilde;
  const half = z * Math.sqrt((pTilde * (1 - pTilde)) / nTilde);
  return { lower: pTilde - half, upper: pTilde + half };
}

/**
 * Clopper–Pearson "exact" interval from beta quantiles:
 * lower = B⁻¹(α/2; x, n − x + 1) (0 when x = 0), upper = B⁻¹(1 − α/2; x + 1, n − x) (1 when x = n), the
 * upper one solved from its upper tail α/2 (so α/2 down to 5e-17 is not lost in 1 − α/2) and each in
 * whichever of p and 1 − p is below ½ (betaQuantile), so bounds near 1 keep their distance to 1.
 *
 * For 0 < x < n the exact bounds satisfy lower < x/n < upper even as the confidence goes to 0: they then
 * approach the medians of Beta(x, n − x + 1) and Beta(x + 1, n − x), ≈ (x − ⅓)/(n + ⅓) and
 * (x + ⅔)/(n + ⅓) (Kerman J (2011) "A closed-form approximation for the median of the beta distribution",
 * arXiv:1111.0433), about 1/(3n) either side of x/n. Below n ≈ 10¹⁵ that gap is wider than the spacing of
 * doubles, so the final clamp of the bounds around x/n only ever corrects rounding at a tiny confidence
 * with n near 2^53; it is there so that no caller can see an interval that misses its estimate.
 *
 * Complexity O(1) in x and n (two beta quantiles, ~10 µs).
 */
export function clopperPearsonInterval(count: number, n: number, confidence: number): Bounds {
  const tail = (1 - confidence) / 2;
  const estimate = count / n;
  const lower = count <= 0 ? 0 : betaQuantile(tail, count, n - count + 1, "lower").x;
  const upper = count >= n ? 1 : betaQuantile(tail, count + 1, n - count, "upper").x;
  return { lower: Math.min(lower, estimate), upper: Math.max(upper, estimate) };
}

/**
 * Equal-tailed Jeffreys interval: quantiles α/2 and 1 − α/2 of Beta(x + ½, n − x + ½),
 * with lower = 0 at x = 0 and upper = 1 at x = n (Brown, Cai & DasGupta 2001, §4.1.2); both quantiles by
 * betaQuantile from their own tail (see clopperPearsonInterval).
 *
 * The equal-tailed posterior interval need not contain x/n: at x = 1 the median of Beta(1.5, n − 0.5) is above
 * 1/n, so below ~14 % confidence its lower quantile exceeds the estimate. Every interval of this API keeps
 * lower ≤ x/n ≤ upper, so the bounds are widened to the estimate there (a modification of the method that
 * only ever applies at such low confidence, or where rounding crosses bounds narrower than a few ulps).
 */
export function jeffreysInterval(count: number, n: number, confidence: number): Bounds {
  const tail = (1 - confidence) / 2;
  const a = count + 0.5;
  const b = n - count + 0.5;
  const estimate = count / n;
  const lower = count <= 0 ? 0 : betaQuantile(tail, a, b, "lower").x;
  const upper = count >= n ? 1 : betaQuantile(tail, a, b, "upper").x;
  return { lower: Math.min(lower, upper, estimate), upper: Math.max(upper, lower, estimate) };
}

/** Validates a (count, n) pair: n a (safe) integer ≥ 1, count an integer in [0, n]. */
export function assertBinomialCounts(count: number, n: number, countField = "count", nField = "n"): void {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new StatsInputError(`${nField} must be an integer ≥ 1 (at most 2^53 − 1)`, nField);
  }
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new StatsInputError(`${countField} must be a non-negative integer`, countField);
  }
  if (count > n) {
    throw new StatsInputError(`${countField} (${count}) cannot exceed ${nField} (${n})`, countField);
  }
}

/** Computes the interval of one method without validation. `z` must be zCritical(confidence). */
export function intervalBounds(
  method: IntervalMethod,
  count: number,
  n: number,
  confidence: number,
  z: number,
): Bounds {
  switch (method) {
    case "wald":
      return waldInterval(count, n, z);
    case "wilson":
      return wilsonInterval(count, n, z);
    case "agresti-coull":
      return agrestiCoullInterval(count, n, z);
    case "clopper-pearson":
      return clopperPearsonInterval(count, n, confidence);
    case "jeffreys":
      return jeffreysInterval(count, n, confidence);
  }
}

/**
 * Two-sided confidence interval for a binomial proportion.
 *
 * @param count number of "successes" (e.g. errors found), an integer in [0, n]
 * @param n sample size, an integer ≥ 1
 * @param options.confidence in (0, 1), default 0.95
 * @param options.method default "wilson"
 * Complexity: O(1) (two beta quantiles for Clopper–Pearson and Jeffreys, ~2 µs).
 * @throws {StatsInputError} field "count" (not a non-negative integer, or > n), "n" (not an integer ≥ 1),
 *   "confidence" (not in (0, 1)), "method" (unknown)
 * @example
 * proportionInterval(4, 20) // => { estimate: 0.2, lower: 0.0806576..., upper: 0.4160174..., method: "wilson", confidence: 0.95 }
 */
export function proportionInterval(
  count: number,
  n: number,
  options: { confidence?: number; method?: IntervalMethod } = {},
): ProportionInterval {
  const confidence = options.confidence ?? 0.95;
  const method = options.method ?? "wilson";
  assertBinomialCounts(count, n);
  assertConfidence(confidence);
  assertIntervalMethod(method);
  const z = zCritical(confidence);
  const { lower, upper } = intervalBounds(method, count, n, confidence, z);
  return { estimate: count / n, lower, upper, method, confidence };
}

export function assertIntervalMethod(method: unknown, field = "method"): asserts method is IntervalMethod {
  if (!INTERVAL_METHODS.includes(method as IntervalMethod)) {
    throw new StatsInputError(`${field} must be one of ${INTERVAL_METHODS.join(", ")}`, field);
  }
}
