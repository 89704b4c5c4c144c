import type { EncodedRatings } from "./encode.ts";

/**
 * Sums of the per-item count table pooled by item size m = r_i (number of ratings of the item). Every
 * multi-rater coefficient here divides item terms by a function of m only (m(m − 1) for pairwise agreement,
 * m for classification shares, m − 1 for the coincidence matrix), so pooling by m keeps the long sums in
 * exact integer arithmetic (exact below 2^53) and leaves at most `raterCount` divisions per quantity: results
 * do not depend on item order and carry no accumulated rounding error.
 */
export interface PooledCounts {
  readonly categoryCount: number;
  readonly raterCount: number;
  /** Items with at least one rating: irrCAC's n (the number of rows once unrated rows are removed). */
  readonly itemsRated: number;
  /** Items with at least two ratings (irrCAC's n2more): the only ones that carry agreement information. */
  readonly itemsPairable: number;
  /** N_m = number of items with exactly m ratings, m = 0…raterCount. */
  readonly itemsBySize: Float64Array;
  /** (raterCount + 1) × q: T_mk = Σ_{i: r_i = m} r_ik. */
  readonly labelTotalsBySize: Float64Array;
  /** (raterCount + 1) × q: S_mk = Σ_{i: r_i = m} r_ik². */
  readonly squareTotalsBySize: Float64Array;
  /**
   * Per size m ≥ 2 (null when no item has that size, or when products were not requested):
   * q × q P_m,kl = Σ_{i: r_i = m} r_ik·r_il.
   */
  readonly productTotalsBySize: readonly (Float64Array | null)[] | null;
}

/**
 * Pools the count table by item size (see `PooledCounts`). Products are only needed for weighted
 * coefficients and for Krippendorff's non-nominal metrics; they cost O(c²) per item where c is the number of
 * distinct labels the item received.
 *
 * Complexity: O(items · q) time, or O(items · (q + c²)) with products; O(raters · q) memory, plus
 * O(distinct sizes · q²) with products.
 *
 * @example
 * poolCounts(encodeRatings([["a", "a", "b"], ["a", null, null]]), false).itemsPairable // => 1
 */
export function poolCounts(encoded: EncodedRatings, withProducts: boolean): PooledCounts {
  const { itemCount, raterCount, counts, ratingsPerItem } = encoded;
  const q = encoded.categories.length;
  const itemsBySize = new Float64Array(raterCount + 1);
  const labelTotalsBySize = new Float64Array((raterCount + 1) * q);
  const squareTotalsBySize = new Float64Array((raterCount + 1) * q);
  const productTotalsBySize: (Float64Array | null)[] | null = withProducts
    ? new Array<Float64Array | null>(raterCount + 1).fill(null)
    : null;
  const present = new Int32Array(q);

  for (let i = 0; i < itemCount; i++) {
    const m = ratingsPerItem[i];
    itemsBySize[m]++;
    if (m === 0) continue;
    const row = i * q;
    const base = m * q;
    let distinct = 0;
    for (let k = 0; k < q; k++) {
      const c = counts[row + k];
      if (c === 0) continue;
      labelTotalsBySize[base + k] += c;
      squareTotalsBySize[base + k] += c * c;
      present[distinct++] = k;
    }
    if (productTotalsBySize === null || m < 2) continue;
    let products = productTotalsBySize[m];
    if (products === null) products = productTotalsBySize[m] = new Float64Array(q * q);
    for (let a = 0; a < distinct; a++) {
      const k = present[a];
      const ck = counts[row + k];
      for (let b = 0; b < distinct; b++) {
        const l = present[b];
        products[k * q + l] += ck * counts[row + l];
      }
    }
  }

  let itemsPairable = 0;
  for (let m = 2; m <= raterCount; m++) itemsPairable += itemsBySize[m];
  return {
    categoryCount: q,
    raterCount,
    itemsRated: itemsPairable + (raterCount >= 1 ? itemsBySize[1] : 0),
    itemsPairable,
    itemsBySize,
    labelTotalsBySize,
    squareTotalsBySize,
    productTotalsBySize,
  };
}

/**
 * Classification shares π_k = (1/n)·Σ_i r_ik / r_i over the n items with at least one rating
 * (irrCAC `pi.vec`; with complete data Fleiss' p_j).
 *
 * Complexity: O(raters · q).
 */
export function classificationShares(pooled: PooledCounts): Float64Array {
  const q = pooled.categoryCount;
  const shares = new Float64Array(q);
  if (pooled.itemsRated === 0) return shares;
  for (let k = 0; k < q; k++) {
    let sum = 0;
    for (let m = 1; m <= pooled.raterCount; m++) sum += pooled.labelTotalsBySize[m * q + k] / m;
    shares[k] = sum / pooled.itemsRated;
  }
  return shares;
}

/**
 * Pairwise (weighted) percent agreement over the n₂ items with at least two ratings:
 * p_a = (1/n₂)·Σ_{i: r_i ≥ 2} Σ_k r_ik·(r*_ik − 1) / (r_i(r_i − 1)), r*_ik = Σ_l w_kl·r_il
 * (irrCAC `pa` of pa.coeff.raw, fleiss.kappa.raw and gwet.ac1.raw). Null when n₂ = 0.
 * `weights` null = unweighted (identity), which needs no products.
 *
 * Complexity: O(raters · q²) from the pooled sums.
 */
export function pooledAgreementRate(pooled: PooledCounts, weights: Float64Array | null): number | null {
  if (pooled.itemsPairable === 0) return null;
  const q = pooled.categoryCount;
  let total = 0;
  for (let m = 2; m <= pooled.raterCount; m++) {
    const items = pooled.itemsBySize[m];
    if (items === 0) continue;
    let agreeingPairs = -m * items;
    if (weights === null) {
      for (let k = 0; k < q; k++) agreeingPairs += pooled.squareTotalsBySize[m * q + k];
    } else {
      const products = pooled.productTotalsBySize?.[m];
      if (!products) throw new Error("pooledAgreementRate: weighted agreement needs pooled products");
      let weighted = 0;
      for (let kl = 0; kl < q * q; kl++) weighted += weights[kl] * products[kl];
      agreeingPairs += weighted;
    }
    total += agreeingPairs / (m * (m - 1));
  }
  return total / pooled.itemsPairable;
}

/** The common item size when every rated item has the same number of ratings, else null. */
export function constantItemSize(pooled: PooledCounts): number | null {
  let size: number | null = null;
  for (let m = 1; m <= pooled.raterCount; m++) {
    if (pooled.itemsBySize[m] === 0) continue;
    if (size !== null) return null;
    size = m;
  }
  return size;
}
