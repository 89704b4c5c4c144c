import { incompleteBeta } from "./incomplete-beta.ts";
import { logBeta, logBetaKernel } from "./log-gamma.ts";
import { normalQuantile } from "./normal-quantile.ts";

/** A point of (0, 1) with its complement: the smaller of the two is the one solved for (full relative precision), the other is 1 minus it. */
export interface UnitPoint {
  x: number;
  /** 1 − x */
  y: number;
}

export type Tail = "lower" | "upper";

/**
 * Quantile of X ~ Beta(a, b) from a tail probability: the x with P(X ≤ x) = p (tail "lower") or
 * P(X > x) = p (tail "upper"), returned with y = 1 − x.
 *
 * Method: the search runs in whichever of x and y = 1 − x is below ½ (for y on Beta(b, a) with the other
 * tail), so a quantile near 1 keeps its distance to 1 to full relative precision; the side is decided by
 * the median when it can be (see answerBelowHalf), else by the tail at ½. There, Halley steps on
 * ln G(v) − ln p (G the tail function from incompleteBeta, G′ = ± the density from logBetaKernel) inside a
 * bracket that every evaluation narrows; steps leaving the bracket are replaced by bisection (geometric while
 * the bracket spans more than a factor of 4, which reaches 1e-300 in ~60 steps). The start is AS 109's
 * approximation (see startingPoint). Working with ln G makes tail probabilities down to the smallest doubles
 * as easy to reach as central ones.
 *
 * Accuracy: the x at which the computed tail equals p, to ~1e-15 relative; the tail itself carries ~1e-14
 * (see incompleteBeta) plus its conditioning in x. Why not jStat.beta.inv: its incomplete beta stops after 100
 * continued-fraction terms and uses a 2e-10 log-gamma, so at a, b ~ 10¹² (and long before) it returns values
 * on the wrong side of the mean.
 *
 * Complexity O(1): typically 2–4 incomplete-beta evaluations, at most 81.
 *
 * @param p tail probability in (0, 1)
 * @param a, b shape parameters > 0
 * @example
 * betaQuantile(0.025, 4, 17, "lower").x // => 0.05733399705003279 (mpmath 0.05733399705003276)
 */
export function betaQuantile(p: number, a: number, b: number, tail: Tail): UnitPoint {
  if (!(p > 0 && p < 1 && a > 0 && b > 0)) return { x: Number.NaN, y: Number.NaN };
  if (!answerBelowHalf(p, a, b, tail)) {
    // X > ½: solve for Y = 1 − X ~ Beta(b, a), whose tails are X's swapped.
    const y = solveBelowHalf(p, b, a, tail === "lower" ? "upper" : "lower");
    return { x: 1 - y, y };
  }
  const x = solveBelowHalf(p, a, b, tail);
  return { x, y: 1 - x };
}

/**
 * Whether the quantile is ≤ ½, without evaluating the tail at ½ when a bound decides it:
 * - the median: I_½(a, b) ≥ ½ for a ≤ b (I_½(a, a) = ½, and I_x falls with a and rises with b), so a
 *   lower-tail quantile at p ≤ ½ is then ≤ ½, and symmetrically an upper-tail one is ≥ ½ when a ≥ b;
 * - Cantelli's inequality P(X − μ ≥ d) ≤ σ²/(σ² + d²): when it puts all but p of the mass on the mean's
 *   side of ½, either tail's p-quantile is on that side too.
 */
function answerBelowHalf(p: number, a: number, b: number, tail: Tail): boolean {
  if (p <= 0.5 && tail === "lower" && a <= b) return true;
  if (p <= 0.5 && tail === "upper" && a >= b) return false;
  const m = a + b;
  const mean = a / m;
  const variance = (a * b) / (m * m * (m + 1));
  const distance = Math.abs(mean - 0.5);
  // All but p of the mass is on the mean's side of ½, so both tails' p-quantiles are there too (p ≤ ½).
  if (p <= 0.5 && variance / (variance + distance * distance) <= p) return mean < 0.5;
  const atHalf = incompleteBeta(a, b, 0.5, 0.5);
  return tail === "lower" ? atHalf.lower >= p : atHalf.upper <= p;
}

/**
 * The v ∈ (0, ½] with tail_{Beta(a, b)}(v) = p, given that one exists there: Halley steps on
 * g(v) = ln G(v) − ln p (g′ = ±f/G, g″ = g′·(ln f)′ − g′², f the density), kept inside a bracket that each
 * evaluation narrows. The last step is taken without evaluating again once Newton's error bound
 * |g″/(2g′)|·Δ² for it is below 1e-16·v (Halley's is smaller still).
 */
