import { StatsInputError, StatsTooExpensiveError } from "../errors.ts";
import { rejectUnknownKeys, requireFinite, requirePositive, requirePositiveInteger } from "./validate.ts";

/*
 * Bernoulli CUSUM (Reynolds & Stoumbos 1999, "A CUSUM chart for monitoring a proportion when inspecting
 * continuously", J. Quality Technology 31(1):87–108): the upper CUSUM of item-by-item 0/1 results, its design
 * (reference value γ from the log-likelihood ratio, rounded to 1/m) and its zero-state average run lengths by an
 * exact Markov chain on the scaled integer states.
 */

/** Largest scaling m (γ = 1/m): p₀ down to about 10⁻⁵ at an odds ratio of 2. */
export const MAX_BERNOULLI_M = 100_000;
/** Most Markov-chain states H = m·h (three 8-byte arrays of H: 48 MB, about 0.1 s per ARL). */
export const MAX_BERNOULLI_STATES = 2_000_000;
/** Largest target ARL₀ (items). */
export const MAX_BERNOULLI_TARGET_ARL0 = 1e9;
/** Target ARL₀ when neither `h` nor `targetArl0` is given (items). */
export const DEFAULT_BERNOULLI_TARGET_ARL0 = 10_000;
/** Odds ratio p₁ is set from when neither `p1` nor `oddsRatio` is given: a doubling of the odds. */
export const DEFAULT_BERNOULLI_ODDS_RATIO = 2;

export interface BernoulliCusumOptions {
  /** In-control proportion p₀ in (0, 1). */
  p0: number;
  /** Out-of-control proportion p₁ in (p₀, 1) the chart is tuned to detect. */
  p1?: number;
  /** Instead of p1: the odds ratio OR > 1, p₁ = OR·p₀/(1 − p₀ + OR·p₀). Default 2 when p1 is absent. */
  oddsRatio?: number;
  /** Decision interval h (> 0), rounded up to the grid of multiples of γ = 1/m. */
  h?: number;
  /** Instead of h: the in-control ARL (items) to reach; default 10,000 when h is absent. */
  targetArl0?: number;
  /** The scaling m of γ = 1/m (integer ≥ 2); default round(1/γ*) from p₀ and p₁. */
  m?: number;
}

export interface BernoulliCusumDesign {
  /** Always "reynolds-stoumbos-1/m": γ rounded to 1/m, the statistic on the grid of multiples of 1/m. */
  variant: "reynolds-stoumbos-1/m";
  p0: number;
  p1: number;
  oddsRatio: number;
  /** The log-likelihood-ratio reference value γ* = ln((1−p₀)/(1−p₁)) / ln(p₁(1−p₀)/(p₀(1−p₁))). */
  gammaExact: number;
  /** The reference value used: γ = 1/m. */
  gamma: number;
  m: number;
  /** The decision interval used: H/m. */
  h: number;
  /** H = m·h: the number of transient Markov-chain states (0 … H − 1). */
  states: number;
  /** Zero-state ARL at p₀ (items to a false alarm). */
  arl0: number;
  /** Zero-state ARL at p₁ (items to detect p₁ from the start). */
  arl1: number;
  /** The target when h was chosen from it. */
  targetArl0?: number;
  notes: string[];
}

/**
 * p₁ from p₀ and an odds ratio: p₁ = OR·p₀/(1 − p₀ + OR·p₀) (the odds p/(1−p) multiplied by OR). O(1).
 * @example oddsRatioToP1(0.05, 2) // => 0.09523809523809523
 */
export function oddsRatioToP1(p0: number, oddsRatio: number): number {
  return (oddsRatio * p0) / (1 - p0 + oddsRatio * p0);
}

/**
 * The reference value of the Bernoulli CUSUM from the log-likelihood ratio of p₁ against p₀ (Reynolds &
 * Stoumbos 1999, eq. for γ_B; the CUSUM as a sequence of SPRTs): scaling the per-item log-likelihood ratio
 * X·ln(p₁(1−p₀)/(p₀(1−p₁))) − ln((1−p₀)/(1−p₁)) by its coefficient of X gives increments X − γ* with
 * γ* = ln((1−p₀)/(1−p₁)) / ln(p₁(1−p₀)/(p₀(1−p₁))). Always p₀ < γ* < p₁. O(1).
 * @example bernoulliReferenceValue(0.01, 0.02) // => 0.014355... (between p₀ and p₁)
 */
