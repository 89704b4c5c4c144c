import { StatsInputError } from "../errors.ts";

/**
 * Runtime checks for JSON-shaped input to the control-chart, funnel and comparison routes.
 * Each throws StatsInputError naming the offending field as a JSON path (e.g. `points.3.count`),
 * so the HTTP layer can answer 400 without re-validating.
 */

/**
 * Requires a plain JSON object. O(1).
 * @throws {StatsInputError} `${field} must be an object`
 * @example requireRecord({ a: 1 }, "input") // => { a: 1 }
 */
export function requireRecord(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new StatsInputError(`${field} must be an object`, field);
  }
  return value as Record<string, unknown>;
}

/**
 * Requires an array. O(1).
 * @throws {StatsInputError} `${field} must be an array`
 * @example requireArray([1], "points") // => [1]
 */
export function requireArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new StatsInputError(`${field} must be an array`, field);
  return value;
}

/**
 * Requires a finite number (not NaN, not ±∞, not a numeric string). O(1).
 * @throws {StatsInputError} `${field} must be a finite number`
 * @example requireFinite(2.5, "standard") // => 2.5
 */
export function requireFinite(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new StatsInputError(`${field} must be a finite number`, field);
  }
  return value;
}

/**
 * Requires an integer ≥ 0 (a count). O(1).
 * @throws {StatsInputError} `${field} must be a non-negative integer`
 * @example requireNonNegativeInteger(3, "points.0.count") // => 3
 */
export function requireNonNegativeInteger(value: unknown, field: string): number {
  const number = requireFinite(value, field);
  if (!Number.isInteger(number) || number < 0) {
    throw new StatsInputError(`${field} must be a non-negative integer`, field);
  }
  return number;
}

/**
 * Requires an integer ≥ 1 (a sample size). O(1).
 * @throws {StatsInputError} `${field} must be an integer ≥ 1`
 * @example requirePositiveInteger(50, "points.0.n") // => 50
 */
export function requirePositiveInteger(value: unknown, field: string): number {
  const number = requireFinite(value, field);
  if (!Number.isInteger(number) || number < 1) {
    throw new StatsInputError(`${field} must be an integer ≥ 1`, field);
  }
  return number;
}

/**
 * Requires a finite number > 0. O(1).
 * @throws {StatsInputError} `${field} must be greater than 0`
 * @example requirePositive(2.5, "points.0.n") // => 2.5
 */
export function requirePositive(value: unknown, field: string): number {
  const number = requireFinite(value, field);
  if (!(number > 0)) throw new StatsInputError(`${field} must be greater than 0`, field);
  return number;
}

/**
 * Requires an integer index into a series of `length` items: 0 ≤ index < length. O(1).
 * @throws {StatsInputError} `${field} (…) is outside the series (0 to length − 1)`
 * @example requireIndex(3, 10, "exclude.0") // => 3
 */
export function requireIndex(value: unknown, length: number, field: string): number {
  const index = requireNonNegativeInteger(value, field);
  if (index >= length) {
    throw new StatsInputError(`${field} (${index}) is outside the series (0 to ${length - 1})`, field);
  }
  return index;
}

/**
 * Requires one of the allowed strings. O(k) for k allowed values.
 * @throws {StatsInputError} `${field} must be one of …`
 * @example requireOneOf("p", ["p", "c"], "type") // => "p"
 */
export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== "string" || !allowed.includes(value as T)) {
    throw new StatsInputError(`${field} must be one of ${allowed.join(", ")}`, field);
  }
  return value as T;
}

/**
 * Rejects properties that would be silently ignored (typos such as `lamda`). O(k·a).
 * @throws {StatsInputError} `unknown property …` with field = the property's path
 * @example rejectUnknownKeys({ from: 1 }, ["from", "to"], "baseline") // no error
 */
export function rejectUnknownKeys(
  record: Record<string, unknown>,
  allowed: readonly string[],
  field: string,
) {
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) {
      const path = field === "" ? key : `${field}.${key}`;
      throw new StatsInputError(`unknown property ${path} (allowed: ${allowed.join(", ")})`, path);
    }
  }
}
