import { statSync } from "node:fs";
import { Counter, Gauge, Registry } from "prom-client";
import type { Alerting } from "../alerts/engine.ts";
import { checkpointStats } from "../db/checkpointer.ts";
import type { Db } from "../db/database.ts";

/**
 * Figures read at scrape time, each with one cheap statement: open alerts (the partial index of open alerts),
 * the outbox backlog (the partial index of pending deliveries), the audit rules' evaluation lag (the marks
 * table and one primary-key lookup), the database size (SQLite's page count, PostgreSQL's pg_database_size),
 * the WAL file's size and this process's checkpoints and delivery attempts (counted in memory). No statement
 * scans a table that grows with history: counts of delivered or dead deliveries come from the worker's own
 * counters, not from the outbox.
 *
 * A scrape waits at most the scrape timeout for the database; past it the database's figures (a registry of
 * their own) are left out and `modqc_metrics_database_ok` is 0, so a slow database never makes the scrape
 * itself time out, and no stale or zero value stands in for a figure that was not read.
 */

export interface DatabaseFigures {
  /** Reads the figures; resolves with the database's exposition, or "" when it was not read in time. */
  refresh(timeoutMs: number): Promise<string>;
}

const SEVERITIES = ["info", "warning", "critical"] as const;
const OPEN_STATES = ["pending", "firing"] as const;

