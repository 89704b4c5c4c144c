import { StatsInputError } from "../errors.ts";

/** A rating label: a category name or a numeric score. `1` and `"1"` are different labels. */
export type Label = string | number;

/** One row per item, one column per rater; `null` = the rater did not rate the item. */
export type RatingsMatrix = readonly (readonly (Label | null)[])[];

/**
 * A ratings matrix encoded once into typed arrays; every agreement coefficient is computed from this.
 * Memory is proportional to the input: 4·(items·raters + items·categories + items) bytes.
 */
export interface EncodedRatings {
  /** Rows of the input, including rows nobody rated. */
  readonly itemCount: number;
  readonly raterCount: number;
  /** Category order used for codes, weights and ordinal distances. */
  readonly categories: readonly Label[];
  /** itemCount × raterCount, row-major: the category code (index into `categories`) or −1 for missing. */
  readonly codes: Int32Array;
  /** itemCount × categories.length, row-major: how many raters gave item i category k (r_ik). */
  readonly counts: Int32Array;
  /** Number of ratings of each item (r_i = Σ_k r_ik). */
  readonly ratingsPerItem: Int32Array;
}

/**
 * Most categories (declared or discovered) a matrix may have. Weights, the pairwise tables and the coincidence
 * matrix are q × q and the count table items × q, so q bounds every coefficient's cost; a discovered 201st
 * label is refused as it is read, before any of that work.
 */
export const MAX_CATEGORIES = 200;

/** Longest string label, in UTF-16 code units (as JavaScript and zod count `length`). */
export const MAX_LABEL_LENGTH = 200;

export interface EncodeOptions {
  /** Allowed labels in their order. When absent: the distinct observed labels, sorted by `compareLabels`. */
  categories?: readonly Label[];
  /** Number of columns every row must have. When absent: the length of the first row. */
  raterCount?: number;
}

/**
 * Orders labels for weights and ordinal distances when no `categories` are given: numbers first, in numeric
 * order, then strings by Unicode code point (not by locale and not by UTF-16 code unit, so the order is the
 * same everywhere). R's `sort` (used by irr and irrCAC) agrees for numbers and for ASCII strings of one case.
 *
 * @example
 * ["b", 10, "B", 2].sort(compareLabels) // => [2, 10, "B", "b"]
 */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === "number") return typeof b === "number" ? a - b : -1;
  if (typeof b === "number") return 1;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

export function isLabel(value: unknown): value is Label {
  return typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}

/**
 * Validates a ratings matrix and encodes it into category codes plus per-item count tables
 * (see `EncodedRatings`). Two passes: labels are looked up once in a Map while reading the rows, then the
 * provisional codes (first-seen order) are renumbered into category order and counted in the Int32Arrays.
 *
 * Complexity: O(items · raters) time (one Map lookup per rating), O(items · (raters + categories)) memory.
 *
 * @throws {StatsInputError} when a row is not an array or has the wrong length (field `ratings.i.j`, j = the
 *   first missing or extra column), a cell is not a string, a finite number or null (`ratings.i.j`), a label
 *   is not among `categories` (`ratings.i.j`), a string label is longer than MAX_LABEL_LENGTH (`ratings.i.j`),
 *   the ratings hold more than MAX_CATEGORIES distinct labels (`ratings.i.j` of the first label past the
 *   limit), `categories` is empty, longer than MAX_CATEGORIES, or repeats or holds a bad label
 *   (`categories` / `categories.k`), or there are fewer than two raters (`ratings.0`).
 * @example
 * encodeRatings([["spam", "ok"], ["ok", null]])
 * // => { itemCount: 2, raterCount: 2, categories: ["ok", "spam"], codes: Int32Array [1, 0, 0, -1],
 * //      counts: Int32Array [1, 1, 1, 0], ratingsPerItem: Int32Array [2, 1] }
 */
