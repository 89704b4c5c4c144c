/**
 * Log-gamma building blocks that stay accurate where differences of ln Γ values cancel.
 *
 * ln Γ(10¹²) ≈ 2.6·10¹³, so any formula that subtracts two such values (ln B(a, b), binomial and beta
 * densities) keeps only ~3 digits in doubles; jStat's gammaln (Numerical Recipes' 6-term Lanczos, ~2e-10
 * relative) loses even more. Everything here is arranged so that only small quantities are added:
 *
 * - stirlerr(z) = ln Γ(z + 1) − (z + ½) ln z + z − ln √(2π), the error of Stirling's formula;
 * - bd0(x, M) = x ln(x/M) + M − x, the binomial deviance, by a series when x ≈ M;
 * - 1/Γ(1 + a) from its Taylor series (Abramowitz & Stegun 6.1.34, coefficients recomputed with mpmath);
 * - ln B(a, b) assembled from those.
 *
 * Source of the method: Loader C (2000) "Fast and accurate computation of binomial probabilities" (the
 * algorithm of R's dbinom, stirlerr.c and bd0.c).
 */

import { twoProduct, twoSum } from "./error-free.ts";

const LN_SQRT_2PI = 0.9189385332046728; // ln √(2π)

/**
 * Taylor coefficients of 1/Γ(1 + a) around a = 0 (A&S 6.1.34 shifted by one; mpmath 1.3 `taylor(rgamma, 1,
 * 30)` at 40 digits). The series is entire; for |a| ≤ 1.5 the omitted terms are below 1e-17.
 */
const RECIPROCAL_GAMMA_1P = [
  1, 0.5772156649015329, -0.6558780715202539, -0.04200263503409524, 0.16653861138229148, -0.04219773455554433,
  -0.009621971527876973, 0.0072189432466631, -0.0011651675918590652, -0.00021524167411495098,
  0.0001280502823881162, -2.013485478078824e-5, -1.2504934821426706e-6, 1.133027231981696e-6,
  -2.056338416977607e-7, 6.116095104481416e-9, 5.002007644469223e-9, -1.18127457048702e-9,
  1.0434267116911005e-10, 7.782263439905071e-12, -3.696805618642206e-12, 5.100370287454476e-13,
  -2.0583260535665066e-14, -5.348122539423018e-15, 1.2267786282382608e-15, -1.1812593016974588e-16,
  1.1866922547516004e-18, 1.4123806553180319e-18, -2.29874568443537e-19, 1.7144063219273374e-20,
  1.337351730493693e-22,
];

/**
 * gam1(a) = 1/Γ(1 + a) − 1 for −0.5 ≤ a ≤ 1.5, without the cancellation of forming 1/Γ first (it is
 * ≈ 0.577·a near 0). O(1).
 *
 * @example
 * reciprocalGamma1pMinus1(0.5) // => 0.12837916709551256 (1/Γ(1.5) − 1 = 2/√π − 1)
 */
export function reciprocalGamma1pMinus1(a: number): number {
  let value = RECIPROCAL_GAMMA_1P[RECIPROCAL_GAMMA_1P.length - 1];
  for (let k = RECIPROCAL_GAMMA_1P.length - 2; k >= 1; k--) value = value * a + RECIPROCAL_GAMMA_1P[k];
  return value * a;
}

/**
 * ln Γ(1 + z) for 0 ≤ z ≤ 15 with an absolute error of a few 1e-15: z is brought into (0.5, 1.5] by
 * Γ(1 + z) = z·Γ(z), the product taken once and logged once, then 1/Γ(1 + f) from its Taylor series.
 */
function logGamma1pSmall(z: number): number {
  let product = 1;
  let f = z;
  while (f > 1.5) {
    product *= f;
    f -= 1;
  }
  return Math.log(product) - Math.log1p(reciprocalGamma1pMinus1(f));
}

/** stirlerr(k/2), k = 0..30, mpmath 1.3 at 40 digits (R's sferr_halves; stirlerr(0) = 0 by convention). */
const STIRLERR_HALVES = [
  0, 0.15342640972002736, 0.08106146679532726, 0.05481412105191765, 0.0413406959554093, 0.03316287351993629,
  0.02767792568499834, 0.023746163656297496, 0.020790672103765093, 0.018488450532673187, 0.016644691189821193,
  0.015134973221917378, 0.013876128823070748, 0.012810465242920227, 0.01189670994589177, 0.011104559758206917,
  0.010411265261972096, 0.009799416126158804, 0.009255462182712733, 0.008768700134139386, 0.00833056343336287,
  0.00793411456431402, 0.007573675487951841, 0.007244554301320383, 0.00694284010720953, 0.006665247032707682,
  0.006408994188004207, 0.006171712263039458, 0.0059513701127588475, 0.0057462165130101155,
  0.005554733551962801,
];

/**
 * Error of Stirling's formula, stirlerr(z) = ln Γ(z + 1) − (z + ½) ln z + z − ln √(2π), for real z ≥ 0.
 * Tabulated at half-integers up to 15, from ln Γ below 15 otherwise (absolute error ~1e-14), and from the
 * asymptotic series 1/(12z) − 1/(360z³) + 1/(1260z⁵) − 1/(1680z⁷) + 1/(1188z⁹) above 15 (Loader 2000;
 * R stirlerr.c). O(1).
 *
 * @example
 * stirlerr(10) // => 0.008330563433362871
 */
