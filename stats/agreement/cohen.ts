import { assertConfidence, twoSidedNormalP, zCritical } from "../critical.ts";
import { StatsInputError } from "../errors.ts";
import type { EncodedRatings } from "./encode.ts";
import { type LandisKochBand, landisKoch } from "./interpretation.ts";
import { agreementWeights, WEIGHT_SCHEMES, type WeightScheme, weightMatrixFromRows } from "./weights.ts";

export interface CohenKappaResult {
  kappa: number | null;
  /** Large-sample non-null standard error (Fleiss, Cohen & Everitt 1969; SAS PROC FREQ "ASE"). */
  se: number | null;
  /** Standard error under H0: κ = 0 (Fleiss, Cohen & Everitt 1969; SAS "ASE under H0", R irr kappa2). */
  se0: number | null;
  /** kappa / se0. */
  z: number | null;
  /** Two-sided normal p of z. */
  p: number | null;
  /** kappa ± z(1 − α/2)·se (normal, not clipped: SAS PROC FREQ and statsmodels). */
  lower: number | null;
  upper: number | null;
  interpretation: LandisKochBand | null;
  weights: WeightScheme | "custom";
  confidence: number;
  /** Items rated by both raters. */
  items: number;
  /** Observed and chance (weighted) agreement. */
  po: number | null;
  pe: number | null;
  undefinedReason: string | null;
  seUndefinedReason: string | null;
  se0UndefinedReason: string | null;
}

export interface CohenOptions {
  /** A scheme over category positions, or (for tables only) a custom q × q agreement-weight matrix. */
  weights?: WeightScheme | readonly (readonly number[])[];
  confidence?: number;
}

/**
 * Cohen's kappa (Cohen 1960) and weighted kappa (Cohen 1968) for two raters from their q × q contingency
 * table n_ij (rows = rater A's category, columns = rater B's), with agreement weights w_ij:
 *
 *   p_ij = n_ij/n,  p_o = Σ w_ij p_ij,  p_e = Σ w_ij p_i· p_·j,  κ = (p_o − p_e)/(1 − p_e)
 *   w̄_i· = Σ_j p_·j w_ij,  w̄_·j = Σ_i p_i· w_ij
 *   var(κ)  = [Σ p_ij (w_ij − (w̄_i· + w̄_·j)(1 − κ))² − (κ − p_e(1 − κ))²] / (n(1 − p_e)²)
 *   var₀(κ) = [Σ p_i· p_·j (w_ij − (w̄_i· + w̄_·j))² − p_e²] / (n(1 − p_e)²)
 *
 * Fleiss, Cohen & Everitt (1969) "Large sample standard errors of kappa and weighted kappa", Psychological
 * Bulletin 72, 323–327 — the formulas of SAS PROC FREQ (AGREE), statsmodels `cohens_kappa` and R irr `kappa2`
 * (z only). `se` gives the interval κ ± z·se, `se0` the test z = κ/se₀ with a two-sided normal p.
 * Undefined (null + reason) when the table is empty or p_e = 1.
 *
 * Complexity: O(q²).
 *
 * @throws {StatsInputError} when the table is not square with non-negative finite counts (field `table.i.j`),
 *   custom weights are not a q × q matrix in [0, 1] with a unit diagonal, or confidence is not in (0, 1)
 * @example
 * cohenKappaFromTable([[0, 4, 1], [0, 8, 0], [0, 1, 5]]).kappa // => 0.4841628959276017 (SAS: 0.4842)
 */
export function cohenKappaFromTable(
  table: readonly (readonly number[])[],
  options: CohenOptions = {},
): CohenKappaResult {
  if (!Array.isArray(table) || table.length === 0) {
    throw new StatsInputError("cohenKappaFromTable requires a non-empty square table", "table");
  }
  const q = table.length;
  const cells = new Float64Array(q * q);
  for (let i = 0; i < q; i++) {
    if (!Array.isArray(table[i]) || table[i].length !== q) {
      throw new StatsInputError("cohenKappaFromTable requires a square table", `table.${i}`);
    }
    for (let j = 0; j < q; j++) {
      const count = table[i][j];
      if (!(typeof count === "number" && Number.isFinite(count) && count >= 0)) {
        throw new StatsInputError(`table.${i}.${j} must be a non-negative count`, `table.${i}.${j}`);
      }
      cells[i * q + j] = count;
    }
  }
  const { matrix, label } = resolveWeights(options.weights, q);
  return kappaFromCells(cells, q, matrix, label, options.confidence ?? 0.95);
}

/**
 * Cohen's (weighted) kappa between raters `raterA` and `raterB` (column indices) over the items both rated,
 * with weights over the positions in `encoded.categories`. See `cohenKappaFromTable` for formulas.
 *
 * Complexity: O(items + q²) time, O(q²) memory.
 *
 * @throws {StatsInputError} when a rater index is out of range, weights is unknown or confidence is
 *   not in (0, 1)
 * @example
 * cohenKappa(encodeRatings([[1, 1], [2, 2], [1, 2]]), 0, 1).kappa
 * // => 0.39999999999999997 (= (2/3 − 4/9)/(1 − 4/9))
 */
