import { describe, expect, it } from "vitest";
import { MAX_AUDIT_POINTS } from "../../src/reports/stored-chart.ts";
import { bernoulliCusumDesign, chart } from "../../stats/spc/index.ts";
import { testContext } from "../helpers.ts";

/** An audit of queue "hate" at minute `minute` of 1 March 2026 (UTC). */
function audit(i: number, wrong: boolean, minute: number, queue = "hate") {
  const at = new Date(Date.UTC(2026, 2, 1) + minute * 60_000).toISOString();
  return {
    id: `b-${i}`,
    decisionId: `d-${i}`,
    queue,
    moderator: `m${i % 4}`,
    auditor: "alice",
    outcome: wrong ? "incorrect" : "correct",
    ...(wrong ? { errorType: "false-negative" } : {}),
    auditedAt: at,
  };
}

describe("POST /v1/chart type bernoulli-cusum", () => {
  it("answers the CUSUM per item with signals, run lengths and the design", async () => {
    const { call } = await testContext();
    const items = [0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 0, 1, 1].map((count) => ({ count, n: 1 }));
    const json = {
      type: "bernoulli-cusum",
      points: items,
      bernoulli: { p0: 0.1, oddsRatio: 3, targetArl0: 200 },
    };
    const res = await call("POST", "/v1/chart", { json });
    expect(res.status).toBe(200);
    const expected = chart(json as Parameters<typeof chart>[0]);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(expected)));
    const design = res.body.bernoulliCusum;
    expect(design).toMatchObject({
      variant: "reynolds-stoumbos-1/m",
      p0: 0.1,
      steps: "item",
      targetArl0: 200,
    });
    expect(design.arl0).toBeGreaterThanOrEqual(200);
    expect(res.body.points[0]).toMatchObject({ value: 0, runLength: 1, ucl: design.h });
    expect(res.body.signals.length).toBeGreaterThan(0);
  });

  it("refuses hostile and contradictory input with the field named", async () => {
    const { call } = await testContext();
    const points = [{ count: 1, n: 1 }];
    const cases: [unknown, number, string][] = [
      [{ type: "bernoulli-cusum", points, bernoulli: { p0: 0 } }, 400, "bernoulli.p0"],
      [{ type: "bernoulli-cusum", points, bernoulli: { p0: 0.1, p1: 0.05 } }, 400, "bernoulli.p1"],
      [
        { type: "bernoulli-cusum", points, bernoulli: { p0: 0.1, h: 2, targetArl0: 10 } },
        400,
        "bernoulli.targetArl0",
      ],
      [
        { type: "bernoulli-cusum", points, bernoulli: { p0: 0.1, targetArl0: 1e300 } },
        400,
        "bernoulli.targetArl0",
      ],
      [{ type: "bernoulli-cusum", points, bernoulli: { p0: 0.1, m: 1e9 } }, 400, "bernoulli.m"],
      [{ type: "bernoulli-cusum", points, bernoulli: { p0: 0.1, h: 1e9 } }, 400, "bernoulli.h"],
      [
        { type: "bernoulli-cusum", points: [{ count: 2, n: 1 }], bernoulli: { p0: 0.1 } },
        400,
        "points.0.count",
      ],
      [{ type: "bernoulli-cusum", points, phases: [0], bernoulli: { p0: 0.1 } }, 400, "phases"],
      [{ type: "p", points: [{ count: 1, n: 2 }], bernoulli: { p0: 0.1 } }, 400, "bernoulli"],
      // Valid but over the budget: γ = 1/m would need m ≈ 1.4 million states per unit of h.
      [{ type: "bernoulli-cusum", points, bernoulli: { p0: 1e-6 } }, 422, "bernoulli.p0"],
    ];
    for (const [json, status, field] of cases) {
      const res = await call("POST", "/v1/chart", { json });
      expect(res.status, JSON.stringify(json)).toBe(status);
      if (status === 422) expect(res.body.error.code).toBe("too_expensive");
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
  });
});

