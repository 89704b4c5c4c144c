import { StatsInputError } from "../errors.ts";
import { kappaFromCells } from "./cohen.ts";
import { compareLabels, type EncodedRatings, encodeRatings, isLabel, type Label } from "./encode.ts";
import { type ParsedRatings, parseRatingsInput, type RatingsInput } from "./input.ts";
import { type LandisKochBand, landisKoch } from "./interpretation.ts";
import { agreementWeights, WEIGHT_SCHEMES, type WeightScheme } from "./weights.ts";

export interface RaterReportInput extends RatingsInput {
  /** Gold (expert) label per item, null where there is none; same length as `ratings`. */
  gold?: readonly (Label | null)[];
  /** Weights for the kappas (default unweighted). */
  weights?: WeightScheme;
}

export interface CategoryAccuracy {
  category: Label;
  /** Items whose reference label is this category. */
  referenceCount: number;
  /** Items the rater labelled with this category. */
  raterCount: number;
  /** Items where both are this category. */
  correct: number;
  /** correct / referenceCount (null when 0). */
  recall: number | null;
  /** correct / raterCount (null when 0). */
  precision: number | null;
}

export interface ReferenceComparison {
  /** Items with both a reference label and a rating by this rater. */
  items: number;
  accuracy: number | null;
  /** Cohen's kappa, rater vs reference. */
  kappa: number | null;
  interpretation: LandisKochBand | null;
  undefinedReason: string | null;
  /** confusion[r][c] = items with reference category r that the rater labelled c (category order). */
  confusion: number[][];
  perCategory: CategoryAccuracy[];
}

export interface ConsensusComparison extends ReferenceComparison {
  /** Items this rater rated where the other raters' modal label is tied (left out of the comparison). */
  ties: number;
  tiedItems: number[];
  /** Items this rater rated that no other rater rated. */
  noConsensus: number;
}

export interface RaterReportEntry {
  rater: string;
  /** Items this rater rated. */
  rated: number;
  /** Against the gold labels; null when no gold labels were given. */
  gold: ReferenceComparison | null;
  /** Against the modal label of the other raters on each item. */
  consensus: ConsensusComparison;
}

export interface RaterReport {
  items: number;
  categories: Label[];
  weights: WeightScheme;
  raters: RaterReportEntry[];
}

/**
 * Per-rater calibration report: each rater against the gold labels (when given) and against the consensus of
 * the other raters, i.e. the modal label of the other raters' ratings of the item (the rater's own rating is
 * excluded, so a rater is never compared with itself; items whose mode is shared by two or more labels are
 * reported as ties and left out). For each reference: accuracy = share of matching labels, Cohen's kappa
 * (rater vs reference, FCE 1969; see `cohenKappaFromTable`), the confusion matrix, and per-category recall
 * (correct / reference count) and precision (correct / rater count).
 *
 * Categories: `categories` if given, else the labels observed in the ratings and the gold labels (sorted as
 * `compareLabels`).
 *
 * Complexity: O(items · raters · q) time, O(items · (raters + q) + raters · q²) memory.
 *
 * @throws {StatsInputError} on an invalid matrix (see `parseRatingsInput`), gold labels of the wrong length
 *   (field `gold`) or not among the categories (`gold.i`), or unknown weights (`weights`)
 * @example
 * raterReport({ ratings: [["a", "a", "b"], ["b", "b", "b"]], gold: ["a", "b"] }).raters[2].gold.accuracy
 * // => 0.5
 */
export function raterReport(input: RaterReportInput): RaterReport {
  const weights = input.weights ?? "unweighted";
  if (!WEIGHT_SCHEMES.includes(weights)) {
    throw new StatsInputError(`weights must be one of ${WEIGHT_SCHEMES.join(", ")}`, "weights");
  }
  const parsed = withGoldCategories(parseRatingsInput(input), input);
  const { encoded, raterNames } = parsed;
  const goldCodes = input.gold === undefined ? null : encodeGold(input.gold, encoded);
  const q = encoded.categories.length;
  const weightMatrix = agreementWeights(weights, q);

  const raters = raterNames.map((rater, j): RaterReportEntry => {
    const goldCells = new Float64Array(q * q);
    const consensusCells = new Float64Array(q * q);
    const others = new Int32Array(q);
    const tiedItems: number[] = [];
    let rated = 0;
    let noConsensus = 0;
    for (let i = 0; i < encoded.itemCount; i++) {
      const own = encoded.codes[i * encoded.raterCount + j];
      if (own < 0) continue;
      rated++;
      if (goldCodes !== null && goldCodes[i] >= 0) goldCells[goldCodes[i] * q + own]++;
      for (let k = 0; k < q; k++) others[k] = encoded.counts[i * q + k];
      others[own]--;
      const mode = modalCode(others);
      if (mode === NO_RATINGS) noConsensus++;
      else if (mode === TIE) tiedItems.push(i);
      else consensusCells[mode * q + own]++;
    }
    return {
      rater,
      rated,
      gold: goldCodes === null ? null : compare(goldCells, encoded, weightMatrix, weights),
      consensus: {
        ...compare(consensusCells, encoded, weightMatrix, weights),
        ties: tiedItems.length,
        tiedItems,
        noConsensus,
      },
    };
  });
  return { items: encoded.itemCount, categories: [...encoded.categories], weights, raters };
}

