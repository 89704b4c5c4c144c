import { erfc } from "../error-function.ts";
import { binomialWindow } from "./binomial-limits.ts";

/**
 * Average run length by a Markov chain (Brook & Evans 1972, "An approach to the probability distribution of
 * CUSUM run length", Biometrika 59:539–549): the chart statistic's in-control region is cut into m cells
 * (the transient states); R[i][j] is the probability of moving from cell i's centre into cell j in one
 * observation, and the signal is the absorbing state. The vector a of ARLs from each transient state solves
 * (I − R)·a = 1, found here by Gaussian elimination with partial pivoting.
 *
 * Complexity O(m³/3) time, O(m²) memory (R is dense: a normal or binomial step can reach every cell).
 *
 * @param transitions R, m × m, row-major (read only; the elimination works on a copy of I − R)
 * @param m number of transient states
 * @returns a, the ARL from each transient state (+∞ where the chain cannot reach the signal in floating point)
 * @example
 * // one transient state that stays with probability 0.9: ARL = 1/(1 − 0.9) = 10
 * solveArl(Float64Array.of(0.9), 1) // => Float64Array [10]
 */
export function solveArl(transitions: Float64Array, m: number): Float64Array {
  const a = new Float64Array(m * m);
  for (let i = 0; i < m * m; i++) a[i] = -transitions[i];
  for (let i = 0; i < m; i++) a[i * m + i] += 1;
  const b = new Float64Array(m).fill(1);
  for (let col = 0; col < m; col++) {
    let pivot = col;
    let largest = Math.abs(a[col * m + col]);
    for (let row = col + 1; row < m; row++) {
      const value = Math.abs(a[row * m + col]);
      if (value > largest) {
        largest = value;
        pivot = row;
      }
    }
    if (pivot !== col) {
      for (let j = col; j < m; j++) {
        const t = a[col * m + j];
        a[col * m + j] = a[pivot * m + j];
        a[pivot * m + j] = t;
      }
      const t = b[col];
      b[col] = b[pivot];
      b[pivot] = t;
    }
    const diagonal = a[col * m + col];
    for (let row = col + 1; row < m; row++) {
      const factor = a[row * m + col] / diagonal;
      if (factor === 0) continue;
      const rowStart = row * m;
      const colStart = col * m;
      for (let j = col + 1; j < m; j++) a[rowStart + j] -= factor * a[colStart + j];
      b[row] -= factor * b[col];
    }
  }
  const x = new Float64Array(m);
  for (let row = m - 1; row >= 0; row--) {
    let sum = b[row];
    for (let j = row + 1; j < m; j++) sum -= a[row * m + j] * x[j];
    x[row] = sum / a[row * m + row];
  }
  // A chain that cannot reach the signal in floating point (every escape probability rounds to 0: the lower
  // CUSUM after a large upward shift) leaves I − R singular, and the elimination answers 0/0 or a negative
  // number: its ARL is +∞ (in a two-sided chart that side never signals).
  for (let row = 0; row < m; row++) if (!(x[row] > 0)) x[row] = Number.POSITIVE_INFINITY;
  return x;
}

/**
 * solveArl for a chain symmetric about its middle state (m odd, R[m−1−i][m−1−j] = R[i][j]: a two-sided chart on a
 * symmetric step law), whose ARLs are then symmetric, aᵢ = a₍ₘ₋₁₋ᵢ₎: only rows 0 … (m − 1)/2 of R are read and the
 * folded system of (m + 1)/2 states, F[i][j] = R[i][j] + R[i][m−1−j] (j < middle), F[i][middle] = R[i][middle],
 * is solved — an eighth of the work.
 *
 * Complexity O(m³/24).
 *
 * @example
 * // three states, symmetric: a = (I − R)⁻¹1
 * solveSymmetricArl(Float64Array.of(0.5, 0.2, 0.1, 0.2, 0.5, 0.2, 0.1, 0.2, 0.5), 3) // => [5.8333…, 6.6666…, 5.8333…]
 */
export function solveSymmetricArl(transitions: Float64Array, m: number): Float64Array {
  const middle = (m - 1) / 2;
  const half = middle + 1;
  const folded = new Float64Array(half * half);
  for (let i = 0; i < half; i++) {
    for (let j = 0; j < middle; j++) {
      folded[i * half + j] = transitions[i * m + j] + transitions[i * m + m - 1 - j];
    }
    folded[i * half + middle] = transitions[i * m + middle];
  }
  const a = solveArl(folded, half);
  const full = new Float64Array(m);
  for (let i = 0; i < m; i++) full[i] = a[Math.min(i, m - 1 - i)];
  return full;
}

/**
 * The law of one standardised observation y that moves a chart statistic, as its distribution function:
 * `cdf(x)` = P(y ≤ x) and `cdfBelow(x)` = P(y < x) (they differ only at the atoms of a discrete law).
 */
export interface StepLaw {
  cdf(x: number): number;
  cdfBelow(x: number): number;
  /** "normal" or "binomial", for the notes. */
  kind: "normal" | "binomial";
  /** y and −y have the same law (N(0, 1)): symmetric chains fold to half their states. */
  symmetric?: boolean;
  /**
   * A discrete law's atoms in increasing order, those with probability above 1e-15 of the largest (the
   * lattice chains scatter each atom; the omitted tail is below 1e-13 in total).
   */
  atoms?: { values: Float64Array; probabilities: Float64Array };
}

/**
 * y ~ N(mean, 1): standardised normal data shifted by `mean` standard deviations. Φ(x) = erfc(−x/√2)/2. O(1)
 * per evaluation.
 * @example
 * normalStep(0).cdf(0) // => 0.5
 */
