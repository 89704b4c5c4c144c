import {
  type BetaBinomialData,
  type BinomialGroup,
  betaBinomialLogLikelihood,
  dispersionSlope,
  meanDerivatives,
  summariseGroups,
} from "./beta-binomial-likelihood.ts";

export type { BinomialGroup };

/**
 * How the prior was obtained: "maximum-likelihood" (the beta-binomial fit below), or "jeffreys", Beta(½, ½), when the
 * data admit no fit: fewer than two groups with audits, no error at all, or nothing but errors (the likelihood then
 * peaks at μ = 0 or 1, a prior with no mass inside (0, 1), which would claim every group's rate is exactly 0 or 1).
 */
export type PriorMethod = "maximum-likelihood" | "jeffreys";

/**
 * Whether the fitted α + β stopped at one of its bounds: "no-overdispersion" at the upper one, N = Σ nᵢ (the groups
 * vary no more than binomial sampling explains, and the unbounded maximum is α + β → ∞, every group shrunk all the
 * way to the pooled rate); "extreme-overdispersion" at the lower one, MIN_PRIOR_PRECISION (every group all errors or
 * none); "none" inside.
 */
export type PriorBound = "none" | "no-overdispersion" | "extreme-overdispersion";

export interface BetaBinomialPrior {
  alpha: number;
  beta: number;
  /** α/(α + β): the prior mean error rate. */
  mean: number;
  method: PriorMethod;
  bound: PriorBound;
  /** Groups with at least one audit (the ones fitted). */
  groups: number;
  /** Σ nᵢ over them. */
  audits: number;
  /** Σᵢ ln[B(α + eᵢ, β + nᵢ − eᵢ)/B(α, β)] at the estimate (binomial coefficients left out); null for "jeffreys". */
  logLikelihood: number | null;
}

/**
 * The least α + β a fit may reach: a prior worth a thousandth of an audit. Below it every posterior is its own
 * group's raw rate to three decimals anyway.
 */
export const MIN_PRIOR_PRECISION = 1e-3;
/** Spacing of the grid over ln θ (θ = 1/(α + β)) on which the profile likelihood is first scanned. */
const GRID_STEP = 0.5;

const JEFFREYS = { alpha: 0.5, beta: 0.5 } as const;

/**
 * Empirical-Bayes prior for binomial error rates: the Beta(α, β) that maximises the beta-binomial marginal
 * likelihood of the groups' counts, L(α, β) = Πᵢ C(nᵢ, eᵢ)·B(α + eᵢ, β + nᵢ − eᵢ)/B(α, β) (Griffiths 1973; Kahn &
 * Raftery 1996). Each group's rate then gets the posterior Beta(α + eᵢ, β + nᵢ − eᵢ) (beta-binomial-posterior.ts):
 * the empirical-Bayes estimate of Robinson 2017 (a prior estimated from all groups, then each group's posterior).
 *
 * Method: in μ = α/(α + β) and θ = 1/(α + β) the log-likelihood is smooth down to θ = 0 and concave in μ for each
 * θ (beta-binomial-likelihood.ts), so the fit maximises the profile P(θ) = max_μ ℓ(μ, θ): the inner maximum by
 * Newton's method on ∂ℓ/∂μ inside a bracket that each step narrows (bisection when a step leaves it); the outer one
 * over u = ln θ, first on a grid of step ½ from the upper bound of α + β to the lower one, with the method-of-moments
 * estimate (momentsPrior) added as a grid point — the documented starting point, which on a unimodal profile is
 * already near the answer — then at the zero of the profile's slope between the best grid point and the neighbour
 * its slope points to (topOfProfile). Ties keep the larger α + β, so a profile with no information on θ (every
 * group a single audit) gives the bound "no-overdispersion".
 *
 * Bounds on α + β: at most N = Σ nᵢ (a prior fitted from N audits may not weigh more than they do; at the bound
 * the posterior interval of a group is about as wide as that of the pooled rate, where the unbounded estimate
 * α + β → ∞ would shrink every group to a point), at least MIN_PRIOR_PRECISION. `bound` says when one was reached.
 *
 * Degenerate data (see PriorMethod) give Jeffreys' Beta(½, ½) with `method: "jeffreys"`, so that each group's
 * interval is then its Jeffreys interval. Groups with n = 0 are ignored. The result does not depend on the order of
 * the groups (the counts are regrouped first; every sum runs in a fixed order).
 *
 * Accuracy: α and β agree with an independent fit (Python math.lgamma, a simplex search polished by the score
 * equations in mpmath) to ~1e-11 relative (test/fixtures/reference/beta_binomial_mle_python.json). Complexity: O(G log G)
 * to regroup G groups, then ~100 grid and ~20 search points, each a few Newton steps of O(min(largest n, 4096) +
 * distinct counts above 4096): ~0.3 s for 100,000 groups on one core, most of it reading the groups.
 *
 * References: Griffiths DA (1973) Biometrics 29:637–648; Kahn MJ & Raftery AE (1996) "Discharge rates of Medicare
 * stroke patients to skilled nursing facilities: Bayesian logistic regression with unobserved heterogeneity", JASA
 * 91:29–41; Robinson D (2017) "Introduction to Empirical Bayes: Examples from Baseball Statistics".
 *
 * @param groups errors eᵢ of nᵢ audits per group (moderator), at most 1,000,000 groups, nᵢ ≤ 10¹², Σ nᵢ ≤ 2⁵³ − 1
 * @throws {StatsInputError} "groups", "groups.i.n", "groups.i.errors" (see summariseGroups)
 * @example
 * fitBetaBinomialPrior([{ errors: 0, n: 10 }, { errors: 5, n: 10 }, { errors: 1, n: 10 }, { errors: 6, n: 10 }])
 * // => { alpha: 0.81546…, beta: 2.03925…, mean: 0.28565…, method: "maximum-likelihood", bound: "none", groups: 4,
 * //      audits: 40, logLikelihood: -21.76354… }
 */
