import { zCritical } from "./critical.ts";
import { StatsInputError } from "./errors.ts";
import { wilsonInterval } from "./proportion-interval.ts";
import { assertStrataKeys } from "./strata.ts";
import { NeumaierSum } from "./sum.ts";

export interface StratumCounts {
  key: string;
  /** N_h, the stratum's size in the population. */
  size: number;
  /** n_h, the units audited (the sample actually observed). */
  audited: number;
  /** e_h, the audited units found wrong. */
  errors: number;
}

export interface StratifiedEstimateOptions {
  strata: StratumCounts[];
  confidence?: number;
}

export interface StratumEstimate extends StratumCounts {
  /** p̂_h, or null when nothing was audited. */
  rate: number | null;
  /** Wilson interval of p̂_h (null when nothing was audited). */
  lower: number | null;
  upper: number | null;
  /** W_h used in the estimate (re-normalised over the included strata); null when excluded. */
  weight: number | null;
  /** This stratum's term W_h²(1 − n_h/N_h)p̂_h(1 − p̂_h)/(n_h − 1) of the variance; null when excluded. */
  varianceTerm: number | null;
  included: boolean;
}

export interface StratifiedEstimate {
  /** p̂, or null when no stratum has 2 or more audited units. */
  rate: number | null;
  variance: number | null;
  standardError: number | null;
  /** Normal interval clipped to [0, 1]. */
  lower: number | null;
  upper: number | null;
  /** The interval before clipping. */
  unclippedLower: number | null;
  unclippedUpper: number | null;
  confidence: number;
  z: number;
  /** N = Σ N_h over all strata. */
  population: number;
  /** N_c = Σ N_h over the included strata. */
  coveredSize: number;
  /** N_c / N. */
  coverage: number;
  /** Σ n_h and Σ e_h over the included strata. */
  audited: number;
  errors: number;
  strata: StratumEstimate[];
  /** Keys of the strata left out (fewer than 2 audited units). */
  excluded: string[];
  warnings: string[];
}

/**
 * Stratified estimate of a population proportion from a stratified simple random sample without replacement
 * (Cochran 1977, §5.3 and §5A.2; Lohr, Sampling: Design and Analysis, §3.2).
 *
 * For strata h with size N_h, n_h audited units and e_h errors, p̂_h = e_h/n_h and
 *   p̂ = Σ W_h·p̂_h,  W_h = N_h / N,
 *   v̂(p̂) = Σ W_h²·(1 − n_h/N_h)·p̂_h(1 − p̂_h)/(n_h − 1),
 * with the normal interval p̂ ± z·√v̂, z = Φ⁻¹(1 − α/2), CLIPPED to [0, 1] (the unclipped ends are returned
 * too). Each stratum also gets its own Wilson interval (no finite-population correction).
 *
 * Strata with fewer than 2 audited units have no variance estimate (n_h − 1 ≤ 0). They are NOT silently
 * dropped: they are listed with `included: false` and a warning, and the estimate then describes the
 * included strata only, with the weights RE-NORMALISED over them: W_h = N_h / N_c, N_c = Σ_included N_h.
 * `coverage` = N_c / N says which share of the population the estimate speaks for (1 when nothing was
 * excluded, where the formulas above hold exactly as written).
 *
 * Complexity: O(H) for H strata.
 *
 * @throws {StatsInputError} "strata" (empty or not an array), `strata.<i>.key` (missing or duplicate),
 *   `strata.<i>.size` (not an integer ≥ 1), `strata.<i>.audited` (not an integer in [0, size]),
 *   `strata.<i>.errors` (not an integer in [0, audited]), "confidence"
 * @example
 * stratifiedEstimate({ strata: [
 *   { key: "a", size: 1000, audited: 50, errors: 5 },
 *   { key: "b", size: 3000, audited: 50, errors: 10 },
 * ] }).rate // => 0.175 (0.25·0.1 + 0.75·0.2)
 */
