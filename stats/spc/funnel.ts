import jStat from "jstat";
import { zCritical } from "../critical.ts";
import { StatsInputError } from "../errors.ts";
import { compensatedSum } from "../sum.ts";
import {
  binomialQuantileLimits,
  binomialWindow,
  lowerBinomialLimit,
  upperBinomialLimit,
  WINDOW_MAX_VARIANCE,
} from "./binomial-limits.ts";
import {
  requireArray,
  requireFinite,
  requireNonNegativeInteger,
  requireOneOf,
  requirePositiveInteger,
  requireRecord,
} from "./validate.ts";

export interface FunnelUnitInput {
  key: string | number;
  count: number;
  n: number;
}

export interface FunnelInput {
  units: FunnelUnitInput[];
  /** Target proportion in (0, 1); default the pooled rate Σcount/Σn. */
  target?: number;
  /** Two-sided coverage levels, each in (0, 1); default [0.95, 0.998]. */
  limits?: number[];
  /** "exact" (binomial with Spiegelhalter's interpolation, default) or "normal". */
  method?: "exact" | "normal";
  /** "none" (default) or "multiplicative" (Spiegelhalter 2005 §6, winsorised φ). */
  overdispersion?: "none" | "multiplicative";
  /** Number of log-spaced volumes for the plotted curves, 2 to 10,000, default 100. */
  gridPoints?: number;
}

export interface FunnelLimit {
  level: number;
  lower: number;
  upper: number;
}

export type FunnelBand = "inside" | `above-${string}` | `below-${string}`;

export interface FunnelUnitResult {
  key: string | number;
  count: number;
  n: number;
  rate: number;
  /** (rate − target)/√(target(1 − target)/n); null when the target is 0 or 1. */
  z: number | null;
  /** z/√φ when a multiplicative overdispersion factor was applied. */
  zAdjusted?: number | null;
  /** The most extreme band crossed (strictly beyond the limit), e.g. "above-99.8". */
  band: FunnelBand;
  /** The limits at this unit's volume, one per level (ascending). */
  limits: FunnelLimit[];
}

export interface FunnelCurve {
  level: number;
  /** The level as a percentage, as used in band names ("95", "99.8"). */
  name: string;
  points: { n: number; lower: number; upper: number }[];
}

export interface FunnelOverdispersion {
  method: "multiplicative";
  /** Winsorised estimate φ̂ = Σz_w²/I; null with fewer than two units or a degenerate target. */
  phiEstimate: number | null;
  /** The factor applied to the limits' distance from the target: √phi, phi = max(1, φ̂). */
  phi: number;
  applied: boolean;
  /** I·φ̂ on df = I − 1 (I with a given target) and its upper-tail χ² p-value. */
  statistic: number | null;
  df: number;
  p: number | null;
  /** The 10th and 90th percentiles (R type 7) at which z was winsorised. */
  winsorisedAt: { lower: number; upper: number } | null;
}

export interface FunnelResult {
  target: number;
  targetSource: "pooled" | "given";
  method: "exact" | "normal";
  limits: { level: number; name: string }[];
  units: FunnelUnitResult[];
  curves: FunnelCurve[];
  overdispersion: FunnelOverdispersion | null;
  notes: string[];
}

