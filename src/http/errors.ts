import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface ErrorDetail {
  path: string;
  message: string;
  [extra: string]: unknown;
}

/**
 * An error with an HTTP status and a stable machine-readable code. Handlers throw it; the app's single
 * `onError` turns it into `{"error": {"code", "message", "details"?}}`.
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

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);
export const conflict = (message: string, details?: unknown) =>
  new ApiError(409, "conflict", message, details);
export const badRequest = (message: string, details?: ErrorDetail[]) =>
  new ApiError(400, "invalid_request", message, details);

/** The body of a 413: the same whether the size was declared up front or counted while streaming. */
export const tooLargeBody = (limit: number) => ({
  error: { code: "payload_too_large", message: `request body is larger than ${limit} bytes` },
});
