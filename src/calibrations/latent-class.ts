import { type DawidSkeneResult, dawidSkene } from "../../stats/agreement/dawid-skene.ts";
import { StatsInputError, StatsTooExpensiveError } from "../../stats/errors.ts";
import { type Label, ratingsMatrix } from "../db/calibrations.ts";
import type { Db } from "../db/database.ts";
import { DomainError } from "../errors.ts";
import { assertReportable } from "./blind.ts";
import { findSession } from "./sessions.ts";

/** How the session's gold labels enter the model: as known classes (default), or not at all. */
export const GOLD_USES = ["fixed", "ignored"] as const;
export type GoldUse = (typeof GOLD_USES)[number];

/** One item of the session with its Dawid–Skene posterior. */
export interface LatentClassItem {
  id: string;
  /** The session's gold label (shown once closed, as in the report). */
  gold: Label | null;
  /** True when `gold` was fixed as the item's class (`gold=fixed` and the item has one). */
  goldFixed: boolean;
  posterior: number[];
  mostProbable: Label;
}

export type SessionLatentClass = Omit<DawidSkeneResult, "items"> & {
  id: string;
  gold: GoldUse;
  items: LatentClassItem[];
};

/**
 * Dawid–Skene over a closed calibration session: each rater's confusion matrix and estimated accuracy, the class
 * priors and each item's posterior, with the session's categories as the classes and (by default) its gold labels
 * fixed as known classes. Same access rule as the report: not_found, conflict while open (the session is blind);
 * unprocessable when the statistics cannot use the session's ratings (e.g. a single category).
 */
export async function sessionLatentClass(
  db: Db,
  id: string,
  options: { gold?: GoldUse } = {},
): Promise<SessionLatentClass> {
  const session = await findSession(db, id);
  assertReportable(session);
  const { items, raters, ratings } = await ratingsMatrix(db, id);
  const gold = options.gold ?? "fixed";
  const hasGold = gold === "fixed" && items.some((item) => item.gold !== null);
  let result: DawidSkeneResult;
  try {
    result = dawidSkene({
      ratings,
      raters,
      categories: session.categories,
      gold: hasGold ? items.map((item) => item.gold) : undefined,
    });
  } catch (error) {
    if (!(error instanceof StatsInputError) || error instanceof StatsTooExpensiveError) throw error;
    throw new DomainError(
      "unprocessable",
      "unprocessable",
      `the session's ratings cannot be analysed: ${error.message}`,
    );
  }
  return {
    ...result,
    id: session.id,
    gold,
    items: result.items.map((item) => ({
      id: items[item.item].id,
      gold: items[item.item].gold,
      goldFixed: item.gold,
      posterior: item.posterior,
      mostProbable: item.mostProbable,
    })),
  };
}
