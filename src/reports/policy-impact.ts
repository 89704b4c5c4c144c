import { zCritical } from "../../stats/critical.ts";
import { wilsonInterval } from "../../stats/proportion-interval.ts";
import { type CompareResult, compare } from "../../stats/spc/index.ts";
import { type FilterQuery, toFilter } from "../audits/filters.ts";
import { type AuditFilter, countByGroups } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import { invalidField } from "../errors.ts";
import { startOfLocalDate } from "../time.ts";
import { type ConfusionMatrix, confusionMatrix } from "./policy-confusion.ts";

export type PolicyImpactQuery = Omit<FilterQuery, "from" | "to" | "policy"> & {
  /** The applied policy whose update is compared. */
  policy: string;
  /** YYYY-MM-DD in tz: the first day of "after". */
  at: string;
  /** Days on each side, 1–366. */
  days: number;
  confidence: number;
};

export interface ImpactSide {
  /** First and last day of the side in tz (YYYY-MM-DD, both included). */
  from: string;
  to: string;
  /** The same as instants: [start, end). */
  start: string;
  end: string;
  audited: number;
  errors: number;
  /** errors / audited with its Wilson interval; null when nothing was audited. */
  rate: number | null;
  lower: number | null;
  upper: number | null;
  /** Wrong-policy errors in the side's days whose applied or correct policy is the policy (other filters apply). */
  matrix: ConfusionMatrix;
}

export interface PolicyImpactReport {
  policy: string;
  at: string;
  days: number;
  before: ImpactSide;
  after: ImpactSide;
  /** a = before, b = after (difference = after − before): Newcombe interval, z test, Fisher's exact p. */
  comparison: CompareResult | null;
  /** Why there is no comparison (a side without audits). */
  comparisonUndefinedReason?: string;
  confidence: number;
  timeZone: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar date `days` after y-m-d (negative: before), as [year, month, day]; any year (no 1900 shift). */
function shiftDate([y, m, d]: number[], days: number): [number, number, number] {
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d + days);
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
}

const label = ([y, m, d]: number[]) =>
  `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

/** The date of `at`, or 400 naming `at` when it is not a real calendar date. */
function parseDate(at: string): [number, number, number] {
  const match = DATE.exec(at);
  if (match) {
    const parts = match.slice(1).map(Number) as [number, number, number];
    if (label(shiftDate(parts, 0)) === at) return parts;
  }
  throw invalidField("at", "must be a date YYYY-MM-DD that exists");
}

async function side(
  db: Db,
  filter: AuditFilter,
  policy: string,
  first: number[],
  next: number[],
  timeZone: string,
  z: number,
): Promise<ImpactSide> {
  const startMs = startOfLocalDate(first[0], first[1], first[2], timeZone);
  const endMs = startOfLocalDate(next[0], next[1], next[2], timeZone);
  const window = { ...filter, fromMs: startMs, toMs: endMs };
  const [counts] = await countByGroups(db, { ...window, policy }, []);
  const { audited, errors } = counts;
  const interval = audited > 0 ? wilsonInterval(errors, audited, z) : null;
  return {
    from: label(first),
    to: label(shiftDate(next, -1)),
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    audited,
    errors,
    rate: audited > 0 ? errors / audited : null,
    lower: interval?.lower ?? null,
    upper: interval?.upper ?? null,
    matrix: await confusionMatrix(db, { filter: window, involving: policy }),
  };
}

/**
 * `GET /v1/policy-impact`: error rates of the audits of one applied policy in the `days` days before `at` and
 * the `days` days from `at` (calendar days in tz, so a side may hold a 23- or 25-hour day), compared with
 * `compare` (stats/spc/compare.ts: a = before, b = after), and each side's confusion matrix of the wrong-policy
 * errors involving the policy (applied or correct), under the same other filters.
 */
export async function policyImpact(
  db: Db,
  query: PolicyImpactQuery,
  timeZone: string,
): Promise<PolicyImpactReport> {
  const at = parseDate(query.at);
  const filter = toFilter({ ...query, policy: undefined }, timeZone);
  const z = zCritical(query.confidence);
  const before = await side(db, filter, query.policy, shiftDate(at, -query.days), at, timeZone, z);
  const after = await side(db, filter, query.policy, at, shiftDate(at, query.days), timeZone, z);
  const report: PolicyImpactReport = {
    policy: query.policy,
    at: query.at,
    days: query.days,
    before,
    after,
    comparison: null,
    confidence: query.confidence,
    timeZone,
  };
  if (before.audited > 0 && after.audited > 0) {
    report.comparison = compare({
      a: { count: before.errors, n: before.audited },
      b: { count: after.errors, n: after.audited },
      confidence: query.confidence,
    });
  } else {
    const empty = [before.audited === 0 && "before", after.audited === 0 && "after"].filter(Boolean);
    report.comparisonUndefinedReason = `no audits of policy "${query.policy}" ${empty.join(" and ")} ${query.at} under the filters`;
  }
  return report;
}
