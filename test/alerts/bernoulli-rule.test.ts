import { describe, expect, it } from "vitest";
import { bernoulliCusumDesign } from "../../stats/spc/bernoulli-cusum.ts";
import { type TestContext, testContext } from "../helpers.ts";

const DAY = 86_400_000;
const start = Date.parse("2026-11-01T10:00:00Z");

let counter = 0;
/** `n` audits of which `errors` are incorrect, audited at `at` (epoch ms), a second apart. */
function audits(n: number, errors: number, at: number, moderator = "m1") {
  return Array.from({ length: n }, (_, i) => {
    const id = `bern${counter++}`;
    const wrong = i < errors;
    return {
      id,
      decisionId: `d-${id}`,
      queue: "hate",
      moderator,
      auditor: "alice",
      outcome: wrong ? "incorrect" : "correct",
      ...(wrong ? { errorType: "false-negative" } : {}),
      auditedAt: new Date(at + i * 1000).toISOString(),
    };
  });
}

async function ingest(ctx: TestContext, rows: unknown[]) {
  const res = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: rows });
  expect(res.status).toBe(200);
}

const condition = (bernoulli?: object, type = "bernoulli-cusum") => ({
  kind: "chart",
  type,
  interval: "day",
  baseline: { periods: 10 },
  ...(bernoulli ? { bernoulli } : {}),
});

describe("alert rules with a bernoulli-cusum chart condition", () => {
  it("store the design (p1 from the odds ratio, h from the target ARL₀, the ARLs) and refuse a missing one", async () => {
    const ctx = await testContext();
    const post = (json: object) =>
      ctx.call("POST", "/v1/alert-rules", {
        key: ctx.keys.lead,
        json: { name: "b", severity: "warning", ...json },
      });
    for (const [sent, field] of [
      [condition(), "condition.bernoulli"],
      [condition({ p0: 0.05 }, "p"), "condition.bernoulli"],
      [condition({ p0: 0.05, p1: 0.01 }), "condition.bernoulli.p1"],
      [condition({ p0: 0.05, p1: 0.1, oddsRatio: 2 }), "condition.bernoulli.oddsRatio"],
      [condition({ p0: 1e-7 }), "condition.bernoulli.p0"],
      [condition({ p0: 0.05, h: 1000 }), "condition.bernoulli.h"],
      [condition({ p0: 0.05, lamda: 1 }), '"keys":"lamda"'],
    ] as const) {
      const res = await post({ condition: sent });
      expect(res.status, JSON.stringify(sent)).toBe(400);
      expect(JSON.stringify(res.body.error.details), JSON.stringify(sent)).toContain(field);
    }
    const created = await post({ condition: condition({ p0: 0.04, oddsRatio: 3, targetArl0: 2000 }) });
    expect(created.status).toBe(201);
    const design = bernoulliCusumDesign({ p0: 0.04, oddsRatio: 3, targetArl0: 2000 });
    expect(created.body.condition).toMatchObject({
      type: "bernoulli-cusum",
      rules: ["bernoulli-cusum"],
      bernoulli: {
        p0: 0.04,
        p1: design.p1,
        h: design.h,
        targetArl0: 2000,
        arl0: design.arl0,
        arl1: design.arl1,
      },
    });
    expect(created.body.condition.bernoulli.oddsRatio).toBeUndefined();
    // Normalising the stored design again changes nothing (a PATCH of the name keeps the condition).
    const renamed = await ctx.call("PATCH", `/v1/alert-rules/${created.body.id}`, {
      key: ctx.keys.lead,
      json: { name: "renamed" },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.condition).toEqual(created.body.condition);
  });

  it("fires when the latest day's CUSUM reaches h; the evidence equals the linked /v1/charts point", async () => {
    const clock = { now: start + 25 * DAY };
    const ctx = await testContext({}, { now: () => clock.now });
    const created = await ctx.call("POST", "/v1/alert-rules", {
      key: ctx.keys.lead,
      json: {
        name: "hate queue Bernoulli CUSUM",
        severity: "critical",
        scope: { queue: "hate" },
        groupBy: ["moderator"],
        condition: { ...condition({ p0: 0.04, p1: 0.12, h: 4 }), multiplicity: "none" },
      },
    });
    expect(created.status).toBe(201);
    const history = [];
    for (let day = 0; day < 20; day++) {
      history.push(
        ...audits(50, 2, start + day * DAY, "steady"),
        ...audits(50, 2, start + day * DAY, "drifting"),
      );
    }
    await ingest(ctx, history);
    await ingest(ctx, [
      ...audits(50, 2, start + 20 * DAY, "steady"),
      ...audits(50, 12, start + 20 * DAY, "drifting"),
    ]);
    const res = await ctx.call("GET", "/v1/alerts", { key: ctx.keys.viewer });
    // biome-ignore lint/suspicious/noExplicitAny: JSON answers the test asserts on
    const alerts = res.body.alerts as Record<string, any>[];
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert).toMatchObject({
      state: "firing",
      labels: { moderator: "drifting" },
      signal: ["bernoulli-cusum"],
      evidence: { kind: "chart", type: "bernoulli-cusum", count: 12, n: 50 },
    });
    expect(alert.evidence.point.value).toBeGreaterThanOrEqual(alert.evidence.sigmaMultiplier);
    expect(alert.summary).toMatch(/B \d+\.\d{3}, h 4\.\d{3}/);
    const chart = await ctx.call("GET", alert.link, { key: ctx.keys.viewer });
    expect(chart.status).toBe(200);
    expect(chart.body.points.at(-1)).toEqual(alert.evidence.point);
    expect(chart.body.bernoulliCusum).toMatchObject({ p0: 0.04, p1: 0.12, steps: "period" });
  });
});
