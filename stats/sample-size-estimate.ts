import { assertConfidence, zCritical } from "./critical.ts";
import { StatsInputError, StatsTooExpensiveError } from "./errors.ts";
import { ESTIMATE_METHODS, type EstimateMethod } from "./methods.ts";
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
export { ESTIMATE_METHODS, type EstimateMethod };

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
 * Cost: wald O(1); exact methods O((q/e)·log n) interval evaluations, q = min(p, 1 − p) (see
 * {@link smallestExactSampleSize}), which is predicted before searching ({@link exactSearchCost}) and must fit
 * {@link EXACT_SEARCH_BUDGET}; the search also stops at that many evaluations.
 *
 * @throws {StatsInputError} on "margin" (not in (0, 1), or so small that even n₀ is not a countable sample),
 *   "confidence", "expectedRate" (not in [0, 1]), "method", "population" (not an integer ≥ 1, or given with
 *   an exact method)
 * @throws {StatsTooExpensiveError} on "margin" when an exact method's search would exceed its budget; `limit`
 *   is the smallest margin that fits at this expectedRate and confidence, `alternatives` the cheaper methods
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
  const cost = exactSearchCost(expectedRate, margin, z);
  const budget = EXACT_SEARCH_BUDGET[method];
  if (cost > budget) throw exactSearchTooExpensive(method, expectedRate, margin, z, confidence, cost);
  const bounds =
    method === "wilson"
      ? (x: number, n: number) => wilsonInterval(x, n, z)
      : (x: number, n: number) => clopperPearsonInterval(x, n, confidence);
  const n = smallestExactSampleSize(bounds, expectedRate, margin, budget);
  // Only reached if the cost model underestimated: the search stopped at the budget instead of running on.
  if (n === null) throw exactSearchTooExpensive(method, expectedRate, margin, z, confidence, null);
  return { n, n0: n, ...common };
}

/**
 * Interval evaluations an exact search ({@link smallestExactSampleSize}) may spend, per method, as predicted by
 * {@link exactSearchCost} (the search itself also stops there). Measured on the 2-core development machine: a
 * Clopper–Pearson evaluation (two beta quantiles) takes 2–9 µs (depending on the confidence and on the beta
 * quantile's implementation), a Wilson one 30–100 ns; a real search makes at most 0.75 of the predicted
 * evaluations, so an accepted search takes ≲ 0.5 s, typically 0.1–0.3 s. At the default confidence and p = 0.5 the smallest margins accepted are
 * ≈ 8.5e-4 (Clopper–Pearson, n ≈ 1.3 million) and ≈ 1.7e-5 (Wilson, n ≈ 3.3 billion).
 */
export const EXACT_SEARCH_BUDGET: Readonly<Record<"wilson" | "clopper-pearson", number>> = Object.freeze({
  wilson: 10_000_000,
  "clopper-pearson": 100_000,
});

/** Absolute slack of the block exclusion in {@link smallestExactSampleSize} (against quantile round-off). */
const EXCLUSION_SLACK = 1e-9;

/**
 * Predicted number of interval evaluations of {@link smallestExactSampleSize} for rate p and margin e at the
 * critical value z, O(1). With q = min(p, 1 − p), ñ = z²·(p(1 − p)/e² + 1/e) (≥ the answer n up to a small
 * factor: Cochran's n₀ plus the x = 0 size z²/e) and L = ln(ñ + 2):
 *
 *   cost = 12·(q/e)·L + 16·L + 8·ε·ñ/e + 16,   ε = 1e-9 (the exclusion slack)
 *
 * Where the terms come from: a block [a, b] is excluded while its bound's loss, ≈ q·(b − a)/a (x moves by q
 * per unit of n), stays below h(a) − e. Far below the answer that allows blocks of length ≈ z·√(a/q); near it,
 * at distance d, only ≈ e·d/(2q). Summing 1/length over n gives ≈ (2q/e)·(1 + ln n) blocks, each costing a
 * few evaluations with the doubling and halving; the galloping adds O(log n); and the ≈ 2ε·n/e values of n
 * whose half-width lies within ε above e cannot be excluded as blocks, so they are evaluated one by one.
 * The constants were fitted on a grid and checked on about 8,500 random (p, e, confidence, method) with e
 * down to 1e-6: the real count was at most 0.75 of the estimate, about 0.45 typically (a property test in
 * test/stats/exact-search-cost.test.ts keeps checking cost ≥ count). The estimate only decreases as e grows, so a
 * budget has a smallest affordable margin ({@link smallestAffordableMargin}).
 */
export function exactSearchCost(expectedRate: number, margin: number, z: number): number {
  const p = expectedRate;
  const q = Math.min(p, 1 - p);
  const size = z * z * ((p * (1 - p)) / (margin * margin) + 1 / margin);
  const log = Math.log(size + 2);
  return (12 * q * log) / margin + 16 * log + (8 * EXCLUSION_SLACK * size) / margin + 16;
}

