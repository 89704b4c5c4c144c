import { StatsInputError, StatsTooExpensiveError } from "../errors.ts";
import { isLabel, type Label } from "./encode.ts";
import { parseRatingsInput, type RatingsInput } from "./input.ts";
import { distinctPatterns, type RatingCounts } from "./rating-patterns.ts";

/** Pseudo-count added to every cell of every rater's confusion counts in the M-step (the 0.01). */
export const DS_PSEUDO_COUNT = 0.01;
/** EM stops when the observed-data log-likelihood changes by less than this between iterations. */
export const DS_TOLERANCE = 1e-10;
/** EM stops after this many iterations when it has not converged (`converged: false`). */
export const DS_MAX_ITERATIONS = 1000;
/**
 * Budget of one EM iteration, in work units: ratings × classes (the M- and E-step passes over the ratings)
 * + items × classes (the posteriors) + raters × classes² (the confusion matrices), counted on the input as if no
 * two items had the same ratings (the worst case). 100,000 items × 5 raters × 4 classes is 2.4 M units; the budget
 * allows 5 times that. With at most DS_MAX_ITERATIONS iterations this bounds a request's time; the compute pool's
 * time budget (MODQC_COMPUTE_TIMEOUT_MS) is the backstop for inputs whose patterns are all distinct and that do not
 * converge.
 */
export const DS_MAX_WORK_PER_ITERATION = 12_000_000;

export interface DawidSkeneOptions {
  /** Known classes: per item the class index, or −1 when unknown. Their posterior rows are one-hot and fixed. */
  gold?: Int32Array;
  /** Default DS_PSEUDO_COUNT. 0 gives the plain maximum-likelihood M-step of the paper. */
  pseudoCount?: number;
  /** Default DS_TOLERANCE. */
  tolerance?: number;
  /** Default DS_MAX_ITERATIONS. */
  maxIterations?: number;
}

/** The estimates as typed arrays (the lower-level answer; `dawidSkene` turns it into plain data). */
export interface DawidSkeneFit {
  classCount: number;
  raterCount: number;
  itemCount: number;
  /** π_j, length classCount. */
  priors: Float64Array;
  /** θ_{k,j,l}: raterCount × classCount (true) × classCount (given), row-major; rows sum to 1. */
  confusion: Float64Array;
  /** T_{ij}: itemCount × classCount, row-major; rows sum to 1. */
  posteriors: Float64Array;
  /** Ratings (with their counts) given by each rater. */
  ratingsPerRater: Float64Array;
  converged: boolean;
  iterations: number;
  /** Observed-data log-likelihood at the last parameters (gold items: their complete-data term). */
  logLikelihood: number;
}

/**
 * Dawid–Skene latent-class model: each item has an unknown true class j with prior π_j; rater k, given true
 * class j, gives label l with probability θ_{k,j,l} (the rater's confusion, or error-rate, matrix), independently
 * of the other raters. Fitted by the EM algorithm of Dawid & Skene (1979), "Maximum likelihood estimation of
 * observer error-rates using the EM algorithm", Applied Statistics 28(1):20–28, in this variant:
 *
 * - start: T_{ij} = the item's share of ratings with label j (the paper's eq. 3.1: a majority vote with ties split
 *   evenly, kept as shares); an item nobody rated starts uniform; gold items start (and stay) one-hot;
 * - M-step: π_j = Σ_i T_{ij} / I; θ_{k,j,l} = (c + Σ_i T_{ij} n_{ikl}) / (L·c + Σ_l' Σ_i T_{ij} n_{ikl'}) with the
 *   pseudo-count c (default 0.01 on every cell, so no rate is exactly 0 or undefined; c = 0 is the paper's
 *   eq. 2.3–2.4);
 * - E-step (eq. 2.5) in log space: log T_{ij} = log π_j + Σ_{k,l} n_{ikl} log θ_{k,j,l} − logΣexp_j(…), whose
 *   normaliser summed over items is the observed-data log-likelihood (eq. 2.7);
 * - stop when the log-likelihood changes by less than `tolerance` (absolute), or after `maxIterations`.
 *
 * With c > 0 EM climbs the likelihood plus Σ c·log θ (a Dirichlet(1 + c) posterior mode), so the reported
 * log-likelihood is the plain one at those estimates, not its maximum. The tolerance is absolute: on 100,000 items
 * (log-likelihood ≈ −3·10⁵, whose spacing of doubles is ≈ 6·10⁻¹¹) 1e-10 means the sum has stopped moving.
 *
 * Items with identical entries (and gold) share one posterior, so EM runs over the distinct rating patterns, each
 * weighted by its number of items (the estimates are those of the item-by-item EM; only the order of sums differs).
 * Complexity: O(entries) to group the items, then O(iterations · (pattern entries · classes + patterns · classes
 * + raters · classes²)) time, at most O(iterations · (entries · classes + items · classes + raters · classes²));
 * O(items · classes + raters · classes²) memory beyond the input. The budget (DS_MAX_WORK_PER_ITERATION) is checked
 * on the input before any work, as if no two items were alike.
 *
 * @throws {StatsInputError} on malformed counts (field `counts`) or gold (`gold.i`)
 * @throws {StatsTooExpensiveError} when one iteration's work exceeds DS_MAX_WORK_PER_ITERATION (field `ratings`)
 * @example
 * // 2 items, 2 raters, 2 classes: both raters say 0 on item 0 and 1 on item 1
 * const fit = dawidSkeneCounts({ itemCount: 2, raterCount: 2, classCount: 2,
 *   itemStart: Int32Array.of(0, 2, 4), rater: Int32Array.of(0, 1, 0, 1), label: Int32Array.of(0, 0, 1, 1),
 *   count: Float64Array.of(1, 1, 1, 1) });
 * fit.posteriors[0] > 0.99 // => true
 */
