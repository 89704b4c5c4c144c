/**
 * The synthetic organisation of the rollups bench (issue 20): 20 queues, 10 markets, 50 policies (each queue
 * uses 8 of them, Zipf-like), 5,000 moderators (one or two queues and one market each, Zipf-ish volume), 300
 * auditors (15 per queue), ~8 % errors over the four types (wrong-policy errors mostly with a correct policy),
 * severities 1–4 or none. Audits are streamed in time order (so every index of `audits` is appended near its
 * end while filling), with a weekly and a daily cycle. Deterministic: one LCG, no Math.random.
 */
import { QUEUE_NAMES } from "./lib.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The bench's "now": midnight 2026-11-25 in Asia/Seoul, so the last 30 Seoul days are whole days of data. */
export const ROLLUP_NOW = Date.parse("2026-11-24T15:00:00Z");

const MARKETS = ["US", "IN", "BR", "KR", "JP", "ID", "MX", "DE", "GB", "FR"] as const;
const POLICIES = Array.from({ length: 50 }, (_, i) => `policy-${String(i + 1).padStart(2, "0")}`);
const MODERATORS = 5_000;
const AUDITORS_PER_QUEUE = 15; // 20 queues × 15 = 300 auditors
const POLICIES_PER_QUEUE = 8;
const ERROR_TYPES = ["false-positive", "false-negative", "wrong-policy", "other"] as const;

/** The columns `rollupRows` yields, in order (the `audits` columns a bulk fill writes). */
export const ROLLUP_COLUMNS = [
  "id",
  "decision_id",
  "queue",
  "moderator",
  "auditor",
  "outcome",
  "error_type",
  "severity",
  "policy",
  "correct_policy",
  "market",
  "audited_at",
  "audited_ms",
  "ingested_at",
] as const;

/** A 32-bit linear congruential generator (Numerical Recipes constants): uniform numbers in [0, 1). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

/** Cumulative weights, for picking an index by one uniform number (binary search). */
function cumulative(weights: number[]): Float64Array {
  const sums = new Float64Array(weights.length);
  let total = 0;
  for (const [i, w] of weights.entries()) sums[i] = total += w;
  for (let i = 0; i < sums.length; i++) sums[i] /= total;
  return sums;
}

