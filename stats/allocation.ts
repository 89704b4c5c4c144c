import { StatsInputError } from "./errors.ts";
import { floorTolerant, sampleSizeEstimate } from "./sample-size-estimate.ts";
import { assertStrataKeys } from "./strata.ts";
import { compensatedSum } from "./sum.ts";

/**
 * Stratified allocation of a sample total across strata (Cochran 1977, §5.5 proportional, §5.9 Neyman).
 *
 * Weights: `proportional` N_h; `neyman` N_h·√(p_h(1 − p_h)) with p_h = expectedRate (default 0.5);
 * `equal` 1 for every non-empty stratum. Strata of size 0 always get 0.
 *
 * Rules, in order:
 * 1. The total is `total`, or else derived with {@link sampleSizeEstimate} (wald, finite-population
 *    correction) from `confidence`/`margin` over N = Σ N_h and `expectedRate` (default 0.5).
 * 2. total > Σ N_h: every unit is taken (n_h = N_h), with a note.
 * 3. Minimum m_h = min(minPerStratum, N_h). Σ m_h > total: the total is RAISED to Σ m_h, with a note (the
 *    minimum is usually a coverage rule the QA lead set on purpose, so it wins over the total).
 * 4. Continuous quotas a_h = clamp(λ·w_h, m_h, N_h) with λ such that Σ a_h = total: a stratum that would get
 *    more than it holds is capped and its excess goes to the others in proportion to their weights,
 *    iteratively (see {@link allocationQuotas}). Neyman with every weight 0 (all p_h ∈ {0, 1}) falls back to
 *    proportional, with a note; if the positive-weight strata are all full, the rest goes to the zero-weight
 *    strata proportionally, with a note.
 * 5. Integers by largest remainder (Hamilton): ⌊a_h⌋ each, then +1 to the largest remainders until the
 *    total is reached; ties (within 1e-9) go to the earlier stratum in the input.
 *
 * Complexity: O(H log H) for H strata, O(H²) at worst when many strata hit their cap or minimum one by one.
 */
export type AllocationMethod = "proportional" | "neyman" | "equal";
export const ALLOCATION_METHODS: readonly AllocationMethod[] = Object.freeze([
  "proportional",
  "neyman",
  "equal",
]);

export interface Stratum {
  key: string;
  size: number;
  expectedRate?: number;
}

export interface AllocationOptions {
  strata: Stratum[];
  method: AllocationMethod;
  total?: number;
  confidence?: number;
  margin?: number;
  /** Rate used to derive the total from the margin (default 0.5); per-stratum rates drive Neyman weights. */
  expectedRate?: number;
  minPerStratum?: number;
}

/** A note about an allocation, machine-readable: a stable code, its parameters, and the English text of `notes`. */
export interface AllocationNotice {
  code:
    | "total_exceeds_population"
    | "total_raised_to_minimums"
    | "neyman_weights_zero"
    | "rest_to_zero_weight"
    | "total_and_margin"
    | "empty_strata"
    | "total_derived"
    | "degenerate_rate";
  params: Record<string, number | string>;
  message: string;
}

export interface Allocation {
  total: number;
  method: AllocationMethod;
  strata: { key: string; size: number; n: number }[];
  /** The notes' English texts (also in `notices`, one for one, with their codes). */
  notes: string[];
  notices: AllocationNotice[];
}

/** Collects notes as texts and as notices, in the same order. */
class Notes {
  readonly texts: string[] = [];
  readonly notices: AllocationNotice[] = [];
  add(code: AllocationNotice["code"], params: AllocationNotice["params"], message: string): void {
    this.texts.push(message);
    this.notices.push({ code, params, message });
  }
}

/**
 * @throws {StatsInputError} "strata" (empty or not an array), `strata.<i>.key` (missing or duplicate),
 *   `strata.<i>.size` (not a non-negative integer), `strata.<i>.expectedRate` (not in [0, 1]), "method",
 *   "total" (neither total nor margin, or not a non-negative integer), "minPerStratum", and whatever
 *   {@link sampleSizeEstimate} rejects when the total is derived ("margin", "confidence", "expectedRate").
 * @example
 * allocate({ strata: [{ key: "a", size: 600 }, { key: "b", size: 400 }], method: "proportional", total: 100 })
 * // => { total: 100, strata: [{ key: "a", size: 600, n: 60 }, { key: "b", size: 400, n: 40 }], notes: [] , ... }
 */
