/**
 * Gold items (issue 16, migration 12): `gold_items` (a decision's shown values and its known answer),
 * `sample_items.gold_id` (the rows of a sample that are gold: decision_seq 0, no population row), `gold_slots`
 * (each gold placed in a sample, with the decision time its queue shows) and `gold_verdicts` (every verdict on a
 * gold slot, one row per revision, scored against the known answer; never written to `audits`).
 */
import type { ErrorType, Outcome } from "../audits/validate.ts";
import type { Db } from "./database.ts";
import { UNNEST_ROWS } from "./populations.ts";
import { sqliteStatement } from "./sqlite.ts";

/** A gold item as stored (context as its JSON text, like population_decisions.context). */
export interface GoldRow {
  id: string;
  decisionId: string;
  queue: string;
  moderator: string;
  label: string | null;
  policy: string | null;
  market: string | null;
  decidedAt: string | null;
  context: string | null;
  outcome: Outcome;
  errorType: ErrorType | null;
  severity: number | null;
  correctPolicy: string | null;
  source: "manual" | "calibration";
  calibrationId: string | null;
  calibrationItem: string | null;
  notes: string | null;
  createdBy: string | null;
  createdAt: string;
  createdMs: number;
  retiredAt: string | null;
  retiredBy: string | null;
}

const GOLD_COLUMNS = `g.id AS id, g.decision_id AS "decisionId", g.queue AS queue, g.moderator AS moderator,
  g.label AS label, g.policy AS policy, g.market AS market, g.decided_at AS "decidedAt", g.context AS context,
  g.outcome AS outcome, g.error_type AS "errorType", g.severity AS severity, g.correct_policy AS "correctPolicy",
  g.source AS source, g.calibration_id AS "calibrationId", g.calibration_item AS "calibrationItem",
  g.notes AS notes, g.created_by AS "createdBy", g.created_at AS "createdAt", g.created_ms AS "createdMs",
  g.retired_at AS "retiredAt", g.retired_by AS "retiredBy"`;