export function cohenKappa(
  encoded: EncodedRatings,
  raterA: number,
  raterB: number,
  options: { weights?: WeightScheme; confidence?: number } = {},
): CohenKappaResult {
  for (const [rater, field] of [
    [raterA, "raterA"],
    [raterB, "raterB"],
  ] as const) {
    if (!(Number.isInteger(rater) && rater >= 0 && rater < encoded.raterCount)) {
      throw new StatsInputError(`${field} must be a column index below ${encoded.raterCount}`, field);
    }
  }
  const q = encoded.categories.length;
  const scheme = options.weights ?? "unweighted";
  return kappaFromCells(
    crossTable(encoded, raterA, raterB),
    q,
    agreementWeights(scheme, q),
    scheme,
    options.confidence ?? 0.95,
  );
}

/** q × q contingency table (row-major) of two raters over the items both rated. O(items). */
export function crossTable(encoded: EncodedRatings, raterA: number, raterB: number): Float64Array {
  const q = encoded.categories.length;
  const { codes, raterCount, itemCount } = encoded;
  const cells = new Float64Array(q * q);
  for (let i = 0; i < itemCount; i++) {
    const a = codes[i * raterCount + raterA];
    const b = codes[i * raterCount + raterB];
    if (a >= 0 && b >= 0) cells[a * q + b]++;
  }
  return cells;
}

function resolveWeights(
  weights: CohenOptions["weights"],
  q: number,
): { matrix: Float64Array; label: WeightScheme | "custom" } {
  if (weights === undefined) return { matrix: agreementWeights("unweighted", q), label: "unweighted" };
  if (typeof weights === "string") {
    if (!WEIGHT_SCHEMES.includes(weights)) {
      throw new StatsInputError(`weights must be one of ${WEIGHT_SCHEMES.join(", ")} or a matrix`, "weights");
    }
    return { matrix: agreementWeights(weights, q), label: weights };
  }
  if (weights.length !== q) throw new StatsInputError(`weights must be a ${q} × ${q} matrix`, "weights");
  return { matrix: weightMatrixFromRows(weights), label: "custom" };
}

/** Kappa, FCE (1969) standard errors and inference from a q × q table of counts. */
export function kappaFromCells(
  cells: Float64Array,
  q: number,
  weights: Float64Array,
  weightsLabel: WeightScheme | "custom",
  confidence: number,
): CohenKappaResult {
  assertConfidence(confidence);
  let n = 0;
  for (const count of cells) n += count;
  const result: CohenKappaResult = {
    kappa: null,
    se: null,
    se0: null,
    z: null,
    p: null,
    lower: null,
    upper: null,
    interpretation: null,
    weights: weightsLabel,
    confidence,
    items: n,
    po: null,
    pe: null,
    undefinedReason: null,
    seUndefinedReason: null,
    se0UndefinedReason: null,
  };
  if (n === 0) return undefinedCohen(result, "no item was rated by both raters");

  const rowShares = new Float64Array(q);
  const columnShares = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      rowShares[i] += cells[i * q + j] / n;
      columnShares[j] += cells[i * q + j] / n;
    }
  }
  let po = 0;
  let pe = 0;
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      po += (weights[i * q + j] * cells[i * q + j]) / n;
      pe += weights[i * q + j] * rowShares[i] * columnShares[j];
    }
  }
  result.po = po;
  result.pe = pe;
  if (pe >= 1) {
    return undefinedCohen(
      result,
      "chance agreement is 1 (both raters used a single category, or weights make every pair agree): kappa is 0/0",
    );
  }
  const kappa = (po - pe) / (1 - pe);
  result.kappa = kappa;
  result.interpretation = landisKoch(kappa);

  const rowMeanWeight = new Float64Array(q);
  const columnMeanWeight = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      rowMeanWeight[i] += columnShares[j] * weights[i * q + j];
      columnMeanWeight[j] += rowShares[i] * weights[i * q + j];
    }
  }
  let nonNull = 0;
  let underNull = 0;
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      const w = weights[i * q + j];
      const marginal = rowMeanWeight[i] + columnMeanWeight[j];
      const deviation = w - marginal * (1 - kappa);
      nonNull += (cells[i * q + j] / n) * deviation * deviation;
      const nullDeviation = w - marginal;
      underNull += rowShares[i] * columnShares[j] * nullDeviation * nullDeviation;
    }
  }
  const scale = n * (1 - pe) * (1 - pe);
  const bias = kappa - pe * (1 - kappa);
  // Perfect agreement makes the variance 0 up to rounding; never let rounding produce a negative variance.
  result.se = Math.sqrt(Math.max(0, (nonNull - bias * bias) / scale));
  const half = zCritical(confidence) * result.se;
  result.lower = kappa - half;
  result.upper = kappa + half;

  const nullVariance = (underNull - pe * pe) / scale;
  if (nullVariance > 0) {
    result.se0 = Math.sqrt(nullVariance);
    result.z = kappa / result.se0;
    result.p = twoSidedNormalP(result.z);
  } else {
    result.se0UndefinedReason = "the variance under H0 is 0, so z is undefined";
  }
  return result;
}

function undefinedCohen(result: CohenKappaResult, reason: string): CohenKappaResult {
  result.undefinedReason = reason;
  result.seUndefinedReason = reason;
  result.se0UndefinedReason = reason;
  return result;
}
