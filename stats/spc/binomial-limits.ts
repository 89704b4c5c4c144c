import { incompleteBeta } from "../incomplete-beta.ts";
import { binomialLogPmf } from "../log-gamma.ts";
import { normalQuantile } from "../normal-quantile.ts";

/**
 * Binomial(n, θ) probabilities over the window of counts that carries all but a negligible tail: each
 * omitted term is below 1e-30 of the modal probability, so tail areas down to ~1e-25 are exact to
 * rounding.
 *
 * Built by the ratio recursion from the mode, pmf(k+1)/pmf(k) = (n−k)/(k+1)·θ/(1−θ), then normalised by
 * the (compensated) window total: no log-gamma is involved (jStat's gammaln carries ~1e-10 relative
 * error), and each probability is accurate to a few ulps times the distance from the mode.
 *
 * Complexity O(√(nθ(1−θ))) time and memory (about 24 standard deviations of counts).
 *
 * @param n number of trials, an integer ≥ 1
 * @param theta success probability in (0, 1)
 * @returns the first count of the window and the normalised probabilities from it
 * @example
 * binomialWindow(4, 0.5) // => { first: 0, pmf: Float64Array [0.0625, 0.25, 0.375, 0.25, 0.0625] }
 */
export function binomialWindow(n: number, theta: number): { first: number; pmf: Float64Array } {
  const odds = theta / (1 - theta);
  const mode = Math.min(n, Math.floor((n + 1) * theta));
  const below: number[] = [];
  let term = 1;
  for (let k = mode; k > 0; k--) {
    term *= k / (n - k + 1) / odds;
    if (term < NEGLIGIBLE_RELATIVE_TERM) break;
    below.push(term);
  }
  const above: number[] = [];
  term = 1;
  for (let k = mode; k < n; k++) {
    term *= ((n - k) / (k + 1)) * odds;
    if (term < NEGLIGIBLE_RELATIVE_TERM) break;
    above.push(term);
  }
  const pmf = new Float64Array(below.length + 1 + above.length);
  for (let j = 0; j < below.length; j++) pmf[below.length - 1 - j] = below[j];
  pmf[below.length] = 1;
  pmf.set(above, below.length + 1);
  let total = 0;
  let compensation = 0;
  for (const value of pmf) {
    const sum = total + value;
    compensation += total >= value ? total - sum + value : value - sum + total;
    total = sum;
  }
  total += compensation;
  for (let j = 0; j < pmf.length; j++) pmf[j] /= total;
  return { first: mode - below.length, pmf };
}

const NEGLIGIBLE_RELATIVE_TERM = 1e-30;

/**
 * Lower funnel limit from the exact binomial quantile with Spiegelhalter's interpolation (Spiegelhalter
 * 2005, "Funnel plots for comparing institutional performance", Stat Med 24:1185–1202, Appendix A.1.1):
 * r_p = the smallest r with P(X ≤ r) ≥ p, α = (P(X ≤ r_p) − p)/(P(X ≤ r_p) − P(X ≤ r_p − 1)),
 * limit = (r_p − α)/n, here clipped at 0 (the interpolation can go below 0 when r_p = 0).
 *
 * Complexity O(window) (see binomialWindow).
 *
 * @param window from binomialWindow(n, θ)
 * @param n number of trials
 * @param p lower-tail probability, (1 − coverage)/2, in (0, 0.5]
 * @example
 * lowerBinomialLimit(binomialWindow(100, 0.1), 100, 0.025) // => 0.0403805955243934
 */
export function lowerBinomialLimit(
  window: { first: number; pmf: Float64Array },
  n: number,
  p: number,
): number {
  const { first, pmf } = window;
  let cumulative = 0;
  for (let j = 0; j < pmf.length; j++) {
    cumulative += pmf[j];
    if (cumulative >= p) {
      const alpha = (cumulative - p) / pmf[j];
      return Math.max(0, (first + j - alpha) / n);
    }
  }
  return (first + pmf.length - 1) / n;
}

/**
 * Upper funnel limit, Spiegelhalter 2005 A.1.1 at p = 1 − q: r_p = the smallest r with P(X ≤ r) ≥ 1 − q,
 * found from the upper tail as the largest r with P(X ≥ r) > q, and α = (q − P(X ≥ r_p + 1))/P(X = r_p),
 * which is the paper's α without the cancellation of 1 − (1 − q). limit = (r_p − α)/n ≤ 1.
 *
 * Complexity O(window).
 *
 * @param q upper-tail probability, (1 − coverage)/2, in (0, 0.5]
 * @example
 * upperBinomialLimit(binomialWindow(100, 0.1), 100, 0.025) // => 0.15771861163912676
 */
export function upperBinomialLimit(
  window: { first: number; pmf: Float64Array },
  n: number,
  q: number,
): number {
  const { first, pmf } = window;
  let tail = 0;
  for (let j = pmf.length - 1; j >= 0; j--) {
    const tailAbove = tail;
    tail += pmf[j];
    if (tail > q) {
      const alpha = (q - tailAbove) / pmf[j];
      return Math.min(1, (first + j - alpha) / n);
    }
  }
  return first / n;
}

