import { StatsInputError, StatsTooExpensiveError } from "../errors.ts";
import { cusumArl } from "./arl-cusum.ts";
import { type EwmaLimits, ewmaArl, timeVaryingSteps } from "./arl-ewma.ts";
import { binomialStep, normalStep, relativeChange, type StepLaw } from "./arl-markov.ts";
import { converge, illinois, logRatio, type Plan, TARGET_TOLERANCE } from "./arl-solve.ts";

/** Input limits (docs/limits.md); the route's zod schema repeats them. */
export const CHART_DESIGN_LIMITS = {
  lambdaMin: 0.01,
  LMax: 6,
  kMax: 5,
  hMax: 40,
  shiftMax: 10,
  nMax: 1_000_000,
  targetArl0Min: 2,
  targetArl0Max: 1_000_000,
  /** ARLs above this are beyond what the chain resolves in floating point: refused, naming L or h. */
  arlMax: 1e9,
} as const;

/** Time-varying EWMA limits: at most this many inhomogeneous steps (O(steps·m²) each design), λ ≥ 0.03. */
const MAX_TIME_VARYING_STEPS = 250;
const TIME_VARYING_MIN_LAMBDA = 0.03;

/** Convergence: successive answers agree to this relative change. */
export const CONVERGENCE_TOLERANCE = 1e-4;
/** The range of the `tolerance` input (a coarser tolerance stops at a smaller chain: the dashboard's 1e-3). */
export const TOLERANCE_RANGE = [1e-5, 1e-2] as const;

const EWMA_LADDER = [51, 101, 151, 201, 301, 401];
const CUSUM_LADDER = [50, 100, 150, 200, 300, 400];
/**
 * The binomial CUSUM chain stops at 200 states: its error is irregular in m (a lattice step on a lattice-like
 * statistic), so neither extrapolation nor finer chains at O(m³) buy much.
 */
const BINOMIAL_CUSUM_LADDER = [50, 100, 150, 200];

export interface ChartDesignInput {
  type: "ewma" | "cusum";
  lambda?: number;
  L?: number;
  limits?: EwmaLimits;
  k?: number;
  h?: number;
  targetArl0?: number;
  shift?: number;
  p0?: number;
  n?: number;
  p1?: number;
  /** Relative change between refinements at which the chain counts as converged, default 1e-4. */
  tolerance?: number;
}

export interface ChartDesignResult {
  type: "ewma" | "cusum";
  data: "normal" | "binomial";
  lambda?: number;
  L?: number;
  limits?: EwmaLimits;
  k?: number;
  h?: number;
  /** The out-of-control shift in σ of one observation (binomial: (p₁ − p₀)/√(p₀(1 − p₀)/n)). */
  shift: number;
  p0?: number;
  n?: number;
  p1?: number;
  arl0: number;
  arl1: number;
  /** Transient states of the finest chain used. */
  states: number;
  /** Largest change of ARL₀ or ARL₁ between the last two refinements: relative, to 10 points below 10. */
  change: number;
  converged: boolean;
  /** The relative change `converged` was judged by. */
  tolerance: number;
  /** "richardson": (m₂²A(m₂) − m₁²A(m₁))/(m₂² − m₁²) over the last two chains; "chain": the finest chain. */
  extrapolation: "richardson" | "chain";
  kDefaulted?: boolean;
  solved?: { parameter: "L" | "h"; targetArl0: number; tolerance: number; evaluations: number };
  method: "markov-chain";
  notes: string[];
}