/** Stores new gold items; call inside a transaction. */
export async function insertGold(db: Db, rows: readonly GoldRow[]): Promise<void> {
  for (const g of rows) {
    await db.run(
      `INSERT INTO gold_items (id, decision_id, queue, moderator, label, policy, market, decided_at, context,
         outcome, error_type, severity, correct_policy, source, calibration_id, calibration_item, notes,
         created_by, created_at, created_ms, retired_at, retired_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
      [
        g.id,
        g.decisionId,
        g.queue,
        g.moderator,
        g.label,
        g.policy,
        g.market,
        g.decidedAt,
        g.context,
        g.outcome,
        g.errorType,
        g.severity,
        g.correctPolicy,
        g.source,
        g.calibrationId,
        g.calibrationItem,
        g.notes,
        g.createdBy,
        g.createdAt,
        g.createdMs,
      ],
    );
  }
}

/** Which of these decision ids already have an active (not retired) gold item. */
export async function activeGoldDecisions(db: Db, decisionIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < decisionIds.length; start += 500) {
    const chunk = decisionIds.slice(start, start + 500);
    const rows = await db.values<[string]>(
      `SELECT decision_id FROM gold_items WHERE retired_at IS NULL
       AND decision_id IN (${chunk.map(() => "?").join(", ")})`,
      chunk,
    );
    for (const [id] of rows) found.add(id);
  }
  return found;
}

/** Gold items with how many samples they were placed in and how many verdicts (latest revisions) they got. */
export interface ListedGold extends GoldRow {
  slots: number;
  verdicts: number;
  correct: number;
}

const LISTED = `SELECT ${GOLD_COLUMNS},
    (SELECT COUNT(*) FROM gold_slots s WHERE s.gold_id = g.id) AS slots,
    (SELECT COUNT(*) FROM gold_verdicts v WHERE v.gold_id = g.id AND NOT EXISTS (
      SELECT 1 FROM gold_verdicts w WHERE w.sample_id = v.sample_id AND w.gold_id = v.gold_id
        AND w.revision > v.revision)) AS verdicts,
    (SELECT COUNT(*) FROM gold_verdicts v WHERE v.gold_id = g.id AND v.correct = 1 AND NOT EXISTS (
      SELECT 1 FROM gold_verdicts w WHERE w.sample_id = v.sample_id AND w.gold_id = v.gold_id
        AND w.revision > v.revision)) AS correct
  FROM gold_items g`;

/** One page of gold items, newest first ((created_at, id) descending), after the key `before`. */
export async function listGold(
  db: Db,
  query: { retired: boolean; before?: { createdAt: string; id: string }; limit: number },
): Promise<ListedGold[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (!query.retired) where.push("g.retired_at IS NULL");
  if (query.before) {
    where.push("(g.created_at, g.id) < (?, ?)");
    params.push(query.before.createdAt, query.before.id);
  }
  return db.all<ListedGold>(
    `${LISTED} ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY g.created_at DESC, g.id DESC LIMIT ?`,
    [...params, query.limit],
  );
}

export async function getGold(db: Db, id: string): Promise<ListedGold | undefined> {
  return db.get<ListedGold>(`${LISTED} WHERE g.id = ?`, [id]);
}

/** A gold item's known answer (what verdicts are scored against). */
export async function goldAnswer(
  db: Db,
  id: string,
): Promise<{ outcome: Outcome; errorType: ErrorType | null } | undefined> {
  return db.get<{ outcome: Outcome; errorType: ErrorType | null }>(
    `SELECT outcome, error_type AS "errorType" FROM gold_items WHERE id = ?`,
    [id],
  );
}

/** Retires a gold item (it is never placed again; its slots and verdicts stay); call inside a transaction. */
export async function retireGold(db: Db, id: string, by: string, at: string): Promise<void> {
  await db.run("UPDATE gold_items SET retired_at = ?, retired_by = ? WHERE id = ? AND retired_at IS NULL", [
    at,
    by,
    id,
  ]);
}

/**
 * Active gold items that may be placed in the sample: not retired, not already placed in it, and whose decision
 * id is not one of the sample's items (the UNIQUE (sample_id, decision_id) index, one probe per gold).
 */
export async function placeableGold(db: Db, sampleId: string): Promise<GoldRow[]> {
  return db.all<GoldRow>(
    `SELECT ${GOLD_COLUMNS} FROM gold_items g
     WHERE g.retired_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM sample_items i WHERE i.sample_id = ? AND i.decision_id = g.decision_id)
     ORDER BY g.id`,
    [sampleId],
  );
}

/** A row of the sample in position order, as the gold placement sees it. */
export interface LayoutRow {
  position: number;
  stratum: string;
  goldId: string | null;
  auditor: string | null;
  /** The decision time the row shows (a drawn decision's, or a gold slot's). */
  decidedAt: string | null;
}

/** Every row of the sample in position order with the decision time it shows. */
export async function sampleLayout(db: Db, sampleId: string): Promise<LayoutRow[]> {
  return db.all<LayoutRow>(
    `SELECT i.position AS position, i.stratum AS stratum, i.gold_id AS "goldId", i.auditor AS auditor,
       CASE WHEN i.gold_id IS NULL THEN d.decided_at ELSE gs.decided_at END AS "decidedAt"
     FROM sample_items i
     LEFT JOIN population_decisions d ON i.gold_id IS NULL AND d.seq = i.decision_seq
     LEFT JOIN gold_slots gs ON gs.sample_id = i.sample_id AND gs.gold_id = i.gold_id
     WHERE i.sample_id = ? ORDER BY i.position`,
    [sampleId],
  );
}

/**
 * Removes the sample's gold rows and slots that have no verdict (a replaced assignment places gold anew);
 * the ones with verdicts stay. Returns the positions removed. Call inside a transaction.
 */
export async function removeUnjudgedGold(db: Db, sampleId: string): Promise<number[]> {
  const rows = await db.values<[number, string]>(
    `SELECT i.position, i.gold_id FROM sample_items i WHERE i.sample_id = ? AND i.gold_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM gold_verdicts v WHERE v.sample_id = i.sample_id AND v.gold_id = i.gold_id)`,
    [sampleId],
  );
  for (const [position, goldId] of rows) {
    await db.run("DELETE FROM sample_items WHERE sample_id = ? AND position = ?", [sampleId, position]);
    await db.run("DELETE FROM gold_slots WHERE sample_id = ? AND gold_id = ?", [sampleId, goldId]);
  }
  return rows.map(([position]) => position);
}

/**
 * Moves rows of the sample to new positions (`moves`: from → to, every target free once the moved rows have
 * left): first to negative positions (−1 − from, distinct and unused), then to their targets, so the primary
 * key (sample_id, position) never sees two rows at one position. Call inside a transaction.
 */
export async function movePositions(
  db: Db,
  sampleId: string,
  moves: readonly { from: number; to: number }[],
): Promise<void> {
  if (moves.length === 0) return;
  if (db.dialect === "sqlite") {
    const update = sqliteStatement(
      db,
      "UPDATE sample_items SET position = ? WHERE sample_id = ? AND position = ?",
    );
    for (const m of moves) update.run(-1 - m.from, sampleId, m.from);
    for (const m of moves) update.run(m.to, sampleId, -1 - m.from);
    return;
  }
  for (const [source, target] of [
    [(m: { from: number }) => m.from, (m: { from: number }) => -1 - m.from],
    [(m: { from: number }) => -1 - m.from, (m: { to: number }) => m.to],
  ] as const) {
    for (let start = 0; start < moves.length; start += UNNEST_ROWS) {
      const chunk = moves.slice(start, start + UNNEST_ROWS);
      await db.run(
        `UPDATE sample_items AS i SET position = m.target
         FROM unnest(?::bigint[], ?::bigint[]) AS m (source, target)
         WHERE i.sample_id = ? AND i.position = m.source`,
        [chunk.map(source), chunk.map(target), sampleId],
      );
    }
  }
}

/** A gold placed in a sample: its sample_items row and its slot. */
export interface NewGoldSlot {
  goldId: string;
  decisionId: string;
  position: number;
  stratum: string;
  priority: string;
  auditor: string;
  decidedAt: string | null;
}

/** Stores gold rows and their slots; call inside a transaction (positions must be free). */
export async function insertGoldSlots(
  db: Db,
  sampleId: string,
  slots: readonly NewGoldSlot[],
  placed: { at: string; by: string | null },
): Promise<void> {
  for (const s of slots) {
    await db.run(
      `INSERT INTO gold_slots (sample_id, gold_id, auditor, decided_at, placed_at, placed_by)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [sampleId, s.goldId, s.auditor, s.decidedAt, placed.at, placed.by],
    );
    await db.run(
      `INSERT INTO sample_items (sample_id, position, decision_id, decision_seq, stratum, rank, priority, auditor,
         gold_id)
       VALUES (?, ?, ?, 0, ?, 0, ?, ?, ?)`,
      [sampleId, s.position, s.decisionId, s.stratum, s.priority, s.auditor, s.goldId],
    );
  }
}

