import { isWellFormed, NOT_WELL_FORMED } from "../unicode.ts";

/**
 * A decision's context (issue 13): population columns shown to auditors with the sample items and never
 * attributes for strata (no dictionary, not counted in `distinct`): `url` (the decision's page in the
 * moderation tool), `content` (a short excerpt or caption) and `context.<name>` (labelled fields). Stored per
 * decision as one JSON text in population_decisions.context (./upload.ts writes it, `parseContext` in
 * src/db/populations.ts reads it).
 */

export const CONTEXT_PREFIX = "context.";
/** At most this many `context.<name>` columns per population (`url` and `content` not counted). */
export const MAX_CONTEXT_COLUMNS = 20;
export const MAX_CONTEXT_NAME = 64;
/** Characters of a `content` or `context.<name>` value. */
export const MAX_CONTEXT_TEXT = 2000;
export const MAX_URL = 2048;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Why `text` cannot be a decision's `url`, or undefined when it can: an absolute http or https URL per the
 * WHATWG URL parser. Control characters are refused first, since the parser silently drops tabs and newlines
 * (the stored text would not be the link followed).
 */
export function urlProblem(text: string): string | undefined {
  if (CONTROL.test(text))
    return "must not contain control characters (tab, line breaks, other C0/C1 controls)";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "must be an absolute http or https URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return `must be an http or https URL, not ${url.protocol}`;
  }
  return undefined;
}

/** The longest value a context column takes. */
export const contextMaxLength = (column: string) => (column === "url" ? MAX_URL : MAX_CONTEXT_TEXT);

/**
 * Why a `context.<name>` column cannot be one, or undefined when it can: the name is 1–64 characters, not
 * blank, well-formed, and not `__proto__`.
 */
function nameProblem(column: string): string | undefined {
  const name = column.slice(CONTEXT_PREFIX.length);
  if (name.length < 1 || name.length > MAX_CONTEXT_NAME || name.trim() === "") {
    return `the name after "${CONTEXT_PREFIX}" must be 1 to ${MAX_CONTEXT_NAME} characters, not blank`;
  }
  if (!isWellFormed(name)) return `a column name ${NOT_WELL_FORMED}`;
  if (name === "__proto__") return "__proto__ cannot be a context name";
  return undefined;
}

/**
 * The context columns of one upload, in order of first appearance, and the current row's values: `values[i]`
 * is the value of `columns[i]` (undefined = absent), set by the upload's row loop between `clear()` and
 * `take()`.
 */
export class ContextColumns {
  readonly columns: string[] = [];
  readonly values: (string | undefined)[] = [];
  /** Per column: stored decisions with a value. */
  readonly counts: number[] = [];
  private readonly index = new Map<string, number>();
  private named = 0;

  /**
   * The index of column `key` when it is a context column (registered on first sight); undefined when it is
   * not one (an attribute); a string saying why when it cannot be one (a bad name, one column too many).
   */
  indexOf(key: string): number | string | undefined {
    const known = this.index.get(key);
    if (known !== undefined) return known;
    const named = key.startsWith(CONTEXT_PREFIX);
    if (!named && key !== "url" && key !== "content") return undefined;
    if (named) {
      const problem = nameProblem(key);
      if (problem !== undefined) return problem;
      if (this.named >= MAX_CONTEXT_COLUMNS)
        return `at most ${MAX_CONTEXT_COLUMNS} ${CONTEXT_PREFIX}<name> columns`;
      this.named++;
    }
    const index = this.columns.length;
    this.columns.push(key);
    this.values.push(undefined);
    this.counts.push(0);
    this.index.set(key, index);
    return index;
  }

  /** Forgets the previous row's values. */
  clear(): void {
    for (let i = 0; i < this.values.length; i++) this.values[i] = undefined;
  }

  /**
   * The current row's context as stored (a JSON object with `url`, `content` and `context` (name → value) in
   * that order, each only when it has a value; null when nothing has one), counted as a stored decision.
   */
  take(): string | null {
    let url = "";
    let content = "";
    let named = "";
    for (let i = 0; i < this.columns.length; i++) {
      const value = this.values[i];
      if (value === undefined) continue;
      this.counts[i]++;
      const column = this.columns[i];
      if (column === "url") url = `"url":${JSON.stringify(value)}`;
      else if (column === "content") content = `"content":${JSON.stringify(value)}`;
      else {
        const name = JSON.stringify(column.slice(CONTEXT_PREFIX.length));
        named += `${named === "" ? "" : ","}${name}:${JSON.stringify(value)}`;
      }
    }
    if (url === "" && content === "" && named === "") return null;
    const parts = [url, content, named === "" ? "" : `"context":{${named}}`].filter((p) => p !== "");
    return `{${parts.join(",")}}`;
  }

  /** The columns with the number of stored decisions that have a value, for the population's record. */
  summary(): { column: string; count: number }[] {
    return this.columns.map((column, i) => ({ column, count: this.counts[i] }));
  }
}
