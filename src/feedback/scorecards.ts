import { betaBinomialPosterior } from "../../stats/beta-binomial-posterior.ts";
import {
  type BetaBinomialPrior,
  type BinomialGroup,
  fitBetaBinomialPrior,
} from "../../stats/beta-binomial-prior.ts";
import { proportionInterval } from "../../stats/proportion-interval.ts";
import { resolveTimeZone, toFilter } from "../audits/filters.ts";
import { ERROR_TYPES, type ErrorType } from "../audits/validate.ts";
import type { Config } from "../config.ts";
import { type AuditFilter, countByGroups } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import {
  countsByQueueAndModerator,
  errorsByType,
  latestErrors,
  type ModeratorQueueCounts,
} from "../db/scorecards.ts";
import { DomainError } from "../errors.ts";
import { periodSeries } from "../reports/stored-chart.ts";
import { periodOf, startOfLocalDate } from "../time.ts";
import { mayShowAuditor, type Reader, readableModerator } from "./access.ts";
import { targetOfQueues } from "./targets.ts";

/**
 * Moderator scorecards (issue 14): a moderator's error rate with its Wilson interval against the queue's target,
 * and the empirical-Bayes shrunken rate, so that a moderator with a dozen audits is not ranked top or bottom by
 * chance. The prior of a queue is the beta-binomial maximum-likelihood fit over every moderator of that queue in the
 * period (stats/beta-binomial-prior.ts); a moderator's shrunken rate is the mean of the posterior
 * Beta(α + errors, β + audited − errors) with its 95 % equal-tailed credible interval.
 *
 * Which prior a whole scorecard uses: with `queue`, that queue's; a moderator with audits in one queue, that queue's;
 * a moderator with audits in several queues and no `queue`, one prior fitted over every moderator's audits in those
 * queues taken together (one group per moderator: its audits in any of them). The list without `queue` fits one
 * prior over every moderator's audits in all queues. The target of a scorecard over several queues is the
 * audit-weighted mean Σ n_q·t_q / Σ n_q of its queues' targets: the rate of a moderator exactly on target in each.
 */

/** Grouped rows a scorecard or list reads at most (a row = one moderator in one queue). */
const MAX_MODERATOR_ROWS = 100_000;
const MAX_PERIOD_DAYS = 366;
const DEFAULT_PERIOD_DAYS = 90;
const DAY_MS = 86_400_000;
/** A year of local days may span a daylight-saving hour more than 366 × 24 h. */
const PERIOD_SLACK_MS = 3_600_000;
const LATEST_FINDINGS = 10;
const CONFIDENCE = 0.95;

export type Evidence = "above" | "below" | "across";

