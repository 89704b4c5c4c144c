/**
 * Validation of one audit record. Hand-written rather than zod because bulk ingest validates up to a million
 * rows per request and this path is the ingest's hot loop; the zod schema in `src/routes/audits.ts` documents
 * the same fields for OpenAPI, and a test checks the two agree.
 */
import { type FieldProblem, problems } from "../problems.ts";
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
  /** The policy the decision should have applied (wrong-policy errors); optional on every audit. */
  correctPolicy: string | null;
  /** Who entered the audit (the caller's rater or key name), when someone else than its auditor may have. */
  recordedBy: string | null;
}

/** A field's problem: a code and parameters for the dashboard, the English message for API users. */
export type FieldError = FieldProblem;

const REQUIRED_TEXT = ["id", "decisionId", "queue", "moderator", "auditor"] as const;
const OPTIONAL_TEXT = ["policy", "market", "sampleId", "correctPolicy"] as const;
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
/** Fields the server sets, listed in exports: ignored on upload, so an export uploads back as duplicates. */
export const SERVER_FIELDS = ["recordedBy", "revision"] as const;
const KNOWN = new Set<string>([...AUDIT_FIELDS, ...SERVER_FIELDS]);
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

/**
 * The date-time forms a spreadsheet writes when it reformats a cell, without an offset: `2026-12-06 10:15`,
 * `2026-12-06 10:15:30`, `2026/12/06 10:15`, and ISO without an offset (`2026-12-06T10:15`). Read in CSV
 * uploads only, as local time in the request's zone.
 */
const SPREADSHEET_DATE_TIME = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A spreadsheet's local date-time (`SPREADSHEET_DATE_TIME`) as ISO 8601 with the zone's offset at that local
 * time, e.g. `2026-12-06 10:15` in Asia/Seoul → `2026-12-06T10:15:00+09:00`; undefined for any other text or a
 * date that does not exist. A local time that a daylight-saving change skips or repeats takes one of the two
 * offsets around the change.
 */
export function spreadsheetDateTime(text: string, timeZone: string): string | undefined {
  const m = SPREADSHEET_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((part) => Number(part ?? 0));
  const wall = `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}`;
  if (parseTimestamp(`${wall}Z`) === undefined || hour > 23) return undefined;
  const offset = offsetMinutesAt(Date.parse(`${wall}Z`), timeZone);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${wall}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** The zone's offset in minutes for a wall-clock time (given as if it were UTC): two passes settle DST. */
function offsetMinutesAt(wallAsUtc: number, timeZone: string): number {
  let offset = zoneOffsetMinutes(wallAsUtc, timeZone);
  offset = zoneOffsetMinutes(wallAsUtc - offset * 60_000, timeZone);
  return offset;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in minutes, from Intl's `longOffset` name (`GMT+09:00`). */
function zoneOffsetMinutes(ms: number, timeZone: string): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
    offsetFormatters.set(timeZone, f);
  }
  const name = f.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
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
    if (required) errors.push(problems.required(field));
    return null;
  }
  if (typeof value !== "string") {
    errors.push(problems.notString(field));
    return null;
  }
  if (!isWellFormed(value)) {
    errors.push(problems.notWellFormed(field, NOT_WELL_FORMED));
    return null;
  }
  if (required && value.trim() === "") {
    errors.push(problems.blank(field));
    return null;
  }
  if (value.length > max) errors.push(problems.tooLong(field, max));
  return value;
}

/** How CSV rows are read: spreadsheet date-times in `timeZone`; a row without `auditedAt` audited at `now`. */
export interface CsvReading {
  timeZone: string;
  now: number;
}

export type Validated =
  | { audit: Audit; auditedMs: number; auditedAtGiven: boolean; errors?: undefined }
  | { errors: FieldError[]; audit?: undefined };

/** What a CSV upload also accepts, for the error message. */
const CSV_FORMS = (csv: CsvReading | undefined) =>
  csv ? `, or a spreadsheet's local date-time such as 2026-12-06 10:15 (read in ${csv.timeZone})` : "";

