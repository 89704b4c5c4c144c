import { tCritical } from "../critical.ts";
import { NeumaierSum } from "../sum.ts";
import type { EncodedRatings } from "./encode.ts";

/**
 * Chance-agreement model of a coefficient κ = (p_a − p_e)/(1 − p_e) whose item-level chance agreement is
 * linear in the item's counts: p_e,i = Σ_k r_ik·v_k / r_i.
 * Fleiss: v = (Wπ + Wᵀπ)/2. Gwet's AC1/AC2: v_k = T_w·(1 − π_k)/(q(q − 1)), T_w = Σ_kl w_kl.
 */
export interface ChanceModel {
  coefficient: number;
  pe: number;
  itemChanceWeights: Float64Array;
  /** Agreement weights, row-major q × q; null = unweighted (identity). */
  weights: Float64Array | null;
  itemsRated: number;
  itemsPairable: number;
}

/**
 * Gwet's linearisation variance of a chance-corrected coefficient from raw ratings, exactly as irrCAC
 * `fleiss.kappa.raw` / `gwet.ac1.raw` (Gwet 2008, BJMSP 61, 29–48; Gwet 2014, Handbook, ch. 5) without the
 * finite-population correction (N = ∞):
 *
 *   κ*_i = (n/n₂)·(p_a,i − p_e·[r_i ≥ 2])/(1 − p_e) − 2(1 − κ)·(p_e,i − p_e)/(1 − p_e)
 *   v(κ) = Σ_i (κ*_i − κ)² / (n(n − 1))
 *
 * over the n items with at least one rating, where p_a,i = Σ_k r_ik(r*_ik − 1)/(r_i(r_i − 1)) (0 when r_i <
 * 2). Needs n ≥ 2 (the caller checks). Compensated summation over items.
 *
 * Complexity: O(items · q) unweighted, O(items · (q + c²)) weighted (c = distinct labels per item); O(q)
 * memory.
 */
export function linearisedVariance(encoded: EncodedRatings, model: ChanceModel): number {
  const { itemCount, counts, ratingsPerItem } = encoded;
  const q = encoded.categories.length;
  const { coefficient, pe, itemChanceWeights, weights, itemsRated, itemsPairable } = model;
  const agreementScale = itemsRated / itemsPairable / (1 - pe);
  const chanceScale = (2 * (1 - coefficient)) / (1 - pe);
  const present = new Int32Array(q);
  const squares = new NeumaierSum();

  for (let i = 0; i < itemCount; i++) {
    const m = ratingsPerItem[i];
    if (m === 0) continue;
    const row = i * q;
    let chance = 0;
    let sameLabelPairs = 0;
    let distinct = 0;
    for (let k = 0; k < q; k++) {
      const c = counts[row + k];
      if (c === 0) continue;
      chance += c * itemChanceWeights[k];
      sameLabelPairs += c * c;
      present[distinct++] = k;
    }
    let itemTerm = 0;
    if (m >= 2) {
      let weightedPairs = sameLabelPairs;
      if (weights !== null) {
        weightedPairs = 0;
        for (let a = 0; a < distinct; a++) {
          const k = present[a];
          for (let b = 0; b < distinct; b++) {
            const l = present[b];
            weightedPairs += weights[k * q + l] * counts[row + k] * counts[row + l];
          }
        }
      }
      itemTerm = agreementScale * ((weightedPairs - m) / (m * (m - 1)) - pe);
    }
    const deviation = itemTerm - chanceScale * (chance / m - pe) - coefficient;
    squares.add(deviation * deviation);
  }
  return squares.value() / (itemsRated * (itemsRated - 1));
}

export interface TInterval {
  lower: number;
  upper: number;
}

/**
 * irrCAC's interval κ ± t(1 − α/2; n − 1)·se with the upper bound clipped at 1 (the lower bound is not
 * clipped, as in irrCAC). O(1).
 */
export function irrcacInterval(
  coefficient: number,
  se: number,
  itemsRated: number,
  confidence: number,
): TInterval {
  const half = tCritical(confidence, itemsRated - 1) * se;
  return { lower: coefficient - half, upper: Math.min(1, coefficient + half) };
}