export function encodeRatings(ratings: RatingsMatrix, options: EncodeOptions = {}): EncodedRatings {
  if (!Array.isArray(ratings)) throw new StatsInputError("ratings must be an array of rows", "ratings");
  const itemCount = ratings.length;
  const raterCount =
    options.raterCount ?? (itemCount > 0 && Array.isArray(ratings[0]) ? ratings[0].length : 0);
  if (raterCount < 2) {
    throw new StatsInputError(
      `agreement requires at least two raters (columns), got ${raterCount}`,
      itemCount > 0 ? "ratings.0" : "ratings",
    );
  }

  const fixedCategories = options.categories !== undefined;
  const codeOf = new Map<Label, number>();
  const firstSeen: Label[] = [];
  if (options.categories !== undefined) registerCategories(options.categories, codeOf, firstSeen);

  const codes = new Int32Array(itemCount * raterCount);
  // Moderation data repeat one label most of the time: comparing with the previous label skips most Map lookups.
  let previousLabel: Label | null = null;
  let previousCode = -1;
  for (let i = 0; i < itemCount; i++) {
    const row = ratings[i];
    if (!Array.isArray(row)) throw new StatsInputError(`ratings row ${i} must be an array`, `ratings.${i}`);
    if (row.length !== raterCount) {
      const column = Math.min(row.length, raterCount);
      throw new StatsInputError(
        `ratings row ${i} has ${row.length} entries but there are ${raterCount} raters (ragged matrix)`,
        `ratings.${i}.${column}`,
      );
    }
    const offset = i * raterCount;
    for (let j = 0; j < raterCount; j++) {
      const label = row[j];
      if (label === null) {
        codes[offset + j] = -1;
        continue;
      }
      if (label === previousLabel) {
        codes[offset + j] = previousCode;
        continue;
      }
      let code = codeOf.get(label);
      if (code === undefined) {
        const field = `ratings.${i}.${j}`;
        if (!isLabel(label)) {
          throw new StatsInputError(`rating at ${field} must be a string, a finite number or null`, field);
        }
        if (fixedCategories) {
          throw new StatsInputError(
            `rating ${JSON.stringify(label).slice(0, 100)} at ${field} is not one of categories`,
            field,
          );
        }
        if (typeof label === "string" && label.length > MAX_LABEL_LENGTH) {
          throw new StatsInputError(
            `rating at ${field} is longer than ${MAX_LABEL_LENGTH} characters (${label.length})`,
            field,
          );
        }
        if (firstSeen.length === MAX_CATEGORIES) {
          throw new StatsInputError(
            `the ratings hold more than ${MAX_CATEGORIES} distinct labels: at most ${MAX_CATEGORIES} categories ` +
              `are allowed; the first label past the limit, ${JSON.stringify(label).slice(0, 100)}, is at ${field}`,
            field,
          );
        }
        code = firstSeen.length;
        codeOf.set(label, code);
        firstSeen.push(label);
      }
      codes[offset + j] = code;
      previousLabel = label;
      previousCode = code;
    }
  }

  const categories = fixedCategories ? firstSeen : [...firstSeen].sort(compareLabels);
  const renumber = new Int32Array(firstSeen.length);
  for (let k = 0; k < categories.length; k++) renumber[codeOf.get(categories[k])!] = k;

  const categoryCount = categories.length;
  const counts = new Int32Array(itemCount * categoryCount);
  const ratingsPerItem = new Int32Array(itemCount);
  for (let i = 0; i < itemCount; i++) {
    const offset = i * raterCount;
    const countOffset = i * categoryCount;
    let rated = 0;
    for (let j = 0; j < raterCount; j++) {
      const provisional = codes[offset + j];
      if (provisional < 0) continue;
      const code = fixedCategories ? provisional : renumber[provisional];
      codes[offset + j] = code;
      counts[countOffset + code]++;
      rated++;
    }
    ratingsPerItem[i] = rated;
  }
  return { itemCount, raterCount, categories, codes, counts, ratingsPerItem };
}

function registerCategories(
  categories: readonly Label[],
  codeOf: Map<Label, number>,
  ordered: Label[],
): void {
  if (!Array.isArray(categories) || categories.length === 0) {
    throw new StatsInputError("categories must be a non-empty array of labels", "categories");
  }
  if (categories.length > MAX_CATEGORIES) {
    throw new StatsInputError(
      `categories has ${categories.length} labels; at most ${MAX_CATEGORIES} categories`,
      "categories",
    );
  }
  for (let k = 0; k < categories.length; k++) {
    const label = categories[k];
    if (!isLabel(label)) {
      throw new StatsInputError(`categories.${k} must be a string or a finite number`, `categories.${k}`);
    }
    if (typeof label === "string" && label.length > MAX_LABEL_LENGTH) {
      throw new StatsInputError(
        `categories.${k} is longer than ${MAX_LABEL_LENGTH} characters (${label.length})`,
        `categories.${k}`,
      );
    }
    if (codeOf.has(label)) {
      throw new StatsInputError(`categories.${k} repeats ${JSON.stringify(label)}`, `categories.${k}`);
    }
    codeOf.set(label, ordered.length);
    ordered.push(label);
  }
}

/**
 * Finds the first cell holding category `code` (row-major), to name it in an error message.
 * Returns the field `ratings.i.j`, or null when no rating uses the category.
 */
export function fieldOfFirstUse(encoded: EncodedRatings, code: number): string | null {
  const index = encoded.codes.indexOf(code);
  if (index < 0) return null;
  return `ratings.${Math.floor(index / encoded.raterCount)}.${index % encoded.raterCount}`;
}
