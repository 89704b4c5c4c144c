import { assertConfidence } from "../critical.ts";
import { StatsInputError } from "../errors.ts";
import { type CohenKappaResult, cohenKappa } from "./cohen.ts";
import type { Label } from "./encode.ts";
import { type FleissKappaResult, fleissKappa } from "./fleiss.ts";
import { type GwetAc1Result, gwetAc1 } from "./gwet.ts";
import { parseRatingsInput, type RatingsInput } from "./input.ts";
import {
  type BootstrapOptions,
  type KrippendorffAlphaResult,
  krippendorffAlpha,
  MEASUREMENT_LEVELS,
  type MeasurementLevel,
} from "./krippendorff.ts";
import { type PairwiseAgreement, pairwiseAgreement } from "./pairwise.ts";
import { percentAgreement } from "./percent-agreement.ts";
import { WEIGHT_SCHEMES, type WeightScheme } from "./weights.ts";

export { type CohenKappaResult, cohenKappa, cohenKappaFromTable, crossTable } from "./cohen.ts";
export {
  compareLabels,
  type EncodedRatings,
  encodeRatings,
  type Label,
  MAX_CATEGORIES,
  MAX_LABEL_LENGTH,
  type RatingsMatrix,
} from "./encode.ts";
export { type FleissCategoryKappa, type FleissKappaResult, fleissKappa } from "./fleiss.ts";
export { type GwetAc1Result, gwetAc1 } from "./gwet.ts";
export type { RatingsInput } from "./input.ts";
export { type LandisKochBand, landisKoch } from "./interpretation.ts";
export {
  type ItemDisagreementInput,
  type ItemDisagreementReport,
  type ItemSplit,
  itemDisagreement,
} from "./item-disagreement.ts";
export {
  type AlphaBootstrap,
  type BootstrapOptions,
  coincidenceSummary,
  type KrippendorffAlphaResult,
  krippendorffAlpha,
  MAX_BOOTSTRAP_DRAWS,
  MEASUREMENT_LEVELS,
  type MeasurementLevel,
} from "./krippendorff.ts";
export { type PairwiseAgreement, pairwiseAgreement } from "./pairwise.ts";
export { type PercentAgreementResult, percentAgreement } from "./percent-agreement.ts";
export {
  type CategoryAccuracy,
  type ConsensusComparison,
  type RaterReport,
  type RaterReportEntry,
  type RaterReportInput,
  type ReferenceComparison,
  raterReport,
} from "./rater-report.ts";
export { agreementWeights, WEIGHT_SCHEMES, type WeightScheme } from "./weights.ts";

/** Body of `POST /v1/agreement`. */
export interface AgreementInput extends RatingsInput {
  /** Krippendorff's alpha metric (default nominal). Does not affect the kappas or AC1. */
  level?: MeasurementLevel;
  /**
   * Agreement weights of Cohen's kappa, Fleiss' kappa and Gwet's AC2 (default unweighted). Not used by alpha.
   */
  weights?: WeightScheme;
  /** Confidence level of all intervals (default 0.95). */
  confidence?: number;
  /** Bootstrap interval for alpha; off unless given. */
  bootstrap?: BootstrapOptions;
}

/** Response body of `POST /v1/agreement`. */
export interface AgreementResult {
  /** Rows of `ratings`. */
  items: number;
  /** Rows with at least one rating, and with at least two. */
  itemsRated: number;
  itemsPairable: number;
  raters: string[];
  categories: Label[];
  level: MeasurementLevel;
  weights: WeightScheme;
  confidence: number;
  /** Unweighted pairwise percent agreement (see `percentAgreement`). */
  percentAgreement: number | null;
  percentAgreementUndefinedReason: string | null;
  /** Only for exactly two raters. */
  cohen: CohenKappaResult | null;
  fleiss: FleissKappaResult;
  krippendorff: KrippendorffAlphaResult;
  gwet: GwetAc1Result;
  pairwise: PairwiseAgreement[];
}

