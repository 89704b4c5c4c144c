import { assertConfidence, twoSidedNormalP } from "../critical.ts";
import type { EncodedRatings, Label } from "./encode.ts";
import { type LandisKochBand, landisKoch } from "./interpretation.ts";
import { irrcacInterval, linearisedVariance } from "./linearised-variance.ts";
import {
  classificationShares,
  constantItemSize,
  type PooledCounts,
  poolCounts,
  pooledAgreementRate,
} from "./pooled-counts.ts";
import { agreementWeights, type WeightScheme } from "./weights.ts";

export interface FleissCategoryKappa {
  category: Label;
  /** Fleiss' kappa of "this category vs all others"; null when every or no rating is this category. */
  kappa: number | null;
  /**
   * √(2/(n·m(m − 1))) under H0 (Fleiss, Nee & Landis 1979; irr detail = TRUE); null unless every item has m
   * ratings.
   */
  se0: number | null;
  z: number | null;
  /** Two-sided normal p of z. */
  p: number | null;
  undefinedReason: string | null;
}

export interface FleissKappaResult {
  kappa: number | null;
  /** Gwet's non-null standard error (irrCAC fleiss.kappa.raw), used for lower/upper. */
  se: number | null;
  /**
   * Standard error under H0 (Fleiss, Nee & Landis 1979), used for z and p; unweighted, constant raters per
   * item only.
   */
  se0: number | null;
  z: number | null;
  /** Two-sided normal p of z = kappa/se0. */
  p: number | null;
  /** kappa ± t(1 − α/2; n − 1)·se, upper clipped at 1 (irrCAC). */
  lower: number | null;
  upper: number | null;
  interpretation: LandisKochBand | null;
  weights: WeightScheme;
  confidence: number;
  /** Observed (weighted) pairwise agreement and chance agreement Σ_kl w_kl π_k π_l. */
  pa: number | null;
  pe: number | null;
  itemsRated: number;
  itemsPairable: number;
  perCategory: FleissCategoryKappa[];
  undefinedReason: string | null;
  seUndefinedReason: string | null;
  se0UndefinedReason: string | null;
}

export interface FleissOptions {
  weights?: WeightScheme;
  confidence?: number;
}

/**
 * Fleiss' kappa for any number of raters, with missing ratings: Gwet's generalisation exactly as irrCAC
 * `fleiss.kappa.raw` (Gwet 2014, Handbook of Inter-Rater Reliability, 4th ed.), which reduces to Fleiss
 * (1971) on complete data:
 *
 *   π_k = (1/n)·Σ_i r_ik/r_i   (n = items with ≥ 1 rating)
 *   p_a = (1/n₂)·Σ_{i: r_i ≥ 2} Σ_k r_ik(r*_ik − 1)/(r_i(r_i − 1)),  r*_ik = Σ_l w_kl r_il
 *   p_e = Σ_kl w_kl π_k π_l,   κ = (p_a − p_e)/(1 − p_e)
 *
 * Weighted with `linear`/`quadratic` agreement weights over category positions (irrCAC weighted
 * fleiss.kappa.raw).
 * - `se`: Gwet's linearisation standard error (see `linearisedVariance`), interval κ ± t(n − 1)·se
 *   clipped at 1.
 * - `se0`: Fleiss, Nee & Landis (1979) standard error under H0 (as R irr `kappam.fleiss`), defined for
 *   unweighted kappa when every rated item has the same number m ≥ 2 of ratings:
 *   var₀ = 2/[(Σ p_j q_j)²·n·m(m − 1)] · [(Σ p_j q_j)² − Σ p_j q_j (q_j − p_j)], q_j = 1 − p_j; z = κ/se₀.
 * - `perCategory`: unweighted Fleiss' kappa of the binary split "category k vs the rest" (the generalised
 *   formula on the collapsed table), which on complete data is Fleiss'
 *   κ_j = 1 − Σ_i r_ij(m − r_ij)/(n·m(m − 1)·p_j q_j).
 * Undefined (null + reason) when no item has two ratings or p_e = 1 (a single category used).
 *
 * Complexity: O(items · q) unweighted, O(items · (q + c²)) weighted; O(raters · q² + q²) memory.
 *
 * @throws {StatsInputError} when confidence is not in (0, 1) or weights is unknown
 * @example
 * fleissKappa(encodeRatings(fleiss1971Diagnoses)).kappa // => 0.43024452006014097 (Fleiss 1971: 0.430)
 */
