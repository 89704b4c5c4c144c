import { randomUUID } from "node:crypto";
import type { Db } from "./database.ts";
import { sqliteStatement } from "./sqlite.ts";

/** A rating label: a category name or a numeric score. `1` and `"1"` are different labels. */
export type Label = string | number;

export const LEVELS = ["nominal", "ordinal", "interval", "ratio"] as const;
export type Level = (typeof LEVELS)[number];
export type CalibrationStatus = "open" | "closed";

/** How far one rater has got: items labelled and items still without a label. */
export interface RaterProgress {
  rater: string;
  labelled: number;
  remaining: number;
}

/** Everything about a session except labels: safe to show anyone while the session is open (blind). */
export interface CalibrationSummary {
  id: string;
  name: string;
  categories: Label[];
  level: Level;
  status: CalibrationStatus;
  items: number;
  goldItems: number;
  raters: string[];
  progress: RaterProgress[];
  /** Ratings given so far out of items × raters. */
  labelled: number;
  expected: number;
  createdAt: string;
  closedAt: string | null;
}

export interface CalibrationItem {
  id: string;
  gold: Label | null;
}

/** One label to set (`label`) or clear (`null`). */
export interface RatingWrite {
  rater: string;
  item: string;
  label: Label | null;
}

export interface WriteResult {
  written: number;
  cleared: number;
  progress: RaterProgress[];
}

interface CalibrationRow {
  id: string;
  name: string;
  categories: string;
  level: Level;
  status: CalibrationStatus;
  created_by: string | null;
  created_at: string;
  closed_at: string | null;
}

const encodeLabel = (label: Label): string => JSON.stringify(label);
const decodeLabel = (text: string): Label => JSON.parse(text) as Label;

/** The key two categories must not share: their text (as a CSV cell would spell it), Unicode NFC-normalised. */
export const labelTextKey = (label: Label): string =>
  typeof label === "number" ? String(label) : label.normalize("NFC");

/**
 * Matches labels written by people against a session's categories and returns the category itself, so what is
 * stored is always exactly a declared category (type and code points). A JSON label must equal a category
 * (`2` does not match `"2"`); a string that differs from a string category only in Unicode normalisation
 * (NFD from some macOS tools) matches it. CSV text matches a category's text (`"2"` matches the number 2).
 */
export class CategoryMatcher {
  private readonly exact = new Map<Label, Label>();
  private readonly normalised = new Map<string, Label>();
  private readonly text = new Map<string, Label>();

  constructor(readonly categories: readonly Label[]) {
    for (const category of categories) {
      this.exact.set(category, category);
      if (typeof category === "string") this.normalised.set(category.normalize("NFC"), category);
      this.text.set(labelTextKey(category), category);
    }
  }

  /** The category a JSON label names, or undefined. */
  fromJson(label: Label): Label | undefined {
    const hit = this.exact.get(label);
    if (hit !== undefined || typeof label !== "string") return hit;
    return this.normalised.get(label.normalize("NFC"));
  }

  /** The category a CSV cell names, or undefined. */
  fromText(text: string): Label | undefined {
    const hit = this.text.get(text.normalize("NFC"));
    if (hit !== undefined) return hit;
    const number = Number(text);
    if (text.trim() !== "" && Number.isFinite(number)) return this.exact.get(number);
    return undefined;
  }
}

/**
 * Rows per multi-row statement on PostgreSQL: one round trip per few hundred rows instead of one per row,
 * far below its limit of 65,535 parameters per statement.
 */
const ROWS_PER_STATEMENT = 500;

/** `rows` in slices of ROWS_PER_STATEMENT. */
function* chunks<T>(rows: readonly T[]): Generator<readonly T[]> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    yield rows.slice(start, start + ROWS_PER_STATEMENT);
  }
}

/** `(?, ?, …)` for a row of `columns` values. */
const tuple = (columns: number) => `(${Array.from({ length: columns }, () => "?").join(", ")})`;

/**
 * Inserts `rows` (all of one length) with `insert` (`INSERT INTO t (…)`) and an optional `onConflict` clause,
 * inside a transaction. SQLite runs one prepared single-row statement per row in a synchronous loop (no promise
 * per row); PostgreSQL sends multi-row `VALUES` lists, one round trip per ROWS_PER_STATEMENT rows.
 */
