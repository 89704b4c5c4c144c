import jStat from "jstat";
import { StatsInputError } from "./errors.ts";

/**
 * Two-sided standard normal critical value z = Φ⁻¹(1 − α/2) for a confidence level 1 − α.
 * Uses jStat's normal quantile (accurate to ~1e-15), never simple-statistics' probit (~1e-3).
 *
 * @throws {StatsInputError} when confidence is not in (0, 1)
 * @example
 * zCritical(0.95) // => 1.959963984540054
 */
export function zCritical(confidence: number): number {
  assertConfidence(confidence);
  return jStat.normal.inv(1 - (1 - confidence) / 2, 0, 1);
}

/**
 * Two-sided Student t critical value t(1 − α/2; df).
 *
 * @throws {StatsInputError} when confidence is not in (0, 1) or df is not positive
 * @example
 * tCritical(0.95, 10) // => 2.228138842468655 (jStat; exact 2.228138851986)
 */
export function tCritical(confidence: number, df: number): number {
  assertConfidence(confidence);
  if (!(df > 0)) throw new StatsInputError("tCritical requires positive degrees of freedom", "df");
  return jStat.studentt.inv(1 - (1 - confidence) / 2, df);
}

/** Two-sided p-value of a standard normal statistic: 2·(1 − Φ(|z|)), computed with erfc for accuracy in the tail. */
export function twoSidedNormalP(z: number): number {
  return jStat.erfc(Math.abs(z) / Math.SQRT2);
}

export function assertConfidence(confidence: number, field = "confidence"): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new StatsInputError(`${field} must be strictly between 0 and 1`, field);
  }
}