function solveBelowHalf(p: number, a: number, b: number, tail: Tail): number {
  const sign = tail === "lower" ? 1 : -1;
  const logP = Math.log(p);
  let lo = 0;
  let hi = 0.5;
  let v = startingPoint(p, a, b, tail);
  for (let iteration = 0; iteration < 80; iteration++) {
    const tails = incompleteBeta(a, b, v, 1 - v);
    const g = sign > 0 ? tails.lower : tails.upper;
    if (g === p) return v;
    // G increasing (lower tail): G(v) < p puts the answer above v.
    if (g < p === sign > 0) lo = v;
    else hi = v;
    let next = Number.NaN;
    if (g > 0) {
      // In logarithms, so that a subnormal G does not overflow f/G.
      const logDensity = logBetaKernel(a, b, v, 1 - v) - Math.log(v) - Math.log1p(-v);
      const slope = sign * Math.exp(logDensity - Math.log(g));
      const curvature = slope * ((a - 1) / v - (b - 1) / (1 - v)) - slope * slope;
      const residual = Math.log(g) - logP;
      const newton = -residual / slope;
      const correction = 1 - (residual * curvature) / (2 * slope * slope);
      const step = correction > 0.5 && correction < 2 ? newton / correction : newton;
      next = v + step;
      if (next > lo && next < hi) {
        if (Math.abs((curvature / (2 * slope)) * step * step) <= 1e-16 * next) return next;
      } else if (Math.abs(step) <= 1e-15 * v) {
        // A step below the resolution of v that rounds onto the bracket's edge: v is the answer.
        return v;
      }
    }
    if (!(next > lo && next < hi)) next = bisect(lo, hi);
    if (hi - lo <= 1e-15 * hi || Math.abs(next - v) <= 1e-16 * v) return next;
    v = next;
  }
  return v;
}

/** Midpoint of the bracket: geometric while it spans more than a factor of 4 (tails down to 1e-308). */
function bisect(lo: number, hi: number): number {
  if (lo === 0) return hi * 1e-8;
  if (hi / lo > 4) return Math.sqrt(lo) * Math.sqrt(hi);
  return 0.5 * (lo + hi);
}

/**
 * Start of the search in (0, ½): the initial approximation of Algorithm AS 109 (Majumder KL & Bhattacharjee
 * GP (1973) Applied Statistics 22:409–411, with Cran GW, Martin KJ & Thomas GE (1977) Remark AS R19,
 * Applied Statistics 26:111–114), with the exact normal quantile in place of its rational approximation,
 * evaluated for the problem whose answer is the small coordinate (its complement is returned directly, not
 * as 1 − x). Two to three digits, so that Halley's method needs two or three evaluations.
 */
function startingPoint(p: number, a: number, b: number, tail: Tail): number {
  const [x, complement] = tail === "lower" ? as109Start(p, a, b) : as109Start(p, b, a).reverse();
  if (x > 0 && x < 0.5 && Number.isFinite(complement)) return x;
  // Near 0 the lower tail is G(v) ≈ v^a/(a·B(a, b)) (the upper tail is 1 − that).
  const logTail = tail === "lower" ? Math.log(p) : Math.log1p(-p);
  const power = Math.exp((logTail + Math.log(a) + logBeta(a, b)) / a);
  return power > 0 && power < 0.5 ? power : 0.25;
}

/** AS 109's approximation to the x with I_x(a, b) = p, as [x, 1 − x]. */
function as109Start(p: number, a: number, b: number): [number, number] {
  const y = -normalQuantile(p);
  if (a > 1 && b > 1) {
    const r = (y * y - 3) / 6;
    const s = 1 / (2 * a - 1);
    const t = 1 / (2 * b - 1);
    const h = 2 / (s + t);
    const w = (y * Math.sqrt(h + r)) / h - (t - s) * (r + 5 / 6 - 2 / (3 * h));
    const scaled = b * Math.exp(2 * w);
    return [a / (a + scaled), scaled / (a + scaled)];
  }
  const r = 2 * b;
  let t = 1 / (9 * b);
  t = r * (1 - t + y * Math.sqrt(t)) ** 3;
  if (t <= 0) {
    const complement = Math.exp((Math.log1p(-p) + Math.log(b) + logBeta(a, b)) / b);
    return [1 - complement, complement];
  }
  t = (4 * a + r - 2) / t;
  if (t <= 1) {
    const x = Math.exp((Math.log(p * a) + logBeta(a, b)) / a);
    return [x, 1 - x];
  }
  return [1 - 2 / (t + 1), 2 / (t + 1)];
}