/**
 * Funnel plot for proportions of `POST /v1/funnel` (Spiegelhalter DJ (2005) "Funnel plots for comparing
 * institutional performance", Stat Med 24:1185–1202).
 *
 * - Target θ: the pooled rate Σcount/Σn, or `target`.
 * - Limits per coverage level L and volume n: "exact" = binomial quantiles at (1 − L)/2 and (1 + L)/2 with
 *   Spiegelhalter's interpolation (Appendix A.1.1; see lowerBinomialLimit), lower clipped at 0; "normal" =
 *   θ ± z_L·√(θ(1 − θ)/n) clipped to [0, 1], z_L = Φ⁻¹((1 + L)/2).
 * - Each unit: rate = count/n, z = (rate − θ)/√(θ(1 − θ)/n), band = the most extreme band whose limit the
 *   rate is strictly beyond ("above-99.8", "below-95", …, or "inside"); names are the levels in percent.
 * - Multiplicative overdispersion (§6): z winsorised at its 10th and 90th percentiles (R quantile type 7),
 *   φ̂ = Σz_w²/I, test I·φ̂ ~ χ²(I − 1) (I − 0 df with a given target); when φ̂ > 1 every limit's distance
 *   from θ is multiplied by √φ̂ (exact limits included) and zAdjusted = z/√φ̂. φ̂ ≤ 1 is not applied
 *   (underdispersion does not narrow the funnel). The additive random-effects (τ²) variant is not
 *   implemented.
 * - Curves: `gridPoints` volumes log-spaced from the smallest to the largest unit n, rounded to integers
 *   and deduplicated, with lower and upper limits per level.
 * - A pooled rate of 0 or 1 leaves no binomial variation: limits equal the target, z is null, a note says so.
 * - Input limits: at most MAX_FUNNEL_UNITS (100,000) units, each n at most MAX_FUNNEL_N (10¹²).
 *
 * Complexity: O(I log I + (distinct n + grid)·levels), independent of the sizes n: exact limits come from
 *   the pmf window (≤ ~750 terms, for nθ(1 − θ) ≤ WINDOW_MAX_VARIANCE) or from a quantile search on the
 *   incomplete beta (a few evaluations, any n); ~10 µs per volume and level (100,000 units with distinct
 *   n and 10,000 grid points: ~1.5 s).
 *
 * @throws {StatsInputError} field `units` (empty, more than 100,000), `units.<i>` / `units.<i>.key` (missing,
 *   duplicate), `units.<i>.count` (negative, non-integer, > n), `units.<i>.n` (not an integer ≥ 1, above
 *   10¹²), `target` (not in (0, 1)), `limits` / `limits.<i>` (not in (0, 1), duplicates), `method`,
 *   `overdispersion`, `gridPoints`
 * @example
 * funnel({ units: [{ key: "A", count: 4, n: 100 }, { key: "B", count: 30, n: 200 }] }).units.map((u) => u.band)
 * // => ["below-95", "inside"]  (target 34/300 = 0.1133; A's exact 95 % limits at n = 100: 0.0503 to 0.1744)
 */
export function funnel(input: FunnelInput): FunnelResult {
  const record = requireRecord(input, "input");
  const units = parseUnits(record.units);
  const levels = parseLevels(record.limits);
  const method =
    record.method === undefined ? "exact" : requireOneOf(record.method, ["exact", "normal"], "method");
  const overdispersionMethod =
    record.overdispersion === undefined
      ? "none"
      : requireOneOf(record.overdispersion, ["none", "multiplicative"], "overdispersion");
  const gridPoints =
    record.gridPoints === undefined ? 100 : requirePositiveInteger(record.gridPoints, "gridPoints");
  if (gridPoints < 2 || gridPoints > 10_000) {
    throw new StatsInputError("gridPoints must be between 2 and 10000", "gridPoints");
  }
  const targetGiven = record.target !== undefined;
  let target: number;
  if (targetGiven) {
    target = requireFinite(record.target, "target");
    if (!(target > 0 && target < 1))
      throw new StatsInputError("target must be strictly between 0 and 1", "target");
  } else {
    target = compensatedSum(units.map((unit) => unit.count)) / compensatedSum(units.map((unit) => unit.n));
  }

  const notes: string[] = [];
  const degenerate = target === 0 || target === 1;
  if (degenerate) {
    notes.push(
      `the pooled rate is ${target}: there is no binomial variation, so the limits equal the target`,
    );
  }
  const z = units.map((unit) =>
    degenerate ? null : (unit.count / unit.n - target) / Math.sqrt((target * (1 - target)) / unit.n),
  );
  const overdispersion =
    overdispersionMethod === "multiplicative" ? multiplicativeOverdispersion(z, targetGiven, notes) : null;
  const widening = Math.sqrt(overdispersion?.phi ?? 1);

  const limitsAt = makeLimitCalculator(target, levels, method, widening, degenerate);
  const names = levels.map(levelName);
  const unitResults: FunnelUnitResult[] = units.map((unit, i) => {
    const rate = unit.count / unit.n;
    const limits = limitsAt(unit.n);
    let band: FunnelBand = "inside";
    for (let j = levels.length - 1; j >= 0; j--) {
      if (rate > limits[j].upper) band = `above-${names[j]}`;
      else if (rate < limits[j].lower) band = `below-${names[j]}`;
      else continue;
      break;
    }
    const result: FunnelUnitResult = {
      key: unit.key,
      count: unit.count,
      n: unit.n,
      rate,
      z: z[i],
      band,
      limits,
    };
    if (overdispersion?.applied) result.zAdjusted = z[i] === null ? null : z[i]! / widening;
    return result;
  });

  const grid = volumeGrid(units, gridPoints);
  const gridLimits = grid.map((n) => limitsAt(n));
  const curves: FunnelCurve[] = levels.map((level, j) => ({
    level,
    name: names[j],
    points: grid.map((n, g) => ({ n, lower: gridLimits[g][j].lower, upper: gridLimits[g][j].upper })),
  }));

  return {
    target,
    targetSource: targetGiven ? "given" : "pooled",
    method,
    limits: levels.map((level, j) => ({ level, name: names[j] })),
    units: unitResults,
    curves,
    overdispersion,
    notes,
  };
}

