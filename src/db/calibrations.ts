import { randomUUID } from "node:crypto";
import type { Db } from "./open.ts";
import { statement } from "./statements.ts";

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

/** Progress of every rater of the session (one grouped scan of the session's ratings). */
function progressOf(db: Db, id: string, raters: string[], items: number): RaterProgress[] {
  const rows = statement(
    db,
    "SELECT rater, COUNT(*) AS n FROM calibration_ratings WHERE calibration_id = ? GROUP BY rater",
  ).all(id) as { rater: string; n: number }[];
  const counts = new Map(rows.map((row) => [row.rater, row.n]));
  return raters.map((rater) => {
    const labelled = counts.get(rater) ?? 0;
    return { rater, labelled, remaining: items - labelled };
  });
}

/** Progress of a few raters: one primary-key range count each, without scanning the other raters' ratings. */
function progressOfSome(db: Db, id: string, raters: readonly string[], items: number): RaterProgress[] {
  const count = statement(
    db,
    "SELECT COUNT(*) AS n FROM calibration_ratings WHERE calibration_id = ? AND rater = ?",
  );
  return raters.map((rater) => {
    const labelled = (count.get(id, rater) as { n: number }).n;
    return { rater, labelled, remaining: items - labelled };
  });
}

/** One rater's progress. */
export function raterProgress(db: Db, id: string, rater: string): RaterProgress {
  return progressOfSome(db, id, [rater], itemCount(db, id))[0];
}

function itemCount(db: Db, id: string): number {
  return (
    statement(db, "SELECT COUNT(*) AS n FROM calibration_items WHERE calibration_id = ?").get(id) as {
      n: number;
    }
  ).n;
}

export function raterNames(db: Db, id: string): string[] {
  return (
    statement(db, "SELECT rater FROM calibration_raters WHERE calibration_id = ? ORDER BY position").all(
      id,
    ) as {
      rater: string;
    }[]
  ).map((row) => row.rater);
}

