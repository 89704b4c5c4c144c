import { assertConfidence } from "./critical.ts";
import { StatsInputError } from "./errors.ts";
import { binomialLogPmf as binomialLogPmfPQ } from "./log-gamma.ts";
import { ceilTolerant } from "./sample-size-estimate.ts";
import { compensatedSum } from "./sum.ts";

/**
 * Sample size to DEMONSTRATE that an error rate is below a limit (acceptance sampling, "discovery"
 * sampling in audit): the smallest n such that, if the true rate were the limit, finding at most c errors
 * would happen with probability P(X ≤ c) ≤ 1 − confidence.
 *
 * - Without a population: X ~ Binomial(n, limit).
 * - With a population N: X ~ Hypergeometric(N, K, n) with K = ⌈limit·N⌉ errors in the population, the
 *   smallest count whose rate K/N is not below the limit (⌈·⌉ snaps float noise: 0.07·100 → K = 7).
 *
 * Monotonicity (why binary search is valid): P(X_n ≤ c) is non-increasing in n for both laws. Couple the
 * samples by drawing units one at a time (independently for the binomial, without replacement for the
 * hypergeometric): the count after n + 1 draws is the count after n draws plus 0 or 1, so
 * {X_{n+1} ≤ c} ⊆ {X_n ≤ c}. (The usual-stochastic-order coupling, Shaked & Shanthikumar (2007)
 * "Stochastic Orders", Thm 1.A.1.)
 *
 * The pmfs use Loader's saddle-point form (Loader 2000, "Fast and accurate computation of binomial
 * probabilities", as in R's dbinom/dhyper), accurate to a few ulps for any n, instead of differences of
 * log-gamma values that lose ~|lnΓ|·ε (≈ 3e-9 at N = 10⁶); the CDF is a compensated sum of the terms
 * that are not negligible (at most c + 1).
 */
export interface SampleSizeDemonstrateOptions {
  confidence?: number;
  maxRate: number;
  allowedErrors?: number;
  population?: number;
}

export interface SampleSizeDemonstration {
  n: number;
  confidence: number;
  maxRate: number;
  allowedErrors: number;
  population: number | null;
  distribution: "binomial" | "hypergeometric";
  /** P(X ≤ allowedErrors) at n when the true rate equals maxRate (≤ 1 − confidence). */
  achievedRisk: number;
}

/**
 * The cost bound of a request: a CDF sums only the terms of `summationWindow`, none once μ − 40√μ > c
 * (μ = E[X]), so at most min(c + 1, 100·√μ + 61) ≈ 34,000 terms at c = 100,000; the search evaluates at most
 * ~2·53 CDFs (galloping and bisection over safe integers, ~40 for a population N ≤ 10¹²). So c ≤ 100,000
 * bounds any request by ~3.5 million pmf terms (measured worst ≈ 0.15 s); this bound is why demonstrate needs
 * no cost estimate. Beyond it, answers would take seconds.
 */
export const MAX_ALLOWED_ERRORS = 100_000;

/** P(X ≤ c) is accepted as ≤ 1 − confidence within this relative slack (exact ties such as 0.5² = 0.25). */
const RISK_SLACK = 1e-12;

/**
 * @throws {StatsInputError} "confidence" (not in (0, 1)), "maxRate" (not in (0, 1]), "allowedErrors" (not an
 *   integer in [0, 100 000], or so large that no n ≤ N can demonstrate the limit, i.e. c ≥ K), "population"
 *   (not an integer ≥ 1)
 * @example
 * sampleSizeDemonstrate({ maxRate: 0.01 }).n // => 299  (0.99^299 = 0.0495 ≤ 0.05 < 0.99^298)
 */
