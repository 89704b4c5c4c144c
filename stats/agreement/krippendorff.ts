import { assertConfidence } from "../critical.ts";
import { StatsInputError } from "../errors.ts";
import { type EncodedRatings, fieldOfFirstUse } from "./encode.ts";
import { type LandisKochBand, landisKoch } from "./interpretation.ts";
import { poolCounts } from "./pooled-counts.ts";
import { Xoshiro128StarStar } from "./random.ts";

export type MeasurementLevel = "nominal" | "ordinal" | "interval" | "ratio";

export const MEASUREMENT_LEVELS: readonly MeasurementLevel[] = Object.freeze([
  "nominal",
  "ordinal",
  "interval",
  "ratio",
]);

export interface BootstrapOptions {
  /** Number of bootstrap replicates, 1…100000 (default 1000). */
  replicates?: number;
  /** Seed of the xoshiro128** generator, an integer in [0, 2^32) (default 1). */
  seed?: number;
}

export interface AlphaBootstrap {
  method: "unit bootstrap, percentile interval";
  replicates: number;
  seed: number;
  confidence: number;
  /** Percentiles (R quantile type 7) of the defined replicate alphas; null when no replicate is defined. */
  lower: number | null;
  upper: number | null;
  /** Replicates whose alpha is undefined (resampled units hold one value only); they are left out. */
  undefinedReplicates: number;
}

export interface KrippendorffAlphaResult {
  alpha: number | null;
  level: MeasurementLevel;
  interpretation: LandisKochBand | null;
  /** n: values in units with at least two values (the total of the coincidence matrix). */
  pairableValues: number;
  /** Units (items) with at least two values. */
  pairableUnits: number;
  /** D_o = Σ_ck o_ck δ²_ck / n. */
  observedDisagreement: number | null;
  /** D_e = Σ_ck n_c n_k δ²_ck / (n(n − 1)). */
  expectedDisagreement: number | null;
  undefinedReason: string | null;
  bootstrap: AlphaBootstrap | null;
}

export interface KrippendorffOptions {
  level?: MeasurementLevel;
  /** Off unless given. */
  bootstrap?: BootstrapOptions;
  /** Confidence of the bootstrap interval (default 0.95). */
  confidence?: number;
}

/**
 * Krippendorff's alpha from the coincidence matrix, missing values allowed (Krippendorff 2011, "Computing
 * Krippendorff's Alpha-Reliability", ASC papers 43; Krippendorff 2004, Content Analysis, ch. 11):
 *
 *   o_ck = Σ_u Σ_{pairs of values (c, k) from different coders in u} 1/(m_u − 1)   (units: m_u ≥ 2)
 *   n_c = Σ_k o_ck,  n = Σ_c n_c
 *   α = 1 − D_o/D_e = 1 − (n − 1)·Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck
 *
 * with Krippendorff's difference functions:
 * - nominal: δ² = 0 if c = k, else 1
 * - ordinal: δ²_ck = (Σ_{g from c to k} n_g − (n_c + n_k)/2)², g over the category order (built from
 *   the marginal frequencies of the coincidence matrix; not rank-squared weights)
 * - interval: δ²_ck = (c − k)² on the numeric labels
 * - ratio: δ²_ck = ((c − k)/(c + k))² on the numeric labels (non-negative; 0 when c = k = 0)
 * Undefined (null + reason) when no unit has two values or D_e = 0 (a single value among pairable values).
 *
 * Optional bootstrap (off by default): resamples the pairable units with replacement (a simple unit-level
 * bootstrap, not Krippendorff's own algorithm), recomputes alpha (including the ordinal metric's marginals)
 * per replicate with the seeded xoshiro128** generator, and reports the percentile interval.
 *
 * Complexity: O(items · q) nominal, O(items · (q + c²) + q²) otherwise (c = distinct values per unit);
 * bootstrap adds O(replicates · pairable units · (q + c²)) time and O(pairable units) memory.
 *
 * @throws {StatsInputError} when interval/ratio data have a non-numeric label or ratio data a negative one
 *   (field `ratings.i.j` of its first use, or `categories.k`), the level is unknown (`level`), the bootstrap
 *   options are invalid (`bootstrap.replicates`, `bootstrap.seed`, `confidence`), or replicates × pairable
 *   units exceeds MAX_BOOTSTRAP_DRAWS (`bootstrap.replicates`)
 * @example
 * krippendorffAlpha(encodeRatings(example2011C), { level: "nominal" }).alpha // => 0.743421052631579 (0.743)
 */
