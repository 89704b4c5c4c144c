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
import type { Db } from "../db/open.ts";
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
export function openSession(db: Db, session: NewSession, createdBy: string | null): CalibrationSummary {
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
export function findSession(db: Db, id: string): CalibrationMeta {
  const session = findCalibration(db, id);
  if (!session) throw notFound("calibration session");
  return session;
}

/** A session with its progress and item list (gold only once closed). */
export function sessionDetail(db: Db, id: string) {
  const session = getCalibration(db, id);
  if (!session) throw notFound("calibration session");
  return { ...session, itemList: visibleItems(session, listItems(db, id)) };
}

export interface RaterRatings {
  rater: string;
  status: CalibrationMeta["status"];
  /** item id → label, in item order. */
  ratings: Record<string, Label>;
  progress: RaterProgress;
}

/** One rater's labels, as far as the blind rule lets `caller` see them. */
export function raterRatings(db: Db, id: string, rater: string, caller: Caller): RaterRatings {
  const session = findSession(db, id);
  assertMayReadLabels(session, caller, rater);
  if (!session.raters.includes(rater)) throw notFound(`rater ${JSON.stringify(rater)} in this session`);
  const ratings = Object.fromEntries(raterLabels(db, id, rater).map(({ item, label }) => [item, label]));
  return { rater, status: session.status, ratings, progress: raterProgress(db, id, rater) };
}

/** Closes an open session: its ratings freeze and its report becomes available. */
export function closeSession(db: Db, id: string): CalibrationSummary {
  const result = closeCalibration(db, id);
  if (result === "not_found") throw notFound("calibration session");
  if (result === "already_closed") throw conflict("the calibration session is already closed");
  return result;
}