export function dawidSkeneCounts(counts: RatingCounts, options: DawidSkeneOptions = {}): DawidSkeneFit {
  const { itemCount: n, raterCount: R, classCount: K, itemStart, rater, count } = counts;
  const pseudo = options.pseudoCount ?? DS_PSEUDO_COUNT;
  const tolerance = options.tolerance ?? DS_TOLERANCE;
  const maxIterations = options.maxIterations ?? DS_MAX_ITERATIONS;
  checkCounts(counts);
  if (!(pseudo >= 0 && Number.isFinite(pseudo)))
    throw new StatsInputError("pseudoCount must be finite and ≥ 0", "pseudoCount");
  if (!(tolerance >= 0)) throw new StatsInputError("tolerance must be ≥ 0", "tolerance");
  if (!Number.isInteger(maxIterations) || maxIterations < 1)
    throw new StatsInputError("maxIterations must be a positive integer", "maxIterations");
  const entries = itemStart[n];
  const work = entries * K + n * K + R * K * K;
  if (work > DS_MAX_WORK_PER_ITERATION) {
    throw new StatsTooExpensiveError(
      `Dawid–Skene over ${entries} ratings, ${n} items, ${R} raters and ${K} classes needs ${work} work units per ` +
        `EM iteration; at most ${DS_MAX_WORK_PER_ITERATION} are allowed (ratings × classes + items × classes + ` +
        "raters × classes²): split the items or declare fewer categories",
      "ratings",
      Math.floor(DS_MAX_WORK_PER_ITERATION / (K * (entries / Math.max(n, 1) + 1))),
    );
  }
  const gold = options.gold;
  if (gold !== undefined) {
    if (gold.length !== n) throw new StatsInputError(`gold must have one entry per item (${n})`, "gold");
    for (let i = 0; i < n; i++) {
      if (!Number.isInteger(gold[i]) || gold[i] < -1 || gold[i] >= K)
        throw new StatsInputError(`gold.${i} must be a class index or −1`, `gold.${i}`);
    }
  }

  // Items with the same ratings (and the same gold) have the same posterior: EM runs once per distinct pattern,
  // weighted by how many items share it (moderation data repeat a few patterns: 5 raters × 4 labels give at most
  // 5⁵ with missing ratings, however many items).
  const patterns = distinctPatterns(counts, gold);
  const P = patterns.counts.itemCount;
  const { weight } = patterns;

  // Start: vote shares (eq. 3.1), gold rows one-hot.
  const T = new Float64Array(P * K);
  {
    const { itemStart: start, label: given, count: times } = patterns.counts;
    for (let p = 0; p < P; p++) {
      const row = p * K;
      if (patterns.gold[p] >= 0) {
        T[row + patterns.gold[p]] = 1;
        continue;
      }
      let total = 0;
      for (let e = start[p]; e < start[p + 1]; e++) {
        T[row + given[e]] += times[e];
        total += times[e];
      }
      if (total > 0) for (let j = 0; j < K; j++) T[row + j] /= total;
      else for (let j = 0; j < K; j++) T[row + j] = 1 / K;
    }
  }

  const KK = K * K;
  const priors = new Float64Array(K);
  const logPriors = new Float64Array(K);
  // Accumulated counts and log θ laid out [rater][given l][true j] so one rating touches K contiguous cells.
  const acc = new Float64Array(R * KK);
  const logTheta = new Float64Array(R * KK);
  const confusion = new Float64Array(R * KK); // [rater][true j][given l], the answer's layout
  const scores = new Float64Array(K);
  const ratingsPerRater = new Float64Array(R);
  for (let e = 0; e < entries; e++) ratingsPerRater[rater[e]] += count[e];

  let logLikelihood = Number.NEGATIVE_INFINITY;
  let converged = false;
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    mStep(patterns.counts, weight, n, T, pseudo, priors, logPriors, acc, confusion, logTheta);
    const ll = eStep(patterns.counts, weight, T, logPriors, logTheta, scores, patterns.gold);
    const change = Math.abs(ll - logLikelihood);
    logLikelihood = ll;
    if (iterations > 1 && change < tolerance) {
      converged = true;
      break;
    }
  }
  const posteriors = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    const from = patterns.patternOf[i] * K;
    for (let j = 0; j < K; j++) posteriors[i * K + j] = T[from + j];
  }
  return {
    classCount: K,
    raterCount: R,
    itemCount: n,
    priors,
    confusion,
    posteriors,
    ratingsPerRater,
    converged,
    iterations,
    logLikelihood,
  };
}