/** Most units a funnel takes (each costs a few limit computations and a sort entry). */
export const MAX_FUNNEL_UNITS = 100_000;

/**
 * Largest volume n of a unit: the service's documented limit for counts (10¹²). The limit computation itself
 * costs the same at any n and stays ordered up to 2^53; the bound keeps requests inside what is documented
 * and tested.
 */
export const MAX_FUNNEL_N = 1_000_000_000_000;

function parseUnits(value: unknown): FunnelUnitInput[] {
  const list = requireArray(value, "units");
  if (list.length === 0) throw new StatsInputError("funnel requires at least one unit", "units");
  if (list.length > MAX_FUNNEL_UNITS) {
    throw new StatsInputError(
      `funnel takes at most ${MAX_FUNNEL_UNITS.toLocaleString("en-US")} units (got ${list.length.toLocaleString("en-US")})`,
      "units",
    );
  }
  const seen = new Set<string | number>();
  return list.map((item, i) => {
    const unit = requireRecord(item, `units.${i}`);
    const keyField = `units.${i}.key`;
    if (typeof unit.key !== "string" && !(typeof unit.key === "number" && Number.isFinite(unit.key))) {
      throw new StatsInputError(`${keyField} must be a string or a number`, keyField);
    }
    if (seen.has(unit.key)) throw new StatsInputError(`${keyField} (${unit.key}) is a duplicate`, keyField);
    seen.add(unit.key);
    const n = requirePositiveInteger(unit.n, `units.${i}.n`);
    if (n > MAX_FUNNEL_N) {
      throw new StatsInputError(`units.${i}.n (${n}) must be at most 10^12 (1000000000000)`, `units.${i}.n`);
    }
    const count = requireNonNegativeInteger(unit.count, `units.${i}.count`);
    if (count > n) {
      throw new StatsInputError(
        `units.${i}.count (${count}) cannot exceed units.${i}.n (${n})`,
        `units.${i}.count`,
      );
    }
    return { key: unit.key, count, n };
  });
}

function parseLevels(value: unknown): number[] {
  if (value === undefined) return [0.95, 0.998];
  const list = requireArray(value, "limits");
  if (list.length === 0) throw new StatsInputError("limits needs at least one coverage level", "limits");
  const levels = list.map((item, i) => {
    const level = requireFinite(item, `limits.${i}`);
    // Tail probabilities below ~1e-15 are beyond the precision of the binomial window and of Φ⁻¹.
    if (!(level > 0 && level < 1 - 1e-12)) {
      throw new StatsInputError(`limits.${i} must be a coverage level in (0, 1 − 1e-12)`, `limits.${i}`);
    }
    return level;
  });
  const sorted = [...levels].sort((a, b) => a - b);
  const names = sorted.map(levelName);
  for (let j = 1; j < names.length; j++) {
    if (names[j] === names[j - 1]) throw new StatsInputError(`limits lists ${names[j]} % twice`, "limits");
  }
  return sorted;
}

/** 0.95 → "95", 0.998 → "99.8": the level in percent without binary rounding noise. */
function levelName(level: number): string {
  return String(Number((level * 100).toPrecision(10)));
}