async function insertRows(
  tx: Db,
  insert: string,
  rows: readonly unknown[][],
  onConflict = "",
): Promise<void> {
  if (rows.length === 0) return;
  const row = tuple(rows[0].length);
  if (tx.dialect === "sqlite") {
    const statement = sqliteStatement(tx, `${insert} VALUES ${row} ${onConflict}`);
    for (const values of rows) statement.run(...values);
    return;
  }
  for (const chunk of chunks(rows)) {
    await tx.run(`${insert} VALUES ${chunk.map(() => row).join(", ")} ${onConflict}`, chunk.flat());
  }
}

/** Deletes the session's ratings of the given (rater, item) pairs inside a transaction; resolves to how many existed. */
async function deleteRatings(tx: Db, id: string, pairs: readonly RatingWrite[]): Promise<number> {
  let removed = 0;
  if (tx.dialect === "sqlite") {
    const remove = sqliteStatement(
      tx,
      "DELETE FROM calibration_ratings WHERE calibration_id = ? AND rater = ? AND item_id = ?",
    );
    for (const pair of pairs) removed += remove.run(id, pair.rater, pair.item).changes;
    return removed;
  }
  for (const chunk of chunks(pairs)) {
    removed += await tx.run(
      `DELETE FROM calibration_ratings
        WHERE calibration_id = ? AND (rater, item_id) IN (VALUES ${chunk.map(() => tuple(2)).join(", ")})`,
      [id, ...chunk.flatMap((pair) => [pair.rater, pair.item])],
    );
  }
  return removed;
}

/** How far each of `raters` has got (one grouped count over their primary-key ranges), in the order given. */
async function progressOf(
  db: Db,
  id: string,
  raters: readonly string[],
  items: number,
): Promise<RaterProgress[]> {
  if (raters.length === 0) return [];
  const rows = await db.all<{ rater: string; n: number }>(
    `SELECT rater, COUNT(*) AS n FROM calibration_ratings
      WHERE calibration_id = ? AND rater IN ${tuple(raters.length)} GROUP BY rater`,
    [id, ...raters],
  );
  const counts = new Map(rows.map((row) => [row.rater, row.n]));
  return raters.map((rater) => {
    const labelled = counts.get(rater) ?? 0;
    return { rater, labelled, remaining: items - labelled };
  });
}

/** One rater's progress. */
export async function raterProgress(db: Db, id: string, rater: string): Promise<RaterProgress> {
  return (await progressOf(db, id, [rater], await itemCount(db, id)))[0];
}

async function itemCount(db: Db, id: string): Promise<number> {
  return (await db.get<{ n: number }>(
    "SELECT COUNT(*) AS n FROM calibration_items WHERE calibration_id = ?",
    [id],
  ))!.n;
}

/** The session's raters in session order. */
export async function raterNames(db: Db, id: string): Promise<string[]> {
  const rows = await db.all<{ rater: string }>(
    "SELECT rater FROM calibration_raters WHERE calibration_id = ? ORDER BY position",
    [id],
  );
  return rows.map((row) => row.rater);
}

async function summarise(db: Db, row: CalibrationRow): Promise<CalibrationSummary> {
  const counts = (await db.get<{ items: number; gold: number }>(
    "SELECT COUNT(*) AS items, COUNT(gold) AS gold FROM calibration_items WHERE calibration_id = ?",
    [row.id],
  ))!;
  const raters = await raterNames(db, row.id);
  const progress = await progressOf(db, row.id, raters, counts.items);
  return {
    id: row.id,
    name: row.name,
    categories: JSON.parse(row.categories) as Label[],
    level: row.level,
    status: row.status,
    items: counts.items,
    goldItems: counts.gold,
    raters,
    progress,
    labelled: progress.reduce((sum, p) => sum + p.labelled, 0),
    expected: counts.items * raters.length,
    createdAt: row.created_at,
    closedAt: row.closed_at,
  };
}

function findRow(db: Db, id: string): Promise<CalibrationRow | undefined> {
  return db.get<CalibrationRow>("SELECT * FROM calibrations WHERE id = ?", [id]);
}

/**
 * Stores a new open session in one transaction. The caller has validated the input (unique item ids and raters,
 * gold labels that are categories, already matched to the category values).
 */
