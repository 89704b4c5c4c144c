import {
  interpolateOnGrid,
  type StepLaw,
  solveArl,
  solveSymmetricArl,
  splitOntoGrid,
  spreadOverCells,
} from "./arl-markov.ts";

/** How the EWMA chart's limits are drawn: at the asymptotic σ_z, or at the exact σ of each point. */
export type EwmaLimits = "asymptotic" | "time-varying";

export interface EwmaArlParameters {
  /** Smoothing weight λ in (0, 1]. */
  lambda: number;
  /** Limit width L in standard deviations of the EWMA statistic, > 0. */
  L: number;
  /**
   * "asymptotic": limits ±L·σ_z, σ_z = √(λ/(2 − λ)) (Lucas & Saccucci 1990's tables); "time-varying": limits
   * ±L·σ_z·√(1 − (1 − λ)^{2t}) at the t-th point, as the product's charts draw them (stats/spc/ewma.ts).
   */
  limits: EwmaLimits;
}

/** (1 − λ)^{2t} below this, the time-varying limit equals the asymptotic one to 5e-7 relative: the chain goes on homogeneous. */
const LIMIT_SETTLED = 1e-6;

/**
 * Average run length of the two-sided EWMA chart Zₜ = λyₜ + (1 − λ)Zₜ₋₁, Z₀ = 0, on standardised observations
 * yₜ (law `step`: N(δ, 1) for normal data, the standardised binomial proportion for p data), signalling when
 * |Zₜ| > limit; by the Markov chain of Lucas & Saccucci (1990, "Exponentially weighted moving average control
 * schemes: properties and enhancements", Technometrics 32:1–12, after Brook & Evans 1972).
 *
 * The in-control interval [−U, U], U = L·σ_z, is cut into m cells of width w = 2U/m (m odd, so Z₀ = 0 is the
 * centre of the middle cell); from cell i's centre cᵢ the next statistic (1 − λ)cᵢ + λy falls in cell j with
 * probability F((u_j − (1 − λ)cᵢ)/λ) − F((l_j − (1 − λ)cᵢ)/λ), F the law of y (the lowest cell closed at −U).
 * ARL = a_mid, (I − R)a = 1.
 *
 * Time-varying limits Uₜ = U·√(1 − (1 − λ)^{2t}): the state distribution πₜ (mass not yet signalled) is carried
 * through the narrower early limits (cells beyond Uₜ absorb, a cell across Uₜ keeps only its inside part) until
 * (1 − λ)^{2T} < 1e-6, then ARL = Σ_{t<T} |πₜ| + π_T·a (Steiner 1999, J Qual Technol 31:75–86, studies these
 * limits).
 *
 * Complexity O(m³/3) for the solve, O(m²) distribution evaluations to build R, and O(T·m²) more for time-varying
 * limits, T = ⌈ln(1e-6)/(2 ln(1 − λ))⌉ (T = 135 at λ = 0.05).
 *
 * @param parameters λ, L and the limits; checked by the caller (stats/spc/chart-design.ts)
 * @param step the law of one standardised observation
 * @param m number of transient states, odd
 * @returns the ARL from Z₀ = 0
 * @throws nothing: chartDesign (stats/spc/chart-design.ts) checks every input first.
 * @example
 * ewmaArl({ lambda: 0.1, L: 2.814, limits: "asymptotic" }, normalStep(0), 201) // => ≈ 500 (Lucas & Saccucci)
 */
export function ewmaArl(parameters: EwmaArlParameters, step: StepLaw, m: number): number {
  if (step.atoms) return latticeEwmaArl(parameters, step.atoms, m);
  const { lambda, L } = parameters;
  const keep = 1 - lambda;
  const U = L * Math.sqrt(lambda / (2 - lambda));
  const w = (2 * U) / m;
  const R = new Float64Array(m * m);
  const boundaries = new Float64Array(m + 1);
  const middle = (m - 1) / 2;
  // A symmetric step law (in control, normal data) gives a symmetric chain: half the rows, the folded solve.
  const rows = step.symmetric ? middle + 1 : m;
  for (let i = 0; i < rows; i++) {
    const from = keep * (-U + (i + 0.5) * w);
    boundaries[0] = step.cdfBelow((-U - from) / lambda);
    for (let j = 1; j <= m; j++) boundaries[j] = step.cdf((-U + j * w - from) / lambda);
    for (let j = 0; j < m; j++) R[i * m + j] = Math.max(0, boundaries[j + 1] - boundaries[j]);
  }
  for (let i = rows; i < m; i++) {
    for (let j = 0; j < m; j++) R[i * m + j] = R[(m - 1 - i) * m + (m - 1 - j)];
  }
  const a = step.symmetric ? solveSymmetricArl(R, m) : solveArl(R, m);
  if (parameters.limits === "asymptotic" || lambda === 1) return a[middle];

  // Time-varying limits: carry the unsignalled mass through the early, narrower limits.
  const settledAfter = timeVaryingSteps(lambda);
  let pi = new Float64Array(m);
  let next = new Float64Array(m);
  pi[middle] = 1;
  let arl = 0;
  for (let t = 1; t <= settledAfter; t++) {
    arl += pi.reduce((sum, value) => sum + value, 0);
    const Ut = U * Math.sqrt(1 - keep ** (2 * t));
    // Cells [lower, upper] lie wholly inside [−Uₜ, Uₜ]; lower − 1 and upper + 1 straddle it (when inside the grid).
    const lower = Math.ceil((U - Ut) / w - 1e-12);
    const upper = Math.floor((U + Ut) / w + 1e-12) - 1;
    next.fill(0);
    for (let i = 0; i < m; i++) {
      const mass = pi[i];
      if (mass === 0) continue;
      const row = i * m;
      for (let j = lower; j <= upper; j++) next[j] += mass * R[row + j];
      const from = keep * (-U + (i + 0.5) * w);
      if (lower - 1 === upper + 1) {
        // Both limits inside one cell (a very narrow first limit): its inside part is [−Uₜ, Uₜ].
        const inside = step.cdf((Ut - from) / lambda) - step.cdfBelow((-Ut - from) / lambda);
        next[lower - 1] += mass * Math.max(0, inside);
        continue;
      }
      if (lower - 1 >= 0) {
        const top = -U + lower * w;
        const inside = step.cdf((top - from) / lambda) - step.cdfBelow((-Ut - from) / lambda);
        next[lower - 1] += mass * Math.max(0, inside);
      }
      if (upper + 1 < m) {
        const bottom = -U + (upper + 1) * w;
        const inside = step.cdf((Ut - from) / lambda) - step.cdf((bottom - from) / lambda);
        next[upper + 1] += mass * Math.max(0, inside);
      }
    }
    [pi, next] = [next, pi];
  }
  for (let i = 0; i < m; i++) arl += pi[i] * a[i];
  return arl;
}