export function bernoulliReferenceValue(p0: number, p1: number): number {
  return Math.log1p(-p0) - Math.log1p(-p1) === 0
    ? (p0 + p1) / 2
    : (Math.log1p(-p0) - Math.log1p(-p1)) / (Math.log(p1) - Math.log(p0) + Math.log1p(-p0) - Math.log1p(-p1));
}

/**
 * Zero-state average run length (items, counting the signalling one) of the upper Bernoulli CUSUM with
 * γ = 1/m and h = H/m, when each item is 1 with probability p: the exact Markov chain of Reynolds & Stoumbos
 * (1999) on the scaled state S = m·B ∈ {0, …, H − 1} (an item 0 moves S to max(0, S − 1), an item 1 to
 * S + m − 1, S ≥ H signals), whose ARL is e₀ᵀ(I − Q)⁻¹1 (Brook & Evans 1972). No discretisation: the states
 * are the chart's own.
 *
 * Solved in O(H) instead of O(H·m) by the chain being skip-free downwards (it falls one state at a time): for
 * each state s, from the top down, with P(s) the probability of reaching s − 1 before a signal and G(s) the
 * expected items until either, an item 1 (probability p) lifts the chain to s + m − 1, from where it must fall
 * back through s + m − 2, …, s + 1 to s, so with Π_s = ∏_{j=s+1}^{s+m−1} P(j) and
 * E_s = Σ_{j=s+1}^{s+m−1} G(j)·∏_{i=j+1}^{s+m−1} P(i) (the expected items of that fall):
 *   P(s) = q/(1 − p·Π_s),  1 − P(s) = p(1 − Π_s)/(1 − p·Π_s),  G(s) = (1 + p·E_s)/(1 − p·Π_s),
 * with P = 0, G = 0 at S ≥ H; at S = 0 an item 0 keeps the chain at 0 (a renewal), so ARL = G(0)/(1 − P(0)).
 * Π_s and E_s come from a sliding window of the affine maps x ↦ P(j)·x + G(j) kept as a two-stack queue
 * (amortised O(1) per state, only products and sums of non-negative numbers: no cancellation), with ln Π as a
 * sum of log1p(−(1 − P)), so 1 − Π = −expm1(ln Π) keeps its digits when ARL₀ is large.
 * Checked against a dense Gaussian solve of (I − Q)L = 1 in the tests.
 *
 * Complexity O(H) time, O(H + m) memory.
 *
 * @example bernoulliCusumArl(0.1, 2, 1) // => 10 (h = 1/2 < 1 − γ: every item 1 signals, ARL = 1/p)
 */
