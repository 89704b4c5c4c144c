import { twoProduct, twoSum } from "./error-free.ts";
import { erf, erfc, erfcScaled } from "./error-function.ts";
import { logBeta, logBetaKernel, reciprocalGamma1pMinus1, stirlerr } from "./log-gamma.ts";

/**
 * Regularised incomplete beta function I_x(a, b) = ∫₀ˣ t^{a−1}(1 − t)^{b−1} dt / B(a, b) and its complement,
 * both to ~1e-14 relative whichever is small, for any a, b > 0 (up to 2^53) and 0 ≤ x ≤ 1, in time that
 * does not grow with a or b.
 *
 * Algorithm: DiDonato AR & Morris AH (1992) "Algorithm 708: Significant digit computation of the incomplete
 * beta function ratios", ACM TOMS 18(3):360–373 (the method of R's pbeta). The smaller tail is always the
 * one computed (the other is 1 − it), by the method that converges quickly for the parameters:
 * - BPSER, the power series Σ, when b ≤ 1 or b·x ≤ 0.7;
 * - BUP, the finite recurrence I_x(a, b) − I_x(a + n, b) (A&S 26.5.16), to move a parameter by an integer;
 * - BGRAT, the asymptotic expansion in incomplete gamma functions for a ≥ 15, b ≤ 1 (x near 1);
 * - BFRAC, DiDonato & Morris' continued fraction (in λ = (a + b)y − b, which avoids the cancellation of
 *   the classical one near the mean) for a, b > 40 away from the mean;
 * - BASYM, Temme's uniform asymptotic expansion for a, b > 100 within 3 % of the mean — the case of a
 *   binomial with n = 10¹² near its centre, where any continued fraction needs ~√n terms.
 * Their prefactor x^a y^b / B(a, b) comes from Loader's saddle-point form (logBetaKernel), which is what
 * keeps 10¹²-sized parameters accurate; jStat's ibeta (a 100-term continued fraction with a ~2e-10 log-gamma)
 * returns garbage there.
 *
 * Not implemented (not reachable from modqc): the series for parameters below 1e-15 (FPSER, APSER); such
 * parameters get the power series, which is accurate for the larger tail only.
 */
export interface BetaTails {
  /** I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b). */
  lower: number;
  /** 1 − I_x(a, b) = P(X > x), computed directly when it is the smaller. */
  upper: number;
}

/** Relative tolerance of the series and continued fractions. */
const EPS = 1e-15;

/**
 * I_x(a, b) and 1 − I_x(a, b).
 *
 * @param a first shape parameter, > 0
 * @param b second shape parameter, > 0
 * @param x in [0, 1]
 * @param y 1 − x; pass it when it is known more precisely than 1 − x rounds (e.g. y = t²/(ν + t²))
 * Complexity O(1): at most a few hundred iterations for any a, b (BFRAC near the mean with
 * min(a, b) ≤ 100), 20 terms of BASYM, 30 of BGRAT, 40 of BUP.
 * @example
 * incompleteBeta(2, 3, 0.5) // => { lower: 0.6875, upper: 0.3125 }
 */
export function incompleteBeta(a: number, b: number, x: number, y: number = 1 - x): BetaTails {
  if (!(a > 0 && b > 0 && x >= 0 && y >= 0)) return { lower: Number.NaN, upper: Number.NaN };
  if (x === 0) return { lower: 0, upper: 1 };
  if (y === 0) return { lower: 1, upper: 0 };
  const [lower, upper] = betaRatio(a, b, x, y);
  return { lower, upper };
}

/** [I_x(a, b), 1 − I_x(a, b)]: the dispatch of DiDonato & Morris (1992) (their BRATIO). */
function betaRatio(a: number, b: number, x: number, y: number): [number, number] {
  if (Math.min(a, b) <= 1) {
    // At least one parameter ≤ 1: put x ≤ ½, then power series or gamma expansions.
    if (x > 0.5) return swap(smallParameters(b, a, y, x));
    return smallParameters(a, b, x, y);
  }
  // Both > 1: λ = (a + b)y − b = a − (a + b)x is the distance below the mean in counts; the lower tail is the
  // smaller when λ ≥ 0, so swap otherwise. It is formed from the smaller of x and y with the product's
  // rounding errors put back (at a + b = 10¹², fl((a + b)x) is off by up to 6e-5 counts, which near the tails
  // would be a relative error of ~1e-9 in I).
  const [m, mError] = twoSum(a, b);
  let lambda: number;
  if (x <= y) {
    const [high, low] = twoProduct(m, x);
    lambda = a - high - (low + mError * x);
  } else {
    const [high, low] = twoProduct(m, y);
    lambda = high - b + (low + mError * y);
  }
  if (lambda < 0) return swap(largeParameters(b, a, y, x, -lambda));
  return largeParameters(a, b, x, y, lambda);
}

