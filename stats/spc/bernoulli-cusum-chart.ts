import { StatsInputError } from "../errors.ts";
import { type BernoulliCusumOptions, bernoulliCusumDesign, bernoulliCusumPath } from "./bernoulli-cusum.ts";
import { estimationIndices, parseBaseline, parseExclude, parsePoints } from "./chart-input.ts";
import type { ChartPointResult, ChartResult } from "./chart-types.ts";
import { type RuleId, resolveRules } from "./run-rules.ts";
import { rejectUnknownKeys, requireFinite, requireRecord } from "./validate.ts";

const OPTION_KEYS = ["p0", "p1", "oddsRatio", "h", "targetArl0", "m"] as const;

/**
 * The `bernoulli-cusum` type of `chart()` (POST /v1/chart, GET /v1/charts): the upper Bernoulli CUSUM of
 * Reynolds & Stoumbos (1999) over points of `count` errors among `n` items, in order.
 *
 * - Design (bernoulliCusumDesign, variant "reynolds-stoumbos-1/m"): p₀ from `bernoulli.p0`, else `standard`,
 *   else Σcount/Σn over the baseline minus `exclude`; p₁ from `bernoulli.p1` or `bernoulli.oddsRatio`
 *   (default 2); h from `bernoulli.h` or `bernoulli.targetArl0` (default 10,000 items); ARL₀ and ARL₁ are
 *   zero-state ARLs in items, exact for the rounded γ = 1/m.
 * - Path (bernoulliCusumPath): a point with n = 1 is one item, B = max(0, B + X − γ); a point with n > 1 is a
 *   period whose items' order is unknown, taken together: B = max(0, B + count − n·γ), never above the
 *   item-by-item value at the period's end, so false alarms are no more frequent than designed (ARL₀ in items
 *   is a lower bound) and detection may come later than ARL₁. Signal "bernoulli-cusum" when B ≥ h; after a
 *   signal B restarts at 0 (and the run length, in items, at 0).
 * - Points: `value` = B after the point, `center` = `lcl` = 0, `ucl` = h, `sigma` = 1, `z` = null,
 *   `observed` = count/n, `runLength`. Phases do not apply (one design for the series); `sigma`, `ewma`
 *   and `cusum` options are refused.
 *
 * Complexity O(points + H·log H) for H = m·h Markov-chain states.
 *
 * @throws {StatsInputError} `points.*` as for a p chart, `baseline`, `exclude.*`, `phases`, `sigma`, `ewma`,
 *   `cusum`, `standard` (not in (0, 1), or contradicting `bernoulli.p0`), `bernoulli.*` (see
 *   bernoulliCusumDesign), `bernoulli.p0` when estimated as 0 or 1, `rules`
 * @example
 * bernoulliChart({ type: "bernoulli-cusum", points: [{ count: 1, n: 1 }], bernoulli: { p0: 0.1, p1: 0.2, h: 1 } })
 *   .points[0] // => { value: 0.875, signals: [], runLength: 1, … } (γ = 1/8)
 */