export function fitBetaBinomialPrior(groups: readonly BinomialGroup[]): BetaBinomialPrior {
  const data = summariseGroups(groups);
  if (data.groups < 2 || data.errors === 0 || data.errors === data.audits) {
    return { ...JEFFREYS, mean: 0.5, method: "jeffreys", bound: "none", ...sizes(data), logLikelihood: null };
  }
  const lowest = -Math.log(data.audits);
  const highest = -Math.log(MIN_PRIOR_PRECISION);
  const moments = momentsEstimate(groups, data);
  const grid = gridPoints(
    lowest,
    highest,
    moments ? Math.log(1 / (moments.alpha + moments.beta)) : undefined,
  );

  let mean = data.errors / data.audits;
  const profiled = grid.map((u) => {
    const point = profile(data, u, mean);
    mean = point.mean;
    return point;
  });
  let best = 0;
  for (let i = 1; i < profiled.length; i++) if (profiled[i].value > profiled[best].value) best = i;
  const top = topOfProfile(data, profiled, best);
  const bound =
    top.u === lowest ? "no-overdispersion" : top.u === highest ? "extreme-overdispersion" : "none";
  // On a bound, α + β is the bound itself (not exp(ln N), an ulp away).
  const theta =
    bound === "no-overdispersion"
      ? 1 / data.audits
      : bound === "extreme-overdispersion"
        ? 1 / MIN_PRIOR_PRECISION
        : Math.exp(top.u);
  return {
    alpha: top.mean / theta,
    beta: (1 - top.mean) / theta,
    mean: top.mean,
    method: "maximum-likelihood",
    bound,
    ...sizes(data),
    logLikelihood: top.value,
  };
}

function sizes(data: BetaBinomialData) {
  return { groups: data.groups, audits: data.audits };
}

/** lowest, lowest + step, …, highest, with `extra` (when inside) in its place. */
function gridPoints(lowest: number, highest: number, extra: number | undefined): number[] {
  const steps = Math.max(1, Math.ceil((highest - lowest) / GRID_STEP));
  const grid = Array.from({ length: steps + 1 }, (_, i) =>
    i === steps ? highest : lowest + ((highest - lowest) * i) / steps,
  );
  if (extra !== undefined && extra > lowest && extra < highest) grid.push(extra);
  return grid.sort((a, b) => a - b);
}

interface ProfilePoint {
  u: number;
  mean: number;
  value: number;
}

/** P(u) = max over μ of ℓ(μ, e^u), with the μ that attains it. */
function profile(data: BetaBinomialData, u: number, start: number): ProfilePoint {
  const theta = Math.exp(u);
  const mean = maximiseMean(data, theta, start);
  return { u, mean, value: betaBinomialLogLikelihood(data, mean, theta) };
}

/**
 * The μ in (0, 1) where ∂ℓ/∂μ = 0 at fixed θ: Newton's method from `start`, inside the bracket [lo, hi] that
 * the sign of each slope narrows (ℓ is concave in μ, and its slope runs from +∞ at 0 to −∞ at 1 when there are
 * both errors and correct audits); a step that leaves the bracket is replaced by its midpoint.
 */
function maximiseMean(data: BetaBinomialData, theta: number, start: number): number {
  let lo = 0;
  let hi = 1;
  let mean = start;
  for (let iteration = 0; iteration < 200; iteration++) {
    const { slope, curvature } = meanDerivatives(data, mean, theta);
    if (slope === 0) return mean;
    if (slope > 0) lo = mean;
    else hi = mean;
    let next = mean - slope / curvature;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - mean) <= 1e-14 * Math.min(next, 1 - next)) return next;
    mean = next;
  }
  return mean;
}

/**
 * The maximum of the profile near grid point `best`: where its slope dP/du = θ·∂ℓ/∂θ (at the inner maximum μ̂, by
 * the envelope theorem) changes sign between `best` and the neighbour it points to; `best` itself when the slope
 * points off the grid (the maximum is on a bound), is zero, or does not change sign (noise on a flat profile).
 * The zero of the slope is placed to ~1e-14 in u, where a search on the values of P could not do better than
 * ~1e-8: P is flat at its top to the rounding of ℓ.
 */
