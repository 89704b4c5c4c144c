import { StatsInputError } from "../errors.ts";
import { compensatedSum } from "../sum.ts";
import {
  type AttributeType,
  attributeMaximum,
  attributeStandardError,
  estimateAttributeCentre,
} from "./attribute-chart.ts";
import { bernoulliChart } from "./bernoulli-cusum-chart.ts";
import {
  type BaseKind,
  estimationIndices,
  parseBaseline,
  parseCusumOptions,
  parseEwmaOptions,
  parseExclude,
  parsePhases,
  parsePoints,
  parseStandard,
  type Series,
  type TimeWeightedOptions,
} from "./chart-input.ts";
import {
  CHART_TYPES,
  type ChartInput,
  type ChartOverdispersion,
  type ChartPhaseSummary,
  type ChartPointResult,
  type ChartResult,
  type ChartSignal,
  type ChartType,
} from "./chart-types.ts";
import { tabularCusum } from "./cusum.ts";
import { ewmaStatistics } from "./ewma.ts";
import { LANEY_D2, laneySigmaZ } from "./laney.ts";
import { dispersionTest } from "./overdispersion.ts";
import { type RuleId, resolveRules, type ZoneRuleId, zoneRuleSignals } from "./run-rules.ts";
import { requireOneOf, requirePositive, requireRecord } from "./validate.ts";

/**
 * A value within a few ulps of the centre is on the centre line: p̄ = Σcount/Σn and countᵢ/nᵢ are each
 * rounded once, so equal rationals can differ by an ulp, and that must not put a point on one side.
 */
const ON_CENTRE_ULPS = 4 * Number.EPSILON;

interface PhaseModel {
  phase: number;
  from: number;
  to: number;
  centre: number;
  centreSource: "estimate" | "standard";
  estimate: number[];
  /** Standard error of each observed value of the phase (index i − from). */
  standardErrors: number[];
  summary: ChartPhaseSummary;
  /** Σz² and df of the dispersion test, when defined. */
  dispersion?: { sumOfSquares: number; df: number };
}