/** M-step over the distinct patterns, each weighted by its multiplicity: π_j = Σ_i T_ij / I and θ_{k,j,l} (see `dawidSkeneCounts`). */
function mStep(
  counts: RatingCounts,
  weight: Float64Array,
  itemTotal: number,
  T: Float64Array,
  pseudo: number,
  priors: Float64Array,
  logPriors: Float64Array,
  acc: Float64Array,
  confusion: Float64Array,
  logTheta: Float64Array,
): void {
  const { itemCount: n, raterCount: R, classCount: K, itemStart, rater, label, count } = counts;
  const KK = K * K;
  priors.fill(0);
  for (let i = 0; i < n; i++) {
    const row = i * K;
    const w = weight[i];
    for (let j = 0; j < K; j++) priors[j] += w * T[row + j];
  }
  for (let j = 0; j < K; j++) {
    priors[j] /= itemTotal;
    logPriors[j] = Math.log(priors[j]);
  }
  acc.fill(0);
  for (let i = 0; i < n; i++) {
    const row = i * K;
    const w = weight[i];
    const end = itemStart[i + 1];
    for (let e = itemStart[i]; e < end; e++) {
      const cell = rater[e] * KK + label[e] * K;
      const c = w * count[e];
      for (let j = 0; j < K; j++) acc[cell + j] += c * T[row + j];
    }
  }
  for (let k = 0; k < R; k++) {
    const base = k * KK;
    for (let j = 0; j < K; j++) {
      let total = K * pseudo;
      for (let l = 0; l < K; l++) total += acc[base + l * K + j];
      for (let l = 0; l < K; l++) {
        // 0/0 (a class no rating of this rater can belong to, with c = 0): uniform, as if unseen.
        const theta = total > 0 ? (acc[base + l * K + j] + pseudo) / total : 1 / K;
        confusion[base + j * K + l] = theta;
        logTheta[base + l * K + j] = Math.log(theta);
      }
    }
  }
}

/**
 * E-step in log space over the distinct patterns: T_p ∝ exp(log π + Σ n log θ) via log-sum-exp; returns the
 * observed-data log-likelihood, each pattern's term times its multiplicity (for a gold pattern, its complete-data
 * term; its T row stays one-hot; `gold[p]` = −1 when none).
 */
