import {
  type CalibrationMeta,
  CategoryMatcher,
  type Label,
  type RatingWrite,
  sessionKeys,
  type WriteResult,
  writeRatings,
} from "../db/calibrations.ts";
import type { Db } from "../db/database.ts";
import type { ApiKey } from "../db/keys.ts";
import { type ErrorDetail, invalidRequest, notFound } from "../errors.ts";
import { type FieldProblem, problems, rowDetails } from "../problems.ts";
import { assertMayWrite, assertOpen } from "./blind.ts";
import { type CsvBody, readRatingsCsv } from "./ratings-csv.ts";
import { findSession } from "./sessions.ts";

/** At most this many bad rows or fields are listed in one 400 answer. */
const MAX_DETAILS = 100;

/** Who writes: checked against the rater written, and recorded with each rating. */
export type Writer = Pick<ApiKey, "id" | "role" | "rater">;

/**
 * Sets (label) or clears (null) one rater's labels, merged with what is stored. Every item id and label is
 * checked first; one bad entry writes nothing.
 */
export async function putRatings(
  db: Db,
  id: string,
  rater: string,
  ratings: Record<string, Label | null>,
  writer: Writer,
): Promise<WriteResult> {
  const session = await findSession(db, id);
  assertMayWrite(writer, rater);
  assertOpen(session);
  const { items, raters } = await sessionKeys(db, id);
  if (!raters.has(rater)) {
    throw invalidRequest(`rater ${JSON.stringify(rater)} is not in this session`, [
      {
        path: "rater",
        field: "rater",
        code: "unknown_rater",
        params: { rater },
        message: `not one of the session's raters`,
      },
    ]);
  }
  const matcher = new CategoryMatcher(session.categories);
  const details: ErrorDetail[] = [];
  const writes: RatingWrite[] = [];
  for (const [item, label] of Object.entries(ratings)) {
    const path = `ratings.${item}`;
    if (!items.has(item)) {
      details.push(entryDetail(path, problems.unknownItem("item", item)));
      continue;
    }
    if (label === null) {
      writes.push({ rater, item, label: null });
      continue;
    }
    const category = matcher.fromJson(label);
    if (category === undefined) {
      details.push(entryDetail(path, problems.unknownLabel("label", JSON.stringify(label))));
    } else writes.push({ rater, item, label: category });
  }
  rejectIfAny(details, "unknown items or labels");
  return applyWrites(db, session, writes, writer, [rater]);
}

/** The session a CSV import may write to: it exists and is open (checked before the upload is read). */
export async function writableSession(db: Db, id: string): Promise<CalibrationMeta> {
  const session = await findSession(db, id);
  assertOpen(session);
  return session;
}

/**
 * Imports `item,rater,label` rows (see `readRatingsCsv`); an empty label clears. Every row is checked first;
 * one bad row writes nothing, and a row of another rater than an auditor's own refuses the whole file.
 */
export async function importRatingsCsv(
  db: Db,
  session: CalibrationMeta,
  body: CsvBody,
  writer: Writer,
): Promise<WriteResult & { rows: number }> {
  const rows = readRatingsCsv(body);
  const { items, raters } = await sessionKeys(db, session.id);
  const matcher = new CategoryMatcher(session.categories);
  const details: ErrorDetail[] = [];
  const writes: RatingWrite[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    assertMayWrite(writer, row.rater, `rows.${row.row}.rater`);
    let ok = true;
    if (!items.has(row.item)) {
      details.push(rowDetail(row.row, problems.unknownItem("item", row.item)));
      ok = false;
    }
    if (!raters.has(row.rater)) {
      details.push(rowDetail(row.row, problems.unknownRater("rater", row.rater)));
      ok = false;
    }
    const label = row.label.trim() === "" ? null : matcher.fromText(row.label);
    if (label === undefined) {
      details.push(rowDetail(row.row, problems.unknownLabel("label", row.label)));
      ok = false;
    }
    const pair = JSON.stringify([row.item, row.rater]);
    const first = seen.get(pair);
    if (first !== undefined) {
      details.push(rowDetail(row.row, problems.repeatedRating("item", first)));
      ok = false;
    } else seen.set(pair, row.row);
    if (ok) writes.push({ rater: row.rater, item: row.item, label: label as Label | null });
  }
  rejectIfAny(details, "bad rows");
  // Progress of the raters in the file, in session order.
  const written = new Set(writes.map((w) => w.rater));
  const order = session.raters.filter((rater) => written.has(rater));
  return { ...(await applyWrites(db, session, writes, writer, order)), rows: rows.length };
}

/** A JSON entry's problem: the path names the entry (`ratings.<item>`). */
function entryDetail(path: string, { field, code, params, message }: FieldProblem): ErrorDetail {
  return { path, field, code, params: params ?? {}, message };
}

/** A CSV row's problem: the path as before (`rows.<row>.<field>`), with the row and field on their own. */
function rowDetail(row: number, problem: FieldProblem): ErrorDetail {
  return { ...rowDetails(row, [problem])[0], path: `rows.${row}.${problem.field}` };
}

function rejectIfAny(details: ErrorDetail[], message: string): void {
  if (details.length > 0) {
    const shown = details.slice(0, MAX_DETAILS);
    throw invalidRequest(
      `${message}: ${shown.map((d) => d.path).join(", ")}${details.length > shown.length ? ", …" : ""}; nothing was written`,
      shown,
    );
  }
}

/** Writes in one transaction that re-checks the session, so a close between validation and write still wins. */
async function applyWrites(
  db: Db,
  session: CalibrationMeta,
  writes: RatingWrite[],
  writer: Writer,
  progressFor: string[],
): Promise<WriteResult> {
  const result = await writeRatings(db, session.id, writes, writer.id, progressFor);
  if (result === "not_found") throw notFound("calibration session");
  if (result === "closed") assertOpen({ ...session, status: "closed" });
  return result as WriteResult;
}