/**
 * Control chart of `POST /v1/chart`: Shewhart attribute charts (p, np, c, u), Laney p′ and u′ charts,
 * EWMA and tabular CUSUM, with baseline, excluded points (revised limits), phases, a known standard,
 * Western Electric / Nelson run rules and an overdispersion check.
 *
 * Formulas (per phase; centres estimated from the phase's baseline points minus `exclude`):
 * - p: value countᵢ/nᵢ, p̄ = Σcount/Σn, limits p̄ ± sigma·√(p̄(1−p̄)/nᵢ) clipped to [0, 1] (Montgomery
 *   ISQC §7.2; R qcc "p"). np: value countᵢ, n·p̄ ± sigma·√(n·p̄(1−p̄)) clipped to [0, n] (n must be constant).
 *   c: c̄ ± sigma·√c̄, lower ≥ 0. u: ū = Σcount/Σn, ū ± sigma·√(ū/nᵢ), lower ≥ 0.
 * - laney-p / laney-u: σᵢ of p / u multiplied by σ_z = mean|zᵢ − zᵢ₋₁|/1.128 over consecutive baseline
 *   points (Laney 2002; qicharts2 without moving-range screening).
 * - ewma: zₜ = λxₜ + (1−λ)zₜ₋₁, z₀ = centre, limits centre ± L·√Vₜ with the exact variance
 *   Vₜ = λ² Σ (1−λ)^{2(t−i)} σᵢ² (Montgomery §9.2), restarted in each phase; clipped like the base chart.
 *   `value` is the EWMA statistic, `observed` the raw xₜ; signal "ewma" when strictly beyond a limit.
 * - cusum: tabular two-sided CUSUM on zₜ = (xₜ − centre)/σₜ, C⁺ₜ = max(0, C⁺ₜ₋₁ + zₜ − k),
 *   C⁻ₜ = max(0, C⁻ₜ₋₁ − zₜ − k) (Montgomery §9.1), restarted in each phase, never reset after a signal.
 *   Reported on the CUSUM scale: `value` = z, `center` = 0, `lcl` = −h, `ucl` = h, with `cusumUpper` and
 *   `cusumLower` per point (plot C⁺ and −C⁻ against ±h); signals "cusum-upper" / "cusum-lower" when C > h.
 * - bernoulli-cusum: the upper Bernoulli CUSUM of Reynolds & Stoumbos (1999) on the points' errors, item by
 *   item (n = 1) or period by period, restarted at 0 after each signal, with its design (γ = 1/m, h, zero-state
 *   ARL₀ and ARL₁ in items): see stats/spc/bernoulli-cusum-chart.ts.
 * - EWMA/CUSUM bases: "p" and "u" (count/n), "c" (count) or "individual" (default): the point's `count` is
 *   the measurement; its mean is `ewma.mean`/`cusum.mean`, else `standard`, else the baseline mean, and its
 *   standard deviation `sd`, else the baseline mean moving range / 1.128 (Montgomery §6.4).
 * - Run rules: see zoneRuleSignals (zones are literal multiples of σᵢ; rule 1 uses `sigma`); never span
 *   two phases.
 * - Overdispersion (attribute and Laney charts): Σzᵢ²/df over the baseline with its upper-tail χ² p-value;
 *   df = m − 1 (m when `standard` is given); pooled over phases.
 *
 * Baseline and phases: each phase is estimated from its points inside `baseline` minus `exclude`; a phase
 * lying wholly outside the baseline is estimated from all its non-excluded points (a note says so).
 * `standard` replaces the estimated centre in every phase (p, laney-p: a proportion; np: a count n·p₀;
 * c, u, laney-u: a count or rate; ewma/cusum: in the base's units).
 * Degenerate data (p̄ = 0 or 1, c̄ = 0, sd = 0): σᵢ = 0, limits equal the centre, z is null; a point off
 * the centre then signals rule 1 (or the EWMA/CUSUM signal), a point on it signals nothing.
 *
 * Complexity O(n) time and memory for n points (all run rules included).
 *
 * @throws {StatsInputError} with the field of the first bad input: `type`, `points`, `points.<i>.count`
 *   (negative, non-integer, or > n for p-type charts), `points.<i>.n` (missing, ≤ 0, or varying for np),
 *   `points.<i>.label`, `baseline`, `baseline.from`, `baseline.to`, `exclude.<i>`, `exclude` (a phase left
 *   with no points to estimate from), `phases.<i>` (out of range or not increasing), `standard`, `sigma`,
 *   `rules`, `rules.<i>`, `ewma.*`, `cusum.*`; `baseline` when a Laney chart or an estimated sd has fewer
 *   than two baseline points in a phase
 * @example
 * chart({ type: "c", points: [{ count: 16 }, { count: 14 }, { count: 28 }, { count: 6 }] }).points[0]
 * // => { index: 0, label: null, phase: 0, value: 16, center: 16, lcl: 4, ucl: 28, sigma: 4, z: 0,
 * //      signals: [], inEstimate: true }
 */
export function chart(input: ChartInput): ChartResult {
  const record = requireRecord(input, "input");
  const type = requireOneOf(record.type, CHART_TYPES, "type");
  if (type === "bernoulli-cusum") return bernoulliChart(record);
  if (record.bernoulli !== undefined) {
    throw new StatsInputError("bernoulli options apply only to type bernoulli-cusum", "bernoulli");
  }
  const family = type === "ewma" ? "ewma" : type === "cusum" ? "cusum" : "shewhart";
  if (family !== "ewma" && record.ewma !== undefined) {
    throw new StatsInputError("ewma options apply only to type ewma", "ewma");
  }
  if (family !== "cusum" && record.cusum !== undefined) {
    throw new StatsInputError("cusum options apply only to type cusum", "cusum");
  }
  if (family !== "shewhart" && record.sigma !== undefined) {
    throw new StatsInputError(
      `sigma applies to Shewhart charts; use ${type}.${family === "ewma" ? "L" : "h"}`,
      "sigma",
    );
  }
  const ewma = family === "ewma" ? parseEwmaOptions(record.ewma) : undefined;
  const cusum = family === "cusum" ? parseCusumOptions(record.cusum) : undefined;
  const timeWeighted = ewma ?? cusum;
  const base: BaseKind =
    timeWeighted?.base ?? (type === "laney-p" ? "p" : type === "laney-u" ? "u" : (type as AttributeType));

  const series = parsePoints(record.points, base);
  const length = series.counts.length;
  const baseline = parseBaseline(record.baseline, length);
  const exclude = parseExclude(record.exclude, length);
  const phaseStarts = parsePhases(record.phases, length);
  const standard = parseStandard(record.standard, base, series, timeWeighted);
  const sigmaMultiplier =
    family === "shewhart" ? (record.sigma === undefined ? 3 : requirePositive(record.sigma, "sigma")) : 0;
  const rules = resolveRules(record.rules, family);
  const notes: string[] = [];

  const laney = type === "laney-p" || type === "laney-u";
  const excluded = new Set(exclude);
  const models = phaseStarts.map((from, phase) => {
    const to = phase + 1 < phaseStarts.length ? phaseStarts[phase + 1] - 1 : length - 1;
    const estimate = estimationIndices(from, to, phase, phaseStarts.length, baseline, excluded, notes);
    return buildPhaseModel({ phase, from, to, estimate, base, series, standard, laney, timeWeighted, notes });
  });

  const result: ChartResult = {
    type,
    points: [],
    signals: [],
    phases: models.map((model) => model.summary),
    sigmaMultiplier: ewma?.L ?? cusum?.h ?? sigmaMultiplier,
    rules,
    baseline,
    exclude: [...excluded].sort((a, b) => a - b),
    notes,
  };
  if (ewma) {
    result.ewma = { lambda: ewma.lambda, L: ewma.L, base: ewma.base };
    result.points = ewmaPoints(models, series, ewma, rules);
  } else if (cusum) {
    result.cusum = { k: cusum.k, h: cusum.h, base: cusum.base };
    result.points = cusumPoints(models, series, cusum, rules);
  } else {
    result.points = shewhartPoints(models, series, base as AttributeType, sigmaMultiplier, rules);
    result.overdispersion = pooledOverdispersion(models, type);
  }
  result.signals = collectSignals(result.points);
  return result;
}