function eStep(
  counts: RatingCounts,
  weight: Float64Array,
  T: Float64Array,
  logPriors: Float64Array,
  logTheta: Float64Array,
  scores: Float64Array,
  gold: Int32Array,
): number {
  const { itemCount: n, classCount: K, itemStart, rater, label, count } = counts;
  const KK = K * K;
  let ll = 0;
  for (let i = 0; i < n; i++) {
    const row = i * K;
    for (let j = 0; j < K; j++) scores[j] = logPriors[j];
    const end = itemStart[i + 1];
    for (let e = itemStart[i]; e < end; e++) {
      const cell = rater[e] * KK + label[e] * K;
      const c = count[e];
      for (let j = 0; j < K; j++) scores[j] += c * logTheta[cell + j];
    }
    if (gold[i] >= 0) {
      ll += weight[i] * scores[gold[i]];
      continue;
    }
    let best = 0;
    for (let j = 1; j < K; j++) if (scores[j] > scores[best]) best = j;
    const max = scores[best];
    if (max === Number.NEGATIVE_INFINITY) {
      // Only with pseudo-count 0: no class can give these ratings. Leave the item uninformative.
      for (let j = 0; j < K; j++) T[row + j] = 1 / K;
      ll = Number.NEGATIVE_INFINITY;
      continue;
    }
    // log-sum-exp; exp(0) = 1 for the largest term and exp(< −745) = 0 are not computed (exp dominates the cost).
    let sum = 0;
    for (let j = 0; j < K; j++) {
      const d = scores[j] - max;
      const p = j === best ? 1 : d < -745 ? 0 : Math.exp(d);
      T[row + j] = p;
      sum += p;
    }
    const inverse = 1 / sum;
    for (let j = 0; j < K; j++) T[row + j] *= inverse;
    ll += weight[i] * (max + Math.log(sum));
  }
  return ll;
}

function checkCounts(counts: RatingCounts): void {
  const bad = (message: string) => new StatsInputError(message, "counts");
  const { itemCount: n, raterCount: R, classCount: K, itemStart, rater, label, count } = counts;
  if (!Number.isInteger(n) || n < 1) throw bad("itemCount must be a positive integer");
  if (!Number.isInteger(R) || R < 1) throw bad("raterCount must be a positive integer");
  if (!Number.isInteger(K) || K < 2) throw bad("classCount must be an integer ≥ 2");
  if (itemStart.length !== n + 1 || itemStart[0] !== 0)
    throw bad("itemStart must have itemCount + 1 offsets from 0");
  for (let i = 0; i < n; i++) if (itemStart[i + 1] < itemStart[i]) throw bad("itemStart must not decrease");
  const entries = itemStart[n];
  if (rater.length < entries || label.length < entries || count.length < entries)
    throw bad("rater, label and count must hold itemStart[itemCount] entries");
  for (let e = 0; e < entries; e++) {
    if (rater[e] < 0 || rater[e] >= R) throw bad(`entry ${e}: rater out of range`);
    if (label[e] < 0 || label[e] >= K) throw bad(`entry ${e}: label out of range`);
    if (!(count[e] > 0 && Number.isFinite(count[e]))) throw bad(`entry ${e}: count must be positive`);
  }
}

/** The request of `dawidSkene`: the ratings of POST /v1/agreement plus known classes. */
export interface DawidSkeneInput extends RatingsInput {
  /** One entry per item: its known class (a label among the categories), or null when unknown. */
  gold?: readonly (Label | null)[];
}

export interface DawidSkeneRater {
  rater: string;
  /** Ratings this rater gave. */
  ratings: number;
  /** Rows = true class, columns = the label given, both in `classes` order; rows sum to 1. */
  confusion: number[][];
  /** Estimated accuracy Σ_j π_j θ_{jj}: the chance the rater's label is the true class of a random item. */
  estimatedAccuracy: number;
}

export interface DawidSkeneItem {
  /** Row index in the ratings matrix. */
  item: number;
  /** P(true class = classes[j] | ratings), in `classes` order; sums to 1. */
  posterior: number[];
  /** The class with the highest posterior (the first in `classes` order when tied). */
  mostProbable: Label;
  /** True when the class was given as gold (its posterior is one-hot and was never updated). */
  gold: boolean;
}

export interface DawidSkeneResult {
  method: "dawid-skene-em";
  classes: Label[];
  /** Class priors π_j (estimated prevalence of each true class). */
  priors: number[];
  raters: DawidSkeneRater[];
  items: DawidSkeneItem[];
  goldItems: number;
  converged: boolean;
  iterations: number;
  logLikelihood: number;
  pseudoCount: number;
  tolerance: number;
  maxIterations: number;
}

/**
 * Dawid–Skene over a ratings matrix as POST /v1/agreement takes it (items × raters, null = missing), with optional
 * gold classes fixed as known: the estimated class priors, each rater's confusion matrix and estimated accuracy,
 * and each item's posterior class probabilities (see `dawidSkeneCounts` for the model, the EM variant and its
 * cost). Every category (declared or observed) is a class.
 *
 * Complexity: O(items · raters) to encode, then as `dawidSkeneCounts`.
 *
 * @throws {StatsInputError} as `parseRatingsInput` for the ratings; `gold` not an array of one entry per item
 *   (`gold`), a gold label not among the categories (`gold.i`)
 * @throws {StatsTooExpensiveError} over the per-iteration budget (field `ratings`)
 * @example
 * const result = dawidSkene({ ratings: [["ok", "ok", "hate"], ["hate", "hate", "hate"], ["ok", null, "ok"]] });
 * result.items[0].mostProbable // => "ok"
 */
