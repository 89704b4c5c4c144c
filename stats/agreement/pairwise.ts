import { assertConfidence } from "../critical.ts";
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
 * Cohen's kappa (weighted as requested) and unweighted percent agreement p_o = Σ_k n_kk / n for every pair of
 * raters a < b, each over the n items both rated: κ_w = (p_o,w − p_e,w)/(1 − p_e,w), p_o,w = Σ_items w(a_i, b_i)/n,
 * p_e,w = Σ_ij w_ij r_i c_j over the two raters' marginal shares (Cohen 1968; the same value as `cohenKappa` for
 * the pair, which also gives standard errors). Weights use the positions in the matrix-wide category list, so
 * every pair is weighted alike (R irr `kappa2` instead ranks the levels the two columns happen to use).
 *
 * Complexity: O(raters² · (items + u²)) time, u ≤ min(q, items) the categories a pair's raters used (O(u) for
 * unweighted kappa), O(q) memory. No q × q table per pair: with 100 raters and 200 categories that cost seconds.
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
  assertConfidence(options.confidence ?? 0.95);
  const kappaOf = pairKappa(encoded, agreementWeights(scheme, q), scheme === "unweighted");
  const pairs: PairwiseAgreement[] = [];
  for (let a = 0; a < encoded.raterCount; a++) {
    for (let b = a + 1; b < encoded.raterCount; b++) {
      const pair = kappaOf(a, b);
      pairs.push({
        raters: [raterNames[a], raterNames[b]],
        items: pair.items,
        percentAgreement: pair.items > 0 ? pair.agreeing / pair.items : null,
        kappa: pair.kappa,
        interpretation: landisKoch(pair.kappa),
        undefinedReason: pair.undefinedReason,
      });
    }
  }
  return pairs;
}

/**
 * Kappa of one pair without a dense q × q table: the cells the pair filled, its marginal shares and the sums of
 * `kappaFromCells` taken over those cells in the same (row-major) order, so the value is bit-for-bit the one
 * `cohenKappa` gives (zero cells add exact zeros there). Scratch arrays are reused across pairs.
 */
function pairKappa(encoded: EncodedRatings, weights: Float64Array, unweighted: boolean) {
  const q = encoded.categories.length;
  const { codes, raterCount, itemCount } = encoded;
  const cellCounts = new Float64Array(q * q);
  const rowShares = new Float64Array(q);
  const columnShares = new Float64Array(q);
  const filled: number[] = [];
  const usedRows: number[] = [];
  const usedColumns: number[] = [];
  const ascending = (x: number, y: number) => x - y;
  return (a: number, b: number) => {
    let items = 0;
    let agreeing = 0;
    for (let i = 0; i < itemCount; i++) {
      const x = codes[i * raterCount + a];
      const y = codes[i * raterCount + b];
      if (x < 0 || y < 0) continue;
      items++;
      if (x === y) agreeing++;
      if (cellCounts[x * q + y]++ === 0) filled.push(x * q + y);
    }
    filled.sort(ascending);
    let po = 0;
    for (const cell of filled) {
      const count = cellCounts[cell];
      const x = Math.floor(cell / q);
      const y = cell - x * q;
      if (rowShares[x] === 0) usedRows.push(x);
      if (columnShares[y] === 0) usedColumns.push(y);
      rowShares[x] += count / items;
      columnShares[y] += count / items;
      po += (weights[cell] * count) / items;
    }
    usedRows.sort(ascending);
    usedColumns.sort(ascending);
    let pe = 0;
    if (unweighted) {
      for (const i of usedRows) pe += rowShares[i] * columnShares[i];
    } else {
      for (const i of usedRows)
        for (const j of usedColumns) pe += weights[i * q + j] * rowShares[i] * columnShares[j];
    }
    for (const cell of filled) cellCounts[cell] = 0;
    for (const i of usedRows) rowShares[i] = 0;
    for (const j of usedColumns) columnShares[j] = 0;
    filled.length = usedRows.length = usedColumns.length = 0;
    const result = { items, agreeing, kappa: null as number | null, undefinedReason: null as string | null };
    if (items === 0) {
      result.undefinedReason = "no item was rated by both raters";
    } else if (pe >= 1) {
      result.undefinedReason =
        "chance agreement is 1 (both raters used a single category, or weights make every pair agree): kappa is 0/0";
    } else {
      result.kappa = (po - pe) / (1 - pe);
    }
    return result;
  };
}