/**
 * Largest binomial variance nθ(1 − θ) at which funnel limits use binomialWindow (whose cost grows with
 * √(nθ(1 − θ)): ~750 terms here, ~40 µs); above it they come from binomialQuantileLimits, whose cost does
 * not depend on n (~5–10 µs for both limits). The two agree to ~1e-15 (test/stats/spc/funnel-extremes.test.ts).
 */
export const WINDOW_MAX_VARIANCE = 1000;

/**
 * Spiegelhalter's interpolated limits (as lowerBinomialLimit and upperBinomialLimit) for any n up to 2^53, in
 * time independent of n: the binomial tails are regularised incomplete beta functions,
 * P(X ≤ r) = 1 − I_θ(r + 1, n − r) and P(X ≥ r) = I_θ(r, n − r + 1) (Abramowitz & Stegun 26.5.24), each
 * computed directly by incompleteBeta (DiDonato & Morris 1992, accurate in both tails), and P(X = r) by
 * Loader's saddle-point formula. r_p is found by an integer search started at the Cornish–Fisher
 * approximation μ + σ(z + γ(z² − 1)/6) (γ = (1 − 2θ)/σ the skewness), which for large σ lands within a few
 * counts: gallop away from the start until the answer is bracketed, then bisect.
 *
 * Complexity O(log d) tail evaluations, d the distance from the start to r_p (typically 3–6 evaluations).
 *
 * @param n number of trials, an integer ≥ 1
 * @param theta success probability in (0, 1)
 * @param p lower-tail probability (1 − coverage)/2, in (0, ½]; the upper limit uses the same value as its
 *   upper-tail probability
 * @returns the lower and upper limit (lower clipped at 0, upper at most 1)
 * @example
 * binomialQuantileLimits(100, 0.1, 0.025) // => { lower: 0.040380595524393444, upper: 0.1577186116391268 }
 */
export function binomialQuantileLimits(
  n: number,
  theta: number,
  p: number,
): { lower: number; upper: number } {
  const q = 1 - theta;
  const mean = n * theta;
  const sd = Math.sqrt(mean * q);
  const skew = (q - theta) / sd;
  const cornishFisher = (z: number) => mean + sd * (z + (skew * (z * z - 1)) / 6);
  const pmf = (r: number) => Math.exp(binomialLogPmf(r, n, theta, q));

  // Lower: r_p = the smallest r with P(X ≤ r) ≥ p; α = (P(X ≤ r_p) − p)/P(X = r_p).
  const atMost = memo((r) => (r < 0 ? 0 : r >= n ? 1 : incompleteBeta(r + 1, n - r, theta).upper));
  const zLower = normalQuantile(p);
  const rLower = smallestInteger(n, Math.round(cornishFisher(zLower) - 0.5), (r) => atMost(r) >= p);
  const alphaLower = (atMost(rLower) - p) / pmf(rLower);
  const lower = Math.max(0, (rLower - alphaLower) / n);

  // Upper: r_p = the largest r with P(X ≥ r) > p; α = (p − P(X ≥ r_p + 1))/P(X = r_p).
  const atLeast = memo((r) => (r <= 0 ? 1 : r > n ? 0 : incompleteBeta(r, n - r + 1, theta).lower));
  const rUpper = smallestInteger(n + 1, Math.round(cornishFisher(-zLower) + 0.5), (r) => atLeast(r) <= p) - 1;
  const alphaUpper = (p - atLeast(rUpper + 1)) / pmf(rUpper);
  const upper = Math.min(1, (rUpper - alphaUpper) / n);
  return { lower, upper };
}

/** f with its values kept (the search evaluates r_p's tail, which the interpolation needs again). */
function memo(f: (r: number) => number): (r: number) => number {
  const values = new Map<number, number>();
  return (r) => {
    let value = values.get(r);
    if (value === undefined) {
      value = f(r);
      values.set(r, value);
    }
    return value;
  };
}

/**
 * The smallest integer r in [0, limit] with holds(r), for holds monotone (false then true) and
 * holds(limit) true, searched from `start`: doubling steps until the answer is bracketed, then bisection.
 */
function smallestInteger(limit: number, start: number, holds: (r: number) => boolean): number {
  const r = Math.min(limit, Math.max(0, start));
  let below: number; // holds(below) is false (or below = −1)
  let above: number; // holds(above) is true
  if (holds(r)) {
    above = r;
    let step = 1;
    below = r - step;
    while (below >= 0 && holds(below)) {
      above = below;
      step *= 2;
      below = Math.max(-1, above - step);
    }
    if (below < 0) below = -1;
  } else {
    below = r;
    let step = 1;
    above = Math.min(limit, r + step);
    while (above < limit && !holds(above)) {
      below = above;
      step *= 2;
      above = Math.min(limit, below + step);
    }
  }
  while (above - below > 1) {
    const middle = below + Math.floor((above - below) / 2);
    if (holds(middle)) above = middle;
    else below = middle;
  }
  return above;
}
