import type { Label } from "./encode.ts";
import { parseRatingsInput, type RatingsInput } from "./input.ts";

export interface ItemDisagreementInput extends RatingsInput {
  /** Also list items on which every rater agreed (default false). */
  includeUnanimous?: boolean;
}

export interface LabelGroup {
  category: Label;
  count: number;
  /** Names of the raters who chose this label, in column order. */
  raters: string[];
}

export interface ItemSplit {
  /** Row index in `ratings`. */
  item: number;
  ratings: number;
  /** Share of agreeing rater pairs on this item: Σ_k r_ik(r_ik − 1) / (r_i(r_i − 1)). */
  agreement: number;
  /** Most frequent label(s); more than one = a tie. */
  modal: Label[];
  /** The labels given, most frequent first (ties in category order). */
  labels: LabelGroup[];
}

export interface ItemDisagreementReport {
  items: number;
  /** Items with at least two ratings. */
  pairableItems: number;
  /** Pairable items on which every rating is the same label. */
  unanimousItems: number;
  /**
   * Pairable items with disagreement (all pairable items with `includeUnanimous`), lowest agreement first.
   */
  splits: ItemSplit[];
}

/**
 * Items to discuss in a calibration session: for every item with two or more ratings, the pairwise agreement
 * share (the item term of `percentAgreement`), the modal label(s) and which raters chose each label. Sorted
 * by agreement ascending, then by item index, so the most split items come first.
 *
 * Complexity: O(items · (raters + q) + s·log s) time for s listed items, O(items · (raters + q)) memory.
 *
 * @throws {StatsInputError} on an invalid matrix (see `parseRatingsInput`)
 * @example
 * itemDisagreement({ ratings: [["a", "a"], ["a", "b"]], raters: ["ann", "bob"] }).splits
 * // => [{ item: 1, ratings: 2, agreement: 0, modal: ["a", "b"],
 * //       labels: [{ category: "a", count: 1, raters: ["ann"] },
 * //                { category: "b", count: 1, raters: ["bob"] }] }]
 */
export function itemDisagreement(input: ItemDisagreementInput): ItemDisagreementReport {
  const { encoded, raterNames } = parseRatingsInput(input);
  const { itemCount, raterCount, codes, counts, ratingsPerItem, categories } = encoded;
  const q = categories.length;
  const splits: ItemSplit[] = [];
  let pairableItems = 0;
  let unanimousItems = 0;
  for (let i = 0; i < itemCount; i++) {
    const m = ratingsPerItem[i];
    if (m < 2) continue;
    pairableItems++;
    let agreeingPairs = 0;
    let largest = 0;
    for (let k = 0; k < q; k++) {
      const c = counts[i * q + k];
      agreeingPairs += c * (c - 1);
      largest = Math.max(largest, c);
    }
    if (largest === m) unanimousItems++;
    if (largest === m && !input.includeUnanimous) continue;
    const labels: LabelGroup[] = [];
    for (let k = 0; k < q; k++) {
      if (counts[i * q + k] === 0) continue;
      const raters: string[] = [];
      for (let j = 0; j < raterCount; j++) if (codes[i * raterCount + j] === k) raters.push(raterNames[j]);
      labels.push({ category: categories[k], count: counts[i * q + k], raters });
    }
    labels.sort((a, b) => b.count - a.count);
    splits.push({
      item: i,
      ratings: m,
      agreement: agreeingPairs / (m * (m - 1)),
      modal: labels.filter((group) => group.count === largest).map((group) => group.category),
      labels,
    });
  }
  splits.sort((a, b) => a.agreement - b.agreement || a.item - b.item);
  return { items: itemCount, pairableItems, unanimousItems, splits };
}