function buildPhaseModel(args: {
  phase: number;
  from: number;
  to: number;
  estimate: number[];
  base: BaseKind;
  series: Series;
  standard: number | undefined;
  laney: boolean;
  timeWeighted: TimeWeightedOptions | undefined;
  notes: string[];
}): PhaseModel {
  const { phase, from, to, estimate, base, series, standard, laney, timeWeighted, notes } = args;
  const centreSource = standard === undefined ? "estimate" : "standard";
  const summary: ChartPhaseSummary = {
    phase,
    from,
    to,
    center: 0,
    centerSource: centreSource,
    estimatedFrom: estimate.length,
  };
  const phaseName = `phase ${phase}`;

  if (base === "individual") {
    const centre = standard ?? compensatedSum(estimate.map((i) => series.observed[i])) / estimate.length;
    const sd = timeWeighted?.sd ?? movingRangeSd(estimate, series.observed, timeWeighted?.field ?? "ewma");
    if (sd === 0) {
      notes.push(`${phaseName}: the baseline measurements do not vary (sd = 0); the limits equal the centre`);
    }
    summary.center = centre;
    summary.processSd = sd;
    return {
      phase,
      from,
      to,
      centre,
      centreSource,
      estimate,
      standardErrors: constant(to - from + 1, sd),
      summary,
    };
  }

  const centre = standard ?? estimateAttributeCentre(base, series.counts, series.sizes, estimate);
  summary.center = centre;
  const standardErrors: number[] = [];
  for (let i = from; i <= to; i++) standardErrors.push(attributeStandardError(base, centre, series.sizes[i]));
  const degenerate = standardErrors.every((se) => se === 0);
  if (degenerate) {
    notes.push(
      `${phaseName}: the centre is ${centre}, so binomial/Poisson variation is 0: the limits equal the centre and any point off it is flagged`,
    );
  }

  const model: PhaseModel = { phase, from, to, centre, centreSource, estimate, standardErrors, summary };
  if (timeWeighted) return model;

  const classicZ = estimate.map((i) => (series.observed[i] - centre) / standardErrors[i - from]);
  const df = centreSource === "estimate" ? estimate.length - 1 : estimate.length;
  if (!degenerate && df >= 1) {
    const sumOfSquares = compensatedSum(classicZ.map((z) => z * z));
    model.dispersion = { sumOfSquares, df };
    summary.overdispersion = describeDispersion(sumOfSquares, df, laney ? `laney-${base}` : base);
  } else {
    summary.overdispersion = {
      ratio: null,
      p: null,
      statistic: null,
      df: Math.max(df, 0),
      note: degenerate
        ? "undefined: the centre leaves no binomial/Poisson variation"
        : "undefined: needs at least two baseline points",
    };
  }

  if (laney) {
    if (estimate.length < 2) {
      throw new StatsInputError(
        `a Laney chart needs at least two baseline points (after exclude) in ${phaseName}`,
        "baseline",
      );
    }
    if (degenerate) {
      summary.sigmaZ = null;
    } else {
      const { sigmaZ } = laneySigmaZ(classicZ);
      summary.sigmaZ = sigmaZ;
      if (sigmaZ === 0) notes.push(`${phaseName}: every baseline point has the same z, so Laney σ_z = 0`);
      for (let j = 0; j < standardErrors.length; j++) standardErrors[j] *= sigmaZ;
    }
  }
  return model;
}

