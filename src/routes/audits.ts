import { z } from "@hono/zod-openapi";
import { onAuditsIngested } from "../alerts/index.ts";
import { FilterQuery, resolveTimeZone, toFilter } from "../audits/filters.ts";
import { auditPage } from "../audits/listing.ts";
import { SUSPECTED_DUPLICATE_DESCRIPTION } from "../audits/suspected-duplicates.ts";
import { uploadAudits } from "../audits/upload.ts";
import { AUDIT_FIELDS, ERROR_TYPES, OUTCOMES, parseTimestamp, SERVER_FIELDS } from "../audits/validate.ts";
import { CSV_BOM, CSV_CONTENT_TYPE, csvLine } from "../csv.ts";
import { listAudits } from "../db/audit-listing.ts";
import { maxAuditSeq, type StoredAudit } from "../db/audits.ts";
import { callerIdentity } from "../db/keys.ts";
import { blindReviewer } from "../feedback/disputes-review.ts";
import { route } from "../http/auth.ts";
import { ApiError } from "../http/errors.ts";
import { negotiated } from "../http/negotiate.ts";
import { createRouter } from "../http/router.ts";
import { charsetQuery, errorResponses, exportResponse, jsonResponse, wellFormed } from "../http/schemas.ts";
import { receiveUpload } from "../http/upload-body.ts";
import { FORMULA_GUARD_DESCRIPTION, UPLOAD_ENCODING_DESCRIPTION } from "../uploads/upload-docs.ts";
import { auditsXlsx } from "../xlsx/audits-export.ts";
import { XLSX_UPLOAD_DESCRIPTION } from "../xlsx/reader.ts";
import { xlsxHeaders } from "../xlsx/writer.ts";

/** The CSV export's columns: what an upload accepts, then what the server set. */
const EXPORT_FIELDS = [...AUDIT_FIELDS, ...SERVER_FIELDS] as const;

const text = wellFormed(z.string().max(500).regex(/\S/, "must not be blank"));
const optionalText = (max: number) => wellFormed(z.string().max(max)).nullish();
const timestamp = wellFormed(z.string())
  .refine((value) => parseTimestamp(value) !== undefined, "must be an ISO 8601 date-time with an offset")
  .openapi({ description: "ISO 8601 date-time with offset", example: "2026-11-24T09:30:00+09:00" });

/**
 * Documents an audit record for OpenAPI. Ingest validates with the faster `validateAudit`
 * (src/audits/validate.ts); `test/audits/validate.test.ts` checks that both accept exactly the same records.
 */
export const AuditSchema = z
  .object({
    id: text.openapi({ description: "Client-chosen unique id: the idempotency key" }),
    decisionId: text,
    queue: text,
    moderator: text,
    auditor: text,
    outcome: z.enum(OUTCOMES),
    errorType: z.enum(ERROR_TYPES).nullish().openapi({
      description:
        "Required when incorrect, absent when correct. false-positive = over-enforcement, false-negative = under-enforcement",
    }),
    severity: z.number().int().min(1).max(4).nullish(),
    policy: optionalText(500),
    market: optionalText(500),
    decidedAt: timestamp.nullish(),
    auditedAt: timestamp,
    sampleId: optionalText(500),
    notes: optionalText(20_000).openapi({ description: "Free text; any well-formed Unicode, kept exactly" }),
    correctPolicy: optionalText(500).openapi({
      description: "The policy the decision should have applied (for wrong-policy errors)",
    }),
    recordedBy: z.string().nullish().openapi({
      description: "Set by the server (who sent the audit: the rater, or the key's name); ignored on upload",
    }),
    revision: z.number().nullish().openapi({
      description: "Set by the server (1 until the audit is corrected); ignored on upload",
    }),
  })
  .strict()
  .superRefine((audit, ctx) => {
    if (audit.outcome === "incorrect" && audit.errorType == null) {
      ctx.addIssue({ code: "custom", path: ["errorType"], message: "is required when outcome is incorrect" });
    }
    if (audit.outcome === "correct" && audit.errorType != null) {
      ctx.addIssue({
        code: "custom",
        path: ["errorType"],
        message: "must be absent when outcome is correct",
      });
    }
  })
  .openapi("Audit");

// The JSON body is documented by reference to the Audit component (registered through the listing route).
const auditJsonSchema = { $ref: "#/components/schemas/Audit" };

