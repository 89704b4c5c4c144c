import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { Checkpointer } from "../../src/db/checkpointer.ts";
import type { Db } from "../../src/db/database.ts";
import { openDatabase } from "../../src/db/open.ts";
import { AppMetrics } from "../../src/metrics/metrics.ts";
import { onPostgres } from "../database.ts";
import { startReceiver, type TestContext, testContext } from "../helpers.ts";
import { verdictPath, workContext } from "../work/fixture.ts";

const TOKEN = "a-metrics-token-of-32-characters";
const LOOPBACK = { incoming: { socket: { remoteAddress: "127.0.0.1" } } };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** GET /metrics as if from `remoteAddress` (the Node socket @hono/node-server hands the app). */
async function scrape(
  ctx: TestContext,
  options: { remoteAddress?: string; headers?: Record<string, string> } = {},
) {
  const env = { incoming: { socket: { remoteAddress: options.remoteAddress ?? "127.0.0.1" } } };
  const res = await ctx.app.request("/metrics", { headers: options.headers }, env);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The value of the sample `name{labels}` in an exposition, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (.+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[3] ?? "").matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[4]);
  }
  return undefined;
}

describe("GET /metrics access", () => {
  it("by default serves loopback connections only, and refuses requests a proxy relayed", async () => {
    const ctx = await testContext();
    expect(ctx.config.metrics.mode).toBe("loopback");
    const ok = await scrape(ctx);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect((await scrape(ctx, { remoteAddress: "::1" })).status).toBe(200);
    expect((await scrape(ctx, { remoteAddress: "::ffff:127.0.0.1" })).status).toBe(200);
    for (const remoteAddress of ["10.0.0.7", "192.168.1.2", "::ffff:10.0.0.7", "2001:db8::1"]) {
      const res = await scrape(ctx, { remoteAddress });
      expect({ remoteAddress, status: res.status }).toEqual({ remoteAddress, status: 403 });
      expect(JSON.parse(res.text).error.code).toBe("forbidden");
    }
    const relayed: Record<string, string>[] = [
      { "x-forwarded-for": "203.0.113.9" },
      { forwarded: "for=203.0.113.9" },
    ];
    for (const headers of relayed) {
      expect((await scrape(ctx, { headers })).status).toBe(403);
    }
    // A key of the API is no way in: metrics have their own access.
    expect(
      (
        await scrape(ctx, {
          remoteAddress: "10.0.0.7",
          headers: { authorization: `Bearer ${ctx.keys.admin}` },
        })
      ).status,
    ).toBe(403);
  });

  it("with a token: only the exact bearer token, from anywhere; 401 says how", async () => {
    const ctx = await testContext({ MODQC_METRICS_TOKEN: TOKEN });
    expect(ctx.config.metrics.mode).toBe("token");
    const cases: [Record<string, string>, number][] = [
      [{}, 401],
      [{ authorization: `Bearer ${TOKEN}x` }, 401],
      [{ authorization: `Bearer ${TOKEN.slice(0, -1)}` }, 401],
      [{ authorization: TOKEN }, 401],
      [{ authorization: `Basic ${TOKEN}` }, 401],
      [{ authorization: `Bearer ${ctx.keys.admin}` }, 401],
      [{ authorization: `Bearer ${TOKEN}` }, 200],
      [{ authorization: `bearer ${TOKEN}` }, 200],
    ];
    for (const [headers, status] of cases) {
      const res = await scrape(ctx, { remoteAddress: "203.0.113.9", headers });
      expect({ headers, status: res.status }).toEqual({ headers, status });
      if (status === 401) expect(res.headers.get("www-authenticate")).toContain("Bearer");
    }
  });

  it("MODQC_METRICS=off: no route (404) and no request is measured", async () => {
    const ctx = await testContext({ MODQC_METRICS: "off" });
    const res = await scrape(ctx);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text).error.code).toBe("not_found");
  });

  it("refuses configurations that cannot work", () => {
    for (const env of [
      { MODQC_METRICS: "token" },
      { MODQC_METRICS: "public" },
      { MODQC_METRICS_TOKEN: "short" },
      { MODQC_METRICS_TIMEOUT_MS: "0" },
    ])
      expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(loadConfig({ MODQC_METRICS: "loopback", MODQC_METRICS_TOKEN: TOKEN }).metrics.mode).toBe(
      "loopback",
    );
  });

  it("over a real socket: a loopback client is served", async () => {
    const ctx = await testContext();
    const server = serve({ fetch: ctx.app.fetch, port: 0, hostname: "127.0.0.1" });
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("process_cpu_user_seconds_total");
  });
});