const NO_RATINGS = -1;
const TIE = -2;

/**
 * Code of the most frequent category, TIE when several share the maximum, NO_RATINGS when all counts are 0.
 */
function modalCode(counts: ArrayLike<number>): number {
  let best = NO_RATINGS;
  let bestCount = 0;
  let tied = false;
  for (let k = 0; k < counts.length; k++) {
    if (counts[k] > bestCount) {
      best = k;
      bestCount = counts[k];
      tied = false;
    } else if (counts[k] === bestCount && bestCount > 0) {
      tied = true;
    }
  }
  return tied ? TIE : best;
}

function compare(
  cells: Float64Array,
  encoded: EncodedRatings,
  weightMatrix: Float64Array,
  weights: WeightScheme,
): ReferenceComparison {
  const q = encoded.categories.length;
  const kappa = kappaFromCells(cells, q, weightMatrix, weights, 0.95);
  const confusion: number[][] = [];
  let correct = 0;
  for (let r = 0; r < q; r++) {
    confusion.push(Array.from(cells.subarray(r * q, (r + 1) * q)));
    correct += cells[r * q + r];
  }
  const perCategory = encoded.categories.map((category, k): CategoryAccuracy => {
    let referenceCount = 0;
    let raterCount = 0;
    for (let l = 0; l < q; l++) {
      referenceCount += cells[k * q + l];
      raterCount += cells[l * q + k];
    }
    const hits = cells[k * q + k];
    return {
      category,
      referenceCount,
      raterCount,
      correct: hits,
      recall: referenceCount > 0 ? hits / referenceCount : null,
      precision: raterCount > 0 ? hits / raterCount : null,
    };
  });
  return {
    items: kappa.items,
    accuracy: kappa.items > 0 ? correct / kappa.items : null,
    kappa: kappa.kappa,
    interpretation: landisKoch(kappa.kappa),
    undefinedReason: kappa.undefinedReason,
    confusion,
    perCategory,
  };
}

/** Re-encodes with gold-only labels added to the observed categories when no category list was given. */
function withGoldCategories(parsed: ParsedRatings, input: RaterReportInput): ParsedRatings {
  if (input.gold === undefined || input.categories !== undefined || !Array.isArray(input.gold)) return parsed;
  const known = new Set<Label>(parsed.encoded.categories);
  const extra = input.gold.filter((label): label is Label => isLabel(label) && !known.has(label));
  if (extra.length === 0) return parsed;
  const categories = [...new Set<Label>([...known, ...extra])].sort(compareLabels);
  return {
    encoded: encodeRatings(input.ratings, { categories, raterCount: parsed.encoded.raterCount }),
    raterNames: parsed.raterNames,
  };
}

function encodeGold(gold: readonly (Label | null)[], encoded: EncodedRatings): Int32Array {
  if (!Array.isArray(gold) || gold.length !== encoded.itemCount) {
    throw new StatsInputError(
      `gold must be an array with one label (or null) per item (${encoded.itemCount})`,
      "gold",
    );
  }
  const codeOf = new Map<Label, number>(encoded.categories.map((label, k) => [label, k]));
  const codes = new Int32Array(gold.length);
  gold.forEach((label, i) => {
    if (label === null) {
      codes[i] = -1;
      return;
    }
    const code = isLabel(label) ? codeOf.get(label) : undefined;
    if (code === undefined) {
      throw new StatsInputError(`gold.${i} must be null or one of the categories`, `gold.${i}`);
    }
    codes[i] = code;
  });
  return codes;
}
