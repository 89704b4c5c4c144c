import {
  type CalibrationMeta,
  type CalibrationSummary,
  CategoryMatcher,
  closeCalibration,
  createCalibration,
  findCalibration,
  getCalibration,
  type Label,
  type Level,
  listItems,
  type RaterProgress,
  raterLabels,
  raterProgress,
} from "../db/calibrations.ts";
import type { Db } from "../db/database.ts";
import { conflict, notFound } from "../errors.ts";
import { assertMayReadLabels, type Caller, visibleItems } from "./blind.ts";

/** A new session as validated by the route: unique ids and raters, gold labels among the categories. */
export interface NewSession {
  name: string;
  categories: Label[];
  level: Level;
  items: { id: string; gold?: Label | null }[];
  raters: string[];
}

/** Opens a session. Gold labels are stored as the category they match (its type and code points). */
export function openSession(
  db: Db,
  session: NewSession,
  createdBy: string | null,
): Promise<CalibrationSummary> {
  const matcher = new CategoryMatcher(session.categories);
  return createCalibration(db, {
    name: session.name,
    categories: session.categories,
    level: session.level,
    items: session.items.map((item) => ({
      id: item.id,
      gold: item.gold == null ? null : matcher.fromJson(item.gold)!,
    })),
    raters: session.raters,
    createdBy,
  });
}

/** The session's metadata; not_found when there is none. */
export async function findSession(db: Db, id: string): Promise<CalibrationMeta> {
  const session = await findCalibration(db, id);
  if (!session) throw notFound("calibration session");
  return session;
}

/** A session with its progress and item list (gold only once closed). */
export async function sessionDetail(db: Db, id: string) {
  const session = await getCalibration(db, id);
  if (!session) throw notFound("calibration session");
  return { ...session, itemList: visibleItems(session, await listItems(db, id)) };
}

export interface RaterRatings {
  rater: string;
  status: CalibrationMeta["status"];
  /** item id → label, in item order. */
  ratings: Record<string, Label>;
  progress: RaterProgress;
}

/** One rater's labels, as far as the blind rule lets `caller` see them. */
export async function raterRatings(db: Db, id: string, rater: string, caller: Caller): Promise<RaterRatings> {
  const session = await findSession(db, id);
  assertMayReadLabels(session, caller, rater);
  if (!session.raters.includes(rater)) throw notFound(`rater ${JSON.stringify(rater)} in this session`);
  const ratings = Object.fromEntries(
    (await raterLabels(db, id, rater)).map(({ item, label }) => [item, label]),
  );
  return { rater, status: session.status, ratings, progress: await raterProgress(db, id, rater) };
}

/** Closes an open session: its ratings freeze and its report becomes available. */
export async function closeSession(db: Db, id: string): Promise<CalibrationSummary> {
  const result = await closeCalibration(db, id);
  if (result === "not_found") throw notFound("calibration session");
  if (result === "already_closed") throw conflict("the calibration session is already closed");
  return result;
}