function pick(sums: Float64Array, u: number): number {
  let lo = 0;
  let hi = sums.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sums[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

interface Moderator {
  name: string;
  queues: number[];
  market: string;
  errorRate: number;
}

/** The organisation: every moderator's queues, market and error rate; each queue's policies and auditors. */
function organisation() {
  const random = lcg(20_261_124);
  const queueSums = cumulative(QUEUE_NAMES.map((_, q) => 1 / (q + 1) ** 0.9));
  const marketSums = cumulative(MARKETS.map((_, m) => 1 / (m + 1) ** 0.8));
  const queueFactor = QUEUE_NAMES.map(() => 0.75 + random() * 0.5);
  const moderators: Moderator[] = [];
  for (let m = 0; m < MODERATORS; m++) {
    const first = pick(queueSums, random());
    const queues = [first];
    if (random() < 0.3) {
      let second = pick(queueSums, random());
      if (second === first) second = (first + 1 + Math.floor(random() * 19)) % QUEUE_NAMES.length;
      queues.push(second);
    }
    moderators.push({
      name: `mod-${String(m + 1).padStart(4, "0")}`,
      queues,
      market: MARKETS[pick(marketSums, random())],
      errorRate: 0.08 * (0.4 + random() * 1.2) * queueFactor[first],
    });
  }
  // Zipf-ish volume: the moderator at rank r does 1 / (1 + r/50) of the busiest one's audits (761 is prime to
  // 5,000, so m → 761·m mod 5,000 is a permutation of the ranks).
  const moderatorSums = cumulative(moderators.map((_, m) => 1 / (1 + ((m * 761) % MODERATORS) / 50)));
  // Queue q's policies: 8 of the 50 (neighbouring queues share some), the first the most used.
  const queuePolicies = QUEUE_NAMES.map((_, q) =>
    Array.from({ length: POLICIES_PER_QUEUE }, (_, k) => POLICIES[(q * 3 + k * 7) % POLICIES.length]),
  );
  const policySums = cumulative(Array.from({ length: POLICIES_PER_QUEUE }, (_, k) => 1 / (k + 1)));
  const auditorSums = cumulative(Array.from({ length: AUDITORS_PER_QUEUE }, (_, k) => 1 / (k + 2) ** 0.5));
  return { moderators, moderatorSums, queuePolicies, policySums, auditorSums };
}

/**
 * `count` audits between `fromMs` and `toMs` in time order, as values in ROLLUP_COLUMNS order: ids
 * `<prefix><9-digit serial>` (so they too arrive in order), decisions `d<prefix><serial>`, ingested at `ingestedMs`.
 * Volume per hour follows a weekly cycle (weekends at 70 %) and a daily one (peak at 14:00 in Asia/Seoul).
 */
export function* rollupRows(options: {
  count: number;
  fromMs: number;
  toMs: number;
  prefix: string;
  ingestedMs: number;
  seed?: number;
}): Generator<unknown[]> {
  const { count, fromMs, toMs, prefix, ingestedMs } = options;
  const org = organisation();
  const random = lcg(options.seed ?? 7);
  const slots = Math.ceil((toMs - fromMs) / HOUR);
  const weights = Array.from({ length: slots }, (_, s) => {
    const start = fromMs + s * HOUR;
    const weekday = new Date(start + 9 * HOUR).getUTCDay();
    const hour = new Date(start).getUTCHours();
    const share = Math.min(HOUR, toMs - start) / HOUR;
    return (
      share *
      (weekday === 0 || weekday === 6 ? 0.7 : 1) *
      (1 + 0.6 * Math.cos((2 * Math.PI * (hour - 5)) / 24))
    );
  });
  const sums = cumulative(weights);
  let serial = 0;
  let done = 0;
  for (let s = 0; s < slots; s++) {
    const upTo = Math.round(count * sums[s]);
    const inSlot = upTo - done;
    const start = fromMs + s * HOUR;
    const width = Math.min(HOUR, toMs - start);
    for (let j = 0; j < inSlot; j++) {
      const ms = start + Math.floor(((j + random()) / inSlot) * width);
      const moderator = org.moderators[pick(org.moderatorSums, random())];
      const q = moderator.queues.length > 1 && random() < 0.35 ? moderator.queues[1] : moderator.queues[0];
      const policies = org.queuePolicies[q];
      const policy = random() < 0.03 ? null : policies[pick(org.policySums, random())];
      const auditor = `auditor-${String(q * AUDITORS_PER_QUEUE + pick(org.auditorSums, random()) + 1).padStart(3, "0")}`;
      const wrong = random() < moderator.errorRate;
      let errorType: string | null = null;
      let severity: number | null = null;
      let correctPolicy: string | null = null;
      if (wrong) {
        const t = random();
        errorType = ERROR_TYPES[t < 0.35 ? 0 : t < 0.7 ? 1 : t < 0.9 ? 2 : 3];
        const v = random();
        severity = v < 0.1 ? null : v < 0.46 ? 1 : v < 0.73 ? 2 : v < 0.91 ? 3 : 4;
        if (errorType === "wrong-policy" && random() < 0.85) {
          const other = policies[pick(org.policySums, random())];
          correctPolicy =
            other === policy ? policies[(policies.indexOf(other) + 1) % policies.length] : other;
        }
      }
      const id = `${prefix}${String(++serial).padStart(9, "0")}`;
      yield [
        id,
        `d${id}`,
        QUEUE_NAMES[q],
        moderator.name,
        auditor,
        wrong ? "incorrect" : "correct",
        errorType,
        severity,
        policy,
        correctPolicy,
        moderator.market,
        new Date(ms).toISOString(),
        ms,
        ingestedMs,
      ];
    }
    done = upTo;
  }
}

/** The same audits as NDJSON lines of `POST /v1/audits` (for the ingest measurements). */
export function* rollupNdjsonLines(options: Parameters<typeof rollupRows>[0]): Generator<string> {
  for (const row of rollupRows(options)) {
    const [
      id,
      decisionId,
      queue,
      moderator,
      auditor,
      outcome,
      errorType,
      severity,
      policy,
      correctPolicy,
      market,
      auditedAt,
    ] = row;
    yield JSON.stringify({
      id,
      decisionId,
      queue,
      moderator,
      auditor,
      outcome,
      ...(errorType === null ? {} : { errorType }),
      ...(severity === null ? {} : { severity }),
      ...(policy === null ? {} : { policy }),
      ...(correctPolicy === null ? {} : { correctPolicy }),
      market,
      auditedAt,
    });
  }
}

export { DAY };
