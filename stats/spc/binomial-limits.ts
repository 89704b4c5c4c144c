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
