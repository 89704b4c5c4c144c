import { StatsInputError } from "../errors.ts";
import { type EncodedRatings, encodeRatings, type Label, type RatingsMatrix } from "./encode.ts";

/** The ratings part of every agreement request body. */
export interface RatingsInput {
  /** One row per item, one column per rater; null = missing. */
  ratings: RatingsMatrix;
  /** Rater names, one per column (default "r1", "r2", …). */
  raters?: readonly string[];
  /** Category order (default: observed labels, numbers numerically then strings by code point). */
  categories?: readonly Label[];
}

export interface ParsedRatings {
  encoded: EncodedRatings;
  raterNames: string[];
}

/**
 * Validates the shared `ratings` / `raters` / `categories` fields of a request body and encodes the matrix.
 * The number of raters is `raters.length` when names are given, else the length of the first row.
 *
 * Complexity: O(items · raters).
 *
 * @throws {StatsInputError} when the body is not an object (field `body`), `raters` is not an array of
 *   distinct strings (`raters` / `raters.j`), or the matrix is invalid (see `encodeRatings`)
 * @example
 * parseRatingsInput({ ratings: [["a", "b"]] }).raterNames // => ["r1", "r2"]
 */
export function parseRatingsInput(input: RatingsInput): ParsedRatings {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new StatsInputError("the request body must be an object with a ratings matrix", "body");
  }
  let raterNames: string[] | null = null;
  if (input.raters !== undefined) {
    if (!Array.isArray(input.raters)) throw new StatsInputError("raters must be an array of names", "raters");
    const seen = new Set<string>();
    input.raters.forEach((name, j) => {
      if (typeof name !== "string") throw new StatsInputError(`raters.${j} must be a string`, `raters.${j}`);
      if (seen.has(name))
        throw new StatsInputError(`raters.${j} repeats ${JSON.stringify(name)}`, `raters.${j}`);
      seen.add(name);
    });
    raterNames = [...input.raters];
    if (raterNames.length < 2) {
      throw new StatsInputError(`agreement requires at least two raters, got ${raterNames.length}`, "raters");
    }
  }
  const encoded = encodeRatings(input.ratings, {
    categories: input.categories ?? undefined,
    raterCount: raterNames?.length,
  });
  return {
    encoded,
    raterNames: raterNames ?? Array.from({ length: encoded.raterCount }, (_, j) => `r${j + 1}`),
  };
}