describe("GET /metrics figures", () => {
  it("counts requests by route template and status, never by raw URL", async () => {
    const ctx = await testContext();
    await ctx.call("GET", "/v1/audits/secret-audit-id-123/history", { key: ctx.keys.lead });
    await ctx.call("GET", "/v1/audits/another-id/history", { key: ctx.keys.lead });
    await ctx.call("GET", "/no/such/path/42");
    await ctx.call("GET", "/v1/me");
    const { text } = await scrape(ctx);
    expect(text).not.toContain("secret-audit-id-123");
    expect(text).not.toContain("/no/such/path");
    expect(
      sample(text, "modqc_http_requests_total", {
        method: "GET",
        route: "/v1/audits/:id/history",
        status: "404",
      }),
    ).toBe(2);
    expect(sample(text, "modqc_http_requests_total", { route: "unmatched", status: "404" })).toBe(1);
    expect(sample(text, "modqc_http_requests_total", { route: "/v1/me", status: "401" })).toBe(1);
    expect(
      sample(text, "modqc_http_request_duration_seconds_bucket", {
        route: "/v1/audits/:id/history",
        le: "+Inf",
      }),
    ).toBe(2);
    expect(sample(text, "modqc_http_request_duration_seconds_count", { route: "/v1/me" })).toBe(1);
    expect(text).toContain("# TYPE modqc_http_request_duration_seconds histogram");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
  });

  it("audits ingested (duplicates not counted), open alerts by severity, the outbox backlog and attempts", async () => {
    const ctx = await testContext({ MODQC_WEBHOOK_ALLOW_HOSTS: "127.0.0.1" });
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const now = Date.now();
    const audits = Array.from({ length: 20 }, (_, i) => ({
      id: `mx${i}`,
      decisionId: `d${i}`,
      queue: "hate",
      moderator: "m1",
      auditor: "alice",
      outcome: i < 10 ? "incorrect" : "correct",
      ...(i < 10 ? { errorType: "false-positive" } : {}),
      auditedAt: new Date(now - 3_600_000).toISOString(),
    }));
    await ctx.call("POST", "/v1/webhooks", { key: ctx.keys.admin, json: { url: receiver.url } });
    await ctx.call("POST", "/v1/alert-rules", {
      key: ctx.keys.lead,
      json: {
        name: "Errors",
        condition: { kind: "threshold", maxRate: 0.1, window: { days: 1 } },
        severity: "warning",
      },
    });
    let text = (await scrape(ctx)).text;
    expect(sample(text, "modqc_audits_ingested_total")).toBe(0);
    expect(sample(text, "modqc_alerts_open", { severity: "warning", state: "firing" })).toBe(0);

    expect((await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: audits })).status).toBe(200);
    expect((await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: audits })).status).toBe(200);
    await ctx.alerts.flush();
    text = (await scrape(ctx)).text;
    expect(sample(text, "modqc_audits_ingested_total")).toBe(20);
    expect(sample(text, "modqc_alerts_open", { severity: "warning", state: "firing" })).toBe(1);
    expect(sample(text, "modqc_alerts_open", { severity: "critical", state: "firing" })).toBe(0);
    expect(sample(text, "modqc_webhook_deliveries_pending")).toBe(1);
    expect(sample(text, "modqc_webhook_outbox_oldest_pending_seconds")).toBeGreaterThanOrEqual(0);
    expect(sample(text, "modqc_metrics_database_ok")).toBe(1);
    expect(sample(text, "modqc_database_size_bytes")).toBeGreaterThan(0);
    // No compactor runs in this app: the 20 audits are above the rollups' watermark.
    expect(sample(text, "modqc_rollup_backlog_audits")).toBe(20);

    await ctx.alerts.worker.runDue();
    text = (await scrape(ctx)).text;
    expect(sample(text, "modqc_webhook_deliveries_pending")).toBe(0);
    expect(sample(text, "modqc_webhook_delivery_attempts_total", { outcome: "delivered" })).toBe(1);
    expect(sample(text, "modqc_webhook_delivery_attempts_total", { outcome: "dead" })).toBe(0);
  });

  it("verdicts recorded: the verdict PUTs answered 2xx (new and re-sent), not the refused ones", async () => {
    const ctx = await workContext(6);
    const [mine] = ctx.itemsOf("alice");
    const [bobs] = ctx.itemsOf("bob");
    const put = (item: string) =>
      ctx.call("PUT", verdictPath(ctx.sample, item), { key: ctx.keys.auditor, json: { outcome: "correct" } });
    expect((await put(mine.id)).status).toBe(201);
    expect((await put(mine.id)).status).toBe(200); // unchanged: answered, nothing new stored
    expect((await put(bobs.id)).status).toBeGreaterThanOrEqual(400);
    const { text } = await scrape(ctx);
    expect(sample(text, "modqc_verdicts_recorded_total")).toBe(2);
    expect(sample(text, "modqc_audits_ingested_total")).toBe(1);
    expect(text).toMatch(
      /modqc_http_requests_total\{method="PUT",route="\/v1\/samples\/:[a-zA-Z]+\/items\/:[a-zA-Z]+\/verdict",status="201"\} 1/,
    );
    expect(text).not.toContain(mine.id);
  });

  it("the evaluation lag of audit rules: audits stored above the lowest rule mark, and the oldest one's age", async () => {
    const ctx = await testContext();
    const rule = await ctx.call("POST", "/v1/alert-rules", {
      key: ctx.keys.lead,
      json: { name: "Critical audits", condition: { kind: "audit", minSeverity: 4 }, severity: "critical" },
    });
    expect(rule.status).toBe(201);
    let text = (await scrape(ctx)).text;
    expect(sample(text, "modqc_alert_unevaluated_audits")).toBe(0);
    expect(sample(text, "modqc_alert_evaluation_lag_seconds")).toBe(0);
    // Stored behind the engine's back: nothing evaluates them until the next flush.
    await ctx.db.run(
      `INSERT INTO audits (id, decision_id, queue, moderator, auditor, outcome, audited_at, audited_ms, ingested_at)
       VALUES ('lag1', 'd1', 'hate', 'm', 'alice', 'correct', '2026-01-01T00:00:00Z', 0, ?)`,
      [Date.now() - 5_000],
    );
    text = (await scrape(ctx)).text;
    expect(sample(text, "modqc_alert_unevaluated_audits")).toBe(1);
    expect(sample(text, "modqc_alert_evaluation_lag_seconds")).toBeGreaterThanOrEqual(4);
  });

  it("answers within the scrape timeout when the database is slow, without its figures", async () => {
    const ctx = await testContext({ MODQC_METRICS_TIMEOUT_MS: "50" });
    const slow = new Proxy(ctx.db, {
      get(target, property, receiver) {
        if (property === "all" || property === "get")
          return (...args: unknown[]) =>
            new Promise((resolve) => setTimeout(resolve, 2_000)).then(() =>
              Reflect.apply(Reflect.get(target, property, receiver), target, args),
            );
        return Reflect.get(target, property, receiver);
      },
    }) as Db;
    const metrics = new AppMetrics(slow, ctx.alerts, 50);
    const started = performance.now();
    const text = await metrics.exposition();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(sample(text, "modqc_metrics_database_ok")).toBe(0);
    expect(sample(text, "modqc_alerts_open")).toBeUndefined();
    expect(sample(text, "modqc_database_size_bytes")).toBeUndefined();
  });
});

