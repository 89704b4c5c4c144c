import type { Table } from "../csv.ts";
import type { Db } from "../db/database.ts";
import type { ApiKey } from "../db/keys.ts";
import {
  contextColumns,
  type Decision,
  decodeDecision,
  getPopulation,
  type Population,
  valueDictionary,
} from "../db/populations.ts";
import { listItems } from "../db/samples.ts";
import { DomainError } from "../errors.ts";
import { refuseBlindDrawView } from "../gold/access.ts";
import { CONTEXT_PREFIX } from "./context.ts";
import { findSample } from "./find.ts";
import { priorityDecimal } from "./priority.ts";
import { verdictAuditId } from "./verdict-id.ts";

/** A drawn decision with its place in the draw, its auditor, its decoded attribute values and its context. */
export interface SampleItem extends Decision {
  stratum: string;
  rank: number;
  priority: string;
  priorityDecimal: string;
  auditor: string | null;
}

export interface SampleItems {
  sample: string;
  population: Population;
  /** The population's `context.<name>` names, in order of first appearance in its upload. */
  contextNames: string[];
  items: SampleItem[];
}

/**
 * The drawn items in draw order (by stratum, then rank), optionally only one auditor's or one stratum's. Gold
 * rows are not drawn items and never listed; an auditor key gets 403 gold_blind_sample for a sample with gold
 * (src/gold/access.ts).
 */
export async function sampleItems(
  db: Db,
  sampleId: string,
  filter: { auditor?: string; stratum?: string },
  caller?: Pick<ApiKey, "role">,
): Promise<SampleItems> {
  const sample = await findSample(db, sampleId);
  await refuseBlindDrawView(db, caller, sample.id);
  const population = (await getPopulation(db, sample.population))!;
  const dictionary = await valueDictionary(db, population);
  const contextNames = (await contextColumns(db, population))
    .map(({ column }) => column)
    .filter((column) => column.startsWith(CONTEXT_PREFIX))
    .map((column) => column.slice(CONTEXT_PREFIX.length));
  const items = (await listItems(db, sample.id, filter)).map((item) => {
    const decision = decodeDecision(item, population, dictionary);
    return {
      id: item.decision_id,
      stratum: item.stratum,
      rank: item.rank,
      priority: item.priority,
      priorityDecimal: priorityDecimal(item.priority),
      auditor: item.auditor,
      queue: decision.queue,
      moderator: decision.moderator,
      label: decision.label,
      policy: decision.policy,
      market: decision.market,
      decidedAt: decision.decidedAt,
      attributes: decision.attributes,
      url: decision.url,
      content: decision.content,
      context: decision.context,
    };
  });
  return { sample: sample.id, population, contextNames, items };
}

const FIXED_COLUMNS = [
  "id",
  "stratum",
  "rank",
  "priority",
  "priorityDecimal",
  "auditor",
  "queue",
  "moderator",
  "label",
  "policy",
  "market",
  "decidedAt",
] as const;

/**
 * The items as an export table (CSV with a BOM, or XLSX): the fixed columns, the population's extra columns,
 * the sample id on every row (which auditors' audits carry as `sampleId`), then the decision's context: `url`,
 * `content` and one `context.<name>` column per context name of the population. (A population stored before
 * context columns existed may have an attribute named `url` or `content`: it keeps its place among the extra
 * columns and the context column of that name is left out.)
 */
export function sampleItemsTable({ sample, population, contextNames, items }: SampleItems): Table {
  const fixedContext = (["url", "content"] as const).filter((c) => !population.extras.includes(c));
  const named = contextNames.filter((name) => !population.extras.includes(CONTEXT_PREFIX + name));
  return {
    columns: [
      ...FIXED_COLUMNS,
      ...population.extras,
      "sampleId",
      ...fixedContext,
      ...named.map((name) => CONTEXT_PREFIX + name),
    ],
    rows: items.map((item) => [
      ...FIXED_COLUMNS.map((column) => item[column]),
      ...population.extras.map((extra) => item.attributes[extra]),
      sample,
      ...fixedContext.map((column) => item[column]),
      ...named.map((name) => item.context[name]),
    ]),
  };
}

/**
 * The columns of the audit template: exactly the fields `POST /v1/audits` takes, the decision's pre-filled,
 * the verdict's empty.
 */
export const AUDIT_TEMPLATE_COLUMNS = [
  "id",
  "decisionId",
  "queue",
  "moderator",
  "auditor",
  "policy",
  "market",
  "decidedAt",
  "sampleId",
  "outcome",
  "errorType",
  "severity",
  "correctPolicy",
  "notes",
  "auditedAt",
] as const;

/**
 * The audit template of a sample's items, for a round trip through a spreadsheet (CSV or XLSX): one row per
 * item with the columns `POST /v1/audits` takes, `id` = the verdict's deterministic id (`verdictAuditId`),
 * the decision's fields and the assigned auditor filled in, and the verdict columns (`outcome`, `errorType`,
 * `severity`, `correctPolicy`, `notes`, `auditedAt`) empty. No context columns: the upload refuses unknown ones.
 */
export function auditTemplateTable({ sample, items }: SampleItems): Table {
  return {
    columns: AUDIT_TEMPLATE_COLUMNS,
    rows: items.map((item) => [
      verdictAuditId(sample, item.id),
      item.id,
      item.queue,
      item.moderator,
      item.auditor,
      item.policy,
      item.market,
      item.decidedAt,
      sample,
      null,
      null,
      null,
      null,
      null,
      null,
    ]),
  };
}

/**
 * Whose items an audit template holds for this caller: an auditor key only its own rater's (asking for another
 * auditor's → forbidden), since the template is for uploading that auditor's verdicts; a viewer, lead or admin
 * the `auditor` asked for, or everyone's.
 */
export function templateAuditor(
  caller: Pick<ApiKey, "role" | "rater">,
  requested: string | undefined,
): string | undefined {
  if (caller.role !== "auditor") return requested;
  const own = caller.rater ?? "";
  if (requested !== undefined && requested !== own) {
    throw new DomainError(
      "forbidden",
      "forbidden",
      `an auditor key gets the audit template of its own items only (${JSON.stringify(own)}), not ${JSON.stringify(requested)}'s`,
      [{ path: "auditor", message: "another auditor" }],
    );
  }
  return own;
}
