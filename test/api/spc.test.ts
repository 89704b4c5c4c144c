import { describe, expect, it } from "vitest";
import { testContext } from "../helpers.ts";

describe("control chart, funnel and compare API", () => {
  it("POST /v1/chart marks exactly the out-of-control point of a p chart", async () => {
    const { call } = await testContext();
    const points = Array.from({ length: 20 }, (_, i) => ({ count: i === 12 ? 30 : 5 + (i % 3), n: 100 }));
    const res = await call("POST", "/v1/chart", { json: { type: "p", points, exclude: [12] } });
    expect(res.status).toBe(200);
    expect(res.body.type).toBe("p");
    expect(res.body.points).toHaveLength(20);
    expect(res.body.signals).toEqual([{ index: 12, label: null, rule: "we-1" }]);
    for (const p of res.body.points) {
      expect(p.lcl).toBeLessThanOrEqual(p.center);
      expect(p.center).toBeLessThanOrEqual(p.ucl);
    }
  });

  it("POST /v1/chart names the field for bad input", async () => {
    const { call } = await testContext();
    const cases: [unknown, string][] = [
      [
        {
          type: "p",
          points: [
            { count: 5, n: 4 },
            { count: 1, n: 4 },
          ],
        },
        "points.0.count",
      ],
      [
        {
          type: "np",
          points: [
            { count: 1, n: 4 },
            { count: 1, n: 5 },
          ],
        },
        "points.1.n",
      ],
      [{ type: "p", points: [{ count: -1, n: 4 }] }, "points.0.count"],
      [{ type: "p", points: [{ count: 1, n: 0 }] }, "points.0.n"],
      [
        {
          type: "p",
          points: [
            { count: 1, n: 4 },
            { count: 1, n: 4 },
          ],
          baseline: { from: 0, to: 5 },
        },
        "baseline.to",
      ],
      [
        {
          type: "laney-p",
          points: [
            { count: 1, n: 4 },
            { count: 1, n: 4 },
          ],
          baseline: { from: 0, to: 0 },
        },
        "baseline",
      ],
    ];
    for (const [json, field] of cases) {
      const res = await call("POST", "/v1/chart", { json });
      expect({ json, status: res.status }).toEqual({ json, status: 400 });
      expect(res.body.error.details[0].path).toContain(field);
    }
  });

  it("POST /v1/funnel bands units and returns curves", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/funnel", {
      json: {
        units: [
          { key: "A", count: 4, n: 100 },
          { key: "B", count: 60, n: 200 },
          { key: "C", count: 10, n: 90 },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.units.map((u: { band: string }) => u.band)).toContain("above-99.8");
    expect(res.body.curves.length).toBeGreaterThan(0);
  });

  it("POST /v1/compare gives b − a with Newcombe's interval, z and Fisher's p", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/compare", { json: { a: { count: 1, n: 4 }, b: { count: 3, n: 4 } } });
    expect(res.status).toBe(200);
    expect(res.body.difference).toBe(0.5);
    // R: fisher.test(matrix(c(1,3,3,1), 2))$p.value = 0.4857143
    expect(res.body.fisherP).toBeCloseTo(0.4857142857, 9);
    expect(res.body.lower).toBeLessThan(0.5);
    expect(res.body.upper).toBeGreaterThan(0.5);
    expect(
      (await call("POST", "/v1/compare", { json: { a: { count: 5, n: 4 }, b: { count: 3, n: 4 } } })).status,
    ).toBe(400);
  });
});