export function fleissKappa(encoded: EncodedRatings, options: FleissOptions = {}): FleissKappaResult {
  const scheme = options.weights ?? "unweighted";
  const confidence = options.confidence ?? 0.95;
  assertConfidence(confidence);
  const q = encoded.categories.length;
  const weightMatrix = scheme === "unweighted" ? null : agreementWeights(scheme, q);
  const pooled = poolCounts(encoded, weightMatrix !== null);
  const shares = classificationShares(pooled);
  const pa = pooledAgreementRate(pooled, weightMatrix);
  const weights = weightMatrix ?? agreementWeights("unweighted", q);

  let pe: number | null = null;
  if (pooled.itemsRated > 0) {
    pe = 0;
    for (let k = 0; k < q; k++) for (let l = 0; l < q; l++) pe += weights[k * q + l] * shares[k] * shares[l];
  }
  const result: FleissKappaResult = {
    kappa: null,
    se: null,
    se0: null,
    z: null,
    p: null,
    lower: null,
    upper: null,
    interpretation: null,
    weights: scheme,
    confidence,
    pa,
    pe,
    itemsRated: pooled.itemsRated,
    itemsPairable: pooled.itemsPairable,
    perCategory: categoryKappas(encoded, pooled, shares),
    undefinedReason: null,
    seUndefinedReason: null,
    se0UndefinedReason: null,
  };
  if (pa === null || pe === null) {
    return undefinedFleiss(result, "no item has two or more ratings, so agreement cannot be measured");
  }
  if (pe >= 1) {
    return undefinedFleiss(
      result,
      "all ratings are in a single category: chance agreement is 1, kappa is 0/0",
    );
  }
  const kappa = (pa - pe) / (1 - pe);
  result.kappa = kappa;
  result.interpretation = landisKoch(kappa);

  if (pooled.itemsRated < 2) {
    result.seUndefinedReason = "the standard error needs at least two rated items";
  } else {
    const itemChanceWeights = new Float64Array(q);
    for (let k = 0; k < q; k++) {
      let sum = 0;
      for (let l = 0; l < q; l++) sum += (weights[k * q + l] + weights[l * q + k]) * shares[l];
      itemChanceWeights[k] = sum / 2;
    }
    const variance = linearisedVariance(encoded, {
      coefficient: kappa,
      pe,
      itemChanceWeights,
      weights: weightMatrix,
      itemsRated: pooled.itemsRated,
      itemsPairable: pooled.itemsPairable,
    });
    result.se = Math.sqrt(variance);
    const interval = irrcacInterval(kappa, result.se, pooled.itemsRated, confidence);
    result.lower = interval.lower;
    result.upper = interval.upper;
  }

  const nullSe = fleissNeeLandisSe0(pooled, shares);
  if (scheme !== "unweighted") {
    result.se0UndefinedReason =
      "the Fleiss, Nee & Landis (1979) null standard error is for unweighted kappa only";
  } else if (typeof nullSe === "string") {
    result.se0UndefinedReason = nullSe;
  } else {
    result.se0 = nullSe;
    result.z = kappa / nullSe;
    result.p = twoSidedNormalP(result.z);
  }
  return result;
}

function undefinedFleiss(result: FleissKappaResult, reason: string): FleissKappaResult {
  result.undefinedReason = reason;
  result.seUndefinedReason = reason;
  result.se0UndefinedReason = reason;
  return result;
}

/** FNL (1979) se₀ or the reason it is undefined. */
function fleissNeeLandisSe0(pooled: PooledCounts, shares: Float64Array): number | string {
  const m = constantItemSize(pooled);
  if (m === null || m < 2) {
    return "the Fleiss, Nee & Landis (1979) null standard error needs the same number (≥ 2) of ratings on every rated item";
  }
  let sumPQ = 0;
  let sumPQQminusP = 0;
  for (const p of shares) {
    sumPQ += p * (1 - p);
    sumPQQminusP += p * (1 - p) * (1 - 2 * p);
  }
  const n = pooled.itemsRated;
  const variance = (2 / (sumPQ * sumPQ * n * m * (m - 1))) * (sumPQ * sumPQ - sumPQQminusP);
  if (!(variance > 0)) return "the null variance is 0 (one category only)";
  return Math.sqrt(variance);
}

function categoryKappas(
  encoded: EncodedRatings,
  pooled: PooledCounts,
  shares: Float64Array,
): FleissCategoryKappa[] {
  const q = pooled.categoryCount;
  const m = constantItemSize(pooled);
  const se0 = m !== null && m >= 2 ? Math.sqrt(2 / (pooled.itemsRated * m * (m - 1))) : null;
  return encoded.categories.map((category, k) => {
    const entry: FleissCategoryKappa = {
      category,
      kappa: null,
      se0: null,
      z: null,
      p: null,
      undefinedReason: null,
    };
    if (pooled.itemsPairable === 0) {
      entry.undefinedReason = "no item has two or more ratings";
      return entry;
    }
    const spread = shares[k] * (1 - shares[k]);
    if (spread <= 0) {
      entry.undefinedReason =
        shares[k] === 0 ? "no rating is in this category" : "every rating is in this category";
      return entry;
    }
    let disagreement = 0;
    for (let size = 2; size <= pooled.raterCount; size++) {
      const inCategory = pooled.labelTotalsBySize[size * q + k];
      if (inCategory === 0) continue;
      disagreement += (size * inCategory - pooled.squareTotalsBySize[size * q + k]) / (size * (size - 1));
    }
    entry.kappa = 1 - disagreement / pooled.itemsPairable / spread;
    if (se0 !== null) {
      entry.se0 = se0;
      entry.z = entry.kappa / se0;
      entry.p = twoSidedNormalP(entry.z);
    }
    return entry;
  });
}
