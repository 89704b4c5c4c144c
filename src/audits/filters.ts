import { z } from "@hono/zod-openapi";
import type { AuditFilter } from "../db/audits.ts";
import { DomainError } from "../errors.ts";
import { assertTimeZone, periodOf, startOfLocalDate } from "../time.ts";
import { wellFormed } from "../unicode.ts";
import { ERROR_TYPES, parseTimestamp } from "./validate.ts";

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const bound = (description: string) =>
  z.string().max(40).optional().openapi({ description, example: "2026-11-01" });

/** The filters every report and the audit listing accept, as query parameters. */
export const FilterQuery = z.object({
  from: bound("Audited on or after: a date (start of that day in tz) or an ISO 8601 date-time with offset"),
  to: bound("Audited up to: a date (through the end of that day in tz) or a date-time (exclusive)"),
  queue: wellFormed(z.string().max(500)).optional(),
  moderator: wellFormed(z.string().max(500)).optional(),
  auditor: wellFormed(z.string().max(500)).optional(),
  policy: wellFormed(z.string().max(500)).optional(),
  market: wellFormed(z.string().max(500)).optional(),
  errorType: z
    .enum(ERROR_TYPES)
    .optional()
    .openapi({ description: "Only errors of this type count as errors" }),
  sampleId: wellFormed(z.string().max(500)).optional(),
  tz: z
    .string()
    .max(64)
    .optional()
    .openapi({ description: "IANA time zone where a day begins, default MODQC_TZ", example: "Asia/Seoul" }),
});
export type FilterQuery = z.infer<typeof FilterQuery>;

export function resolveTimeZone(tz: string | undefined, fallback: string): string {
  const zone = tz ?? fallback;
  try {
    assertTimeZone(zone);
  } catch {
    throw new DomainError("invalid", "validation_failed", `unknown time zone "${zone}"`, [
      { path: "tz", message: "must be an IANA time zone such as Asia/Seoul or UTC" },
    ]);
  }
  return zone;
}

function instant(text: string, field: "from" | "to", timeZone: string): number {
  if (DATE_ONLY.test(text)) {
    const [y, m, d] = text.split("-").map(Number);
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCMonth() === m - 1 && check.getUTCDate() === d) {
      const start = startOfLocalDate(y, m, d, timeZone);
      return field === "from" ? start : periodOf(start, "day", timeZone).end;
    }
  } else {
    const ms = parseTimestamp(text);
    if (ms !== undefined) return ms;
  }
  throw new DomainError("invalid", "validation_failed", `invalid ${field}`, [
    { path: field, message: "must be a date (YYYY-MM-DD) or an ISO 8601 date-time with offset" },
  ]);
}

/** Turns the query filters into a repository filter, resolving dates in the time zone. */
export function toFilter(query: FilterQuery, timeZone: string): AuditFilter {
  const filter: AuditFilter = {
    queue: query.queue,
    moderator: query.moderator,
    auditor: query.auditor,
    policy: query.policy,
    market: query.market,
    sampleId: query.sampleId,
    errorType: query.errorType,
  };
  if (query.from) filter.fromMs = instant(query.from, "from", timeZone);
  if (query.to) filter.toMs = instant(query.to, "to", timeZone);
  return filter;
}