export function stirlerr(z: number): number {
  if (z <= 15) {
    const twice = 2 * z;
    if (Number.isInteger(twice)) return STIRLERR_HALVES[twice];
    return logGamma1pSmall(z) - (z + 0.5) * Math.log(z) + z - LN_SQRT_2PI;
  }
  const z2 = z * z;
  if (z > 500) return (S0 - S1 / z2) / z;
  if (z > 80) return (S0 - (S1 - S2 / z2) / z2) / z;
  if (z > 35) return (S0 - (S1 - (S2 - S3 / z2) / z2) / z2) / z;
  return (S0 - (S1 - (S2 - (S3 - S4 / z2) / z2) / z2) / z2) / z;
}

const S0 = 1 / 12;
const S1 = 1 / 360;
const S2 = 1 / 1260;
const S3 = 1 / 1680;
const S4 = 1 / 1188;

/**
 * Deviance term bd0(x, M) = x·ln(x/M) + M − x ≥ 0, with the series
 * 2x·Σ v^(2j+1)/(2j + 1) − (x − M), v = (x − M)/(x + M), when |x − M| < 0.1(x + M), where the direct form
 * cancels (Loader 2000; R bd0.c). O(1) (at most ~15 terms).
 *
 * @example
 * bd0(10, 10) // => 0
 */
export function bd0(x: number, M: number): number {
  if (x === 0) return M;
  if (Math.abs(x - M) < 0.1 * (x + M)) {
    let v = (x - M) / (x + M);
    let sum = (x - M) * v;
    let term = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      term *= v;
      const next = sum + term / (2 * j + 1);
      if (next === sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / M) + M - x;
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b) for a, b > 0, arranged (with p ≤ q the smaller and larger
 * parameter) as ln √(2π) + (p − ½) ln p − p ln(p + q) − (q − ½)·log1p(p/q) + stirlerr(p) + stirlerr(q)
 * − stirlerr(p + q), which adds no large terms when one parameter is small and the other huge (the case the
 * power series and the Temme expansion need). O(1).
 *
 * @example
 * logBeta(2, 3) // => ln(1/12) = -2.4849066497880004
 */
export function logBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  return (
    LN_SQRT_2PI +
    (p - 0.5) * Math.log(p) -
    p * Math.log(p + q) -
    (q - 0.5) * Math.log1p(p / q) +
    stirlerr(p) +
    stirlerr(q) -
    stirlerr(p + q)
  );
}

/**
 * ln(x^a·y^b / B(a, b)) for a, b > 0, 0 < x < 1 and y = 1 − x (x and y passed separately so the caller
 * keeps the precision of whichever is small), by Loader's saddle-point form:
 * ½ ln(ab/(2π(a + b))) + stirlerr(a + b) − stirlerr(a) − stirlerr(b) − bd0(a, (a + b)x) − bd0(b, (a + b)y).
 * The direct a ln x + b ln y − ln B(a, b) would cancel ~10¹⁵ against ~10¹⁵ at a = b = 10¹⁵.
 *
 * The two bd0 arguments must add up to a + b, or their linear terms stop cancelling: the one from the smaller
 * of x and y is formed exactly (twoSum and twoProduct, the error terms entering through bd0's slope
 * 1 − a/M) and the other as a + b minus it. What remains is a few ulps of the result per unit of |ln| (the conditioning of x^a y^b in
 * x itself). O(1).
 *
 * @example
 * logBetaKernel(2, 3, 0.5, 0.5) // => -0.9808292530117265 (ln(0.5⁵·12) = ln 0.375)
 */
export function logBetaKernel(a: number, b: number, x: number, y: number): number {
  const [m, mError] = twoSum(a, b);
  const [small, large] = x <= y ? [a, b] : [b, a];
  // (a + b)·min(x, y) = high + rest and (a + b) − that = other + otherRest, both exactly (to ~1e-32).
  const [high, low] = twoProduct(m, Math.min(x, y));
  const rest = mError * Math.min(x, y) + low;
  const [other, otherError] = twoSum(m, -high);
  const otherRest = otherError + mError - rest;
  const deviance =
    bd0(small, high) + rest * (1 - small / high) + bd0(large, other) + otherRest * (1 - large / other);
  return 0.5 * Math.log((a / m) * (b / (2 * Math.PI))) + stirlerr(m) - stirlerr(a) - stirlerr(b) - deviance;
}

/**
 * ln P(X = k) for X ~ Binomial(n, p), k an integer in [0, n], with q = 1 − p passed separately
 * (Loader 2000; R dbinom_raw). Accurate to a few ulps for any n up to 2^53. O(1).
 *
 * @example
 * binomialLogPmf(2, 4, 0.5, 0.5) // => -0.9808292530117263 (ln 0.375)
 */
export function binomialLogPmf(k: number, n: number, p: number, q: number): number {
  if (k < 0 || k > n) return Number.NEGATIVE_INFINITY;
  if (p === 0) return k === 0 ? 0 : Number.NEGATIVE_INFINITY;
  if (q === 0) return k === n ? 0 : Number.NEGATIVE_INFINITY;
  if (k === 0) return p < 0.1 ? -bd0(n, n * q) - n * p : n * Math.log(q);
  if (k === n) return q < 0.1 ? -bd0(n, n * p) - n * q : n * Math.log(p);
  const lc = stirlerr(n) - stirlerr(k) - stirlerr(n - k) - bd0(k, n * p) - bd0(n - k, n * q);
  return lc - LN_SQRT_2PI - 0.5 * (Math.log(k) + Math.log1p(-k / n));
}
