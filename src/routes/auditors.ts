import { z } from "@hono/zod-openapi";
import { auditorsReport, auditorsTable } from "../auditors/report.ts";
import { FilterQuery } from "../audits/filters.ts";
import { CSV_CONTENT_TYPE, tableCsv } from "../csv.ts";
import { route } from "../http/auth.ts";
import { negotiated } from "../http/negotiate.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, exportResponse, wellFormed } from "../http/schemas.ts";
import { xlsxHeaders, xlsxOfTable } from "../xlsx/writer.ts";

const AuditorsQuery = FilterQuery.pick({ from: true, to: true, tz: true }).extend({
  auditor: wellFormed(z.string().min(1).max(500)).optional().openapi({ description: "Only this auditor" }),
  queue: wellFormed(z.string().min(1).max(500))
    .optional()
    .openapi({ description: "Only gold items of this queue" }),
  confidence: z.coerce.number().gt(0).lt(1).default(0.95).openapi({ description: "Of the Wilson intervals" }),
  format: z.enum(["json", "csv", "xlsx"]).default("json"),
});

const Accuracy = {
  gold: z.number().int().openapi({ description: "Gold items judged (the latest verdict of each)" }),
  correct: z.number().int().openapi({ description: "Of them, matching the known answer" }),
  accuracy: z.number().openapi({ description: "correct / gold" }),
  lower: z.number().openapi({ description: "Two-sided Wilson score interval, lower end" }),
  upper: z.number().openapi({ description: "Two-sided Wilson score interval, upper end" }),
};

const AuditorsReport = z
  .object({
    period: z.object({ from: z.string(), to: z.string(), timeZone: z.string() }),
    confidence: z.number(),
    method: z.literal("wilson"),
    auditors: z.array(
      z.object({
        auditor: z.string(),
        ...Accuracy,
        byErrorType: z.array(
          z.object({
            errorType: z.string().openapi({
              description: 'The gold\'s known error type, or "none" for a decision that was right',
            }),
            ...Accuracy,
          }),
        ),
        byQueue: z.array(z.object({ queue: z.string().nullable(), ...Accuracy })),
      }),
    ),
  })
  .openapi("AuditorAccuracyReport");

export const auditorsRouter = createRouter().openapi(
  route("lead", {
    method: "get",
    path: "/v1/auditors",
    operationId: "listAuditorAccuracy",
    tags: ["calibration"],
    summary:
      "Each auditor's accuracy on the gold items mixed into their queues, with Wilson intervals (JSON or CSV)",
    description:
      'A verdict on a gold slot is correct when its outcome equals the known one and, when the known outcome is incorrect, its error type too (severity and policy are not scored); only the latest revision of each slot counts, dated by when it was recorded. By the gold\'s known error type ("none": the decision was right) and by queue. The period is `from`..`to` (dates in `tz`), by default the 90 days up to today, at most 366 days (400 period_too_long). Leads and admins only: an auditor watching its own gold count would learn which item was gold.',
    request: { query: AuditorsQuery },
    responses: {
      200: exportResponse(AuditorsReport, "The auditors, by name", { csv: "", xlsx: "" }),
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => {
    const deps = c.get("deps");
    const offered = AuditorsQuery.shape.format.unwrap().options;
    const { format, ...query } = negotiated(c, c.req.valid("query"), offered);
    const report = await auditorsReport(deps.db, query, deps.config);
    if (format === "csv")
      return c.body(tableCsv(auditorsTable(report)), 200, { "content-type": CSV_CONTENT_TYPE });
    if (format === "xlsx")
      return c.body(
        xlsxOfTable("auditors", auditorsTable(report), deps.config.timeZone),
        200,
        xlsxHeaders("auditors"),
      );
    return c.json(report, 200);
  },
);