/**
 * ewmaArl for a discrete step law (the standardised binomial proportion), with the statistic taken as uniform
 * within its cell (cells as for normal data, w = 2U/m): from cell i = [lᵢ, uᵢ] an atom v of the step moves the
 * statistic to the interval [(1 − λ)lᵢ + λv, (1 − λ)uᵢ + λv], which is spread over the cells by overlap, the part
 * beyond ±U (±Uₜ) being the signal. Cell centres, as for normal data, would round every landing point of a
 * lattice step and the ARL would wander with m by a percent or more; averaging over the cell makes the transition
 * probabilities continuous in the grid. The start Z₀ = 0 is an atom: its first step lands at the points λv,
 * valued by linear interpolation of the ARLs between cell centres. (λ = 1, a Shewhart chart, has no spread: each
 * landing point goes to its cell.)
 *
 * Complexity O(m·V) to build R (V atoms), O(m³/3) to solve, O(T·m·V) more with time-varying limits.
 */
function latticeEwmaArl(
  parameters: EwmaArlParameters,
  atoms: NonNullable<StepLaw["atoms"]>,
  m: number,
): number {
  const { lambda, L } = parameters;
  const keep = 1 - lambda;
  const U = L * Math.sqrt(lambda / (2 - lambda));
  const w = (2 * U) / m;
  const { values, probabilities } = atoms;
  /** One observation from cell i (uniform) with limit ±limit, added to `into` at `offset`, weighted by `mass`. */
  const fromCell = (into: Float64Array, offset: number, i: number, limit: number, mass: number) => {
    const lo = keep * (-U + i * w);
    const hi = keep * (-U + (i + 1) * w);
    for (let a = 0; a < values.length; a++) {
      const jump = lambda * values[a];
      if (lo + jump > limit) break;
      if (hi + jump < -limit) continue;
      if (keep < 1e-9) {
        // λ = 1 (or within rounding of it): the image of the cell is a point, too short to spread over cells.
        const cell = Math.min(m - 1, Math.max(0, Math.floor((jump + U) / w)));
        if (Math.abs(jump) <= limit) into[offset + cell] += mass * probabilities[a];
      } else {
        spreadOverCells(into, offset, m, -U, w, lo + jump, hi + jump, -limit, limit, mass * probabilities[a]);
      }
    }
  };
  const R = new Float64Array(m * m);
  for (let i = 0; i < m; i++) fromCell(R, i * m, i, U, 1);
  const a = solveArl(R, m);
  const centre = -U + w / 2;
  // The first step from the atom Z₀ = 0 lands at the points λv.
  const firstLimit = parameters.limits === "asymptotic" ? U : U * Math.sqrt(1 - keep * keep);
  if (parameters.limits === "asymptotic" || lambda === 1) {
    let arl = 1;
    for (let v = 0; v < values.length; v++) {
      const t = lambda * values[v];
      if (Math.abs(t) <= firstLimit) arl += probabilities[v] * interpolateOnGrid(a, m, centre, w, t);
    }
    return arl;
  }
  let pi = new Float64Array(m);
  let next = new Float64Array(m);
  for (let v = 0; v < values.length; v++) {
    const t = lambda * values[v];
    if (Math.abs(t) <= firstLimit) splitOntoGrid(pi, 0, m, centre, w, t, probabilities[v]);
  }
  let arl = 1;
  const settledAfter = timeVaryingSteps(lambda);
  for (let t = 2; t <= settledAfter; t++) {
    arl += pi.reduce((sum, value) => sum + value, 0);
    const Ut = U * Math.sqrt(1 - keep ** (2 * t));
    next.fill(0);
    for (let i = 0; i < m; i++) if (pi[i] > 0) fromCell(next, 0, i, Ut, pi[i]);
    [pi, next] = [next, pi];
  }
  for (let i = 0; i < m; i++) arl += pi[i] * a[i];
  return arl;
}

/**
 * Steps T after which the time-varying limit is the asymptotic one to 5e-7 relative ((1 − λ)^{2T} < 1e-6):
 * the length of the inhomogeneous start of the chain. T = 135 at λ = 0.05, 66 at λ = 0.1, 688 at λ = 0.01.
 */
export function timeVaryingSteps(lambda: number): number {
  if (lambda >= 1) return 0;
  return Math.ceil(Math.log(LIMIT_SETTLED) / (2 * Math.log(1 - lambda)));
}
