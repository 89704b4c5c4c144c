import { z } from "@hono/zod-openapi";
import { CsvError } from "csv-parse";
import { parse } from "csv-parse/sync";
import type { Context } from "hono";
import { agreement, itemDisagreement, raterReport } from "../../stats/agreement/index.ts";
import { StatsInputError } from "../../stats/errors.ts";
import { onCalibrationClosed } from "../alerts/index.ts";
import {
  type CalibrationMeta,
  CategoryMatcher,
  closeCalibration,
  createCalibration,
  findCalibration,
  getCalibration,
  type Label,
  LEVELS,
  labelTextKey,
  listCalibrations,
  listItems,
  type RatingWrite,
  raterLabels,
  raterProgress,
  ratingsMatrix,
  sessionKeys,
  writeRatings,
} from "../db/calibrations.ts";
import { route } from "../http/auth.ts";
import { CSV_BOM, csvLine } from "../http/csv.ts";
import type { AppEnv } from "../http/env.ts";
import { ApiError, badRequest, conflict, type ErrorDetail, notFound } from "../http/errors.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, openUnit, wellFormed } from "../http/schemas.ts";
import { AgreementResultSchema, MAX_RATERS, WEIGHT_VALUES } from "./agreement.ts";

/** At most this many bad rows or fields are listed in one 400 answer. */
const MAX_DETAILS = 100;

const LabelSchema = z.union([wellFormed(z.string().min(1).max(200)), z.number()]).openapi("Label", {
  description: 'A category: a string (any Unicode) or a number. 1 and "1" are different.',
});

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
          gold: LabelSchema.nullable().optional().openapi({
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
        gold: LabelSchema.nullable().optional().openapi({ description: "Only once the session is closed" }),
      }),
    )
    .openapi({
      description: "Item ids in session order; gold labels only after close (the session is blind)",
    }),
}).openapi("CalibrationDetail");

const RatingsUpdate = z
  .object({
    ratings: z.record(z.string(), LabelSchema.nullable()).openapi({
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
    gold: LabelSchema.nullable(),
    consensus: LabelSchema.nullable().openapi({
      description: "The modal label; null when tied or fewer than two ratings",
    }),
    tie: z.boolean(),
    agreement: z.number().nullable().openapi({ description: "Share of agreeing rater pairs on the item" }),
    ratings: z.number().int(),
    labels: z
      .record(z.string(), LabelSchema.nullable())
      .openapi({ description: "rater → label (null = none)" }),
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
  format: z.enum(["json", "csv"]).default("json").openapi({ description: "csv: the item table only" }),
});

const IdParam = z.object({ id: z.string().min(1).max(100) });
const RaterParam = IdParam.extend({ rater: z.string().min(1).max(200) });
const ListQuery = z.object({ status: z.enum(["open", "closed"]).optional() });

type Ctx = Context<AppEnv>;

function sessionOr404(c: Ctx, id: string): CalibrationMeta {
  const session = findCalibration(c.get("deps").db, id);
  if (!session) throw notFound("calibration session");
  return session;
}

/** An auditor key writes (and, while open, reads) only its own rater; lead and admin may write any rater. */
function assertMayWrite(c: Ctx, rater: string, where?: string): void {
  const key = c.get("apiKey");
  if (key?.role === "auditor" && key.rater !== rater) {
    throw new ApiError(
      403,
      "forbidden",
      `an auditor key may write only its own rater (${JSON.stringify(key.rater)}), not ${JSON.stringify(rater)}`,
      where ? [{ path: where, message: "another rater" }] : undefined,
    );
  }
}

function assertOpen(session: Pick<CalibrationMeta, "id" | "status">): void {
  if (session.status !== "open")
    throw conflict(`calibration session ${session.id} is closed; ratings cannot change`);
}

function rejectIfAny(details: ErrorDetail[], message: string): void {
  if (details.length > 0) {
    const shown = details.slice(0, MAX_DETAILS);
    throw badRequest(
      `${message}: ${shown.map((d) => d.path).join(", ")}${details.length > shown.length ? ", …" : ""}; nothing was written`,
      shown,
    );
  }
}

function applyWrites(c: Ctx, session: CalibrationMeta, writes: RatingWrite[], progressFor: string[]) {
  const result = writeRatings(c.get("deps").db, session.id, writes, c.get("apiKey")?.id ?? null, progressFor);
  if (result === "not_found") throw notFound("calibration session");
  if (result === "closed") assertOpen({ ...session, status: "closed" });
  return result as Exclude<typeof result, string>;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Parses an `item,rater,label` CSV body (RFC 4180, optional BOM, any line ending) into rows with their record number. */
function parseRatingsCsv(text: string): { row: number; item: string; rater: string; label: string }[] {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      relax_column_count: true,
      record_delimiter: ["\r\n", "\n", "\r"],
    }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) {
      const record = ((error as CsvError & { records?: number }).records ?? 0) + 1;
      throw badRequest(`the CSV does not parse: ${error.message}`, [
        { path: `rows.${record}`, message: error.message },
      ]);
    }
    throw error;
  }
  const header = (records[0] ?? []).map((name) => name.trim().toLowerCase());
  const column = {
    item: header.indexOf("item"),
    rater: header.indexOf("rater"),
    label: header.indexOf("label"),
  };
  const missing = Object.entries(column).filter(([, index]) => index < 0);
  if (missing.length > 0) {
    throw badRequest("the CSV needs a header row with the columns item, rater, label", [
      ...missing.map(([name]) => ({ path: "rows.1", message: `no ${name} column in the header row` })),
    ]);
  }
  const rows: { row: number; item: string; rater: string; label: string }[] = [];
  for (let r = 1; r < records.length; r++) {
    const record = records[r];
    if (record.every((field) => field.trim() === "")) continue;
    rows.push({
      row: r + 1,
      item: record[column.item] ?? "",
      rater: record[column.rater] ?? "",
      label: record[column.label] ?? "",
    });
  }
  return rows;
}