export function stratifiedEstimate(options: StratifiedEstimateOptions): StratifiedEstimate {
  const confidence = options.confidence ?? 0.95;
  const z = zCritical(confidence);
  const strata = options.strata;
  validate(strata);

  const population = strata.reduce((sum, s) => sum + s.size, 0);
  const included = strata.filter((s) => s.audited >= 2);
  const coveredSize = included.reduce((sum, s) => sum + s.size, 0);
  const excluded = strata.filter((s) => s.audited < 2).map((s) => s.key);
  const warnings: string[] = [];
  if (excluded.length > 0) {
    warnings.push(
      `${excluded.length} stratum/strata with fewer than 2 audited items excluded from the estimate ` +
        `(no variance estimate): ${excluded.join(", ")}. The estimate covers the other strata ` +
        `(${coveredSize} of ${population} decisions), with weights re-normalised over them.`,
    );
  }

  const rate = new NeumaierSum();
  const variance = new NeumaierSum();
  const rows: StratumEstimate[] = strata.map((s) => {
    const p = s.audited > 0 ? s.errors / s.audited : null;
    const wilson = s.audited > 0 ? wilsonInterval(s.errors, s.audited, z) : null;
    let weight: number | null = null;
    let varianceTerm: number | null = null;
    if (s.audited >= 2) {
      weight = s.size / coveredSize;
      const fpc = 1 - s.audited / s.size;
      varianceTerm = (weight * weight * fpc * p! * (1 - p!)) / (s.audited - 1);
      rate.add(weight * p!);
      variance.add(varianceTerm);
    }
    return {
      ...s,
      rate: p,
      lower: wilson?.lower ?? null,
      upper: wilson?.upper ?? null,
      weight,
      varianceTerm,
      included: s.audited >= 2,
    };
  });

  const audited = included.reduce((sum, s) => sum + s.audited, 0);
  const errors = included.reduce((sum, s) => sum + s.errors, 0);
  const base = {
    confidence,
    z,
    population,
    coveredSize,
    coverage: population > 0 ? coveredSize / population : 0,
    audited,
    errors,
    strata: rows,
    excluded,
    warnings,
  };
  if (included.length === 0) {
    warnings.push("no stratum has 2 or more audited items: there is no estimate yet");
    return {
      rate: null,
      variance: null,
      standardError: null,
      lower: null,
      upper: null,
      unclippedLower: null,
      unclippedUpper: null,
      ...base,
    };
  }
  const p = rate.value();
  const v = Math.max(0, variance.value());
  const se = Math.sqrt(v);
  if (v === 0) {
    warnings.push(
      "the estimated variance is 0 (every included stratum is fully audited or has a rate of 0 or 1): " +
        "the normal interval is a single point; see each stratum's Wilson interval",
    );
  }
  return {
    rate: p,
    variance: v,
    standardError: se,
    lower: Math.max(0, p - z * se),
    upper: Math.min(1, p + z * se),
    unclippedLower: p - z * se,
    unclippedUpper: p + z * se,
    ...base,
  };
}

function validate(strata: StratumCounts[]): void {
  assertStrataKeys(strata);
  strata.forEach((s, i) => {
    if (!(Number.isSafeInteger(s.size) && s.size >= 1)) {
      throw new StatsInputError(`strata[${i}].size must be an integer ≥ 1`, `strata.${i}.size`);
    }
    if (!(Number.isSafeInteger(s.audited) && s.audited >= 0 && s.audited <= s.size)) {
      throw new StatsInputError(
        `strata[${i}].audited must be an integer between 0 and the stratum size`,
        `strata.${i}.audited`,
      );
    }
    if (!(Number.isSafeInteger(s.errors) && s.errors >= 0 && s.errors <= s.audited)) {
      throw new StatsInputError(
        `strata[${i}].errors must be an integer between 0 and audited`,
        `strata.${i}.errors`,
      );
    }
  });
}
