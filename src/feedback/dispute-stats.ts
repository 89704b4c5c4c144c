import { proportionInterval } from "../../stats/proportion-interval.ts";
import { sampleQuantiles } from "../../stats/sample-quantile.ts";
import type { Db } from "../db/database.ts";
import {
  type AuditPeriod,
  auditsByQueue,
  type DisputeState,
  disputedAuditsByQueue,
  disputesByState,
  overturnsByAuditor,
  resolutionTimes,
} from "../db/disputes.ts";

/**
 * Dispute statistics (issue 14), over the disputes of the audits in a period (audited in [from, to), as every
 * report selects audits), optionally one queue's:
 *
 * - per auditor, the overturn rate = overturned / resolved disputes of the auditor's audits, with a 95 % Wilson
 *   score interval (a measure of auditor quality: how often a blind second review and a lead side with the
 *   moderator);
 * - per queue, the dispute rate = disputed audits / audits, with a 95 % Wilson interval (an audit disputed twice,
 *   after a revision, counts once, so the rate is a proportion of audits);
 * - time to resolution (opening → upheld by the review or decided by a lead): count, median and 90th percentile
 *   in milliseconds, sample quantiles by linear interpolation (Hyndman & Fan definition 7, R's default:
 *   stats/sample-quantile.ts).
 */

const CONFIDENCE = 0.95;

interface Rate {
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

function wilson(count: number, n: number): Rate {
  if (n === 0) return { rate: null, lower: null, upper: null };
  const interval = proportionInterval(count, n, { confidence: CONFIDENCE, method: "wilson" });
  return { rate: interval.estimate, lower: interval.lower, upper: interval.upper };
}

export interface DisputeStats {
  confidence: number;
  method: "wilson";
  states: Record<DisputeState, number>;
  auditors: ({ auditor: string; resolved: number; overturned: number } & Rate)[];
  queues: ({ queue: string; audits: number; disputed: number } & Rate)[];
  resolution: {
    count: number;
    medianMs: number | null;
    p90Ms: number | null;
    quantile: "hyndman-fan-7";
  };
}

/** The statistics of the disputes of the period's audits (plain data in and out: it runs on the compute pool). */
export async function disputeStats(db: Db, period: AuditPeriod): Promise<DisputeStats> {
  const auditors = (await overturnsByAuditor(db, period)).map((row) => ({
    ...row,
    ...wilson(row.overturned, row.resolved),
  }));
  const disputed = await disputedAuditsByQueue(db, period);
  const queues = (await auditsByQueue(db, period)).map(({ queue, audits }) => {
    const count = disputed.get(queue) ?? 0;
    return { queue, audits, disputed: count, ...wilson(count, audits) };
  });
  const times = await resolutionTimes(db, period);
  const [median, p90] = times.length > 0 ? sampleQuantiles(times, [0.5, 0.9]) : [null, null];
  return {
    confidence: CONFIDENCE,
    method: "wilson",
    states: await disputesByState(db, period),
    auditors,
    queues,
    resolution: { count: times.length, medianMs: median, p90Ms: p90, quantile: "hyndman-fan-7" },
  };
}
