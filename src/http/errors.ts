import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { DomainErrorKind } from "../errors.ts";

export type { ErrorDetail } from "../errors.ts";
export { conflict, notFound } from "../errors.ts";

/** The HTTP status of each kind of domain error (src/errors.ts); used by the app's single onError. */
export const STATUS_OF: Record<DomainErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unprocessable: 422,
  unavailable: 503,
};

/**
 * An error of the HTTP layer itself (authentication, media types, body limits) with its status and a stable
 * machine-readable code. Domain modules throw `DomainError` (src/errors.ts) instead; the app's single
 * `onError` answers both as `{"error": {"code", "message", "details"?}}`.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The body of a 413: the same whether the size was declared up front or counted while streaming. */
export const tooLargeBody = (limit: number) => ({
  error: { code: "payload_too_large", message: `request body is larger than ${limit} bytes` },
});
