import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { alertmanagerAlertsUrl } from "../../src/alerts/alertmanager-refresh.ts";
import { migrations } from "../../src/db/migrations.ts";
import { migrate } from "../../src/db/open.ts";
import { SqliteDb } from "../../src/db/sqlite.ts";
import { onPostgres } from "../database.ts";
import { startReceiver, type TestContext, testContext } from "../helpers.ts";

const ALERTMANAGER = "/usr/bin/prometheus-alertmanager";
const HOUR = 3_600_000;
const REFRESH_MS = 60_000;

let counter = 0;
function audits(n: number, errors: number, at: number) {
  return Array.from({ length: n }, (_, i) => {
    const id = `am${counter++}`;
    return {
      id,
      decisionId: `d-${id}`,
      queue: "hate",
      moderator: "m1",
      auditor: "alice",
      outcome: i < errors ? "incorrect" : "correct",
      ...(i < errors ? { errorType: "false-positive" } : {}),
      auditedAt: new Date(at).toISOString(),
    };
  });
}

/** A context on the real clock (Alertmanager compares startsAt/endsAt with its own), loopback allowed. */
function context() {
  return testContext({
    MODQC_WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
    MODQC_WEBHOOK_BACKOFF_MS: "10",
    MODQC_WEBHOOK_TIMEOUT_MS: "2000",
    MODQC_PUBLIC_URL: "https://modqc.example.com",
    MODQC_ALERTMANAGER_REFRESH_MS: String(REFRESH_MS),
  });
}

/** A webhook to `url` and a critical rule on the hate queue; then a spike of errors makes it fire. */
async function firingAlert(ctx: TestContext, url: string) {
  const hook = await ctx.call("POST", "/v1/webhooks", {
    key: ctx.keys.admin,
    json: { url, format: "alertmanager-api" },
  });
  expect(hook.status).toBe(201);
  expect(hook.body.events).toEqual(["alert.firing", "alert.resolved"]);
  const rule = await ctx.call("POST", "/v1/alert-rules", {
    key: ctx.keys.lead,
    json: {
      name: "Hate queue error rate",
      scope: { queue: "hate" },
      groupBy: ["moderator"],
      condition: { kind: "threshold", maxRate: 0.1, window: { days: 1 } },
      severity: "critical",
    },
  });
  expect(rule.status).toBe(201);
  const posted = await ctx.call("POST", "/v1/audits", {
    key: ctx.keys.lead,
    json: audits(20, 10, Date.now() - HOUR),
  });
  expect(posted.status).toBe(200);
  await ctx.alerts.flush();
  const [alert] = (await ctx.call("GET", "/v1/alerts", { key: ctx.keys.viewer })).body.alerts;
  expect(alert.state).toBe("firing");
  return { hookId: hook.body.id as string, ruleId: rule.body.id as string, alert };
}

async function deleteRule(ctx: TestContext, ruleId: string) {
  expect((await ctx.call("DELETE", `/v1/alert-rules/${ruleId}`, { key: ctx.keys.lead })).status).toBe(200);
}