export function krippendorffAlpha(
  encoded: EncodedRatings,
  options: KrippendorffOptions = {},
): KrippendorffAlphaResult {
  const level = options.level ?? "nominal";
  if (!MEASUREMENT_LEVELS.includes(level)) {
    throw new StatsInputError(`level must be one of ${MEASUREMENT_LEVELS.join(", ")}`, "level");
  }
  const values = numericValues(encoded, level);
  const coincidence = coincidenceSummary(encoded, level !== "nominal");
  const result: KrippendorffAlphaResult = {
    alpha: null,
    level,
    interpretation: null,
    pairableValues: coincidence.pairableValues,
    pairableUnits: coincidence.pairableUnits,
    observedDisagreement: null,
    expectedDisagreement: null,
    undefinedReason: null,
    bootstrap: null,
  };
  const bootstrap =
    options.bootstrap === undefined ? null : validateBootstrap(options.bootstrap, options.confidence);

  const disagreement = alphaFromCoincidences(coincidence, level, values);
  if (typeof disagreement === "string") {
    result.undefinedReason = disagreement;
  } else {
    const n = coincidence.pairableValues;
    result.observedDisagreement = disagreement.observed / n;
    result.expectedDisagreement = disagreement.expected / (n * (n - 1));
    result.alpha = 1 - ((n - 1) * disagreement.observed) / disagreement.expected;
    result.interpretation = landisKoch(result.alpha);
  }
  if (bootstrap !== null) result.bootstrap = bootstrapAlpha(encoded, level, values, bootstrap);
  return result;
}

/** Coincidence matrix o_ck (row-major q × q) with its totals. */
export interface CoincidenceSummary {
  readonly categoryCount: number;
  /** Full matrix when requested; otherwise only the diagonal is filled. */
  readonly matrix: Float64Array;
  /** n_c. */
  readonly marginals: Float64Array;
  readonly pairableValues: number;
  readonly pairableUnits: number;
}

/**
 * Krippendorff's coincidence matrix o_ck = Σ_u n_uc(n_uk − [c = k])/(m_u − 1) over units with m_u ≥ 2 values,
 * built from integer sums pooled by unit size (exact, independent of unit order).
 *
 * Complexity: O(items · q), or O(items · (q + c²)) for the full matrix.
 *
 * @example
 * coincidenceSummary(encodeRatings([[1, 1], [1, 2]]), true).matrix // => Float64Array [2, 1, 1, 0]
 */
export function coincidenceSummary(encoded: EncodedRatings, fullMatrix: boolean): CoincidenceSummary {
  const pooled = poolCounts(encoded, fullMatrix);
  const q = pooled.categoryCount;
  const matrix = new Float64Array(q * q);
  const marginals = new Float64Array(q);
  for (let m = 2; m <= pooled.raterCount; m++) {
    if (pooled.itemsBySize[m] === 0) continue;
    const products = pooled.productTotalsBySize?.[m] ?? null;
    for (let k = 0; k < q; k++) {
      const total = pooled.labelTotalsBySize[m * q + k];
      marginals[k] += total;
      if (products === null) {
        matrix[k * q + k] += (pooled.squareTotalsBySize[m * q + k] - total) / (m - 1);
        continue;
      }
      for (let l = 0; l < q; l++) {
        matrix[k * q + l] += (products[k * q + l] - (k === l ? total : 0)) / (m - 1);
      }
    }
  }
  let pairableValues = 0;
  for (const marginal of marginals) pairableValues += marginal;
  return { categoryCount: q, matrix, marginals, pairableValues, pairableUnits: pooled.itemsPairable };
}

/** Numeric category values for interval/ratio (validated), or null for nominal/ordinal. */
function numericValues(encoded: EncodedRatings, level: MeasurementLevel): Float64Array | null {
  if (level === "nominal" || level === "ordinal") return null;
  const values = new Float64Array(encoded.categories.length);
  encoded.categories.forEach((label, k) => {
    const valid = typeof label === "number" && (level === "interval" || label >= 0);
    if (!valid) {
      const field = fieldOfFirstUse(encoded, k) ?? `categories.${k}`;
      const need = level === "interval" ? "numeric labels" : "non-negative numeric labels";
      throw new StatsInputError(
        `${level} alpha needs ${need}; ${JSON.stringify(label)} at ${field} is not one`,
        field,
      );
    }
    values[k] = label;
  });
  return values;
}

/** δ²_ck for every pair of categories (row-major q × q). */
function squaredDifferences(
  level: MeasurementLevel,
  marginals: Float64Array,
  values: Float64Array | null,
): Float64Array {
  const q = marginals.length;
  const delta = new Float64Array(q * q);
  for (let c = 0; c < q; c++) {
    for (let k = c + 1; k < q; k++) {
      let d: number;
      if (level === "nominal") {
        d = 1;
      } else if (level === "ordinal") {
        let between = 0;
        for (let g = c; g <= k; g++) between += marginals[g];
        const distance = between - (marginals[c] + marginals[k]) / 2;
        d = distance * distance;
      } else {
        const difference = values![c] - values![k];
        const sum = level === "ratio" ? values![c] + values![k] : 1;
        d = (difference / sum) * (difference / sum);
      }
      delta[c * q + k] = d;
      delta[k * q + c] = d;
    }
  }
  return delta;
}