/**
 * Chart design by average run length: ARL₀ (in control) and ARL₁ (after a shift) of a two-sided EWMA (λ, L) or
 * tabular CUSUM (k, h) chart by the Markov-chain approximation (Brook & Evans 1972; Lucas & Saccucci 1990 for the
 * EWMA), or the L or h that gives a target ARL₀.
 *
 * Data: "normal" (standardised observations y ~ N(0, 1) in control, N(shift, 1) after) or "binomial": the charts
 * the product draws on base p with a known centre p₀ and subgroups of n (stats/spc/chart.ts), which chart
 * y = (X/n − p₀)/√(p₀(1 − p₀)/n), X ~ Binomial(n, p₀) in control and Binomial(n, p₁) after, with exact binomial
 * probabilities; k, h and L are in those σ units as in POST /v1/chart.
 *
 * States: chains of increasing size (EWMA 51, 101, 151, 201, 301, 401 cells; CUSUM 50 … 400) until two
 * successive answers agree to `tolerance` (relative, default 1e-4; the dashboard asks 1e-3). Normal data and binomial EWMA: the chain's error is O(1/m²) (cell
 * midpoints; cell averaging for binomial steps, stats/spc/arl-ewma.ts), so each answer is the Richardson
 * extrapolation (m₂²A(m₂) − m₁²A(m₁))/(m₂² − m₁²) of the last two chains. Binomial CUSUM: the finest chain itself,
 * up to 200 states (the statistic sits on a lattice-like set and the error is irregular in m), and `converged` is
 * often false, with the change stated: at p₀ = 0.02, n = 500, k = 0.5, h = 5 the chain gives ARL₀ ≈ 445 for a
 * simulated 448.8 ± 0.8 (300,000 runs), 1 % low.
 *
 * Target solving: ln ARL₀ is increasing in L (h); bracketed by doubling/halving on the smallest chain and solved
 * there (Illinois regula falsi); then the chain sizes the full computation converges with at that answer are kept
 * and secant steps (from the small chain's slope) bracket the target, Illinois finishing until
 * |ARL₀/target − 1| < 1e-4; the answer's ARLs are then computed over the whole ladder again. A binomial ARL₀ can
 * jump past the target: then the smallest parameter found with ARL₀ above it is given, with a note.
 *
 * Complexity: O(Σ m³/3) per ARL over the ladder (m ≤ 401), a few times that when solving for a target.
 *
 * @throws StatsInputError naming the field: a missing or out-of-range parameter, both L (h) and targetArl0, shift
 *   given with p0/n/p1, a target outside what L ≤ 6 (h ≤ 40) reaches, an ARL above 10⁹.
 * @throws StatsTooExpensiveError (field lambda, limit 0.03, alternative limits: asymptotic) for time-varying
 *   limits at λ < 0.03, whose inhomogeneous start would take more than 250 steps of O(m²).
 * @example
 * chartDesign({ type: "ewma", lambda: 0.1, L: 2.814, shift: 1 }) // => { arl0: ≈ 499.6, arl1: ≈ 10.33, … }
 * chartDesign({ type: "cusum", k: 0.5, targetArl0: 465, shift: 1 }) // => { h: ≈ 5.0, arl1: ≈ 10.4, … }
 */