/** A listed audit: the Audit and, in JSON pages, the page of its drawn decision (issue 18). */
const ListedAudit = AuditSchema.and(
  z.object({
    decisionUrl: z.string().nullable().openapi({
      description:
        "The drawn decision's `url` when the audit names a sample whose item has one (JSON pages only), else null",
    }),
  }),
);

const IngestResult = z
  .object({ inserted: z.number().int(), duplicates: z.number().int() })
  .openapi("IngestResult");

const ListQuery = FilterQuery.extend({
  outcome: z.enum(OUTCOMES).optional().openapi({ description: "Only the audits with this verdict" }),
  minSeverity: z.coerce.number().int().min(1).max(4).optional().openapi({
    description: "Only the audits with a severity of at least this (audits without one are left out)",
  }),
  id: wellFormed(z.string().min(1).max(500))
    .optional()
    .openapi({ description: "Only the audit with this id (an audit's page reads its facts this way)" }),
  cursor: z.string().max(40).optional().openapi({ description: "nextCursor from the previous page" }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  format: z.enum(["json", "csv", "ndjson", "xlsx"]).default("json"),
});

const EXPORT_PAGE = 5000;

function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const decoded = Buffer.from(cursor, "base64url").toString("utf8");
  const seq = Number(decoded);
  if (!/^\d{1,15}$/.test(decoded) || !Number.isSafeInteger(seq)) {
    throw new ApiError(400, "validation_failed", "invalid cursor", [
      { path: "cursor", message: "not a cursor from this API" },
    ]);
  }
  return seq;
}
const encodeCursor = (seq: number) => Buffer.from(String(seq), "utf8").toString("base64url");