/** Individuals-chart estimate of σ: mean moving range of consecutive baseline measurements / d₂ (1.128). */
function movingRangeSd(estimate: number[], observed: number[], field: string): number {
  if (estimate.length < 2) {
    throw new StatsInputError(
      `estimating the standard deviation needs at least two baseline points per phase (or give ${field}.sd)`,
      "baseline",
    );
  }
  const ranges: number[] = [];
  for (let j = 1; j < estimate.length; j++)
    ranges.push(Math.abs(observed[estimate[j]] - observed[estimate[j - 1]]));
  return compensatedSum(ranges) / ranges.length / LANEY_D2;
}

function describeDispersion(sumOfSquares: number, df: number, chartType: string): ChartOverdispersion {
  const { ratio, p } = dispersionTest(sumOfSquares, df);
  const shown = `dispersion ratio ${ratio.toPrecision(3)} (χ² = ${sumOfSquares.toPrecision(4)} on ${df} df, ${formatP(p)})`;
  let note: string;
  if (chartType.startsWith("laney-")) {
    note = `${shown}; Laney's σ_z rescales the limits for the variation between points`;
  } else if (p < 0.05 && ratio > 1) {
    const laneyType = chartType === "p" || chartType === "np" ? "laney-p" : "laney-u";
    note = `${shown}: the points vary more than sampling explains, so these limits are too tight and flag too often; Laney limits (type "${laneyType}") fit better`;
  } else {
    note = `${shown}: consistent with sampling variation`;
  }
  return { ratio, p, statistic: sumOfSquares, df, note };
}

/** 1 − χ² cdf loses everything below ~1e-16, so a computed 0 is shown as a bound. */
function formatP(p: number): string {
  return p < 1e-15 ? "p < 1e-15" : `p = ${p.toPrecision(2)}`;
}

function pooledOverdispersion(models: PhaseModel[], type: ChartType): ChartOverdispersion {
  if (models.length === 1) return models[0].summary.overdispersion!;
  const defined = models.filter((model) => model.dispersion);
  if (defined.length === 0) {
    return { ratio: null, p: null, statistic: null, df: 0, note: "undefined in every phase (see phases)" };
  }
  const sumOfSquares = compensatedSum(defined.map((model) => model.dispersion!.sumOfSquares));
  const df = defined.reduce((total, model) => total + model.dispersion!.df, 0);
  return describeDispersion(sumOfSquares, df, type);
}

/** (value − centre)/σ, with NaN on the centre line when σ = 0 and ±∞ off it. */
function standardise(value: number, centre: number, standardError: number): number {
  const difference = value - centre;
  if (Math.abs(difference) <= ON_CENTRE_ULPS * Math.abs(centre)) return standardError > 0 ? 0 : Number.NaN;
  if (standardError === 0) return difference > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  return difference / standardError;
}

function reportedZ(z: number): number | null {
  return Number.isFinite(z) ? z : null;
}

function shewhartPoints(
  models: PhaseModel[],
  series: Series,
  type: AttributeType,
  sigmaMultiplier: number,
  rules: RuleId[],
): ChartPointResult[] {
  const points: ChartPointResult[] = [];
  const z = new Float64Array(series.counts.length);
  const inEstimate = estimateMask(models, series.counts.length);
  for (const model of models) {
    for (let i = model.from; i <= model.to; i++) {
      const sigma = model.standardErrors[i - model.from];
      z[i] = standardise(series.observed[i], model.centre, sigma);
      points.push({
        index: i,
        label: series.labels[i],
        phase: model.phase,
        value: series.observed[i],
        center: model.centre,
        lcl: Math.max(0, model.centre - sigmaMultiplier * sigma),
        ucl: Math.min(attributeMaximum(type, series.sizes[i]), model.centre + sigmaMultiplier * sigma),
        sigma,
        z: reportedZ(z[i]),
        signals: [],
        inEstimate: inEstimate[i] === 1,
      });
    }
  }
  const signals = zoneRuleSignals(
    z,
    models.map((model) => model.from),
    rules as ZoneRuleId[],
    sigmaMultiplier,
  );
  for (let i = 0; i < points.length; i++) points[i].signals = signals[i];
  return points;
}

