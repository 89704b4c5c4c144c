import type { z } from "@hono/zod-openapi";

/**
 * Well-formed Unicode. A JavaScript string may hold a lone UTF-16 surrogate (JSON `"\ud800"` parses to one);
 * it has no UTF-8 encoding, so SQLite would store replacement bytes and the stored text would no longer equal
 * what was sent (an identical resend of an audit would then be a 409). Every string that is stored is checked.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const native = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

/**
 * Whether `text` has no lone surrogate. `String.prototype.isWellFormed` (Node ≥ 20; O(1) for strings V8 keeps as
 * one byte per character), else an equivalent regex.
 */
export const isWellFormed: (text: string) => boolean = native
  ? (text) => native.call(text)
  : (text) => !LONE_SURROGATE.test(text);

/** The message of every field error for text that is not well-formed. */
export const NOT_WELL_FORMED =
  "must be well-formed Unicode (a lone UTF-16 surrogate such as \\ud800 cannot be stored)";

/**
 * A zod string schema that also refuses text with a lone UTF-16 surrogate: for every string that is stored.
 * The error names the field like any other zod issue.
 */
export const wellFormed = <T extends z.ZodString>(schema: T): T =>
  schema.refine(isWellFormed, NOT_WELL_FORMED);
