import { StatsInputError } from "../errors.ts";

/** Agreement-weight schemes for weighted kappa, weighted Fleiss' kappa and Gwet's AC2. */
export type WeightScheme = "unweighted" | "linear" | "quadratic";

export const WEIGHT_SCHEMES: readonly WeightScheme[] = Object.freeze(["unweighted", "linear", "quadratic"]);

/**
 * Agreement weight matrix w_ij (1 = full agreement, 0 = none) over q ordered categories, i, j = positions
 * 0…q−1 in the category order (not the labels' numeric values, as R irr and irrCAC):
 * - `unweighted`: w_ij = 1 if i = j, else 0
 * - `linear` (Cicchetti & Allison 1971): w_ij = 1 − |i − j|/(q − 1)
 * - `quadratic` (Fleiss & Cohen 1973): w_ij = 1 − (i − j)²/(q − 1)²
 * With a single category every scheme is the 1 × 1 matrix [1].
 *
 * Complexity: O(q²).
 *
 * @throws {StatsInputError} when the scheme is unknown (field `weights`)
 * @example
 * agreementWeights("linear", 3) // => Float64Array [1, 0.5, 0, 0.5, 1, 0.5, 0, 0.5, 1]
 */
export function agreementWeights(scheme: WeightScheme, categoryCount: number): Float64Array {
  if (!WEIGHT_SCHEMES.includes(scheme)) {
    throw new StatsInputError(`weights must be one of ${WEIGHT_SCHEMES.join(", ")}`, "weights");
  }
  const q = categoryCount;
  const weights = new Float64Array(q * q);
  const span = Math.max(q - 1, 1);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      const distance = Math.abs(i - j) / span;
      weights[i * q + j] =
        scheme === "unweighted"
          ? i === j
            ? 1
            : 0
          : scheme === "linear"
            ? 1 - distance
            : 1 - distance * distance;
    }
  }
  return weights;
}

/**
 * Converts a square agreement-weight matrix given as rows into the row-major Float64Array used internally.
 */
export function weightMatrixFromRows(rows: readonly (readonly number[])[], field = "weights"): Float64Array {
  const q = rows.length;
  const weights = new Float64Array(q * q);
  for (let i = 0; i < q; i++) {
    if (!Array.isArray(rows[i]) || rows[i].length !== q) {
      throw new StatsInputError(`${field} must be a square matrix`, `${field}.${i}`);
    }
    for (let j = 0; j < q; j++) {
      const w = rows[i][j];
      if (!(typeof w === "number" && w >= 0 && w <= 1)) {
        throw new StatsInputError(`${field}.${i}.${j} must be a number in [0, 1]`, `${field}.${i}.${j}`);
      }
      weights[i * q + j] = w;
    }
    if (weights[i * q + i] !== 1) {
      throw new StatsInputError(`${field}.${i}.${i} must be 1 (full agreement)`, `${field}.${i}.${i}`);
    }
  }
  return weights;
}