function topOfProfile(data: BetaBinomialData, profiled: readonly ProfilePoint[], best: number): ProfilePoint {
  const slopeOf = (point: ProfilePoint) => dispersionSlope(data, point.mean, Math.exp(point.u));
  const top = profiled[best];
  const slope = slopeOf(top);
  const neighbour = profiled[slope > 0 ? best + 1 : best - 1];
  if (slope === 0 || neighbour === undefined) return top;
  const neighbourSlope = slopeOf(neighbour);
  if (slope > 0 === neighbourSlope > 0 || neighbourSlope === 0) return top;
  const [rising, falling] = slope > 0 ? [top, neighbour] : [neighbour, top];
  const [risingSlope, fallingSlope] = slope > 0 ? [slope, neighbourSlope] : [neighbourSlope, slope];
  return slopeZero(data, rising, risingSlope, falling, fallingSlope, slopeOf);
}

/**
 * The zero of the profile's slope between `rising` (slope > 0) and `falling` (slope < 0), by the Illinois variant
 * of regula falsi (Dowell M & Jarratt P (1971) BIT 11:168–174: the value kept twice in a row is halved, which makes
 * it superlinear), a step outside the bracket replaced by bisection.
 */
function slopeZero(
  data: BetaBinomialData,
  rising: ProfilePoint,
  risingSlope: number,
  falling: ProfilePoint,
  fallingSlope: number,
  slopeOf: (point: ProfilePoint) => number,
): ProfilePoint {
  let lastSide = 0;
  let point = rising;
  for (let iteration = 0; iteration < 100; iteration++) {
    let u = (rising.u * fallingSlope - falling.u * risingSlope) / (fallingSlope - risingSlope);
    if (!(u > Math.min(rising.u, falling.u) && u < Math.max(rising.u, falling.u))) {
      u = 0.5 * (rising.u + falling.u);
    }
    point = profile(data, u, point.mean);
    const slope = slopeOf(point);
    if (slope === 0) return point;
    if (slope > 0) {
      rising = point;
      risingSlope = slope;
      if (lastSide > 0) fallingSlope /= 2;
      lastSide = 1;
    } else {
      falling = point;
      fallingSlope = slope;
      if (lastSide < 0) risingSlope /= 2;
      lastSide = -1;
    }
    if (Math.abs(rising.u - falling.u) <= 1e-14 * Math.max(1, Math.abs(u))) return point;
  }
  return point;
}

/**
 * Method-of-moments beta prior (Kleinman 1973, equal weights): with pᵢ = eᵢ/nᵢ over the g groups with audits,
 * m = mean pᵢ, s² = Σ(pᵢ − m)²/(g − 1) and h = mean 1/nᵢ, E[s²] = m(1 − m)(h + ρ(1 − h)) gives the intra-group
 * correlation ρ̂ = (s²/(m(1 − m)) − h)/(1 − h) = 1/(α + β + 1), clamped to the fit's bounds on α + β; then
 * α = m(1/ρ̂ − 1), β = (1 − m)(1/ρ̂ − 1). Null when it is undefined (fewer than two groups, m = 0 or 1, or every
 * nᵢ = 1). The starting point of fitBetaBinomialPrior.
 *
 * Reference: Kleinman JC (1973) "Proportions with extraneous variance: single and independent samples", JASA
 * 68:46–54. Complexity O(G log G) (the terms are summed in sorted order, so the order of the groups does not matter).
 *
 * @throws {StatsInputError} as fitBetaBinomialPrior
 * @example
 * momentsPrior([{ errors: 0, n: 10 }, { errors: 5, n: 10 }, { errors: 1, n: 10 }, { errors: 6, n: 10 }])
 * // => { alpha: 0.56345…, beta: 1.31472… }
 */
export function momentsPrior(groups: readonly BinomialGroup[]): { alpha: number; beta: number } | null {
  return momentsEstimate(groups, summariseGroups(groups));
}

function momentsEstimate(
  groups: readonly BinomialGroup[],
  data: BetaBinomialData,
): { alpha: number; beta: number } | null {
  const count = data.groups;
  if (count < 2) return null;
  const rates = new Float64Array(count);
  const inverses = new Float64Array(count);
  let i = 0;
  for (const { errors, n } of groups) {
    if (n === 0) continue;
    rates[i] = errors / n;
    inverses[i++] = 1 / n;
  }
  rates.sort();
  inverses.sort();
  const m = rates.reduce((sum, p) => sum + p, 0) / count;
  const variance = rates.reduce((sum, p) => sum + (p - m) * (p - m), 0) / (count - 1);
  const h = inverses.reduce((sum, x) => sum + x, 0) / count;
  if (!(m > 0 && m < 1) || h >= 1) return null;
  const rho = (variance / (m * (1 - m)) - h) / (1 - h);
  const precision = Math.min(data.audits, Math.max(MIN_PRIOR_PRECISION, 1 / rho - 1));
  // rho ≤ 0 (less spread than binomial) means no overdispersion: the upper bound.
  const total = rho > 0 ? precision : data.audits;
  return { alpha: m * total, beta: (1 - m) * total };
}