export function bernoulliChart(record: Record<string, unknown>): ChartResult {
  for (const key of ["sigma", "ewma", "cusum", "phases"] as const) {
    if (record[key] !== undefined) {
      throw new StatsInputError(`${key} does not apply to type bernoulli-cusum`, key);
    }
  }
  const options = record.bernoulli === undefined ? {} : requireRecord(record.bernoulli, "bernoulli");
  rejectUnknownKeys(options, OPTION_KEYS, "bernoulli");
  const series = parsePoints(record.points, "p");
  const length = series.counts.length;
  const baseline = parseBaseline(record.baseline, length);
  const exclude = parseExclude(record.exclude, length);
  const excluded = new Set(exclude);
  const notes: string[] = [];
  const estimate = estimationIndices(0, length - 1, 0, 1, baseline, excluded, notes);
  const rules = resolveRules(record.rules, "bernoulli-cusum");

  const standard = record.standard === undefined ? undefined : requireFinite(record.standard, "standard");
  if (standard !== undefined && !(standard > 0 && standard < 1)) {
    throw new StatsInputError("standard (p0) must be in (0, 1) for a Bernoulli CUSUM", "standard");
  }
  if (standard !== undefined && options.p0 !== undefined && options.p0 !== standard) {
    throw new StatsInputError(
      `bernoulli.p0 (${String(options.p0)}) contradicts standard (${standard})`,
      "bernoulli.p0",
    );
  }
  let p0Source: "option" | "standard" | "estimate" = "option";
  let p0 = options.p0 === undefined ? undefined : requireFinite(options.p0, "bernoulli.p0");
  if (p0 === undefined && standard !== undefined) {
    p0 = standard;
    p0Source = "standard";
  } else if (p0 === undefined) {
    let errors = 0;
    let items = 0;
    for (const i of estimate) {
      errors += series.counts[i];
      items += series.sizes[i];
    }
    p0 = errors / items;
    p0Source = "estimate";
    if (!(p0 > 0 && p0 < 1)) {
      throw new StatsInputError(
        `the baseline's error rate is ${p0} (${errors}/${items}): a Bernoulli CUSUM needs p0 in (0, 1); give bernoulli.p0`,
        "bernoulli.p0",
      );
    }
    notes.push(`p0 = ${errors}/${items} = ${p0.toPrecision(4)}, estimated from the baseline`);
  }

  // The design checks every option's type and range (fields bernoulli.*).
  const design = bernoulliCusumDesign({ ...options, p0 } as BernoulliCusumOptions, "bernoulli");
  notes.push(...design.notes);
  const steps = series.sizes.every((n) => n === 1) ? "item" : "period";
  notes.push(
    `Bernoulli CUSUM B = max(0, B + X − γ), γ = 1/${design.m}, signal when B ≥ h = ${design.h.toPrecision(6)}, restarted at 0 after each signal; ARL₀ ${design.arl0.toPrecision(4)} and ARL₁ ${design.arl1.toPrecision(4)} items are zero-state (from B = 0)`,
  );
  if (steps === "period") {
    notes.push(
      "points of several items are taken together (B = max(0, B + count − n·γ)): never above the item-by-item CUSUM at the period's end, so false alarms are no more frequent than ARL₀ says and detection can be slower than ARL₁",
    );
  }

  const path = bernoulliCusumPath(series.counts, series.sizes, design.m, design.states);
  const signalOn = rules.includes("bernoulli-cusum");
  const inEstimate = new Uint8Array(length);
  for (const i of estimate) inEstimate[i] = 1;
  const points: ChartPointResult[] = path.map((step, i) => ({
    index: i,
    label: series.labels[i],
    phase: 0,
    value: step.value,
    center: 0,
    lcl: 0,
    ucl: design.h,
    sigma: 1,
    z: null,
    signals: signalOn && step.signal ? (["bernoulli-cusum"] as RuleId[]) : [],
    inEstimate: inEstimate[i] === 1,
    observed: series.observed[i],
    runLength: step.runLength,
  }));
  const signals = points.flatMap((point) =>
    point.signals.map((rule) => ({ index: point.index, label: point.label, rule })),
  );
  return {
    type: "bernoulli-cusum",
    points,
    signals,
    phases: [
      {
        phase: 0,
        from: 0,
        to: length - 1,
        center: design.p0,
        centerSource: p0Source === "estimate" ? "estimate" : "standard",
        estimatedFrom: p0Source === "estimate" ? estimate.length : 0,
      },
    ],
    sigmaMultiplier: design.h,
    rules,
    baseline,
    exclude: [...excluded].sort((a, b) => a - b),
    bernoulliCusum: {
      variant: design.variant,
      p0: design.p0,
      p0Source,
      p1: design.p1,
      oddsRatio: design.oddsRatio,
      gammaExact: design.gammaExact,
      gamma: design.gamma,
      m: design.m,
      h: design.h,
      states: design.states,
      arl0: design.arl0,
      arl1: design.arl1,
      ...(design.targetArl0 === undefined ? {} : { targetArl0: design.targetArl0 }),
      steps,
    },
    notes,
  };
}