describe("alertmanager-api webhooks (any receiver)", () => {
  const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
  });

  it("the URL may name the Alertmanager's base (with or without a path prefix) or its alerts endpoint", () => {
    for (const [given, target] of [
      ["http://am:9093", "http://am:9093/api/v2/alerts"],
      ["http://am:9093/", "http://am:9093/api/v2/alerts"],
      ["https://ops.example.com/alertmanager/", "https://ops.example.com/alertmanager/api/v2/alerts"],
      ["http://am:9093/api/v2/alerts", "http://am:9093/api/v2/alerts"],
      ["http://am:9093/api/v2/alerts/", "http://am:9093/api/v2/alerts/"],
    ])
      expect({ given, target: alertmanagerAlertsUrl(given).href }).toEqual({ given, target });
  });

  it("refuses events Alertmanager cannot express and URLs other webhooks may not use", async () => {
    const { call, keys } = await testContext();
    for (const [json, path] of [
      [{ url: "https://am.example.com", format: "alertmanager-api", events: ["dispute.opened"] }, "events.0"],
      [{ url: "https://user:pw@am.example.com", format: "alertmanager-api" }, "url"],
      [{ url: "ftp://am.example.com", format: "alertmanager-api" }, "url"],
    ] as const) {
      const res = await call("POST", "/v1/webhooks", { key: keys.admin, json });
      expect({ json, status: res.status }).toEqual({ json, status: 400 });
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
  });

  it("posts an array of postable alerts: firing without endsAt, resolved with it; refreshes carry a horizon", async () => {
    const ctx = await context();
    const rcv = await startReceiver();
    receivers.push(rcv);
    const base = rcv.url.replace(/\/hook$/, "");
    const { ruleId, alert } = await firingAlert(ctx, base);
    expect(await ctx.alerts.worker.runDue()).toBe(1);
    expect(rcv.requests[0].url).toBe("/api/v2/alerts");
    const [firing] = JSON.parse(rcv.requests[0].body);
    expect(firing).toEqual({
      labels: {
        alertname: "Hate queue error rate",
        severity: "critical",
        rule_id: ruleId,
        queue: "hate",
        moderator: "m1",
      },
      annotations: {
        summary: expect.stringContaining("Hate queue error rate"),
        description: expect.stringContaining("Wilson interval"),
        evidence: expect.stringMatching(/^https:\/\/modqc\.example\.com\/v1\/quality\?/),
      },
      startsAt: alert.firedAt,
      generatorURL: `https://modqc.example.com/alerts?alert=${alert.id}`,
    });

    const before = Date.now();
    expect(await ctx.alerts.worker.refreshAlertmanagers()).toBe(1);
    const refreshed = JSON.parse(rcv.requests[1].body);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0].labels).toEqual(firing.labels);
    expect(rcv.requests[1].headers["modqc-delivery"]).toMatch(/^refresh-/);
    const horizon = Date.parse(refreshed[0].endsAt) - before;
    expect(horizon).toBeGreaterThanOrEqual(4 * REFRESH_MS - 1000);
    expect(horizon).toBeLessThanOrEqual(4 * REFRESH_MS + 5000);

    // A pending delivery holds the refresh back: it must not overtake the resolution queued behind it.
    rcv.setHandler(() => ({ status: 503, headers: { "retry-after": "3600" } }));
    await deleteRule(ctx, ruleId);
    await ctx.alerts.worker.runDue();
    expect(rcv.requests).toHaveLength(3);
    expect(await ctx.alerts.worker.refreshAlertmanagers()).toBe(0);
    expect(rcv.requests).toHaveLength(3);
    const [resolved] = JSON.parse(rcv.requests[2].body);
    const [stored] = (await ctx.call("GET", "/v1/alerts", { key: ctx.keys.viewer })).body.alerts;
    expect(resolved).toMatchObject({
      labels: firing.labels,
      startsAt: alert.firedAt,
      endsAt: stored.resolvedAt,
    });
  });

  it("a refresh with no firing alert sends nothing; disabled webhooks and other formats are not refreshed", async () => {
    const ctx = await context();
    const rcv = await startReceiver();
    receivers.push(rcv);
    for (const format of ["alertmanager-api", "alertmanager", "modqc"]) {
      await ctx.call("POST", "/v1/webhooks", { key: ctx.keys.admin, json: { url: rcv.url, format } });
    }
    expect(await ctx.alerts.worker.refreshAlertmanagers()).toBe(1);
    expect(rcv.requests).toHaveLength(0);
    const { hookId } = await firingAlert(ctx, rcv.url);
    await ctx.alerts.worker.runDue();
    const sent = rcv.requests.length;
    await ctx.call("POST", `/v1/webhooks/${hookId}/disable`, { key: ctx.keys.admin });
    expect(await ctx.alerts.worker.refreshAlertmanagers()).toBe(1); // the first alertmanager-api webhook only
    expect(rcv.requests.length).toBe(sent + 1);
  });
});

