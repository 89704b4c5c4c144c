import type { Db } from "../db/database.ts";
import { sqliteStatement } from "../db/sqlite.ts";
import type { Logger } from "../logger.ts";
import { RollupAccumulator } from "./accumulator.ts";
import { DAY_MS, type RollupFacts } from "./cells.ts";
import { rollupSource, rollupUpsert } from "./grouped-sql.ts";
import { rolledUpTo, WATERMARK_SQL } from "./watermark.ts";

/**
 * Empties the rollups and counts every stored audit into them again, in one transaction, the watermark ending at
 * the last audit: for rollups found damaged at start, or on demand (`npm run rebuild-rollups`). On PostgreSQL the
 * tables are locked first (LOCK TABLE takes no snapshot, so the rebuild sees every audit committed before it, and
 * compactions and revisions wait for it, then run again); on SQLite the transaction already excludes every writer.
 * O(audits) time; O(cells of 50,000 audits) memory on SQLite.
 */
export async function rebuildRollups(db: Db): Promise<{ audits: number; cells: number }> {
  return db.transaction(async (tx) => {
    if (tx.dialect === "postgres")
      await tx.run("LOCK TABLE audit_rollups, rollup_watermark IN EXCLUSIVE MODE");
    await tx.run("DELETE FROM audit_rollups");
    await tx.run("UPDATE rollup_watermark SET upto = 0");
    while ((await rollUpAbove(tx, 50_000)) > 0);
    const [[audits]] = await tx.values<[number]>("SELECT COUNT(*) FROM audits");
    const [[cells]] = await tx.values<[number]>("SELECT COUNT(*) FROM audit_rollups");
    return { audits, cells };
  });
}

/**
 * Inside the caller's transaction: counts up to `limit` audits above the watermark (in seq order) into the rollups
 * and moves the watermark past them; returns how many. SQLite adds them up in JavaScript (one read, five maps,
 * an upsert per cell); PostgreSQL in one grouped upsert (src/rollups/grouped-sql.ts). Audits draw seq values in
 * commit order (SQLite: one writer; PostgreSQL: the audit-append lock), so every audit at or below the watermark
 * was committed when it moved.
 */
async function rollUpAbove(tx: Db, limit: number): Promise<number> {
  const upto = await rolledUpTo(tx);
  if (tx.dialect === "postgres") {
    const [[through, count]] = await tx.values<[number | null, number]>(
      "SELECT MAX(seq), COUNT(*) FROM (SELECT seq FROM audits WHERE seq > ? ORDER BY seq LIMIT ?) AS chunk",
      [upto, limit],
    );
    if (count === 0 || through === null) return 0;
    // The chunk's groups hash in memory rather than spilling to sorts on disk (for this transaction only).
    await tx.run("SET LOCAL work_mem = '64MB'");
    await tx.run(rollupUpsert(rollupSource("?", "?")), [upto, through]);
    await tx.run("UPDATE rollup_watermark SET upto = ?", [through]);
    return count;
  }
  const rollups = new RollupAccumulator(tx);
  let last = upto;
  let counted = 0;
  const chunk = sqliteStatement(
    tx,
    `SELECT queue, market, policy, moderator, auditor, outcome, error_type, severity, correct_policy, audited_ms, seq
      FROM audits WHERE seq > ? ORDER BY seq LIMIT ?`,
  ).raw(true);
  for (const row of chunk.iterate(upto, limit) as IterableIterator<unknown[]>) {
    rollups.add(factsOf(row), row[9] as number, 1);
    last = row[10] as number;
    counted++;
  }
  await rollups.flush();
  if (counted > 0) await tx.run("UPDATE rollup_watermark SET upto = ?", [last]);
  return counted;
}

function factsOf(row: unknown[]): RollupFacts {
  return {
    queue: row[0] as string,
    market: row[1] as string | null,
    policy: row[2] as string | null,
    moderator: row[3] as string,
    auditor: row[4] as string,
    outcome: row[5] as RollupFacts["outcome"],
    errorType: row[6] as string | null,
    severity: row[7] as number | null,
    correctPolicy: row[8] as string | null,
  };
}

interface MismatchedDay {
  day: string;
  audits: number;
  rollups: number;
}

