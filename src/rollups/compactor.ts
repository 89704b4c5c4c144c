import type { Compute } from "../compute/pool.ts";
import { auditedTimeRange } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import type { Writer } from "../writer/writer.ts";
import { compactRollups, type RollupCheckRunner } from "./rebuild.ts";

/** How often the rollups are brought forward (cheap when there is nothing to do). */
const COMPACTION_INTERVAL_MS = 1000;
/** Audits per transaction: tens of milliseconds of work, so other writes interleave. */
export const COMPACTION_CHUNK = 50_000;

/**
 * Rolls the audits above the watermark up every second until stopped, a chunk per transaction until none is left:
 * on SQLite on the writer thread (its own connection, the write gate's exclusive turn, so the main thread only waits
 * for its turn); on PostgreSQL from the main thread's pool, the database doing the work (every instance tries; an
 * advisory lock lets one work at a time). Failures are logged and retried at the next tick.
 */
export class RollupCompactor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly writer: Writer,
    private readonly logger: Logger,
  ) {}

  start(): this {
    this.timer = setInterval(() => {
      // A pass still running (a backlog after a big upload) is not joined by another.
      this.running ??= this.catchUp()
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

  private async catchUp(): Promise<void> {
    for (;;) {
      const done =
        this.db.dialect === "sqlite"
          ? await this.writer.write("rollUp", { limit: COMPACTION_CHUNK })
          : await compactRollups(this.db, COMPACTION_CHUNK);
      if (done < COMPACTION_CHUNK || this.timer === undefined) return;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

/**
 * The start-up check's steps in the service: each month's comparison on a compute thread (its own connection and
 * time budget: the main thread keeps answering), a rebuild on the writer thread.
 */
export function serviceCheckRunner(db: Db, compute: Compute, writer: Writer): RollupCheckRunner {
  return {
    extent: () => auditedTimeRange(db),
    check: (range) => compute.run("rollup-check", range),
    rebuild: () => writer.write("rebuildRollups", {}),
  };
}