export function bernoulliCusumArl(p: number, m: number, states: number): number {
  const H = states;
  if (p <= 0) return Number.POSITIVE_INFINITY;
  if (p >= 1) return 1;
  // Per state: P(s), lnP = ln P(s) = log1p(−(1 − P(s))) (from the complement, so that a P within 10⁻¹⁶ of 1
  // keeps its distance from 1 in the sums), G(s), and 1 − P(s). States ≥ H are absent (P = 0, G = 0).
  const P = new Float64Array(H);
  const lnP = new Float64Array(H);
  const G = new Float64Array(H);
  const notDown = new Float64Array(H);
  // States whose lift lands at or above H: Π = 0, E = 0, so P = q, G = 1.
  const firstFull = H - m; // the highest s whose window s+1 … s+m−1 is all transient
  for (let s = H - 1; s > firstFull && s >= 0; s--) {
    G[s] = 1;
    notDown[s] = p;
    P[s] = 1 - p;
    lnP[s] = Math.log1p(-p);
  }
  // The window s + 1 … s + m − 1 as the affine maps f_j(x) = P(j)·x + G(j) (with ln P(j) beside): E_s is the b of
  // f_{s+m−1} ∘ … ∘ f_{s+1} (Horner from the bottom up) and ln Π_s its summed ln P. As s moves down, the window
  // gains f_s on the inside and loses its top on the outside: a two-stack queue (amortised O(1) per step) that
  // only multiplies and adds non-negative numbers, never divides or subtracts, so no error builds up (sliding
  // by division lost up to 5·10⁻⁸ of the ARL within m states when p ≫ γ).
  const outA = new Float64Array(Math.max(m, 1));
  const outB = new Float64Array(Math.max(m, 1));
  const outL = new Float64Array(Math.max(m, 1));
  let outLo = firstFull + 1; // the out-stack holds states outLo … hi, outA/B/L[j − outLo] = f_j ∘ … ∘ f_outLo
  let hi = H - 1;
  let inA = 1;
  let inB = 0;
  let inL = 0; // the in-stack's f_{outLo−1} ∘ … ∘ f_lo (the identity when empty)
  const transfer = (lo: number) => {
    outLo = lo;
    for (let j = lo; j <= hi; j++) {
      const k = j - lo;
      const a = k === 0 ? 1 : outA[k - 1];
      const b = k === 0 ? 0 : outB[k - 1];
      const l = k === 0 ? 0 : outL[k - 1];
      outA[k] = P[j] * a;
      outB[k] = P[j] * b + G[j];
      outL[k] = lnP[j] + l;
    }
    inA = 1;
    inB = 0;
    inL = 0;
  };
  if (firstFull >= 0) transfer(firstFull + 1);
  for (let s = firstFull; s >= 0; s--) {
    // The window's map: out ∘ in.
    const k = hi - outLo;
    const lnProduct = (k >= 0 ? outL[k] : 0) + inL;
    const fall = k >= 0 ? outA[k] * inB + outB[k] : inB;
    const belowOne = Math.expm1(lnProduct); // Π − 1, exact near Π = 1
    const product = 1 + belowOne;
    const denominator = 1 - p * product;
    G[s] = (1 + p * fall) / denominator;
    notDown[s] = Math.max(0, (p * -belowOne) / denominator); // never −0
    P[s] = 1 - notDown[s];
    lnP[s] = Math.log1p(-notDown[s]);
    // Slide to s − 1: drop the top (s + m − 1), add f_s inside.
    hi--;
    if (hi < outLo)
      transfer(s); // the out-stack is empty: the window s … hi is all new
    else {
      inB += inA * G[s]; // in ∘ f_s: x ↦ inA·(P(s)·x + G(s)) + inB
      inA *= P[s];
      inL += lnP[s];
    }
  }
  // Beyond 1.8·10³⁰⁸ items (a p far below γ at a large h) the ARL is +∞.
  return G[0] / notDown[0];
}

/** The number of states H for a decision interval h on the grid of 1/m: the smallest H with H/m ≥ h. */
function statesFor(h: number, m: number): number {
  const exact = h * m;
  const rounded = Math.round(exact);
  // h given as a multiple of 1/m in decimal (e.g. 4.2 at m = 70) lands within rounding of an integer.
  return Math.abs(exact - rounded) <= 1e-9 * Math.max(1, exact) ? rounded : Math.ceil(exact);
}

