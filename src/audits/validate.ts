/**
 * Validation of one audit record. Hand-written rather than zod because bulk ingest validates up to a million
 * rows per request and this path is the ingest's hot loop; the zod schema in `src/routes/audits.ts` documents
 * the same fields for OpenAPI, and a test checks the two agree.
 */
import { isWellFormed, NOT_WELL_FORMED } from "../unicode.ts";

export const OUTCOMES = ["correct", "incorrect"] as const;
export const ERROR_TYPES = ["false-positive", "false-negative", "wrong-policy", "other"] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type ErrorType = (typeof ERROR_TYPES)[number];

export interface Audit {
  id: string;
  decisionId: string;
  queue: string;
  moderator: string;
  auditor: string;
  outcome: Outcome;
  errorType: ErrorType | null;
  severity: number | null;
  policy: string | null;
  market: string | null;
  decidedAt: string | null;
  auditedAt: string;
  sampleId: string | null;
  notes: string | null;
}

export interface FieldError {
  field: string;
  message: string;
}

const REQUIRED_TEXT = ["id", "decisionId", "queue", "moderator", "auditor"] as const;
const OPTIONAL_TEXT = ["policy", "market", "sampleId"] as const;
export const AUDIT_FIELDS = [
  ...REQUIRED_TEXT,
  "outcome",
  "errorType",
  "severity",
  ...OPTIONAL_TEXT,
  "decidedAt",
  "auditedAt",
  "notes",
] as const;
const KNOWN = new Set<string>(AUDIT_FIELDS);
const MAX_TEXT = 500;
const MAX_NOTES = 20_000;

/** ISO 8601 date-time with an explicit offset (Z or ±hh:mm), seconds and fraction optional. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Epoch ms of an ISO 8601 timestamp with offset, or undefined when it is not one (or not a real date). */
export function parseTimestamp(text: string): number | undefined {
  if (!ISO_WITH_OFFSET.test(text)) return undefined;
  // Date.parse rolls 2026-02-30 over to March: check the calendar date first.
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1])) {
    return undefined;
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The value of a field, or undefined when absent (null, missing, or an empty CSV cell). */
function present(record: Record<string, unknown>, field: string, fromCsv: boolean): unknown {
  const value = record[field];
  return value === undefined || value === null || (fromCsv && value === "") ? undefined : value;
}

function text(
  record: Record<string, unknown>,
  field: string,
  required: boolean,
  fromCsv: boolean,
  errors: FieldError[],
  max = MAX_TEXT,
): string | null {
  const value = present(record, field, fromCsv);
  if (value === undefined) {
    if (required) errors.push({ field, message: "is required" });
    return null;
  }
  if (typeof value !== "string") {
    errors.push({ field, message: "must be a string" });
    return null;
  }
  if (!isWellFormed(value)) {
    errors.push({ field, message: NOT_WELL_FORMED });
    return null;
  }
  if (required && value.trim() === "") {
    errors.push({ field, message: "must not be blank" });
    return null;
  }
  if (value.length > max) errors.push({ field, message: `must be at most ${max} characters` });
  return value;
}

/**
 * Validates one record. `fromCsv` makes empty strings mean "absent" and reads severity from text.
 * Returns the normalised audit with its epoch-ms timestamps, or the list of field errors.
 * (Helpers are module functions, not closures: this runs once per row of million-row uploads.)
 */
export function validateAudit(
  raw: unknown,
  fromCsv: boolean,
): { audit: Audit; auditedMs: number; errors?: undefined } | { errors: FieldError[]; audit?: undefined } {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { errors: [{ field: "", message: "each audit must be a JSON object" }] };
  }
  const record = raw as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const key in record) {
    if (!KNOWN.has(key))
      errors.push({ field: key, message: `unknown field (known: ${AUDIT_FIELDS.join(", ")})` });
  }

  const id = text(record, "id", true, fromCsv, errors);
  const decisionId = text(record, "decisionId", true, fromCsv, errors);
  const queue = text(record, "queue", true, fromCsv, errors);
  const moderator = text(record, "moderator", true, fromCsv, errors);
  const auditor = text(record, "auditor", true, fromCsv, errors);
  const policy = text(record, "policy", false, fromCsv, errors);
  const market = text(record, "market", false, fromCsv, errors);
  const sampleId = text(record, "sampleId", false, fromCsv, errors);
  const notes = text(record, "notes", false, fromCsv, errors, MAX_NOTES);

  const outcome = present(record, "outcome", fromCsv);
  if (outcome === undefined) errors.push({ field: "outcome", message: "is required" });
  else if (outcome !== "correct" && outcome !== "incorrect") {
    errors.push({ field: "outcome", message: "must be correct or incorrect" });
  }

  const errorType = present(record, "errorType", fromCsv);
  if (outcome === "incorrect") {
    if (errorType === undefined)
      errors.push({ field: "errorType", message: "is required when outcome is incorrect" });
    else if (!(ERROR_TYPES as readonly unknown[]).includes(errorType)) {
      errors.push({ field: "errorType", message: `must be one of ${ERROR_TYPES.join(", ")}` });
    }
  } else if (outcome === "correct" && errorType !== undefined) {
    errors.push({ field: "errorType", message: "must be absent when outcome is correct" });
  }

  let severity: number | null = null;
  const rawSeverity = present(record, "severity", fromCsv);
  if (rawSeverity !== undefined) {
    const value =
      fromCsv && typeof rawSeverity === "string" && /^\d+$/.test(rawSeverity)
        ? Number(rawSeverity)
        : rawSeverity;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 4) {
      errors.push({ field: "severity", message: "must be an integer from 1 to 4" });
    } else severity = value;
  }

  const auditedAt = text(record, "auditedAt", true, fromCsv, errors);
  let auditedMs: number | undefined;
  if (auditedAt !== null) {
    auditedMs = parseTimestamp(auditedAt);
    if (auditedMs === undefined) {
      errors.push({
        field: "auditedAt",
        message: "must be an ISO 8601 date-time with an offset, e.g. 2026-11-24T09:30:00+09:00",
      });
    }
  }
  const decidedAt = text(record, "decidedAt", false, fromCsv, errors);
  if (decidedAt !== null && parseTimestamp(decidedAt) === undefined) {
    errors.push({ field: "decidedAt", message: "must be an ISO 8601 date-time with an offset" });
  }

  if (errors.length > 0) return { errors };
  return {
    audit: {
      id: id!,
      decisionId: decisionId!,
      queue: queue!,
      moderator: moderator!,
      auditor: auditor!,
      outcome: outcome as Outcome,
      errorType: outcome === "incorrect" ? (errorType as ErrorType) : null,
      severity,
      policy,
      market,
      decidedAt,
      auditedAt: auditedAt!,
      sampleId,
      notes,
    },
    auditedMs: auditedMs!,
  };
}