function makeLimitCalculator(
  target: number,
  levels: number[],
  method: "exact" | "normal",
  widening: number,
  degenerate: boolean,
): (n: number) => FunnelLimit[] {
  const cache = new Map<number, FunnelLimit[]>();
  const tails = levels.map((level) => (1 - level) / 2);
  const zs = levels.map((level) => zCritical(level));
  const widen = (limit: number) => Math.min(1, Math.max(0, target + widening * (limit - target)));
  return (n) => {
    const cached = cache.get(n);
    if (cached) return cached;
    let limits: FunnelLimit[];
    if (degenerate) {
      limits = levels.map((level) => ({ level, lower: target, upper: target }));
    } else if (method === "exact" && n * target * (1 - target) <= WINDOW_MAX_VARIANCE) {
      const window = binomialWindow(n, target);
      limits = levels.map((level, j) => ({
        level,
        lower: widen(lowerBinomialLimit(window, n, tails[j])),
        upper: widen(upperBinomialLimit(window, n, tails[j])),
      }));
    } else if (method === "exact") {
      // Summing the pmf would cost √(nθ(1 − θ)) per volume (and memory to match: n = 10¹⁵ ran Node out of
      // heap); the quantile search on the incomplete beta costs the same for every n.
      limits = levels.map((level, j) => {
        const { lower, upper } = binomialQuantileLimits(n, target, tails[j]);
        return { level, lower: widen(lower), upper: widen(upper) };
      });
    } else {
      const standardError = Math.sqrt((target * (1 - target)) / n);
      limits = levels.map((level, j) => ({
        level,
        lower: Math.max(0, target - zs[j] * widening * standardError),
        upper: Math.min(1, target + zs[j] * widening * standardError),
      }));
    }
    cache.set(n, limits);
    return limits;
  };
}

function multiplicativeOverdispersion(
  z: (number | null)[],
  targetGiven: boolean,
  notes: string[],
): FunnelOverdispersion {
  const df = targetGiven ? z.length : z.length - 1;
  const undefinedResult: FunnelOverdispersion = {
    method: "multiplicative",
    phiEstimate: null,
    phi: 1,
    applied: false,
    statistic: null,
    df,
    p: null,
    winsorisedAt: null,
  };
  if (z.some((value) => value === null)) {
    notes.push("overdispersion is undefined when the target leaves no binomial variation");
    return undefinedResult;
  }
  if (z.length < 2) {
    notes.push("overdispersion needs at least two units");
    return undefinedResult;
  }
  const sorted = (z as number[]).slice().sort((a, b) => a - b);
  const lower = quantileType7(sorted, 0.1);
  const upper = quantileType7(sorted, 0.9);
  const winsorisedSquares = (z as number[]).map((value) => Math.min(upper, Math.max(lower, value)) ** 2);
  const statistic = compensatedSum(winsorisedSquares);
  const phiEstimate = statistic / z.length;
  const p = Math.min(1, Math.max(0, 1 - jStat.chisquare.cdf(statistic, df)));
  const applied = phiEstimate > 1;
  notes.push(
    applied
      ? `multiplicative overdispersion φ = ${phiEstimate.toPrecision(4)} (χ² p = ${p.toPrecision(2)}): limits widened by √φ = ${Math.sqrt(phiEstimate).toPrecision(4)}`
      : `winsorised φ = ${phiEstimate.toPrecision(4)} ≤ 1: no overdispersion adjustment`,
  );
  return {
    method: "multiplicative",
    phiEstimate,
    phi: applied ? phiEstimate : 1,
    applied,
    statistic,
    df,
    p,
    winsorisedAt: { lower, upper },
  };
}

/** R's default quantile (type 7): linear interpolation between order statistics at h = (I − 1)·prob. */
function quantileType7(sorted: number[], probability: number): number {
  const h = (sorted.length - 1) * probability;
  const below = Math.floor(h);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
}

function volumeGrid(units: FunnelUnitInput[], gridPoints: number): number[] {
  let smallest = units[0].n;
  let largest = units[0].n;
  for (const unit of units) {
    smallest = Math.min(smallest, unit.n);
    largest = Math.max(largest, unit.n);
  }
  const grid: number[] = [];
  const logRatio = Math.log(largest / smallest);
  for (let g = 0; g < gridPoints; g++) {
    const n =
      g === gridPoints - 1 ? largest : Math.round(smallest * Math.exp((logRatio * g) / (gridPoints - 1)));
    if (grid.length === 0 || n > grid[grid.length - 1]) grid.push(n);
  }
  return grid;
}