/**
 * Designs an upper Bernoulli CUSUM B_t = max(0, B_{t−1} + X_t − γ), B_0 = 0, signal when B_t ≥ h, restarted
 * at 0 after each signal (Reynolds & Stoumbos 1999), on items X_t ∈ {0, 1}:
 * - p₁ from `p1`, else from `oddsRatio` (default 2): p₁ = OR·p₀/(1 − p₀ + OR·p₀).
 * - γ* by the log-likelihood ratio (bernoulliReferenceValue), then Reynolds & Stoumbos's form γ = 1/m with
 *   m = round(1/γ*) (or the given `m`), so B_t stays on the grid of multiples of 1/m and the Markov chain on
 *   S = m·B is exact. This is the variant named "reynolds-stoumbos-1/m".
 * - h: the given `h` rounded up to the grid (H = ⌈m·h⌉), or, from `targetArl0` (default 10,000 items), the
 *   smallest H ≥ m − 1 with zero-state ARL₀ ≥ target (exponential search then bisection; ARL₀ increases with
 *   H). The chart is discrete: ARL₀ jumps between grid points, so the ARL₀ reached is ≥ the target, not equal.
 *   H below m − 1 (h < 1 − γ) is the same chart as H = m − 1: every item 1 signals (ARL = 1/p).
 * - ARL₀ and ARL₁: zero-state ARLs (the chart starting at B = 0, as after each restart) at p₀ and p₁, in
 *   items, by bernoulliCusumArl.
 *
 * Complexity O(H) per ARL (H = m·h states); a target takes about a dozen ARLs (doubling, then interpolation).
 *
 * @throws {StatsInputError} `p0` (not in (0, 1)), `p1` (not in (p₀, 1)), `oddsRatio` (≤ 1 or not finite),
 *   `p1` and `oddsRatio` both given, `h` and `targetArl0` both given, `h` (≤ 0), `targetArl0` (< 1 or > 10⁹),
 *   `m` (not an integer in [2, 100,000]), `p1` (γ* above 2/3 leaves no m ≥ 2), `h` (an ARL beyond 10³⁰⁸)
 * @throws {StatsTooExpensiveError} field `p0` when m > 100,000, `h`/`targetArl0` when H > 2·10⁶
 * @example
 * bernoulliCusumDesign({ p0: 0.01, p1: 0.02, h: 4 })
 * // => { variant: "reynolds-stoumbos-1/m", m: 70, gamma: 1/70, h: 4, states: 280, arl0: …, arl1: … }
 */
