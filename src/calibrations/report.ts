import {
  type AgreementResult,
  agreement,
  itemDisagreement,
  raterReport,
  type WeightScheme,
} from "../../stats/agreement/index.ts";
import { StatsInputError } from "../../stats/errors.ts";
import type { Table } from "../csv.ts";
import { type CalibrationItem, type CalibrationMeta, type Label, ratingsMatrix } from "../db/calibrations.ts";
import type { Db } from "../db/database.ts";
import { DomainError } from "../errors.ts";
import { assertReportable } from "./blind.ts";
import { findSession } from "./sessions.ts";

const cannotAnalyse = (error: StatsInputError) =>
  `the session's ratings cannot be analysed: ${error.message}`;
const unprocessable = (message: string) => new DomainError("unprocessable", "unprocessable", message);

/** A closed session and its ratings matrix (items × raters, both in session order; null = not labelled). */
export interface SessionRatings {
  session: CalibrationMeta;
  items: CalibrationItem[];
  raters: string[];
  ratings: (Label | null)[][];
}

export interface SessionAgreement extends SessionRatings {
  /** `agreement()` over the ratings; undefined when the statistics cannot use them. */
  result: AgreementResult | undefined;
  /** Why `result` is undefined. */
  unusable: string | undefined;
}

/** The ratings of a closed session: not_found, or conflict while it is open (the session is blind). */
async function closedSessionRatings(db: Db, id: string): Promise<SessionRatings> {
  const session = await findSession(db, id);
  assertReportable(session);
  return { session, ...(await ratingsMatrix(db, id)) };
}

/**
 * The agreement coefficients of a closed session at its measurement level (`options`: weights, confidence).
 * A session the statistics cannot use is not an error here: the report answers 422, the alert engine still
 * announces the close, with the reason.
 */
export async function sessionAgreement(
  db: Db,
  id: string,
  options: { weights?: WeightScheme; confidence?: number } = {},
): Promise<SessionAgreement> {
  const matrix = await closedSessionRatings(db, id);
  const { session, ratings, raters } = matrix;
  try {
    const result = agreement({
      ratings,
      raters,
      categories: session.categories,
      level: session.level,
      ...options,
    });
    return { ...matrix, result, unusable: undefined };
  } catch (error) {
    if (!(error instanceof StatsInputError)) throw error;
    return { ...matrix, result: undefined, unusable: cannotAnalyse(error) };
  }
}

/** One row of the item table: the labels of one item, its consensus and how much the raters agree on it. */
export interface ItemRow {
  id: string;
  gold: Label | null;
  /** The modal label; null when tied or fewer than two ratings. */
  consensus: Label | null;
  tie: boolean;
  /** Share of agreeing rater pairs on the item. */
  agreement: number | null;
  ratings: number;
  /** rater → label (null = none). */
  labels: Record<string, Label | null>;
}

/** The item table: every item, least agreement first (ties by session order), unpairable items last. */
function itemTable({ session, items, raters, ratings }: SessionRatings): ItemRow[] {
  const row = (i: number, agreementShare: number | null, modal: Label[], count: number): ItemRow => ({
    id: items[i].id,
    gold: items[i].gold,
    consensus: modal.length === 1 ? modal[0] : null,
    tie: modal.length > 1,
    agreement: agreementShare,
    ratings: count,
    labels: Object.fromEntries(raters.map((rater, j) => [rater, ratings[i][j]])),
  });
  const table = itemDisagreement({ ratings, raters, categories: session.categories, includeUnanimous: true });
  const rows = table.splits.map((split) => row(split.item, split.agreement, split.modal, split.ratings));
  const listed = new Set(table.splits.map((split) => split.item));
  items.forEach((_, i) => {
    if (!listed.has(i)) rows.push(row(i, null, [], ratings[i].filter((label) => label !== null).length));
  });
  return rows;
}

/** The item table of a closed session as an export table (CSV, every field quoted, or XLSX). */
export async function itemTableExport(db: Db, id: string): Promise<Table> {
  const matrix = await closedSessionRatings(db, id);
  const { raters } = matrix;
  return {
    columns: ["item", "gold", "consensus", "agreement", "ratings", ...raters],
    rows: itemTable(matrix).map((r) => [
      r.id,
      r.gold,
      r.consensus,
      r.agreement,
      r.ratings,
      ...raters.map((rater) => r.labels[rater]),
    ]),
  };
}

/**
 * The report of a closed session: the agreement coefficients (without the item count, which is `itemCount`),
 * each rater against the gold labels (when there are any) and against the other raters' consensus, and the
 * item table. unprocessable when the statistics cannot use the session's ratings: its inputs were validated
 * on the way in, so this is a session, not a request, that is wrong.
 */
export async function calibrationReport(
  db: Db,
  id: string,
  options: { weights?: WeightScheme; confidence?: number },
) {
  const weights = options.weights ?? "unweighted";
  const analysed = await sessionAgreement(db, id, { weights, confidence: options.confidence });
  const { session, items, raters, ratings } = analysed;
  const rows = itemTable(analysed);
  if (!analysed.result) throw unprocessable(analysed.unusable!);
  let report: ReturnType<typeof raterReport>;
  try {
    const hasGold = items.some((item) => item.gold !== null);
    report = raterReport({
      ratings,
      raters,
      categories: session.categories,
      weights,
      gold: hasGold ? items.map((item) => item.gold) : undefined,
    });
  } catch (error) {
    if (error instanceof StatsInputError) throw unprocessable(cannotAnalyse(error));
    throw error;
  }
  const { items: itemCount, ...coefficients } = analysed.result;
  return {
    calibration: { id: session.id, name: session.name, closedAt: session.closedAt },
    ...coefficients,
    itemCount,
    raterReport: report.raters.map((entry) => ({
      ...entry,
      consensus: { ...entry.consensus, tiedItems: entry.consensus.tiedItems.map((i) => items[i].id) },
    })),
    items: rows,
  };
}
