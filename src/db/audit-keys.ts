/**
 * The reads of the suspected-duplicate check (src/audits/suspected-duplicates.ts): stored audits' identities by
 * decision, through the `audits_by_decision` index, bounded by the seq where an upload began.
 */
import type { Db } from "./database.ts";

/** An audit's identity as the suspected-duplicate check compares it (src/audits/suspected-duplicates.ts). */
export interface AuditKey {
  id: string;
  sampleId: string | null;
  decisionId: string;
  auditor: string;
}

const DECISIONS_PER_QUERY = 500;

/**
 * The stored audits of these decisions with a seq of at most `upToSeq` (those committed before an upload began),
 * through the `audits_by_decision` index, 500 decision ids per statement.
 */
export async function auditKeysOfDecisions(
  db: Db,
  decisionIds: readonly string[],
  upToSeq: number,
): Promise<AuditKey[]> {
  const keys: AuditKey[] = [];
  for (let start = 0; start < decisionIds.length; start += DECISIONS_PER_QUERY) {
    const ids = decisionIds.slice(start, start + DECISIONS_PER_QUERY);
    const rows = await db.all<{ id: string; sample_id: string | null; decision_id: string; auditor: string }>(
      `SELECT id, sample_id, decision_id, auditor FROM audits WHERE decision_id IN (${ids.map(() => "?").join(", ")}) AND seq <= ?`,
      [...ids, upToSeq],
    );
    for (const row of rows)
      keys.push({ id: row.id, sampleId: row.sample_id, decisionId: row.decision_id, auditor: row.auditor });
  }
  return keys;
}

/** A stored audit and an audit inserted after it into the same decision: a pair the suspected-duplicate rules judge. */
interface AuditKeyPair {
  inserted: AuditKey;
  stored: AuditKey;
}

const PAIRS_PER_PAGE = 5000;

/**
 * Each pair (audit with seq above `upToSeq`, audit of the same decision with seq up to it) that could be a
 * suspected duplicate: the same auditor, or a stored id of digits only and an inserted id that looks like a
 * number (which a spreadsheet may have made of it), in
 * pages of 5,000 (memory stays bounded), until `visit` answers true. Run after a direct COPY
 * (src/db/audit-copy.ts), which no read may interrupt while it streams. Answers whether `visit` stopped it.
 */
export async function someAuditPairAbove(
  db: Db,
  upToSeq: number,
  visit: (pair: AuditKeyPair) => boolean,
): Promise<boolean> {
  // Keyset (inserted seq, stored seq): the first page starts after every pair of the audit at upToSeq itself.
  let after = { inserted: upToSeq, stored: upToSeq };
  for (;;) {
    const rows = await db.all<{
      seq: number;
      stored_seq: number;
      id: string;
      sample_id: string | null;
      decision_id: string;
      auditor: string;
      stored_id: string;
      stored_sample_id: string | null;
      stored_auditor: string;
    }>(
      `SELECT n.seq, o.seq AS stored_seq, n.id, n.sample_id, n.decision_id, n.auditor,
         o.id AS stored_id, o.sample_id AS stored_sample_id, o.auditor AS stored_auditor
       FROM audits n JOIN audits o ON o.decision_id = n.decision_id AND o.seq <= ?
       WHERE n.seq >= ? AND (n.seq > ? OR o.seq > ?)
         AND (o.auditor = n.auditor
         OR (o.id <> '' AND LTRIM(o.id, '0123456789') = '' AND LTRIM(n.id, '0123456789.eE+') = ''))
       ORDER BY n.seq, o.seq LIMIT ?`,
      [upToSeq, after.inserted, after.inserted, after.stored, PAIRS_PER_PAGE],
    );
    for (const row of rows) {
      const pair = {
        inserted: { id: row.id, sampleId: row.sample_id, decisionId: row.decision_id, auditor: row.auditor },
        stored: {
          id: row.stored_id,
          sampleId: row.stored_sample_id,
          decisionId: row.decision_id,
          auditor: row.stored_auditor,
        },
      };
      if (visit(pair)) return true;
    }
    if (rows.length < PAIRS_PER_PAGE) return false;
    after = { inserted: rows.at(-1)!.seq, stored: rows.at(-1)!.stored_seq };
  }
}
