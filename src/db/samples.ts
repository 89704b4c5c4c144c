import type { Db } from "./open.ts";
import { statement } from "./statements.ts";

export interface SampleStratum {
  key: string;
  /** The stratum's value of each strata attribute (absent = ""). */
  values: Record<string, string>;
  size: number;
  n: number;
  /** The rate used for Neyman weights or per-stratum sizing, when one was used. */
  expectedRate?: number;
  /** Where expectedRate came from: the request, audit history, or the 0.5 fallback. */
  rateSource?: "expectedRates" | "history" | "default";
}

export interface Assignment {
  method: "balanced";
  auditors: string[];
  loads: { auditor: string; items: number }[];
  balanced: boolean;
  notes: string[];
  assignedAt: string;
  assignedBy: string | null;
}

export interface Sample {
  id: string;
  population: string;
  seed: string;
  plan: Record<string, unknown>;
  strataAttributes: string[];
  n: number;
  strata: SampleStratum[];
  notes: string[];
  assignment: Assignment | null;
  createdBy: string | null;
  createdAt: string;
}

interface SampleRow {
  id: string;
  population_id: string;
  seed: string;
  plan: string;
  strata_attributes: string;
  n: number;
  strata: string;
  notes: string;
  assignment: string | null;
  created_by: string | null;
  created_at: string;
}

const toSample = (row: SampleRow): Sample => ({
  id: row.id,
  population: row.population_id,
  seed: row.seed,
  plan: JSON.parse(row.plan),
  strataAttributes: JSON.parse(row.strata_attributes),
  n: row.n,
  strata: JSON.parse(row.strata),
  notes: JSON.parse(row.notes),
  assignment: row.assignment === null ? null : JSON.parse(row.assignment),
  createdBy: row.created_by,
  createdAt: row.created_at,
});

export interface NewItem {
  decisionId: string;
  decisionSeq: number;
  stratum: string;
  rank: number;
  priority: string;
}