/**
 * The UTC days in [fromMs, toMs) (whole days) on which the rollups' audit count differs from that of the audits at
 * or below the watermark (those counted into them), at most `limit`, compared in one statement so that both sides
 * read one snapshot while others write. One pass over the audits' time index in the range.
 */
export async function mismatchedDays(
  db: Db,
  range: { fromMs: number; toMs: number } = { fromMs: -8.64e15, toMs: 8.64e15 },
  limit = 10,
): Promise<MismatchedDay[]> {
  const day = `audited_ms - ((audited_ms % ${DAY_MS}) + ${DAY_MS}) % ${DAY_MS}`;
  const rows = await db.values<[number, number, number]>(
    `SELECT COALESCE(a.day, r.day), COALESCE(a.n, 0), COALESCE(r.n, 0)
      FROM (SELECT ${day} AS day, COUNT(*) AS n FROM audits
        WHERE seq <= ${WATERMARK_SQL} AND audited_ms >= ? AND audited_ms < ? GROUP BY ${day}) AS a
      FULL OUTER JOIN (SELECT bucket AS day, n FROM audit_rollups
        WHERE cuboid = 0 AND width = ${DAY_MS} AND bucket >= ? AND bucket < ?) AS r
        ON a.day = r.day
      WHERE COALESCE(a.n, 0) <> COALESCE(r.n, 0) ORDER BY 1 LIMIT ?`,
    [range.fromMs, range.toMs, range.fromMs, range.toMs, limit],
  );
  return rows.map(([ms, audits, rollups]) => ({
    day: new Date(ms).toISOString().slice(0, 10),
    audits,
    rollups,
  }));
}

/** How the start-up check reaches the database: off the main thread in the service (src/main.ts). */
export interface RollupCheckRunner {
  /** The stored audits' first and last audited instants, or undefined when there are none. */
  extent(): Promise<[number, number] | undefined>;
  check(range: { fromMs: number; toMs: number }): Promise<MismatchedDay[]>;
  rebuild(): Promise<{ audits: number; cells: number }>;
}

/** Days per check step: a step stays well inside the compute budget at tens of millions of audits. */
const CHECK_DAYS = 31;

/**
 * After start: compares the rollups with the audits per UTC day, a month at a time, and rebuilds them when any day
 * differs (damage: rows written around the service), logging what it found and how long it took. Reports keep
 * being answered meanwhile (from the cells as they are). A database upgraded from before the rollups has all its
 * audits above the watermark: nothing to compare; they are read as rows and rolled up by the compactor.
 */
export async function checkRollups(runner: RollupCheckRunner, logger: Logger): Promise<void> {
  const started = performance.now();
  const extent = await runner.extent();
  const days: MismatchedDay[] = [];
  if (extent) {
    const first = extent[0] - (((extent[0] % DAY_MS) + DAY_MS) % DAY_MS);
    for (let fromMs = first; fromMs <= extent[1] && days.length === 0; fromMs += CHECK_DAYS * DAY_MS) {
      days.push(...(await runner.check({ fromMs, toMs: fromMs + CHECK_DAYS * DAY_MS })));
    }
  }
  const checkedMs = Math.round(performance.now() - started);
  if (days.length === 0) {
    logger.info("rollups match the audits", { checkedMs });
    return;
  }
  logger.error("rollups differ from the audits: rebuilding them", { days, checkedMs });
  const rebuilt = await runner.rebuild();
  logger.info("rebuilt the rollups", { ...rebuilt, ms: Math.round(performance.now() - started) });
}

/** Arbitrary: the advisory lock that keeps PostgreSQL's compaction to one instance at a time. */
const COMPACTION_LOCK = 0x6d717263;

/**
 * Rolls up to `limit` audits above the watermark into the rollups, in one transaction (on PostgreSQL by one instance
 * at a time: another compacting makes this a no-op). A read before or after sees each audit counted once: as a row
 * above the watermark or in the cells below it. Returns how many audits it rolled up.
 */
export async function compactRollups(db: Db, limit = 50_000): Promise<number> {
  return db.transaction(async (tx) => {
    if (tx.dialect === "postgres") {
      const [[locked]] = await tx.values<[boolean]>("SELECT pg_try_advisory_xact_lock(?)", [COMPACTION_LOCK]);
      if (!locked) return 0;
    }
    return rollUpAbove(tx, limit);
  });
}