describe.skipIf(onPostgres)("migration 10 (SQLite only: PostgreSQL swaps the CHECK in place)", () => {
  it("rebuilds the outbox tables keeping every row, seq and foreign key, and admits the new format", async () => {
    const connection = new Database(":memory:");
    connection.pragma("foreign_keys = ON");
    for (const migration of migrations.slice(0, 9)) {
      connection.exec(migration.sqlite);
      connection.pragma(`user_version = ${migration.version}`);
    }
    connection.exec(`
      INSERT INTO webhooks VALUES ('w1', 'https://h.example.com', '["alert.firing"]', 'alertmanager', 's', 1, NULL, 1, 1);
      INSERT INTO webhooks VALUES ('w2', 'https://h.example.com', '["alert.firing"]', 'slack', 's', 0, 'admin', 2, 2);
      INSERT INTO webhook_deliveries (seq, id, webhook_id, event, body, status, attempts, created_ms, next_attempt_ms)
        VALUES (7, 'd1', 'w1', 'alert.firing', '{}', 'pending', 1, 5, 6);
      INSERT INTO webhook_deliveries (seq, id, webhook_id, event, body, status, created_ms, finished_ms)
        VALUES (9, 'd2', 'w2', 'alert.firing', '[]', 'delivered', 5, 6);
      INSERT INTO webhook_attempts VALUES ('d1', 1, 5, 1.5, 503, 'HTTP 503', 'retry');
    `);
    const db = new SqliteDb(connection, { dialect: "sqlite", file: ":memory:", synchronous: "NORMAL" });
    await migrate(db);
    expect(connection.pragma("user_version", { simple: true })).toBe(migrations.length);
    expect(await db.all("SELECT id, format, enabled, created_by FROM webhooks ORDER BY id")).toEqual([
      { id: "w1", format: "alertmanager", enabled: 1, created_by: null },
      { id: "w2", format: "slack", enabled: 0, created_by: "admin" },
    ]);
    expect(await db.all("SELECT seq, id, status FROM webhook_deliveries ORDER BY seq")).toEqual([
      { seq: 7, id: "d1", status: "pending" },
      { seq: 9, id: "d2", status: "delivered" },
    ]);
    expect(await db.all("SELECT delivery_id, outcome FROM webhook_attempts")).toEqual([
      { delivery_id: "d1", outcome: "retry" },
    ]);
    expect(connection.pragma("foreign_key_check")).toEqual([]);
    const sql = (name: string) =>
      (connection.prepare("SELECT sql FROM sqlite_schema WHERE name = ?").get(name) as { sql: string }).sql;
    expect(sql("webhook_deliveries")).toMatch(/REFERENCES "?webhooks"? \(id\)/);
    expect(sql("webhook_attempts")).toMatch(/REFERENCES "?webhook_deliveries"? \(id\)/);
    expect(sql("webhook_deliveries_pending")).toContain("WHERE status = 'pending'");
    await db.run(
      `INSERT INTO webhooks VALUES ('w3', 'https://am.example.com', '[]', 'alertmanager-api', 's', 1, NULL, 3, 3)`,
    );
    expect(() =>
      connection.exec(`INSERT INTO webhooks VALUES ('w4', 'https://x', '[]', 'teams', 's', 1, NULL, 3, 3)`),
    ).toThrow(/CHECK/);
    // The cascades still hold: a webhook takes its deliveries and their attempts with it.
    await db.run("DELETE FROM webhooks WHERE id = 'w1'");
    expect(await db.all("SELECT id FROM webhook_deliveries")).toEqual([{ id: "d2" }]);
    expect(await db.all("SELECT * FROM webhook_attempts")).toEqual([]);
    await db.close();
  });
});