export function sampleSizeDemonstrate(options: SampleSizeDemonstrateOptions): SampleSizeDemonstration {
  const confidence = options.confidence ?? 0.95;
  const maxRate = options.maxRate;
  const c = options.allowedErrors ?? 0;
  const population = options.population ?? null;

  assertConfidence(confidence);
  if (!(typeof maxRate === "number" && maxRate > 0 && maxRate <= 1)) {
    throw new StatsInputError("maxRate must be greater than 0 and at most 1", "maxRate");
  }
  if (!(Number.isInteger(c) && c >= 0 && c <= MAX_ALLOWED_ERRORS)) {
    throw new StatsInputError(
      `allowedErrors must be an integer from 0 to ${MAX_ALLOWED_ERRORS.toLocaleString("en-US")}`,
      "allowedErrors",
    );
  }
  if (population !== null && !(Number.isSafeInteger(population) && population >= 1)) {
    throw new StatsInputError("population must be an integer ≥ 1", "population");
  }
  const alpha = 1 - confidence;
  const threshold = alpha * (1 + RISK_SLACK);

  if (population === null) {
    const risk = (n: number) => binomialCdf(c, n, maxRate);
    // n ≤ c always has risk 1. Gallop to a feasible n (risk → 0 as n → ∞ since maxRate > 0), then bisect.
    let lo = c;
    let hi = Math.max(c + 1, Math.ceil(c / maxRate));
    while (risk(hi) > threshold) {
      lo = hi;
      hi *= 2;
      if (hi > Number.MAX_SAFE_INTEGER) {
        throw new StatsInputError("maxRate is too small to demonstrate with a representable n", "maxRate");
      }
    }
    const n = smallestPassing(lo, hi, (m) => risk(m) <= threshold);
    return {
      n,
      confidence,
      maxRate,
      allowedErrors: c,
      population,
      distribution: "binomial",
      achievedRisk: risk(n),
    };
  }

  const errors = Math.min(population, ceilTolerant(maxRate * population));
  if (c >= errors) {
    throw new StatsInputError(
      `with population ${population} and maxRate ${maxRate} the population holds K = ${errors} errors at the ` +
        `limit; allowing ${c} errors (≥ K) can never demonstrate it, even by reviewing every unit. ` +
        `allowedErrors must be below ${errors}`,
      "allowedErrors",
    );
  }
  const risk = (n: number) => hypergeometricCdf(c, population, errors, n);
  // risk(c) = 1 > α and risk(N) = 0 (the census finds all K > c errors).
  const n = smallestPassing(c, population, (m) => risk(m) <= threshold);
  return {
    n,
    confidence,
    maxRate,
    allowedErrors: c,
    population,
    distribution: "hypergeometric",
    achievedRisk: risk(n),
  };
}

/** Smallest m in (lo, hi] with passes(m), given passes(hi), not passes(lo) and passes monotone. */
function smallestPassing(lo: number, hi: number, passes: (m: number) => boolean): number {
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (passes(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

// ---------------------------------------------------------------------------------------------------------
// Accurate binomial and hypergeometric probabilities (Loader 2000; R nmath dbinom.c, dhyper.c), on the
// saddle-point binomial of stats/log-gamma.ts.

/** ln P(X = k), X ~ Binomial(n, p). */
export function binomialLogPmf(k: number, n: number, p: number): number {
  return binomialLogPmfPQ(k, n, p, 1 - p);
}

/**
 * ln P(X = k), X ~ Hypergeometric: k errors in a sample of n from N units of which K are errors.
 * dhyper = dbinom(k; K, n/N)·dbinom(n − k; N − K, n/N) / dbinom(n; N, n/N) (Loader 2000, §4).
 */
export function hypergeometricLogPmf(k: number, N: number, K: number, n: number): number {
  if (k < 0 || k > K || n - k > N - K || k > n) return Number.NEGATIVE_INFINITY;
  const p = n / N;
  const q = (N - n) / N;
  return binomialLogPmfPQ(k, K, p, q) + binomialLogPmfPQ(n - k, N - K, p, q) - binomialLogPmfPQ(n, N, p, q);
}

/**
 * The counts k whose probabilities matter for P(X ≤ c) when E[X] = mean: Chernoff's bounds
 * P(X ≤ μ − t) ≤ exp(−t²/(2μ)) and P(X ≥ μ + t) ≤ exp(−t²/(2μ + 2t/3)) make everything below
 * μ − 40√μ (< e^−800) and above μ + 60√μ + 60 (< e^−90 relative to a sum ≥ 1 − e^−90) negligible.
 * They hold for the hypergeometric too (Hoeffding 1963, Thm 4: its moment generating function is below the
 * binomial's). O(√μ) terms instead of O(c).
 */
function summationWindow(mean: number, first: number, c: number): [number, number] {
  const spread = Math.sqrt(mean);
  return [Math.max(first, Math.floor(mean - 40 * spread)), Math.min(c, Math.ceil(mean + 60 * spread + 60))];
}

function sumExp(from: number, to: number, logPmf: (k: number) => number): number {
  const terms: number[] = [];
  for (let k = from; k <= to; k++) terms.push(Math.exp(logPmf(k)));
  return Math.min(1, compensatedSum(terms));
}

/** P(X ≤ c), X ~ Binomial(n, p): compensated sum of the pmf terms that matter. O(min(c, √(np))). */
export function binomialCdf(c: number, n: number, p: number): number {
  if (c >= n) return 1;
  const [from, to] = summationWindow(n * p, 0, c);
  return sumExp(from, to, (k) => binomialLogPmf(k, n, p));
}

/** P(X ≤ c), X ~ Hypergeometric(N, K, n). O(min(c, √(nK/N))). */
export function hypergeometricCdf(c: number, N: number, K: number, n: number): number {
  if (c >= Math.min(K, n)) return 1;
  const [from, to] = summationWindow((n * K) / N, Math.max(0, n - (N - K)), c);
  return sumExp(from, to, (k) => hypergeometricLogPmf(k, N, K, n));
}