describe("GET /v1/charts?type=bernoulli-cusum", () => {
  it("per=audit: one point per audit in time order, equal to chart() on the 0/1 series", async () => {
    const { call, keys } = await testContext();
    // 40 audits a minute apart, given out of order; errors at every fifth, then a burst at the end.
    const rows = Array.from({ length: 40 }, (_, i) => audit(i, i % 5 === 0 || i >= 32, i)).reverse();
    rows.push(audit(99, false, 100, "spam"));
    expect((await call("POST", "/v1/audits", { key: keys.lead, json: rows })).status).toBe(200);
    const res = await call(
      "GET",
      "/v1/charts?type=bernoulli-cusum&per=audit&queue=hate&p0=0.2&p1=0.5&targetArl0=100",
      { key: keys.viewer },
    );
    expect(res.status).toBe(200);
    expect(res.body.per).toBe("audit");
    expect(res.body.auditIds).toEqual(Array.from({ length: 40 }, (_, i) => `b-${i}`));
    const points = Array.from({ length: 40 }, (_, i) => ({
      count: i % 5 === 0 || i >= 32 ? 1 : 0,
      n: 1,
      label: new Date(Date.UTC(2026, 2, 1) + i * 60_000).toISOString(),
    }));
    const expected = chart({
      type: "bernoulli-cusum",
      points,
      bernoulli: { p0: 0.2, p1: 0.5, targetArl0: 100 },
    });
    expect(res.body.points).toEqual(JSON.parse(JSON.stringify(expected.points)));
    expect(res.body.bernoulliCusum).toEqual(expected.bernoulliCusum);
    expect(res.body.signals.at(-1).index).toBeGreaterThanOrEqual(32);

    // Per period (the default): the day's 40 audits taken together.
    const daily = await call("GET", "/v1/charts?type=bernoulli-cusum&queue=hate&p0=0.2&h=2", {
      key: keys.viewer,
    });
    expect(daily.status).toBe(200);
    expect(daily.body.per).toBe("period");
    expect(daily.body.bernoulliCusum).toMatchObject({ steps: "period", p0: 0.2, p0Source: "option" });
    const design = bernoulliCusumDesign({ p0: 0.2, h: 2 });
    const scaled = Math.max(0, design.m * 15 - 40); // 15 errors in 40 audits, from B = 0
    expect(daily.body.points).toHaveLength(1);
    expect(daily.body.points[0].value).toBeCloseTo(scaled / design.m, 12);
    expect(daily.body.points[0]).toMatchObject({ runLength: 40, signals: ["bernoulli-cusum"] });

    // p0 from the baseline when not given.
    const estimated = await call(
      "GET",
      "/v1/charts?type=bernoulli-cusum&per=audit&queue=hate&baseline=0..29",
      {
        key: keys.viewer,
      },
    );
    expect(estimated.status).toBe(200);
    expect(estimated.body.bernoulliCusum).toMatchObject({ p0Source: "estimate", p0: 6 / 30 });

    // Nothing in scope.
    const empty = await call("GET", "/v1/charts?type=bernoulli-cusum&per=audit&queue=none", {
      key: keys.viewer,
    });
    expect(empty.status).toBe(200);
    expect(empty.body.points).toEqual([]);
  });

  it("refuses per=audit for other types, bad designs, and more audits than the cap (422 too_expensive)", async () => {
    const { call, keys } = await testContext();
    const wrongType = await call("GET", "/v1/charts?type=p&per=audit", { key: keys.viewer });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.details[0].path).toBe("per");
    for (const query of ["p0=1", "p0=abc", "oddsRatio=0.5", "targetArl0=0", "per=row"]) {
      const res = await call("GET", `/v1/charts?type=bernoulli-cusum&${query}`, { key: keys.viewer });
      expect(res.status, query).toBe(400);
    }
    const csv = ["id,decisionId,queue,moderator,auditor,outcome,errorType,auditedAt"];
    for (let i = 0; i <= MAX_AUDIT_POINTS; i++) {
      const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
      csv.push(
        i % 20 === 0
          ? `c-${i},d-${i},hate,m1,alice,incorrect,other,${at}`
          : `c-${i},d-${i},hate,m1,alice,correct,,${at}`,
      );
    }
    const upload = await call("POST", "/v1/audits", {
      key: keys.lead,
      body: csv.join("\n"),
      headers: { "content-type": "text/csv" },
    });
    expect(upload.status).toBe(200);
    const tooMany = await call("GET", "/v1/charts?type=bernoulli-cusum&per=audit&p0=0.05", {
      key: keys.viewer,
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.code).toBe("too_expensive");
    expect(tooMany.body.error.details[0]).toMatchObject({ path: "per", limit: MAX_AUDIT_POINTS });
    // One audit fewer fits.
    const fits = await call(
      "GET",
      "/v1/charts?type=bernoulli-cusum&per=audit&p0=0.05&to=2026-01-01T13:53:20Z",
      {
        key: keys.viewer,
      },
    );
    expect(fits.status).toBe(200);
    expect(fits.body.points).toHaveLength(MAX_AUDIT_POINTS);
  }, 60_000);
});