/**
 * Inter-rater agreement of a ratings matrix (items × raters, null = missing): the response of
 * `POST /v1/agreement`. Encodes the matrix once, then computes
 * - `percentAgreement`: unweighted pairwise percent agreement over items with ≥ 2 ratings
 *   (`percentAgreement`)
 * - `cohen`: Cohen's (weighted) kappa with FCE (1969) standard errors, for exactly two raters (`cohenKappa`)
 * - `fleiss`: Fleiss' kappa as irrCAC `fleiss.kappa.raw`, FNL (1979) se₀, per-category kappas (`fleissKappa`)
 * - `krippendorff`: Krippendorff's alpha at `level`, optional seeded unit bootstrap (`krippendorffAlpha`)
 * - `gwet`: Gwet's AC1/AC2 as irrCAC `gwet.ac1.raw` (`gwetAc1`)
 * - `pairwise`: Cohen's kappa and percent agreement for every pair of raters (`pairwiseAgreement`)
 *
 * `weights` (over category positions) applies to Cohen, Fleiss and Gwet, and each result states the weights
 * it used; `level` applies to alpha only, which always uses Krippendorff's own difference function for the
 * level. The two are independent: ordinal data are typically analysed with `level: "ordinal"` and `weights:
 * "linear"` or `"quadratic"`. Degenerate data give null coefficients with an `undefinedReason`, never NaN.
 *
 * Complexity: O(items · raters · (1 + raters) + items · q²) time, O(items · (raters + q)) memory.
 *
 * @throws {StatsInputError} for an invalid matrix (ragged row, label outside `categories`, bad cell, fewer
 *   than two raters: field `ratings.i.j`), invalid `raters`, `categories`, `level`, `weights`, `confidence`
 *   or `bootstrap`, or interval/ratio alpha with non-numeric labels
 * @example
 * agreement({ ratings: [["ok", "ok"], ["spam", "spam"], ["ok", "spam"]] }).cohen.kappa
 * // => 0.39999999999999997 (= (2/3 − 4/9)/(1 − 4/9))
 */
export function agreement(input: AgreementInput): AgreementResult {
  const { encoded, raterNames } = parseRatingsInput(input);
  const level = input.level ?? "nominal";
  if (!MEASUREMENT_LEVELS.includes(level)) {
    throw new StatsInputError(`level must be one of ${MEASUREMENT_LEVELS.join(", ")}`, "level");
  }
  const weights = input.weights ?? "unweighted";
  if (!WEIGHT_SCHEMES.includes(weights)) {
    throw new StatsInputError(`weights must be one of ${WEIGHT_SCHEMES.join(", ")}`, "weights");
  }
  const confidence = input.confidence ?? 0.95;
  assertConfidence(confidence);
  if (input.bootstrap !== undefined && (typeof input.bootstrap !== "object" || input.bootstrap === null)) {
    throw new StatsInputError("bootstrap must be an object { replicates?, seed? }", "bootstrap");
  }

  const agreementRate = percentAgreement(encoded);
  const fleiss = fleissKappa(encoded, { weights, confidence });
  return {
    items: encoded.itemCount,
    itemsRated: fleiss.itemsRated,
    itemsPairable: fleiss.itemsPairable,
    raters: raterNames,
    categories: [...encoded.categories],
    level,
    weights,
    confidence,
    percentAgreement: agreementRate.value,
    percentAgreementUndefinedReason: agreementRate.undefinedReason,
    cohen: encoded.raterCount === 2 ? cohenKappa(encoded, 0, 1, { weights, confidence }) : null,
    fleiss,
    krippendorff: krippendorffAlpha(encoded, { level, bootstrap: input.bootstrap, confidence }),
    gwet: gwetAc1(encoded, { weights, confidence }),
    pairwise: pairwiseAgreement(encoded, raterNames, { weights, confidence }),
  };
}