/** Stores a sample and its drawn items (in draw order: by stratum, then rank). Call inside a transaction. */
export function insertSample(db: Db, sample: Sample, items: NewItem[]): void {
  statement(
    db,
    `INSERT INTO samples (id, population_id, seed, plan, strata_attributes, n, strata, notes, assignment, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
  ).run(
    sample.id,
    sample.population,
    sample.seed,
    JSON.stringify(sample.plan),
    JSON.stringify(sample.strataAttributes),
    sample.n,
    JSON.stringify(sample.strata),
    JSON.stringify(sample.notes),
    sample.createdBy,
    sample.createdAt,
  );
  const insert = statement(
    db,
    `INSERT INTO sample_items (sample_id, position, decision_id, decision_seq, stratum, rank, priority)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  items.forEach((item, position) => {
    insert.run(
      sample.id,
      position,
      item.decisionId,
      item.decisionSeq,
      item.stratum,
      item.rank,
      item.priority,
    );
  });
}

export function getSample(db: Db, id: string): Sample | undefined {
  const row = statement<[string], SampleRow>(db, "SELECT * FROM samples WHERE id = ?").get(id);
  return row && toSample(row);
}

export function listSamples(db: Db, populationId?: string): Sample[] {
  const rows =
    populationId === undefined
      ? statement<[], SampleRow>(db, "SELECT * FROM samples ORDER BY created_at, id").all()
      : statement<[string], SampleRow>(
          db,
          "SELECT * FROM samples WHERE population_id = ? ORDER BY created_at, id",
        ).all(populationId);
  return rows.map(toSample);
}

export function deleteSample(db: Db, id: string): boolean {
  return statement(db, "DELETE FROM samples WHERE id = ?").run(id).changes === 1;
}

export interface ItemRow {
  position: number;
  decision_id: string;
  decision_seq: number;
  stratum: string;
  rank: number;
  priority: string;
  auditor: string | null;
}

/** The drawn items in draw order, optionally only one auditor's or one stratum's. */
export function listItems(db: Db, sampleId: string, filter: { auditor?: string; stratum?: string } = {}) {
  const where = ["sample_id = ?"];
  const params: unknown[] = [sampleId];
  if (filter.auditor !== undefined) {
    where.push("auditor = ?");
    params.push(filter.auditor);
  }
  if (filter.stratum !== undefined) {
    where.push("stratum = ?");
    params.push(filter.stratum);
  }
  return statement(db, `SELECT * FROM sample_items WHERE ${where.join(" AND ")} ORDER BY position`).all(
    ...params,
  ) as ItemRow[];
}

export function getItem(db: Db, sampleId: string, decisionId: string): ItemRow | undefined {
  return statement<[string, string], ItemRow>(
    db,
    "SELECT * FROM sample_items WHERE sample_id = ? AND decision_id = ?",
  ).get(sampleId, decisionId);
}

/** The last drawn item of a stratum (rank n_h): its priority is the stratum's cut-off. */
export function lastOfStratum(db: Db, sampleId: string, stratum: string): ItemRow | undefined {
  return statement<[string, string], ItemRow>(
    db,
    "SELECT * FROM sample_items WHERE sample_id = ? AND stratum = ? ORDER BY rank DESC LIMIT 1",
  ).get(sampleId, stratum);
}

/** Items with the name of the moderator of their decision, by priority (the order assignment deals them). */
export function itemsWithModerator(
  db: Db,
  sampleId: string,
  populationId: string,
): { position: number; decisionId: string; moderator: string }[] {
  return statement<[string, string], { position: number; decisionId: string; moderator: string }>(
    db,
    `SELECT i.position AS position, i.decision_id AS decisionId, v.value AS moderator
     FROM sample_items i
     JOIN population_decisions d ON d.seq = i.decision_seq
     JOIN population_values v ON v.population_id = ? AND v.attribute = 'moderator' AND v.code = d.moderator
     WHERE i.sample_id = ?
     ORDER BY i.priority, i.decision_id`,
  ).all(populationId, sampleId);
}

/** Replaces the sample's assignment: every item's auditor and the summary. */
export function saveAssignment(
  db: Db,
  sampleId: string,
  auditors: { position: number; auditor: string }[],
  assignment: Assignment,
): void {
  const update = statement(db, "UPDATE sample_items SET auditor = ? WHERE sample_id = ? AND position = ?");
  for (const item of auditors) update.run(item.auditor, sampleId, item.position);
  statement(db, "UPDATE samples SET assignment = ? WHERE id = ?").run(JSON.stringify(assignment), sampleId);
}

/**
 * Drawn items that have an audit, per stratum: an item counts when some audit's decisionId is the item's
 * decision id (uses the audits_by_decision index).
 */
export function auditedPerStratum(db: Db, sampleId: string): Map<string, number> {
  const rows = statement<[string], { stratum: string; audited: number }>(
    db,
    `SELECT i.stratum AS stratum, COUNT(*) AS audited FROM sample_items i
     WHERE i.sample_id = ? AND EXISTS (SELECT 1 FROM audits a WHERE a.decision_id = i.decision_id)
     GROUP BY i.stratum`,
  ).all(sampleId);
  return new Map(rows.map((r) => [r.stratum, r.audited]));
}

/** Audits tagged with this sample's id whose decision is not one of its drawn items. */
export function unmatchedAudits(db: Db, sampleId: string): number {
  return statement<[string], { n: number }>(
    db,
    `SELECT COUNT(*) AS n FROM audits a WHERE a.sample_id = ?
     AND NOT EXISTS (SELECT 1 FROM sample_items i WHERE i.sample_id = a.sample_id AND i.decision_id = a.decision_id)`,
  ).get(sampleId)!.n;
}

/**
 * The latest audit (by auditedAt, then by arrival) of each drawn item that has one: its stratum, outcome and
 * error type.
 */
export function latestAuditsOfItems(
  db: Db,
  sampleId: string,
): { stratum: string; outcome: "correct" | "incorrect"; errorType: string | null }[] {
  return statement<[string], { stratum: string; outcome: "correct" | "incorrect"; errorType: string | null }>(
    db,
    `SELECT i.stratum AS stratum, a.outcome AS outcome, a.error_type AS errorType
     FROM sample_items i
     JOIN audits a ON a.seq = (
       SELECT b.seq FROM audits b WHERE b.decision_id = i.decision_id ORDER BY b.audited_ms DESC, b.seq DESC LIMIT 1
     )
     WHERE i.sample_id = ?`,
  ).all(sampleId);
}
