/**
 * Validation of one audit record. Hand-written rather than zod because bulk ingest validates up to a million
 * rows per request and this path is the ingest's hot loop; the zod schema in `src/routes/audits.ts` documents
 * the same fields for OpenAPI, and a test checks the two agree.
 */
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

/** Epoch ms of an ISO 8601 timestamp with offset, or undefined when it is not one (or not a real date). */
export function parseTimestamp(text: string): number | undefined {
  if (!ISO_WITH_OFFSET.test(text)) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2026-02-30 over to March: check the calendar date survived.
  const [y, m, d] = [Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10))];
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return undefined;
  return ms;
}

/**
 * Validates one record. `fromCsv` makes empty strings mean "absent" and reads severity from text.
 * Returns the normalised audit with its epoch-ms timestamps, or the list of field errors.
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
  const present = (field: string) => {
    const value = record[field];
    return value === undefined || value === null || (fromCsv && value === "") ? undefined : value;
  };
  const text = (field: string, required: boolean, max = MAX_TEXT): string | null => {
    const value = present(field);
    if (value === undefined) {
      if (required) errors.push({ field, message: "is required" });
      return null;
    }
    if (typeof value !== "string") {
      errors.push({ field, message: "must be a string" });
      return null;
    }
    if (required && value.trim() === "") {
      errors.push({ field, message: "must not be blank" });
      return null;
    }
    if (value.length > max) errors.push({ field, message: `must be at most ${max} characters` });
    return value;
  };

  const id = text("id", true);
  const decisionId = text("decisionId", true);
  const queue = text("queue", true);
  const moderator = text("moderator", true);
  const auditor = text("auditor", true);
  const policy = text("policy", false);
  const market = text("market", false);
  const sampleId = text("sampleId", false);
  const notes = text("notes", false, MAX_NOTES);

  const outcome = present("outcome");
  if (outcome === undefined) errors.push({ field: "outcome", message: "is required" });
  else if (outcome !== "correct" && outcome !== "incorrect") {
    errors.push({ field: "outcome", message: "must be correct or incorrect" });
  }

  const errorType = present("errorType");
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
  const rawSeverity = present("severity");
  if (rawSeverity !== undefined) {
    const value =
      fromCsv && typeof rawSeverity === "string" && /^\d+$/.test(rawSeverity)
        ? Number(rawSeverity)
        : rawSeverity;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 4) {
      errors.push({ field: "severity", message: "must be an integer from 1 to 4" });
    } else severity = value;
  }

  const auditedAt = text("auditedAt", true);
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
  const decidedAt = text("decidedAt", false);
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
