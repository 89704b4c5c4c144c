import { StatsInputError } from "../errors.ts";
import { type AttributeType, attributeValue } from "./attribute-chart.ts";
import { TIME_WEIGHTED_BASES } from "./chart-types.ts";
import {
  rejectUnknownKeys,
  requireArray,
  requireFinite,
  requireIndex,
  requireNonNegativeInteger,
  requireOneOf,
  requirePositive,
  requirePositiveInteger,
  requireRecord,
} from "./validate.ts";

/*
 * Reading and checking the input of `chart()` (stats/spc/chart.ts): each function returns the typed option or
 * series, or throws StatsInputError naming the field.
 */

export type BaseKind = AttributeType | "individual";

export interface Series {
  counts: number[];
  sizes: number[];
  labels: (string | null)[];
  /** The plotted value of the base chart per point (proportion, rate, count or measurement). */
  observed: number[];
}

export function parseEwmaOptions(value: unknown) {
  const options = value === undefined ? {} : requireRecord(value, "ewma");
  rejectUnknownKeys(options, ["lambda", "L", "base", "mean", "sd"], "ewma");
  const lambda = options.lambda === undefined ? 0.2 : requirePositive(options.lambda, "ewma.lambda");
  if (lambda > 1) throw new StatsInputError("ewma.lambda must be in (0, 1]", "ewma.lambda");
  return {
    lambda,
    L: options.L === undefined ? 3 : requirePositive(options.L, "ewma.L"),
    ...parseTimeWeightedBase(options, "ewma"),
  };
}

export function parseCusumOptions(value: unknown) {
  const options = value === undefined ? {} : requireRecord(value, "cusum");
  rejectUnknownKeys(options, ["k", "h", "base", "mean", "sd"], "cusum");
  const k = options.k === undefined ? 0.5 : requireFinite(options.k, "cusum.k");
  if (k < 0) throw new StatsInputError("cusum.k must be ≥ 0", "cusum.k");
  return {
    k,
    h: options.h === undefined ? 5 : requirePositive(options.h, "cusum.h"),
    ...parseTimeWeightedBase(options, "cusum"),
  };
}

export function parseTimeWeightedBase(options: Record<string, unknown>, field: "ewma" | "cusum") {
  const base =
    options.base === undefined
      ? "individual"
      : requireOneOf(options.base, TIME_WEIGHTED_BASES, `${field}.base`);
  for (const key of ["mean", "sd"] as const) {
    if (options[key] !== undefined && base !== "individual") {
      throw new StatsInputError(
        `${field}.${key} applies only to base "individual" (use standard for a known centre)`,
        `${field}.${key}`,
      );
    }
  }
  return {
    base,
    mean: options.mean === undefined ? undefined : requireFinite(options.mean, `${field}.mean`),
    sd: options.sd === undefined ? undefined : requirePositive(options.sd, `${field}.sd`),
    field,
  };
}

export type TimeWeightedOptions = ReturnType<typeof parseTimeWeightedBase>;

export function parsePoints(value: unknown, base: BaseKind): Series {
  const list = requireArray(value, "points");
  if (list.length === 0) throw new StatsInputError("chart requires at least one point", "points");
  const series: Series = { counts: [], sizes: [], labels: [], observed: [] };
  list.forEach((item, i) => {
    const point = requireRecord(item, `points.${i}`);
    const countField = `points.${i}.count`;
    const nField = `points.${i}.n`;
    const count =
      base === "individual"
        ? requireFinite(point.count, countField)
        : requireNonNegativeInteger(point.count, countField);
    let n = Number.NaN;
    if (base === "p" || base === "np") {
      n = requirePositiveInteger(point.n, nField);
      if (count > n)
        throw new StatsInputError(`${countField} (${count}) cannot exceed ${nField} (${n})`, countField);
    } else if (base === "u") {
      n = requirePositive(point.n, nField);
    } else if (point.n !== undefined && point.n !== null) {
      // c charts and individual measurements do not use n, but a malformed one is still an input error.
      requirePositive(point.n, nField);
    }
    if (base === "np" && i > 0 && n !== series.sizes[0]) {
      throw new StatsInputError(
        `an np chart needs the same n for every point (points.0.n = ${series.sizes[0]}, ${nField} = ${n}); use a p chart`,
        nField,
      );
    }
    if (point.label !== undefined && point.label !== null && typeof point.label !== "string") {
      throw new StatsInputError(`points.${i}.label must be a string`, `points.${i}.label`);
    }
    series.counts.push(count);
    series.sizes.push(n);
    series.labels.push((point.label as string | undefined) ?? null);
    series.observed.push(base === "individual" ? count : attributeValue(base, count, n));
  });
  return series;
}