function swap([lower, upper]: [number, number]): [number, number] {
  return [upper, lower];
}

function fromLower(w: number): [number, number] {
  return [w, 0.5 + (0.5 - w)];
}

function fromUpper(w1: number): [number, number] {
  return [0.5 + (0.5 - w1), w1];
}

/** min(a, b) ≤ 1 and x ≤ ½. */
function smallParameters(a: number, b: number, x: number, y: number): [number, number] {
  if (Math.max(a, b) <= 1) {
    if (a >= Math.min(0.2, b) || x ** a <= 0.9) return fromLower(powerSeries(a, b, x));
    if (x >= 0.3) return fromUpper(powerSeries(b, a, y));
    const raised = recurrenceSum(b, a, y, x, 20);
    return fromUpper(gammaExpansion(b + 20, a, y, x, raised));
  }
  if (b <= 1) return fromLower(powerSeries(a, b, x));
  if (x >= 0.3) return fromUpper(powerSeries(b, a, y));
  if (x < 0.1 && (x * b) ** a <= 0.7) return fromLower(powerSeries(a, b, x));
  if (b > 15) return fromUpper(gammaExpansion(b, a, y, x, 0));
  const raised = recurrenceSum(b, a, y, x, 20);
  return fromUpper(gammaExpansion(b + 20, a, y, x, raised));
}

/** a, b > 1 and λ = (a + b)y − b ≥ 0, so I_x(a, b) is the smaller tail. */
function largeParameters(a: number, b: number, x: number, y: number, lambda: number): [number, number] {
  if (b < 40) {
    if (b * x <= 0.7) return fromLower(powerSeries(a, b, x));
    // Move b down to its fractional part f ∈ (0, 1] with the finite recurrence (in the mirrored form
    // I_x(a, b) = I_x(a, f) + [I_y(f, a) − I_y(b, a)]), then series or gamma expansion for I_x(a, f).
    let n = Math.floor(b);
    let f = b - n;
    if (f === 0) {
      n -= 1;
      f = 1;
    }
    let w = recurrenceSum(f, a, y, x, n);
    if (x <= 0.7) return fromLower(w + powerSeries(a, f, x));
    let raisedA = a;
    if (raisedA <= 15) {
      w += recurrenceSum(raisedA, f, x, y, 20);
      raisedA += 20;
    }
    return fromLower(gammaExpansion(raisedA, f, x, y, w));
  }
  const nearMean = a > b ? b > 100 && lambda <= 0.03 * b : a > 100 && lambda <= 0.03 * a;
  return fromLower(nearMean ? asymptoticExpansion(a, b, lambda) : continuedFraction(a, b, x, y, lambda));
}

/**
 * BPSER: I_x(a, b) = x^a/(a·B(a, b))·(1 + a·Σ_{n≥1} (1 − b)(2 − b)…(n − b)/n!·xⁿ/(a + n)), for b ≤ 1 or
 * b·x ≤ 0.7 (terms fall at least like 0.7ⁿ; ≤ ~120 terms at 1e-15).
 */
function powerSeries(a: number, b: number, x: number): number {
  // x^a by pow (1 ulp) while it is a normal number: exp(a·ln x) would carry |a·ln x|·1e-16 (8e-14 at
  // x = 1e-310, a = ½, where the t tail at df = 1 and t = 1e155 lands).
  const logRest = -logBeta(a, b) - Math.log(a);
  const power = x ** a;
  const prefactor = power > 1e-300 ? power * Math.exp(logRest) : Math.exp(a * Math.log(x) + logRest);
  if (prefactor === 0 || a <= 0.1 * EPS) return prefactor;
  let sum = 0;
  let c = 1;
  const tolerance = EPS / a;
  for (let n = 1; n < 10_000; n++) {
    c *= (0.5 + (0.5 - b / n)) * x;
    const term = c / (a + n);
    sum += term;
    if (Math.abs(term) <= tolerance) break;
  }
  return prefactor * (1 + a * sum);
}

