import { fitBetaBinomialPrior } from "../../stats/beta-binomial-prior.ts";
import type { Table } from "../csv.ts";
import type { Db } from "../db/database.ts";
import type { ModeratorQueueCounts } from "../db/scorecards.ts";
import {
  boundedCounts,
  byText,
  type Evidence,
  evidenceOf,
  moderatorGroups,
  type Period,
  type PriorSummary,
  periodOfInput,
  type RateInterval,
  rateInterval,
  type ScorecardListInput,
  type Shrunken,
  shrunkenOf,
  summary,
  weightedTarget,
} from "./scorecards.ts";
import { targetOfQueues } from "./targets.ts";

/** The leads' list of every moderator's scorecard line (issue 14); the priors and targets as in scorecards.ts. */

export interface ScorecardRow extends RateInterval {
  moderator: string;
  audited: number;
  errors: number;
  target: number;
  evidence: Evidence | null;
  shrunken: Shrunken;
}

export interface ScorecardList {
  queue: string | null;
  period: Period;
  sort: ScorecardListInput["sort"];
  order: ScorecardListInput["order"];
  prior: PriorSummary | null;
  moderators: ScorecardRow[];
}

/**
 * Every moderator with audits in the period (in `queue`, or in all queues), with the raw rate and its Wilson
 * interval, the target and evidence, and the shrunken rate under one prior fitted over all of them; sorted by the
 * shrunken or the raw rate (ties by moderator name).
 */
export async function scorecardList(db: Db, input: ScorecardListInput): Promise<ScorecardList> {
  const rows = await boundedCounts(db, { fromMs: input.fromMs, toMs: input.toMs, queue: input.queue });
  const groups = moderatorGroups(rows);
  const queues = [...new Set(rows.map((row) => row.queue))];
  const targets = await targetOfQueues(db, queues, input.defaultTarget);
  const rowsOfModerator = new Map<string, ModeratorQueueCounts[]>();
  for (const row of rows) {
    const list = rowsOfModerator.get(row.moderator);
    if (list) list.push(row);
    else rowsOfModerator.set(row.moderator, [row]);
  }
  const prior = groups.size === 0 ? undefined : fitBetaBinomialPrior([...groups.values()]);
  // Moderators with the same counts share a posterior: with a few dozen audits each, most of them do.
  const posteriors = new Map<string, Shrunken>();
  const posteriorOf = (errors: number, n: number) => {
    const key = `${errors}/${n}`;
    let shrunken = posteriors.get(key);
    if (!shrunken) posteriors.set(key, (shrunken = shrunkenOf(errors, n, prior!)));
    return shrunken;
  };
  const moderators = [...groups].map(([moderator, { n, errors }]): ScorecardRow => {
    const interval = rateInterval(n, errors);
    const target = weightedTarget(rowsOfModerator.get(moderator)!, targets);
    return {
      moderator,
      audited: n,
      errors,
      ...interval,
      target,
      evidence: evidenceOf(interval, target),
      shrunken: posteriorOf(errors, n),
    };
  });
  const sign = input.order === "asc" ? 1 : -1;
  const key = (row: ScorecardRow) => (input.sort === "raw" ? row.rate! : row.shrunken.rate);
  moderators.sort((a, b) => sign * (key(a) - key(b)) || byText(a.moderator, b.moderator));
  return {
    queue: input.queue ?? null,
    period: periodOfInput(input),
    sort: input.sort,
    order: input.order,
    prior: prior ? summary(prior) : null,
    moderators,
  };
}

/** The list as an export table (CSV or XLSX), in the list's order. */
export function scorecardListTable(list: ScorecardList): Table {
  return {
    columns: [
      "moderator",
      "audited",
      "errors",
      "rate",
      "lower",
      "upper",
      "target",
      "evidence",
      "shrunkenRate",
      "shrunkenLower",
      "shrunkenUpper",
    ],
    rows: list.moderators.map((row) => [
      row.moderator,
      row.audited,
      row.errors,
      row.rate,
      row.lower,
      row.upper,
      row.target,
      row.evidence,
      row.shrunken.rate,
      row.shrunken.lower,
      row.shrunken.upper,
    ]),
  };
}
