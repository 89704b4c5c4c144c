import { binomialUpperTail } from "../../../stats/binomial-upper-tail.ts";
import { proportionInterval } from "../../../stats/proportion-interval.ts";
import { type AgeCell, countByCellAndAge, countByCellAndBucket, MINUTE_MS } from "../../db/alert-scans.ts";
import { type AuditFilter, countByGroups, type GroupCounts } from "../../db/audits.ts";
import type { Db } from "../../db/database.ts";
import type { Rule } from "../rules.ts";
import { controlFalseDiscoveries } from "./fdr.ts";
import { ScanCache, type ScanKind } from "./scan-cache.ts";
import {
  CELL_INDEX,
  cached,
  cellKey,
  DAY_MS,
  filterParams,
  type GroupOutcome,
  labelText,
  pct,
  type QueryCache,
  scopeFilter,
  toLabels,
} from "./shared.ts";

/**
 * Threshold conditions: the error rate of the last days per group, from one grouped scan per scan filter.
 */

/** The scope field a shared threshold scan filters on (the others are matched per cell), most selective first. */
const SCAN_FIELDS = ["queue", "moderator", "market", "policy"] as const;

function scanFieldOf(rule: Rule<"threshold">): (typeof SCAN_FIELDS)[number] | undefined {
  return SCAN_FIELDS.find((f) => rule.scope[f] !== undefined);
}

/**
 * Threshold rules with a window of whole days and the same scan filter (their first scope field of queue,
 * moderator, market, policy, and errorType) share one grouped query; others are evaluated on their own.
 */
export function thresholdScanKey(rule: Rule<"threshold">): string | undefined {
  if (!Number.isInteger(rule.condition.window.days)) return undefined;
  const field = scanFieldOf(rule);
  return `thr|${field ?? ""}|${field ? rule.scope[field] : ""}|${rule.scope.errorType ?? ""}`;
}

export interface ThresholdScan {
  field: (typeof SCAN_FIELDS)[number] | undefined;
  /** The longest window (days) the scan covers. */
  maxDays: number;
  cells: AgeCell[];
  /** Cells summed per projection (the fields a rule matches or groups on), built on first use. */
  projections: Map<string, Map<string, { values: (string | null)[]; ages: Map<number, [number, number]> }>>;
}

/** The filter of the shared scan of rules with the same thresholdScanKey (without its start). */
function scanFilter(rule: Rule<"threshold">): AuditFilter {
  const field = scanFieldOf(rule);
  const filter: AuditFilter = { errorType: rule.scope.errorType };
  if (field) filter[field] = rule.scope[field];
  return filter;
}

const longestWindow = (rules: readonly Rule<"threshold">[]) =>
  Math.max(...rules.map((r) => r.condition.window.days));

/**
 * One query for threshold rules sharing a scan key, over the longest of their windows. `asOf`: leave out
 * the audits audited at or after `now` (an evaluation as it would have run at a past `now`: the preview).
 */
export async function scanForThresholds(
  db: Db,
  rules: readonly Rule<"threshold">[],
  now: number,
  asOf = false,
): Promise<ThresholdScan> {
  const field = scanFieldOf(rules[0]);
  const maxDays = longestWindow(rules);
  const filter: AuditFilter = {
    ...scanFilter(rules[0]),
    fromMs: now - maxDays * DAY_MS,
    toMs: asOf ? now : undefined,
  };
  return { field, maxDays, cells: await countByCellAndAge(db, filter, now), projections: new Map() };
}

const floorTo = (ms: number, unit: number) => ms - (((ms % unit) + unit) % unit);
/** ⌈(now − ms)/day⌉ as SQL computes it in countByCellAndAge (truncated toward zero). */
const ageOf = (now: number, ms: number) => Math.trunc((now - ms + DAY_MS - 1) / DAY_MS);

interface MinuteCell {
  values: (string | null)[];
  minute: number;
  audited: number;
  errors: number;
}

function addMinute(
  cells: Map<string, MinuteCell>,
  values: (string | null)[],
  minute: number,
  n: number,
  errors: number,
) {
  const key = `${cellKey(values)}\u0002${minute}`;
  const cell = cells.get(key);
  if (cell) {
    cell.audited += n;
    cell.errors += errors;
  } else cells.set(key, { values, minute, audited: n, errors });
}