export function parseBaseline(value: unknown, length: number): { from: number; to: number } {
  if (value === undefined) return { from: 0, to: length - 1 };
  const baseline = requireRecord(value, "baseline");
  rejectUnknownKeys(baseline, ["from", "to"], "baseline");
  const from = baseline.from === undefined ? 0 : requireIndex(baseline.from, length, "baseline.from");
  const to = baseline.to === undefined ? length - 1 : requireIndex(baseline.to, length, "baseline.to");
  if (from > to)
    throw new StatsInputError(`baseline.from (${from}) is after baseline.to (${to})`, "baseline");
  return { from, to };
}

export function parseExclude(value: unknown, length: number): number[] {
  if (value === undefined) return [];
  return requireArray(value, "exclude").map((index, i) => requireIndex(index, length, `exclude.${i}`));
}

/** Phase start indices including the implied 0, strictly increasing. */
export function parsePhases(value: unknown, length: number): number[] {
  const starts = [0];
  if (value === undefined) return starts;
  requireArray(value, "phases").forEach((item, i) => {
    const index = requireIndex(item, length, `phases.${i}`);
    if (i > 0 && index <= starts[starts.length - 1]) {
      throw new StatsInputError(`phases must be strictly increasing (phases.${i} = ${index})`, `phases.${i}`);
    }
    if (index > 0) starts.push(index);
  });
  return starts;
}

export function parseStandard(
  value: unknown,
  base: BaseKind,
  series: Series,
  timeWeighted: TimeWeightedOptions | undefined,
): number | undefined {
  const mean = timeWeighted?.mean;
  if (value === undefined) return mean;
  const standard = requireFinite(value, "standard");
  if (mean !== undefined && mean !== standard) {
    throw new StatsInputError(
      `${timeWeighted?.field}.mean (${mean}) contradicts standard (${standard})`,
      `${timeWeighted?.field}.mean`,
    );
  }
  if (base === "individual") return standard;
  const max = base === "p" ? 1 : base === "np" ? series.sizes[0] : Number.POSITIVE_INFINITY;
  if (!(standard >= 0 && standard <= max)) {
    throw new StatsInputError(`standard must be between 0 and ${max} for this chart`, "standard");
  }
  return standard;
}

/**
 * The points of one phase that estimate its centre and limits: those inside the baseline (all of the phase
 * when it lies outside the baseline, with a note), less the excluded ones.
 */
export function estimationIndices(
  from: number,
  to: number,
  phase: number,
  phaseCount: number,
  baseline: { from: number; to: number },
  excluded: Set<number>,
  notes: string[],
): number[] {
  const overlapFrom = Math.max(from, baseline.from);
  const overlapTo = Math.min(to, baseline.to);
  const [start, end] = overlapFrom <= overlapTo ? [overlapFrom, overlapTo] : [from, to];
  if (overlapFrom > overlapTo) {
    notes.push(
      `phase ${phase} (points ${from} to ${to}) lies outside the baseline; its centre and limits are estimated from all its points`,
    );
  }
  const indices: number[] = [];
  for (let i = start; i <= end; i++) if (!excluded.has(i)) indices.push(i);
  if (indices.length === 0) {
    const where = phaseCount > 1 ? `phase ${phase} (points ${from} to ${to})` : "the baseline";
    throw new StatsInputError(`${where} has no points left to estimate the centre after exclude`, "exclude");
  }
  return indices;
}
