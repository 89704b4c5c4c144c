import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AddressRefused,
  checkWebhookUrl,
  isRestrictedAddress,
  parseAllowList,
  resolveDestination,
} from "../../src/alerts/address.ts";
import { signatureHeader, verifySignature } from "../../src/alerts/signature.ts";
import { retryAfterMs } from "../../src/alerts/worker.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { WEBHOOK_EVENTS } from "../../src/db/webhooks.ts";
import { startReceiver, type TestContext, testContext } from "../helpers.ts";

const HOUR = 3_600_000;
const NOW = Date.parse("2026-11-24T12:00:00Z");
type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

async function receiver(respond?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}

/** A context whose worker may reach 127.0.0.1, with a fast backoff (10 ms base, jitter pinned at the ceiling). */
async function context(env: Record<string, string> = {}) {
  const clock = { now: NOW };
  const ctx = await testContext(
    {
      MODQC_WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
      MODQC_WEBHOOK_BACKOFF_MS: "10",
      MODQC_WEBHOOK_TIMEOUT_MS: "300",
      MODQC_PUBLIC_URL: "https://modqc.example.com",
      ...env,
    },
    { now: () => clock.now, random: () => 1 },
  );
  return { ...ctx, clock };
}

let counter = 0;
function audits(n: number, errors: number, at: number, queue = "hate") {
  return Array.from({ length: n }, (_, i) => {
    const id = `w${counter++}`;
    return {
      id,
      decisionId: `d-${id}`,
      queue,
      moderator: "m1",
      auditor: "alice",
      outcome: i < errors ? "incorrect" : "correct",
      ...(i < errors ? { errorType: "false-positive" } : {}),
      auditedAt: new Date(at).toISOString(),
    };
  });
}

async function spike(ctx: TestContext & { clock: { now: number } }, queue = "hate") {
  const res = await ctx.call("POST", "/v1/audits", {
    key: ctx.keys.lead,
    json: audits(20, 10, ctx.clock.now - HOUR, queue),
  });
  expect(res.status).toBe(200);
  await ctx.alerts.flush();
}

async function setup(ctx: TestContext, url: string, hook: object = {}) {
  const created = await ctx.call("POST", "/v1/webhooks", { key: ctx.keys.admin, json: { url, ...hook } });
  expect(created.status).toBe(201);
  const rule = await ctx.call("POST", "/v1/alert-rules", {
    key: ctx.keys.lead,
    json: {
      name: "Hate queue error rate",
      scope: { queue: "hate" },
      condition: { kind: "threshold", maxRate: 0.1, window: { days: 1 } },
      severity: "critical",
    },
  });
  expect(rule.status).toBe(201);
  return created.body as { id: string; secret: string };
}

async function deliveries(ctx: TestContext, hookId: string) {
  const res = await ctx.call("GET", `/v1/webhooks/${hookId}/deliveries`, { key: ctx.keys.admin });
  expect(res.status).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers the test asserts on
  return res.body.deliveries as Record<string, any>[];
}

