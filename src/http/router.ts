import { OpenAPIHono } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import type { ProblemParams } from "../problems.ts";
import type { AppEnv } from "./env.ts";
import { ApiError, type ErrorDetail } from "./errors.ts";

/**
 * One entry per failing field, with its path written the way a client spells it (`strata.2.size`), zod's issue
 * code and the parameters the dashboard needs to say it in its language (`detail.<code>`): `maximum`/`minimum`
 * and `origin` (string, number, array…) for too_big/too_small, `expected` for invalid_type, `values` for
 * invalid_value, `format` for invalid_format, `keys` for unrecognized_keys, `divisor` for not_multiple_of.
 */
export function zodDetails(error: ZodError): ErrorDetail[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    const field = issue.path.findLast((part) => typeof part === "string") ?? "";
    // A refinement names its problem with `params: {code, …}` (the codes of src/problems.ts); else "custom".
    if (issue.code === "custom" && typeof issue.params?.code === "string") {
      const { code, ...params } = issue.params as { code: string } & ProblemParams;
      return { path, field, code, params, message: issue.message };
    }
    return { path, field, code: issue.code, params: issueParams(issue), message: issue.message };
  });
}

function issueParams(issue: ZodError["issues"][number]): ProblemParams {
  switch (issue.code) {
    case "too_big":
      return {
        origin: issue.origin,
        maximum: Number(issue.maximum),
        inclusive: String(issue.inclusive ?? true),
      };
    case "too_small":
      return {
        origin: issue.origin,
        minimum: Number(issue.minimum),
        inclusive: String(issue.inclusive ?? true),
      };
    case "invalid_type":
      return { expected: issue.expected };
    case "invalid_value":
      return { values: issue.values.map((v) => String(v)).join(", ") };
    case "invalid_format":
      return { format: issue.format };
    case "unrecognized_keys":
      return { keys: issue.keys.join(", ") };
    case "not_multiple_of":
      return { divisor: Number(issue.divisor) };
    default:
      return {};
  }
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
