import { betaQuantile } from "./beta-quantile.ts";
import { assertConfidence } from "./critical.ts";
import { StatsInputError } from "./errors.ts";

export interface BetaPosterior {
  /** α + e */
  alpha: number;
  /** β + n − e */
  beta: number;
  /** (α + e)/(α + β + n): the shrunken rate. */
  mean: number;
  lower: number;
  upper: number;
  confidence: number;
}

/**
 * Posterior of a binomial rate under a Beta(α, β) prior (conjugate update): Beta(α + e, β + n − e), with its mean
 * (α + e)/(α + β + n) — the empirical-Bayes "shrunken" rate when the prior was fitted to all groups
 * (fitBetaBinomialPrior), a weighted average of the raw rate e/n (weight n/(α + β + n)) and the prior mean
 * α/(α + β) — and the equal-tailed credible interval: the (1 − confidence)/2 quantiles of each tail
 * (betaQuantile, each from its own tail).
 *
 * The equal-tailed interval of a very skewed posterior (α + e below ~0.03, i.e. no errors under a prior that puts
 * almost all its mass at 0) can lie entirely below its mean; the bounds are then widened to the mean, so that every
 * interval of this API contains its estimate (as in jeffreysInterval). n = 0 gives the prior itself.
 *
 * Reference: Gelman A et al. (2013) "Bayesian Data Analysis", 3rd ed., ch. 2 (the binomial model with a beta prior);
 * Robinson D (2017) "Introduction to Empirical Bayes: Examples from Baseball Statistics" (shrunken estimates and
 * credible intervals). Complexity O(1) (two beta quantiles, ~10 µs).
 *
 * @param errors e, an integer in [0, n]
 * @param n audits, an integer ≥ 0 (at most 2⁵³ − 1)
 * @param prior α, β > 0 (finite)
 * @param confidence in (0, 1), default 0.95
 * @throws {StatsInputError} "n", "errors", "prior.alpha", "prior.beta", "confidence"
 * @example
 * betaBinomialPosterior(2, 20, { alpha: 3, beta: 57 })
 * // => { alpha: 5, beta: 75, mean: 0.0625, lower: 0.0208679…, upper: 0.1245947…, confidence: 0.95 } (scipy
 * //    beta.ppf/isf: 0.020867946146561834, 0.12459479801361645)
 */
export function betaBinomialPosterior(
  errors: number,
  n: number,
  prior: { alpha: number; beta: number },
  confidence = 0.95,
): BetaPosterior {
  if (!Number.isSafeInteger(n) || n < 0) throw new StatsInputError("n must be an integer ≥ 0", "n");
  if (!Number.isSafeInteger(errors) || errors < 0 || errors > n) {
    throw new StatsInputError(`errors must be an integer from 0 to n (${n})`, "errors");
  }
  for (const field of ["alpha", "beta"] as const) {
    const value = prior?.[field];
    if (!(Number.isFinite(value) && value > 0)) {
      throw new StatsInputError(`${field} must be a finite number > 0`, `prior.${field}`);
    }
  }
  assertConfidence(confidence);
  const alpha = prior.alpha + errors;
  const beta = prior.beta + (n - errors);
  const mean = alpha / (alpha + beta);
  const tail = (1 - confidence) / 2;
  const lower = betaQuantile(tail, alpha, beta, "lower").x;
  const upper = betaQuantile(tail, alpha, beta, "upper").x;
  return {
    alpha,
    beta,
    mean,
    lower: Math.min(lower, upper, mean),
    upper: Math.max(upper, lower, mean),
    confidence,
  };
}
