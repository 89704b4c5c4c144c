import { StatsInputError } from "./errors.ts";

/**
 * Checks the part every stratified computation shares: a non-empty array of strata whose keys are
 * non-empty and unique. Each caller then checks its own per-stratum numbers.
 *
 * Complexity: O(strata).
 *
 * @throws {StatsInputError} field `strata` (not a non-empty array) or `strata.<i>.key` (missing, blank, repeated)
 * @example
 * assertStrataKeys([{ key: "hate" }, { key: "spam" }]) // => undefined (no error)
 */
export function assertStrataKeys(strata: readonly { key: unknown }[]): void {
  if (!Array.isArray(strata) || strata.length === 0) {
    throw new StatsInputError("strata must be a non-empty array", "strata");
  }
  const seen = new Set<string>();
  strata.forEach((s, i) => {
    if (typeof s?.key !== "string" || s.key === "") {
      throw new StatsInputError(`strata[${i}].key must be a non-empty string`, `strata.${i}.key`);
    }
    if (seen.has(s.key)) throw new StatsInputError(`duplicate stratum key '${s.key}'`, `strata.${i}.key`);
    seen.add(s.key);
  });
}