describe.skipIf(onPostgres)("SQLite file figures (SQLite only: PostgreSQL has no WAL file here)", () => {
  it("the WAL's size and the checkpoint worker's timings", async () => {
    const dir = mkdtempSync(join(tmpdir(), "modqc-metrics-"));
    const db = await openDatabase({ dataDir: dir });
    const checkpointer = Checkpointer.start(db, { info: () => {}, error: () => {} });
    cleanups.push(async () => {
      await checkpointer?.stop();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const ctx = await testContext({}, undefined, db);
    const audits = Array.from({ length: 200 }, (_, i) => ({
      id: `wal${i}`,
      decisionId: `d${i}`,
      queue: "hate",
      moderator: "m1",
      auditor: "alice",
      outcome: "correct",
      auditedAt: "2026-01-01T00:00:00Z",
    }));
    expect((await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: audits })).status).toBe(200);
    let text = "";
    await expect
      .poll(
        async () => {
          text = await (await ctx.app.request("/metrics", {}, LOOPBACK)).text();
          return sample(text, "modqc_sqlite_checkpoints_total") ?? 0;
        },
        { timeout: 5_000 },
      )
      .toBeGreaterThan(0);
    expect(sample(text, "modqc_sqlite_wal_size_bytes")).toBeGreaterThan(0);
    expect(sample(text, "modqc_sqlite_checkpoint_seconds_total")).toBeGreaterThan(0);
    expect(sample(text, "modqc_sqlite_checkpoint_max_seconds")).toBeGreaterThan(0);
    expect(sample(text, "modqc_database_size_bytes")).toBeGreaterThan(4096);
  });
});
