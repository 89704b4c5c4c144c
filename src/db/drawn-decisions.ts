import type { Db } from "./database.ts";

/** A drawn item's decision as an audit naming its sample is checked against it (src/audits/sample-checks.ts). */
export interface DrawnDecision {
  decisionId: string;
  /** The auditor the item is assigned to, if any. */
  auditor: string | null;
  queue: string | null;
  moderator: string | null;
  policy: string | null;
  market: string | null;
  decidedAt: string | null;
}

/** Ids per statement: well under SQLite's and PostgreSQL's limits on bound parameters. */
const IDS_PER_QUERY = 500;

/**
 * A LEFT JOIN that decodes one dictionary-encoded attribute of `d` (a population_decisions row of the sample `s`)
 * by a point lookup in population_values (its primary key); code 0 (absent) joins nothing.
 */
export const decoded = (alias: string, column: string) =>
  `LEFT JOIN population_values ${alias} ON ${alias}.population_id = s.population_id
     AND ${alias}.attribute = '${column}' AND ${alias}.code = d.${column} AND d.${column} > 0`;

/**
 * The decisions among `decisionIds` that were drawn in the sample, with their values decoded by point lookups
 * (the (sample_id, decision_id) index, then population_values' primary key): a statement per 500 ids.
 */
export async function drawnDecisions(
  db: Db,
  sampleId: string,
  decisionIds: readonly string[],
): Promise<Map<string, DrawnDecision>> {
  const found = new Map<string, DrawnDecision>();
  for (let start = 0; start < decisionIds.length; start += IDS_PER_QUERY) {
    const ids = decisionIds.slice(start, start + IDS_PER_QUERY);
    const rows = await db.all<DrawnDecision>(
      `SELECT i.decision_id AS "decisionId", i.auditor AS auditor, vq.value AS queue, vm.value AS moderator,
         vp.value AS policy, vk.value AS market, d.decided_at AS "decidedAt"
       FROM sample_items i
       JOIN samples s ON s.id = i.sample_id
       JOIN population_decisions d ON d.seq = i.decision_seq
       ${decoded("vq", "queue")}
       ${decoded("vm", "moderator")}
       ${decoded("vp", "policy")}
       ${decoded("vk", "market")}
       WHERE i.sample_id = ? AND i.decision_id IN (${ids.map(() => "?").join(", ")})`,
      [sampleId, ...ids],
    );
    for (const row of rows) found.set(row.decisionId, row);
  }
  return found;
}

/** Which of the ids name a stored sample. */
export async function existingSamples(db: Db, sampleIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < sampleIds.length; start += IDS_PER_QUERY) {
    const ids = sampleIds.slice(start, start + IDS_PER_QUERY);
    const rows = await db.values<[string]>(
      `SELECT id FROM samples WHERE id IN (${ids.map(() => "?").join(", ")})`,
      ids,
    );
    for (const [id] of rows) found.add(id);
  }
  return found;
}
