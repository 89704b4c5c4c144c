import { OpenAPIHono } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import type { AppEnv } from "./env.ts";
import { ApiError, type ErrorDetail } from "./errors.ts";

/** One entry per failing field, with its path written the way a client spells it (`strata.2.size`). */
export function zodDetails(error: ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
    code: issue.code,
  }));
}

export function validationError(error: ZodError, where: string): ApiError {
  const details = zodDetails(error);
  const fields = details.map((d) => d.path || where).join(", ");
  return new ApiError(400, "validation_failed", `invalid ${where}: ${fields}`, details);
}

/**
 * The one validation wrapper: every router is made here, so a request that fails its zod schema
 * (body, query or path) is answered the same way everywhere, through the app's `onError`.
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
}
