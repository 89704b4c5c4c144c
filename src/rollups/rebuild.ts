import type { Db } from "../db/database.ts";
import { PostgresDb } from "../db/postgres.ts";
import { rollupInsert, rollupSource } from "../db/rollup-ddl.ts";
import type { Logger } from "../logger.ts";
import { RollupAccumulator } from "./accumulator.ts";
import { COUNT_COLUMNS, DAY_MS, type RollupFacts } from "./cells.ts";

/** The tables a rollup read sums over: PostgreSQL's triggers append deltas that compaction folds in later. */
function rollupTables(db: Db): string[] {
  return db.dialect === "postgres" ? ["audit_rollups", "audit_rollup_deltas"] : ["audit_rollups"];
}

/**
 * Empties the rollups and counts every stored audit into them again, in one transaction: for a database upgraded
 * from before the rollups (the start-up check finds them empty) or one whose rollups were damaged. On PostgreSQL
 * the tables are locked first (LOCK TABLE takes no snapshot, so the rebuild sees every audit committed before it,
 * and writers' triggers wait for it); on SQLite the transaction already excludes every writer.
 * `npm run rebuild-rollups` runs it. O(audits) time, O(cells of 100,000 audits) memory.
 */
export async function rebuildRollups(db: Db): Promise<{ audits: number; cells: number }> {
  return db.transaction(async (tx) => {
    if (tx.dialect === "postgres") {
      await tx.run("LOCK TABLE audit_rollups, audit_rollup_deltas IN EXCLUSIVE MODE");
      await tx.run("DELETE FROM audit_rollup_deltas");
      await tx.run("DELETE FROM audit_rollups");
      await tx.run(rollupInsert("audit_rollups", rollupSource("audits", 1)));
    } else {
      await tx.run("DELETE FROM audit_rollups");
      const rollups = new RollupAccumulator(tx);
      await tx.each<unknown[]>(
        `SELECT queue, market, policy, moderator, auditor, outcome, error_type, severity, correct_policy, audited_ms
          FROM audits`,
        [],
        (row) => {
          const facts: RollupFacts = {
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
          rollups.add(facts, row[9] as number, 1);
        },
      );
      rollups.flush();
    }
    const [[audits]] = await tx.values<[number]>("SELECT COUNT(*) FROM audits");
    const [[cells]] = await tx.values<[number]>("SELECT COUNT(*) FROM audit_rollups");
    return { audits, cells };
  });
}

/**
 * The UTC days on which the rollups' audit count differs from the audits' (at most `limit`), compared in one
 * statement so that both sides read one snapshot while other instances write. One pass over the audits' time
 * index: seconds at tens of millions of audits.
 */
export async function mismatchedDays(
  db: Db,
  limit = 10,
): Promise<{ day: string; audits: number; rollups: number }[]> {
  const day = `audited_ms - ((audited_ms % ${DAY_MS}) + ${DAY_MS}) % ${DAY_MS}`;
  const rolled = rollupTables(db)
    .map((table) => `SELECT bucket, n FROM ${table} WHERE cuboid = 0 AND width = ${DAY_MS}`)
    .join(" UNION ALL ");
  const rows = await db.values<[number, number, number]>(
    `SELECT COALESCE(a.day, r.day), COALESCE(a.n, 0), COALESCE(r.n, 0)
      FROM (SELECT ${day} AS day, COUNT(*) AS n FROM audits GROUP BY ${day}) AS a
      FULL OUTER JOIN (SELECT bucket AS day, SUM(n) AS n FROM (${rolled}) AS cells GROUP BY bucket) AS r
        ON a.day = r.day
      WHERE COALESCE(a.n, 0) <> COALESCE(r.n, 0) ORDER BY 1 LIMIT ?`,
    [limit],
  );
  return rows.map(([ms, audits, rollups]) => ({
    day: new Date(ms).toISOString().slice(0, 10),
    audits,
    rollups,
  }));
}

/**
 * At start: compares the rollups with the audits per day and rebuilds them when they differ (a database from
 * before the rollups, or rows written around them), logging what it found and how long it took.
 */
export async function ensureRollups(db: Db, logger: Logger): Promise<void> {
  const started = performance.now();
  const days = await mismatchedDays(db);
  const checkedMs = Math.round(performance.now() - started);
  if (days.length === 0) {
    logger.info("rollups match the audits", { checkedMs });
    return;
  }
  // Empty rollups beside stored audits: the first start after the upgrade. Anything else is damage worth an error.
  const empty = days.every((day) => day.rollups === 0);
  const note = "rebuilding the rollups before serving";
  if (empty) logger.info(`${note}: first start with rollups`, { checkedMs });
  else logger.error(`${note}: they differ from the audits`, { days, checkedMs });
  const rebuilt = await rebuildRollups(db);
  logger.info("rebuilt the rollups", { ...rebuilt, ms: Math.round(performance.now() - started) });
}

/** Arbitrary: the advisory lock that keeps compaction to one instance at a time. */
const COMPACTION_LOCK = 0x6d717263;
const KEY = "cuboid, width, bucket, queue, market, policy, person";

/**
 * PostgreSQL: folds up to `limit` of the oldest deltas into `audit_rollups` (READ COMMITTED, one instance at a
 * time): removed and added in one transaction, so a read sees them in one table or the other, never both or
 * neither. Returns how many deltas it folded (0 on SQLite, or when another instance is compacting).
 */
export async function compactRollups(db: Db, limit = 50_000): Promise<number> {
  if (!(db instanceof PostgresDb)) return 0;
  return db.lockingTransaction(async (tx) => {
    const [[locked]] = await tx.values<[boolean]>("SELECT pg_try_advisory_xact_lock(?)", [COMPACTION_LOCK]);
    if (!locked) return 0;
    const sums = COUNT_COLUMNS.map((c) => `SUM(${c})`).join(", ");
    const [[folded]] = await tx.values<[number]>(
      `WITH moved AS (
          DELETE FROM audit_rollup_deltas WHERE seq IN (SELECT seq FROM audit_rollup_deltas ORDER BY seq LIMIT ?)
          RETURNING ${KEY}, ${COUNT_COLUMNS.join(", ")}),
        merged AS (
          INSERT INTO audit_rollups (${KEY}, ${COUNT_COLUMNS.join(", ")})
          SELECT ${KEY}, ${sums} FROM moved GROUP BY ${KEY}
          ON CONFLICT (${KEY}) DO UPDATE SET
            ${COUNT_COLUMNS.map((c) => `${c} = audit_rollups.${c} + EXCLUDED.${c}`).join(", ")})
        SELECT COUNT(*) FROM moved`,
      [limit],
    );
    return folded;
  });
}

/** How often each instance tries to compact (cheap when there is nothing to fold). */
const COMPACTION_INTERVAL_MS = 1000;

/** Runs `compactRollups` every second until stopped (PostgreSQL only); failures are logged and retried. */
export class RollupCompactor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  start(): this {
    if (this.db.dialect !== "postgres") return this;
    this.timer = setInterval(() => {
      // A pass still running (a backlog after a big upload) is not joined by another.
      this.running ??= compactRollups(this.db)
        .then(() => undefined)
        .catch((error: unknown) =>
          this.logger.error("rollup compaction failed; retrying", { error: String(error) }),
        )
        .finally(() => {
          this.running = undefined;
        });
    }, COMPACTION_INTERVAL_MS);
    this.timer.unref();
    return this;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
