import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import type { Logger } from "../logger.ts";
import type { Db } from "./database.ts";
import { sqliteConnection } from "./sqlite.ts";

/** SQLite's own default: checkpoint on commit once the WAL holds this many pages. */
const AUTOCHECKPOINT_PAGES = 1000;
const INTERVAL_MS = 250;
/** The WAL file is cut back to this size when it restarts, after a bulk upload has grown it. */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

// Plain CommonJS evaluated in the worker, so it runs the same under tsx, vitest and plain node.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("busy_timeout = 5000");
db.pragma("journal_size_limit = " + workerData.walSizeLimit);
const { performance } = require("node:perf_hooks");
let last = { log: 0, checkpointed: 0 };
const timer = setInterval(() => {
  const started = performance.now();
  const [result] = db.pragma("wal_checkpoint(PASSIVE)");
  // Only checkpoints that found new frames are reported: an idle database sends nothing.
  if (result.log !== last.log || result.checkpointed !== last.checkpointed) {
    parentPort.postMessage({ ms: performance.now() - started, ...result });
  }
  last = result;
}, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** What the checkpoints of one database file did since the process started (read by GET /metrics). */
interface CheckpointStats {
  /** Checkpoints that found pages in the WAL. */
  count: number;
  seconds: number;
  maxSeconds: number;
  /** Checkpoints that could not copy every frame (a reader or writer held some back). */
  incomplete: number;
}

const statsByFile = new Map<string, CheckpointStats>();

/** The checkpoint figures of the SQLite database `db` in this process; undefined when nothing checkpoints it here. */
export function checkpointStats(db: Db): CheckpointStats | undefined {
  const connection = sqliteConnection(db);
  return connection ? statsByFile.get(connection.name) : undefined;
}

/**
 * WAL checkpoints off the request path. By default SQLite checkpoints inside the COMMIT that crosses
 * 1,000 WAL pages: that request then copies the WAL into the database file and fsyncs it (over a second after
 * a million-row upload, tens of milliseconds in the middle of a stream of single audits). Here the writing
 * connection never checkpoints; a worker thread with its own connection runs a PASSIVE checkpoint every
 * 250 ms, which copies committed pages without blocking readers or the writer. Durability is unchanged:
 * a commit is durable once it is in the WAL. If the worker fails, commits checkpoint themselves again.
 */
export class Checkpointer {
  private readonly worker: Worker;
  private stopped = false;

  private constructor(
    private readonly db: Database.Database,
    logger: Logger,
  ) {
    db.pragma("wal_autocheckpoint = 0");
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve("better-sqlite3"),
        file: db.name,
        intervalMs: INTERVAL_MS,
        walSizeLimit: WAL_SIZE_LIMIT,
      },
    });
    this.worker.unref();
    const stats: CheckpointStats = { count: 0, seconds: 0, maxSeconds: 0, incomplete: 0 };
    statsByFile.set(db.name, stats);
    this.worker.on("message", (done: { ms: number; busy: number; log: number; checkpointed: number }) => {
      const seconds = done.ms / 1000;
      stats.count++;
      stats.seconds += seconds;
      stats.maxSeconds = Math.max(stats.maxSeconds, seconds);
      if (done.busy !== 0 || done.checkpointed < done.log) stats.incomplete++;
    });
    this.worker.on("error", (error) => {
      logger.error("WAL checkpoint worker failed; commits checkpoint themselves from now on", {
        error: error.message,
      });
    });
    // Whether stopped or failed: from now on commits checkpoint themselves (closing the database does the rest).
    this.worker.on("exit", () => {
      if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    });
  }

  /** Starts checkpointing `db` in the background; nothing to do for an in-memory database or PostgreSQL. */
  static start(db: Db, logger: Logger): Checkpointer | undefined {
    const connection = sqliteConnection(db);
    return connection && !connection.memory ? new Checkpointer(connection, logger) : undefined;
  }

  /** Stops the worker; commits checkpoint themselves again once it has exited. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const exited = new Promise((resolve) => this.worker.once("exit", resolve));
    this.worker.postMessage("stop");
    await exited;
  }
}
