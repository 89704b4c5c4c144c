/**
 * The auditor's work queue over `sample_items` (migration 5, skip columns and the (auditor, sample_id, position)
 * index of migration 7): an auditor's items with their decision and current verdict, skipped items, per-sample
 * and per-auditor counts, and lead reassignment.
 *
 * An item is *done* when some audit names its sample and decision (`audits_by_sample_item`), whichever way
 * it arrived (a PUT verdict, POST /v1/audits); *skipped* when it is not done and has a skip reason; else *todo*.
 * Its current verdict is the latest (highest seq) of those audits.
 */
import type { Db } from "./database.ts";
import { decoded } from "./drawn-decisions.ts";

export const SKIP_REASONS = ["content-unavailable", "needs-specialist", "other"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
export const WORK_STATUSES = ["todo", "done", "skipped"] as const;
export type WorkStatus = (typeof WORK_STATUSES)[number];

/**
 * 1 when item `i` has an audit naming its sample and decision, or, for a gold row (issue 16), a verdict in
 * gold_verdicts (SQL, portable).
 */
const DONE = `((i.gold_id IS NULL
    AND EXISTS (SELECT 1 FROM audits x WHERE x.sample_id = i.sample_id AND x.decision_id = i.decision_id))
  OR (i.gold_id IS NOT NULL
    AND EXISTS (SELECT 1 FROM gold_verdicts y WHERE y.sample_id = i.sample_id AND y.gold_id = i.gold_id)))`;
/** Drawn items only: what every count a lead reads about the sample keeps (gold rows are not drawn). */
const DRAWN = "i.gold_id IS NULL";
const DONE_COUNT = `CASE WHEN ${DONE} THEN 1 ELSE 0 END`;
const SKIPPED_COUNT = `CASE WHEN i.skip_reason IS NOT NULL AND NOT ${DONE} THEN 1 ELSE 0 END`;

/** An item as the work queue reads it: the drawn item, its decision's values and context, its current verdict. */
export interface WorkRow {
  sampleId: string;
  /** 0-based place in the sample's draw order. */
  position: number;
  decisionId: string;
  /** The gold item this row is (issue 16), or null for a drawn item. Never shown to auditors. */
  goldId: string | null;
  auditor: string | null;
  stratum: string;
  skipReason: SkipReason | null;
  skipNote: string | null;
  skippedBy: string | null;
  skippedAt: string | null;
  sampleSize: number;
  queue: string | null;
  moderator: string | null;
  label: string | null;
  policy: string | null;
  market: string | null;
  decidedAt: string | null;
  /** population_decisions.context: JSON text or null. */
  context: string | null;
  auditId: string | null;
  verdictAuditor: string | null;
  outcome: "correct" | "incorrect" | null;
  errorType: string | null;
  severity: number | null;
  correctPolicy: string | null;
  notes: string | null;
  revision: number | null;
  auditedAt: string | null;
  recordedBy: string | null;
}

/**
 * One row per item: the decision's values decoded by point lookups in population_values (its primary key),
 * never the whole dictionary; the current verdict by the (sample_id, decision_id) index. A gold row (issue 16:
 * `gold_id` set, decision_seq 0, so no population row joins) takes its values from gold_items, its decision
 * time from its gold_slots row and its verdict from the latest gold_verdicts revision, in the same columns: the
 * auditor's queue cannot tell the two apart. The sample's size counts its gold rows. Aliases are quoted:
 * PostgreSQL folds unquoted ones to lower case.
 */
const ITEM_SELECT = `SELECT i.sample_id AS "sampleId", i.position AS position, i.decision_id AS "decisionId",
    i.gold_id AS "goldId",
    i.auditor AS auditor, i.stratum AS stratum, i.skip_reason AS "skipReason", i.skip_note AS "skipNote",
    i.skipped_by AS "skippedBy", i.skipped_at AS "skippedAt",
    s.n + s.gold_rows AS "sampleSize",
    CASE WHEN i.gold_id IS NULL THEN vq.value ELSE g.queue END AS queue,
    CASE WHEN i.gold_id IS NULL THEN vm.value ELSE g.moderator END AS moderator,
    CASE WHEN i.gold_id IS NULL THEN vl.value ELSE g.label END AS label,
    CASE WHEN i.gold_id IS NULL THEN vp.value ELSE g.policy END AS policy,
    CASE WHEN i.gold_id IS NULL THEN vk.value ELSE g.market END AS market,
    CASE WHEN i.gold_id IS NULL THEN d.decided_at ELSE gs.decided_at END AS "decidedAt",
    CASE WHEN i.gold_id IS NULL THEN d.context ELSE g.context END AS context,
    COALESCE(a.id, gv.audit_id) AS "auditId", COALESCE(a.auditor, gv.auditor) AS "verdictAuditor",
    COALESCE(a.outcome, gv.outcome) AS outcome,
    CASE WHEN i.gold_id IS NULL THEN a.error_type ELSE gv.error_type END AS "errorType",
    CASE WHEN i.gold_id IS NULL THEN a.severity ELSE gv.severity END AS severity,
    CASE WHEN i.gold_id IS NULL THEN a.correct_policy ELSE gv.correct_policy END AS "correctPolicy",
    CASE WHEN i.gold_id IS NULL THEN a.notes ELSE gv.notes END AS notes,
    COALESCE(a.revision, gv.revision) AS revision, COALESCE(a.audited_at, gv.audited_at) AS "auditedAt",
    CASE WHEN i.gold_id IS NULL THEN a.recorded_by ELSE gv1.recorded_by END AS "recordedBy"
  FROM sample_items i
  JOIN samples s ON s.id = i.sample_id
  LEFT JOIN population_decisions d ON i.gold_id IS NULL AND d.seq = i.decision_seq
  ${decoded("vq", "queue")}
  ${decoded("vm", "moderator")}
  ${decoded("vl", "label")}
  ${decoded("vp", "policy")}
  ${decoded("vk", "market")}
  LEFT JOIN gold_items g ON g.id = i.gold_id
  LEFT JOIN gold_slots gs ON gs.sample_id = i.sample_id AND gs.gold_id = i.gold_id
  LEFT JOIN audits a ON i.gold_id IS NULL AND a.seq = (
    SELECT b.seq FROM audits b WHERE b.sample_id = i.sample_id AND b.decision_id = i.decision_id
    ORDER BY b.seq DESC LIMIT 1
  )
  LEFT JOIN gold_verdicts gv ON i.gold_id IS NOT NULL AND gv.seq = (
    SELECT y.seq FROM gold_verdicts y WHERE y.sample_id = i.sample_id AND y.gold_id = i.gold_id
    ORDER BY y.revision DESC LIMIT 1
  )
  LEFT JOIN gold_verdicts gv1 ON i.gold_id IS NOT NULL AND gv1.sample_id = i.sample_id
    AND gv1.gold_id = i.gold_id AND gv1.revision = 1`;

/** Status filters on the item alone, so that SQLite applies them before joining the decision. */
const STATUS_SQL: Record<WorkStatus, string> = {
  todo: `i.skip_reason IS NULL AND NOT ${DONE}`,
  done: DONE,
  skipped: `i.skip_reason IS NOT NULL AND NOT ${DONE}`,
};

/** The status of an item row. */
export function statusOf(row: Pick<WorkRow, "auditId" | "skipReason">): WorkStatus {
  if (row.auditId !== null) return "done";
  return row.skipReason !== null ? "skipped" : "todo";
}

/**
 * One page of an auditor's items in (sample id, position) order after the key `after`, optionally one sample's
 * and one status's: a walk of the (auditor, sample_id, position) index that stops after `limit` matches.
 */
export async function workPage(
  db: Db,
  query: {
    auditor: string;
    sampleId?: string;
    status?: WorkStatus;
    after?: { sampleId: string; position: number };
    limit: number;
  },
): Promise<WorkRow[]> {
  const where = ["i.auditor = ?"];
  const params: unknown[] = [query.auditor];
  if (query.sampleId !== undefined) {
    where.push("i.sample_id = ?");
    params.push(query.sampleId);
  }
  if (query.after) {
    where.push("(i.sample_id, i.position) > (?, ?)");
    params.push(query.after.sampleId, query.after.position);
  }
  if (query.status) where.push(STATUS_SQL[query.status]);
  return db.all<WorkRow>(
    `${ITEM_SELECT} WHERE ${where.join(" AND ")} ORDER BY i.sample_id, i.position LIMIT ?`,
    [...params, query.limit],
  );
}

/** One drawn item by its sample and decision id (the UNIQUE (sample_id, decision_id) index), or undefined. */
export async function workItem(db: Db, sampleId: string, decisionId: string): Promise<WorkRow | undefined> {
  return db.get<WorkRow>(`${ITEM_SELECT} WHERE i.sample_id = ? AND i.decision_id = ?`, [
    sampleId,
    decisionId,
  ]);
}

/**
 * How many items of the sample the auditor has, how many of them come before position `from`, and the
 * positions from `from` to `to`: what numbers items "17 / 120" (an index-only walk of the auditor's items in
 * that sample).
 */
export async function auditorPlaces(
  db: Db,
  auditor: string,
  sampleId: string,
  from: number,
  to: number,
): Promise<{ total: number; before: number; positions: number[] }> {
  const counts = await db.get<{ total: number; before: number }>(
    `SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN position < ? THEN 1 ELSE 0 END), 0) AS before
     FROM sample_items WHERE auditor = ? AND sample_id = ?`,
    [from, auditor, sampleId],
  );
  // One item (from = to, the auditor's own): its place needs no second walk.
  if (from === to) return { total: counts!.total, before: counts!.before, positions: [from] };
  const positions = await db.values<[number]>(
    `SELECT position FROM sample_items WHERE auditor = ? AND sample_id = ? AND position >= ? AND position <= ?
     ORDER BY position`,
    [auditor, sampleId, from, to],
  );
  return { total: counts!.total, before: counts!.before, positions: positions.map(([p]) => p) };
}

export interface SampleCounts {
  sampleId: string;
  population: string;
  drawn: number;
  createdAt: string;
  assigned: number;
  done: number;
  skipped: number;
}

/**
 * Per sample, the auditor's items: assigned, done, skipped (the auditor's part of the index only). Gold rows
 * count like drawn items, and `drawn` includes the sample's gold rows: the auditor's own numbers are blind.
 */
export async function auditorSampleCounts(db: Db, auditor: string): Promise<SampleCounts[]> {
  return db.all<SampleCounts>(
    `SELECT i.sample_id AS "sampleId", s.population_id AS population,
       s.n + s.gold_rows AS drawn,
       s.created_at AS "createdAt",
       COUNT(*) AS assigned, SUM(${DONE_COUNT}) AS done, SUM(${SKIPPED_COUNT}) AS skipped
     FROM sample_items i JOIN samples s ON s.id = i.sample_id
     WHERE i.auditor = ?
     GROUP BY i.sample_id, s.population_id, s.n, s.gold_rows, s.created_at
     ORDER BY i.sample_id`,
    [auditor],
  );
}

/** A sample's drawn items (not its gold rows) per stratum and auditor (null: unassigned): how many, done and skipped. */
export async function progressCounts(
  db: Db,
  sampleId: string,
): Promise<{ stratum: string; auditor: string | null; items: number; done: number; skipped: number }[]> {
  return db.all(
    `SELECT i.stratum AS stratum, i.auditor AS auditor, COUNT(*) AS items, SUM(${DONE_COUNT}) AS done,
       SUM(${SKIPPED_COUNT}) AS skipped
     FROM sample_items i WHERE i.sample_id = ? AND ${DRAWN} GROUP BY i.stratum, i.auditor`,
    [sampleId],
  );
}

/**
 * Items, assigned, done and skipped of each of the given samples (the samples listing), 500 ids per statement.
 * Costs a look-up in `audits_by_sample_item` per drawn item.
 */
export async function progressOfSamples(
  db: Db,
  sampleIds: readonly string[],
): Promise<Map<string, { items: number; assigned: number; done: number; skipped: number }>> {
  const counts = new Map<string, { items: number; assigned: number; done: number; skipped: number }>();
  for (let start = 0; start < sampleIds.length; start += 500) {
    const chunk = sampleIds.slice(start, start + 500);
    const rows = await db.all<{
      sampleId: string;
      items: number;
      assigned: number;
      done: number;
      skipped: number;
    }>(
      `SELECT i.sample_id AS "sampleId", COUNT(*) AS items, COUNT(i.auditor) AS assigned,
         SUM(${DONE_COUNT}) AS done, SUM(${SKIPPED_COUNT}) AS skipped
       FROM sample_items i WHERE i.sample_id IN (${chunk.map(() => "?").join(", ")}) AND ${DRAWN}
       GROUP BY i.sample_id`,
      chunk,
    );
    for (const { sampleId, ...row } of rows) counts.set(sampleId, row);
  }
  return counts;
}

/** Skipped items (not done) per stratum: what the estimate leaves out. */
export async function skippedPerStratum(db: Db, sampleId: string): Promise<Map<string, number>> {
  const rows = await db.all<{ stratum: string; skipped: number }>(
    `SELECT i.stratum AS stratum, COUNT(*) AS skipped FROM sample_items i
     WHERE i.sample_id = ? AND ${DRAWN} AND i.skip_reason IS NOT NULL AND NOT ${DONE}
     GROUP BY i.stratum`,
    [sampleId],
  );
  return new Map(rows.map((r) => [r.stratum, r.skipped]));
}

export interface Skip {
  reason: SkipReason;
  note: string | null;
  by: string;
  at: string;
}

/** Marks an item skipped (or, with null, not skipped); call inside a transaction. */
export async function setSkip(db: Db, sampleId: string, position: number, skip: Skip | null): Promise<void> {
  await db.run(
    `UPDATE sample_items SET skip_reason = ?, skip_note = ?, skipped_by = ?, skipped_at = ?
     WHERE sample_id = ? AND position = ?`,
    [skip?.reason ?? null, skip?.note ?? null, skip?.by ?? null, skip?.at ?? null, sampleId, position],
  );
}

/** A stored audit's verdict (its latest revision): what a PUT compares with. */
export interface StoredVerdict {
  auditor: string;
  outcome: "correct" | "incorrect";
  errorType: string | null;
  severity: number | null;
  correctPolicy: string | null;
  notes: string | null;
  revision: number;
  auditedAt: string;
  recordedBy: string | null;
}

/** Ids per IN list: well under both backends' parameter limits. */
const IN_CHUNK = 500;

export interface ReassignRow {
  position: number;
  decisionId: string;
  auditor: string | null;
  skipReason: SkipReason | null;
  moderator: string | null;
  done: number;
}

/**
 * The items of the sample with these decision ids (by the UNIQUE (sample_id, decision_id) index), gold rows
 * included (a lead moves an auditor's whole queue without knowing which are gold).
 */
export async function itemsForReassign(
  db: Db,
  sampleId: string,
  decisionIds: readonly string[],
): Promise<ReassignRow[]> {
  const rows: ReassignRow[] = [];
  for (let start = 0; start < decisionIds.length; start += IN_CHUNK) {
    const chunk = decisionIds.slice(start, start + IN_CHUNK);
    rows.push(
      ...(await db.all<ReassignRow>(
        `SELECT i.position AS position, i.decision_id AS "decisionId", i.auditor AS auditor,
           i.skip_reason AS "skipReason", COALESCE(vm.value, g.moderator) AS moderator, ${DONE_COUNT} AS done
         FROM sample_items i
         JOIN samples s ON s.id = i.sample_id
         LEFT JOIN population_decisions d ON i.gold_id IS NULL AND d.seq = i.decision_seq
         ${decoded("vm", "moderator")}
         LEFT JOIN gold_items g ON g.id = i.gold_id
         WHERE i.sample_id = ? AND i.decision_id IN (${chunk.map(() => "?").join(", ")})`,
        [sampleId, ...chunk],
      )),
    );
  }
  return rows;
}

/** Gives items to `auditor` and clears their skip; call inside a transaction. */
export async function reassignPositions(
  db: Db,
  sampleId: string,
  positions: readonly number[],
  auditor: string,
): Promise<void> {
  for (let start = 0; start < positions.length; start += IN_CHUNK) {
    const chunk = positions.slice(start, start + IN_CHUNK);
    await db.run(
      `UPDATE sample_items SET auditor = ?, skip_reason = NULL, skip_note = NULL, skipped_by = NULL,
         skipped_at = NULL
       WHERE sample_id = ? AND position IN (${chunk.map(() => "?").join(", ")})`,
      [auditor, sampleId, ...chunk],
    );
  }
}

/** Drawn items per auditor in the sample (assigned items only; gold rows are not counted). */
export async function loadsOf(db: Db, sampleId: string): Promise<Map<string, number>> {
  const rows = await db.all<{ auditor: string; items: number }>(
    `SELECT auditor, COUNT(*) AS items FROM sample_items WHERE sample_id = ? AND auditor IS NOT NULL
     AND gold_id IS NULL GROUP BY auditor`,
    [sampleId],
  );
  return new Map(rows.map((r) => [r.auditor, r.items]));
}

/** Replaces the sample's assignment summary (JSON), leaving the items alone; call inside a transaction. */
export async function saveAssignmentSummary(db: Db, sampleId: string, summary: unknown): Promise<void> {
  await db.run("UPDATE samples SET assignment = ? WHERE id = ?", [JSON.stringify(summary), sampleId]);
}