/** A free loopback port (closed again at once: Alertmanager binds it next). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  status: { state: string };
}

describe.skipIf(!existsSync(ALERTMANAGER))(
  `a real Alertmanager (${existsSync(ALERTMANAGER) ? ALERTMANAGER : "absent: install the Debian package prometheus-alertmanager"})`,
  () => {
    let dir = "";
    let base = "";
    let child: ChildProcess | undefined;
    let output = "";
    /** Alertmanager's resolve_timeout here: an alert nobody re-sends ends this long after it arrived. */
    const RESOLVE_TIMEOUT_S = 2;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "modqc-am-"));
      writeFileSync(
        join(dir, "alertmanager.yml"),
        `global:\n  resolve_timeout: ${RESOLVE_TIMEOUT_S}s\nroute:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n`,
      );
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      child = spawn(
        ALERTMANAGER,
        [
          `--config.file=${join(dir, "alertmanager.yml")}`,
          `--storage.path=${join(dir, "data")}`,
          `--web.listen-address=127.0.0.1:${port}`,
          "--cluster.listen-address=",
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      child.stdout?.on("data", (chunk) => (output += chunk));
      child.stderr?.on("data", (chunk) => (output += chunk));
      const deadline = Date.now() + 20_000;
      for (;;) {
        try {
          if ((await fetch(`${base}/-/ready`)).ok) break;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`Alertmanager did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }, 30_000);

    afterAll(async () => {
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child!.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const activeAlerts = async (): Promise<AmAlert[]> => {
      const res = await fetch(`${base}/api/v2/alerts?active=true&silenced=false&inhibited=false`);
      expect(res.status).toBe(200);
      return (await res.json()) as AmAlert[];
    };

    it("a modqc alert becomes active, stays active past resolve_timeout while refreshed, then is resolved", async () => {
      const ctx = await context();
      const { ruleId, alert } = await firingAlert(ctx, base);
      expect(await ctx.alerts.worker.runDue()).toBe(1);
      const [delivery] = (
        await ctx.call(
          "GET",
          `/v1/webhooks/${(await ctx.call("GET", "/v1/webhooks", { key: ctx.keys.admin })).body.webhooks[0].id}/deliveries`,
          { key: ctx.keys.admin },
        )
      ).body.deliveries;
      expect({ status: delivery.status, code: delivery.lastStatusCode }).toEqual({
        status: "delivered",
        code: 200,
      });

      let active = await activeAlerts();
      expect(active).toHaveLength(1);
      expect(active[0]).toMatchObject({
        labels: {
          alertname: "Hate queue error rate",
          severity: "critical",
          rule_id: ruleId,
          queue: "hate",
          moderator: "m1",
        },
        annotations: { summary: expect.stringContaining("Hate queue error rate") },
        startsAt: expect.any(String),
        generatorURL: `https://modqc.example.com/alerts?alert=${alert.id}`,
        status: { state: "active" },
      });
      expect(Date.parse(active[0].startsAt)).toBe(Date.parse(alert.firedAt));
      // Without a refresh Alertmanager would end it RESOLVE_TIMEOUT_S after receipt.
      expect(Date.parse(active[0].endsAt) - Date.now()).toBeLessThanOrEqual(RESOLVE_TIMEOUT_S * 1000);

      expect(await ctx.alerts.worker.refreshAlertmanagers()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, (RESOLVE_TIMEOUT_S + 1) * 1000));
      active = await activeAlerts();
      expect(active).toHaveLength(1);
      expect(Date.parse(active[0].endsAt) - Date.now()).toBeGreaterThan(3 * REFRESH_MS);

      await deleteRule(ctx, ruleId); // resolves the alert: alert.resolved with endsAt = its resolution
      expect(await ctx.alerts.worker.runDue()).toBe(1);
      expect(await activeAlerts()).toEqual([]);
      expect(await ctx.alerts.worker.refreshAlertmanagers()).toBe(1); // nothing firing: nothing re-sent
      expect(await activeAlerts()).toEqual([]);
    }, 30_000);
  },
);