export function dawidSkene(
  input: DawidSkeneInput,
  options: Omit<DawidSkeneOptions, "gold"> = {},
): DawidSkeneResult {
  const { encoded, raterNames } = parseRatingsInput(input);
  const { itemCount: n, raterCount: R, categories, codes } = encoded;
  const K = categories.length;
  if (n === 0) throw new StatsInputError("ratings must hold at least one item", "ratings");
  if (K < 2)
    throw new StatsInputError(
      "Dawid–Skene needs at least two categories: declare them in categories when the ratings show only one",
      "categories",
    );
  let gold: Int32Array | undefined;
  let goldItems = 0;
  if (input.gold !== undefined) {
    if (!Array.isArray(input.gold) || input.gold.length !== n)
      throw new StatsInputError(`gold must be an array with one entry per item (${n})`, "gold");
    const codeOf = new Map<Label, number>(categories.map((category, j) => [category, j]));
    gold = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const value = input.gold[i];
      if (value === null) continue;
      const code = isLabel(value) ? codeOf.get(value) : undefined;
      if (code === undefined)
        throw new StatsInputError(`gold.${i} must be null or one of the categories`, `gold.${i}`);
      gold[i] = code;
      goldItems++;
    }
  }
  const itemStart = new Int32Array(n + 1);
  let entries = 0;
  for (let x = 0; x < codes.length; x++) if (codes[x] >= 0) entries++;
  const rater = new Int32Array(entries);
  const label = new Int32Array(entries);
  const count = new Float64Array(entries).fill(1);
  let e = 0;
  for (let i = 0; i < n; i++) {
    itemStart[i] = e;
    for (let k = 0; k < R; k++) {
      const code = codes[i * R + k];
      if (code < 0) continue;
      rater[e] = k;
      label[e] = code;
      e++;
    }
  }
  itemStart[n] = e;
  const fit = dawidSkeneCounts(
    { itemCount: n, raterCount: R, classCount: K, itemStart, rater, label, count },
    { ...options, gold },
  );
  return {
    method: "dawid-skene-em",
    classes: [...categories],
    ...summariseFit(fit, raterNames, categories, gold),
    goldItems,
    pseudoCount: options.pseudoCount ?? DS_PSEUDO_COUNT,
    tolerance: options.tolerance ?? DS_TOLERANCE,
    maxIterations: options.maxIterations ?? DS_MAX_ITERATIONS,
  };
}

/** Estimated accuracy of rater k: Σ_j π_j θ_{k,j,j}. */
export function estimatedAccuracy(fit: DawidSkeneFit, k: number): number {
  const K = fit.classCount;
  let sum = 0;
  for (let j = 0; j < K; j++) sum += fit.priors[j] * fit.confusion[k * K * K + j * K + j];
  return sum;
}

function summariseFit(
  fit: DawidSkeneFit,
  raterNames: readonly string[],
  categories: readonly Label[],
  gold: Int32Array | undefined,
) {
  const K = fit.classCount;
  const raters = raterNames.map((name, k) => ({
    rater: name,
    ratings: fit.ratingsPerRater[k],
    confusion: Array.from({ length: K }, (_, j) =>
      Array.from(fit.confusion.subarray(k * K * K + j * K, k * K * K + (j + 1) * K)),
    ),
    estimatedAccuracy: estimatedAccuracy(fit, k),
  }));
  const items: DawidSkeneItem[] = new Array(fit.itemCount);
  for (let i = 0; i < fit.itemCount; i++) {
    const posterior = Array.from(fit.posteriors.subarray(i * K, (i + 1) * K));
    let best = 0;
    for (let j = 1; j < K; j++) if (posterior[j] > posterior[best]) best = j;
    items[i] = {
      item: i,
      posterior,
      mostProbable: categories[best],
      gold: gold !== undefined && gold[i] >= 0,
    };
  }
  return {
    priors: Array.from(fit.priors),
    raters,
    items,
    converged: fit.converged,
    iterations: fit.iterations,
    logLikelihood: fit.logLikelihood,
  };
}
