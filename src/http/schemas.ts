import { z } from "@hono/zod-openapi";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_failed" }),
      message: z.string(),
      details: z.unknown().optional(),
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

/** A JSON number that must be strictly inside (0, 1), e.g. a confidence level. */
export const openUnit = (description: string) => z.number().gt(0).lt(1).openapi({ description });

export { wellFormed } from "../unicode.ts";
