import { betaQuantile, type Tail } from "./beta-quantile.ts";
import { incompleteBeta } from "./incomplete-beta.ts";
import { logBeta } from "./log-gamma.ts";

/**
 * Student t distribution with ν > 0 degrees of freedom, through the incomplete beta function
 * (Abramowitz & Stegun 26.7.1): for t ≥ 0, with w = ν/(ν + t²) and v = t²/(ν + t²) = 1 − w,
 *   P(|T| > t) = I_w(ν/2, ½)   and   P(|T| ≤ t) = I_v(½, ν/2),
 * both computed directly (incompleteBeta keeps whichever is small to full relative precision), so neither
 * a tail of 1e-300 nor a central probability of 1e-10 is formed as 1 minus something.
 *
 * Why not jStat: jStat.studentt.cdf is I evaluated at (t + √(t² + ν))/(2√(t² + ν)), which cancels in the
 * lower tail and rounds to 1 in the upper (P(T > 40; 3) comes out 0), and its inverse is good to ~1e-8.
 */

/**
 * Two-sided tail P(|T| > t) for t ≥ 0 (twice the upper tail). O(1).
 * @example
 * studentTTwoSidedTail(2.228138851986274, 10) // => 0.049999999999999996 (R: 2 * pt(2.228138851986274, 10, lower = FALSE))
 */
export function studentTTwoSidedTail(t: number, df: number): number {
  return twoSidedTails(Math.abs(t), df).lower;
}

/**
 * Upper tail P(T > t) for any real t, accurate in both tails. O(1).
 * @example
 * studentTUpperTail(40, 3) // => 1.719034039457926e-5
 */
export function studentTUpperTail(t: number, df: number): number {
  const tails = twoSidedTails(Math.abs(t), df);
  return t >= 0 ? 0.5 * tails.lower : 0.5 + 0.5 * tails.upper;
}

/**
 * [P(|T| > t), P(|T| ≤ t)] for t ≥ 0 as I_w(ν/2, ½) with w = ν/(ν + t²) and v = t²/(ν + t²), each formed
 * without cancellation. Past t = 1e150, w would be subnormal (or t² overflow), so the tail is the leading
 * term of the power series, (√ν/t)^ν/((ν/2)·B(ν/2, ½)), whose next term is w times smaller.
 */
function twoSidedTails(t: number, df: number): { lower: number; upper: number } {
  if (t > 1e150) {
    const a = df / 2;
    const tail = (Math.sqrt(df) / t) ** df * Math.exp(-Math.log(a) - logBeta(a, 0.5));
    return { lower: tail, upper: 0.5 + (0.5 - tail) };
  }
  const t2 = t * t;
  return incompleteBeta(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

/**
 * Two-sided critical value: the t ≥ 0 with P(|T| ≤ t) = confidence, i.e. the upper (1 − c)/2 quantile.
 *
 * Solved on v = t²/(ν + t²) ~ Beta(½, ν/2): from its lower tail (= confidence) when confidence < ½ and from
 * its upper tail (= α = 1 − c, exact for c ≥ ½) otherwise, by betaQuantile; then t = √ν·√v/√w with
 * w = 1 − v taken from the same solution (the smaller of v and w is the one solved for). When even w would
 * underflow (α so small that w < 1e-260, e.g. α = 1e-300 at ν = 1), t comes from the leading term of the
 * power series I_w(ν/2, ½) = w^{ν/2}/((ν/2)·B(ν/2, ½))·(1 + O(w)), exact to double precision there.
 *
 * Accuracy: ~1e-14 relative for any ν > 0 and c in (0, 1) (checked against mpmath at 50 digits and the
 * closed forms for ν = 1 and 2 in test/stats/critical-extremes.test.ts). O(1).
 *
 * @example
 * studentTTwoSidedQuantile(0.95, 10) // => 2.2281388519862735 (R qt(0.975, 10) = 2.228138851986274)
 */
export function studentTTwoSidedQuantile(confidence: number, df: number): number {
  if (!(confidence >= 0 && confidence <= 1 && df > 0)) return Number.NaN;
  if (confidence === 0) return 0;
  if (confidence === 1) return Number.POSITIVE_INFINITY;
  return criticalValue(
    confidence < 0.5 ? confidence : 1 - confidence,
    confidence < 0.5 ? "lower" : "upper",
    df,
  );
}

/**
 * Upper quantile: the t with P(T > t) = q, for q in (0, ½] (t ≥ 0), taken as the two-sided value at
 * α = 2q without forming 1 − 2q, so q = 1e-300 works. O(1).
 * @example
 * studentTUpperQuantile(0.025, 10) // => 2.2281388519862744
 */
export function studentTUpperQuantile(q: number, df: number): number {
  if (!(q > 0 && q <= 0.5 && df > 0)) return Number.NaN;
  if (q === 0.5) return 0;
  return criticalValue(2 * q, q > 0.25 ? "lower-from-alpha" : "upper", df);
}

function criticalValue(probability: number, tail: Tail | "lower-from-alpha", df: number): number {
  const a = df / 2;
  if (tail === "upper") {
    const logW = (Math.log(probability) + Math.log(a) + logBeta(a, 0.5)) / a;
    if (logW < -600) {
      // w^a = α·a·B(a, ½), t = √(df/w); by pow while α·a·B is a normal number (exp of a ~700 argument
      // would cost ~1e-13).
      const base = probability * a * Math.exp(logBeta(a, 0.5));
      return Math.sqrt(df) * (base > 1e-300 ? base ** (-0.5 / a) : Math.exp(-0.5 * logW));
    }
  }
  // "lower-from-alpha": P(|T| ≤ t) = 1 − α with α = 2q ≥ ½, where 1 − α is exact.
  const [p, side]: [number, Tail] =
    tail === "lower-from-alpha" ? [1 - probability, "lower"] : [probability, tail];
  const { x: v, y: w } = betaQuantile(p, 0.5, a, side);
  return Math.sqrt(df) * (Math.sqrt(v) / Math.sqrt(w));
}
