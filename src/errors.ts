/**
 * Domain errors: why something asked of the service cannot be done, in the domain's words. Domain modules
 * (src/sampling, src/audits, src/alerts, src/calibrations, src/reports, …) throw these and know nothing of
 * HTTP; the app's single `onError` (src/app.ts) maps each kind to a status and answers
 * `{"error": {"code", "message", "details"?}}` with the stable `code` the dashboard translates.
 */
export type DomainErrorKind =
  /** The input is wrong (400): `details` names the field or row. */
  | "invalid"
  /** The caller may not do this to this data (403). */
  | "forbidden"
  /** What was named does not exist (404). */
  | "not_found"
  /** It contradicts what is stored (409): a changed resend, a closed session, a last admin. */
  | "conflict"
  /** More data than the service accepts (413). */
  | "too_large"
  /** Valid, but cannot be done with this data or within its cost budget (422). */
  | "unprocessable"
  /** The service cannot take it now; retrying later may work (503). */
  | "unavailable";

/** One problem: the JSON path or row it is about, and what is wrong there. */
export interface ErrorDetail {
  path: string;
  message: string;
  [extra: string]: unknown;
}

export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new DomainError("not_found", "not_found", `${what} not found`);
export const conflict = (message: string, details?: unknown) =>
  new DomainError("conflict", "conflict", message, details);
/** 400 validation_failed naming one field. */
export const invalidField = (path: string, message: string, summary = `invalid ${path}: ${message}`) =>
  new DomainError("invalid", "validation_failed", summary, [{ path, message }]);
/** 400 invalid_request: the request as a whole is wrong (a body that does not parse, bad rows); details name where. */
export const invalidRequest = (message: string, details?: ErrorDetail[]) =>
  new DomainError("invalid", "invalid_request", message, details);
