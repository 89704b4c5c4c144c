/**
 * The numerical pieces of a chart design (stats/spc/chart-design.ts): the ladder of Markov chains of increasing
 * size run until two successive answers agree (Richardson extrapolation where the chain's error is O(1/m²)), and
 * the root finder that solves L or h for a target ARL₀ (Illinois regula falsi on ln(ARL₀/target), increasing in the
 * parameter). Pure; no input checks (chart-design.ts checks).
 */

/** Target solving: |ARL₀ − target|/target below this (or the bracket narrower than 1e-9 relative). */
export const TARGET_TOLERANCE = 1e-4;

/** The chains to run and whether their answers are Richardson-extrapolated (errors O(1/m²)). */
export interface Plan {
  ladder: number[];
  extrapolate: boolean;
  tolerance: number;
}

/** ln(arl/target); an ARL the chain cannot resolve (far above 10⁹: noise, even negative) counts as +∞. */
export function logRatio(arl: number, target: number): number {
  return arl >= 1 && arl <= 1e12 ? Math.log(arl / target) : Number.POSITIVE_INFINITY;
}

/** Root of an increasing g on [a, b] with g(a) ≤ 0 ≤ g(b): Illinois regula falsi, |g| < ln(1 + 1e-4). */
export function illinois(
  g: (x: number) => number,
  a: number,
  b: number,
  ga: number,
  gb: number,
): { x: number; hit: boolean; b: number } {
  const tolerance = Math.log1p(TARGET_TOLERANCE);
  if (Math.abs(ga) < tolerance) return { x: a, hit: true, b };
  if (Math.abs(gb) < tolerance) return { x: b, hit: true, b };
  let side = 0;
  for (let i = 0; i < 100; i++) {
    const x = gb === ga ? (a + b) / 2 : b - (gb * (b - a)) / (gb - ga);
    const c = x > a && x < b ? x : (a + b) / 2;
    const gc = g(c);
    if (Math.abs(gc) < tolerance) return { x: c, hit: true, b };
    if (b - a < 1e-9 * b) return { x: gc > 0 ? c : b, hit: false, b: gc > 0 ? c : b };
    if (gc < 0) {
      a = c;
      ga = gc;
      if (side === -1) gb /= 2;
      side = -1;
    } else {
      b = c;
      gb = gc;
      if (side === 1) ga /= 2;
      side = 1;
    }
  }
  return { x: b, hit: false, b };
}

/**
 * ARLs below this are compared in absolute terms against it: an ARL₁ of 1.478 against 1.476 (a lattice effect
 * at a large binomial shift) is no difference a design could use, and would otherwise keep refining.
 */
const ARL_CHANGE_FLOOR = 10;

/** |a − b|/max(b, 10): the relative change of an ARL, absolute below 10 points. */
function arlChange(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), ARL_CHANGE_FLOOR);
}

/**
 * Runs `evaluate` on chains of increasing size until two successive answers agree to the plan's tolerance.
 * Normal data: each answer is the Richardson extrapolation of two successive chains.
 */
export function converge(
  evaluate: (m: number) => number[],
  { ladder, extrapolate, tolerance }: Plan,
): {
  values: number[];
  states: number;
  change: number;
  converged: boolean;
  extrapolation: "richardson" | "chain";
} {
  let previousChain = evaluate(ladder[0]);
  let previousAnswer: number[] | undefined = extrapolate ? undefined : previousChain;
  let change = Number.POSITIVE_INFINITY;
  let states = ladder[0];
  for (let r = 1; r < ladder.length; r++) {
    const m = ladder[r];
    const chain = evaluate(m);
    const answer = extrapolate
      ? chain.map((value, i) => {
          const m1 = ladder[r - 1] ** 2;
          const m2 = m ** 2;
          return (m2 * value - m1 * previousChain[i]) / (m2 - m1);
        })
      : chain;
    states = m;
    if (previousAnswer) {
      change = Math.max(...answer.map((value, i) => arlChange(value, (previousAnswer as number[])[i])));
      if (change < tolerance) {
        return {
          values: answer,
          states,
          change,
          converged: true,
          extrapolation: extrapolate ? "richardson" : "chain",
        };
      }
    }
    previousChain = chain;
    previousAnswer = answer;
  }
  return {
    values: previousAnswer as number[],
    states,
    change,
    converged: false,
    extrapolation: extrapolate ? "richardson" : "chain",
  };
}
