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
 * tCritical(0.95, 10) // => 2.2281388517507694 (scipy: 2.228138851986274)
 */
export function tCritical(confidence: number, df: number): number {
  assertConfidence(confidence);
  if (!(df > 0)) throw new StatsInputError("tCritical requires positive degrees of freedom", "df");
  const p = 1 - (1 - confidence) / 2;
  // jStat's t quantile is good to ~1e-8; Newton steps on its (more accurate) CDF bring it to ~1e-13.
  let t = jStat.studentt.inv(p, df);
  for (let step = 0; step < 2; step++) {
    const density = jStat.studentt.pdf(t, df);
    if (!(density > 0)) break;
    t -= (jStat.studentt.cdf(t, df) - p) / density;
  }
  return t;
}

/**
 * Upper tail of the standard normal, Q(z) = 1 − Φ(z), accurate in the far tail.
 *
 * For z < 3, Q = erfc(z/√2)/2 (jStat). Beyond, jStat's erfc loses relative accuracy (2 % low at z = 8,
 * 0 past 8.5), so Q = φ(z)·R(z) with Mills' ratio R from its continued fraction
 * R(z) = 1/(z + 1/(z + 2/(z + 3/(z + …)))) (Abramowitz & Stegun 26.2.14), evaluated from the tail.
 *
 * @example
 * normalUpperTail(8) // => 6.220960574271784e-16
 */
export function normalUpperTail(z: number): number {
  if (z < 3) return 0.5 * jStat.erfc(z / Math.SQRT2);
  let fraction = z;
  for (let k = 80; k >= 1; k--) fraction = z + k / fraction;
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) / fraction;
}

/** Two-sided p-value of a standard normal statistic: 2·Q(|z|), accurate in the far tail. */
export function twoSidedNormalP(z: number): number {
  return Math.min(1, 2 * normalUpperTail(Math.abs(z)));
}

export function assertConfidence(confidence: number, field = "confidence"): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new StatsInputError(`${field} must be strictly between 0 and 1`, field);
  }
}
