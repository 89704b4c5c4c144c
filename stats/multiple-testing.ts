import { StatsInputError } from "./errors.ts";

/**
 * False-discovery-rate adjusted p-values (q-values) across m simultaneous tests, exactly as R's
 * `p.adjust(p, method = "BH")` and `p.adjust(p, method = "BY")` define them.
 *
 * - Benjamini–Hochberg (BH): Benjamini Y & Hochberg Y (1995) "Controlling the false discovery rate: a
 *   practical and powerful approach to multiple testing", JRSS B 57(1):289–300. Step-up: with the p-values
 *   ranked p₍₁₎ ≤ … ≤ p₍ₘ₎, q₍ᵢ₎ = min(1, min_{j ≥ i} m/j · p₍ⱼ₎) (the cumulative minimum taken from the
 *   largest rank down). Rejecting every test with q ≤ α controls the FDR at α for independent or positively
 *   dependent (PRDS) tests.
 * - Benjamini–Yekutieli (BY): Benjamini Y & Yekutieli D (2001) "The control of the false discovery rate in
 *   multiple testing under dependency", Ann Stat 29(4):1165–1188. The same with m/j replaced by
 *   c(m)·m/j, c(m) = Σ_{i=1}^{m} 1/i: controls the FDR under any dependence.
 *
 * Ties: R orders the p-values with `order(p, decreasing = TRUE)` and takes the cumulative minimum; tied
 * p-values therefore all get the q-value of the tied one with the largest rank (whatever their order), which
 * is what this does. The products are formed as R forms them ((m/i)·p for BH, ((c·m)/i)·p for BY), so the
 * results agree with R to the last bit or two (R sums c(m) in extended precision).
 *
 * Complexity O(m log m) time (one sort), O(m) memory.
 *
 * @param p the p-values, each in [0, 1] (NaN refused: R would drop it from m, which silently changes the
 *   other q-values)
 * @returns the q-values in the order of `p`
 * @throws {StatsInputError} `p.<i>` when a p-value is not a number in [0, 1]
 * @example
 * benjaminiHochberg([0.01, 0.04, 0.03]) // => Float64Array [0.03, 0.04, 0.04]
 */
export function benjaminiHochberg(p: ArrayLike<number>): Float64Array {
  return stepUp(p, 1);
}

/**
 * Benjamini–Yekutieli adjusted p-values (see benjaminiHochberg): q₍ᵢ₎ = min(1, min_{j ≥ i} c(m)·m/j · p₍ⱼ₎),
 * c(m) = Σ_{i=1}^{m} 1/i (the harmonic number). Always ≥ the BH q-values, by the factor c(m) before capping.
 *
 * Complexity O(m log m).
 * @throws {StatsInputError} `p.<i>` when a p-value is not a number in [0, 1]
 * @example
 * benjaminiYekutieli([0.01, 0.04, 0.03]) // => Float64Array [0.055, 0.07333333333333333, 0.07333333333333333]
 */
export function benjaminiYekutieli(p: ArrayLike<number>): Float64Array {
  return stepUp(p, harmonicNumber(p.length));
}

/** The multiplicity adjustments by name (the alert rules' and the quality report's `multiplicity`). */
export type FdrMethod = "bh" | "by";

/**
 * q-values by `method` (bh: benjaminiHochberg, by: benjaminiYekutieli).
 * @throws {StatsInputError} `p.<i>` when a p-value is not a number in [0, 1]
 * @example
 * adjustPValues([0.01, 0.04, 0.03], "bh") // => Float64Array [0.03, 0.04, 0.04]
 */
export function adjustPValues(p: ArrayLike<number>, method: FdrMethod): Float64Array {
  return method === "by" ? benjaminiYekutieli(p) : benjaminiHochberg(p);
}

/** c(m) = Σ_{i=1}^{m} 1/i, summed from the smallest term up (as accurate as a double sum gets). */
function harmonicNumber(m: number): number {
  let sum = 0;
  for (let i = m; i >= 1; i--) sum += 1 / i;
  return sum;
}

function stepUp(p: ArrayLike<number>, factor: number): Float64Array {
  const m = p.length;
  const values = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const value = p[i];
    if (!(value >= 0 && value <= 1))
      throw new StatsInputError("every p-value must be a number between 0 and 1", `p.${i}`);
    values[i] = value;
  }
  // Indices by p descending; ties keep index order (R's order() is stable). Ties get the same q either way.
  const order = new Uint32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  order.sort((a, b) => values[b] - values[a] || a - b);
  const q = new Float64Array(m);
  const scale = factor * m;
  let running = Number.POSITIVE_INFINITY;
  for (let k = 0; k < m; k++) {
    const rank = m - k; // i in R's `n/i * p[o]`
    const index = order[k];
    const candidate = (scale / rank) * values[index]; // R: (c·n/i)·p, c = 1 for BH
    if (candidate < running) running = candidate;
    q[index] = Math.min(running, 1);
  }
  return q;
}
