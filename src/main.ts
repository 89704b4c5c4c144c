import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { Alerting } from "./alerts/index.ts";
import { createApp, INGEST_ROUTE } from "./app.ts";
import { removeLeftoverSpoolFiles } from "./audits/spool-files.ts";
import { bootstrapAdmin } from "./bootstrap.ts";
import { ComputePool } from "./compute/pool.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { Checkpointer } from "./db/checkpointer.ts";
import { openDatabase } from "./db/open.ts";
import { guardSlowRequests, serverOptions } from "./http/slow-requests.ts";
import { jsonLogger as logger } from "./logger.ts";
import { RollupCompactor, serviceCheckRunner } from "./rollups/compactor.ts";
import { checkRollups } from "./rollups/rebuild.ts";
import { WriterThread } from "./writer/writer.ts";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env, version);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  logger.error(error.message);
  process.exit(2);
}

const db = await openDatabase({
  dataDir: config.dataDir,
  databaseUrl: config.databaseUrl,
  synchronous: config.synchronous,
  poolSize: config.databasePoolSize,
});
// Bodies of uploads cut off by a crash or kill are still spooled in <data dir>/tmp: nothing will read them.
const leftovers = removeLeftoverSpoolFiles(config.dataDir);
if (leftovers.length > 0)
  logger.info("removed spool files of interrupted uploads", { files: leftovers.length });
const checkpointer = Checkpointer.start(db, logger);
const admin = await bootstrapAdmin(db, config.dataDir, config.adminKey);
if (admin.created && admin.source === "generated") {
  // Printed once, on the start that created it; it is also in the file (mode 0600) until the operator removes it.
  process.stdout.write(
    `\nmodqc: created the first admin API key (also saved to ${admin.file}):\n\n  ${admin.key}\n\n`,
  );
} else if (admin.created) {
  logger.info("installed MODQC_ADMIN_KEY as the admin key");
}

// Alert evaluation timer and webhook delivery worker (pending deliveries resume here after a restart).
const alerts = new Alerting({ db, config, logger });
alerts.start();
// Long writes (uploads that outgrow memory, draws) run on a thread with its own connection.
const writer = new WriterThread(db);
// The rollups are brought forward every second (SQLite: audits above the watermark, on the writer thread;
// PostgreSQL: the triggers' deltas).
const compactor = new RollupCompactor(db, writer, logger).start();
// Calculators and reports run on worker threads (reports on their own read-only connections).
const compute = new ComputePool(db.location, config.compute);
void compute.warmUp();
const app = createApp({ db, config, logger, alerts, writer, compute });
const server = serve(
  {
    fetch: app.fetch,
    hostname: config.host,
    port: config.port,
    serverOptions: serverOptions(config.timeouts),
  },
  (info) => {
    logger.info("modqc listening", {
      url: `http://${config.host}:${info.port}`,
      dataDir: config.dataDir,
      database: db.dialect,
      version,
    });
  },
) as Server;
// The rollups compared with the audits per day, in the background (rebuilt if they differ: written around us).
void checkRollups(serviceCheckRunner(db, compute, writer), logger).catch((error: unknown) =>
  logger.error("the rollup check failed", { error: String(error) }),
);
// Slow clients: an ordinary request must arrive within MODQC_REQUEST_TIMEOUT_MS, and every body (uploads
// too) must keep MODQC_BODY_MIN_BYTES per MODQC_BODY_RATE_WINDOW_MS.
guardSlowRequests(server, config.timeouts, (path) => INGEST_ROUTE.test(path));

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info("shutting down: no new connections, finishing requests in flight", { signal });
  // close() stops accepting and calls back once every in-flight request has been answered.
  // Stop the alert timers and the delivery worker first: attempts in flight are aborted and stay pending.
  const alertsStopped = alerts.stop();
  server.close(() => {
    const writerStopped = compactor.stop().then(() => writer.close());
    void Promise.all([alertsStopped, checkpointer?.stop(), writerStopped, compute.close()])
      .then(() => db.close())
      .then(() => {
        logger.info("stopped");
        process.exit(0);
      });
  });
  // Keep-alive connections go idle once their last response is sent; close them as they do, not after
  // the 5 s keep-alive timeout.
  if ("closeIdleConnections" in server) {
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 100).unref();
  }
  setTimeout(() => {
    logger.error("in-flight requests did not finish within 30 s; exiting");
    process.exit(1);
  }, 30_000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