/**
 * BUP: I_x(a, b) − I_x(a + n, b) = Σ_{i<n} x^{a+i} y^b / ((a + i)·B(a + i, b)) (A&S 26.5.16), summed in
 * logarithms because the terms can grow by ~(a + b)x/a each (n ≤ 40, so all terms are taken).
 */
function recurrenceSum(a: number, b: number, x: number, y: number, n: number): number {
  if (n <= 0) return 0;
  const logFirst = logBetaKernel(a, b, x, y) - Math.log(a);
  const logTerms = new Float64Array(n);
  let logTerm = 0;
  let maximum = 0;
  for (let i = 1; i < n; i++) {
    logTerm += Math.log((x * (a + b + i - 1)) / (a + i));
    logTerms[i] = logTerm;
    if (logTerm > maximum) maximum = logTerm;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(logTerms[i] - maximum);
  return Math.exp(logFirst + maximum + Math.log(sum));
}

/**
 * BGRAT: w + I_x(a, b) for a ≥ 15, b ≤ 1, by the asymptotic expansion in incomplete gamma ratios of
 * DiDonato & Morris (1992): with ν = a + (b − 1)/2 and z = −ν ln x,
 * I_x(a, b) = u·Σ_{n≥0} d_n J_n, u = e^{−z} z^b/Γ(b) · Γ(a + b)/(Γ(a) ν^b), J₀ = Q(b, z)/(e^{−z} z^b/Γ(b)),
 * J_n and the coefficients d_n by DiDonato & Morris' recurrences (in 1/(4ν²) and ¼ln²x). At most 30 terms.
 * `w` is what is added to (used in the stopping rule).
 */
function gammaExpansion(a: number, b: number, x: number, y: number, w: number): number {
  const bm1 = b - 1;
  const nu = a + 0.5 * bm1;
  const logX = y > 0.375 ? Math.log(x) : Math.log1p(-y);
  const z = -nu * logX;
  if (b * z === 0) return w;
  // ln(e^{−z} z^b / Γ(b)), with 1/Γ(b) = b·(1 + gam1(b)) for b ≤ 1.
  const logR = b * Math.log(z) - z + Math.log(b) + Math.log1p(reciprocalGamma1pMinus1(b));
  // ln(Γ(a + b)/(Γ(a)·ν^b)) by Stirling's formula with its error terms, without large cancelling terms.
  const logRatio =
    stirlerr(a + b) -
    stirlerr(a) -
    b +
    (a - 0.5) * Math.log1p(b / a) -
    b * Math.log1p(-(b + 1) / (2 * (a + b)));
  const r = Math.exp(logR);
  const u = Math.exp(logR + logRatio);
  if (u === 0 || r === 0) return w;
  const q = upperGammaRatioSmall(b, z, r);
  const v = 0.25 / (nu * nu);
  const t2 = 0.25 * logX * logX;
  const scaledW = w / u;
  let j = q / r;
  let sum = j;
  let t = 1;
  let cn = 1;
  let n2 = 0;
  const c = BGRAT_C;
  const d = BGRAT_D;
  for (let n = 1; n <= 30; n++) {
    const bp2n = b + n2;
    j = (bp2n * (bp2n + 1) * j + (z + bp2n + 1) * t) * v;
    n2 += 2;
    t *= t2;
    cn /= n2 * (n2 + 1);
    c[n] = cn;
    let s = 0;
    let coefficient = b - n;
    for (let i = 1; i < n; i++) {
      s += coefficient * c[i] * d[n - i];
      coefficient += b;
    }
    d[n] = bm1 * cn + s / n;
    const dj = d[n] * j;
    sum += dj;
    if (sum <= 0) return w;
    if (Math.abs(dj) <= EPS * (sum + scaledW)) break;
  }
  return w + u * sum;
}

// Scratch coefficient arrays of the expansion (1-based; every entry read is written first in the same call).
const BGRAT_C = new Float64Array(31);
const BGRAT_D = new Float64Array(31);

/**
 * Q(b, z) = Γ(b, z)/Γ(b) for 0 < b ≤ 1 (DiDonato & Morris 1986, GRAT1), given r = e^{−z} z^b/Γ(b):
 * b = ½ by erfc(√z), b = 1 by e^{−z}, otherwise the Taylor series of P(b, z)/z^b for z < 1.1 and
 * Legendre's continued fraction beyond.
 */
function upperGammaRatioSmall(b: number, z: number, r: number): number {
  if (b === 0.5) return z < 0.25 ? 0.5 + (0.5 - erf(Math.sqrt(z))) : erfc(Math.sqrt(z));
  if (b === 1) return Math.exp(-z);
  if (z < 1.1) {
    // P(b, z) = z^b/Γ(b + 1)·(1 − J), J = bz/(b + 1) − bz²/(2(b + 2)) + bz³/(3!(b + 3)) − …
    let an = 3;
    let c = z;
    let sum = z / (b + 3);
    const tolerance = (0.1 * EPS) / (b + 1);
    for (let k = 0; k < 1000; k++) {
      an += 1;
      c = -c * (z / an);
      const term = c / (b + an);
      sum += term;
      if (Math.abs(term) <= tolerance) break;
    }
    const jj = b * z * ((sum / 6 - 0.5 / (b + 2)) * z + 1 / (b + 1));
    const logPower = b * Math.log(z);
    const h = reciprocalGamma1pMinus1(b);
    const g = 1 + h;
    if (z < 0.25 ? logPower > -0.13394 : b < z / 2.59) {
      // Q = 1 − g(1 + l)(1 − J) with l = z^b − 1 kept small.
      const l = Math.expm1(logPower);
      return Math.max(0, ((1 + l) * jj - l) * g - h);
    }
    return 0.5 + (0.5 - Math.exp(logPower) * g * (0.5 + (0.5 - jj)));
  }
  // Legendre's continued fraction Γ(b, z) = e^{−z}z^b/(z + (1 − b)/(1 + 1/(z + (2 − b)/(1 + 2/(z + …))))).
  let aOdd = 1;
  let aEven = 1;
  let bOdd = z;
  let bEven = z + (1 - b);
  let c = 1;
  let previous: number;
  let current = aEven / bEven;
  for (let k = 0; k < 10_000; k++) {
    aOdd = z * aEven + c * aOdd;
    bOdd = z * bEven + c * bOdd;
    previous = aOdd / bOdd;
    c += 1;
    const cMinusB = c - b;
    aEven = aOdd + cMinusB * aEven;
    bEven = bOdd + cMinusB * bEven;
    current = aEven / bEven;
    if (Math.abs(current - previous) < EPS * current) break;
  }
  return r * current;
}

/**
 * BFRAC: I_x(a, b) = x^a y^b/B(a, b) · K, K DiDonato & Morris' continued fraction written in
 * λ = (a + b)y − b, for a, b > 1 with λ ≥ 0. Converges in ~20 terms beyond 5 standard deviations and
 * in ~√min(a, b) near the mean, where it is only used with min(a, b) ≤ 100.
 */
function continuedFraction(a: number, b: number, x: number, y: number, lambda: number): number {
  const prefactor = Math.exp(logBetaKernel(a, b, x, y));
  if (prefactor === 0) return 0;
  const c = 1 + lambda;
  const c0 = b / a;
  const c1 = 1 + 1 / a;
  const yp1 = y + 1;
  let p = 1;
  let s = a + 1;
  let an = 0;
  let bn = 1;
  let anp1 = 1;
  let bnp1 = c / c1;
  let ratio = c1 / c;
  for (let n = 1; n < 100_000; n++) {
    let t = n / a;
    const w = n * (b - n) * x;
    let e = a / s;
    const alpha = p * (p + c0) * e * e * (w * x);
    e = (1 + t) / (c1 + t + t);
    const beta = n + w / s + e * (c + n * yp1);
    p = 1 + t;
    s += 2;
    t = alpha * an + beta * anp1;
    an = anp1;
    anp1 = t;
    t = alpha * bn + beta * bnp1;
    bn = bnp1;
    bnp1 = t;
    const previous = ratio;
    ratio = anp1 / bnp1;
    if (Math.abs(ratio - previous) <= EPS * ratio) break;
    // Rescale so the convergents neither overflow nor underflow.
    an /= bnp1;
    bn /= bnp1;
    anp1 = ratio;
    bnp1 = 1;
  }
  return prefactor * ratio;
}

const TWO_OVER_SQRT_PI = 1.1283791670955126; // e0 = 2/√π
const BASYM_TERMS = 20;
// Scratch coefficient arrays of the expansion (1-based; every entry read is written first in the same call).
const BASYM_A = new Float64Array(BASYM_TERMS + 2);
const BASYM_B = new Float64Array(BASYM_TERMS + 2);
const BASYM_C = new Float64Array(BASYM_TERMS + 2);
const BASYM_D = new Float64Array(BASYM_TERMS + 2);
const INV_TWO_SQRT_TWO = 0.3535533905932738; // e1 = 2^{−3/2}

/**
 * BASYM: Temme's uniform asymptotic expansion of I_x(a, b) for a, b ≥ 15 (used from 100) and
 * 0 ≤ λ = (a + b)y − b ≤ 0.03·min(a, b) (Temme NM (1982) "The uniform asymptotic expansion of a class of
 * integrals related to cumulative distribution functions", SIAM J Math Anal 13:239–253; DiDonato & Morris
 * 1992): I = (2/√π)·e^{−f}·e^{−(δ(a) + δ(b) − δ(a + b))}·Σ, f = a·rlog1(−λ/a) + b·rlog1(λ/b), δ = stirlerr,
 * the series in powers of 1/√min(a, b) with erfc-type integrals J_n. At most 20 terms (fewer for large
 * parameters: each falls by ~1/√min(a, b)).
 */
function asymptoticExpansion(a: number, b: number, lambda: number): number {
  const f = a * rlog1(-lambda / a) + b * rlog1(lambda / b);
  const t = Math.exp(-f);
  if (t === 0) return 0;
  const z0 = Math.sqrt(f);
  const z = (0.5 * z0) / INV_TWO_SQRT_TWO;
  const z2 = f + f;
  let h: number;
  let r0: number;
  let r1: number;
  let w0: number;
  if (a < b) {
    h = a / b;
    r0 = 1 / (1 + h);
    r1 = (b - a) / b;
    w0 = 1 / Math.sqrt(a * (1 + h));
  } else {
    h = b / a;
    r0 = 1 / (1 + h);
    r1 = (b - a) / a;
    w0 = 1 / Math.sqrt(b * (1 + h));
  }
  const aa = BASYM_A;
  const bb = BASYM_B;
  const c = BASYM_C;
  const d = BASYM_D;
  aa[1] = (2 / 3) * r1;
  c[1] = -0.5 * aa[1];
  d[1] = -c[1];
  let j0 = (0.5 / TWO_OVER_SQRT_PI) * erfcScaled(z0);
  let j1 = INV_TWO_SQRT_TWO;
  let sum = j0 + d[1] * w0 * j1;
  let s = 1;
  const h2 = h * h;
  let hn = 1;
  let w = w0;
  let znm1 = z;
  let zn = z2;
  for (let n = 2; n <= BASYM_TERMS; n += 2) {
    hn *= h2;
    aa[n] = (2 * r0 * (1 + h * hn)) / (n + 2);
    s += hn;
    aa[n + 1] = (2 * r1 * s) / (n + 3);
    for (let i = n; i <= n + 1; i++) {
      const r = -0.5 * (i + 1);
      bb[1] = r * aa[1];
      for (let m = 2; m <= i; m++) {
        let bsum = 0;
        for (let jj = 1; jj < m; jj++) bsum += (jj * r - (m - jj)) * aa[jj] * bb[m - jj];
        bb[m] = r * aa[m] + bsum / m;
      }
      c[i] = bb[i] / (i + 1);
      let dsum = 0;
      for (let jj = 1; jj < i; jj++) dsum += d[i - jj] * c[jj];
      d[i] = -(dsum + c[i]);
    }
    j0 = INV_TWO_SQRT_TWO * znm1 + (n - 1) * j0;
    j1 = INV_TWO_SQRT_TWO * zn + n * j1;
    znm1 *= z2;
    zn *= z2;
    w *= w0;
    const t0 = d[n] * w * j0;
    w *= w0;
    const t1 = d[n + 1] * w * j1;
    sum += t0 + t1;
    if (Math.abs(t0) + Math.abs(t1) <= EPS * sum) break;
  }
  const u = Math.exp(-(stirlerr(a) + stirlerr(b) - stirlerr(a + b)));
  return TWO_OVER_SQRT_PI * t * u * sum;
}

/**
 * rlog1(x) = x − ln(1 + x) for x > −1, without cancellation near 0: with r = x/(2 + x),
 * ln(1 + x) = 2·atanh(r), so x − ln(1 + x) = r·x − 2(r³/3 + r⁵/5 + …) (|r| ≤ ⅓ for |x| ≤ ½).
 */
export function rlog1(x: number): number {
  if (x < -0.5 || x > 0.5) return x - Math.log1p(x);
  const r = x / (2 + x);
  const r2 = r * r;
  let power = r * r2;
  let sum = 0;
  for (let k = 3; k < 100; k += 2) {
    const next = sum + power / k;
    if (next === sum) break;
    sum = next;
    power *= r2;
  }
  return r * x - 2 * sum;
}