export function normalStep(mean: number): StepLaw {
  const cdf = (x: number) => 0.5 * erfc(-(x - mean) / Math.SQRT2);
  return { cdf, cdfBelow: cdf, kind: "normal", symmetric: mean === 0 };
}

/**
 * The standardised subgroup proportion of a p chart with known centre p₀: y = (X/n − p₀)/√(p₀(1 − p₀)/n) with
 * X ~ Binomial(n, p) (p = p₀ in control, p₁ out of control), exact binomial probabilities (binomialWindow:
 * every omitted count has probability below 1e-30 of the mode's). Built in O(√(np(1−p))); each cdf evaluation
 * is a binary search, O(log √(np(1−p))).
 * @example
 * binomialStep(0.1, 100, 0.1).cdf(0) // => P(X ≤ 10) for X ~ Binomial(100, 0.1) = 0.5831555...
 */
export function binomialStep(p0: number, n: number, p: number): StepLaw {
  const { first, pmf } = binomialWindow(n, p);
  const sigma = Math.sqrt(n * p0 * (1 - p0));
  const values = new Float64Array(pmf.length);
  const cumulative = new Float64Array(pmf.length);
  let sum = 0;
  for (let j = 0; j < pmf.length; j++) {
    values[j] = (first + j - n * p0) / sigma;
    sum += pmf[j];
    cumulative[j] = Math.min(1, sum);
  }
  /** Number of lattice values v with v ≤ x (inclusive) or v < x. */
  const countUpTo = (x: number, inclusive: boolean) => {
    let low = 0;
    let high = values.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (inclusive ? values[mid] <= x : values[mid] < x) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  let largest = 0;
  for (const value of pmf) largest = Math.max(largest, value);
  let from = 0;
  let to = pmf.length;
  while (from < to - 1 && pmf[from] < ATOM_FLOOR * largest) from++;
  while (to - 1 > from && pmf[to - 1] < ATOM_FLOOR * largest) to--;
  return {
    atoms: { values: values.slice(from, to), probabilities: pmf.slice(from, to) },
    cdf: (x) => {
      const count = countUpTo(x, true);
      return count === 0 ? 0 : cumulative[count - 1];
    },
    cdfBelow: (x) => {
      const count = countUpTo(x, false);
      return count === 0 ? 0 : cumulative[count - 1];
    },
    kind: "binomial",
  };
}

const ATOM_FLOOR = 1e-15;

/** The law of −y: P(−y ≤ x) = 1 − P(y < −x). */
export function negatedStep(law: StepLaw): StepLaw {
  const atoms = law.atoms && {
    values: law.atoms.values.map((v) => -v).reverse(),
    probabilities: law.atoms.probabilities.slice().reverse(),
  };
  return {
    ...(atoms ? { atoms } : {}),
    cdf: (x) => 1 - law.cdfBelow(-x),
    cdfBelow: (x) => 1 - law.cdf(-x),
    kind: law.kind,
  };
}

/** Relative change |a − b|/|b|, 0 when both are equal (including both infinite). */
export function relativeChange(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.abs(b);
}

/**
 * Adds probability `mass`, spread uniformly over the interval [lo, hi] (hi > lo), to the cells
 * [origin + c·w, origin + (c + 1)·w], c = 0 … cells − 1, each getting mass × (overlap length)/(hi − lo), the row's
 * entries at offset + firstState + c; the parts of [lo, hi] outside [clipLow, clipHigh] are not added (signal,
 * or handled by the caller). The "uniform within a cell" step of the lattice chains.
 * O(1 + (hi − lo)/w).
 */
export function spreadOverCells(
  row: Float64Array,
  offset: number,
  cells: number,
  origin: number,
  w: number,
  lo: number,
  hi: number,
  clipLow: number,
  clipHigh: number,
  mass: number,
): void {
  const from = Math.max(lo, clipLow);
  const to = Math.min(hi, clipHigh);
  if (!(to > from)) return;
  const density = mass / (hi - lo);
  let c = Math.max(0, Math.floor((from - origin) / w));
  const last = Math.min(cells - 1, Math.floor((to - origin) / w));
  for (; c <= last; c++) {
    const overlap = Math.min(to, origin + (c + 1) * w) - Math.max(from, origin + c * w);
    if (overlap > 0) row[offset + c] += density * overlap;
  }
}

/**
 * Adds probability `mass` landing at the point `t` to the two nearest of the grid points origin + j·w
 * (j = 0 … m − 1), split linearly so the expected landing point is kept; outside the grid, all to the end point.
 */
export function splitOntoGrid(
  row: Float64Array,
  offset: number,
  m: number,
  origin: number,
  w: number,
  t: number,
  mass: number,
): void {
  const position = (t - origin) / w;
  const j = Math.floor(position);
  if (j < 0) {
    row[offset] += mass;
    return;
  }
  if (j >= m - 1) {
    row[offset + m - 1] += mass;
    return;
  }
  const upperShare = Math.min(1, Math.max(0, position - j));
  row[offset + j] += mass * (1 - upperShare);
  row[offset + j + 1] += mass * upperShare;
}

/** Linear interpolation of values at the grid points origin + j·w (j = 0 … m − 1) at t, constant outside. */
export function interpolateOnGrid(
  values: Float64Array,
  m: number,
  origin: number,
  w: number,
  t: number,
): number {
  const position = (t - origin) / w;
  if (position <= 0) return values[0];
  if (position >= m - 1) return values[m - 1];
  const j = Math.floor(position);
  const share = position - j;
  return values[j] * (1 - share) + values[j + 1] * share;
}
