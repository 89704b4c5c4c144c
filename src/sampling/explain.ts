import type { Db } from "../db/database.ts";
import type { Role } from "../db/keys.ts";
import {
  findDecision,
  getDecision,
  getPopulation,
  stratumValues,
  valueDictionary,
} from "../db/populations.ts";
import { getItem, lastOfStratum } from "../db/samples.ts";
import { notFound } from "../errors.ts";
import { refuseBlindDrawView } from "../gold/access.ts";
import { findSample } from "./find.ts";
import { priorityDecimal, sha256Hex } from "./priority.ts";
import { stratumKey } from "./strata.ts";

/** How the draw rule applied to one decision: its hash and priority, its stratum, and that stratum's cut-off. */
export interface DrawExplanation {
  sample: string;
  decisionId: string;
  hashInput: string;
  sha256: string;
  priority: string;
  priorityDecimal: string;
  stratum: string;
  stratumSize: number;
  stratumN: number;
  /** The largest priority drawn in the stratum (null when the stratum's n is 0). */
  cutoff: { priority: string; decisionId: string } | null;
  drawn: boolean;
  rank: number | null;
  auditor: string | null;
  /** The same in one sentence, for people checking a draw by hand. */
  explanation: string;
}

/**
 * Explains how a decision of the sample's population got into the sample, or why it did not: the same
 * computation as the draw (`draw.ts`), redone for this one decision. not_found for an unknown sample, or a
 * decision that is not in the sample's population.
 */
export async function explainDecision(
  db: Db,
  sampleId: string,
  decisionId: string,
  caller?: { role: Role },
): Promise<DrawExplanation> {
  const sample = await findSample(db, sampleId);
  await refuseBlindDrawView(db, caller, sample.id);
  const population = (await getPopulation(db, sample.population))!;
  const item = await getItem(db, sample.id, decisionId);
  // A drawn decision is found through its item; any other needs a scan of the population's range.
  const row = item
    ? await getDecision(db, item.decision_seq)
    : await findDecision(db, population, decisionId);
  if (!row) throw notFound(`decision ${decisionId} in the sample's population`);
  const dictionary = await valueDictionary(db, population);
  const key = stratumKey(
    sample.strataAttributes,
    stratumValues(row, population, dictionary, sample.strataAttributes),
  );
  const stratum = sample.strata.find((s) => s.key === key)!;
  const digest = sha256Hex(sample.seed, row.id);
  const priority = digest.slice(0, 16);
  const last = await lastOfStratum(db, sample.id, key);
  const cutoff = last ? { priority: last.priority, decisionId: last.decision_id } : null;
  const head =
    `priority = first 8 bytes of SHA-256("${sample.seed}:${row.id}") = 0x${priority} = ${priorityDecimal(priority)}. ` +
    `Stratum ${key} has ${stratum.size} decisions and n = ${stratum.n}: the ${stratum.n} smallest priorities are drawn`;
  const explanation = item
    ? `${head}; this decision is number ${item.rank} of them${cutoff ? ` (the largest drawn is 0x${cutoff.priority})` : ""}.`
    : `${head}${cutoff ? `, the largest being 0x${cutoff.priority}` : ""}; this decision's priority is larger, so it was not drawn.`;
  return {
    sample: sample.id,
    decisionId: row.id,
    hashInput: `${sample.seed}:${row.id}`,
    sha256: digest,
    priority,
    priorityDecimal: priorityDecimal(priority),
    stratum: key,
    stratumSize: stratum.size,
    stratumN: stratum.n,
    cutoff,
    drawn: item !== undefined,
    rank: item?.rank ?? null,
    auditor: item?.auditor ?? null,
    explanation,
  };
}
