import type { Db } from "./database.ts";

/** Ids per statement: well under SQLite's and PostgreSQL's limits on bound parameters. */
const IDS_PER_QUERY = 500;

/** The key of an audit's drawn decision in `decisionUrls`' answer. */
export const drawnDecisionKey = (sampleId: string, decisionId: string) => `${sampleId}\u0000${decisionId}`;

/**
 * The `url` context column of the drawn decisions the audits name (issue 18: the audit listing links each audit to
 * the decision's page), keyed by `drawnDecisionKey`; audits without a sample, decisions drawn without a URL and
 * samples since deleted have none. Point lookups by the (sample_id, decision_id) index, a statement per sample and
 * 500 ids.
 */
export async function decisionUrls(
  db: Db,
  audits: readonly { sampleId: string | null; decisionId: string }[],
): Promise<Map<string, string>> {
  const bySample = new Map<string, Set<string>>();
  for (const audit of audits) {
    if (audit.sampleId === null) continue;
    let ids = bySample.get(audit.sampleId);
    if (!ids) bySample.set(audit.sampleId, (ids = new Set()));
    ids.add(audit.decisionId);
  }
  const urls = new Map<string, string>();
  for (const [sampleId, idSet] of bySample) {
    const ids = [...idSet];
    for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
      const chunk = ids.slice(start, start + IDS_PER_QUERY);
      const rows = await db.values<[string, string]>(
        `SELECT i.decision_id, d.context FROM sample_items i
         JOIN population_decisions d ON d.seq = i.decision_seq
         WHERE i.sample_id = ? AND i.decision_id IN (${chunk.map(() => "?").join(", ")})
           AND d.context IS NOT NULL`,
        [sampleId, ...chunk],
      );
      for (const [decisionId, context] of rows) {
        const url = (JSON.parse(context) as { url?: unknown }).url;
        if (typeof url === "string") urls.set(drawnDecisionKey(sampleId, decisionId), url);
      }
    }
  }
  return urls;
}
