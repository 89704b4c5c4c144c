import { z } from "@hono/zod-openapi";
import { resolveTimeZone } from "../audits/filters.ts";
import { CSV_CONTENT_TYPE, tableCsv } from "../csv.ts";
import { invalidField } from "../errors.ts";
import { route } from "../http/auth.ts";
import { negotiated } from "../http/negotiate.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, exportResponse } from "../http/schemas.ts";
import {
  AUDIT_TEMPLATE_COLUMNS,
  auditTemplateTable,
  sampleItems,
  sampleItemsTable,
  templateAuditor,
} from "../sampling/items.ts";
import { xlsxHeaders, xlsxOfTable } from "../xlsx/writer.ts";

/**
 * `GET /v1/samples/{id}/items`: a sample's drawn decisions with their context (JSON or CSV), and the audit
 * template for a spreadsheet round trip. Mounted by ./samples.ts.
 */

const IdParam = z.object({ id: z.string().min(1).max(100) });

const Item = z
  .object({
    id: z.string().openapi({ description: "The decision id" }),
    stratum: z.string(),
    rank: z
      .number()
      .int()
      .openapi({ description: "Position in its stratum's draw order (1 = smallest priority)" }),
    priority: z.string().openapi({
      description: "First 8 bytes of SHA-256(seed:id) as 16 hex digits (unsigned big-endian)",
      example: "03f1c2d4e5a6b7c8",
    }),
    priorityDecimal: z.string().openapi({ description: "The same unsigned 64-bit integer in decimal" }),
    auditor: z.string().nullable(),
    queue: z.string(),
    moderator: z.string(),
    label: z.string().nullable(),
    policy: z.string().nullable(),
    market: z.string().nullable(),
    decidedAt: z.string().nullable(),
    attributes: z.record(z.string(), z.string().nullable()).openapi({ description: "The extra columns" }),
    url: z.string().nullable().openapi({
      description: "The decision's page in the moderation tool (http or https), from the population",
    }),
    content: z
      .string()
      .nullable()
      .openapi({ description: "A short excerpt or caption, from the population" }),
    context: z.record(z.string(), z.string()).openapi({
      description:
        "The population's `context.<name>` columns of this decision, by name (absent ones left out)",
      example: { reporter: "user-9", surface: "댓글" },
    }),
  })
  .openapi("SampleItem");

const ItemsQuery = z.object({
  format: z.enum(["json", "csv", "xlsx"]).default("json"),
  template: z.enum(["audit"]).optional().openapi({
    description:
      "`audit` (with format=csv or xlsx): the audit template to fill in and upload back to POST /v1/audits, instead of the items",
  }),
  auditor: z.string().min(1).max(500).optional().openapi({ description: "Only this auditor's items" }),
  stratum: z.string().min(1).max(2000).optional().openapi({ description: "Only this stratum's items" }),
  tz: z.string().max(100).optional().openapi({
    description: "format=xlsx: the IANA time zone of the `decidedAt` date cells (default MODQC_TZ)",
    example: "Asia/Seoul",
  }),
});

export const sampleItemsRouter = createRouter().openapi(
  route("viewer", {
    method: "get",
    path: "/v1/samples/{id}/items",
    operationId: "listSampleItems",
    tags: ["sampling"],
    summary: "The drawn decisions with stratum, priority, auditor and context (JSON, or CSV with BOM)",
    description: [
      "Each item: the decision (`id`, `queue`, `moderator`, `label` = the moderator's action, `policy`, `market`, `decidedAt`, the extra columns as `attributes`), its place in the draw (`stratum`, `rank`, `priority`), its `auditor`, and the decision's context from the population: `url`, `content` (null when absent) and `context` (name → value of the `context.<name>` columns; {} when none).",
      "CSV: the same fields, then `sampleId`, `url`, `content` and one `context.<name>` column per context name of the population. Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a leading apostrophe.",
      `\`template=audit\` (format=csv or xlsx): the audit template for a round trip through a spreadsheet. Only the columns POST /v1/audits takes, in this order: ${AUDIT_TEMPLATE_COLUMNS.map((c) => `\`${c}\``).join(", ")}. \`id\` is the verdict's deterministic audit id (derived from the sample and decision ids, so an item uploaded twice is one audit), the decision's fields, \`auditor\` (the assigned auditor) and \`sampleId\` are filled in, the verdict columns \`outcome\`, \`errorType\`, \`severity\`, \`correctPolicy\`, \`notes\`, \`auditedAt\` are empty. No context columns (the upload refuses unknown columns). An auditor key gets only its own assigned items (another \`auditor=\` → 403); viewer, lead and admin keys get every item, or one auditor's with \`auditor=\`. \`template\` with format=json → 400. \`format=xlsx\`: the same columns as one sheet, ids and other texts as text cells, numbers as numbers, \`decidedAt\` as date cells in \`tz\`.`,
    ].join("\n\n"),
    request: { params: IdParam, query: ItemsQuery },
    responses: {
      200: exportResponse(
        z.object({ sample: z.string(), items: z.array(Item) }).openapi("SampleItems"),
        "Items in draw order (by stratum, then rank)",
        { csv: "", xlsx: "" },
      ),
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const offered = ItemsQuery.shape.format.unwrap().options;
    const { format, template, auditor, stratum, tz } = negotiated(c, c.req.valid("query"), offered);
    const { db, config } = c.get("deps");
    const id = c.req.valid("param").id;
    const timeZone = resolveTimeZone(tz, config.timeZone);
    if (template === "audit") {
      if (format === "json")
        throw invalidField("template", "the audit template is a file: add format=csv or xlsx");
      const own = templateAuditor(c.get("apiKey")!, auditor);
      const table = auditTemplateTable(
        await sampleItems(db, id, { auditor: own, stratum }, c.get("apiKey")!),
      );
      if (format === "xlsx")
        return c.body(xlsxOfTable("audits", table, timeZone), 200, xlsxHeaders(`${id}-audits`));
      return c.body(tableCsv(table), 200, { "content-type": CSV_CONTENT_TYPE });
    }
    const listed = await sampleItems(db, id, { auditor, stratum }, c.get("apiKey")!);
    if (format === "json") return c.json({ sample: listed.sample, items: listed.items }, 200);
    const table = sampleItemsTable(listed);
    if (format === "xlsx")
      return c.body(xlsxOfTable("items", table, timeZone), 200, xlsxHeaders(`${id}-items`));
    return c.body(tableCsv(table), 200, { "content-type": CSV_CONTENT_TYPE });
  },
);
