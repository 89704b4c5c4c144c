import { assertConfidence, zCritical } from "./critical.ts";
import { StatsInputError } from "./errors.ts";
import { type Bounds, clopperPearsonInterval, wilsonInterval } from "./proportion-interval.ts";

/**
 * Sample size to ESTIMATE an error rate to within ±margin.
 *
 * - `wald` (default): Cochran (1977, §4.2) n₀ = z²·p(1 − p)/e²; with a population N the finite-population
 *   correction n = n₀ / (1 + (n₀ − 1)/N) (Cochran eq. 4.3, the form Krejcie & Morgan 1970 tabulate);
 *   n is rounded UP, never below 1 and never above N.
 * - `wilson`, `clopper-pearson`: the smallest n whose interval at x = ⌊n·p + ½⌋ has half-width
 *   (upper − lower)/2 ≤ e. These intervals are for binomial (with-replacement / infinite-population)
 *   sampling, so a `population` is rejected for them (StatsInputError on "population") rather than silently
 *   ignored or mixed with a finite-population correction that was not derived for them.
 */
export type EstimateMethod = "wald" | "wilson" | "clopper-pearson";
export const ESTIMATE_METHODS: readonly EstimateMethod[] = Object.freeze([
  "wald",
  "wilson",
  "clopper-pearson",
]);

export interface SampleSizeEstimateOptions {
  confidence?: number;
  margin: number;
  expectedRate?: number;
  method?: EstimateMethod;
  population?: number;
}

export interface SampleSizeEstimate {
  n: number;
  /** wald: Cochran n₀ before the finite-population correction, unrounded; exact methods: the n found. */
  n0: number;
  method: EstimateMethod;
  confidence: number;
  margin: number;
  expectedRate: number;
  population: number | null;
  z: number;
  /** Present when the answer needs a caveat (expectedRate 0 or 1 with wald). */
  note?: string;
}

/** Relative tolerance under which a computed value is taken to be the integer it is next to. */
const INTEGER_SNAP = 1e-9;

/**
 * ⌈x⌉, except that x within a relative 1e-9 of an integer is that integer, so that floating-point noise on a
 * value that is mathematically an integer (0.07·100 = 7.000000000000001) does not push it to the next one.
 */
export function ceilTolerant(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) <= INTEGER_SNAP * Math.max(1, Math.abs(x)) ? r : Math.ceil(x);
}

/** ⌊x⌋ with the same snapping as {@link ceilTolerant} (6.999999999999999 → 7). Non-decreasing in x. */
export function floorTolerant(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) <= INTEGER_SNAP * Math.max(1, Math.abs(x)) ? r : Math.floor(x);
}

/**
 * Cochran's sample size, unrounded: n₀ = z²·p(1 − p)/e², and with a population N,
 * n₀ / (1 + (n₀ − 1)/N) computed as N / (1 + (N − 1)/n₀). No validation: callers check inputs.
 *
 * This is the lower-level form used to reproduce published tables with their own conventions, e.g.
 * Krejcie & Morgan (1970): `Math.round(cochranSampleSize(Math.sqrt(3.841), 0.05, 0.5, N))`
 * (χ²₁ = 3.841 instead of z², rounding to nearest instead of up).
 */
export function cochranSampleSize(
  z: number,
  margin: number,
  expectedRate: number,
  population?: number,
): number {
  const n0 = (z * z * expectedRate * (1 - expectedRate)) / (margin * margin);
  // n₀ = 0 (p ∈ {0, 1}) stays 0, also at N = 1 where the formula is 0/0; n₀ = ∞ (margin → 0) gives N.
  if (population === undefined || n0 === 0) return n0;
  return population / (1 + (population - 1) / n0);
}

/**
 * Sample size to estimate a rate within ±margin. See the module comment for the methods.
 *
 * expectedRate 0 or 1 with `wald`: n₀ = 0 because Wald's variance p(1 − p) vanishes, which says nothing
 * about the real precision. We return n = 1 (the least sample that yields an estimate at all) with a `note`
 * recommending a conservative expectedRate or an exact method, rather than 0, which a QA lead would read as
 * "no review needed".
 *
 * Cost: wald O(1); exact methods O(log n + k) interval evaluations where k is the width of the zone where
 * the half-width oscillates around the margin (see {@link smallestExactSampleSize}).
 *
 * @throws {StatsInputError} on "margin" (not in (0, 1), or too small for an exact search), "confidence",
 *   "expectedRate" (not in [0, 1]), "method", "population" (not an integer ≥ 1, or given with an exact method)
 * @example
 * sampleSizeEstimate({ margin: 0.05 }).n // => 385 (n₀ = 384.146)
 * sampleSizeEstimate({ margin: 0.05, population: 9000 }).n // => 369
 */