/** Kept threshold scans: counts per (group fields, minute), keyed by cell and minute. */
const MINUTE_SCANS: ScanKind<Map<string, MinuteCell>, undefined> = {
  async build(db, filter, fromMs) {
    const cells = new Map<string, MinuteCell>();
    for (const b of await countByCellAndBucket(db, { ...filter, fromMs }, MINUTE_MS))
      addMinute(cells, b.values, b.bucket, b.n, b.count);
    return cells;
  },
  extender: (cells) => (values, ms, isError) => addMinute(cells, values, floorTo(ms, MINUTE_MS), 1, isError),
  trim(cells, fromMs) {
    for (const [k, cell] of cells) if (cell.minute < fromMs) cells.delete(k);
  },
  size: (cells) => cells.size,
};

/**
 * Threshold scans kept between evaluations as counts per (group fields, minute), brought up to date with the
 * audits stored since (see ScanCache). Each evaluation turns them into counts by age in days relative to its
 * own `now`: a minute holds one age unless a window boundary (now − k days) falls inside it, and those few
 * minutes are counted exactly by SQL.
 */
export class ThresholdScanCache extends ScanCache<Map<string, MinuteCell>, undefined> {
  constructor() {
    super(MINUTE_SCANS);
  }

  /** The shared scan of threshold rules with the same thresholdScanKey, at `now`, current up to `maxSeq`. */
  async scan(
    db: Db,
    rules: readonly Rule<"threshold">[],
    now: number,
    maxSeq: number,
    clock = Date.now(),
  ): Promise<ThresholdScan> {
    const key = thresholdScanKey(rules[0])!;
    const field = scanFieldOf(rules[0]);
    const maxDays = longestWindow(rules);
    const filter = scanFilter(rules[0]);
    const coverFrom = floorTo(now - maxDays * DAY_MS, MINUTE_MS);
    const minutes = await this.kept(db, key, filter, coverFrom, maxSeq, undefined, clock);

    const boundaries = new Set<number>();
    for (let k = 0; k <= maxDays; k++) boundaries.add(floorTo(now - k * DAY_MS, MINUTE_MS));
    const exact = new Set<number>();
    const cells: AgeCell[] = [];
    for (const cell of minutes.values()) {
      if (boundaries.has(cell.minute)) exact.add(cell.minute);
      else
        cells.push({
          values: cell.values,
          age: ageOf(now, cell.minute),
          audited: cell.audited,
          errors: cell.errors,
        });
    }
    for (const minute of exact) {
      const window = { ...filter, fromMs: minute, toMs: minute + MINUTE_MS, throughSeq: maxSeq };
      cells.push(...(await countByCellAndAge(db, window, now)));
    }
    return { field, maxDays, cells, projections: new Map() };
  }
}

/** What countByGroups(scope + window, groupBy) would answer, from the shared scan. */
function thresholdCounts(scan: ThresholdScan, rule: Rule<"threshold">): GroupCounts[] {
  const days = rule.condition.window.days;
  const matched = SCOPE_FIELDS_MATCHED.filter((f) => f !== scan.field && rule.scope[f] !== undefined);
  const fields = [...new Set<string>([...matched, ...rule.groupBy])];
  const projectionKey = fields.join(",");
  let projection = scan.projections.get(projectionKey);
  if (!projection) {
    projection = new Map();
    const indices = fields.map((f) => CELL_INDEX.get(f)!);
    for (const cell of scan.cells) {
      const values = indices.map((i) => cell.values[i]);
      const key = cellKey(values);
      let group = projection.get(key);
      if (!group) projection.set(key, (group = { values, ages: new Map() }));
      const sums = group.ages.get(cell.age);
      if (sums) {
        sums[0] += cell.audited;
        sums[1] += cell.errors;
      } else group.ages.set(cell.age, [cell.audited, cell.errors]);
    }
    scan.projections.set(projectionKey, projection);
  }
  const at = (field: string) => fields.indexOf(field);
  const result = new Map<string, GroupCounts>();
  for (const group of projection.values()) {
    if (!matched.every((f) => group.values[at(f)] === rule.scope[f])) continue;
    let audited = 0;
    let errors = 0;
    for (const [age, [a, e]] of group.ages) {
      if (age <= days) {
        audited += a;
        errors += e;
      }
    }
    if (audited === 0) continue;
    const groupValues = rule.groupBy.map((g) => group.values[at(g)]);
    const key = cellKey(groupValues);
    const entry = result.get(key);
    if (entry) {
      entry.audited += audited;
      entry.errors += errors;
    } else
      result.set(key, {
        key: Object.fromEntries(rule.groupBy.map((g, i) => [g, groupValues[i]])),
        audited,
        errors,
      });
  }
  if (rule.groupBy.length === 0 && result.size === 0) return [{ key: {}, audited: 0, errors: 0 }];
  return [...result.values()];
}