export function allocate(options: AllocationOptions): Allocation {
  const { strata, method } = options;
  const minPerStratum = options.minPerStratum ?? 0;
  validateStrata(strata);
  if (!ALLOCATION_METHODS.includes(method)) {
    throw new StatsInputError(`method must be one of ${ALLOCATION_METHODS.join(", ")}`, "method");
  }
  if (!(Number.isInteger(minPerStratum) && minPerStratum >= 0)) {
    throw new StatsInputError("minPerStratum must be a non-negative integer", "minPerStratum");
  }

  const notes = new Notes();
  const sizes = strata.map((s) => s.size);
  const population = sizes.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(population)) {
    throw new StatsInputError("the strata sizes add up to more than 2^53 − 1", "strata");
  }
  let total = resolveTotal(options, population, notes);

  if (total >= population) {
    if (total > population) {
      notes.add(
        "total_exceeds_population",
        { total, population },
        `total ${total} exceeds the population Σ N_h = ${population}: every unit is taken`,
      );
    }
    return result(population, method, strata, sizes, notes);
  }

  const minimums = sizes.map((size) => Math.min(minPerStratum, size));
  const minimumSum = minimums.reduce((a, b) => a + b, 0);
  if (minimumSum > total) {
    notes.add(
      "total_raised_to_minimums",
      { total, minimum: minimumSum },
      `total ${total} is below the sum of the per-stratum minimums (${minimumSum}); raised to ${minimumSum}`,
    );
    total = minimumSum;
  }

  let weights = allocationWeights(strata, method);
  if (method === "neyman" && population > 0 && weights.every((w) => w === 0)) {
    notes.add(
      "neyman_weights_zero",
      {},
      "every stratum has expectedRate 0 or 1, so all Neyman weights are 0: allocated proportionally",
    );
    weights = sizes.slice();
  }
  const quotas = allocationQuotas(total, weights, minimums, sizes);
  const unassigned = total - compensatedSum(quotas);
  if (unassigned > 1e-9 * Math.max(1, total)) {
    // Every stratum with a positive weight is full: the rest goes to the zero-weight strata by size.
    notes.add(
      "rest_to_zero_weight",
      { method, units: Math.round(unassigned) },
      `the strata with a positive ${method} weight cannot hold the total; the remaining ` +
        `${Math.round(unassigned)} units are allocated proportionally among the zero-weight strata`,
    );
    const rest = allocationQuotas(
      total,
      weights.map((w, h) => (w > 0 ? 0 : sizes[h])),
      quotas,
      sizes,
    );
    return result(total, method, strata, largestRemainder(total, rest, sizes), notes);
  }
  return result(total, method, strata, largestRemainder(total, quotas, sizes), notes);
}

function result(
  total: number,
  method: AllocationMethod,
  strata: Stratum[],
  n: number[],
  notes: Notes,
): Allocation {
  return {
    total,
    method,
    strata: strata.map((s, h) => ({ key: s.key, size: s.size, n: n[h] })),
    notes: notes.texts,
    notices: notes.notices,
  };
}

function validateStrata(strata: Stratum[]): void {
  assertStrataKeys(strata);
  strata.forEach((s, i) => {
    if (!(Number.isSafeInteger(s.size) && s.size >= 0)) {
      throw new StatsInputError(`strata[${i}].size must be a non-negative integer`, `strata.${i}.size`);
    }
    const p = s.expectedRate;
    if (p !== undefined && !(typeof p === "number" && p >= 0 && p <= 1)) {
      throw new StatsInputError(
        `strata[${i}].expectedRate must be between 0 and 1`,
        `strata.${i}.expectedRate`,
      );
    }
  });
}