/** Sets `samples.gold_rows` to the sample's gold rows (what the queue adds to the sample's size). */
export async function countGoldRows(db: Db, sampleId: string): Promise<void> {
  await db.run(
    `UPDATE samples SET gold_rows = (SELECT COUNT(*) FROM sample_items i WHERE i.sample_id = samples.id
       AND i.gold_id IS NOT NULL) WHERE id = ?`,
    [sampleId],
  );
}

/** A stored verdict on a gold slot (one revision). */
export interface GoldVerdictRow {
  sampleId: string;
  goldId: string;
  auditId: string;
  auditor: string;
  outcome: Outcome;
  errorType: ErrorType | null;
  severity: number | null;
  correctPolicy: string | null;
  notes: string | null;
  revision: number;
  reason: string | null;
  auditedAt: string;
  recordedBy: string | null;
  recordedAt: string;
  recordedMs: number;
  correct: number;
}

const VERDICT_COLUMNS = `v.sample_id AS "sampleId", v.gold_id AS "goldId", v.audit_id AS "auditId",
  v.auditor AS auditor, v.outcome AS outcome, v.error_type AS "errorType", v.severity AS severity,
  v.correct_policy AS "correctPolicy", v.notes AS notes, v.revision AS revision, v.reason AS reason,
  v.audited_at AS "auditedAt", v.recorded_by AS "recordedBy", v.recorded_at AS "recordedAt",
  v.recorded_ms AS "recordedMs", v.correct AS correct`;

/** The latest revision of the verdict on a gold slot, or undefined. */
export async function latestGoldVerdict(
  db: Db,
  sampleId: string,
  goldId: string,
): Promise<GoldVerdictRow | undefined> {
  return db.get<GoldVerdictRow>(
    `SELECT ${VERDICT_COLUMNS} FROM gold_verdicts v WHERE v.sample_id = ? AND v.gold_id = ?
     ORDER BY v.revision DESC LIMIT 1`,
    [sampleId, goldId],
  );
}

/** The latest revision of the gold verdict shown under this audit id, or undefined. */
export async function goldVerdictByAuditId(db: Db, auditId: string): Promise<GoldVerdictRow | undefined> {
  return db.get<GoldVerdictRow>(
    `SELECT ${VERDICT_COLUMNS} FROM gold_verdicts v WHERE v.audit_id = ? ORDER BY v.seq DESC LIMIT 1`,
    [auditId],
  );
}