/** Σ o δ² and Σ n n δ², or the reason alpha is undefined. */
function alphaFromCoincidences(
  coincidence: Pick<CoincidenceSummary, "matrix" | "marginals" | "pairableValues">,
  level: MeasurementLevel,
  values: Float64Array | null,
): { observed: number; expected: number } | string {
  const { matrix, marginals, pairableValues: n } = coincidence;
  const q = marginals.length;
  if (n === 0) return "no unit has two or more values, so there is nothing pairable to compare";
  let observed = 0;
  let expected = 0;
  if (level === "nominal") {
    let agreeing = 0;
    let squares = 0;
    for (let k = 0; k < q; k++) {
      agreeing += matrix[k * q + k];
      squares += marginals[k] * marginals[k];
    }
    observed = n - agreeing;
    expected = n * n - squares;
  } else {
    const delta = squaredDifferences(level, marginals, values);
    for (let c = 0; c < q; c++) {
      for (let k = 0; k < q; k++) {
        observed += matrix[c * q + k] * delta[c * q + k];
        expected += marginals[c] * marginals[k] * delta[c * q + k];
      }
    }
  }
  if (!(expected > 0)) {
    return "all pairable values are equal (one category), so expected disagreement is 0 and alpha is 0/0";
  }
  return { observed, expected };
}

/**
 * Unit draws allowed per request (about 5–10 s of work), so a large matrix cannot tie the service up for
 * hours.
 */
export const MAX_BOOTSTRAP_DRAWS = 100_000_000;

interface ValidatedBootstrap {
  replicates: number;
  seed: number;
  confidence: number;
}

function validateBootstrap(options: BootstrapOptions, confidence = 0.95): ValidatedBootstrap {
  const replicates = options.replicates ?? 1000;
  const seed = options.seed ?? 1;
  if (!(Number.isInteger(replicates) && replicates >= 1 && replicates <= 100_000)) {
    throw new StatsInputError(
      "bootstrap.replicates must be an integer in [1, 100000]",
      "bootstrap.replicates",
    );
  }
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
    throw new StatsInputError("bootstrap.seed must be an integer in [0, 4294967295]", "bootstrap.seed");
  }
  assertConfidence(confidence);
  return { replicates, seed, confidence };
}

function bootstrapAlpha(
  encoded: EncodedRatings,
  level: MeasurementLevel,
  values: Float64Array | null,
  options: ValidatedBootstrap,
): AlphaBootstrap {
  const { counts, ratingsPerItem, itemCount } = encoded;
  const q = encoded.categories.length;
  let unitCount = 0;
  for (let i = 0; i < itemCount; i++) if (ratingsPerItem[i] >= 2) unitCount++;
  const units = new Int32Array(unitCount);
  for (let i = 0, u = 0; i < itemCount; i++) if (ratingsPerItem[i] >= 2) units[u++] = i;

  if (options.replicates * unitCount > MAX_BOOTSTRAP_DRAWS) {
    throw new StatsInputError(
      `bootstrap.replicates × pairable units must not exceed ${MAX_BOOTSTRAP_DRAWS} (here ${options.replicates} × ${unitCount}); use fewer replicates`,
      "bootstrap.replicates",
    );
  }
  const random = new Xoshiro128StarStar(options.seed);
  const multiplicity = new Int32Array(unitCount);
  const matrix = new Float64Array(q * q);
  const marginals = new Float64Array(q);
  const present = new Int32Array(q);
  const alphas: number[] = [];
  for (let replicate = 0; replicate < options.replicates; replicate++) {
    multiplicity.fill(0);
    for (let draw = 0; draw < unitCount; draw++) multiplicity[random.nextBelow(unitCount)]++;
    matrix.fill(0);
    marginals.fill(0);
    let pairableValues = 0;
    for (let u = 0; u < unitCount; u++) {
      const weight = multiplicity[u];
      if (weight === 0) continue;
      const row = units[u] * q;
      const m = ratingsPerItem[units[u]];
      const scale = weight / (m - 1);
      let distinct = 0;
      for (let k = 0; k < q; k++) {
        const c = counts[row + k];
        if (c === 0) continue;
        marginals[k] += weight * c;
        present[distinct++] = k;
      }
      pairableValues += weight * m;
      for (let a = 0; a < distinct; a++) {
        const k = present[a];
        const ck = counts[row + k];
        if (level === "nominal") {
          matrix[k * q + k] += scale * ck * (ck - 1);
          continue;
        }
        for (let b = 0; b < distinct; b++) {
          const l = present[b];
          matrix[k * q + l] += scale * ck * (counts[row + l] - (k === l ? 1 : 0));
        }
      }
    }
    const disagreement = alphaFromCoincidences({ matrix, marginals, pairableValues }, level, values);
    if (typeof disagreement !== "string") {
      alphas.push(1 - ((pairableValues - 1) * disagreement.observed) / disagreement.expected);
    }
  }
  alphas.sort((a, b) => a - b);
  const tail = (1 - options.confidence) / 2;
  return {
    method: "unit bootstrap, percentile interval",
    replicates: options.replicates,
    seed: options.seed,
    confidence: options.confidence,
    lower: quantileType7(alphas, tail),
    upper: quantileType7(alphas, 1 - tail),
    undefinedReplicates: options.replicates - alphas.length,
  };
}

/** R's default (type 7) quantile of sorted values; null for an empty list. */
function quantileType7(sorted: readonly number[], probability: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}