/**
 * The smallest margin (rounded up to two significant digits) whose {@link exactSearchCost} fits `budget`, at
 * rate p and critical value z: bisection on log e over [1e-12, 0.49], O(1) (60 steps).
 */
export function smallestAffordableMargin(expectedRate: number, z: number, budget: number): number {
  let low = Math.log(1e-12); // assumed unaffordable; if it is not, the answer is simply 1e-12
  let high = Math.log(0.49);
  if (exactSearchCost(expectedRate, 1e-12, z) <= budget) return 1e-12;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (exactSearchCost(expectedRate, Math.exp(mid), z) <= budget) high = mid;
    else low = mid;
  }
  const exact = Math.exp(high);
  const unit = 10 ** (Math.floor(Math.log10(exact)) - 1);
  const rounded = Number((Math.ceil(exact / unit - 1e-9) * unit).toPrecision(2));
  return rounded >= exact && exactSearchCost(expectedRate, rounded, z) <= budget ? rounded : exact;
}

function exactSearchTooExpensive(
  method: "wilson" | "clopper-pearson",
  expectedRate: number,
  margin: number,
  z: number,
  confidence: number,
  /** The predicted cost, or null when the search itself ran out of budget (the prediction was too low). */
  cost: number | null,
): StatsTooExpensiveError {
  const budget = EXACT_SEARCH_BUDGET[method];
  // After a misprediction the model's smallest margin cannot be trusted: name only the cheaper methods.
  const limit = cost === null ? undefined : smallestAffordableMargin(expectedRate, z, budget);
  const alternatives: Record<string, unknown>[] = [];
  const cheaper: string[] = [];
  if (
    method === "clopper-pearson" &&
    exactSearchCost(expectedRate, margin, z) <= EXACT_SEARCH_BUDGET.wilson
  ) {
    alternatives.push({ method: "wilson" });
    cheaper.push("'wilson'");
  }
  // Wald only where its n is meaningful: not at p ∈ {0, 1} (n₀ = 0) nor past a countable n₀.
  const n0 = cochranSampleSize(z, margin, expectedRate);
  if (n0 > 0 && n0 <= Number.MAX_SAFE_INTEGER) {
    alternatives.push({ method: "wald" });
    cheaper.push("'wald' (closed form)");
  }
  const name = method === "wilson" ? "Wilson" : "Clopper–Pearson";
  const budgetText = budget.toLocaleString("en-US");
  const estimate =
    cost === null
      ? `took more than its budget of ${budgetText} ${name} interval evaluations`
      : `would take about ${Number(cost.toPrecision(2)).toLocaleString("en-US")} ${name} interval ` +
        `evaluations (budget ${budgetText})`;
  const remedies = [
    ...(limit === undefined
      ? []
      : [
          `at expectedRate ${expectedRate} and confidence ${confidence} the smallest margin within it is ${limit}`,
        ]),
    ...(cheaper.length > 0 ? [`use method ${cheaper.join(" or ")} at this margin`] : []),
  ];
  return new StatsTooExpensiveError(
    `the exact sample-size search for margin ${margin} ${estimate}` +
      (remedies.length > 0 ? `; ${remedies.join(", or ")}` : ""),
    "margin",
    limit,
    alternatives,
  );
}

/**
 * The smallest n ≥ 1 with half-width h(n) = (U(x(n), n) − L(x(n), n))/2 ≤ margin, x(n) = ⌊n·p + ½⌋, or null
 * when that takes more than `maxEvaluations` calls of `bounds` (default: no limit).
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
 *
 * Cost: see {@link exactSearchCost}, which predicts the number of `bounds` calls.
 */
export function smallestExactSampleSize(
  bounds: (x: number, n: number) => Bounds,
  expectedRate: number,
  margin: number,
  maxEvaluations = Number.POSITIVE_INFINITY,
): number | null {
  let evaluations = 0;
  const counted = (x: number, n: number) => {
    evaluations++;
    return bounds(x, n);
  };
  const xOf = (n: number) => floorTolerant(n * expectedRate + 0.5);
  const halfWidth = (n: number) => {
    const b = counted(xOf(n), n);
    return (b.upper - b.lower) / 2;
  };
  const countOf = expectedRate <= 0.5 ? xOf : (n: number) => n - xOf(n);
  const blockExcluded = (a: number, b: number) => {
    const upper = counted(countOf(a), b).upper;
    const kb = countOf(b);
    const lower = kb > a ? 1 : counted(kb, a).lower;
    return (upper - lower) / 2 > margin + EXCLUSION_SLACK;
  };

  let n = 1;
  let step = 1;
  while (evaluations < maxEvaluations) {
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
  return null;
}