export function bernoulliCusumDesign(options: BernoulliCusumOptions, field = ""): BernoulliCusumDesign {
  const at = (name: string) => (field === "" ? name : `${field}.${name}`);
  rejectUnknownKeys(
    options as unknown as Record<string, unknown>,
    ["p0", "p1", "oddsRatio", "h", "targetArl0", "m"],
    field,
  );
  const p0 = requireFinite(options.p0, at("p0"));
  if (!(p0 > 0 && p0 < 1)) throw new StatsInputError(`${at("p0")} must be in (0, 1)`, at("p0"));
  if (options.p1 !== undefined && options.oddsRatio !== undefined) {
    throw new StatsInputError(`give ${at("p1")} or ${at("oddsRatio")}, not both`, at("oddsRatio"));
  }
  if (options.h !== undefined && options.targetArl0 !== undefined) {
    throw new StatsInputError(`give ${at("h")} or ${at("targetArl0")}, not both`, at("targetArl0"));
  }
  let p1: number;
  let oddsRatio: number;
  if (options.p1 !== undefined) {
    p1 = requireFinite(options.p1, at("p1"));
    if (!(p1 > p0 && p1 < 1)) throw new StatsInputError(`${at("p1")} must be in (p0, 1)`, at("p1"));
    oddsRatio = (p1 / (1 - p1)) * ((1 - p0) / p0);
  } else {
    oddsRatio =
      options.oddsRatio === undefined
        ? DEFAULT_BERNOULLI_ODDS_RATIO
        : requireFinite(options.oddsRatio, at("oddsRatio"));
    if (!(oddsRatio > 1 && oddsRatio <= 1e6)) {
      throw new StatsInputError(`${at("oddsRatio")} must be > 1 and ≤ 10⁶`, at("oddsRatio"));
    }
    p1 = oddsRatioToP1(p0, oddsRatio);
    if (!(p1 > p0 && p1 < 1)) {
      throw new StatsInputError(`${at("oddsRatio")} gives p1 = ${p1}, outside (p0, 1)`, at("oddsRatio"));
    }
  }
  const gammaExact = bernoulliReferenceValue(p0, p1);
  const notes: string[] = [];
  let m: number;
  if (options.m !== undefined) {
    m = requirePositiveInteger(options.m, at("m"));
    if (m < 2 || m > MAX_BERNOULLI_M) {
      throw new StatsInputError(`${at("m")} must be an integer from 2 to ${MAX_BERNOULLI_M}`, at("m"));
    }
  } else {
    m = Math.round(1 / gammaExact);
    if (m < 2) {
      throw new StatsInputError(
        `the reference value γ = ${gammaExact.toPrecision(3)} is above 2/3, so no γ = 1/m with m ≥ 2 fits: lower ${at("p1")}`,
        options.p1 === undefined ? at("oddsRatio") : at("p1"),
      );
    }
    if (m > MAX_BERNOULLI_M) {
      throw new StatsTooExpensiveError(
        `p0 = ${p0} needs γ = 1/${m}, more than the ${MAX_BERNOULLI_M} states per unit of h this service computes`,
        at("p0"),
      );
    }
  }
  const gamma = 1 / m;
  if (Math.abs(gamma - gammaExact) > 0.05 * gammaExact) {
    notes.push(
      `γ = 1/${m} = ${gamma.toPrecision(4)} differs from the likelihood-ratio value ${gammaExact.toPrecision(4)} by more than 5 %; the ARLs are those of γ = 1/${m}`,
    );
  }
  const arlAt = (states: number, p: number, name: string) => {
    if (states > MAX_BERNOULLI_STATES) {
      throw new StatsTooExpensiveError(
        `h = ${states / m} needs ${states} Markov-chain states (at most ${MAX_BERNOULLI_STATES})`,
        at(name),
        name === "h" ? MAX_BERNOULLI_STATES / m : undefined,
      );
    }
    const arl = bernoulliCusumArl(p, m, states);
    if (!Number.isFinite(arl)) {
      throw new StatsInputError(
        `h = ${states / m} gives an ARL at p = ${p} beyond floating-point range (10³⁰⁸ items): lower h`,
        at(name),
      );
    }
    return arl;
  };

  let states: number;
  let targetArl0: number | undefined;
  let arl0: number;
  if (options.h !== undefined) {
    const h = requirePositive(options.h, at("h"));
    states = statesFor(h, m);
    if (states / m !== h && Math.abs(states / m - h) > 1e-12 * h) {
      notes.push(
        `h = ${h} rounded up to ${states}/${m} = ${(states / m).toPrecision(6)}, the next multiple of γ`,
      );
    }
    arl0 = arlAt(states, p0, "h");
  } else {
    targetArl0 =
      options.targetArl0 === undefined
        ? DEFAULT_BERNOULLI_TARGET_ARL0
        : requireFinite(options.targetArl0, at("targetArl0"));
    if (!(targetArl0 >= 1 && targetArl0 <= MAX_BERNOULLI_TARGET_ARL0)) {
      throw new StatsInputError(
        `${at("targetArl0")} must be from 1 to ${MAX_BERNOULLI_TARGET_ARL0}`,
        at("targetArl0"),
      );
    }
    if (options.targetArl0 === undefined) {
      notes.push(`h chosen for the default target ARL₀ of ${DEFAULT_BERNOULLI_TARGET_ARL0} items`);
    }
    ({ states, arl0 } = statesForTarget(
      targetArl0,
      p0,
      m,
      (H) => arlAt(H, p0, "targetArl0"),
      at("targetArl0"),
    ));
  }
  const arl1 = arlAt(states, p1, options.h !== undefined ? "h" : "targetArl0");
  return {
    variant: "reynolds-stoumbos-1/m",
    p0,
    p1,
    oddsRatio,
    gammaExact,
    gamma,
    m,
    h: states / m,
    states,
    arl0,
    arl1,
    ...(targetArl0 === undefined ? {} : { targetArl0 }),
    notes,
  };
}

/**
 * The smallest H ≥ m − 1 with ARL(p₀) ≥ target (ARL₀ increases with H): doubling to bracket it, then
 * interpolation on ln ARL₀ (nearly linear in H once H is a few m, so a guess lands within a state or two of
 * the answer) with its neighbour on the far side, and bisection whenever a round fails to halve the bracket.
 */