type ItemRowValue = z.infer<typeof ItemRow>;

/** The item table: every item, least agreement first (ties by session order), unpairable items last. */
function itemTable(
  items: { id: string; gold: Label | null }[],
  raters: string[],
  ratings: (Label | null)[][],
  categories: Label[],
): ItemRowValue[] {
  const row = (i: number, agreementShare: number | null, modal: Label[], count: number): ItemRowValue => ({
    id: items[i].id,
    gold: items[i].gold,
    consensus: modal.length === 1 ? modal[0] : null,
    tie: modal.length > 1,
    agreement: agreementShare,
    ratings: count,
    labels: Object.fromEntries(raters.map((rater, j) => [rater, ratings[i][j]])),
  });
  const table = itemDisagreement({ ratings, raters, categories, includeUnanimous: true });
  const rows = table.splits.map((split) => row(split.item, split.agreement, split.modal, split.ratings));
  const listed = new Set(table.splits.map((split) => split.item));
  items.forEach((_, i) => {
    if (!listed.has(i)) rows.push(row(i, null, [], ratings[i].filter((label) => label !== null).length));
  });
  return rows;
}

function reportCsv(raters: string[], rows: ItemRowValue[]): string {
  const quoteAll = { quoteAll: true };
  let out = CSV_BOM + csvLine(["item", "gold", "consensus", "agreement", "ratings", ...raters], quoteAll);
  for (const r of rows) {
    const labels = raters.map((rater) => r.labels[rater]);
    out += csvLine([r.id, r.gold, r.consensus, r.agreement, r.ratings, ...labels], quoteAll);
  }
  return out;
}

