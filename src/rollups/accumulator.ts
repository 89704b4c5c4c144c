import type { Db } from "../db/database.ts";
import { sqliteStatement } from "../db/sqlite.ts";
import {
  addAuditCounts,
  bucketOf,
  CONFUSION_CUBOID,
  COUNT_COLUMNS,
  COUNTS,
  CUBOIDS,
  type Cuboid,
  encodeOptional,
  HOUR,
  inConfusion,
  type Level,
  QUARTER_DAY,
  type RollupFacts,
} from "./cells.ts";

/** One gathered cell: its key values and counts. */
interface Cell {
  key: (string | number)[];
  counts: Float64Array;
}

/** Key parts are joined with U+0000, which no stored text holds (refused on input for PostgreSQL's sake). */
const SEP = "\u0000";

function cellOf(map: Map<string, Cell>, id: string, key: (string | number)[] | undefined): Float64Array {
  let cell = map.get(id);
  if (!cell) map.set(id, (cell = { key: key ?? id.split(SEP), counts: new Float64Array(COUNTS) }));
  return cell.counts;
}

/** The text of the last bucket numbers seen (audits arrive roughly in time order: few conversions). */
class BucketText {
  private ms = Number.NaN;
  private text = "";
  of(ms: number): string {
    if (ms !== this.ms) {
      this.ms = ms;
      this.text = String(ms);
    }
    return this.text;
  }
}

const byCode = (code: number) => CUBOIDS.find((c) => c.code === code)!;
/** The cuboids derived from hour × queue × market cells (every hourly one without policy). */
const FROM_HOURLY_QUEUE_MARKET = CUBOIDS.filter((c) => c.levels.includes(HOUR) && !c.dims.includes("policy"));
/** The cuboids derived (above the hour) from quarter day × queue × market × policy cells: those without persons. */
const FROM_QUARTER_POLICY = CUBOIDS.filter(
  (c) => c.code !== CONFUSION_CUBOID && !c.dims.includes("moderator") && !c.dims.includes("auditor"),
);

/**
 * Adds up audits into rollup cells in JavaScript and writes the sums (SQLite's compaction, and every revision of a
 * rolled-up audit on either backend: its old verdict with sign −1, its new one with +1). Per audit it updates five
 * small maps (hour × queue × market, hour × policy, quarter day × queue × market × policy, quarter day × queue ×
 * market × moderator and × auditor; wrong-policy errors naming a correct policy also a sixth); the cuboids and coarser levels are
 * derived from those maps per cell in `flush`, so rolling up a chunk of audits costs one map update per audit and
 * map and one upsert per distinct cell. Memory: O(distinct cells of what was added).
 */
export class RollupAccumulator {
  private readonly hourQueueMarket = new Map<string, Cell>();
  private readonly hourPolicy = new Map<string, Cell>();
  private readonly quarterQueueMarketPolicy = new Map<string, Cell>();
  private readonly quarterModerator = new Map<string, Cell>();
  private readonly quarterAuditor = new Map<string, Cell>();
  private readonly confusion = new Map<string, Cell>();

  constructor(private readonly tx: Db) {}

  private readonly hourText = new BucketText();
  private readonly quarterText = new BucketText();

  /**
   * Adds `sign` (1: counted, −1: taken back) times one audit's counts. The hot loop of compaction: map keys are
   * built once per audit and map, key arrays only for new cells (split from the key text; the bucket is parsed back
   * in `flush`).
   */
  add(facts: RollupFacts, auditedMs: number, sign: 1 | -1): void {
    const hour = this.hourText.of(bucketOf(auditedMs, HOUR));
    const quarter = this.quarterText.of(bucketOf(auditedMs, QUARTER_DAY));
    const queueMarket = `${facts.queue}${SEP}${encodeOptional(facts.market)}`;
    const policy = encodeOptional(facts.policy);
    const quarterQueueMarket = `${quarter}${SEP}${queueMarket}`;
    addAuditCounts(cellOf(this.hourQueueMarket, `${hour}${SEP}${queueMarket}`, undefined), facts, sign);
    addAuditCounts(cellOf(this.hourPolicy, `${hour}${SEP}${policy}`, undefined), facts, sign);
    addAuditCounts(
      cellOf(this.quarterQueueMarketPolicy, `${quarterQueueMarket}${SEP}${policy}`, undefined),
      facts,
      sign,
    );
    addAuditCounts(
      cellOf(this.quarterModerator, `${quarterQueueMarket}${SEP}${facts.moderator}`, undefined),
      facts,
      sign,
    );
    addAuditCounts(
      cellOf(this.quarterAuditor, `${quarterQueueMarket}${SEP}${facts.auditor}`, undefined),
      facts,
      sign,
    );
    if (inConfusion(facts)) {
      const id = `${hour}${SEP}${queueMarket}${SEP}${policy}${SEP}${facts.correctPolicy}`;
      addAuditCounts(cellOf(this.confusion, id, undefined), facts, sign);
    }
  }

