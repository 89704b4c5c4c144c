import { CSV_BOM, csvLine } from "../csv.ts";
import type { Db } from "../db/database.ts";
import {
  type Decision,
  decodeDecision,
  getPopulation,
  type Population,
  valueDictionary,
} from "../db/populations.ts";
import { listItems } from "../db/samples.ts";
import { findSample } from "./find.ts";
import { priorityDecimal } from "./priority.ts";

/** A drawn decision with its place in the draw, its auditor and its decoded attribute values. */
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
  items: SampleItem[];
}

/** The drawn items in draw order (by stratum, then rank), optionally only one auditor's or one stratum's. */
export async function sampleItems(
  db: Db,
  sampleId: string,
  filter: { auditor?: string; stratum?: string },
): Promise<SampleItems> {
  const sample = await findSample(db, sampleId);
  const population = (await getPopulation(db, sample.population))!;
  const dictionary = await valueDictionary(db, population);
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
    };
  });
  return { sample: sample.id, population, items };
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
 * The items as CSV with a BOM (so Excel shows Korean text): the fixed columns, the population's extra columns,
 * and the sample id on every row, which auditors' audits carry as `sampleId`.
 */
export function sampleItemsCsv({ sample, population, items }: SampleItems): string {
  let out = CSV_BOM + csvLine([...FIXED_COLUMNS, ...population.extras, "sampleId"]);
  for (const item of items) {
    out += csvLine([
      ...FIXED_COLUMNS.map((column) => item[column]),
      ...population.extras.map((extra) => item.attributes[extra]),
      sample,
    ]);
  }
  return out;
}