const SCOPE_FIELDS_MATCHED = ["queue", "moderator", "policy", "market"] as const;

/**
 * Threshold condition: audits of the last `window.days` × 24 h (audited at or after now − days; later
 * timestamps included), per group. Groups with fewer than `minAudited` audits are not evaluated.
 * `point` breaches when errors/audited > maxRate; `lower-bound` when the lower end of the two-sided Wilson
 * interval at `confidence` is above maxRate; with `multiplicity` bh/by also only when the group's q-value (of the
 * exact binomial p = P(X ≥ errors | audited, maxRate), adjusted across the evaluated groups) ≤ `fdr`. `asOf`: as it would have been evaluated at a past `now`, on the
 * audits audited before it (the preview; the engine's `now` is the present, so later timestamps count there).
 */
export async function evaluateThreshold(
  db: Db,
  rule: Rule<"threshold">,
  now: number,
  cache: QueryCache,
  asOf = false,
): Promise<GroupOutcome[]> {
  const { condition } = rule;
  const fromMs = now - condition.window.days * DAY_MS;
  const key = thresholdScanKey(rule);
  let groups: GroupCounts[];
  if (key !== undefined) {
    let scan = cache.get(key) as ThresholdScan | undefined;
    if (!scan || scan.maxDays < condition.window.days)
      cache.set(key, (scan = await scanForThresholds(db, [rule], now, asOf)));
    groups = thresholdCounts(scan, rule);
  } else {
    const filter = { ...scopeFilter(rule), fromMs, toMs: asOf ? now : undefined };
    groups = await cached(cache, `threshold|${JSON.stringify(filter)}|${rule.groupBy.join(",")}`, async () =>
      countByGroups(db, filter, rule.groupBy),
    );
  }
  const outcomes: GroupOutcome[] = [];
  const tested: { outcome: GroupOutcome; p: number }[] = [];
  for (const group of groups) {
    const labels = toLabels(
      rule,
      rule.groupBy.map((g) => group.key[g]),
    );
    if (!labels || group.audited < condition.minAudited) continue;
    const interval = proportionInterval(group.errors, group.audited, {
      confidence: condition.confidence,
      method: "wilson",
    });
    const rate = group.errors / group.audited;
    const breach =
      condition.evidence === "point" ? rate > condition.maxRate : interval.lower > condition.maxRate;
    const params = filterParams(rule, labels);
    params.set("from", new Date(fromMs).toISOString());
    params.set("method", "wilson");
    params.set("confidence", String(condition.confidence));
    const bound =
      condition.evidence === "lower-bound"
        ? `; ${condition.confidence * 100}% Wilson lower bound ${pct(interval.lower)}`
        : "";
    const outcome: GroupOutcome = {
      labels,
      breach,
      value: rate,
      threshold: condition.maxRate,
      signal: null,
      evidence: {
        kind: "threshold",
        breach,
        window: {
          days: condition.window.days,
          from: new Date(fromMs).toISOString(),
          to: new Date(now).toISOString(),
        },
        audited: group.audited,
        errors: group.errors,
        rate,
        interval: {
          method: "wilson",
          confidence: condition.confidence,
          lower: interval.lower,
          upper: interval.upper,
        },
        maxRate: condition.maxRate,
        evidence: condition.evidence,
        minAudited: condition.minAudited,
      },
      link: `/v1/quality?${params}`,
      summary: `${rule.name}${labelText(labels)}: error rate ${pct(rate)} (${group.errors}/${group.audited}) over ${condition.window.days} day(s)${bound} ${breach ? "is above" : "is within"} ${pct(condition.maxRate)}`,
    };
    outcomes.push(outcome);
    tested.push({ outcome, p: binomialUpperTail(group.errors, group.audited, condition.maxRate) });
  }
  controlFalseDiscoveries(tested, condition);
  return outcomes;
}