function ewmaPoints(
  models: PhaseModel[],
  series: Series,
  options: ReturnType<typeof parseEwmaOptions>,
  rules: RuleId[],
): ChartPointResult[] {
  const points: ChartPointResult[] = [];
  const signalEwma = rules.includes("ewma");
  const inEstimate = estimateMask(models, series.counts.length);
  const minimum = options.base === "individual" ? Number.NEGATIVE_INFINITY : 0;
  for (const model of models) {
    const observed = series.observed.slice(model.from, model.to + 1);
    const { statistic, standardError } = ewmaStatistics(
      observed,
      model.standardErrors,
      model.centre,
      options.lambda,
    );
    for (let j = 0; j < observed.length; j++) {
      const i = model.from + j;
      const maximum =
        options.base === "individual"
          ? Number.POSITIVE_INFINITY
          : attributeMaximum(options.base, series.sizes[i]);
      const z = standardise(statistic[j], model.centre, standardError[j]);
      points.push({
        index: i,
        label: series.labels[i],
        phase: model.phase,
        value: statistic[j],
        center: model.centre,
        lcl: Math.max(minimum, model.centre - options.L * standardError[j]),
        ucl: Math.min(maximum, model.centre + options.L * standardError[j]),
        sigma: standardError[j],
        z: reportedZ(z),
        signals: signalEwma && Math.abs(z) > options.L ? ["ewma"] : [],
        inEstimate: inEstimate[i] === 1,
        observed: observed[j],
      });
    }
  }
  return points;
}

function cusumPoints(
  models: PhaseModel[],
  series: Series,
  options: ReturnType<typeof parseCusumOptions>,
  rules: RuleId[],
): ChartPointResult[] {
  const points: ChartPointResult[] = [];
  const signalUpper = rules.includes("cusum-upper");
  const signalLower = rules.includes("cusum-lower");
  const inEstimate = estimateMask(models, series.counts.length);
  for (const model of models) {
    // A point with σ = 0 on the centre deviates by 0 (z = 0); one off it has no finite z: it is flagged on
    // its side and leaves the sums unchanged (NaN in tabularCusum).
    const z: number[] = [];
    for (let i = model.from; i <= model.to; i++) {
      const standardised = standardise(
        series.observed[i],
        model.centre,
        model.standardErrors[i - model.from],
      );
      z.push(Number.isNaN(standardised) ? 0 : Number.isFinite(standardised) ? standardised : Number.NaN);
    }
    const { upper, lower } = tabularCusum(z, options.k);
    for (let j = 0; j < z.length; j++) {
      const i = model.from + j;
      const undefinedZ = Number.isNaN(z[j]);
      const above = series.observed[i] > model.centre;
      const signals: RuleId[] = [];
      if (signalUpper && (upper[j] > options.h || (undefinedZ && above))) signals.push("cusum-upper");
      if (signalLower && (lower[j] > options.h || (undefinedZ && !above))) signals.push("cusum-lower");
      points.push({
        index: i,
        label: series.labels[i],
        phase: model.phase,
        value: undefinedZ ? null : z[j],
        center: 0,
        lcl: -options.h,
        ucl: options.h,
        sigma: 1,
        z: undefinedZ ? null : z[j],
        signals,
        inEstimate: inEstimate[i] === 1,
        observed: series.observed[i],
        baseCenter: model.centre,
        baseSigma: model.standardErrors[j],
        cusumUpper: upper[j],
        cusumLower: lower[j],
      });
    }
  }
  return points;
}

/** 1 for the points each phase was estimated from. */
function estimateMask(models: PhaseModel[], length: number): Uint8Array {
  const mask = new Uint8Array(length);
  for (const model of models) for (const i of model.estimate) mask[i] = 1;
  return mask;
}

function collectSignals(points: ChartPointResult[]): ChartSignal[] {
  const signals: ChartSignal[] = [];
  for (const point of points) {
    for (const rule of point.signals) signals.push({ index: point.index, label: point.label, rule });
  }
  return signals;
}

function constant(length: number, value: number): number[] {
  return new Array(length).fill(value);
}