export function createCalibration(
  db: Db,
  input: {
    name: string;
    categories: readonly Label[];
    level: Level;
    items: readonly CalibrationItem[];
    raters: readonly string[];
    createdBy: string | null;
  },
): Promise<CalibrationSummary> {
  const row: CalibrationRow = {
    id: randomUUID(),
    name: input.name,
    categories: JSON.stringify(input.categories),
    level: input.level,
    status: "open",
    created_by: input.createdBy,
    created_at: new Date().toISOString(),
    closed_at: null,
  };
  return db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO calibrations (id, name, categories, level, status, created_by, created_at, closed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.id,
        row.name,
        row.categories,
        row.level,
        row.status,
        row.created_by,
        row.created_at,
        row.closed_at,
      ],
    );
    await insertRows(
      tx,
      "INSERT INTO calibration_items (calibration_id, item_id, position, gold)",
      input.items.map((item, position) => [
        row.id,
        item.id,
        position,
        item.gold === null ? null : encodeLabel(item.gold),
      ]),
    );
    await insertRows(
      tx,
      "INSERT INTO calibration_raters (calibration_id, rater, position)",
      input.raters.map((rater, position) => [row.id, rater, position]),
    );
    return summarise(tx, row);
  });
}

/** What the write and report paths need, without counting progress. */
export interface CalibrationMeta {
  id: string;
  name: string;
  categories: Label[];
  level: Level;
  status: CalibrationStatus;
  raters: string[];
  closedAt: string | null;
}

export async function findCalibration(db: Db, id: string): Promise<CalibrationMeta | undefined> {
  const row = await findRow(db, id);
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    categories: JSON.parse(row.categories) as Label[],
    level: row.level,
    status: row.status,
    raters: await raterNames(db, id),
    closedAt: row.closed_at,
  };
}

export async function getCalibration(db: Db, id: string): Promise<CalibrationSummary | undefined> {
  const row = await findRow(db, id);
  return row && summarise(db, row);
}

/** Sessions newest first, optionally only open or only closed ones. */
export async function listCalibrations(db: Db, status?: CalibrationStatus): Promise<CalibrationSummary[]> {
  const rows = status
    ? await db.all<CalibrationRow>(
        "SELECT * FROM calibrations WHERE status = ? ORDER BY created_at DESC, id",
        [status],
      )
    : await db.all<CalibrationRow>("SELECT * FROM calibrations ORDER BY created_at DESC, id");
  const summaries: CalibrationSummary[] = [];
  for (const row of rows) summaries.push(await summarise(db, row));
  return summaries;
}

/** Item ids in their session order, with their gold labels. Never send gold while the session is open. */
export async function listItems(db: Db, id: string): Promise<CalibrationItem[]> {
  const rows = await db.all<{ item_id: string; gold: string | null }>(
    "SELECT item_id, gold FROM calibration_items WHERE calibration_id = ? ORDER BY position",
    [id],
  );
  return rows.map((row) => ({ id: row.item_id, gold: row.gold === null ? null : decodeLabel(row.gold) }));
}

/** One rater's labels, item id → label, in item order. */
export async function raterLabels(
  db: Db,
  id: string,
  rater: string,
): Promise<{ item: string; label: Label }[]> {
  const rows = await db.all<{ item_id: string; label: string }>(
    `SELECT r.item_id, r.label FROM calibration_ratings r
       JOIN calibration_items i ON i.calibration_id = r.calibration_id AND i.item_id = r.item_id
     WHERE r.calibration_id = ? AND r.rater = ? ORDER BY i.position`,
    [id, rater],
  );
  return rows.map((row) => ({ item: row.item_id, label: decodeLabel(row.label) }));
}

/**
 * The whole session as a ratings matrix: one row per item (session order), one column per rater (session
 * order), null where a rater has not labelled an item. Only for closed sessions (the report). The same matrix
 * on both backends: cells are placed by item id, whatever order the database aggregates in.
 */