export function chartDesign(input: ChartDesignInput): ChartDesignResult {
  const notes: string[] = [];
  const { type } = input;
  if (type !== "ewma" && type !== "cusum") throw new StatsInputError("type must be ewma or cusum", "type");
  const data = parseData(input);
  const solving = input.targetArl0 !== undefined;
  const tolerance =
    input.tolerance === undefined
      ? CONVERGENCE_TOLERANCE
      : checkRange(input.tolerance, "tolerance", TOLERANCE_RANGE[0], TOLERANCE_RANGE[1]);
  if (solving)
    checkRange(
      input.targetArl0,
      "targetArl0",
      CHART_DESIGN_LIMITS.targetArl0Min,
      CHART_DESIGN_LIMITS.targetArl0Max,
    );

  if (type === "ewma") {
    for (const field of ["k", "h"] as const) {
      if (input[field] !== undefined) throw new StatsInputError(`${field} applies to type cusum`, field);
    }
    const lambda = checkRange(input.lambda, "lambda", CHART_DESIGN_LIMITS.lambdaMin, 1);
    const limits = input.limits ?? "asymptotic";
    if (limits !== "asymptotic" && limits !== "time-varying") {
      throw new StatsInputError("limits must be asymptotic or time-varying", "limits");
    }
    if (limits === "time-varying" && timeVaryingSteps(lambda) > MAX_TIME_VARYING_STEPS) {
      throw new StatsTooExpensiveError(
        `time-varying limits at λ = ${lambda} take ${timeVaryingSteps(lambda)} steps to settle, over the ${MAX_TIME_VARYING_STEPS} the design computes: use λ ≥ ${TIME_VARYING_MIN_LAMBDA} or the asymptotic limits`,
        "lambda",
        TIME_VARYING_MIN_LAMBDA,
        [{ limits: "asymptotic" }],
      );
    }
    const L = parameterOrTarget(input.L, "L", solving, CHART_DESIGN_LIMITS.LMax);
    const arlAt = (value: number, law: StepLaw, m: number) => ewmaArl({ lambda, L: value, limits }, law, m);
    const plan = { ladder: EWMA_LADDER, extrapolate: true, tolerance };
    const design = designWith(arlAt, plan, data, L, "L", CHART_DESIGN_LIMITS.LMax, input.targetArl0, 3);
    notes.push(
      limits === "asymptotic"
        ? "EWMA limits at the asymptotic σ_z = √(λ/(2 − λ)) as in Lucas & Saccucci (1990); the product's charts draw the exact time-varying limits (limits: time-varying), whose ARL₀ is a little shorter"
        : "EWMA with the exact time-varying limits L·σ_z·√(1 − (1 − λ)^{2t}) that the product's charts draw",
    );
    return finish({ type, lambda, L: design.parameter, limits }, design, data, notes);
  }

  if (input.lambda !== undefined) throw new StatsInputError("lambda applies to type ewma", "lambda");
  if (input.L !== undefined) throw new StatsInputError("L applies to type ewma", "L");
  if (input.limits !== undefined) throw new StatsInputError("limits applies to type ewma", "limits");
  let k: number;
  let kDefaulted = false;
  if (input.k === undefined) {
    k = Math.abs(data.shift) / 2;
    kDefaulted = true;
    if (k === 0) throw new StatsInputError("give k when the shift is 0 (k defaults to half the shift)", "k");
    if (k > CHART_DESIGN_LIMITS.kMax) {
      throw new StatsInputError(
        `half the shift (${k}) is above k's limit ${CHART_DESIGN_LIMITS.kMax}: give k`,
        "k",
      );
    }
    notes.push(`k was not given: the default, half the shift (${round(k)} σ), was used`);
  } else {
    k = checkRange(input.k, "k", 0, CHART_DESIGN_LIMITS.kMax);
  }
  const h = parameterOrTarget(input.h, "h", solving, CHART_DESIGN_LIMITS.hMax);
  const arlAt = (value: number, law: StepLaw, m: number) => cusumArl(k, value, law, m).arl;
  const plan =
    data.kind === "normal"
      ? { ladder: CUSUM_LADDER, extrapolate: true, tolerance }
      : { ladder: BINOMIAL_CUSUM_LADDER, extrapolate: false, tolerance };
  const design = designWith(arlAt, plan, data, h, "h", CHART_DESIGN_LIMITS.hMax, input.targetArl0, 5);
  notes.push(
    "two-sided CUSUM ARL from the one-sided ARLs by 1/ARL = 1/ARL⁺ + 1/ARL⁻ (Lucas & Crosier 1982), exact when h ≤ 2k, a close approximation otherwise",
  );
  const result = finish({ type, k, h: design.parameter }, design, data, notes);
  if (kDefaulted) result.kDefaulted = true;
  return result;
}

interface Data {
  kind: "normal" | "binomial";
  shift: number;
  inControl: StepLaw;
  outOfControl: StepLaw;
  fields: { p0?: number; n?: number; p1?: number };
}

function parseData(input: ChartDesignInput): Data {
  const binomial = input.p0 !== undefined || input.n !== undefined || input.p1 !== undefined;
  if (binomial) {
    if (input.shift !== undefined) {
      throw new StatsInputError("give either shift (normal data) or p0, n and p1 (binomial data)", "shift");
    }
    const p0 = checkOpenUnit(input.p0, "p0");
    const p1 = checkOpenUnit(input.p1, "p1");
    const n = checkRange(input.n, "n", 1, CHART_DESIGN_LIMITS.nMax);
    if (!Number.isInteger(n)) throw new StatsInputError("n must be an integer", "n");
    const shift = (p1 - p0) / Math.sqrt((p0 * (1 - p0)) / n);
    return {
      kind: "binomial",
      shift,
      inControl: binomialStep(p0, n, p0),
      outOfControl: binomialStep(p0, n, p1),
      fields: { p0, n, p1 },
    };
  }
  const shift = checkRange(input.shift, "shift", -CHART_DESIGN_LIMITS.shiftMax, CHART_DESIGN_LIMITS.shiftMax);
  return { kind: "normal", shift, inControl: normalStep(0), outOfControl: normalStep(shift), fields: {} };
}

