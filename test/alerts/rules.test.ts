import { describe, expect, it } from "vitest";
import { parseDuration } from "../../src/alerts/duration.ts";
import { testContext } from "../helpers.ts";

const threshold = {
  name: "Moderator error rate",
  scope: { queue: "hate" },
  groupBy: ["moderator"],
  condition: {
    kind: "threshold",
    maxRate: 0.1,
    window: { days: 7 },
    minAudited: 20,
    evidence: "lower-bound",
  },
  severity: "warning",
};

describe("alert rules API", () => {
  it("a lead creates a rule; defaults are filled in and the rule reads back the same", async () => {
    const { call, keys } = await testContext();
    const res = await call("POST", "/v1/alert-rules", { key: keys.lead, json: threshold });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "Moderator error rate",
      scope: { queue: "hate" },
      groupBy: ["moderator"],
      condition: {
        kind: "threshold",
        maxRate: 0.1,
        window: { days: 7 },
        minAudited: 20,
        evidence: "lower-bound",
        confidence: 0.95,
      },
      severity: "warning",
      pendingEvaluations: 1,
      keepFiringEvaluations: 1,
      repeatInterval: null,
      enabled: true,
      createdBy: "lead key",
    });
    expect(res.body.id).toEqual(expect.any(String));
    const one = await call("GET", `/v1/alert-rules/${res.body.id}`, { key: keys.viewer });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(res.body);
    const list = await call("GET", "/v1/alert-rules", { key: keys.viewer });
    expect(list.body.rules).toEqual([res.body]);
  });

  it("chart rules get their default run rules and baseline; ewma and cusum their own signal", async () => {
    const { call, keys } = await testContext();
    const chart = (condition: object) =>
      call("POST", "/v1/alert-rules", {
        key: keys.lead,
        json: {
          name: "chart",
          condition: { kind: "chart", interval: "day", ...condition },
          severity: "info",
        },
      });
    expect((await chart({ type: "p" })).body.condition).toEqual({
      kind: "chart",
      type: "p",
      interval: "day",
      rules: ["we-1", "we-2", "we-3", "we-4"],
      baseline: { periods: 20 },
      multiplicity: "none",
      fdr: 0.05,
    });
    expect((await chart({ type: "ewma", baseline: { periods: 10 } })).body.condition.rules).toEqual(["ewma"]);
    expect((await chart({ type: "cusum" })).body.condition.rules).toEqual(["cusum-upper", "cusum-lower"]);
    expect((await chart({ type: "laney-p", rules: ["nelson-2", "we-1"] })).body.condition.rules).toEqual([
      "we-1",
      "nelson-2",
    ]);
    const wrongRule = await chart({ type: "ewma", rules: ["we-1"] });
    expect(wrongRule.status).toBe(400);
    expect(wrongRule.body.error.details[0].path).toBe("condition.rules.0");
    const badZone = await chart({ type: "p", timeZone: "Mars/Olympus" });
    expect(badZone.status).toBe(400);
    expect(badZone.body.error.details[0].path).toBe("condition.timeZone");
  });

  it("rejects bad input with the field named, and never a 5xx", async () => {
    const { call, keys } = await testContext();
    const cases: [unknown, string][] = [
      [{ ...threshold, severity: "page" }, "severity"],
      [{ ...threshold, condition: { ...threshold.condition, maxRate: 1.5 } }, "condition.maxRate"],
      [{ ...threshold, condition: { ...threshold.condition, window: {} } }, "condition.window.days"],
      [{ ...threshold, condition: { kind: "nope" } }, "condition.kind"],
      [{ ...threshold, scope: { queue: "hate", moderater: "x" } }, "scope"],
      [{ ...threshold, groupBy: ["colour"] }, "groupBy.0"],
      [{ ...threshold, pendingEvaluations: 0 }, "pendingEvaluations"],
      [{ ...threshold, repeatInterval: "P1M" }, "repeatInterval"],
      [{ ...threshold, repeatInterval: "4 hours" }, "repeatInterval"],
      [
        {
          name: "a",
          condition: { kind: "agreement", statistic: "fleiss", below: 0.6 },
          severity: "info",
          groupBy: ["queue"],
        },
        "groupBy",
      ],
      [
        { name: "a", condition: { kind: "agreement", statistic: "kappa", below: 0.6 }, severity: "info" },
        "condition.statistic",
      ],
    ];
    for (const [json, path] of cases) {
      const res = await call("POST", "/v1/alert-rules", { key: keys.lead, json });
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
  });

  it("roles: viewers read, leads write, auditors may not create rules", async () => {
    const { call, keys } = await testContext();
    expect((await call("POST", "/v1/alert-rules", { key: keys.auditor, json: threshold })).status).toBe(403);
    expect((await call("POST", "/v1/alert-rules", { json: threshold })).status).toBe(401);
    expect((await call("GET", "/v1/alert-rules", { key: keys.viewer })).status).toBe(200);
    expect((await call("GET", "/v1/alerts", { key: keys.viewer })).status).toBe(200);
    expect((await call("GET", "/v1/alerts")).status).toBe(401);
  });

  it("PATCH changes fields and keeps the others; DELETE removes the rule; unknown ids answer 404", async () => {
    const { call, keys } = await testContext();
    const created = (await call("POST", "/v1/alert-rules", { key: keys.lead, json: threshold })).body;
    const patched = await call("PATCH", `/v1/alert-rules/${created.id}`, {
      key: keys.lead,
      json: { severity: "critical", repeatInterval: "PT4H", pendingEvaluations: 3 },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      ...created,
      severity: "critical",
      repeatInterval: "PT4H",
      pendingEvaluations: 3,
      updatedAt: expect.any(String),
    });
    const cleared = await call("PATCH", `/v1/alert-rules/${created.id}`, {
      key: keys.lead,
      json: { repeatInterval: null, enabled: false },
    });
    expect(cleared.body).toMatchObject({ repeatInterval: null, enabled: false });
    const bad = await call("PATCH", `/v1/alert-rules/${created.id}`, {
      key: keys.lead,
      json: { condition: { kind: "threshold" } },
    });
    expect(bad.status).toBe(400);
    const deleted = await call("DELETE", `/v1/alert-rules/${created.id}`, { key: keys.lead });
    expect(deleted.status).toBe(200);
    expect(deleted.body.id).toBe(created.id);
    expect((await call("GET", `/v1/alert-rules/${created.id}`, { key: keys.viewer })).status).toBe(404);
    expect((await call("DELETE", `/v1/alert-rules/${created.id}`, { key: keys.lead })).status).toBe(404);
    expect((await call("PATCH", "/v1/alert-rules/nope", { key: keys.lead, json: {} })).status).toBe(404);
  });

  it("ISO 8601 durations: weeks, days, hours, minutes, seconds; no months or years", () => {
    expect(parseDuration("PT4H")).toBe(4 * 3600_000);
    expect(parseDuration("P1DT12H")).toBe(36 * 3600_000);
    expect(parseDuration("P2W")).toBe(14 * 86_400_000);
    expect(parseDuration("PT1M30S")).toBe(90_000);
    expect(parseDuration("PT0.5S")).toBe(500);
    for (const bad of ["P", "PT", "P1M", "P1Y", "PT4h", "4H", "P1DT", ""])
      expect(parseDuration(bad)).toBeUndefined();
  });
});

