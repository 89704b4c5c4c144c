import { z } from "@hono/zod-openapi";
import { resolveTimeZone } from "../audits/filters.ts";
import {
  absentCounts,
  distinctCounts,
  getPopulation,
  listPopulations,
  samplesUsing,
  valueCounts,
} from "../db/populations.ts";
import { route } from "../http/auth.ts";
import { ApiError, notFound } from "../http/errors.ts";
import { createRouter } from "../http/router.ts";
import { charsetQuery, errorResponses, jsonResponse, wellFormed } from "../http/schemas.ts";
import { receiveUpload } from "../http/upload-body.ts";
import { MAX_CONTEXT_COLUMNS, MAX_CONTEXT_NAME, MAX_CONTEXT_TEXT, MAX_URL } from "../sampling/context.ts";
import { removePopulation, storePopulation } from "../sampling/store.ts";
import { MAX_DISTINCT_VALUES, MAX_EXTRA_COLUMNS, MAX_POPULATION_ROWS } from "../sampling/upload.ts";
import { FORMULA_GUARD_DESCRIPTION, UPLOAD_ENCODING_DESCRIPTION } from "../uploads/upload-docs.ts";
import { XLSX_UPLOAD_DESCRIPTION } from "../xlsx/reader.ts";

const IdParam = z.object({ id: z.string().min(1).max(100) });

const PopulationSummary = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    count: z.number().int().openapi({ description: "Number of decisions" }),
    attributes: z.record(z.string(), z.number().int()).openapi({
      description:
        "Number of distinct values of each attribute (decisions without a value are not counted, as in SQL COUNT(DISTINCT))",
      example: { queue: 3, moderator: 41, market: 2 },
    }),
    createdAt: z.string(),
  })
  .openapi("PopulationSummary");

const PopulationDetail = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    count: z.number().int(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    attributes: z.record(z.string(), z.record(z.string(), z.number().int())).openapi({
      description:
        "Decisions per value of each attribute, most frequent first (decisions without a value: see absent)",
      example: { queue: { hate: 620, spam: 380 }, market: { KR: 700, US: 300 } },
    }),
    distinct: z.record(z.string(), z.number().int()),
    absent: z.record(z.string(), z.number().int()).openapi({
      description:
        'Decisions without a value for each attribute; in strata they form the stratum `attribute=` (value "")',
    }),
    samples: z.array(z.string()).openapi({ description: "Ids of the samples drawn from this population" }),
  })
  .openapi("Population");

