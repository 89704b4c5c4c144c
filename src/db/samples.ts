import type { Db } from "./database.ts";
import { type DecisionRow, insertRows, UNNEST_ROWS } from "./populations.ts";
import { sqliteStatement } from "./sqlite.ts";

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

/** A note of the draw's plan as stored: a stable code, its parameters and the English text. */
export interface SampleNotice {
  code: string;
  params: Record<string, number | string>;
  message: string;
}

export interface Sample {
  id: string;
  /** For people: given at draw time, else the population's name (or id) and the draw's date. */
  name: string;
  population: string;
  seed: string;
  plan: Record<string, unknown>;
  strataAttributes: string[];
  n: number;
  strata: SampleStratum[];
  /** The plan's notes in English (also in `notices` for samples drawn since notes have codes). */
  notes: string[];
  /** The notes with codes and parameters; absent on samples drawn before they had them (notes only). */
  notices?: SampleNotice[];
  assignment: Assignment | null;
  createdBy: string | null;
  createdAt: string;
}

interface SampleRow {
  id: string;
  name: string;
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

/**
 * The notes column holds the notices (objects with their English `message`) since notes have codes, and the
 * English texts alone before: both read back as `notes`, the notices only when stored.
 */
function storedNotes(stored: (string | SampleNotice)[]): { notes: string[]; notices?: SampleNotice[] } {
  if (stored.every((note) => typeof note === "string")) return { notes: stored as string[] };
  const notices = stored.filter((note): note is SampleNotice => typeof note !== "string");
  return { notes: notices.map((notice) => notice.message), notices };
}

const toSample = (row: SampleRow): Sample => ({
  id: row.id,
  name: row.name,
  population: row.population_id,
  seed: row.seed,
  plan: JSON.parse(row.plan),
  strataAttributes: JSON.parse(row.strata_attributes),
  n: row.n,
  strata: JSON.parse(row.strata),
  ...storedNotes(JSON.parse(row.notes)),
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

/**
 * Stores a sample and its drawn items (in draw order: by stratum, then rank). Call inside a transaction.
 */
export async function insertSample(db: Db, sample: Sample, items: NewItem[]): Promise<void> {
  await db.run(
    `INSERT INTO samples (id, name, population_id, seed, plan, strata_attributes, n, strata, notes, assignment, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
    [
      sample.id,
      sample.name,
      sample.population,
      sample.seed,
      JSON.stringify(sample.plan),
      JSON.stringify(sample.strataAttributes),
      sample.n,
      JSON.stringify(sample.strata),
      JSON.stringify(sample.notices ?? sample.notes),
      sample.createdBy,
      sample.createdAt,
    ],
  );
  await insertRows(
    db,
    "sample_items",
    [
      ["sample_id", "text"],
      ["position", "bigint"],
      ["decision_id", "text"],
      ["decision_seq", "bigint"],
      ["stratum", "text"],
      ["rank", "bigint"],
      ["priority", "text"],
    ],
    items.map((item, position) => [
      sample.id,
      position,
      item.decisionId,
      item.decisionSeq,
      item.stratum,
      item.rank,
      item.priority,
    ]),
  );
}

export async function getSample(db: Db, id: string): Promise<Sample | undefined> {
  const row = await db.get<SampleRow>("SELECT * FROM samples WHERE id = ?", [id]);
  return row && toSample(row);
}

/** A sample with what a listing shows of its population: name and upload time, to tell uploads apart. */
export interface ListedSample extends Sample {
  populationName: string | null;
  populationCreatedAt: string;
}

/** Samples, oldest first, optionally of one population only, each with its population's name and upload time. */
export async function listSamples(db: Db, populationId?: string): Promise<ListedSample[]> {
  const rows = await db.all<SampleRow & { population_name: string | null; population_created_at: string }>(
    `SELECT s.*, p.name AS population_name, p.created_at AS population_created_at
     FROM samples s JOIN populations p ON p.id = s.population_id
     ${populationId === undefined ? "" : "WHERE s.population_id = ?"}
     ORDER BY s.created_at, s.id`,
    populationId === undefined ? [] : [populationId],
  );
  return rows.map((row) => ({
    ...toSample(row),
    populationName: row.population_name,
    populationCreatedAt: row.population_created_at,
  }));
}

/**
 * Audits that name the sample (`sampleId`), plus verdicts on its gold rows (issue 16): while there are any, the
 * sample is not deleted.
 */
export async function auditsNamingSample(db: Db, sampleId: string): Promise<number> {
  const row = await db.get<{ n: number }>(
    `SELECT (SELECT COUNT(*) FROM audits WHERE sample_id = ?)
       + (SELECT COUNT(*) FROM gold_verdicts WHERE sample_id = ?) AS n`,
    [sampleId, sampleId],
  );
  return row!.n;
}

export async function deleteSample(db: Db, id: string): Promise<boolean> {
  return (await db.run("DELETE FROM samples WHERE id = ?", [id])) === 1;
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

/**
 * The drawn items in draw order, optionally only one auditor's or one stratum's, each with its decision's row
 * (one query, not one per item). Gold rows (issue 16) are not drawn items and are left out.
 */
export async function listItems(
  db: Db,
  sampleId: string,
  filter: { auditor?: string; stratum?: string } = {},
): Promise<(ItemRow & DecisionRow)[]> {
  const where = ["i.sample_id = ?", "i.gold_id IS NULL"];
  const params: unknown[] = [sampleId];
  if (filter.auditor !== undefined) {
    where.push("i.auditor = ?");
    params.push(filter.auditor);
  }
  if (filter.stratum !== undefined) {
    where.push("i.stratum = ?");
    params.push(filter.stratum);
  }
  return db.all<ItemRow & DecisionRow>(
    `SELECT i.position, i.decision_id, i.decision_seq, i.stratum, i.rank, i.priority, i.auditor, d.*
     FROM sample_items i JOIN population_decisions d ON d.seq = i.decision_seq
     WHERE ${where.join(" AND ")} ORDER BY i.position`,
    params,
  );
}

/** A drawn item (never a gold row) by its decision id. */
export async function getItem(db: Db, sampleId: string, decisionId: string): Promise<ItemRow | undefined> {
  return db.get<ItemRow>(
    "SELECT * FROM sample_items WHERE sample_id = ? AND decision_id = ? AND gold_id IS NULL",
    [sampleId, decisionId],
  );
}

/** The last drawn item of a stratum (rank n_h): its priority is the stratum's cut-off. */
export async function lastOfStratum(db: Db, sampleId: string, stratum: string): Promise<ItemRow | undefined> {
  return db.get<ItemRow>(
    "SELECT * FROM sample_items WHERE sample_id = ? AND stratum = ? AND gold_id IS NULL ORDER BY rank DESC LIMIT 1",
    [sampleId, stratum],
  );
}

/**
 * Items with the name of the moderator of their decision, by priority (the order assignment deals them; the
 * text columns compare bytewise on both backends). Aliases are quoted: PostgreSQL folds unquoted ones to lower
 * case.
 */
export async function itemsWithModerator(
  db: Db,
  sampleId: string,
  populationId: string,
): Promise<{ position: number; decisionId: string; moderator: string }[]> {
  return db.all<{ position: number; decisionId: string; moderator: string }>(
    `SELECT i.position AS position, i.decision_id AS "decisionId", v.value AS moderator
     FROM sample_items i
     JOIN population_decisions d ON d.seq = i.decision_seq
     JOIN population_values v ON v.population_id = ? AND v.attribute = 'moderator' AND v.code = d.moderator
     WHERE i.sample_id = ? AND i.gold_id IS NULL
     ORDER BY i.priority, i.decision_id`,
    [populationId, sampleId],
  );
}

/**
 * Replaces the sample's assignment: every item's auditor and the summary; call inside a transaction. SQLite
 * updates item by item with one prepared statement; PostgreSQL joins the items to arrays of positions and
 * auditors, UNNEST_ROWS at a time, rather than a round trip per item.
 */
export async function saveAssignment(
  db: Db,
  sampleId: string,
  auditors: { position: number; auditor: string }[],
  assignment: Assignment,
): Promise<void> {
  if (db.dialect === "sqlite") {
    const update = sqliteStatement(
      db,
      "UPDATE sample_items SET auditor = ? WHERE sample_id = ? AND position = ?",
    );
    for (const item of auditors) update.run(item.auditor, sampleId, item.position);
  } else {
    for (let start = 0; start < auditors.length; start += UNNEST_ROWS) {
      const chunk = auditors.slice(start, start + UNNEST_ROWS);
      await db.run(
        `UPDATE sample_items AS i SET auditor = a.auditor
         FROM unnest(?::bigint[], ?::text[]) AS a (position, auditor)
         WHERE i.sample_id = ? AND i.position = a.position`,
        [chunk.map((item) => item.position), chunk.map((item) => item.auditor), sampleId],
      );
    }
  }
  await db.run("UPDATE samples SET assignment = ? WHERE id = ?", [JSON.stringify(assignment), sampleId]);
}

/**
 * Drawn items that have an audit, per stratum: an item counts when some audit's decisionId is the item's
 * decision id (uses the audits_by_decision index).
 */
export async function auditedPerStratum(db: Db, sampleId: string): Promise<Map<string, number>> {
  const rows = await db.all<{ stratum: string; audited: number }>(
    `SELECT i.stratum AS stratum, COUNT(*) AS audited FROM sample_items i
     WHERE i.sample_id = ? AND i.gold_id IS NULL
       AND EXISTS (SELECT 1 FROM audits a WHERE a.decision_id = i.decision_id)
     GROUP BY i.stratum`,
    [sampleId],
  );
  return new Map(rows.map((r) => [r.stratum, r.audited]));
}

/** Audits tagged with this sample's id whose decision is not one of its drawn items. */
export async function unmatchedAudits(db: Db, sampleId: string): Promise<number> {
  const row = await db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM audits a WHERE a.sample_id = ?
     AND NOT EXISTS (SELECT 1 FROM sample_items i WHERE i.sample_id = a.sample_id AND i.decision_id = a.decision_id)`,
    [sampleId],
  );
  return row!.n;
}

/**
 * The latest audit (by auditedAt, then by arrival) of each drawn item that has one: its stratum, outcome and
 * error type. Skipped items are left out (skipped: a skip reason and no audit naming this sample and the item's
 * decision; src/db/work.ts), and so are gold rows (issue 16: their decision's other audits must not count).
 */
export async function latestAuditsOfItems(
  db: Db,
  sampleId: string,
): Promise<{ stratum: string; outcome: "correct" | "incorrect"; errorType: string | null }[]> {
  return db.all<{ stratum: string; outcome: "correct" | "incorrect"; errorType: string | null }>(
    // "No later audit of the decision" rather than `a.seq = (SELECT … ORDER BY … LIMIT 1)`: PostgreSQL does not
    // turn that correlated subquery into an index lookup per item and scanned the audits for every drawn item
    // (6.8 s for the demo's sample over its 36,000 audits, now 8 ms); both backends answer this one from
    // audits_by_decision.
    `SELECT i.stratum AS stratum, a.outcome AS outcome, a.error_type AS "errorType"
     FROM sample_items i
     JOIN audits a ON a.decision_id = i.decision_id
     WHERE i.sample_id = ? AND i.gold_id IS NULL
       AND NOT EXISTS (
         SELECT 1 FROM audits b WHERE b.decision_id = a.decision_id
           AND (b.audited_ms > a.audited_ms OR (b.audited_ms = a.audited_ms AND b.seq > a.seq)))
       AND (i.skip_reason IS NULL
       OR EXISTS (SELECT 1 FROM audits x WHERE x.sample_id = i.sample_id AND x.decision_id = i.decision_id))`,
    [sampleId],
  );
}