describe("webhooks API", () => {
  it("an admin registers a webhook; the secret is shown once and never again", async () => {
    const { call, keys } = await testContext();
    const res = await call("POST", "/v1/webhooks", {
      key: keys.admin,
      json: { url: "https://hooks.example.com/x" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      url: "https://hooks.example.com/x",
      format: "modqc",
      events: [...WEBHOOK_EVENTS], // every event by default (issue 14 added the dispute events)
      enabled: true,
    });
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const list = await call("GET", "/v1/webhooks", { key: keys.admin });
    expect(list.body.webhooks).toHaveLength(1);
    expect(list.text).not.toContain(res.body.secret);
    const one = await call("GET", `/v1/webhooks/${res.body.id}`, { key: keys.admin });
    expect(one.text).not.toContain(res.body.secret);
    expect(one.body).not.toHaveProperty("secret");

    const own = await call("POST", "/v1/webhooks", {
      key: keys.admin,
      json: { url: "http://hooks.example.com/am", format: "alertmanager", secret: "a-shared-secret-of-16+" },
    });
    expect(own.body).toMatchObject({
      secret: "a-shared-secret-of-16+",
      events: ["alert.firing", "alert.resolved"],
    });

    const disabled = await call("POST", `/v1/webhooks/${res.body.id}/disable`, { key: keys.admin });
    expect(disabled.body.enabled).toBe(false);
    const enabled = await call("PATCH", `/v1/webhooks/${res.body.id}`, {
      key: keys.admin,
      json: { enabled: true, events: ["alert.firing"] },
    });
    expect(enabled.body).toMatchObject({ enabled: true, events: ["alert.firing"] });
    expect((await call("DELETE", `/v1/webhooks/${res.body.id}`, { key: keys.admin })).status).toBe(200);
    expect((await call("GET", `/v1/webhooks/${res.body.id}`, { key: keys.admin })).status).toBe(404);
    expect((await call("GET", `/v1/webhooks/${res.body.id}/deliveries`, { key: keys.admin })).status).toBe(
      404,
    );
  });

  it("refuses other schemes, credentials in the URL, events a format cannot express; only admins", async () => {
    const { call, keys } = await testContext();
    const cases: [object, string][] = [
      [{ url: "ftp://hooks.example.com/x" }, "url"],
      [{ url: "file:///etc/passwd" }, "url"],
      [{ url: "https://user:pw@hooks.example.com/x" }, "url"],
      [{ url: "not a url" }, "url"],
      [{ url: "https://h.example.com", format: "alertmanager", events: ["calibration.closed"] }, "events.0"],
      [{ url: "https://h.example.com", events: ["alert.exploded"] }, "events.0"],
      [{ url: "https://h.example.com", events: [] }, "events"],
      [{ url: "https://h.example.com", secret: "short" }, "secret"],
      [{ url: "https://h.example.com", format: "teams" }, "format"],
    ];
    for (const [json, path] of cases) {
      const res = await call("POST", "/v1/webhooks", { key: keys.admin, json });
      expect({ json, status: res.status }).toEqual({ json, status: 400 });
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect(
      (await call("POST", "/v1/webhooks", { key: keys.lead, json: { url: "https://h.example.com" } })).status,
    ).toBe(403);
    expect((await call("GET", "/v1/webhooks", { key: keys.lead })).status).toBe(403);
  });
});

describe("destination address checks", () => {
  it("refuses loopback, private, link-local, CGNAT and reserved addresses, IPv4 and IPv6", () => {
    for (const address of [
      "127.0.0.1",
      "127.9.9.9",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::1",
      "::",
      "fc00::1",
      "fd12:3456::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::ffff:169.254.169.254",
      "64:ff9b::10.0.0.1",
    ])
      expect({ address, restricted: isRestrictedAddress(address) }).toEqual({ address, restricted: true });
    for (const address of ["93.184.216.34", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])
      expect({ address, restricted: isRestrictedAddress(address) }).toEqual({ address, restricted: false });
  });

  it("checks every address a name resolves to; MODQC_WEBHOOK_ALLOW_HOSTS admits hosts and CIDRs", async () => {
    const resolver = (answers: Record<string, string[]>) => async (host: string) =>
      (answers[host] ?? []).map((address) => ({ address, family: (address.includes(":") ? 6 : 4) as 4 | 6 }));
    const dns = resolver({
      "public.example": ["93.184.216.34"],
      "mixed.example": ["10.0.0.7", "93.184.216.34"],
      "localhost.example": ["::1", "127.0.0.1"],
      "inside.example": ["10.20.0.5"],
      "meta.example": ["169.254.169.254"],
    });
    const none = parseAllowList("");
    await expect(resolveDestination(new URL("https://public.example/x"), none, dns)).resolves.toEqual({
      address: "93.184.216.34",
      family: 4,
    });
    // A name with a private address next to a public one is pinned to the public one.
    await expect(resolveDestination(new URL("https://mixed.example"), none, dns)).resolves.toEqual({
      address: "93.184.216.34",
      family: 4,
    });
    for (const url of [
      "http://inside.example",
      "http://127.0.0.1:8080",
      "http://[::1]/",
      "http://meta.example",
      "http://localhost.example",
    ])
      await expect(resolveDestination(new URL(url), none, dns)).rejects.toBeInstanceOf(AddressRefused);
    const allow = parseAllowList(" inside.example , 10.0.0.0/24, [::1], 127.0.0.1");
    await expect(resolveDestination(new URL("http://inside.example"), allow, dns)).resolves.toBeDefined();
    await expect(resolveDestination(new URL("http://mixed.example"), allow, dns)).resolves.toBeDefined();
    await expect(resolveDestination(new URL("http://[::1]:9/"), allow, dns)).resolves.toBeDefined();
    await expect(resolveDestination(new URL("http://127.0.0.1:9/"), allow, dns)).resolves.toBeDefined();
    // localhost resolving to ::1 and 127.0.0.1 with only 127.0.0.1 allowed: the allowed one is used.
    await expect(
      resolveDestination(new URL("http://localhost.example:9/"), parseAllowList("127.0.0.1"), dns),
    ).resolves.toEqual({
      address: "127.0.0.1",
      family: 4,
    });
    await expect(resolveDestination(new URL("http://meta.example"), allow, dns)).rejects.toBeInstanceOf(
      AddressRefused,
    );
    expect(() => parseAllowList("10.0.0.0/33")).toThrow();
    expect(() => loadConfig({ MODQC_WEBHOOK_ALLOW_HOSTS: "bad/8" })).toThrow(ConfigError);
    expect(checkWebhookUrl("https://hooks.slack.com/services/T/B/x")).toBeUndefined();
  });

  it("a refused destination fails the delivery at once, without sending", async () => {
    const ctx = await context({ MODQC_WEBHOOK_ALLOW_HOSTS: "" });
    const rcv = await receiver();
    const hook = await setup(ctx, rcv.url);
    await spike(ctx);
    await ctx.alerts.worker.runDue();
    const [d] = await deliveries(ctx, hook.id);
    expect(d).toMatchObject({ status: "failed", attemptCount: 1, nextAttemptAt: null, lastStatusCode: null });
    expect(d.lastError).toContain("MODQC_WEBHOOK_ALLOW_HOSTS");
    expect(rcv.requests).toHaveLength(0);
  });
});

describe("delivery", () => {
  it("a spike fires exactly one alert and one signed delivery whose signature verifies", async () => {
    const ctx = await context();
    const rcv = await receiver();
    const hook = await setup(ctx, rcv.url);
    await spike(ctx);
    expect(await ctx.alerts.worker.runDue()).toBe(1);
    expect(rcv.requests).toHaveLength(1);
    const [request] = rcv.requests;
    const [d] = await deliveries(ctx, hook.id);
    expect(d).toMatchObject({
      status: "delivered",
      attemptCount: 1,
      lastStatusCode: 200,
      event: "alert.firing",
    });
    expect(d.attempts).toEqual([
      {
        attempt: 1,
        at: new Date(NOW).toISOString(),
        statusCode: 200,
        latencyMs: expect.any(Number),
        error: null,
        outcome: "delivered",
      },
    ]);
    expect(request.method).toBe("POST");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["modqc-event"]).toBe("alert.firing");
    expect(request.headers["modqc-delivery"]).toBe(d.id);
    const signature = request.headers["modqc-signature"] as string;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(signature).toBe(signatureHeader(hook.secret, request.body, Math.floor(NOW / 1000)));
    expect(verifySignature(hook.secret, request.body, signature, Math.floor(NOW / 1000))).toBe(true);
    expect(verifySignature(hook.secret, `${request.body} `, signature, Math.floor(NOW / 1000))).toBe(false);
    expect(verifySignature("whsec_wrong", request.body, signature, Math.floor(NOW / 1000))).toBe(false);
    const payload = JSON.parse(request.body);
    const alerts = (await ctx.call("GET", "/v1/alerts", { key: ctx.keys.viewer })).body.alerts;
    expect(alerts).toHaveLength(1);
    expect(payload).toEqual({
      event: "alert.firing",
      createdAt: new Date(NOW).toISOString(),
      alert: alerts[0],
      rule: {
        id: alerts[0].ruleId,
        name: "Hate queue error rate",
        severity: "critical",
        scope: { queue: "hate" },
        groupBy: [],
        kind: "threshold",
      },
      links: {
        alert: `https://modqc.example.com/v1/alerts/${alerts[0].id}`,
        evidence: `https://modqc.example.com${alerts[0].link}`,
      },
    });
    await spike(ctx); // still firing: no second notification
    expect(await ctx.alerts.worker.runDue()).toBe(0);
    expect(await deliveries(ctx, hook.id)).toHaveLength(1);
  });

  it("500 is retried after backoff with the same delivery id; the attempts are recorded", async () => {
    const ctx = await context();
    const rcv = await receiver((_, i) => ({ status: i < 2 ? 500 : 204 }));
    const hook = await setup(ctx, rcv.url);
    await spike(ctx);
    await ctx.alerts.worker.runDue();
    let [d] = await deliveries(ctx, hook.id);
    expect(d).toMatchObject({ status: "pending", attemptCount: 1, lastStatusCode: 500 });
    expect(d.nextAttemptAt).toBe(new Date(NOW + 10).toISOString()); // base 10 ms × 2⁰, jitter pinned at 1
    await ctx.alerts.worker.runDue();
    expect(rcv.requests).toHaveLength(1); // not due yet
    ctx.clock.now += 10;
    await ctx.alerts.worker.runDue();
    [d] = await deliveries(ctx, hook.id);
    expect(d.nextAttemptAt).toBe(new Date(ctx.clock.now + 20).toISOString()); // 10 ms × 2¹
    ctx.clock.now += 20;
    await ctx.alerts.worker.runDue();
    [d] = await deliveries(ctx, hook.id);
    expect(d).toMatchObject({
      status: "delivered",
      attemptCount: 3,
      lastStatusCode: 204,
      nextAttemptAt: null,
    });
    expect(d.attempts.map((a: { outcome: string; statusCode: number }) => [a.outcome, a.statusCode])).toEqual(
      [
        ["retry", 500],
        ["retry", 500],
        ["delivered", 204],
      ],
    );
    expect(d.attempts[0].error).toContain("HTTP 500");
    expect(new Set(rcv.requests.map((r) => r.headers["modqc-delivery"]))).toEqual(new Set([d.id]));
    expect(new Set(rcv.requests.map((r) => r.body)).size).toBe(1);
  });

  it("a receiver that does not answer within the timeout is retried", async () => {
    const ctx = await context();
    const rcv = await receiver((_, i) => ({ status: 200, delayMs: i === 0 ? 2_000 : 0 }));
    const hook = await setup(ctx, rcv.url);
    await spike(ctx);
    await ctx.alerts.worker.runDue();
    let [d] = await deliveries(ctx, hook.id);
    expect(d).toMatchObject({ status: "pending", attemptCount: 1, lastStatusCode: null });
    expect(d.lastError).toBe("timed out after 300 ms");
    ctx.clock.now += 10;
    await ctx.alerts.worker.runDue();
    [d] = await deliveries(ctx, hook.id);
    expect(d.status).toBe("delivered");
    expect(rcv.requests.map((r) => r.headers["modqc-delivery"])).toEqual([d.id, d.id]);
  });

  it("429 honours Retry-After exactly; a connection refused is a retry too", async () => {
    const ctx = await context();
    const rcv = await receiver((_, i) =>
      i === 0 ? { status: 429, headers: { "retry-after": "120" } } : { status: 200 },
    );
    const hook = await setup(ctx, rcv.url);
    await spike(ctx);
    await ctx.alerts.worker.runDue();
    let [d] = await deliveries(ctx, hook.id);
    expect(d).toMatchObject({
      status: "pending",
      lastStatusCode: 429,
      nextAttemptAt: new Date(NOW + 120_000).toISOString(),
    });
    ctx.clock.now += 119_999;
    await ctx.alerts.worker.runDue();
    expect(rcv.requests).toHaveLength(1);
    ctx.clock.now += 1;
    await ctx.alerts.worker.runDue();
    [d] = await deliveries(ctx, hook.id);
    expect(d.status).toBe("delivered");
    expect(retryAfterMs("Wed, 25 Nov 2026 12:00:00 GMT", Date.parse("2026-11-25T11:59:00Z"))).toBe(60_000);
    expect(retryAfterMs("soon", 0)).toBeUndefined();

    const closed = await context();
    const gone = await receiver();
    const url = gone.url;
    await gone.close();
    receivers.pop();
    const h2 = await setup(closed, url);
    await spike(closed);
    await closed.alerts.worker.runDue();
    const [d2] = await deliveries(closed, h2.id);
    expect(d2).toMatchObject({ status: "pending", attemptCount: 1 });
    expect(d2.lastError).toContain("ECONNREFUSED");
  });

  it("other 4xx and redirects fail at once; redirects are not followed", async () => {
    for (const answer of [
      { status: 404 },
      { status: 410 },
      { status: 302, headers: { location: "http://127.0.0.1:1/elsewhere" } },
    ]) {
      const ctx = await context();
      const rcv = await receiver(() => answer);
      const hook = await setup(ctx, rcv.url);
      await spike(ctx);
      await ctx.alerts.worker.runDue();
      ctx.clock.now += HOUR;
      await ctx.alerts.worker.runDue();
      const [d] = await deliveries(ctx, hook.id);
      expect(d).toMatchObject({
        status: "failed",
        attemptCount: 1,
        lastStatusCode: answer.status,
        nextAttemptAt: null,
      });
      expect(rcv.requests).toHaveLength(1);
      if (answer.status === 302) expect(d.lastError).toContain("redirects are not followed");
    }
  });

  it("past the maximum age a delivery is dead: a Retry-After beyond it, or a wait that outlived it", async () => {
    const ctx = await context({ MODQC_WEBHOOK_MAX_AGE_MS: "60000" });
    const rcv = await receiver(() => ({ status: 503, headers: { "retry-after": "3600" } }));
    const hook = await setup(ctx, rcv.url);
    await spike(ctx);
    await ctx.alerts.worker.runDue();
    const [d] = await deliveries(ctx, hook.id);
    expect(d).toMatchObject({ status: "dead", attemptCount: 1, lastStatusCode: 503 });
    expect(d.lastError).toContain("maximum age");

    const ctx2 = await context({ MODQC_WEBHOOK_MAX_AGE_MS: "60000" });
    const rcv2 = await receiver(() => ({ status: 500 }));
    const hook2 = await setup(ctx2, rcv2.url);
    await spike(ctx2);
    await ctx2.alerts.worker.runDue();
    ctx2.clock.now += 61_000; // e.g. the service was down
    await ctx2.alerts.worker.runDue();
    const [d2] = await deliveries(ctx2, hook2.id);
    expect(d2).toMatchObject({ status: "dead", attemptCount: 1 });
    expect(rcv2.requests).toHaveLength(1);
  });

  it("per-webhook order: a later delivery waits until the earlier one is delivered", async () => {
    const ctx = await context({ MODQC_WEBHOOK_MAX_AGE_MS: String(7 * 86_400_000) });
    let failing = true;
    const rcv = await receiver(() => ({ status: failing ? 500 : 200 }));
    const hook = await setup(ctx, rcv.url);
    await spike(ctx); // alert.firing for hate
    ctx.clock.now += 2 * 86_400_000;
    const res = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.lead,
      json: audits(20, 0, ctx.clock.now - HOUR),
    });
    expect(res.status).toBe(200);
    await ctx.alerts.flush(); // alert.resolved queued behind the firing one
    for (let i = 0; i < 3; i++) {
      await ctx.alerts.worker.runDue();
      ctx.clock.now += 1000;
    }
    expect(rcv.requests.map((r) => r.headers["modqc-event"])).toEqual([
      "alert.firing",
      "alert.firing",
      "alert.firing",
    ]);
    failing = false;
    await ctx.alerts.worker.runDue();
    expect(rcv.requests.map((r) => r.headers["modqc-event"]).slice(3)).toEqual([
      "alert.firing",
      "alert.resolved",
    ]);
    const list = await deliveries(ctx, hook.id);
    expect(list.map((d) => d.status)).toEqual(["delivered", "delivered"]);
  });

  it("redeliver queues a new delivery with the same body; a pending one answers 409", async () => {
    const ctx = await context();
    const rcv = await receiver((_, i) => ({ status: i === 0 ? 500 : 200 }));
    const hook = await setup(ctx, rcv.url);
    await spike(ctx);
    await ctx.alerts.worker.runDue();
    const [pending] = await deliveries(ctx, hook.id);
    expect(
      (await ctx.call("POST", `/v1/deliveries/${pending.id}/redeliver`, { key: ctx.keys.admin })).status,
    ).toBe(409);
    ctx.clock.now += 10;
    await ctx.alerts.worker.runDue();
    const again = await ctx.call("POST", `/v1/deliveries/${pending.id}/redeliver`, { key: ctx.keys.admin });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({
      status: "pending",
      redeliveryOf: pending.id,
      event: "alert.firing",
      attemptCount: 0,
    });
    expect(again.body.id).not.toBe(pending.id);
    await ctx.alerts.worker.runDue();
    expect(rcv.requests).toHaveLength(3);
    expect(rcv.requests[2].body).toBe(rcv.requests[0].body);
    expect(rcv.requests[2].headers["modqc-delivery"]).toBe(again.body.id);
    expect((await ctx.call("POST", "/v1/deliveries/nope/redeliver", { key: ctx.keys.admin })).status).toBe(
      404,
    );
    expect(
      (await ctx.call("POST", `/v1/deliveries/${pending.id}/redeliver`, { key: ctx.keys.lead })).status,
    ).toBe(403);
  });

  it("a disabled webhook gets no new deliveries", async () => {
    const ctx = await context();
    const rcv = await receiver();
    const hook = await setup(ctx, rcv.url);
    await ctx.call("POST", `/v1/webhooks/${hook.id}/disable`, { key: ctx.keys.admin });
    await spike(ctx);
    await ctx.alerts.worker.runDue();
    expect(await deliveries(ctx, hook.id)).toHaveLength(0);
    expect(rcv.requests).toHaveLength(0);
  });
});

