import { assertConfidence } from "../critical.ts";
import type { EncodedRatings } from "./encode.ts";
import { type LandisKochBand, landisKoch } from "./interpretation.ts";
import { irrcacInterval, linearisedVariance } from "./linearised-variance.ts";
import { classificationShares, poolCounts, pooledAgreementRate } from "./pooled-counts.ts";
import { agreementWeights, type WeightScheme } from "./weights.ts";

export interface GwetAc1Result {
  /** AC1 (unweighted) or AC2 (weighted); see `coefficient`. */
  ac1: number | null;
  /** Gwet's linearisation standard error (irrCAC gwet.ac1.raw, no finite-population correction). */
  se: number | null;
  /** ac1 ± t(1 − α/2; n − 1)·se, upper clipped at 1 (irrCAC). */
  lower: number | null;
  upper: number | null;
  interpretation: LandisKochBand | null;
  coefficient: "AC1" | "AC2";
  weights: WeightScheme;
  confidence: number;
  pa: number | null;
  pe: number | null;
  itemsRated: number;
  itemsPairable: number;
  undefinedReason: string | null;
  seUndefinedReason: string | null;
}

export interface GwetOptions {
  weights?: WeightScheme;
  confidence?: number;
}

/**
 * Gwet's AC1 (unweighted) and AC2 (weighted) agreement coefficients for any number of raters with missing
 * ratings, exactly as irrCAC `gwet.ac1.raw` (Gwet 2008, "Computing inter-rater reliability and its variance
 * in the presence of high agreement", BJMSP 61, 29–48; Gwet 2014, Handbook, 4th ed.):
 *
 *   π_k = (1/n)·Σ_i r_ik/r_i   (n = items with ≥ 1 rating),  p_a as in `fleissKappa`
 *   p_e = T_w/(q(q − 1)) · Σ_k π_k(1 − π_k),  T_w = Σ_kl w_kl,   AC = (p_a − p_e)/(1 − p_e)
 *
 * q = number of categories (the `categories` given, else the observed labels). Chance agreement stays
 * below 1, so AC1 is defined whenever some item has two ratings — also with a single category (then
 * p_e = 0 and AC1 = p_a). Standard error: Gwet's linearisation (see `linearisedVariance`) without
 * finite-population correction; interval AC ± t(n − 1)·se clipped at 1.
 *
 * Complexity: O(items · q) unweighted, O(items · (q + c²)) weighted; O(raters · q² + q²) memory.
 *
 * @throws {StatsInputError} when confidence is not in (0, 1) or weights is unknown
 * @example
 * gwetAc1(encodeRatings(krippendorffExampleC)).ac1 // => 0.775444068126995 (irrCAC README: 0.77544)
 */
export function gwetAc1(encoded: EncodedRatings, options: GwetOptions = {}): GwetAc1Result {
  const scheme = options.weights ?? "unweighted";
  const confidence = options.confidence ?? 0.95;
  assertConfidence(confidence);
  const q = encoded.categories.length;
  const weightMatrix = scheme === "unweighted" ? null : agreementWeights(scheme, q);
  const pooled = poolCounts(encoded, weightMatrix !== null);
  const shares = classificationShares(pooled);
  const pa = pooledAgreementRate(pooled, weightMatrix);

  let totalWeight = q;
  if (weightMatrix !== null) {
    totalWeight = 0;
    for (const w of weightMatrix) totalWeight += w;
  }
  // One category: T_w/(q(q − 1)) is 0/0; irrCAC uses p_e = 1e-15, i.e. AC1 = p_a. There is no chance term.
  const chanceScale = q >= 2 ? totalWeight / (q * (q - 1)) : 0;
  let pe: number | null = null;
  if (pooled.itemsRated > 0) {
    pe = 0;
    for (const share of shares) pe += share * (1 - share);
    pe *= chanceScale;
  }

  const result: GwetAc1Result = {
    ac1: null,
    se: null,
    lower: null,
    upper: null,
    interpretation: null,
    coefficient: scheme === "unweighted" ? "AC1" : "AC2",
    weights: scheme,
    confidence,
    pa,
    pe,
    itemsRated: pooled.itemsRated,
    itemsPairable: pooled.itemsPairable,
    undefinedReason: null,
    seUndefinedReason: null,
  };
  if (pa === null || pe === null) {
    result.undefinedReason = "no item has two or more ratings, so agreement cannot be measured";
    result.seUndefinedReason = result.undefinedReason;
    return result;
  }
  const ac1 = (pa - pe) / (1 - pe);
  result.ac1 = ac1;
  result.interpretation = landisKoch(ac1);
  if (pooled.itemsRated < 2) {
    result.seUndefinedReason = "the standard error needs at least two rated items";
    return result;
  }
  const itemChanceWeights = new Float64Array(q);
  for (let k = 0; k < q; k++) itemChanceWeights[k] = chanceScale * (1 - shares[k]);
  result.se = Math.sqrt(
    linearisedVariance(encoded, {
      coefficient: ac1,
      pe,
      itemChanceWeights,
      weights: weightMatrix,
      itemsRated: pooled.itemsRated,
      itemsPairable: pooled.itemsPairable,
    }),
  );
  const interval = irrcacInterval(ac1, result.se, pooled.itemsRated, confidence);
  result.lower = interval.lower;
  result.upper = interval.upper;
  return result;
}