  /** Writes the gathered sums into `audit_rollups` (inside the caller's transaction) and starts afresh. */
  async flush(): Promise<void> {
    const cells = new Map<string, Cell>();
    const put = (
      cuboid: Cuboid,
      level: Level,
      ms: string,
      values: Record<string, string>,
      counts: Float64Array,
    ) => {
      const bucket = bucketOf(Number(ms), level);
      const key = [
        cuboid.code,
        level.width,
        bucket,
        cuboid.dims.includes("queue") ? values.queue : "",
        cuboid.dims.includes("market") ? values.market : "",
        cuboid.dims.includes("policy") ? values.policy : "",
        values.person ?? "",
      ];
      const target = cellOf(cells, key.join(SEP), key);
      for (let i = 0; i < COUNTS; i++) target[i] += counts[i];
    };
    for (const { key, counts } of this.hourQueueMarket.values()) {
      const [hour, queue, market] = key as [string, string, string];
      for (const cuboid of FROM_HOURLY_QUEUE_MARKET) put(cuboid, HOUR, hour, { queue, market }, counts);
    }
    for (const { key, counts } of this.hourPolicy.values()) {
      const [hour, policy] = key as [string, string];
      put(byCode(3), HOUR, hour, { policy }, counts);
    }
    for (const { key, counts } of this.quarterQueueMarketPolicy.values()) {
      const [quarter, queue, market, policy] = key as [string, string, string, string];
      for (const cuboid of FROM_QUARTER_POLICY) {
        for (const level of cuboid.levels) {
          if (level !== HOUR) put(cuboid, level, quarter, { queue, market, policy }, counts);
        }
      }
    }
    for (const [map, code] of [
      [this.quarterModerator, 6],
      [this.quarterAuditor, 7],
    ] as const) {
      const cuboid = byCode(code);
      for (const { key, counts } of map.values()) {
        const [quarter, queue, market, person] = key as [string, string, string, string];
        for (const level of cuboid.levels) put(cuboid, level, quarter, { queue, market, person }, counts);
      }
    }
    const confusion = byCode(CONFUSION_CUBOID);
    for (const { key, counts } of this.confusion.values()) {
      const [hour, queue, market, policy, person] = key as [string, string, string, string, string];
      for (const level of confusion.levels)
        put(confusion, level, hour, { queue, market, policy, person }, counts);
    }
    const changed = [...cells.values()].filter(({ counts }) => counts.some((c) => c !== 0));
    await writeCells(this.tx, changed);
    for (const map of [
      this.hourQueueMarket,
      this.hourPolicy,
      this.quarterQueueMarketPolicy,
      this.quarterModerator,
      this.quarterAuditor,
      this.confusion,
    ]) {
      map.clear();
    }
  }
}

const KEY = ["cuboid", "width", "bucket", "queue", "market", "policy", "person"];
const COLUMNS = [...KEY, ...COUNT_COLUMNS].join(", ");
const ADD_ON_CONFLICT = `ON CONFLICT (${KEY.join(", ")}) DO UPDATE SET
  ${COUNT_COLUMNS.map((c) => `${c} = audit_rollups.${c} + excluded.${c}`).join(", ")}`;
const ROW = `(${[...KEY, ...COUNT_COLUMNS].map(() => "?").join(", ")})`;
/** PostgreSQL: cells per statement (26 parameters each, well under the protocol's 65,535). */
const CELLS_PER_STATEMENT = 500;

/**
 * Adds the cells' counts to `audit_rollups` (keys unique within the call): SQLite one prepared upsert per cell in a
 * loop (no round trips); PostgreSQL multi-row upserts, a round trip per 500 cells.
 */
async function writeCells(tx: Db, cells: readonly Cell[]): Promise<void> {
  if (tx.dialect === "sqlite") {
    const upsert = sqliteStatement(
      tx,
      `INSERT INTO audit_rollups (${COLUMNS}) VALUES ${ROW} ${ADD_ON_CONFLICT}`,
    );
    for (const { key, counts } of cells) upsert.run(...key, ...counts);
    return;
  }
  for (let first = 0; first < cells.length; first += CELLS_PER_STATEMENT) {
    const chunk = cells.slice(first, first + CELLS_PER_STATEMENT);
    await tx.run(
      `INSERT INTO audit_rollups (${COLUMNS}) VALUES ${chunk.map(() => ROW).join(", ")} ${ADD_ON_CONFLICT}`,
      chunk.flatMap(({ key, counts }) => [...key, ...counts]),
    );
  }
}