/** A gauge whose value is set at scrape time. */
function gauge(registry: Registry, name: string, help: string, labelNames: readonly string[] = []) {
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

/** A counter that mirrors a total kept elsewhere (set at scrape time). */
function mirroredCounter(registry: Registry, name: string, help: string, labelNames: readonly string[] = []) {
  return new Counter({ name, help, labelNames, registers: [registry] });
}

function setCounter(counter: Counter<string>, value: number, labels?: Record<string, string>): void {
  if (labels) {
    counter.remove(labels);
    counter.inc(labels, value);
  } else {
    counter.reset();
    counter.inc(value);
  }
}

export function databaseFigures(registry: Registry, db: Db, alerts: Alerting): DatabaseFigures {
  const ok = gauge(
    registry,
    "modqc_metrics_database_ok",
    "1 when this scrape read the database figures in time",
  );
  const fromDatabase = new Registry();
  const openAlerts = gauge(fromDatabase, "modqc_alerts_open", "Open alerts by severity and state", [
    "severity",
    "state",
  ]);
  const backlog = gauge(
    fromDatabase,
    "modqc_webhook_deliveries_pending",
    "Webhook deliveries waiting in the outbox",
  );
  const oldestPending = gauge(
    fromDatabase,
    "modqc_webhook_outbox_oldest_pending_seconds",
    "Age of the oldest pending webhook delivery (0 when none)",
  );
  const attempts = mirroredCounter(
    registry,
    "modqc_webhook_delivery_attempts_total",
    "Delivery attempts this instance recorded, by outcome (delivered, retry, failed, dead)",
    ["outcome"],
  );
  const refreshes = mirroredCounter(
    registry,
    "modqc_alertmanager_refreshes_total",
    "Re-sends of firing alerts to alertmanager-api webhooks by this instance, by outcome (sent, failed)",
    ["outcome"],
  );
  const unevaluated = gauge(
    fromDatabase,
    "modqc_alert_unevaluated_audits",
    "Audits stored that some enabled audit rule has not evaluated yet",
  );
  const lag = gauge(
    fromDatabase,
    "modqc_alert_evaluation_lag_seconds",
    "Age of the oldest audit some enabled audit rule has not evaluated yet (0 when none)",
  );
  const rollupBacklog = gauge(
    fromDatabase,
    "modqc_rollup_backlog_audits",
    "Audits stored above the rollups' watermark: read as rows by reports until the compactor rolls them up",
  );
  const size = gauge(
    fromDatabase,
    "modqc_database_size_bytes",
    "Size of the database (SQLite file or PostgreSQL database)",
  );
  const sqlite = db.location.dialect === "sqlite" && db.location.file !== ":memory:";
  const wal = sqlite
    ? gauge(registry, "modqc_sqlite_wal_size_bytes", "Size of the SQLite WAL file")
    : undefined;
  const checkpoints = sqlite
    ? {
        count: mirroredCounter(
          registry,
          "modqc_sqlite_checkpoints_total",
          "WAL checkpoints that found new frames",
        ),
        seconds: mirroredCounter(
          registry,
          "modqc_sqlite_checkpoint_seconds_total",
          "Time spent in those checkpoints",
        ),
        incomplete: mirroredCounter(
          registry,
          "modqc_sqlite_checkpoints_incomplete_total",
          "Checkpoints that could not copy every frame (readers or a writer held some back)",
        ),
        max: gauge(registry, "modqc_sqlite_checkpoint_max_seconds", "The longest checkpoint since the start"),
      }
    : undefined;

  async function read(now: number): Promise<void> {
    const rows = await db.all<{ severity: string; state: string; n: number }>(
      "SELECT severity, state, COUNT(*) AS n FROM alerts WHERE state <> 'resolved' GROUP BY severity, state",
    );
    openAlerts.reset();
    for (const severity of SEVERITIES)
      for (const state of OPEN_STATES) openAlerts.set({ severity, state }, 0);
    for (const row of rows) openAlerts.set({ severity: row.severity, state: row.state }, Number(row.n));

    const pending = await db.get<{ n: number; oldest: number | null }>(
      "SELECT COUNT(*) AS n, MIN(created_ms) AS oldest FROM webhook_deliveries WHERE status = 'pending'",
    );
    backlog.set(Number(pending?.n ?? 0));
    oldestPending.set(pending?.oldest == null ? 0 : Math.max(0, (now - Number(pending.oldest)) / 1000));

    const rollups = await db.get<{ n: number | null }>(
      "SELECT (SELECT MAX(seq) FROM audits) - (SELECT upto FROM rollup_watermark) AS n",
    );
    rollupBacklog.set(Number(rollups?.n ?? 0));

    const mark = await db.get<{ seq: number | null }>("SELECT MIN(audit_seq) AS seq FROM alert_audit_marks");
    const behind =
      mark?.seq == null
        ? undefined
        : await db.get<{ seq: number; ingested: number; last: number }>(
            `SELECT seq, ingested_at AS ingested, (SELECT MAX(seq) FROM audits) AS last
             FROM audits WHERE seq > ? ORDER BY seq LIMIT 1`,
            [mark.seq],
          );
    unevaluated.set(behind ? Number(behind.last) - Number(mark!.seq) : 0);
    lag.set(behind ? Math.max(0, (now - Number(behind.ingested)) / 1000) : 0);

    if (db.location.dialect === "postgres") {
      const row = await db.get<{ bytes: number }>("SELECT pg_database_size(current_database()) AS bytes");
      size.set(Number(row?.bytes ?? 0));
    } else {
      const pages = await db.get<{ page_count: number }>("PRAGMA page_count");
      const pageSize = await db.get<{ page_size: number }>("PRAGMA page_size");
      size.set(Number(pages?.page_count ?? 0) * Number(pageSize?.page_size ?? 0));
    }
  }

  /** Figures this process keeps in memory: no database, no timeout. */
  function inMemory(): void {
    const worker = alerts.worker;
    for (const [outcome, value] of Object.entries(worker.attemptOutcomes))
      setCounter(attempts, value, { outcome });
    for (const [outcome, value] of Object.entries(worker.refreshOutcomes))
      setCounter(refreshes, value, { outcome });
    if (wal && db.location.dialect === "sqlite") {
      let bytes = 0;
      try {
        bytes = statSync(`${db.location.file}-wal`).size;
      } catch {
        // no WAL file at the moment (after a clean close, or before the first write)
      }
      wal.set(bytes);
    }
    const stats = checkpoints && checkpointStats(db);
    if (checkpoints && stats) {
      setCounter(checkpoints.count, stats.count);
      setCounter(checkpoints.seconds, stats.seconds);
      setCounter(checkpoints.incomplete, stats.incomplete);
      checkpoints.max.set(stats.maxSeconds);
    }
  }

  return {
    async refresh(timeoutMs) {
      inMemory();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeoutMs);
      });
      try {
        const outcome = await Promise.race([read(alerts.now()).then(() => "read" as const), timedOut]);
        ok.set(outcome === "read" ? 1 : 0);
        return outcome === "read" ? await fromDatabase.metrics() : "";
      } catch {
        ok.set(0);
        return "";
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
