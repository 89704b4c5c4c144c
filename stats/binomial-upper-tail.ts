import { StatsInputError } from "./errors.ts";
import { incompleteBeta } from "./incomplete-beta.ts";

/**
 * Exact one-sided binomial p-value for "the rate exceeds p": P(X ≥ e) for X ~ Binomial(n, p), with relative
 * (not absolute) precision in the far tail.
 *
 * Formula: P(X ≥ e) = I_p(e, n − e + 1) for 1 ≤ e ≤ n (Abramowitz & Stegun 26.5.24), the regularised
 * incomplete beta computed by DiDonato & Morris' Algorithm 708 (stats/incomplete-beta.ts), which returns the
 * smaller tail directly, so 1e-300 stays 1e-300 (jStat's binomial cdf forms 1 − cdf and loses everything
 * below ~1e-16). Edge cases: e ≤ 0 → 1; e > n → 0; p = 0 → 0 (e ≥ 1); p = 1 → 1 (e ≤ n).
 *
 * Complexity O(1) in n (the incomplete beta's work does not grow with its parameters).
 *
 * @param e observed count (an integer ≥ 0)
 * @param n number of trials (an integer ≥ 0, at most 2^53)
 * @param p the success probability under the null hypothesis, in [0, 1]
 * @throws {StatsInputError} `e`, `n` or `p` when out of range or not integers
 * @example
 * binomialUpperTail(10, 100, 0.09) // => 0.412494079415636 (P(X ≥ 10), X ~ Bin(100, 0.09))
 * binomialUpperTail(0, 100, 0.09) // => 1
 */
export function binomialUpperTail(e: number, n: number, p: number): number {
  if (!(Number.isSafeInteger(n) && n >= 0)) throw new StatsInputError("n must be an integer ≥ 0", "n");
  if (!(Number.isSafeInteger(e) && e >= 0)) throw new StatsInputError("e must be an integer ≥ 0", "e");
  if (e > n) throw new StatsInputError("e must be at most n", "e");
  if (!(p >= 0 && p <= 1)) throw new StatsInputError("p must be between 0 and 1", "p");
  if (e === 0 || p === 1) return 1;
  if (p === 0) return 0;
  return incompleteBeta(e, n - e + 1, p).lower;
}