function summarise(db: Db, row: CalibrationRow): CalibrationSummary {
  const counts = statement(
    db,
    "SELECT COUNT(*) AS items, COUNT(gold) AS gold FROM calibration_items WHERE calibration_id = ?",
  ).get(row.id) as { items: number; gold: number };
  const raters = raterNames(db, row.id);
  const progress = progressOf(db, row.id, raters, counts.items);
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

function findRow(db: Db, id: string): CalibrationRow | undefined {
  return statement(db, "SELECT * FROM calibrations WHERE id = ?").get(id) as CalibrationRow | undefined;
}

/**
 * Stores a new open session. The caller has validated the input (unique item ids and raters, gold labels that
 * are categories, already matched to the category values).
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
): CalibrationSummary {
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
  db.transaction(() => {
    statement(
      db,
      `INSERT INTO calibrations (id, name, categories, level, status, created_by, created_at, closed_at)
       VALUES (@id, @name, @categories, @level, @status, @created_by, @created_at, @closed_at)`,
    ).run(row);
    const insertItem = statement(
      db,
      "INSERT INTO calibration_items (calibration_id, item_id, position, gold) VALUES (?, ?, ?, ?)",
    );
    input.items.forEach((item, position) => {
      insertItem.run(row.id, item.id, position, item.gold === null ? null : encodeLabel(item.gold));
    });
    const insertRater = statement(
      db,
      "INSERT INTO calibration_raters (calibration_id, rater, position) VALUES (?, ?, ?)",
    );
    input.raters.forEach((rater, position) => {
      insertRater.run(row.id, rater, position);
    });
  }).immediate();
  return summarise(db, row);
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

export function findCalibration(db: Db, id: string): CalibrationMeta | undefined {
  const row = findRow(db, id);
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    categories: JSON.parse(row.categories) as Label[],
    level: row.level,
    status: row.status,
    raters: raterNames(db, id),
    closedAt: row.closed_at,
  };
}

export function getCalibration(db: Db, id: string): CalibrationSummary | undefined {
  const row = findRow(db, id);
  return row && summarise(db, row);
}

/** Sessions newest first, optionally only open or only closed ones. */
export function listCalibrations(db: Db, status?: CalibrationStatus): CalibrationSummary[] {
  const rows = (
    status
      ? statement(db, "SELECT * FROM calibrations WHERE status = ? ORDER BY created_at DESC, id").all(status)
      : statement(db, "SELECT * FROM calibrations ORDER BY created_at DESC, id").all()
  ) as CalibrationRow[];
  return rows.map((row) => summarise(db, row));
}

/** Item ids in their session order, with their gold labels. Never send gold while the session is open. */
export function listItems(db: Db, id: string): CalibrationItem[] {
  const rows = statement(
    db,
    "SELECT item_id, gold FROM calibration_items WHERE calibration_id = ? ORDER BY position",
  ).all(id) as { item_id: string; gold: string | null }[];
  return rows.map((row) => ({ id: row.item_id, gold: row.gold === null ? null : decodeLabel(row.gold) }));
}

/** One rater's labels, item id → label, in item order. */
export function raterLabels(db: Db, id: string, rater: string): { item: string; label: Label }[] {
  const rows = statement(
    db,
    `SELECT r.item_id, r.label FROM calibration_ratings r
       JOIN calibration_items i ON i.calibration_id = r.calibration_id AND i.item_id = r.item_id
     WHERE r.calibration_id = ? AND r.rater = ? ORDER BY i.position`,
  ).all(id, rater) as { item_id: string; label: string }[];
  return rows.map((row) => ({ item: row.item_id, label: decodeLabel(row.label) }));
}

/**
 * The whole session as a ratings matrix: one row per item (session order), one column per rater (session
 * order), null where a rater has not labelled an item. Only for closed sessions (the report).
 */
export function ratingsMatrix(
  db: Db,
  id: string,
): { items: CalibrationItem[]; raters: string[]; ratings: (Label | null)[][] } {
  const items = listItems(db, id);
  const raters = raterNames(db, id);
  const row = new Map(items.map((item, i) => [item.id, i]));
  const column = new Map(raters.map((rater, j) => [rater, j]));
  const ratings = items.map(() => raters.map((): Label | null => null));
  // One row per rater with its item ids and labels as two JSON arrays aggregated in the same scan (so they
  // line up): SQLite builds them, and two JSON.parse calls per rater replace a million row objects.
  const groups = statement(
    db,
    `SELECT rater, json_group_array(item_id) AS items, json_group_array(json(label)) AS labels
       FROM calibration_ratings WHERE calibration_id = ? GROUP BY rater`,
  ).all(id) as { rater: string; items: string; labels: string }[];
  for (const group of groups) {
    const j = column.get(group.rater)!;
    const ids = JSON.parse(group.items) as string[];
    const labels = JSON.parse(group.labels) as Label[];
    for (let k = 0; k < ids.length; k++) ratings[row.get(ids[k])!][j] = labels[k];
  }
  return { items, raters, ratings };
}

/**
 * Applies label writes (already validated against the session) in one immediate transaction: all or nothing.
 * A null label deletes the rating. Returns "not_found" / "closed" instead of writing when the session is
 * missing or no longer open (checked inside the transaction, so a concurrent close cannot slip in between).
 * `written` counts labels set (new, changed or re-sent), `cleared` the labels that a null actually removed;
 * `progress` is given for the raters in `progressFor`.
 */
export function writeRatings(
  db: Db,
  id: string,
  writes: readonly RatingWrite[],
  by: string | null,
  progressFor: readonly string[],
): WriteResult | "not_found" | "closed" {
  return db
    .transaction((): WriteResult | "not_found" | "closed" => {
      const row = findRow(db, id);
      if (!row) return "not_found";
      if (row.status !== "open") return "closed";
      const now = new Date().toISOString();
      const upsert = statement(
        db,
        `INSERT INTO calibration_ratings (calibration_id, rater, item_id, label, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (calibration_id, rater, item_id)
         DO UPDATE SET label = excluded.label, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      );
      const remove = statement(
        db,
        "DELETE FROM calibration_ratings WHERE calibration_id = ? AND rater = ? AND item_id = ?",
      );
      let written = 0;
      let cleared = 0;
      for (const write of writes) {
        if (write.label === null) {
          cleared += remove.run(id, write.rater, write.item).changes;
        } else {
          upsert.run(id, write.rater, write.item, encodeLabel(write.label), now, by);
          written++;
        }
      }
      return { written, cleared, progress: progressOfSome(db, id, progressFor, itemCount(db, id)) };
    })
    .immediate();
}

/** Closes an open session; "not_found" or "already_closed" otherwise. */
export function closeCalibration(db: Db, id: string): CalibrationSummary | "not_found" | "already_closed" {
  return db
    .transaction((): CalibrationSummary | "not_found" | "already_closed" => {
      const row = findRow(db, id);
      if (!row) return "not_found";
      if (row.status !== "open") return "already_closed";
      const closedAt = new Date().toISOString();
      statement(db, "UPDATE calibrations SET status = 'closed', closed_at = ? WHERE id = ?").run(
        closedAt,
        id,
      );
      return summarise(db, { ...row, status: "closed", closed_at: closedAt });
    })
    .immediate();
}

/** The session's item ids and raters as sets, for validating writes before the write transaction. */
export function sessionKeys(db: Db, id: string): { items: Set<string>; raters: Set<string> } {
  const items = (
    statement(db, "SELECT item_id FROM calibration_items WHERE calibration_id = ?").all(id) as {
      item_id: string;
    }[]
  ).map((row) => row.item_id);
  return { items: new Set(items), raters: new Set(raterNames(db, id)) };
}