export const populationsRouter = createRouter()
  .openapi(
    route("lead", {
      method: "post",
      path: "/v1/populations",
      operationId: "uploadPopulation",
      tags: ["sampling"],
      summary: "Upload a population of decisions to sample from (streamed, all or nothing)",
      description: [
        "Body: `text/csv` (header row, RFC 4180 quoting) or `application/x-ndjson` (one JSON object per line); `application/json` (one object or an array) is accepted too.",
        UPLOAD_ENCODING_DESCRIPTION,
        XLSX_UPLOAD_DESCRIPTION,
        FORMULA_GUARD_DESCRIPTION,
        "Each row is one decision: `id` (unique within the population), `queue`, `moderator`, optional `label`, `policy`, `market`, `decidedAt` (ISO 8601 with offset), and any other string columns, kept as attributes usable for strata. Empty or null = absent. At most 500 characters per value.",
        `Context columns, shown to auditors with the sample items and never attributes (no strata, not counted in \`attributes\`, no distinct-value limit): \`url\` (the decision's page in the moderation tool: an absolute http or https URL, at most ${MAX_URL.toLocaleString("en-US")} characters), \`content\` (a short excerpt or caption, at most ${MAX_CONTEXT_TEXT.toLocaleString("en-US")} characters) and \`context.<name>\` columns (a labelled field; name 1 to ${MAX_CONTEXT_NAME} characters, value at most ${MAX_CONTEXT_TEXT.toLocaleString("en-US")} characters, at most ${MAX_CONTEXT_COLUMNS} such columns). A bad value → \`invalid_rows\` naming the line and the column.`,
        `Up to ${MAX_POPULATION_ROWS.toLocaleString("en-US")} rows, ${MAX_EXTRA_COLUMNS} extra columns and ${MAX_DISTINCT_VALUES.toLocaleString("en-US")} distinct values per attribute; the body is spooled, so memory stays bounded.`,
        "A duplicate id (→ `duplicate_ids`, naming every line of each duplicated id) or a bad row (→ `invalid_rows`, with line numbers; the header is line 1) → 400 and nothing is stored.",
      ].join("\n\n"),
      request: {
        query: z.object({
          name: wellFormed(z.string().min(1).max(200))
            .optional()
            .openapi({ description: "A label for people" }),
          charset: charsetQuery,
          tz: z.string().max(100).optional().openapi({
            description: "An .xlsx upload: the IANA time zone of its date cells (default MODQC_TZ)",
            example: "Asia/Seoul",
          }),
        }),
        body: {
          required: true,
          content: {
            "text/csv": {
              schema: {
                type: "string",
                description:
                  "Header row: id, queue, moderator[, label, policy, market, decidedAt, url, content, context.<name>, …]",
              },
            },
            "application/x-ndjson": {
              schema: { type: "string", description: "One decision object per line" },
            },
          },
        },
      },
      responses: {
        201: jsonResponse(
          PopulationSummary,
          "Stored: the id, the row count and each attribute's distinct values",
        ),
        ...errorResponses(400, 401, 403, 413, 415),
      },
    }),
    async (c) => {
      const { db, config, writer } = c.get("deps");
      const key = c.get("apiKey")!;
      const query = c.req.valid("query");
      const upload = await receiveUpload(c, query.charset, resolveTimeZone(query.tz, config.timeZone));
      if (!upload) {
        throw new ApiError(
          415,
          "unsupported_media_type",
          "send text/csv, application/x-ndjson or an .xlsx workbook",
        );
      }
      const { format, spool } = upload;
      try {
        const name = query.name ?? null;
        const result = await storePopulation(db, writer, spool, format, name, key.name);
        return c.json(result, 201);
      } finally {
        spool.dispose();
      }
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/populations",
      operationId: "listPopulations",
      tags: ["sampling"],
      summary: "List populations",
      responses: {
        200: jsonResponse(
          z.object({ populations: z.array(PopulationSummary) }),
          "All populations, oldest first",
        ),
        ...errorResponses(401, 403),
      },
    }),
    async (c) => {
      const { db } = c.get("deps");
      const populations = [];
      for (const p of await listPopulations(db)) {
        const attributes = await distinctCounts(db, p);
        populations.push({ id: p.id, name: p.name, count: p.count, attributes, createdAt: p.createdAt });
      }
      return c.json({ populations }, 200);
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/populations/{id}",
      operationId: "getPopulation",
      tags: ["sampling"],
      summary: "A population: decisions per value of each attribute",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(PopulationDetail, "The population"),
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { db } = c.get("deps");
      const population = await getPopulation(db, c.req.valid("param").id);
      if (!population) throw notFound("population");
      return c.json(
        {
          id: population.id,
          name: population.name,
          count: population.count,
          createdAt: population.createdAt,
          createdBy: population.createdBy,
          attributes: await valueCounts(db, population),
          distinct: await distinctCounts(db, population),
          absent: await absentCounts(db, population),
          samples: await samplesUsing(db, population.id),
        },
        200,
      );
    },
  )
  .openapi(
    route("lead", {
      method: "delete",
      path: "/v1/populations/{id}",
      operationId: "deletePopulation",
      tags: ["sampling"],
      summary: "Delete a population that no sample uses",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(
          z.object({
            id: z.string(),
            name: z.string().nullable(),
            count: z.number().int(),
            deleted: z.boolean(),
          }),
          "Deleted, with its decisions",
        ),
        ...errorResponses(401, 403, 404, 409),
      },
    }),
    async (c) => {
      const population = await removePopulation(c.get("deps").db, c.req.valid("param").id);
      return c.json(
        { id: population.id, name: population.name, count: population.count, deleted: true },
        200,
      );
    },
  );
