import { z } from "@hono/zod-openapi";
import { onCalibrationClosed } from "../alerts/index.ts";
import { importRatingsCsv, putRatings, writableSession } from "../calibrations/ratings.ts";
import { closeSession, openSession, raterRatings, sessionDetail } from "../calibrations/sessions.ts";
import { CSV_CONTENT_TYPE, tableCsv } from "../csv.ts";
import { CategoryMatcher, LEVELS, labelTextKey, listCalibrations } from "../db/calibrations.ts";
import { route } from "../http/auth.ts";
import { computeOf } from "../http/env.ts";
import { ApiError } from "../http/errors.ts";
import { negotiated } from "../http/negotiate.ts";
import { createRouter } from "../http/router.ts";
import {
  charsetQuery,
  errorResponses,
  exportResponse,
  jsonBody,
  jsonResponse,
  openUnit,
  wellFormed,
} from "../http/schemas.ts";
import { requestedCharset } from "../uploads/text-encoding.ts";
import { FORMULA_GUARD_DESCRIPTION, UPLOAD_ENCODING_DESCRIPTION } from "../uploads/upload-docs.ts";
import { xlsxHeaders, xlsxOfTable } from "../xlsx/writer.ts";
import { AgreementResultSchema, MAX_RATERS, WEIGHT_VALUES } from "./agreement.ts";

const LabelSchema = z.union([wellFormed(z.string().min(1).max(200)), z.number()]).openapi("Label", {
  description: 'A category: a string (any Unicode) or a number. 1 and "1" are different.',
});
/** `LabelSchema.nullable()` would lose the null in the document (a registered schema is written as its $ref). */
const NullableLabel = z.union([LabelSchema, z.null()]);

const NewCalibration = z
  .object({
    name: wellFormed(z.string().trim().min(1).max(200)),
    categories: z.array(LabelSchema).min(1).max(200).openapi({
      description: "The allowed labels, in order (the order matters for ordinal levels and weights)",
    }),
    level: z
      .enum(LEVELS)
      .default("nominal")
      .openapi({ description: "Measurement level for Krippendorff's alpha" }),
    items: z
      .array(
        z.object({
          id: wellFormed(z.string().min(1).max(200)),
          gold: NullableLabel.optional().openapi({
            description:
              "The reference answer, one of categories. Hidden from every response until the session closes.",
          }),
        }),
      )
      .min(1)
      .max(10_000),
    raters: z
      .array(wellFormed(z.string().trim().min(1).max(200)))
      .min(2)
      .max(MAX_RATERS)
      .openapi({
        description: "Rater names; an auditor key bound to one of these names may write that rater's labels",
      }),
  })
  .superRefine((body, ctx) => {
    const seenCategories = new Map<string, number>();
    body.categories.forEach((category, k) => {
      if (typeof category === "string" && category.trim() === "") {
        ctx.addIssue({ code: "custom", path: ["categories", k], message: "a category must not be blank" });
      }
      const key = labelTextKey(category);
      const first = seenCategories.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["categories", k],
          message: `categories.${k} repeats categories.${first} (${JSON.stringify(category)}); categories must differ as CSV text too`,
        });
      } else seenCategories.set(key, k);
    });
    if (body.level === "interval" || body.level === "ratio") {
      body.categories.forEach((category, k) => {
        if (typeof category !== "number" || (body.level === "ratio" && category < 0)) {
          ctx.addIssue({
            code: "custom",
            path: ["categories", k],
            message: `${body.level} level needs ${body.level === "ratio" ? "non-negative " : ""}numeric categories`,
          });
        }
      });
    }
    const matcher = new CategoryMatcher(body.categories);
    const seenItems = new Map<string, number>();
    body.items.forEach((item, i) => {
      const first = seenItems.get(item.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["items", i, "id"],
          message: `item id ${JSON.stringify(item.id)} repeats items.${first}.id`,
        });
      } else seenItems.set(item.id, i);
      if (item.gold != null && matcher.fromJson(item.gold) === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["items", i, "gold"],
          message: `gold label ${JSON.stringify(item.gold)} is not one of categories`,
        });
      }
    });
    const seenRaters = new Map<string, number>();
    body.raters.forEach((rater, j) => {
      const first = seenRaters.get(rater);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["raters", j],
          message: `rater ${JSON.stringify(rater)} repeats raters.${first}`,
        });
      } else seenRaters.set(rater, j);
    });
  })
  .openapi("NewCalibration");

