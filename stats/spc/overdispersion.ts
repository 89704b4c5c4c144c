import jStat from "jstat";

export interface DispersionTest {
  /** Σzᵢ²/df: about 1 under binomial (Poisson) variation, above 1 when points vary more. */
  ratio: number;
  /** Σzᵢ², chi-square with df degrees of freedom when the limits model is right. */
  statistic: number;
  df: number;
  /** Upper-tail chi-square probability P(χ²_df ≥ statistic). */
  p: number;
}

/**
 * Overdispersion (Pearson chi-square dispersion) test for p and u charts: ratio = Σzᵢ²/df with
 * zᵢ = (valueᵢ − centre)/σᵢ the classic chart z-scores over the baseline, df = m − 1 when the centre is
 * estimated from the m points (m when it is a known standard), and the upper-tail p-value of Σzᵢ² on χ²_df.
 * A small p says the between-point variation exceeds what sampling explains, so Laney p′/u′ limits fit
 * better (Laney 2002; Spiegelhalter 2005, Stat Med 24:1185 §6).
 *
 * Complexity O(1) (jStat's regularised incomplete gamma).
 *
 * @example
 * dispersionTest(30, 20) // => { ratio: 1.5, statistic: 30, df: 20, p: 0.0698536606993754 }
 */
export function dispersionTest(sumOfSquares: number, df: number): DispersionTest {
  const p = Math.min(1, Math.max(0, 1 - jStat.chisquare.cdf(sumOfSquares, df)));
  return { ratio: sumOfSquares / df, statistic: sumOfSquares, df, p };
}