interface Design {
  parameter: number;
  arl0: number;
  arl1: number;
  states: number;
  change: number;
  converged: boolean;
  tolerance: number;
  extrapolation: "richardson" | "chain";
  solved?: ChartDesignResult["solved"];
}

type ArlAt = (parameter: number, law: StepLaw, m: number) => number;

function designWith(
  arlAt: ArlAt,
  plan: Plan,
  data: Data,
  given: number | undefined,
  field: "L" | "h",
  max: number,
  target: number | undefined,
  start: number,
): Design {
  if (target === undefined) {
    const parameter = given as number;
    const { values, states, change, converged, extrapolation } = converge(
      (m) => [arlAt(parameter, data.inControl, m), arlAt(parameter, data.outOfControl, m)],
      plan,
    );
    checkArl(values[0], field);
    return {
      parameter,
      arl0: values[0],
      arl1: values[1],
      states,
      change,
      converged,
      tolerance: plan.tolerance,
      extrapolation,
    };
  }

  // Coarse: bracket and solve on the smallest chain.
  let evaluations = 0;
  const coarse = (x: number) => {
    evaluations++;
    return logRatio(arlAt(x, data.inControl, plan.ladder[0]), target);
  };
  const min = 0.01;
  let low = start;
  let high = start;
  let gLow = coarse(start);
  let gHigh = gLow;
  while (gHigh < 0) {
    low = high;
    gLow = gHigh;
    if (high >= max) {
      throw new StatsInputError(`targetArl0 ${target} needs ${field} above its limit ${max}`, "targetArl0");
    }
    high = Math.min(max, high * 2);
    gHigh = coarse(high);
  }
  while (gLow > 0) {
    high = low;
    gHigh = gLow;
    if (low <= min)
      throw new StatsInputError(`targetArl0 ${target} needs ${field} below ${min}`, "targetArl0");
    low = Math.max(min, low / 2);
    gLow = coarse(low);
  }
  const approximate = illinois(coarse, low, high, gLow, gHigh).x;

  // Fine: the chain sizes the full computation converges with at the coarse answer, then only those (the last
  // two chains, extrapolated, or the last chain) while iterating: secant steps from the coarse slope until the
  // target is bracketed, then Illinois.
  const probe = converge((m) => [arlAt(approximate, data.inControl, m)], plan);
  const top = plan.ladder.indexOf(probe.states);
  const fixedPlan: Plan = {
    ...plan,
    ladder: plan.extrapolate ? plan.ladder.slice(top - 1, top + 1) : [plan.ladder[top]],
  };
  const fine = (x: number) => {
    evaluations++;
    return logRatio(converge((m) => [arlAt(x, data.inControl, m)], fixedPlan).values[0], target);
  };
  const step = 1e-3 * approximate;
  const slope = (coarse(approximate + step) - coarse(approximate - step)) / (2 * step);
  let a = approximate;
  let ga = fine(a);
  let b = a;
  let gb = ga;
  for (
    let i = 0;
    i < 12 && Math.sign(ga) === Math.sign(gb) && Math.abs(gb) >= Math.log1p(TARGET_TOLERANCE);
    i++
  ) {
    const secant = i === 0 || gb === ga ? slope : (gb - ga) / (b - a);
    let next = b - gb / (secant > 0 && Number.isFinite(secant) ? secant : slope > 0 ? slope : 1);
    next = Math.min(max, Math.max(min, next === b ? b * (gb > 0 ? 0.99 : 1.01) : next));
    a = b;
    ga = gb;
    b = next;
    gb = fine(b);
  }
  let root: { x: number; hit: boolean; b: number };
  if (Math.abs(gb) < Math.log1p(TARGET_TOLERANCE)) root = { x: b, hit: true, b };
  else {
    if (a > b) {
      [a, b] = [b, a];
      [ga, gb] = [gb, ga];
    }
    // Not bracketed by the secant steps (a jumpy binomial ARL₀): widen the bracket outward.
    for (let i = 0; ga > 0 && i < 40; i++) {
      if (a <= min)
        throw new StatsInputError(`targetArl0 ${target} needs ${field} below ${min}`, "targetArl0");
      b = a;
      gb = ga;
      a = Math.max(min, a * 0.95);
      ga = fine(a);
    }
    for (let i = 0; gb < 0 && i < 40; i++) {
      if (b >= max) {
        throw new StatsInputError(`targetArl0 ${target} needs ${field} above its limit ${max}`, "targetArl0");
      }
      a = b;
      ga = gb;
      b = Math.min(max, b * 1.05);
      gb = fine(b);
    }
    if (!(ga <= 0 && gb >= 0)) {
      throw new StatsInputError(`no ${field} up to ${max} reaches targetArl0 ${target}`, "targetArl0");
    }
    root = illinois(fine, a, b, ga, gb);
  }
  // A binomial ARL₀ can jump over the target: then keep the end of the last bracket whose ARL₀ is above it.
  const parameter = root.hit ? root.x : root.b;
  const result = converge(
    (m) => [arlAt(parameter, data.inControl, m), arlAt(parameter, data.outOfControl, m)],
    plan,
  );
  return {
    parameter,
    arl0: result.values[0],
    arl1: result.values[1],
    states: result.states,
    change: result.change,
    converged: result.converged,
    tolerance: plan.tolerance,
    extrapolation: result.extrapolation,
    solved: { parameter: field, targetArl0: target, tolerance: TARGET_TOLERANCE, evaluations },
  };
}