/** Alertmanager's webhook payload (version 4), as documented for webhook_config receivers. */
const KV = z.record(z.string(), z.string());
const RFC3339 = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
const AlertmanagerPayload = z
  .object({
    version: z.literal("4"),
    groupKey: z.string(),
    truncatedAlerts: z.number().int().min(0),
    status: z.enum(["firing", "resolved"]),
    receiver: z.string(),
    groupLabels: KV,
    commonLabels: KV,
    commonAnnotations: KV,
    externalURL: z.string().url(),
    alerts: z
      .array(
        z
          .object({
            status: z.enum(["firing", "resolved"]),
            labels: KV.refine((l) => typeof l.alertname === "string"),
            annotations: KV,
            startsAt: RFC3339,
            endsAt: RFC3339,
            generatorURL: z.string().url(),
            fingerprint: z.string().min(1),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

describe("payload formats", () => {
  it("alertmanager: the documented v4 shape, firing then resolved", async () => {
    const ctx = await context();
    const rcv = await receiver();
    const created = await ctx.call("POST", "/v1/alert-rules", {
      key: ctx.keys.lead,
      json: {
        name: "Moderator drift",
        scope: { queue: "hate" },
        groupBy: ["moderator"],
        condition: { kind: "threshold", maxRate: 0.1, window: { days: 1 } },
        severity: "warning",
      },
    });
    expect(created.status).toBe(201);
    await ctx.call("POST", "/v1/webhooks", {
      key: ctx.keys.admin,
      json: { url: rcv.url, format: "alertmanager" },
    });
    await spike(ctx);
    await ctx.alerts.worker.runDue();
    ctx.clock.now += 2 * 86_400_000;
    await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: audits(20, 0, ctx.clock.now - HOUR) });
    await ctx.alerts.flush();
    await ctx.alerts.worker.runDue();
    expect(rcv.requests).toHaveLength(2);
    const [firing, resolved] = rcv.requests.map((r) => JSON.parse(r.body));
    for (const payload of [firing, resolved]) {
      const parsed = AlertmanagerPayload.safeParse(payload);
      expect(parsed.error?.issues ?? []).toEqual([]);
    }
    const [alert] = (await ctx.call("GET", "/v1/alerts", { key: ctx.keys.viewer })).body.alerts;
    expect(firing).toMatchObject({
      status: "firing",
      receiver: "modqc",
      externalURL: "https://modqc.example.com",
      groupLabels: { alertname: "Moderator drift", moderator: "m1" },
      groupKey: '{}:{alertname="Moderator drift", moderator="m1"}',
      truncatedAlerts: 0,
      alerts: [
        {
          status: "firing",
          labels: {
            alertname: "Moderator drift",
            severity: "warning",
            rule_id: created.body.id,
            queue: "hate",
            moderator: "m1",
          },
          startsAt: alert.firedAt,
          endsAt: "0001-01-01T00:00:00Z",
          generatorURL: `https://modqc.example.com${firing.alerts[0].generatorURL.slice("https://modqc.example.com".length)}`,
          fingerprint: alert.fingerprint,
        },
      ],
    });
    expect(firing.alerts[0].generatorURL).toContain("/v1/quality?");
    expect(firing.alerts[0].annotations.summary).toContain("Moderator drift");
    expect(firing.alerts[0].annotations.description).toContain("Wilson interval");
    expect(resolved).toMatchObject({
      status: "resolved",
      alerts: [
        {
          status: "resolved",
          startsAt: alert.firedAt,
          endsAt: alert.resolvedAt,
          fingerprint: alert.fingerprint,
        },
      ],
    });
  });

  it("slack: a text and blocks message, with links and escaped text", async () => {
    const ctx = await context();
    const rcv = await receiver();
    await ctx.call("POST", "/v1/alert-rules", {
      key: ctx.keys.lead,
      json: {
        name: "Errors <hate> & co",
        condition: { kind: "threshold", maxRate: 0.1, window: { days: 1 } },
        severity: "critical",
      },
    });
    await ctx.call("POST", "/v1/webhooks", { key: ctx.keys.admin, json: { url: rcv.url, format: "slack" } });
    await spike(ctx);
    await ctx.alerts.worker.runDue();
    const message = JSON.parse(rcv.requests[0].body);
    expect(message.text).toMatch(/^\[FIRING\] Errors <hate> & co: error rate 50\.0%/);
    expect(message.blocks.length).toBeGreaterThanOrEqual(3);
    expect(message.blocks[0]).toMatchObject({ type: "section", text: { type: "mrkdwn" } });
    expect(message.blocks[0].text.text).toContain("Errors &lt;hate&gt; &amp; co");
    expect(JSON.stringify(message.blocks)).toContain("|evidence>");
  });
});
