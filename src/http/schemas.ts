import { z } from "@hono/zod-openapi";
import { CHARSET_LABELS, MAX_CHARSET_LENGTH } from "../uploads/text-encoding.ts";
import { FILE_MEDIA_TYPES } from "./negotiate.ts";

/**
 * One problem of a refused request: where (`path`; for uploads also the `row` and the `field`), a stable `code`
 * with its `params` (what a client shows in its own language) and the English `message`. Some errors add
 * fields of their own (`limit`, `alternatives` of too_expensive).
 */
const ErrorDetailSchema = z
  .looseObject({
    path: z.string().openapi({ example: "decidedAt" }),
    row: z
      .number()
      .int()
      .optional()
      .openapi({ description: "The row of an upload (CSV: the header is row 1)" }),
    field: z.string().optional().openapi({ example: "decidedAt" }),
    code: z.string().optional().openapi({
      example: "invalid_timestamp",
      description:
        "What is wrong, stable: zod's issue codes for request validation (too_big, too_small, invalid_type, invalid_value, invalid_format, unrecognized_keys, custom…), and for rows of uploads required, blank, invalid_type, too_big, not_well_formed, nul_character, unknown_field, invalid_value, integer_between, required_when, absent_when, invalid_timestamp, not_object, unreadable_row, too_many_rows, missing_column, invalid_url, invalid_column_name, too_many_columns, sample_not_found, not_drawn, differs_from_drawn, duplicate_id, unknown_item, unknown_rater, unknown_label, repeated_rating",
    }),
    params: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .optional()
      .openapi({ example: { example: "2026-11-24T09:30:00+09:00" } }),
    message: z.string().openapi({ example: "must be an ISO 8601 date-time with an offset" }),
  })
  .openapi("ErrorDetail");

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_failed" }),
      message: z.string(),
      details: z
        .union([z.array(ErrorDetailSchema), z.looseObject({})])
        .optional()
        .openapi({
          description:
            "Usually one entry per problem; a few errors give an object (e.g. the samples that refer to a population)",
        }),
      requestId: z.string().optional(),
    }),
  })
  .openapi("Error");

const errorDescriptions = {
  400: "Malformed JSON, or a field that fails validation (details lists each field and its path)",
  401: "Missing, unknown or revoked API key",
  403: "The key's role may not do this",
  404: "Not found",
  409: "Conflicts with the current state",
  413: "Request body over the limit",
  415: "Unsupported content type (the description lists the accepted ones)",
  422: "Valid request that cannot be carried out (the message says why)",
} as const;

/** OpenAPI response entries for the given error statuses, all sharing the Error schema. */
export function errorResponses<const S extends keyof typeof errorDescriptions>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: errorDescriptions[s], content: { "application/json": { schema: ErrorSchema } } },
    ]),
  ) as unknown as {
    [K in S]: { description: string; content: { "application/json": { schema: typeof ErrorSchema } } };
  };
}

export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { required: true, description, content: { "application/json": { schema } } };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

const FILE_DESCRIPTIONS = {
  csv: "CSV, UTF-8 with a BOM (for Excel): `format=csv` or `Accept: text/csv`",
  ndjson: "One JSON object per line: `format=ndjson` or `Accept: application/x-ndjson`",
  xlsx: "An .xlsx workbook (ids as text cells): `format=xlsx` or `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`",
};

/**
 * The 200 of a route that can answer as a file too: JSON (the default, so generated clients typed for
 * `${string}/json` get the JSON type), and each file format under its own media type (src/http/negotiate.ts picks
 * one from `format` or `Accept`). `files` maps each offered format to its description (empty: the standard one).
 */
export function exportResponse<T extends z.ZodType>(
  schema: T,
  description: string,
  files: Partial<Record<keyof typeof FILE_MEDIA_TYPES, string>>,
) {
  const content: Record<string, { schema: z.ZodType }> = { "application/json": { schema } };
  for (const [format, text] of Object.entries(files) as [keyof typeof FILE_MEDIA_TYPES, string][]) {
    const fileSchema = format === "xlsx" ? z.string().openapi({ format: "binary" }) : z.string();
    content[FILE_MEDIA_TYPES[format]] = {
      schema: fileSchema.openapi({ description: text || FILE_DESCRIPTIONS[format] }),
    };
  }
  // Typed with one file entry: enough for Hono to accept `c.body(…)` answers besides `c.json(…)`.
  return {
    description,
    content: content as { "application/json": { schema: T }; "text/csv": { schema: z.ZodString } },
  };
}

/** A JSON number that must be strictly inside (0, 1), e.g. a confidence level. */
export const openUnit = (description: string) => z.number().gt(0).lt(1).openapi({ description });

export { wellFormed } from "../unicode.ts";

/** The `charset` query parameter of the uploads (audits, populations, calibration ratings): src/uploads/. */
export const charsetQuery = z
  .string()
  .max(MAX_CHARSET_LENGTH)
  .optional()
  .openapi({
    description: `The body's encoding when it is not UTF-8 (wins over Content-Type's charset parameter): ${CHARSET_LABELS.join(", ")}. euc-kr is read as its superset CP949 (Excel's plain CSV on Korean Windows). Anything else → 400 unsupported_charset.`,
    example: "cp949",
  });
