import { compensatedSum } from "../sum.ts";

/**
 * Shewhart attribute charts (Montgomery, Introduction to Statistical Quality Control, ch. 7; R qcc):
 *
 * | type | plotted value | centre | standard error σᵢ | limits clipped to |
 * |---|---|---|---|---|
 * | p  | countᵢ/nᵢ | p̄ = Σcount/Σn | √(p̄(1−p̄)/nᵢ) | [0, 1] |
 * | np | countᵢ (n constant) | n·p̄ | √(n·p̄(1−p̄)) | [0, n] |
 * | c  | countᵢ | c̄ = mean count | √c̄ | [0, ∞) |
 * | u  | countᵢ/nᵢ (nᵢ inspection units) | ū = Σcount/Σn | √(ū/nᵢ) | [0, ∞) |
 */
export type AttributeType = "p" | "np" | "c" | "u";

/** The plotted value of one point. O(1). @example attributeValue("p", 12, 50) // => 0.24 */
export function attributeValue(type: AttributeType, count: number, n: number): number {
  return type === "p" || type === "u" ? count / n : count;
}

/**
 * Centre line estimated from the points at `indices`: p̄ = Σcount/Σn (p, u), n·p̄ (np), mean count (c).
 * Sums are compensated (Neumaier) so long series keep full precision. O(m) for m indices (m ≥ 1).
 *
 * @example
 * estimateAttributeCentre("p", [12, 15], [50, 50], [0, 1]) // => 0.27
 */
export function estimateAttributeCentre(
  type: AttributeType,
  counts: ArrayLike<number>,
  sizes: ArrayLike<number>,
  indices: readonly number[],
): number {
  const countTotal = compensatedSum(indices.map((i) => counts[i]));
  if (type === "c") return countTotal / indices.length;
  const sizeTotal = compensatedSum(indices.map((i) => sizes[i]));
  const rate = countTotal / sizeTotal;
  return type === "np" ? sizes[indices[0]] * rate : rate;
}

/**
 * Standard error σᵢ of one point's plotted value under the centre (binomial for p and np, Poisson for c
 * and u). 0 when the centre is degenerate (p̄ = 0 or 1, c̄ = 0, ū = 0). O(1).
 *
 * @example
 * attributeStandardError("p", 0.2313333333333333, 50) // => 0.05963526...
 */
export function attributeStandardError(type: AttributeType, centre: number, n: number): number {
  switch (type) {
    case "p":
      return Math.sqrt(Math.max(0, centre * (1 - centre)) / n);
    case "np":
      return Math.sqrt(Math.max(0, centre * (1 - centre / n)));
    case "c":
      return Math.sqrt(centre);
    case "u":
      return Math.sqrt(centre / n);
  }
}

/**
 * The largest value a plotted value can take, to which upper limits are clipped (lower limits are clipped
 * at 0): 1 for proportions, n for np counts, ∞ for c and u. O(1).
 *
 * @example
 * attributeMaximum("np", 50) // => 50
 */
export function attributeMaximum(type: AttributeType, n: number): number {
  if (type === "p") return 1;
  if (type === "np") return n;
  return Number.POSITIVE_INFINITY;
}
