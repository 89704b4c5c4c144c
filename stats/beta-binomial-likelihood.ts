import { StatsInputError } from "./errors.ts";
import { stirlerr } from "./log-gamma.ts";

/**
 * Beta-binomial marginal likelihood of grouped binomial counts, in the mean–dispersion form of Griffiths (1973):
 * with μ = α/(α + β) and θ = 1/(α + β), group i (eᵢ errors of nᵢ audits, fᵢ = nᵢ − eᵢ) contributes
 *
 *   ln B(α + eᵢ, β + fᵢ) − ln B(α, β) = Σ_{j<eᵢ} ln(μ + jθ) + Σ_{j<fᵢ} ln(1 − μ + jθ) − Σ_{j<nᵢ} ln(1 + jθ)
 *
 * (the ln C(nᵢ, eᵢ) that does not depend on the parameters is left out). The form is smooth down to θ = 0, the
 * binomial limit (α + β → ∞), where it is eᵢ ln μ + fᵢ ln(1 − μ), and it is concave in μ for every fixed θ (a sum of
 * logarithms of functions linear in μ).
 *
 * The double sums are reordered by j: Σᵢ Σ_{j<eᵢ} ln(μ + jθ) = Σⱼ E_j ln(μ + jθ), E_j = #{i : eᵢ > j}, so one
 * evaluation costs O(largest count) rather than O(total audits). Counts past DIRECT_TERMS are summed in closed form
 * instead: Σ_{T≤j<k} ln(b + jθ) = m ln θ + ln Γ(a + m) − ln Γ(a) with a = b/θ + T ≥ T, m = k − T, which Stirling's
 * series gives to full precision there (stirlerr, Loader 2000).
 *
 * References: Griffiths DA (1973) "Maximum likelihood estimation for the beta-binomial distribution and an
 * application to the household distribution of the total number of cases of a disease", Biometrics 29:637–648
 * (this parametrisation); Loader C (2000) "Fast and accurate computation of binomial probabilities" (stirlerr).
 */

/** Counts below this are summed term by term; longer sums past it in closed form (a ≥ 4096 there). */
const DIRECT_TERMS = 4096;
/** Input limits: groups in one fit, audits in one group, audits altogether. */
export const MAX_GROUPS = 1_000_000;
export const MAX_GROUP_AUDITS = 1e12;

export interface BinomialGroup {
  /** Errors found, an integer in [0, n]. */
  errors: number;
  /** Audits, an integer ≥ 0 (groups with n = 0 carry no information and are ignored). */
  n: number;
}

/** Counts past DIRECT_TERMS: the excess m = k − DIRECT_TERMS and how many groups have it, by ascending m. */
type Tail = readonly (readonly [excess: number, groups: number])[];

/** One of the three regrouped sums: E_j (or F_j, N_j) for j < length, then the tail. */
interface RegroupedSum {
  above: Float64Array;
  tail: Tail;
}

/** Everything the likelihood needs from the groups, independent of their order. */
export interface BetaBinomialData {
  /** Groups with n ≥ 1. */
  groups: number;
  /** Σ n. */
  audits: number;
  /** Σ e. */
  errors: number;
  readonly errorSum: RegroupedSum;
  readonly correctSum: RegroupedSum;
  readonly auditSum: RegroupedSum;
}

/**
 * Validates the groups and regroups their counts (see the file comment). O(G log G + DIRECT_TERMS) time.
 * @example
 * summariseGroups([{ errors: 1, n: 3 }, { errors: 0, n: 0 }]) // => { groups: 1, audits: 3, errors: 1, … }
 * @throws {StatsInputError} "groups" (not an array, or more than MAX_GROUPS), "groups.i.n" (not an integer in
 *   [0, 10¹²], or the total over 2⁵³ − 1), "groups.i.errors" (not an integer in [0, n])
 */