describe("alerting routes under random input", () => {
  it("never answer 5xx to random bodies, queries and ids", async () => {
    const { default: fc } = await import("fast-check");
    const ctx = await testContext();
    const rule = (await ctx.call("POST", "/v1/alert-rules", { key: ctx.keys.lead, json: threshold })).body;
    const hook = (
      await ctx.call("POST", "/v1/webhooks", { key: ctx.keys.admin, json: { url: "https://h.example.com" } })
    ).body;
    const ops: [string, string][] = [
      ["POST", "/v1/alert-rules"],
      ["PATCH", `/v1/alert-rules/${rule.id}`],
      ["GET", "/v1/alerts"],
      ["POST", "/v1/alerts/x/ack"],
      ["POST", "/v1/webhooks"],
      ["PATCH", `/v1/webhooks/${hook.id}`],
      ["GET", `/v1/webhooks/${hook.id}/deliveries`],
      ["POST", "/v1/deliveries/x/redeliver"],
    ];
    const value = fc.oneof(
      fc.anything(),
      fc.constantFrom(
        "P99999999999W",
        "PT0S",
        "chart",
        "threshold",
        "agreement",
        -1,
        1e308,
        "",
        "x".repeat(3000),
      ),
    );
    const body = fc.oneof(
      fc.dictionary(
        fc.constantFrom(
          "name",
          "scope",
          "groupBy",
          "condition",
          "severity",
          "pendingEvaluations",
          "keepFiringEvaluations",
          "repeatInterval",
          "enabled",
          "url",
          "events",
          "format",
          "secret",
          "note",
        ),
        value,
      ),
      fc.record({
        name: fc.string(),
        severity: fc.constantFrom("info", "warning"),
        repeatInterval: fc.string(),
        condition: fc.record({
          kind: fc.constantFrom("chart", "threshold", "agreement"),
          type: fc.constantFrom("p", "ewma", "x"),
          interval: fc.constantFrom("day", "week"),
          rules: fc.array(fc.string()),
          maxRate: fc.double(),
          window: fc.record({ days: fc.double() }),
          statistic: fc.constantFrom("fleiss", "ac1"),
          below: fc.double(),
          baseline: fc.record({ periods: fc.integer() }),
        }),
      }),
    );
    const query = fc.dictionary(
      fc.constantFrom("state", "rule", "from", "to", "tz", "limit", "status"),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ops), body, query, async ([method, path], json, q) => {
        const search = new URLSearchParams(q).toString();
        const res = await ctx.call(method, `${path}${method === "GET" ? `?${search}` : ""}`, {
          key: ctx.keys.admin,
          json: method === "GET" ? undefined : json,
        });
        if (res.status >= 500) throw new Error(`${method} ${path} answered ${res.status}: ${res.text}`);
      }),
      { numRuns: 600, seed: 20261125 },
    );
  });
});