function statesForTarget(
  target: number,
  p0: number,
  m: number,
  arl: (states: number) => number,
  field: string,
): { states: number; arl0: number } {
  let low = m - 1; // every item 1 signals: ARL₀ = 1/p₀
  let lowArl = arl(low);
  if (lowArl >= target) return { states: low, arl0: lowArl };
  let high = Math.max(low + 1, 2 * low);
  let highArl = arl(high);
  while (highArl < target) {
    low = high;
    lowArl = highArl;
    high = Math.min(2 * high, MAX_BERNOULLI_STATES);
    if (low === high) {
      throw new StatsTooExpensiveError(
        `reaching ARL₀ ${target} at p0 = ${p0} needs more than ${MAX_BERNOULLI_STATES} Markov-chain states`,
        field,
      );
    }
    highArl = arl(high);
  }
  // Invariant: ARL(low) < target ≤ ARL(high).
  const probe = (states: number) => {
    const value = arl(states);
    if (value >= target) {
      high = states;
      highArl = value;
    } else {
      low = states;
      lowArl = value;
    }
    return value >= target;
  };
  while (high - low > 1) {
    const width = high - low;
    const share = (Math.log(target) - Math.log(lowArl)) / (Math.log(highArl) - Math.log(lowArl));
    const guess = Math.min(high - 1, Math.max(low + 1, Math.round(low + share * width)));
    // The guess, then its neighbour on the other side of the target, which closes the bracket when the guess
    // was within one state.
    const reached = probe(guess);
    const neighbour = reached ? guess - 1 : guess + 1;
    if (high - low > 1 && neighbour > low && neighbour < high) probe(neighbour);
    if (high - low > width / 2) probe(Math.floor((low + high) / 2));
  }
  return { states: high, arl0: highArl };
}

export interface BernoulliCusumStep {
  /** B after the point (before any restart), a multiple of 1/m. */
  value: number;
  /** True when B ≥ h at this point (the CUSUM then restarts at 0 for the next point). */
  signal: boolean;
  /** Items since the last restart, this point's included. */
  runLength: number;
}

/**
 * Runs the Bernoulli CUSUM over points of `counts[i]` items 1 among `sizes[i]` items, in order, on the
 * integer scale S = m·B (exact arithmetic):
 * - a point with n = 1 is one item: S = max(0, S + m·X − 1), Reynolds & Stoumbos's chart exactly;
 * - a point of n > 1 items whose order is unknown (a period) takes its items together:
 *   S = max(0, S + m·count − n), i.e. the clip at 0 applied at period ends only. For any order of the items
 *   inside the period this is ≤ the item-by-item value at the period's end (the item-level CUSUM is the
 *   maximum of this and of the sums over the period's later items), so a period chart signals no more often
 *   than the item chart: its ARL₀ in items is at least the design's, and detection can come later than ARL₁.
 * The signal is S ≥ H; after a signal S restarts at 0 and the run length at 0.
 *
 * Complexity O(points).
 *
 * @example bernoulliCusumPath([1, 0, 1], [1, 1, 1], 2, 2)
 * // => [{ value: 0.5, signal: false, runLength: 1 }, { value: 0, signal: false, runLength: 2 },
 * //     { value: 0.5, signal: false, runLength: 3 }]
 */
export function bernoulliCusumPath(
  counts: readonly number[],
  sizes: readonly number[],
  m: number,
  states: number,
): BernoulliCusumStep[] {
  const steps: BernoulliCusumStep[] = new Array(counts.length);
  let scaled = 0;
  let run = 0;
  for (let i = 0; i < counts.length; i++) {
    const up = m * counts[i];
    // m·count and n are exact below 2⁵³; beyond, the difference is taken in BigInt.
    const next =
      up <= Number.MAX_SAFE_INTEGER
        ? scaled + up - sizes[i]
        : Number(BigInt(scaled) + BigInt(m) * BigInt(counts[i]) - BigInt(sizes[i]));
    scaled = Math.max(0, next);
    run += sizes[i];
    const signal = scaled >= states;
    steps[i] = { value: scaled / m, signal, runLength: run };
    if (signal) {
      scaled = 0;
      run = 0;
    }
  }
  return steps;
}