export function summariseGroups(groups: readonly BinomialGroup[]): BetaBinomialData {
  if (!Array.isArray(groups)) throw new StatsInputError("groups must be an array", "groups");
  if (groups.length > MAX_GROUPS) {
    throw new StatsInputError(`at most ${MAX_GROUPS.toLocaleString("en")} groups`, "groups");
  }
  const errorCounts: number[] = [];
  const correctCounts: number[] = [];
  const auditCounts: number[] = [];
  let audits = 0;
  let errors = 0;
  groups.forEach((group, i) => {
    const n = group?.n;
    const e = group?.errors;
    if (!Number.isInteger(n) || n < 0 || n > MAX_GROUP_AUDITS) {
      throw new StatsInputError("n must be an integer from 0 to 10¹²", `groups.${i}.n`);
    }
    if (!Number.isInteger(e) || e < 0 || e > n) {
      throw new StatsInputError(`errors must be an integer from 0 to n (${n})`, `groups.${i}.errors`);
    }
    if (n === 0) return;
    audits += n;
    errors += e;
    if (!Number.isSafeInteger(audits)) {
      throw new StatsInputError("the audits of all groups together exceed 2⁵³ − 1", `groups.${i}.n`);
    }
    errorCounts.push(e);
    correctCounts.push(n - e);
    auditCounts.push(n);
  });
  return {
    groups: auditCounts.length,
    audits,
    errors,
    errorSum: regroup(errorCounts),
    correctSum: regroup(correctCounts),
    auditSum: regroup(auditCounts),
  };
}

/** E_j = #{counts > j} for j < min(max count, DIRECT_TERMS), and the excess of the longer counts. */
function regroup(counts: readonly number[]): RegroupedSum {
  let longest = 0;
  for (const k of counts) longest = Math.max(longest, k);
  const length = Math.min(longest, DIRECT_TERMS);
  const histogram = new Float64Array(length + 1);
  const excess = new Map<number, number>();
  for (const k of counts) {
    histogram[Math.min(k, length)]++;
    if (k > DIRECT_TERMS) excess.set(k - DIRECT_TERMS, (excess.get(k - DIRECT_TERMS) ?? 0) + 1);
  }
  const above = new Float64Array(length);
  let running = histogram[length];
  for (let j = length - 1; j >= 0; j--) {
    above[j] = running;
    running += histogram[j];
  }
  // Sorted, so that the sum over the tail does not depend on the order of the groups.
  const tail = [...excess].sort((x, y) => x[0] - y[0]);
  return { above, tail };
}

/**
 * Σ_{T≤j<T+m} ln(base + jθ) for T = DIRECT_TERMS, written m·ln(base + (T + m)θ) + stirlerr(a + m) − stirlerr(a)
 * + (a − ½)·log1p(m/a) − m with a = base/θ + T (ln Γ(z) = stirlerr(z) + (z − ½) ln z − z + ln √(2π)), so that the
 * large ln θ and ln a do not cancel.
 */
function tailLogSum(base: number, theta: number, m: number): number {
  const a = base / theta + DIRECT_TERMS;
  return (
    m * Math.log(base + (DIRECT_TERMS + m) * theta) +
    stirlerr(a + m) -
    stirlerr(a) +
    (a - 0.5) * Math.log1p(m / a) -
    m
  );
}

/** ψ(a + m) − ψ(a) for a ≥ DIRECT_TERMS, from ψ(x) = ln x − 1/(2x) − 1/(12x²) + 1/(120x⁴) − … */
function digammaDifference(a: number, m: number): number {
  const b = a + m;
  return (
    Math.log1p(m / a) +
    m / (2 * a * b) +
    (m * (a + b)) / (12 * a * a * b * b) +
    (1 / (b * b * b * b) - 1 / (a * a * a * a)) / 120
  );
}

/** ψ′(a + m) − ψ′(a) (negative) for a ≥ DIRECT_TERMS, from ψ′(x) = 1/x + 1/(2x²) + 1/(6x³) − 1/(30x⁵) + … */
function trigammaDifference(a: number, m: number): number {
  const b = a + m;
  return (
    -m / (a * b) -
    (m * (a + b)) / (2 * a * a * b * b) +
    (1 / (b * b * b) - 1 / (a * a * a)) / 6 -
    (1 / (b * b * b * b * b) - 1 / (a * a * a * a * a)) / 30
  );
}