const RaterProgress = z
  .object({
    rater: z.string(),
    labelled: z.number().int().openapi({ description: "Items this rater has labelled" }),
    remaining: z.number().int().openapi({ description: "Items this rater has not labelled yet" }),
  })
  .openapi("RaterProgress");

const Calibration = z
  .object({
    id: z.string(),
    name: z.string(),
    categories: z.array(LabelSchema),
    level: z.enum(LEVELS),
    status: z.enum(["open", "closed"]),
    items: z.number().int().openapi({ description: "Number of items" }),
    goldItems: z.number().int().openapi({ description: "Items with a gold label" }),
    raters: z.array(z.string()),
    progress: z.array(RaterProgress),
    labelled: z.number().int().openapi({ description: "Ratings given so far" }),
    expected: z.number().int().openapi({ description: "items × raters" }),
    createdAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .openapi("Calibration");

const CalibrationDetail = Calibration.extend({
  itemList: z
    .array(
      z.object({
        id: z.string(),
        gold: NullableLabel.optional().openapi({ description: "Only once the session is closed" }),
      }),
    )
    .openapi({
      description: "Item ids in session order; gold labels only after close (the session is blind)",
    }),
}).openapi("CalibrationDetail");

const RatingsUpdate = z
  .object({
    ratings: z.record(z.string(), NullableLabel).openapi({
      description: "item id → label (one of the session's categories), or null to clear that item's label",
      example: { "post-1": "혐오 표현", "post-2": null },
    }),
  })
  .openapi("RatingsUpdate");

const WriteResult = z
  .object({
    written: z.number().int().openapi({ description: "Labels set" }),
    cleared: z.number().int().openapi({ description: "Labels removed" }),
    progress: z.array(RaterProgress).openapi({ description: "Progress of the raters written" }),
  })
  .openapi("RatingsWriteResult");

const ImportResult = WriteResult.extend({
  rows: z.number().int().openapi({ description: "Data rows read (blank rows skipped)" }),
}).openapi("RatingsImportResult");

const RaterRatings = z
  .object({
    rater: z.string(),
    status: z.enum(["open", "closed"]),
    ratings: z.record(z.string(), LabelSchema).openapi({ description: "item id → label, in item order" }),
    progress: RaterProgress,
  })
  .openapi("RaterRatings");

const ReferenceComparison = z
  .object({
    items: z
      .number()
      .int()
      .openapi({ description: "Items with both a reference label and this rater's label" }),
    accuracy: z.number().nullable(),
    kappa: z.number().nullable().openapi({ description: "Cohen's kappa, rater vs reference" }),
    interpretation: z.string().nullable(),
    undefinedReason: z.string().nullable(),
    confusion: z.array(z.array(z.number())).openapi({
      description:
        "confusion[r][c]: items whose reference is categories[r] that the rater labelled categories[c]",
    }),
    perCategory: z.array(
      z.object({
        category: LabelSchema,
        referenceCount: z.number(),
        raterCount: z.number(),
        correct: z.number(),
        recall: z.number().nullable(),
        precision: z.number().nullable(),
      }),
    ),
  })
  .openapi("ReferenceComparison");

const RaterReportEntry = z
  .object({
    rater: z.string(),
    rated: z.number().int(),
    gold: ReferenceComparison.nullable().openapi({
      description: "Against the gold labels; null without gold",
    }),
    consensus: ReferenceComparison.extend({
      ties: z.number().int(),
      tiedItems: z
        .array(z.string())
        .openapi({ description: "Items where the other raters' mode is tied (left out)" }),
      noConsensus: z.number().int(),
    }).openapi({ description: "Against the modal label of the other raters on each item" }),
  })
  .openapi("RaterReportEntry");

const ItemRow = z
  .object({
    id: z.string(),
    gold: NullableLabel,
    consensus: NullableLabel.openapi({
      description: "The modal label; null when tied or fewer than two ratings",
    }),
    tie: z.boolean(),
    agreement: z.number().nullable().openapi({ description: "Share of agreeing rater pairs on the item" }),
    ratings: z.number().int(),
    labels: z.record(z.string(), NullableLabel).openapi({ description: "rater → label (null = none)" }),
  })
  .openapi("CalibrationItemRow");

const CalibrationReport = AgreementResultSchema.omit({ items: true })
  .extend({
    calibration: z.object({ id: z.string(), name: z.string(), closedAt: z.string().nullable() }),
    itemCount: z.number().int(),
    raterReport: z.array(RaterReportEntry),
    items: z
      .array(ItemRow)
      .openapi({ description: "Least agreement first; items with fewer than two ratings last" }),
  })
  .openapi("CalibrationReport");

const ReportQuery = z.object({
  weights: z.enum(WEIGHT_VALUES).optional().openapi({ description: "Default unweighted" }),
  confidence: z.coerce.number().pipe(openUnit("Default 0.95")).optional(),
  format: z
    .enum(["json", "csv", "xlsx"])
    .default("json")
    .openapi({ description: "csv, xlsx: the item table only" }),
});

const IdParam = z.object({ id: z.string().min(1).max(100) });
const RaterParam = IdParam.extend({ rater: z.string().min(1).max(200) });
const ListQuery = z.object({ status: z.enum(["open", "closed"]).optional() });

export const calibrationsRouter = createRouter()
  .openapi(
    route("lead", {
      method: "post",
      path: "/v1/calibrations",
      operationId: "createCalibration",
      tags: ["calibration"],
      summary: "Open a blind calibration session: items (with optional gold labels), raters and categories",
      request: { body: jsonBody(NewCalibration) },
      responses: {
        201: jsonResponse(Calibration, "The new session, open"),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => c.json(await openSession(c.get("deps").db, c.req.valid("json"), c.get("apiKey")!.id), 201),
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/calibrations",
      operationId: "listCalibrations",
      tags: ["calibration"],
      summary: "List calibration sessions with their status and progress, newest first",
      request: { query: ListQuery },
      responses: {
        200: jsonResponse(z.object({ calibrations: z.array(Calibration) }), "Sessions (no labels)"),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) =>
      c.json({ calibrations: await listCalibrations(c.get("deps").db, c.req.valid("query").status) }, 200),
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/calibrations/{id}",
      operationId: "getCalibration",
      tags: ["calibration"],
      summary: "A session's metadata, item ids and each rater's progress (never labels while open)",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(CalibrationDetail, "The session"),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => c.json(await sessionDetail(c.get("deps").db, c.req.valid("param").id), 200),
  )
  .openapi(
    route("auditor", {
      method: "put",
      path: "/v1/calibrations/{id}/ratings/{rater}",
      operationId: "putCalibrationRatings",
      tags: ["calibration"],
      summary: "Set or clear one rater's labels (merged with what is stored)",
      description:
        "An auditor key may write only its own rater. Every item id and label is checked first; one bad entry writes nothing.",
      request: { params: RaterParam, body: jsonBody(RatingsUpdate) },
      responses: {
        200: jsonResponse(WriteResult, "Counts written and cleared, and the rater's progress"),
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { id, rater } = c.req.valid("param");
      const { ratings } = c.req.valid("json");
      return c.json(await putRatings(c.get("deps").db, id, rater, ratings, c.get("apiKey")!), 200);
    },
  )
  .openapi(
    route("auditor", {
      method: "post",
      path: "/v1/calibrations/{id}/ratings",
      operationId: "addCalibrationRatings",
      tags: ["calibration"],
      summary: "Import labels from CSV (item,rater,label)",
      description: [
        "Body: text/csv, a header row naming the columns item, rater and label (any order; other columns are ignored), fields quoted as RFC 4180. An empty label clears. Errors name `rows.N` with N the row number as a spreadsheet shows it (the header is row 1). Everything is checked first; one bad row writes nothing. An auditor key may import only its own rater's rows.",
        UPLOAD_ENCODING_DESCRIPTION,
        FORMULA_GUARD_DESCRIPTION,
      ].join("\n\n"),
      request: {
        params: IdParam,
        query: z.object({ charset: charsetQuery }),
        body: {
          required: true,
          content: {
            "text/csv": {
              schema: z
                .string()
                .openapi({ example: "item,rater,label\npost-1,alice,혐오 표현\npost-2,alice,\n" }),
            },
          },
        },
      },
      responses: {
        200: jsonResponse(
          ImportResult,
          "Counts written and cleared, and the progress of each rater in the file",
        ),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415),
      },
    }),
    async (c) => {
      const { db } = c.get("deps");
      // The session first: an upload to a missing or closed session is refused before its body is read.
      const session = await writableSession(db, c.req.valid("param").id);
      const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
      if (type !== "text/csv" && type !== "text/plain") {
        throw new ApiError(415, "unsupported_media_type", "send the ratings as text/csv (item,rater,label)");
      }
      const charset = requestedCharset(c.req.valid("query").charset, c.req.header("content-type"));
      const body = { bytes: await c.req.arrayBuffer(), charset };
      return c.json(await importRatingsCsv(db, session, body, c.get("apiKey")!), 200);
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/calibrations/{id}/ratings/{rater}",
      operationId: "getCalibrationRatings",
      tags: ["calibration"],
      summary:
        "One rater's labels: only that rater's own auditor key while open; anyone (viewer+) after close",
      request: { params: RaterParam },
      responses: {
        200: jsonResponse(RaterRatings, "The rater's labels"),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id, rater } = c.req.valid("param");
      return c.json(await raterRatings(c.get("deps").db, id, rater, c.get("apiKey")!), 200);
    },
  )
  .openapi(
    route("lead", {
      method: "post",
      path: "/v1/calibrations/{id}/close",
      operationId: "closeCalibration",
      tags: ["calibration"],
      summary: "Close a session: ratings freeze and the report becomes available",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(Calibration, "The closed session"),
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const session = await closeSession(c.get("deps").db, c.req.valid("param").id);
      onCalibrationClosed(c.get("deps"), session.id); // alerting: agreement rules, calibration.closed (after commit)
      return c.json(session, 200);
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/calibrations/{id}/report",
      operationId: "getCalibrationReport",
      tags: ["calibration"],
      summary:
        "Agreement report of a closed session: coefficients, each rater vs gold and consensus, items to discuss",
      description:
        "409 while the session is open: the session is blind and nobody, not even a lead, sees others' labels before it closes. `format=csv` gives the item table as CSV (UTF-8 with a BOM so Excel shows Korean text).",
      request: { params: IdParam, query: ReportQuery },
      responses: {
        200: exportResponse(CalibrationReport, "The report", {
          csv: "The item table: item,gold,consensus,agreement,ratings,<rater>… (`format=csv` or `Accept: text/csv`)",
          xlsx: "",
        }),
        ...errorResponses(400, 401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const query = negotiated(c, c.req.valid("query"), ReportQuery.shape.format.unwrap().options);
      const compute = computeOf(c.get("deps"));
      if (query.format === "csv") {
        const table = await compute.run("calibration-items-table", { id });
        return c.body(tableCsv(table, { quoteAll: true }), 200, {
          "content-type": CSV_CONTENT_TYPE,
          "content-disposition": `attachment; filename="calibration-${encodeURIComponent(id)}.csv"`,
        });
      }
      if (query.format === "xlsx") {
        const table = await compute.run("calibration-items-table", { id });
        const timeZone = c.get("deps").config.timeZone;
        return c.body(xlsxOfTable("items", table, timeZone), 200, xlsxHeaders(`calibration-${id}`));
      }
      return c.json(await compute.run("calibration-report", { id, ...query }), 200);
    },
  );
