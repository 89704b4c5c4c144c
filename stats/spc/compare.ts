import { assertConfidence, twoSidedNormalP, zCritical } from "../critical.ts";
import { StatsInputError } from "../errors.ts";
import { fisherExactTwoSided } from "./fisher-exact.ts";
import { newcombeDifferenceInterval } from "./newcombe.ts";
import {
  requireFinite,
  requireNonNegativeInteger,
  requirePositiveInteger,
  requireRecord,
} from "./validate.ts";

export interface CompareInput {
  a: { count: number; n: number };
  b: { count: number; n: number };
  /** Confidence level of the interval, in (0, 1), default 0.95. */
  confidence?: number;
}

export interface CompareResult {
  a: { count: number; n: number; proportion: number };
  b: { count: number; n: number; proportion: number };
  /** p_b − p_a. */
  difference: number;
  /** Newcombe's hybrid score interval for the difference (method 10). */
  lower: number;
  upper: number;
  confidence: number;
  /** Pooled two-proportion z (SE under H0); null when both groups are all 0 or all 1 (see undefinedReason). */
  z: number | null;
  /** Two-sided normal p of z; null with z. */
  p: number | null;
  /** Fisher's exact two-sided p (R fisher.test / scipy fisher_exact); null past FISHER_MAX_SUPPORT tables. */
  fisherP: number | null;
  fisherUndefinedReason?: string;
  undefinedReason?: string;
}

/**
 * Before/after (or group a vs b) comparison of two proportions for `POST /v1/compare`:
 * - difference = x_b/n_b − x_a/n_a with Newcombe's hybrid score interval (Newcombe 1998 method 10,
 *   from the two Wilson intervals; see newcombeDifferenceInterval);
 * - pooled two-proportion z test: p̄ = (x_a + x_b)/(n_a + n_b), z = difference/√(p̄(1 − p̄)(1/n_a + 1/n_b))
 *   (SE under H0), p = 2(1 − Φ(|z|));
 * - Fisher's exact two-sided p (sum of tables no more probable than the observed, R's 1e-7 tolerance).
 *
 * Complexity O(min(n_a, n_b, x_a + x_b)) for Fisher's test, which is skipped (null, with a reason) past
 * FISHER_MAX_SUPPORT tables; O(1) otherwise.
 *
 * @throws {StatsInputError} field `a`, `b` (not objects), `a.count`, `b.count` (negative, non-integer, > n),
 *   `a.n`, `b.n` (not an integer ≥ 1), `confidence` (not in (0, 1))
 * @example
 * compare({ a: { count: 48, n: 80 }, b: { count: 56, n: 70 } })
 * // => { difference: 0.2, lower: 0.0524…, upper: 0.3339…, z: 2.6502…, p: 0.008045…, fisherP: 0.012521…, … }
 */
/** Largest number of tables Fisher's test enumerates (time and memory are linear in it: ~0.3 s, 80 MB). */
export const FISHER_MAX_SUPPORT = 10_000_000;

export function compare(input: CompareInput): CompareResult {
  const record = requireRecord(input, "input");
  const a = parseGroup(record.a, "a");
  const b = parseGroup(record.b, "b");
  const confidence = record.confidence === undefined ? 0.95 : requireFinite(record.confidence, "confidence");
  assertConfidence(confidence);

  const interval = newcombeDifferenceInterval(b.count, b.n, a.count, a.n, zCritical(confidence));
  const pooled = (a.count + b.count) / (a.n + b.n);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  const result: CompareResult = {
    a: { ...a, proportion: a.count / a.n },
    b: { ...b, proportion: b.count / b.n },
    difference: interval.difference,
    lower: interval.lower,
    upper: interval.upper,
    confidence,
    z: null,
    p: null,
    fisherP: null,
  };
  const support = Math.min(a.n, a.count + b.count, b.n, a.n + b.n - a.count - b.count) + 1;
  if (support <= FISHER_MAX_SUPPORT) result.fisherP = fisherExactTwoSided(a.count, a.n, b.count, b.n);
  else {
    result.fisherUndefinedReason = `Fisher's exact test sums over ${support} tables here (more than ${FISHER_MAX_SUPPORT}); at this size use the z test, which the exact test agrees with`;
  }
  if (standardError > 0) {
    result.z = interval.difference / standardError;
    result.p = twoSidedNormalP(result.z);
  } else {
    result.undefinedReason = `both groups have a proportion of ${pooled}: the pooled standard error is 0, so z is undefined`;
  }
  return result;
}

function parseGroup(value: unknown, field: "a" | "b"): { count: number; n: number } {
  const group = requireRecord(value, field);
  const n = requirePositiveInteger(group.n, `${field}.n`);
  const count = requireNonNegativeInteger(group.count, `${field}.count`);
  if (count > n)
    throw new StatsInputError(`${field}.count (${count}) cannot exceed ${field}.n (${n})`, `${field}.count`);
  return { count, n };
}
