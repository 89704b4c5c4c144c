import { z } from "@hono/zod-openapi";
import { CSV_CONTENT_TYPE } from "../csv.ts";
import { invalidField } from "../errors.ts";
import { route } from "../http/auth.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses } from "../http/schemas.ts";
import {
  AUDIT_TEMPLATE_COLUMNS,
  auditTemplateCsv,
  sampleItems,
  sampleItemsCsv,
  templateAuditor,
} from "../sampling/items.ts";

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
  format: z.enum(["json", "csv"]).default("json"),
  template: z.enum(["audit"]).optional().openapi({
    description:
      "`audit` (with format=csv): the audit template to fill in and upload back to POST /v1/audits, instead of the items",
  }),
  auditor: z.string().min(1).max(500).optional().openapi({ description: "Only this auditor's items" }),
  stratum: z.string().min(1).max(2000).optional().openapi({ description: "Only this stratum's items" }),
});

export const sampleItemsRouter = createRouter().openapi(
  route("viewer", {
    method: "get",
    path: "/v1/samples/{id}/items",
    tags: ["sampling"],
    summary: "The drawn decisions with stratum, priority, auditor and context (JSON, or CSV with BOM)",
    description: [
      "Each item: the decision (`id`, `queue`, `moderator`, `label` = the moderator's action, `policy`, `market`, `decidedAt`, the extra columns as `attributes`), its place in the draw (`stratum`, `rank`, `priority`), its `auditor`, and the decision's context from the population: `url`, `content` (null when absent) and `context` (name → value of the `context.<name>` columns; {} when none).",
      "CSV: the same fields, then `sampleId`, `url`, `content` and one `context.<name>` column per context name of the population. Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a leading apostrophe.",
      `\`template=audit\` (format=csv): the audit template for a round trip through a spreadsheet. Only the columns POST /v1/audits takes, in this order: ${AUDIT_TEMPLATE_COLUMNS.map((c) => `\`${c}\``).join(", ")}. \`id\` is the verdict's deterministic audit id (derived from the sample and decision ids, so an item uploaded twice is one audit), the decision's fields, \`auditor\` (the assigned auditor) and \`sampleId\` are filled in, the verdict columns \`outcome\`, \`errorType\`, \`severity\`, \`correctPolicy\`, \`notes\`, \`auditedAt\` are empty. No context columns (the upload refuses unknown columns). An auditor key gets only its own assigned items (another \`auditor=\` → 403); viewer, lead and admin keys get every item, or one auditor's with \`auditor=\`. \`template\` with format=json → 400.`,
    ].join("\n\n"),
    request: { params: IdParam, query: ItemsQuery },
    responses: {
      200: {
        description: "Items in draw order (by stratum, then rank)",
        content: {
          "application/json": { schema: z.object({ sample: z.string(), items: z.array(Item) }) },
          "text/csv": { schema: z.string() },
        },
      },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { format, template, auditor, stratum } = c.req.valid("query");
    const db = c.get("deps").db;
    const id = c.req.valid("param").id;
    if (template === "audit") {
      if (format !== "csv") throw invalidField("template", "the audit template is CSV: add format=csv");
      const own = templateAuditor(c.get("apiKey")!, auditor);
      const listed = await sampleItems(db, id, { auditor: own, stratum });
      return c.body(auditTemplateCsv(listed), 200, { "content-type": CSV_CONTENT_TYPE });
    }
    const listed = await sampleItems(db, id, { auditor, stratum });
    if (format === "json") return c.json({ sample: listed.sample, items: listed.items }, 200);
    return c.body(sampleItemsCsv(listed), 200, { "content-type": CSV_CONTENT_TYPE });
  },
);