function resolveTotal(options: AllocationOptions, population: number, notes: Notes): number {
  const { total, margin } = options;
  if (total !== undefined) {
    if (!(Number.isSafeInteger(total) && total >= 0)) {
      throw new StatsInputError("total must be a non-negative integer", "total");
    }
    if (margin !== undefined) {
      notes.add("total_and_margin", {}, "both total and margin were given: the total is used");
    }
    return total;
  }
  if (margin === undefined) {
    throw new StatsInputError("give either total or margin (with confidence) to size the sample", "total");
  }
  if (population === 0) {
    notes.add("empty_strata", {}, "every stratum is empty: nothing to sample");
    return 0;
  }
  const estimate = sampleSizeEstimate({
    confidence: options.confidence,
    margin,
    expectedRate: options.expectedRate,
    population,
  });
  notes.add(
    "total_derived",
    {
      n: estimate.n,
      margin,
      confidence: estimate.confidence,
      population,
      expectedRate: estimate.expectedRate,
    },
    `total ${estimate.n} derived for ±${margin} at ${estimate.confidence} confidence over N = ${population} ` +
      `(Cochran with finite-population correction, expectedRate ${estimate.expectedRate})`,
  );
  if (estimate.note) notes.add("degenerate_rate", {}, estimate.note);
  return estimate.n;
}

/** Allocation weights per stratum (0 for empty strata). */
export function allocationWeights(strata: Stratum[], method: AllocationMethod): number[] {
  return strata.map((s) => {
    if (s.size === 0) return 0;
    if (method === "equal") return 1;
    if (method === "proportional") return s.size;
    const p = s.expectedRate ?? 0.5;
    return s.size * Math.sqrt(p * (1 - p));
  });
}

/**
 * Continuous quotas a_h = clamp(λ·w_h, lower_h, upper_h) with Σ a_h = total, for lower_h ≤ upper_h and
 * Σ lower_h ≤ total. Strata with w_h = 0 stay at lower_h; if the positive-weight strata are all at their
 * upper bounds the sum falls short of the total (the caller handles that).
 *
 * Iteration: give the free strata R·w_h/Σw (R = what the fixed ones leave); if some exceed their cap or fall
 * below their minimum, fix the side with the larger violation. That side is right to fix: if the excess
 * above caps ≥ the shortfall below minimums, Σ clamp(λw) ≤ total at the current λ, so the final λ* ≥ λ and
 * every stratum over its cap now is over it at λ* too (symmetrically for minimums). Each round fixes ≥ 1
 * stratum: at most H rounds, O(H²) worst case, O(H) typically.
 */
export function allocationQuotas(
  total: number,
  weights: number[],
  lower: number[],
  upper: number[],
): number[] {
  const quotas = lower.slice();
  const free = new Set<number>();
  weights.forEach((w, h) => {
    if (w > 0 && upper[h] > lower[h]) free.add(h);
  });
  while (free.size > 0) {
    let fixedSum = 0;
    for (let h = 0; h < quotas.length; h++) if (!free.has(h)) fixedSum += quotas[h];
    const remaining = total - fixedSum;
    let weightSum = 0;
    for (const h of free) weightSum += weights[h];
    let excess = 0;
    let shortfall = 0;
    for (const h of free) {
      quotas[h] = (remaining * weights[h]) / weightSum;
      if (quotas[h] > upper[h]) excess += quotas[h] - upper[h];
      else if (quotas[h] < lower[h]) shortfall += lower[h] - quotas[h];
    }
    if (excess === 0 && shortfall === 0) break;
    for (const h of [...free]) {
      if (excess >= shortfall ? quotas[h] >= upper[h] : quotas[h] <= lower[h]) {
        quotas[h] = excess >= shortfall ? upper[h] : lower[h];
        free.delete(h);
      }
    }
  }
  return quotas;
}

/**
 * Largest-remainder rounding of quotas (each within [0, cap_h]) to integers summing to `total`.
 * Ties in the remainder (within 1e-9) go to the stratum earlier in the input. O(H log H).
 */
export function largestRemainder(total: number, quotas: number[], caps: number[]): number[] {
  const n = quotas.map((a, h) => Math.min(caps[h], floorTolerant(a)));
  let missing = total - n.reduce((a, b) => a + b, 0);
  const order = quotas
    .map((a, h) => ({ h, remainder: a - n[h] }))
    .sort((x, y) => (Math.abs(y.remainder - x.remainder) > 1e-9 ? y.remainder - x.remainder : x.h - y.h));
  for (const { h } of order) {
    if (missing <= 0) break;
    if (n[h] < caps[h]) {
      n[h] += 1;
      missing -= 1;
    }
  }
  return n;
}
