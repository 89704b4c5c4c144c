import type { z } from "@hono/zod-openapi";

/**
 * Well-formed Unicode. A JavaScript string may hold a lone UTF-16 surrogate (JSON `"\ud800"` parses to one);
 * it has no UTF-8 encoding, so SQLite would store replacement bytes and the stored text would no longer equal
 * what was sent (an identical resend of an audit would then be a 409). Every string that is stored is checked.
 * U+0000 (NUL) is refused too: PostgreSQL text cannot hold it, and both backends must accept the same input.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const native = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

/**
 * Whether `text` has no lone surrogate and no U+0000. `String.prototype.isWellFormed` (Node ≥ 20; O(1) for
 * strings V8 keeps as one byte per character), else an equivalent regex.
 */
export const isWellFormed: (text: string) => boolean = native
  ? (text) => !text.includes("\0") && native.call(text)
  : (text) => !text.includes("\0") && !LONE_SURROGATE.test(text);

/** The message of every field error for text that is not well-formed. */
export const NOT_WELL_FORMED =
  "must be well-formed Unicode without U+0000 (a lone UTF-16 surrogate such as \\ud800, or a NUL character, cannot be stored)";

/**
 * A zod string schema that also refuses text with a lone UTF-16 surrogate: for every string that is stored.
 * The error names the field like any other zod issue.
 */
export const wellFormed = <T extends z.ZodString>(schema: T): T =>
  schema.refine(isWellFormed, { message: NOT_WELL_FORMED, params: { code: "not_well_formed" } });
