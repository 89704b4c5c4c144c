import { negatedStep, type StepLaw, solveArl, splitOntoGrid, spreadOverCells } from "./arl-markov.ts";

/**
 * Average run length of the one-sided upper CUSUM C⁺ₜ = max(0, C⁺ₜ₋₁ + yₜ − k), C⁺₀ = 0, signalling when
 * C⁺ₜ > h, by the Markov chain of Brook & Evans (1972, "An approach to the probability distribution of CUSUM run
 * length", Biometrika 59:539–549): m states of width w = 2h/(2m − 1); state 0 stands for C ≤ w/2 (and holds the
 * reflecting barrier at 0), state i for ((i − ½)w, (i + ½)w], so the last state ends at (m − ½)w = h. From state
 * i (C = iw): to 0 with F(w/2 − iw + k), to j ≥ 1 with F((j + ½)w − iw + k) − F((j − ½)w − iw + k), F the law
 * of the standardised observation y. ARL = a₀, (I − R)a = 1.
 *
 * Complexity O(m³/3) for the solve and O(m²) distribution evaluations.
 *
 * @param k reference value in σ, ≥ 0
 * @param h decision interval in σ, > 0
 * @param step the law of y
 * @param m number of states
 * @returns the ARL from C⁺₀ = 0
 * @throws nothing: chartDesign (stats/spc/chart-design.ts) checks every input first.
 * @example
 * cusumUpperArl(0.5, 5, normalStep(0), 200) // => ≈ 930 (Hawkins & Olwell 1998: 930.9)
 */
export function cusumUpperArl(k: number, h: number, step: StepLaw, m: number): number {
  if (step.atoms) return latticeCusumUpperArl(k, h, step.atoms, m);
  const w = (2 * h) / (2 * m - 1);
  const R = new Float64Array(m * m);
  const boundaries = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const shiftBy = k - i * w;
    for (let j = 0; j < m; j++) boundaries[j] = step.cdf((j + 0.5) * w + shiftBy);
    R[i * m] = boundaries[0];
    for (let j = 1; j < m; j++) R[i * m + j] = Math.max(0, boundaries[j] - boundaries[j - 1]);
  }
  return solveArl(R, m)[0];
}

/**
 * Average run length of the two-sided tabular CUSUM (C⁺ with y − k, C⁻ with −y − k, a signal when either
 * exceeds h; stats/spc/cusum.ts) from the one-sided ARLs by 1/ARL = 1/ARL⁺ + 1/ARL⁻ (van Dobben de Bruyn 1968;
 * Lucas & Crosier 1982, Technometrics 24:199–205; Montgomery, Introduction to Statistical Quality Control §9.1).
 * The relation is exact when C⁺ and C⁻ can never be positive together, which holds for zero-start sums when
 * h ≤ 2k (a step that makes C⁻ positive lowers C⁺ by more than 2k); otherwise it is an approximation, a close one
 * at the usual designs (k = 0.5, h = 4 or 5: Montgomery's Table of two-sided ARLs is computed this way).
 *
 * Complexity twice cusumUpperArl's.
 *
 * @example
 * cusumArl(0.5, 5, normalStep(0), 200) // => ≈ 465 (Montgomery: 465)
 */
export function cusumArl(
  k: number,
  h: number,
  step: StepLaw,
  m: number,
): { arl: number; upper: number; lower: number } {
  const upper = cusumUpperArl(k, h, step, m);
  // A symmetric step law (in control, normal data): the lower CUSUM's ARL is the upper's.
  const lower = step.symmetric ? upper : cusumUpperArl(k, h, negatedStep(step), m);
  return { arl: 1 / (1 / upper + 1 / lower), upper, lower };
}

/**
 * cusumUpperArl for a discrete step law (the standardised binomial proportion): state 0 is the atom C = 0 (the
 * reflecting barrier), states 1 … m − 1 the cells ((i − 1)w, iw], w = h/(m − 1), with C taken as uniform within
 * its cell. From cell i an atom v moves C to the interval ((i − 1)w + v − k, iw + v − k]: its part ≤ 0 goes to
 * state 0, its part > h is the signal, the rest is spread over the cells by overlap. From the atom, C moves to the
 * point t = v − k: state 0 when t ≤ 0, else split linearly between the neighbouring state points (0 and the cell
 * centres (i − ½)w). Cell centres alone would round every landing point of a lattice step, and the ARL would
 * wander with m by a percent or more.
 *
 * Complexity O(m·V) to build R (V atoms) and O(m³/3) to solve.
 */
function latticeCusumUpperArl(k: number, h: number, atoms: NonNullable<StepLaw["atoms"]>, m: number): number {
  const w = h / (m - 1);
  const { values, probabilities } = atoms;
  const R = new Float64Array(m * m);
  // From the atom C = 0: points.
  for (let a = 0; a < values.length; a++) {
    const t = values[a] - k;
    if (t > h) break;
    if (t <= 0) R[0] += probabilities[a];
    else if (t < w / 2) {
      const share = t / (w / 2);
      R[0] += probabilities[a] * (1 - share);
      R[1] += probabilities[a] * share;
    } else splitOntoGrid(R, 1, m - 1, w / 2, w, t, probabilities[a]);
  }
  // From the cells: intervals of length w.
  for (let i = 1; i < m; i++) {
    const lo = (i - 1) * w - k;
    for (let a = 0; a < values.length; a++) {
      const from = lo + values[a];
      const to = from + w;
      if (from > h) break;
      if (from < 0) R[i * m] += (probabilities[a] * (Math.min(to, 0) - from)) / w;
      spreadOverCells(R, i * m + 1, m - 1, 0, w, from, to, 0, h, probabilities[a]);
    }
  }
  return solveArl(R, m)[0];
}
