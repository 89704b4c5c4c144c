import { erfc } from "./error-function.ts";
import { StatsInputError } from "./errors.ts";
import { normalTwoSidedQuantile } from "./normal-quantile.ts";
import { studentTTwoSidedQuantile } from "./student-t.ts";

/**
 * Two-sided standard normal critical value z = Φ⁻¹(1 − α/2) for a confidence level 1 − α, i.e. the z with
 * P(|Z| ≤ z) = confidence, accurate to 1e-15 relative over the whole open interval.
 *
 * Computed from α/2 = (1 − c)/2 itself (z = −Φ⁻¹(α/2)) near c = 1 and from c/2 = Φ(z) − ½ near 0, by
 * Wichura's AS 241 (see normalTwoSidedQuantile). The former 1 − α/2 rounds to 1 once α/2 < 1.1e-16:
 * confidence 0.9999999999999999 gave z = 141.4 instead of 8.2924. jStat's inverse is also not used in the
 * tail (2e-7 relative error at Φ⁻¹(1e-12)); simple-statistics' probit is coarser still (~1e-3).
 *
 * @throws {StatsInputError} when confidence is not in (0, 1)
 * @example
 * zCritical(0.95) // => 1.9599639845400536 (true value for the double 0.95: 1.95996398454005386)
 * zCritical(0.9999999999999999) // => 8.292361075813595
 */
export function zCritical(confidence: number): number {
  assertConfidence(confidence);
  return normalTwoSidedQuantile(confidence);
}

/**
 * Two-sided Student t critical value t(1 − α/2; df): the t with P(|T| ≤ t) = confidence, to ~1e-14
 * relative for every confidence in (0, 1) and df > 0.
 *
 * The quantile of v = t²/(df + t²) ~ Beta(½, df/2) is solved from its upper tail α (or, for confidence
 * below ½, its lower tail c) with Newton steps on an accurate incomplete beta (see
 * studentTTwoSidedQuantile). jStat's t CDF near 1 loses the tail (1 − F is formed by cancellation), and its
 * inverse is good to ~1e-8 only.
 *
 * @throws {StatsInputError} when confidence is not in (0, 1) or df is not positive
 * @example
 * tCritical(0.95, 10) // => 2.2281388519862735 (R qt(0.975, 10) = 2.228138851986274)
 */
export function tCritical(confidence: number, df: number): number {
  assertConfidence(confidence);
  if (!(df > 0)) throw new StatsInputError("tCritical requires positive degrees of freedom", "df");
  return studentTTwoSidedQuantile(confidence, df);
}

/**
 * Upper tail of the standard normal, Q(z) = 1 − Φ(z), accurate in the far tail.
 *
 * For z < 3, Q = erfc(z/√2)/2 with Cody's erfc (error-function.ts, ~1e-16; jStat's erfc is good to ~3e-14
 * here and loses relative accuracy beyond: 2 % low at z = 8, 0 past 8.5). From z = 3, Q = φ(z)·R(z) with
 * Mills' ratio R from its continued fraction
 * R(z) = 1/(z + 1/(z + 2/(z + 3/(z + …)))) (Abramowitz & Stegun 26.2.14), evaluated from the tail.
 *
 * @example
 * normalUpperTail(8) // => 6.220960574271784e-16
 */
export function normalUpperTail(z: number): number {
  if (z < 3) return 0.5 * erfc(z / Math.SQRT2);
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