/** Σⱼ above_j ln(base + jθ) over one regrouped sum. */
function regroupedLogSum(sum: RegroupedSum, base: number, theta: number): number {
  let total = 0;
  const { above } = sum;
  for (let j = 0; j < above.length; j++) total += above[j] * Math.log(base + j * theta);
  for (const [m, groups] of sum.tail) total += groups * tailLogSum(base, theta, m);
  return total;
}

/**
 * The log marginal likelihood ℓ(μ, θ) = Σᵢ ln[B(α + eᵢ, β + fᵢ)/B(α, β)] (without the binomial coefficients),
 * μ = α/(α + β) in (0, 1), θ = 1/(α + β) > 0 (θ = 0 is allowed when no count exceeds DIRECT_TERMS).
 * O(min(largest n, 4096) + distinct counts above 4096).
 *
 * @example
 * betaBinomialLogLikelihood(summariseGroups([{ errors: 1, n: 2 }]), 0.5, 0.5) // => ln(B(2, 2)/B(1, 1)) = ln(1/6)
 */
export function betaBinomialLogLikelihood(data: BetaBinomialData, mean: number, theta: number): number {
  return (
    regroupedLogSum(data.errorSum, mean, theta) +
    regroupedLogSum(data.correctSum, 1 - mean, theta) -
    regroupedLogSum(data.auditSum, 1, theta)
  );
}

/**
 * First and second derivatives of ℓ(μ, θ) in μ at fixed θ > 0 (the second is negative: ℓ is concave in μ):
 * ∂ℓ/∂μ = Σⱼ E_j/(μ + jθ) − Σⱼ F_j/(1 − μ + jθ), the tails through ψ(a + m) − ψ(a) over θ.
 */
export function meanDerivatives(
  data: BetaBinomialData,
  mean: number,
  theta: number,
): { slope: number; curvature: number } {
  const errors = regroupedDerivatives(data.errorSum, mean, theta);
  const correct = regroupedDerivatives(data.correctSum, 1 - mean, theta);
  return { slope: errors.slope - correct.slope, curvature: errors.curvature + correct.curvature };
}

/** d/db and d²/db² of Σⱼ above_j ln(b + jθ). */
function regroupedDerivatives(sum: RegroupedSum, base: number, theta: number) {
  let slope = 0;
  let curvature = 0;
  const { above } = sum;
  for (let j = 0; j < above.length; j++) {
    const inverse = 1 / (base + j * theta);
    slope += above[j] * inverse;
    curvature -= above[j] * inverse * inverse;
  }
  for (const [m, groups] of sum.tail) {
    const a = base / theta + DIRECT_TERMS;
    slope += (groups * digammaDifference(a, m)) / theta;
    curvature += (groups * trigammaDifference(a, m)) / (theta * theta);
  }
  return { slope, curvature };
}

/**
 * ∂ℓ/∂θ at fixed μ: Σⱼ j·(E_j/(μ + jθ) + F_j/(1 − μ + jθ) − N_j/(1 + jθ)), each tail past T through
 * Σ_{i<m} (T + i)/(b + (T + i)θ) = (m − (b/θ)(ψ(a + m) − ψ(a)))/θ. At the μ that maximises ℓ for this θ it is
 * also the slope of the profile likelihood max_μ ℓ(μ, θ) (the envelope theorem).
 */
export function dispersionSlope(data: BetaBinomialData, mean: number, theta: number): number {
  return (
    regroupedDispersionSlope(data.errorSum, mean, theta) +
    regroupedDispersionSlope(data.correctSum, 1 - mean, theta) -
    regroupedDispersionSlope(data.auditSum, 1, theta)
  );
}

/** d/dθ of Σⱼ above_j ln(b + jθ). */
function regroupedDispersionSlope(sum: RegroupedSum, base: number, theta: number): number {
  let slope = 0;
  const { above } = sum;
  for (let j = 1; j < above.length; j++) slope += (above[j] * j) / (base + j * theta);
  for (const [m, groups] of sum.tail) {
    const a = base / theta + DIRECT_TERMS;
    slope += (groups * (m - (base / theta) * digammaDifference(a, m))) / theta;
  }
  return slope;
}