export function sampleSizeEstimate(options: SampleSizeEstimateOptions): SampleSizeEstimate {
  const confidence = options.confidence ?? 0.95;
  const margin = options.margin;
  const expectedRate = options.expectedRate ?? 0.5;
  const method = options.method ?? "wald";
  const population = options.population ?? null;

  assertConfidence(confidence);
  if (!(typeof margin === "number" && margin > 0 && margin < 1)) {
    throw new StatsInputError("margin must be strictly between 0 and 1", "margin");
  }
  if (!(typeof expectedRate === "number" && expectedRate >= 0 && expectedRate <= 1)) {
    throw new StatsInputError("expectedRate must be between 0 and 1", "expectedRate");
  }
  if (!ESTIMATE_METHODS.includes(method)) {
    throw new StatsInputError(`method must be one of ${ESTIMATE_METHODS.join(", ")}`, "method");
  }
  if (population !== null && !(Number.isSafeInteger(population) && population >= 1)) {
    throw new StatsInputError("population must be an integer ≥ 1", "population");
  }

  const z = zCritical(confidence);
  const common = { method, confidence, margin, expectedRate, population, z };

  if (method === "wald") {
    const n0 = cochranSampleSize(z, margin, expectedRate);
    const corrected = population === null ? n0 : cochranSampleSize(z, margin, expectedRate, population);
    let n = Math.max(1, ceilTolerant(corrected));
    if (population !== null) n = Math.min(n, population);
    else if (!(n <= Number.MAX_SAFE_INTEGER)) {
      throw new StatsInputError(
        `margin ${margin} is too small: n₀ = ${n0} is not a countable sample`,
        "margin",
      );
    }
    if (n0 === 0) {
      return {
        n,
        n0,
        ...common,
        note:
          "expectedRate is 0 or 1, where the Wald variance p(1−p) is zero, so Cochran's n₀ is 0. n = 1 is " +
          "returned as the least sample that gives an estimate; it guarantees no precision. Use a conservative " +
          "expectedRate (0.5, or an upper guess of the rate) or method 'wilson' / 'clopper-pearson'.",
      };
    }
    return { n, n0, ...common };
  }

  if (population !== null) {
    throw new StatsInputError(
      `method '${method}' sizes a binomial (infinite-population) interval and takes no population; ` +
        "use method 'wald' for the finite-population correction, or omit population",
      "population",
    );
  }
  const bounds =
    method === "wilson"
      ? (x: number, n: number) => wilsonInterval(x, n, z)
      : (x: number, n: number) => clopperPearsonInterval(x, n, confidence);
  const n = smallestExactSampleSize(bounds, expectedRate, margin);
  return { n, n0: n, ...common };
}

/** Evaluation budget of the exact search; beyond it the margin is rejected as too small. */
const MAX_EVALUATIONS = 2_000_000;

/**
 * The smallest n ≥ 1 with half-width h(n) = (U(x(n), n) − L(x(n), n))/2 ≤ margin, x(n) = ⌊n·p + ½⌋.
 *
 * h is not monotone in n (x jumps by one as n grows), so the answer is found by a galloping scan that
 * proves whole blocks of n infeasible instead of evaluating each n:
 *
 * Lemma (monotonicity). For Wilson and Clopper–Pearson, U(x, n) and L(x, n) are non-decreasing in x and
 * non-increasing in n.
 * - Clopper–Pearson: U = B⁻¹(1 − α/2; x + 1, n − x), L = B⁻¹(α/2; x, n − x + 1). The Beta(a, b) family has
 *   a monotone likelihood ratio in a (density ∝ t^(a−1)) and, reversed, in b, hence is stochastically
 *   increasing in a and decreasing in b, and so are its quantiles. Raising x raises a and lowers b; raising
 *   n raises b. (L = 0 at x = 0 and U = 1 at x = n keep the order.)
 * - Wilson: U and L are the roots in p of g(p) = (x − np)/√(np(1 − p)) = ∓z. ∂g/∂p =
 *   −n(p(1 − p̂) + p̂(1 − p))/(2(np(1−p))^{3/2}) < 0, ∂g/∂n = −(np + x)/(2n√(np(1 − p))) < 0 and
 *   ∂g/∂x > 0, so by the implicit-function theorem the roots rise with x and fall with n.
 *
 * Corollary (block bound). x(n) is non-decreasing in n, so for every n in [a, b]:
 *   U(x(n), n) ≥ U(x(a), b) and L(x(n), n) ≤ L(x(b), a) (or ≤ 1 when x(b) > a).
 * If (U(x(a), b) − L(x(b), a))/2 > margin, no n in [a, b] qualifies. Both intervals are symmetric,
 * U(x, n) − L(x, n) = U(n − x, n) − L(n − x, n), and y(n) = n − x(n) is non-decreasing too (x grows by 0 or 1
 * per step), so for p > ½ the same bound is applied to y, keeping the count small relative to the block
 * (x(b) > a would make the bound useless for p near 1). Starting at n = 1, blocks that fail
 * are skipped and the block length doubles; a block that cannot be excluded is halved, down to single n,
 * which are evaluated exactly. Every n below the answer is thus either evaluated or proved infeasible, so the
 * first n that qualifies is the smallest one, with O(log n) blocks far from the answer.
 *
 * Block exclusion is conservative by an absolute 1e-9 against quantile round-off (jStat's beta quantile is
 * good to ~1e-10 relative).
 */
export function smallestExactSampleSize(
  bounds: (x: number, n: number) => Bounds,
  expectedRate: number,
  margin: number,
): number {
  const xOf = (n: number) => floorTolerant(n * expectedRate + 0.5);
  const halfWidth = (n: number) => {
    const b = bounds(xOf(n), n);
    return (b.upper - b.lower) / 2;
  };
  const countOf = expectedRate <= 0.5 ? xOf : (n: number) => n - xOf(n);
  const blockExcluded = (a: number, b: number) => {
    const upper = bounds(countOf(a), b).upper;
    const kb = countOf(b);
    const lower = kb > a ? 1 : bounds(kb, a).lower;
    return (upper - lower) / 2 > margin + 1e-9;
  };

  let n = 1;
  let step = 1;
  for (let evaluations = 0; evaluations < MAX_EVALUATIONS; evaluations++) {
    if (step === 1) {
      if (halfWidth(n) <= margin) return n;
      n += 1;
      step = 2;
    } else if (blockExcluded(n, n + step - 1)) {
      n += step;
      step *= 2;
    } else {
      step = Math.floor(step / 2);
    }
  }
  throw new StatsInputError(
    `margin ${margin} is too small for an exact sample-size search (past n = ${n}); use method 'wald'`,
    "margin",
  );
}