/** Appends one revision of a gold verdict; call inside a transaction. */
export async function insertGoldVerdict(db: Db, v: GoldVerdictRow): Promise<void> {
  await db.run(
    `INSERT INTO gold_verdicts (sample_id, gold_id, audit_id, auditor, outcome, error_type, severity,
       correct_policy, notes, revision, reason, audited_at, recorded_by, recorded_at, recorded_ms, correct)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      v.sampleId,
      v.goldId,
      v.auditId,
      v.auditor,
      v.outcome,
      v.errorType,
      v.severity,
      v.correctPolicy,
      v.notes,
      v.revision,
      v.reason,
      v.auditedAt,
      v.recordedBy,
      v.recordedAt,
      v.recordedMs,
      v.correct,
    ],
  );
}

/** A gold slot of a sample, for leads: where it is, whose it is, and its latest verdict. */
export interface SampleGoldSlot {
  goldId: string;
  decisionId: string;
  position: number;
  stratum: string;
  auditor: string | null;
  placedFor: string;
  decidedAt: string | null;
  placedAt: string;
  expectedOutcome: Outcome;
  expectedErrorType: ErrorType | null;
  outcome: Outcome | null;
  errorType: ErrorType | null;
  revision: number | null;
  correct: number | null;
}

/** The sample's gold slots in position order, each with its latest verdict (if any). */
export async function sampleGoldSlots(db: Db, sampleId: string): Promise<SampleGoldSlot[]> {
  return db.all<SampleGoldSlot>(
    `SELECT i.gold_id AS "goldId", i.decision_id AS "decisionId", i.position AS position, i.stratum AS stratum,
       i.auditor AS auditor, gs.auditor AS "placedFor", gs.decided_at AS "decidedAt", gs.placed_at AS "placedAt",
       g.outcome AS "expectedOutcome", g.error_type AS "expectedErrorType",
       v.outcome AS outcome, v.error_type AS "errorType", v.revision AS revision, v.correct AS correct
     FROM sample_items i
     JOIN gold_slots gs ON gs.sample_id = i.sample_id AND gs.gold_id = i.gold_id
     JOIN gold_items g ON g.id = i.gold_id
     LEFT JOIN gold_verdicts v ON v.sample_id = i.sample_id AND v.gold_id = i.gold_id AND NOT EXISTS (
       SELECT 1 FROM gold_verdicts w WHERE w.sample_id = v.sample_id AND w.gold_id = v.gold_id
         AND w.revision > v.revision)
     WHERE i.sample_id = ? AND i.gold_id IS NOT NULL
     ORDER BY i.position`,
    [sampleId],
  );
}

/** One scored gold verdict: the latest revision of the verdict on one (sample, gold slot). */
export interface GoldScore {
  sampleId: string;
  goldId: string;
  decisionId: string;
  auditor: string;
  /** The gold's queue. */
  queue: string;
  expectedOutcome: Outcome;
  expectedErrorType: ErrorType | null;
  outcome: Outcome;
  errorType: ErrorType | null;
  correct: boolean;
  revision: number;
  /** When the latest revision was recorded (epoch ms). */
  recordedMs: number;
}

/**
 * For the auditors' accuracy (GET /v1/auditors, the auditor-accuracy alert): the latest revision of the verdict
 * on every gold slot, scored by `goldCorrect` (src/gold/score.ts: outcome, and error type when the answer is
 * incorrect), optionally of one auditor and with the latest revision recorded in [fromMs, toMs). Ordered by
 * auditor, then time. Reads the gold_verdicts_by_time / _by_auditor index ranges.
 */
export async function goldScores(
  db: Db,
  filter: { fromMs?: number; toMs?: number; auditor?: string } = {},
): Promise<GoldScore[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.auditor !== undefined) {
    where.push("v.auditor = ?");
    params.push(filter.auditor);
  }
  if (filter.fromMs !== undefined) {
    where.push("v.recorded_ms >= ?");
    params.push(filter.fromMs);
  }
  if (filter.toMs !== undefined) {
    where.push("v.recorded_ms < ?");
    params.push(filter.toMs);
  }
  where.push(`NOT EXISTS (SELECT 1 FROM gold_verdicts w WHERE w.sample_id = v.sample_id
    AND w.gold_id = v.gold_id AND w.revision > v.revision)`);
  const rows = await db.all<Omit<GoldScore, "correct"> & { correct: number }>(
    `SELECT v.sample_id AS "sampleId", v.gold_id AS "goldId", g.decision_id AS "decisionId",
       v.auditor AS auditor, g.queue AS queue, g.outcome AS "expectedOutcome",
       g.error_type AS "expectedErrorType", v.outcome AS outcome, v.error_type AS "errorType",
       v.correct AS correct, v.revision AS revision, v.recorded_ms AS "recordedMs"
     FROM gold_verdicts v JOIN gold_items g ON g.id = v.gold_id
     WHERE ${where.join(" AND ")}
     ORDER BY v.auditor, v.recorded_ms, v.sample_id, v.gold_id`,
    params,
  );
  return rows.map((row) => ({ ...row, correct: row.correct === 1 }));
}
