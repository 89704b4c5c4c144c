import type { EncodedRatings } from "./encode.ts";
import { poolCounts, pooledAgreementRate } from "./pooled-counts.ts";

export interface PercentAgreementResult {
  /**
   * Share of agreeing rater pairs, averaged over items with at least two ratings; null when there are none.
   */
  value: number | null;
  /** Items with at least two ratings (the average is over these). */
  itemsPairable: number;
  undefinedReason: string | null;
}

/**
 * Pairwise percent agreement (observed agreement p_a of Fleiss 1971 and of irrCAC `pa.coeff.raw`):
 *
 *   p_a = (1/n₂) · Σ_{i: r_i ≥ 2} Σ_k r_ik(r_ik − 1) / (r_i(r_i − 1))
 *
 * where r_ik = raters who gave item i category k, r_i = Σ_k r_ik, n₂ = number of items with r_i ≥ 2: for each
 * item the share of its r_i(r_i − 1)/2 rater pairs that chose the same label, averaged with equal weight per
 * item. Items with fewer than two ratings are ignored. Not chance-corrected.
 *
 * Complexity: O(items · categories) time (one pass over the count table), O(raters · categories) memory.
 *
 * @example
 * percentAgreement(encodeRatings([["a", "a", "b"], ["a", "a", null], ["b", null, null]]))
 * // => { value: 0.6666666666666666, itemsPairable: 2, undefinedReason: null } ((1/3 + 1)/2)
 */
export function percentAgreement(encoded: EncodedRatings): PercentAgreementResult {
  const pooled = poolCounts(encoded, false);
  const value = pooledAgreementRate(pooled, null);
  return {
    value,
    itemsPairable: pooled.itemsPairable,
    undefinedReason: value === null ? "no item has two or more ratings, so no rater pair can agree" : null,
  };
}
