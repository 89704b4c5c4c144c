/**
 * Error function erf, its complement erfc and the scaled complement erfcx(x) = e^{x²}·erfc(x), to a few
 * ulps relative, in O(1) (one rational function each): the incomplete beta and gamma expansions multiply
 * erfc by huge or tiny factors, so relative accuracy in the far tail matters, and they call it in loops.
 *
 * Method: Cody WJ (1969) "Rational Chebyshev approximations for the error function", Math Comp 23:631–637,
 * in the normal-deviate form of Cody (1993) ACM TOMS Algorithm 715 (ANORM; R's pnorm), with y = x√2:
 * - y ≤ 0.67448975: Φ(y) − ½ = y·A(y²)/B(y²), so erf(x) = 2y·A/B;
 * - 0.67448975 < y ≤ √32: Q(y)·e^{y²/2} = C(y)/D(y), so erfcx(x) = 2C/D (e^{x²} = e^{y²/2});
 * - y > √32: Q(y)·e^{y²/2} = (1/√(2π) − P(1/y²)/(y²Q(1/y²)))/y.
 * e^{−x²} is formed as e^{−s²}·e^{−(x − s)(x + s)} with s = x rounded to sixteenths, so that x² is not
 * rounded (which would cost x²·1e-16 relative at x = 26).
 *
 * jStat's erf/erfc (a Numerical Recipes Chebyshev fit) are good to ~3e-14 only and its erfc reaches 0 at
 * x ≈ 6, so they are not used here. Measured against mpmath at 40 digits on 1,000 points of [0, 30]:
 * ≤ 8e-16 relative for erf, erfc and erfcx (test/stats/special-functions.test.ts).
 */

/** ½·erf(y/√2) = Φ(y) − ½ for |y| ≤ 0.67448975 (Cody's a, b). */
const A = [
  2.2352520354606837, 161.02823106855587, 1067.6894854603709, 18154.98125334356, 0.06568233791820745,
];
const B = [47.202581904688245, 976.0985517377767, 10260.932208618979, 45507.78933502673];
/** Q(y)·e^{y²/2} for 0.67448975 < y ≤ √32 (Cody's c, d). */
const C = [
  0.39894151208813466, 8.883149794388377, 93.50665613217785, 597.2702763948002, 2494.5375852903726,
  6848.190450536283, 11602.65143764735, 9842.714838383978, 1.0765576773720192e-8,
];
const D = [
  22.266688044328117, 235.387901782625, 1519.3775994075547, 6485.558298266761, 18615.571640885097,
  34900.95272114598, 38912.00328609327, 19685.429676859992,
];
/** Asymptotic form for y > √32 (Cody's p, q). */
const P = [
  0.215898534057957, 0.12740116116024736, 0.022235277870649807, 0.0014216191932278934, 2.9112874951168793e-5,
  0.023073441764940174,
];
const Q = [
  1.284260096144911, 0.4682382124808651, 0.06598813786892856, 0.0037823963320275824, 7.297515550839662e-5,
];

const CENTRAL_LIMIT = 0.67448975;
const SQRT_32 = 5.656854249492381;
const ONE_OVER_SQRT_2PI = 0.3989422804014327;

/**
 * erf(x) for real x. O(1).
 * @example
 * erf(0.1) // => 0.1124629160182849
 */
export function erf(x: number): number {
  if (x < 0) return -erf(-x);
  const y = x * Math.SQRT2;
  if (y <= CENTRAL_LIMIT) return 2 * centralHalf(y);
  return 0.5 + (0.5 - erfc(x));
}

/**
 * erfc(x) = 1 − erf(x) for real x, relative accuracy kept for large x (0 past x ≈ 26.55). O(1).
 * @example
 * erfc(5) // => 1.537459794428035e-12
 */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  const y = x * Math.SQRT2;
  if (y <= CENTRAL_LIMIT) return 0.5 + (0.5 - 2 * centralHalf(y));
  return expMinusSquare(x) * 2 * scaledTail(y);
}

/**
 * erfcx(x) = e^{x²}·erfc(x) for x ≥ 0 (≈ 1/(x√π) for large x; no underflow). O(1).
 * @example
 * erfcScaled(30) // => 0.01879588886141675
 */
export function erfcScaled(x: number): number {
  const y = x * Math.SQRT2;
  if (y <= CENTRAL_LIMIT) return Math.exp(x * x) * (0.5 + (0.5 - 2 * centralHalf(y)));
  return 2 * scaledTail(y);
}

/** Φ(y) − ½ for 0 ≤ y ≤ 0.67448975. */
function centralHalf(y: number): number {
  const ysq = y * y;
  let numerator = A[4] * ysq;
  let denominator = ysq;
  for (let i = 0; i < 3; i++) {
    numerator = (numerator + A[i]) * ysq;
    denominator = (denominator + B[i]) * ysq;
  }
  return (y * (numerator + A[3])) / (denominator + B[3]);
}

/** Q(y)·e^{y²/2} for y > 0.67448975. */
function scaledTail(y: number): number {
  if (y <= SQRT_32) {
    let numerator = C[8] * y;
    let denominator = y;
    for (let i = 0; i < 7; i++) {
      numerator = (numerator + C[i]) * y;
      denominator = (denominator + D[i]) * y;
    }
    return (numerator + C[7]) / (denominator + D[7]);
  }
  const inverseSquare = 1 / (y * y);
  let numerator = P[5] * inverseSquare;
  let denominator = inverseSquare;
  for (let i = 0; i < 4; i++) {
    numerator = (numerator + P[i]) * inverseSquare;
    denominator = (denominator + Q[i]) * inverseSquare;
  }
  const correction = (inverseSquare * (numerator + P[4])) / (denominator + Q[4]);
  return (ONE_OVER_SQRT_2PI - correction) / y;
}

/** e^{−x²} without rounding x²: x = s + d with s on a 1/16 grid, x² = s² + (x − s)(x + s). */
function expMinusSquare(x: number): number {
  const s = Math.trunc(x * 16) / 16;
  return Math.exp(-s * s) * Math.exp(-(x - s) * (x + s));
}
