import { assertConfidence } from "../critical.ts";
import { crossTable, kappaFromCells } from "./cohen.ts";
import type { EncodedRatings } from "./encode.ts";
import { type LandisKochBand, landisKoch } from "./interpretation.ts";
import { agreementWeights, type WeightScheme } from "./weights.ts";

export interface PairwiseAgreement {
  raters: [string, string];
  /** Items rated by both. */
  items: number;
  /** Share of shared items given the same label (unweighted). */
  percentAgreement: number | null;
  /** Cohen's kappa with the requested weights (same value as `cohenKappa` for the pair). */
  kappa: number | null;
  interpretation: LandisKochBand | null;
  undefinedReason: string | null;
}

/**
 * Cohen's kappa (weighted as requested; see `cohenKappaFromTable`) and unweighted percent agreement
 * p_o = Σ_k n_kk / n for every pair of raters a < b, each over the n items both rated. Weights use the
 * positions in the matrix-wide category list, so every pair is weighted alike (R irr `kappa2` instead ranks
 * the levels the two columns happen to use).
 *
 * Complexity: O(raters² · (items + q²)) time (one pass over the items per pair), O(q²) memory.
 *
 * @throws {StatsInputError} when weights is unknown or confidence is not in (0, 1)
 * @example
 * pairwiseAgreement(encodeRatings([[1, 1, 2], [2, 2, 2]]), ["a", "b", "c"])[0]
 * // => { raters: ["a", "b"], items: 2, percentAgreement: 1, kappa: 1, interpretation: "almost perfect",
 * //      undefinedReason: null }
 */
export function pairwiseAgreement(
  encoded: EncodedRatings,
  raterNames: readonly string[],
  options: { weights?: WeightScheme; confidence?: number } = {},
): PairwiseAgreement[] {
  const q = encoded.categories.length;
  const scheme = options.weights ?? "unweighted";
  const confidence = options.confidence ?? 0.95;
  assertConfidence(confidence);
  const weights = agreementWeights(scheme, q);
  const pairs: PairwiseAgreement[] = [];
  for (let a = 0; a < encoded.raterCount; a++) {
    for (let b = a + 1; b < encoded.raterCount; b++) {
      const cells = crossTable(encoded, a, b);
      const kappa = kappaFromCells(cells, q, weights, scheme, confidence);
      let agreeing = 0;
      for (let k = 0; k < q; k++) agreeing += cells[k * q + k];
      pairs.push({
        raters: [raterNames[a], raterNames[b]],
        items: kappa.items,
        percentAgreement: kappa.items > 0 ? agreeing / kappa.items : null,
        kappa: kappa.kappa,
        interpretation: landisKoch(kappa.kappa),
        undefinedReason: kappa.undefinedReason,
      });
    }
  }
  return pairs;
}