export const auditsRouter = createRouter()
  .openapi(
    route("auditor", {
      method: "post",
      path: "/v1/audits",
      operationId: "uploadAudits",
      tags: ["audits"],
      summary: "Record audit outcomes (one, many, or a million), all or nothing",
      description: [
        "Body: `application/json` (one audit or an array), `application/x-ndjson` (one per line) or `text/csv` (header row, RFC 4180 quoting).",
        UPLOAD_ENCODING_DESCRIPTION,
        XLSX_UPLOAD_DESCRIPTION,
        "The whole batch is validated first: any bad row → 400 listing rows (CSV line with the header as line 1, NDJSON line, or array index) and fields; nothing is stored.",
        "Re-sending an audit with the same id and identical content counts as a duplicate (safe retries); the same id with different content → 409 listing the ids, nothing stored.",
        "A 2xx is sent only after the batch is committed. Auditor keys may only write audits whose auditor is their own rater name (403 otherwise). Each audit records who sent it (`recordedBy`: the rater, or the key's name).",
        "CSV only (a spreadsheet round trip, e.g. the audit template of `GET /v1/samples/{id}/items?format=csv&template=audit`): `auditedAt` and `decidedAt` may be a spreadsheet's local date-time without an offset (`2026-12-06 10:15`, `2026-12-06 10:15:30`, `2026/12/06 10:15`, `2026-12-06T10:15`), read in `tz` (default MODQC_TZ); an empty `auditedAt` means the time of upload, and such a row sent again later is still a duplicate; rows naming a `sampleId` whose verdict columns (outcome, errorType, severity, correctPolicy, notes) are all empty are ignored.",
        FORMULA_GUARD_DESCRIPTION,
        SUSPECTED_DUPLICATE_DESCRIPTION,
      ].join("\n\n"),
      request: {
        query: z.object({
          tz: z.string().optional().openapi({
            description: "IANA time zone of a CSV's spreadsheet date-times (default MODQC_TZ)",
            example: "Asia/Seoul",
          }),
          charset: charsetQuery,
          allowNewIds: z.enum(["true", "false"]).optional().openapi({
            description:
              "true: store audits even when they look like a spreadsheet's mangled copy of stored ones (no 409 suspected_duplicate)",
          }),
        }),
        body: {
          required: true,
          content: {
            "application/json": {
              schema: { oneOf: [auditJsonSchema, { type: "array", items: auditJsonSchema }] },
            },
            "application/x-ndjson": {
              schema: { type: "string", description: "One audit JSON object per line" },
            },
            "text/csv": {
              schema: {
                type: "string",
                description: `Header row with columns from: ${AUDIT_FIELDS.join(", ")}`,
              },
            },
          },
        },
      },
      responses: {
        200: jsonResponse(IngestResult, "Committed: how many were new and how many were exact duplicates"),
        ...errorResponses(400, 401, 403, 409, 413, 415),
      },
    }),
    async (c) => {
      const { db, config, writer } = c.get("deps");
      const key = c.get("apiKey")!;
      const query = c.req.valid("query");
      const timeZone = resolveTimeZone(query.tz, config.timeZone);
      const upload = await receiveUpload(c, query.charset, timeZone);
      if (!upload) {
        throw new ApiError(
          415,
          "unsupported_media_type",
          "send application/json, application/x-ndjson, text/csv or an .xlsx workbook",
        );
      }
      const { format, spool } = upload;
      try {
        const rater = key.role === "auditor" ? (key.rater ?? "") : undefined;
        const allowNewIds = query.allowNewIds === "true";
        const uploader = { rater, recordedBy: callerIdentity(key), timeZone, allowNewIds };
        const result = await uploadAudits(db, writer, spool, format, uploader);
        onAuditsIngested(c.get("deps"), result.inserted); // schedules alert evaluation; never awaited here
        return c.json(result, 200);
      } finally {
        spool.dispose();
      }
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/audits",
      operationId: "listAudits",
      tags: ["audits"],
      summary:
        "List audits: cursor-paginated JSON, or the whole selection as CSV (with BOM, for Excel) or NDJSON",
      description: [
        "The report filters select the same audits a report counts (`errorType`: only errors of that type); `outcome`, `minSeverity` and `id` narrow by verdict or to one audit (the dashboard's drill-down from a report to the audits behind it).",
        "An auditor key that has a dispute's blind second review to record does not get that audit (GET /v1/work/reviews) until it records the review.",
        "An auditor key does not get the audits of samples with gold items mixed into their queues (their absence beside the queue would show which items were gold); its own verdicts there are in GET /v1/work.",
      ].join("\n\n"),
      request: { query: ListQuery },
      responses: {
        200: exportResponse(
          z.object({ audits: z.array(ListedAudit), nextCursor: z.string().nullable() }).openapi("AuditPage"),
          "A page of audits and the cursor for the next page; or every selected audit as a file",
          { csv: "", ndjson: "", xlsx: "" },
        ),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const query = negotiated(c, c.req.valid("query"), ListQuery.shape.format.unwrap().options);
      const { db, config } = c.get("deps");
      const filter = toFilter(query, resolveTimeZone(query.tz, config.timeZone));
      const after = decodeCursor(query.cursor);
      // A second reviewer does not see the audits it reviews blind (issue 14).
      const hiddenFromReviewer = await blindReviewer(db, c.get("apiKey")!);
      const listing = {
        filter,
        outcome: query.outcome,
        minSeverity: query.minSeverity,
        id: query.id,
        hiddenFromReviewer,
        // Nor an auditor the audits of samples with gold mixed in (issue 16: they would show which items were gold).
        withoutGoldSamples: c.get("apiKey")!.role === "auditor",
      };
      if (query.format === "json") {
        const page = await auditPage(db, listing, after, query.limit);
        const nextCursor =
          page.audits.length === query.limit && page.lastSeq ? encodeCursor(page.lastSeq) : null;
        return c.json({ audits: page.audits, nextCursor }, 200);
      }
      if (query.format === "xlsx") {
        const timeZone = resolveTimeZone(query.tz, config.timeZone);
        return c.body(await auditsXlsx(db, listing, after, timeZone), 200, xlsxHeaders("audits"));
      }
      // Export everything that exists now, page by page as the client reads (backpressure via pull).
      const maxSeq = await maxAuditSeq(db);
      let cursor = after;
      let started = false;
      const encoder = new TextEncoder();
      const line =
        query.format === "csv"
          ? (a: StoredAudit) => csvLine(EXPORT_FIELDS.map((f) => a[f]))
          : (a: StoredAudit) => `${JSON.stringify(a)}\n`;
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          let out = "";
          if (!started) {
            started = true;
            if (query.format === "csv") out += CSV_BOM + csvLine(EXPORT_FIELDS);
          }
          const page = await listAudits(db, listing, cursor, EXPORT_PAGE, maxSeq);
          for (const audit of page.audits) out += line(audit);
          if (out) controller.enqueue(encoder.encode(out));
          if (page.lastSeq === undefined || page.audits.length < EXPORT_PAGE) controller.close();
          else cursor = page.lastSeq;
        },
      });
      const type = query.format === "csv" ? CSV_CONTENT_TYPE : "application/x-ndjson; charset=utf-8";
      return c.body(stream, 200, { "content-type": type });
    },
  );