function finish(
  parameters: Pick<ChartDesignResult, "type" | "lambda" | "L" | "limits" | "k" | "h">,
  design: Design,
  data: Data,
  notes: string[],
): ChartDesignResult {
  notes.push(
    `Markov chain with ${design.states} states${data.kind === "binomial" ? " on the exact binomial steps of the standardised proportion" : ""}${design.extrapolation === "richardson" ? ", Richardson-extrapolated from the previous chain" : ""}; relative change from the previous refinement ${design.change.toExponential(1)}`,
  );
  if (!design.converged) {
    notes.push(
      `not converged to ${design.tolerance} within ${design.states} states: the ARLs are good to about ${(design.change * 100).toPrecision(2)} %`,
    );
  }
  const missed = design.solved ? relativeChange(design.arl0, design.solved.targetArl0) : 0;
  if (design.solved && missed > TARGET_TOLERANCE + design.change) {
    notes.push(
      `ARL₀ jumps past the target at this ${design.solved.parameter} (binomial steps): the smallest ${design.solved.parameter} found with ARL₀ ≥ ${design.solved.targetArl0} is given`,
    );
  } else if (design.solved) {
    notes.push(
      `${design.solved.parameter} solved for ARL₀ = ${design.solved.targetArl0} to a relative tolerance of ${TARGET_TOLERANCE}`,
    );
  }
  const result: ChartDesignResult = {
    ...parameters,
    data: data.kind,
    shift: data.shift,
    ...data.fields,
    arl0: design.arl0,
    arl1: design.arl1,
    states: design.states,
    change: design.change,
    converged: design.converged,
    tolerance: design.tolerance,
    extrapolation: design.extrapolation,
    method: "markov-chain",
    notes,
  };
  if (design.solved) result.solved = design.solved;
  return result;
}

function checkArl(arl0: number, field: "L" | "h"): void {
  // Far above 10⁹ the rows of R sum to 1 within rounding and the solve returns noise (even negative values).
  if (!(arl0 >= 1 && arl0 <= CHART_DESIGN_LIMITS.arlMax)) {
    throw new StatsInputError(
      `${field} gives an in-control ARL above 10⁹, beyond what the chain resolves: lower ${field}`,
      field,
    );
  }
}

function parameterOrTarget(
  value: number | undefined,
  field: "L" | "h",
  solving: boolean,
  max: number,
): number | undefined {
  if (solving) {
    if (value !== undefined) throw new StatsInputError(`give either ${field} or targetArl0, not both`, field);
    return undefined;
  }
  if (value === undefined) throw new StatsInputError(`${field} or targetArl0 is required`, field);
  if (!(value > 0 && value <= max)) throw new StatsInputError(`${field} must be in (0, ${max}]`, field);
  return value;
}

function checkRange(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== "number" || !(value >= min && value <= max)) {
    throw new StatsInputError(`${field} is required, a number from ${min} to ${max}`, field);
  }
  return value;
}

function checkOpenUnit(value: unknown, field: string): number {
  if (typeof value !== "number" || !(value > 0 && value < 1)) {
    throw new StatsInputError(`${field} is required, a proportion strictly between 0 and 1`, field);
  }
  return value;
}

function round(value: number): string {
  return String(Math.round(value * 1e4) / 1e4);
}