/** A timestamp field's text; in CSV a spreadsheet's local date-time is turned into ISO with the zone's offset. */
function timestampText(
  record: Record<string, unknown>,
  field: string,
  required: boolean,
  csv: CsvReading | undefined,
  errors: FieldError[],
): string | null {
  const value = text(record, field, required, csv !== undefined, errors);
  if (value === null || !csv || ISO_WITH_OFFSET.test(value)) return value;
  return spreadsheetDateTime(value, csv.timeZone) ?? value;
}

/**
 * Validates one record. `csv` (for CSV uploads) makes empty strings mean "absent", reads severity from text,
 * accepts the date-times a spreadsheet writes (`spreadsheetDateTime`) and lets `auditedAt` be left empty (the
 * time of upload; `auditedAtGiven` false, so re-uploading the same row later is still a duplicate).
 * Returns the normalised audit with its epoch-ms timestamps, or the list of field errors.
 * (Helpers are module functions, not closures: this runs once per row of million-row uploads.)
 */
export function validateAudit(raw: unknown, csv?: CsvReading): Validated {
  const fromCsv = csv !== undefined;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { errors: [problems.notObject("each audit must be a JSON object")] };
  }
  const record = raw as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const key in record) {
    if (!KNOWN.has(key)) errors.push(problems.unknownField(key, AUDIT_FIELDS));
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
  const correctPolicy = text(record, "correctPolicy", false, fromCsv, errors);

  const outcome = present(record, "outcome", fromCsv);
  if (outcome === undefined) errors.push(problems.required("outcome"));
  else if (outcome !== "correct" && outcome !== "incorrect") {
    errors.push(problems.oneOf("outcome", OUTCOMES, "must be correct or incorrect"));
  }

  const errorType = present(record, "errorType", fromCsv);
  if (outcome === "incorrect") {
    if (errorType === undefined) errors.push(problems.requiredWhen("errorType", "outcome", "incorrect"));
    else if (!(ERROR_TYPES as readonly unknown[]).includes(errorType)) {
      errors.push(problems.oneOf("errorType", ERROR_TYPES));
    }
  } else if (outcome === "correct" && errorType !== undefined) {
    errors.push(problems.absentWhen("errorType", "outcome", "correct"));
  }

  let severity: number | null = null;
  const rawSeverity = present(record, "severity", fromCsv);
  if (rawSeverity !== undefined) {
    const value =
      fromCsv && typeof rawSeverity === "string" && /^\d+$/.test(rawSeverity)
        ? Number(rawSeverity)
        : rawSeverity;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 4) {
      errors.push(problems.integerBetween("severity", 1, 4));
    } else severity = value;
  }

  const auditedAtGiven = !csv || present(record, "auditedAt", true) !== undefined;
  let auditedAt = auditedAtGiven
    ? timestampText(record, "auditedAt", true, csv, errors)
    : new Date(csv.now).toISOString();
  let auditedMs: number | undefined;
  if (auditedAt !== null) {
    auditedMs = parseTimestamp(auditedAt);
    if (auditedMs === undefined) {
      errors.push(
        problems.invalidTimestamp(
          "auditedAt",
          `must be an ISO 8601 date-time with an offset, e.g. 2026-11-24T09:30:00+09:00${CSV_FORMS(csv)}`,
          csv?.timeZone,
        ),
      );
      auditedAt = null;
    }
  }
  const decidedAt = timestampText(record, "decidedAt", false, csv, errors);
  if (decidedAt !== null && parseTimestamp(decidedAt) === undefined) {
    errors.push(
      problems.invalidTimestamp(
        "decidedAt",
        `must be an ISO 8601 date-time with an offset${CSV_FORMS(csv)}`,
        csv?.timeZone,
      ),
    );
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
      correctPolicy,
      recordedBy: null,
    },
    auditedMs: auditedMs!,
    auditedAtGiven,
  };
}
