import { describe, expect, it } from "vitest";
import { chartDesign } from "../../stats/spc/chart-design.ts";
import { type TestContext, testContext } from "../helpers.ts";

const DAY = 86_400_000;
const start = Date.parse("2026-11-01T10:00:00Z");

let counter = 0;
/** `n` audits of which `errors` are incorrect, audited at `at` (epoch ms), a second apart. */
function audits(n: number, errors: number, at: number) {
  return Array.from({ length: n }, (_, i) => {
    const id = `tw${counter++}`;
    const wrong = i < errors;
    return {
      id,
      decisionId: `d-${id}`,
      queue: "hate",
      moderator: "m1",
      auditor: "alice",
      outcome: wrong ? "incorrect" : "correct",
      ...(wrong ? { errorType: "false-negative" } : {}),
      auditedAt: new Date(at + i * 1000).toISOString(),
    };
  });
}

const chartCondition = (type: string, design?: object) => ({
  kind: "chart",
  type,
  interval: "day",
  baseline: { periods: 10 },
  ...(design ? { [type === "ewma" || type === "cusum" ? type : "ewma"]: design } : {}),
});

function poster(ctx: TestContext) {
  return (condition: object) =>
    ctx.call("POST", "/v1/alert-rules", {
      key: ctx.keys.lead,
      json: { name: "designed", severity: "warning", condition },
    });
}

describe("alert rules store their EWMA and CUSUM design", () => {
  it("fills in the chart's defaults and their ARLs (CUSUM k = 0.5, h = 5: ARL₀ ≈ 465 periods)", async () => {
    const post = poster(await testContext());
    const ewma = await post(chartCondition("ewma"));
    expect(ewma.status).toBe(201);
    const ewmaDesign = chartDesign({ type: "ewma", lambda: 0.2, L: 3, shift: 1 });
    expect(ewma.body.condition.ewma).toEqual({
      lambda: 0.2,
      L: 3,
      shift: 1,
      arl0: ewmaDesign.arl0,
      arl1: ewmaDesign.arl1,
    });
    const cusum = await post(chartCondition("cusum"));
    expect(cusum.status).toBe(201);
    expect(cusum.body.condition.cusum).toMatchObject({ k: 0.5, h: 5, shift: 1 });
    // Hawkins & Olwell (1998) / Montgomery (2009) Table 9.4: k = 0.5, h = 5 gives ARL₀ 465, ARL₁(1σ) 10.4.
    expect(cusum.body.condition.cusum.arl0).toBeCloseTo(465, -1);
    expect(cusum.body.condition.cusum.arl1).toBeCloseTo(10.4, 0);
    const p = await post(chartCondition("p"));
    expect(p.body.condition.ewma).toBeUndefined();
    expect(p.body.condition.cusum).toBeUndefined();
  });

  it("solves L for a target ARL₀ and keeps the rule unchanged when it is stored again", async () => {
    const ctx = await testContext();
    const created = await poster(ctx)(chartCondition("ewma", { lambda: 0.1, targetArl0: 500 }));
    expect(created.status).toBe(201);
    const { ewma } = created.body.condition;
    // Lucas & Saccucci (1990) Table 3: λ = 0.10, L = 2.814 gives ARL₀ 500, ARL₁(1σ) 10.3.
    expect(ewma.L).toBeCloseTo(2.814, 2);
    expect(ewma.arl0 / 500).toBeCloseTo(1, 3);
    expect(ewma.arl1).toBeCloseTo(10.3, 0);
    expect(ewma.targetArl0).toBe(500);
    const renamed = await ctx.call("PATCH", `/v1/alert-rules/${created.body.id}`, {
      key: ctx.keys.lead,
      json: { name: "renamed" },
    });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.condition).toEqual(created.body.condition);
  });

  it("previews a new rule with a target ARL₀ (designed in the preview's task) and refuses a bad design there too", async () => {
    const ctx = await testContext();
    const preview = (condition: object) =>
      ctx.call("POST", "/v1/alert-rules/preview", {
        key: ctx.keys.lead,
        json: { name: "p", severity: "info", condition, days: 7 },
      });
    expect((await preview(chartCondition("cusum", { targetArl0: 1000 }))).status).toBe(200);
    const bad = await preview(chartCondition("cusum", { targetArl0: 1e6, shift: 0.1 }));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toContain("condition.cusum.targetArl0");
  });

  it("refuses a design of another type and out-of-range values, naming the field", async () => {
    const post = poster(await testContext());
    for (const [condition, field] of [
      [{ ...chartCondition("p"), ewma: { lambda: 0.2 } }, "condition.ewma"],
      [{ ...chartCondition("ewma"), cusum: { h: 4 } }, "condition.cusum"],
      [chartCondition("ewma", { lambda: 0.001 }), "condition.ewma.lambda"],
      [chartCondition("cusum", { h: 41 }), "condition.cusum.h"],
      [chartCondition("ewma", { targetArl0: 1e7 }), "condition.ewma.targetArl0"],
    ] as const) {
      const res = await post(condition);
      expect(res.status, JSON.stringify(condition)).toBe(400);
      expect(JSON.stringify(res.body.error.details), JSON.stringify(condition)).toContain(field);
    }
  });

  it("evaluates the chart with the stored design; the evidence carries it and equals the linked chart's point", async () => {
    const clock = { now: start + 25 * DAY };
    const ctx = await testContext({}, { now: () => clock.now });
    const created = await ctx.call("POST", "/v1/alert-rules", {
      key: ctx.keys.lead,
      json: {
        name: "hate queue CUSUM",
        severity: "critical",
        scope: { queue: "hate" },
        condition: chartCondition("cusum", { k: 0.25, h: 3 }),
      },
    });
    expect(created.status).toBe(201);
    const history = [];
    for (let day = 0; day < 20; day++) history.push(...audits(100, 4 + (day % 3), start + day * DAY));
    await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: history });
    const spike = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.lead,
      json: audits(100, 15, start + 20 * DAY),
    });
    expect(spike.status).toBe(200);
    const res = await ctx.call("GET", "/v1/alerts", { key: ctx.keys.viewer });
    // biome-ignore lint/suspicious/noExplicitAny: JSON answers the test asserts on
    const [alert] = res.body.alerts as Record<string, any>[];
    expect(alert).toMatchObject({
      state: "firing",
      evidence: { kind: "chart", type: "cusum", sigmaMultiplier: 3, design: created.body.condition.cusum },
    });
    expect(alert.link).toContain("k=0.25");
    expect(alert.summary).toMatch(/designed ARL₀ \d/);
    const chart = await ctx.call("GET", alert.link, { key: ctx.keys.viewer });
    expect(chart.status).toBe(200);
    expect(chart.body.points.at(-1)).toEqual(alert.evidence.point);
  });
});
