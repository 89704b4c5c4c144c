import type { Db } from "../db/database.ts";
import { sqliteStatement } from "../db/sqlite.ts";
import {
  addAuditCounts,
  bucketOf,
  CONFUSION_CUBOID,
  COUNT_COLUMNS,
  COUNTS,
  CUBOIDS,
  DAY,
  encodeOptional,
  HOUR,
  inConfusion,
  type Level,
  type RollupFacts,
  WEEK,
} from "./cells.ts";

/** One cell: its key columns (cuboid, width, bucket, queue, market, policy, person) and counts. */
interface Cell {
  key: (string | number)[];
  counts: Float64Array;
}

/** Key parts are joined with U+0000, which no stored text holds (refused on input for PostgreSQL's sake). */
const SEP = "\u0000";

function cellOf(map: Map<string, Cell>, key: (string | number)[]): Float64Array {
  const id = key.join(SEP);
  let cell = map.get(id);
  if (!cell) map.set(id, (cell = { key, counts: new Float64Array(COUNTS) }));
  return cell.counts;
}

function addInto(target: Float64Array, source: Float64Array): void {
  for (let i = 0; i < COUNTS; i++) target[i] += source[i];
}

/** Above this many gathered cells the accumulator writes them out early (memory stays bounded in big uploads). */
const FLUSH_CELLS = 100_000;

const byCode = (code: number) => CUBOIDS.find((c) => c.code === code)!;
const HOURLY = CUBOIDS.filter((c) => c.levels.includes(HOUR) && !c.dims.includes("policy"));

/**
 * SQLite's rollup maintenance (PostgreSQL's is a trigger): the writers add each audit they insert (and a revision
 * its old verdict with sign −1 and its new one with +1) and `flush` the sums into the tables inside the same
 * transaction. Per audit it touches five small maps (hour × queue × market, hour × policy, day × queue × market ×
 * policy, day × queue × market × moderator and × auditor); the cuboids and coarser levels are derived from those
 * maps per cell when flushing, so a million-row upload costs a million cheap map updates and a few thousand upserts.
 */
export class RollupAccumulator {
  private readonly hourQueueMarket = new Map<string, Cell>();
  private readonly hourPolicy = new Map<string, Cell>();
  private readonly dayQueueMarketPolicy = new Map<string, Cell>();
  private readonly dayModerator = new Map<string, Cell>();
  private readonly dayAuditor = new Map<string, Cell>();
  private readonly confusion = new Map<string, Cell>();
  private cells = 0;

  constructor(private readonly tx: Db) {}

  /** Adds `sign` (1: stored, −1: replaced) times one audit's counts; writes out early when many cells gathered. */
  add(facts: RollupFacts, auditedMs: number, sign: 1 | -1): void {
    const hour = bucketOf(auditedMs, HOUR);
    const day = bucketOf(auditedMs, DAY);
    const market = encodeOptional(facts.market);
    const policy = encodeOptional(facts.policy);
    const before = this.hourQueueMarket.size + this.dayModerator.size + this.dayQueueMarketPolicy.size;
    addAuditCounts(cellOf(this.hourQueueMarket, [hour, facts.queue, market]), facts, sign);
    addAuditCounts(cellOf(this.hourPolicy, [hour, policy]), facts, sign);
    addAuditCounts(cellOf(this.dayQueueMarketPolicy, [day, facts.queue, market, policy]), facts, sign);
    addAuditCounts(cellOf(this.dayModerator, [day, facts.queue, market, facts.moderator]), facts, sign);
    addAuditCounts(cellOf(this.dayAuditor, [day, facts.queue, market, facts.auditor]), facts, sign);
    if (inConfusion(facts)) {
      addAuditCounts(
        cellOf(this.confusion, [hour, facts.queue, market, policy, facts.correctPolicy!]),
        facts,
        sign,
      );
    }
    this.cells +=
      this.hourQueueMarket.size + this.dayModerator.size + this.dayQueueMarketPolicy.size - before;
    if (this.cells >= FLUSH_CELLS) this.flush();
  }

  /** Writes the gathered sums into the rollup tables (inside the caller's transaction) and starts afresh. */
  flush(): void {
    const rollups = new Map<string, Cell>();
    const put = (
      code: number,
      level: Level,
      bucket: number,
      dims: Record<string, string>,
      counts: Float64Array,
    ) => {
      const key = [
        code,
        level.width,
        bucketOf(bucket, level),
        dims.queue ?? "",
        dims.market ?? "",
        dims.policy ?? "",
        dims.person ?? "",
      ];
      addInto(cellOf(rollups, key), counts);
    };
    for (const { key, counts } of this.hourQueueMarket.values()) {
      const [hour, queue, market] = key as [number, string, string];
      for (const cuboid of HOURLY) {
        put(cuboid.code, HOUR, hour, pick(cuboid.dims, { queue, market }), counts);
      }
    }
    for (const { key, counts } of this.hourPolicy.values()) {
      const [hour, policy] = key as [number, string];
      put(3, HOUR, hour, { policy }, counts);
    }
    for (const { key, counts } of this.dayQueueMarketPolicy.values()) {
      const [day, queue, market, policy] = key as [number, string, string, string];
      for (const cuboid of CUBOIDS.filter((c) => c.code <= 5)) {
        for (const level of [DAY, WEEK])
          put(cuboid.code, level, day, pick(cuboid.dims, { queue, market, policy }), counts);
      }
    }
    for (const [map, code] of [
      [this.dayModerator, 6],
      [this.dayAuditor, 7],
    ] as const) {
      for (const { key, counts } of map.values()) {
        const [day, queue, market, person] = key as [number, string, string, string];
        for (const level of byCode(code).levels) put(code, level, day, { queue, market, person }, counts);
      }
    }
    for (const { key, counts } of this.confusion.values()) {
      const [hour, queue, market, policy, person] = key as [number, string, string, string, string];
      for (const level of byCode(CONFUSION_CUBOID).levels) {
        put(CONFUSION_CUBOID, level, hour, { queue, market, policy, person }, counts);
      }
    }
    writeRollups(this.tx, rollups.values());
    for (const map of [
      this.hourQueueMarket,
      this.hourPolicy,
      this.dayQueueMarketPolicy,
      this.dayModerator,
      this.dayAuditor,
      this.confusion,
    ])
      map.clear();
    this.cells = 0;
  }
}

function pick(dims: readonly string[], values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(dims.map((d) => [d, values[d]]));
}

const KEY = "cuboid, width, bucket, queue, market, policy, person";
const UPSERT = `INSERT INTO audit_rollups (${KEY}, ${COUNT_COLUMNS.join(", ")})
  VALUES (${[...KEY.split(", "), ...COUNT_COLUMNS].map(() => "?").join(", ")})
  ON CONFLICT (${KEY}) DO UPDATE SET ${COUNT_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}`;
function writeRollups(tx: Db, cells: Iterable<Cell>): void {
  const upsert = sqliteStatement(tx, UPSERT);
  for (const { key, counts } of cells) {
    if (counts.every((c) => c === 0)) continue;
    upsert.run(...key, ...counts);
  }
}