export async function ratingsMatrix(
  db: Db,
  id: string,
): Promise<{ items: CalibrationItem[]; raters: string[]; ratings: (Label | null)[][] }> {
  const items = await listItems(db, id);
  const raters = await raterNames(db, id);
  const row = new Map(items.map((item, i) => [item.id, i]));
  const column = new Map(raters.map((rater, j) => [rater, j]));
  const ratings = items.map(() => raters.map((): Label | null => null));
  // One row per rater with its item ids and labels as two JSON arrays aggregated in the same scan (so they
  // line up; labels are stored as JSON text, so joining them with commas makes the array): two JSON.parse calls
  // per rater replace a million row objects. The JSON array of item ids is the one aggregate the dialects
  // spell differently (PostgreSQL's json_agg returns json, read here as its text).
  const itemIds = db.dialect === "sqlite" ? "json_group_array(item_id)" : "CAST(json_agg(item_id) AS TEXT)";
  const groups = await db.all<{ rater: string; items: string; labels: string }>(
    `SELECT rater, ${itemIds} AS items, '[' || string_agg(label, ',') || ']' AS labels
       FROM calibration_ratings WHERE calibration_id = ? GROUP BY rater`,
    [id],
  );
  for (const group of groups) {
    const j = column.get(group.rater)!;
    const ids = JSON.parse(group.items) as string[];
    const labels = JSON.parse(group.labels) as Label[];
    for (let k = 0; k < ids.length; k++) ratings[row.get(ids[k])!][j] = labels[k];
  }
  return { items, raters, ratings };
}

const INSERT_RATING =
  "INSERT INTO calibration_ratings (calibration_id, rater, item_id, label, updated_at, updated_by)";
const REPLACE_RATING = `ON CONFLICT (calibration_id, rater, item_id)
  DO UPDATE SET label = excluded.label, updated_at = excluded.updated_at, updated_by = excluded.updated_by`;

/**
 * Applies label writes (already validated against the session, at most one per rater and item) in one
 * transaction: all or nothing. A null label deletes the rating. Resolves to "not_found" / "closed" instead of
 * writing when the session is missing or no longer open (checked inside the transaction, so a concurrent close
 * cannot slip in between: SQLite's write lock, or PostgreSQL's SERIALIZABLE retry). SQLite writes row by row
 * with prepared statements, PostgreSQL set-wise (multi-row upserts and deletes). `written` counts labels set
 * (new, changed or re-sent), `cleared` the labels that a null actually removed; `progress` is given for the
 * raters in `progressFor`.
 */
export function writeRatings(
  db: Db,
  id: string,
  writes: readonly RatingWrite[],
  by: string | null,
  progressFor: readonly string[],
): Promise<WriteResult | "not_found" | "closed"> {
  return db.transaction(async (tx): Promise<WriteResult | "not_found" | "closed"> => {
    const row = await findRow(tx, id);
    if (!row) return "not_found";
    if (row.status !== "open") return "closed";
    const now = new Date().toISOString();
    const sets: unknown[][] = [];
    const clears: RatingWrite[] = [];
    for (const write of writes) {
      if (write.label === null) clears.push(write);
      else sets.push([id, write.rater, write.item, encodeLabel(write.label), now, by]);
    }
    await insertRows(tx, INSERT_RATING, sets, REPLACE_RATING);
    const cleared = await deleteRatings(tx, id, clears);
    return {
      written: sets.length,
      cleared,
      progress: await progressOf(tx, id, progressFor, await itemCount(tx, id)),
    };
  });
}

/** Closes an open session; "not_found" or "already_closed" otherwise. */
export function closeCalibration(
  db: Db,
  id: string,
): Promise<CalibrationSummary | "not_found" | "already_closed"> {
  return db.transaction(async (tx): Promise<CalibrationSummary | "not_found" | "already_closed"> => {
    const row = await findRow(tx, id);
    if (!row) return "not_found";
    if (row.status !== "open") return "already_closed";
    const closedAt = new Date().toISOString();
    await tx.run("UPDATE calibrations SET status = 'closed', closed_at = ? WHERE id = ?", [closedAt, id]);
    return summarise(tx, { ...row, status: "closed", closed_at: closedAt });
  });
}

/** The session's item ids and raters as sets, for validating writes before the write transaction. */
export async function sessionKeys(db: Db, id: string): Promise<{ items: Set<string>; raters: Set<string> }> {
  const items = await db.values<[string]>("SELECT item_id FROM calibration_items WHERE calibration_id = ?", [
    id,
  ]);
  return { items: new Set(items.map(([item]) => item)), raters: new Set(await raterNames(db, id)) };
}