export interface RateInterval {
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

export interface Shrunken {
  rate: number;
  lower: number;
  upper: number;
}

export type PriorSummary = Omit<BetaBinomialPrior, "logLikelihood">;

export interface Period {
  from: string;
  to: string;
  timeZone: string;
}

export interface ScorecardQuery {
  from?: string;
  to?: string;
  tz?: string;
  queue?: string;
}

/** What a scorecard task needs, as plain data (it runs on a compute thread). */
export interface ScorecardInput {
  moderator: string;
  queue?: string;
  fromMs: number;
  toMs: number;
  timeZone: string;
  showAuditor: boolean;
  defaultTarget: number;
}

export interface ScorecardListInput {
  queue?: string;
  fromMs: number;
  toMs: number;
  timeZone: string;
  sort: "shrunken" | "raw";
  order: "asc" | "desc";
  defaultTarget: number;
}

/**
 * The period of a scorecard: `from`/`to` as in every report (dates in `tz`), by default the 90 local days up to
 * today's end; at most 366 days.
 * @throws DomainError validation_failed (bad date, `to` not after `from`), period_too_long
 */
export function scorecardPeriod(
  query: Pick<ScorecardQuery, "from" | "to">,
  timeZone: string,
): { fromMs: number; toMs: number } {
  const filter = toFilter({ from: query.from, to: query.to }, timeZone);
  const toMs = filter.toMs ?? periodOf(Date.now(), "day", timeZone).end;
  let fromMs = filter.fromMs;
  if (fromMs === undefined) {
    const [y, m, d] = periodOf(toMs - 1, "day", timeZone)
      .label.split("-")
      .map(Number);
    const first = new Date(Date.UTC(y, m - 1, d - (DEFAULT_PERIOD_DAYS - 1)));
    fromMs = startOfLocalDate(first.getUTCFullYear(), first.getUTCMonth() + 1, first.getUTCDate(), timeZone);
  }
  if (toMs <= fromMs) {
    throw new DomainError("invalid", "validation_failed", "the period is empty", [
      { path: "to", message: "must be after from" },
    ]);
  }
  if (toMs - fromMs > MAX_PERIOD_DAYS * DAY_MS + PERIOD_SLACK_MS) {
    throw new DomainError(
      "invalid",
      "period_too_long",
      `a scorecard covers at most ${MAX_PERIOD_DAYS} days`,
      [{ path: "from", message: `at most ${MAX_PERIOD_DAYS} days before to` }],
    );
  }
  return { fromMs, toMs };
}

/**
 * A scorecard request checked on the request's thread (access, time zone, period) and turned into the task input.
 * @throws DomainError forbidden (see readableModerator), validation_failed, period_too_long
 */
export function scorecardInput(
  caller: Reader,
  moderator: string,
  query: ScorecardQuery,
  config: Pick<Config, "timeZone" | "feedback">,
): ScorecardInput {
  const own = readableModerator(caller, moderator);
  const timeZone = resolveTimeZone(query.tz, config.timeZone);
  return {
    moderator: own,
    queue: query.queue,
    ...scorecardPeriod(query, timeZone),
    timeZone,
    showAuditor: mayShowAuditor(caller, config.feedback.showAuditorToModerator),
    defaultTarget: config.feedback.targetErrorRate,
  };
}

export function scorecardListInput(
  query: ScorecardQuery & Pick<ScorecardListInput, "sort" | "order">,
  config: Pick<Config, "timeZone" | "feedback">,
): ScorecardListInput {
  const timeZone = resolveTimeZone(query.tz, config.timeZone);
  return {
    queue: query.queue,
    ...scorecardPeriod(query, timeZone),
    timeZone,
    sort: query.sort,
    order: query.order,
    defaultTarget: config.feedback.targetErrorRate,
  };
}

export function periodOfInput(input: { fromMs: number; toMs: number; timeZone: string }): Period {
  return {
    from: new Date(input.fromMs).toISOString(),
    to: new Date(input.toMs).toISOString(),
    timeZone: input.timeZone,
  };
}

export function rateInterval(audited: number, errors: number): RateInterval {
  if (audited === 0) return { rate: null, lower: null, upper: null };
  const interval = proportionInterval(errors, audited, { confidence: CONFIDENCE, method: "wilson" });
  return { rate: interval.estimate, lower: interval.lower, upper: interval.upper };
}

/** Where the Wilson interval lies against the target: wholly above, wholly below, or across it. */
export function evidenceOf(interval: RateInterval, target: number): Evidence | null {
  if (interval.lower === null || interval.upper === null) return null;
  if (interval.lower > target) return "above";
  if (interval.upper < target) return "below";
  return "across";
}

export function shrunkenOf(errors: number, audited: number, prior: BetaBinomialPrior): Shrunken {
  const posterior = betaBinomialPosterior(errors, audited, prior, CONFIDENCE);
  return { rate: posterior.mean, lower: posterior.lower, upper: posterior.upper };
}

export function summary({ logLikelihood: _, ...prior }: BetaBinomialPrior): PriorSummary {
  return prior;
}

/**
 * The grouped counts, refused when there are more rows than MAX_MODERATOR_ROWS.
 * @throws DomainError unprocessable / too_many_moderators
 */
export async function boundedCounts(
  db: Db,
  scope: Parameters<typeof countsByQueueAndModerator>[1],
): Promise<ModeratorQueueCounts[]> {
  const rows = await countsByQueueAndModerator(db, scope, MAX_MODERATOR_ROWS + 1);
  if (rows.length > MAX_MODERATOR_ROWS) {
    throw new DomainError(
      "unprocessable",
      "too_many_moderators",
      `more than ${MAX_MODERATOR_ROWS.toLocaleString("en")} moderator-queue pairs in the period: name a queue or a shorter period`,
      [{ path: scope.queue === undefined ? "queue" : "from", message: "narrow the scorecard" }],
    );
  }
  return rows;
}

/** One group per moderator: its audits and errors summed over the rows (in every queue they cover). */
export function moderatorGroups(rows: readonly ModeratorQueueCounts[]): Map<string, BinomialGroup> {
  const groups = new Map<string, BinomialGroup>();
  for (const row of rows) {
    const group = groups.get(row.moderator);
    if (group) {
      group.n += row.audited;
      group.errors += row.errors;
    } else groups.set(row.moderator, { n: row.audited, errors: row.errors });
  }
  return groups;
}

/**
 * Σ n_q·t_q / Σ n_q over one moderator's rows (at least one), written t₀ + Σ n_q(t_q − t₀)/Σ n_q so that queues
 * sharing one target give exactly that target.
 */
export function weightedTarget(
  rows: readonly ModeratorQueueCounts[],
  targets: ReadonlyMap<string, number>,
): number {
  const first = targets.get(rows[0].queue)!;
  let audited = 0;
  let excess = 0;
  for (const row of rows) {
    audited += row.audited;
    excess += row.audited * (targets.get(row.queue)! - first);
  }
  return first + excess / audited;
}

export const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface QueueScore extends RateInterval {
  queue: string;
  audited: number;
  errors: number;
  target: number;
  evidence: Evidence | null;
  shrunken: Shrunken;
  prior: PriorSummary;
}

export interface LatestFinding {
  auditId: string;
  decisionId: string;
  queue: string;
  policy: string | null;
  correctPolicy: string | null;
  errorType: ErrorType | null;
  severity: number | null;
  notes: string | null;
  auditedAt: string;
  revision: number;
  /** Null to moderator keys unless MODQC_SHOW_AUDITOR_TO_MODERATOR=true. */
  auditor: string | null;
}

export interface Scorecard extends RateInterval {
  moderator: string;
  queue: string | null;
  period: Period;
  audited: number;
  errors: number;
  target: number;
  evidence: Evidence | null;
  shrunken: Shrunken | null;
  prior: (PriorSummary & { queues: string[] }) | null;
  byType: { errorType: ErrorType; errors: number; share: number | null }[];
  byPolicy: ({ policy: string | null; audited: number; errors: number } & RateInterval)[];
  byQueue: QueueScore[];
  trend: ({ week: string; audited: number; errors: number } & RateInterval)[];
  latestFindings: LatestFinding[];
}

/** One moderator's scorecard over the period (see the file comment for the priors and the target). */
export async function moderatorScorecard(db: Db, input: ScorecardInput): Promise<Scorecard> {
  const { moderator, queue, fromMs, toMs } = input;
  const rows = await boundedCounts(db, {
    fromMs,
    toMs,
    queue,
    queuesOf: queue === undefined ? moderator : undefined,
  });
  const own = rows.filter((row) => row.moderator === moderator).sort((a, b) => byText(a.queue, b.queue));
  const targets = await targetOfQueues(
    db,
    queue === undefined ? own.map((r) => r.queue) : [queue],
    input.defaultTarget,
  );
  const rowsOfQueue = new Map<string, ModeratorQueueCounts[]>();
  for (const row of rows) {
    const list = rowsOfQueue.get(row.queue);
    if (list) list.push(row);
    else rowsOfQueue.set(row.queue, [row]);
  }
  const priors = new Map(
    own.map((row) => {
      const groups = moderatorGroups(rowsOfQueue.get(row.queue)!);
      return [row.queue, fitBetaBinomialPrior([...groups.values()])] as const;
    }),
  );
  const byQueue = own.map((row): QueueScore => {
    const interval = rateInterval(row.audited, row.errors);
    const target = targets.get(row.queue)!;
    const prior = priors.get(row.queue)!;
    return {
      queue: row.queue,
      audited: row.audited,
      errors: row.errors,
      ...interval,
      target,
      evidence: evidenceOf(interval, target),
      shrunken: shrunkenOf(row.errors, row.audited, prior),
      prior: summary(prior),
    };
  });

  const audited = own.reduce((sum, row) => sum + row.audited, 0);
  const errors = own.reduce((sum, row) => sum + row.errors, 0);
  const interval = rateInterval(audited, errors);
  const target =
    queue !== undefined
      ? targets.get(queue)!
      : audited === 0
        ? input.defaultTarget
        : weightedTarget(own, targets);
  const prior =
    own.length === 0
      ? undefined
      : own.length === 1
        ? priors.get(own[0].queue)!
        : fitBetaBinomialPrior([...moderatorGroups(rows).values()]);

  const filter: AuditFilter = { fromMs, toMs, moderator, queue };
  return {
    moderator,
    queue: queue ?? null,
    period: periodOfInput(input),
    audited,
    errors,
    ...interval,
    target,
    evidence: evidenceOf(interval, target),
    shrunken: prior ? shrunkenOf(errors, audited, prior) : null,
    prior: prior ? { ...summary(prior), queues: own.map((row) => row.queue) } : null,
    byType: await typeBreakdown(db, filter, errors),
    byPolicy: await policyBreakdown(db, filter),
    byQueue,
    trend: (await periodSeries(db, filter, "week", input.timeZone)).map((point) => ({
      week: point.label,
      audited: point.n,
      errors: point.count,
      ...rateInterval(point.n, point.count),
    })),
    latestFindings: (await latestErrors(db, filter, LATEST_FINDINGS)).map((audit) => ({
      auditId: audit.id,
      decisionId: audit.decisionId,
      queue: audit.queue,
      policy: audit.policy,
      correctPolicy: audit.correctPolicy ?? null,
      errorType: audit.errorType,
      severity: audit.severity,
      notes: audit.notes,
      auditedAt: audit.auditedAt,
      revision: audit.revision,
      auditor: input.showAuditor ? audit.auditor : null,
    })),
  };
}

async function typeBreakdown(db: Db, filter: AuditFilter, errors: number): Promise<Scorecard["byType"]> {
  const counts = await errorsByType(db, filter);
  return ERROR_TYPES.map((errorType) => {
    const count = counts.get(errorType) ?? 0;
    return { errorType, errors: count, share: errors === 0 ? null : count / errors };
  });
}

/** Errors per policy, the most errors first (then by policy, no policy first). */
async function policyBreakdown(db: Db, filter: AuditFilter): Promise<Scorecard["byPolicy"]> {
  const groups = await countByGroups(db, filter, ["policy"]);
  return groups
    .map((group) => ({
      policy: group.key.policy,
      audited: group.audited,
      errors: group.errors,
      ...rateInterval(group.audited, group.errors),
    }))
    .sort(
      (a, b) =>
        b.errors - a.errors || (a.policy === null ? -1 : b.policy === null ? 1 : byText(a.policy, b.policy)),
    );
}