export const calibrationsRouter = createRouter()
  .openapi(
    route("lead", {
      method: "post",
      path: "/v1/calibrations",
      tags: ["calibration"],
      summary: "Open a blind calibration session: items (with optional gold labels), raters and categories",
      request: { body: jsonBody(NewCalibration) },
      responses: {
        201: jsonResponse(Calibration, "The new session, open"),
        ...errorResponses(400, 401, 403),
      },
    }),
    (c) => {
      const body = c.req.valid("json");
      const matcher = new CategoryMatcher(body.categories);
      const session = createCalibration(c.get("deps").db, {
        name: body.name,
        categories: body.categories,
        level: body.level,
        items: body.items.map((item) => ({
          id: item.id,
          gold: item.gold == null ? null : matcher.fromJson(item.gold)!,
        })),
        raters: body.raters,
        createdBy: c.get("apiKey")?.id ?? null,
      });
      return c.json(session, 201);
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/calibrations",
      tags: ["calibration"],
      summary: "List calibration sessions with their status and progress, newest first",
      request: { query: ListQuery },
      responses: {
        200: jsonResponse(z.object({ calibrations: z.array(Calibration) }), "Sessions (no labels)"),
        ...errorResponses(400, 401, 403),
      },
    }),
    (c) => c.json({ calibrations: listCalibrations(c.get("deps").db, c.req.valid("query").status) }, 200),
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/calibrations/{id}",
      tags: ["calibration"],
      summary: "A session's metadata, item ids and each rater's progress (never labels while open)",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(CalibrationDetail, "The session"),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    (c) => {
      const session = getCalibration(c.get("deps").db, c.req.valid("param").id);
      if (!session) throw notFound("calibration session");
      const items = listItems(c.get("deps").db, session.id);
      const itemList = session.status === "closed" ? items : items.map((item) => ({ id: item.id }));
      return c.json({ ...session, itemList }, 200);
    },
  )
  .openapi(
    route("auditor", {
      method: "put",
      path: "/v1/calibrations/{id}/ratings/{rater}",
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
    (c) => {
      const { id, rater } = c.req.valid("param");
      const session = sessionOr404(c, id);
      assertMayWrite(c, rater);
      assertOpen(session);
      const { items, raters } = sessionKeys(c.get("deps").db, id);
      if (!raters.has(rater)) {
        throw badRequest(`rater ${JSON.stringify(rater)} is not in this session`, [
          { path: "rater", message: `not one of the session's raters` },
        ]);
      }
      const matcher = new CategoryMatcher(session.categories);
      const details: ErrorDetail[] = [];
      const writes: RatingWrite[] = [];
      for (const [item, label] of Object.entries(c.req.valid("json").ratings)) {
        const path = `ratings.${item}`;
        if (!items.has(item)) {
          details.push({ path, message: `unknown item ${JSON.stringify(item)}` });
          continue;
        }
        if (label === null) {
          writes.push({ rater, item, label: null });
          continue;
        }
        const category = matcher.fromJson(label);
        if (category === undefined) {
          details.push({
            path,
            message: `label ${JSON.stringify(label)} is not one of the session's categories`,
          });
        } else writes.push({ rater, item, label: category });
      }
      rejectIfAny(details, "unknown items or labels");
      return c.json(applyWrites(c, session, writes, [rater]), 200);
    },
  )
  .openapi(
    route("auditor", {
      method: "post",
      path: "/v1/calibrations/{id}/ratings",
      tags: ["calibration"],
      summary: "Import labels from CSV (item,rater,label)",
      description:
        "Body: text/csv, UTF-8 with or without a BOM, a header row naming the columns item, rater and label (any order; other columns are ignored), fields quoted as RFC 4180. An empty label clears. Errors name `rows.N` with N the row number as a spreadsheet shows it (the header is row 1). Everything is checked first; one bad row writes nothing. An auditor key may import only its own rater's rows.",
      request: {
        params: IdParam,
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
      const { id } = c.req.valid("param");
      const session = sessionOr404(c, id);
      assertOpen(session);
      const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
      if (type !== "text/csv" && type !== "text/plain") {
        throw new ApiError(415, "unsupported_media_type", "send the ratings as text/csv (item,rater,label)");
      }
      let text: string;
      try {
        text = utf8.decode(await c.req.arrayBuffer());
      } catch {
        throw badRequest('the CSV is not UTF-8: save it as "CSV UTF-8" (Excel) and send it again', [
          { path: "body", message: "not valid UTF-8" },
        ]);
      }
      const rows = parseRatingsCsv(text);
      const { items, raters } = sessionKeys(c.get("deps").db, id);
      const matcher = new CategoryMatcher(session.categories);
      const details: ErrorDetail[] = [];
      const writes: RatingWrite[] = [];
      const seen = new Map<string, number>();
      for (const row of rows) {
        assertMayWrite(c, row.rater, `rows.${row.row}.rater`);
        const at = (field: string) => `rows.${row.row}.${field}`;
        let ok = true;
        if (!items.has(row.item)) {
          details.push({ path: at("item"), message: `unknown item ${JSON.stringify(row.item)}` });
          ok = false;
        }
        if (!raters.has(row.rater)) {
          details.push({ path: at("rater"), message: `unknown rater ${JSON.stringify(row.rater)}` });
          ok = false;
        }
        const label = row.label.trim() === "" ? null : matcher.fromText(row.label);
        if (label === undefined) {
          details.push({
            path: at("label"),
            message: `label ${JSON.stringify(row.label)} is not one of the categories`,
          });
          ok = false;
        }
        const pair = JSON.stringify([row.item, row.rater]);
        const first = seen.get(pair);
        if (first !== undefined) {
          details.push({ path: at("item"), message: `row ${first} already gives this item for this rater` });
          ok = false;
        } else seen.set(pair, row.row);
        if (ok) writes.push({ rater: row.rater, item: row.item, label: label as Label | null });
      }
      rejectIfAny(details, "bad rows");
      const written = [...new Set(writes.map((w) => w.rater))];
      const order = session.raters.filter((rater) => written.includes(rater));
      return c.json({ ...applyWrites(c, session, writes, order), rows: rows.length }, 200);
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/calibrations/{id}/ratings/{rater}",
      tags: ["calibration"],
      summary:
        "One rater's labels: only that rater's own auditor key while open; anyone (viewer+) after close",
      request: { params: RaterParam },
      responses: {
        200: jsonResponse(RaterRatings, "The rater's labels"),
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    (c) => {
      const { id, rater } = c.req.valid("param");
      const session = sessionOr404(c, id);
      const key = c.get("apiKey");
      if (session.status === "open" && !(key?.role === "auditor" && key.rater === rater)) {
        throw new ApiError(
          403,
          "forbidden",
          "the session is blind while open: only the rater's own auditor key may see its labels until the session closes",
        );
      }
      if (!session.raters.includes(rater)) throw notFound(`rater ${JSON.stringify(rater)} in this session`);
      const progress = raterProgress(c.get("deps").db, id, rater);
      const labels = raterLabels(c.get("deps").db, id, rater);
      const ratings: Record<string, Label> = Object.fromEntries(
        labels.map(({ item, label }) => [item, label]),
      );
      return c.json({ rater, status: session.status, ratings, progress }, 200);
    },
  )
  .openapi(
    route("lead", {
      method: "post",
      path: "/v1/calibrations/{id}/close",
      tags: ["calibration"],
      summary: "Close a session: ratings freeze and the report becomes available",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(Calibration, "The closed session"),
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    (c) => {
      const result = closeCalibration(c.get("deps").db, c.req.valid("param").id);
      if (result === "not_found") throw notFound("calibration session");
      if (result === "already_closed") throw conflict("the calibration session is already closed");
      onCalibrationClosed(c.get("deps"), result.id); // alerting: agreement rules, calibration.closed (after commit)
      return c.json(result, 200);
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/calibrations/{id}/report",
      tags: ["calibration"],
      summary:
        "Agreement report of a closed session: coefficients, each rater vs gold and consensus, items to discuss",
      description:
        "409 while the session is open: the session is blind and nobody, not even a lead, sees others' labels before it closes. `format=csv` gives the item table as CSV (UTF-8 with a BOM so Excel shows Korean text).",
      request: { params: IdParam, query: ReportQuery },
      responses: {
        200: {
          description: "The report",
          content: {
            "application/json": { schema: CalibrationReport },
            "text/csv": {
              schema: z.string().openapi({ description: "item,gold,consensus,agreement,ratings,<rater>…" }),
            },
          },
        },
        ...errorResponses(400, 401, 403, 404, 409, 422),
      },
    }),
    (c) => {
      const { id } = c.req.valid("param");
      const query = c.req.valid("query");
      const session = sessionOr404(c, id);
      if (session.status === "open") {
        throw conflict("the session is blind while open: its report is available once a lead closes it");
      }
      const { items, raters, ratings } = ratingsMatrix(c.get("deps").db, id);
      const categories = session.categories;
      const rows = itemTable(items, raters, ratings, categories);
      if (query.format === "csv") {
        return c.body(reportCsv(raters, rows), 200, {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="calibration-${encodeURIComponent(id)}.csv"`,
        });
      }
      const weights = query.weights ?? "unweighted";
      let result: ReturnType<typeof agreement>;
      let report: ReturnType<typeof raterReport>;
      try {
        result = agreement({
          ratings,
          raters,
          categories,
          level: session.level,
          weights,
          confidence: query.confidence,
        });
        const hasGold = items.some((item) => item.gold !== null);
        report = raterReport({
          ratings,
          raters,
          categories,
          weights,
          gold: hasGold ? items.map((item) => item.gold) : undefined,
        });
      } catch (error) {
        // The session's inputs were validated on the way in, so this is a session the statistics cannot use.
        if (error instanceof StatsInputError) {
          throw new ApiError(
            422,
            "unprocessable",
            `the session's ratings cannot be analysed: ${error.message}`,
          );
        }
        throw error;
      }
      const { items: itemCount, ...coefficients } = result;
      return c.json(
        {
          calibration: { id: session.id, name: session.name, closedAt: session.closedAt },
          ...coefficients,
          itemCount,
          raterReport: report.raters.map((entry) => ({
            ...entry,
            consensus: { ...entry.consensus, tiedItems: entry.consensus.tiedItems.map((i) => items[i].id) },
          })),
          items: rows,
        },
        200,
      );
    },
  );
