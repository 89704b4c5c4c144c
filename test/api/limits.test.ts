import { describe, expect, it } from "vitest";
import { testContext } from "../helpers.ts";

/**
 * Issue 19, every calculation has a bounded cost: hostile inputs to the open calculators are refused quickly,
 * with the field (and the limit) named. The limits are listed in docs/limits.md.
 */

type Call = Awaited<ReturnType<typeof testContext>>["call"];

/** Sends the request and measures how long the answer took. */
async function timed(call: Call, path: string, json: unknown) {
  const start = performance.now();
  const res = await call("POST", path, { json });
  return { ...res, ms: performance.now() - start };
}

const paths = (res: { body: { error: { details: { path: string }[] } } }) =>
  res.body.error.details.map((d) => d.path);

describe("agreement: categories are limited whether declared or discovered", () => {
  it("2 raters and 20,000 distinct labels without categories: 400 at the first label past 200, quickly", async () => {
    const { call } = await testContext();
    const ratings = Array.from({ length: 10_000 }, (_, i) => [`label-${2 * i}`, `label-${2 * i + 1}`]);
    const res = await timed(call, "/v1/agreement", { ratings });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_input");
    // Labels 0–199 fill rows 0–99; the 201st distinct label is the first cell of row 100.
    expect(paths(res)).toEqual(["ratings.100.0"]);
    expect(res.body.error.message).toContain("200");
    expect(res.ms).toBeLessThan(2000);
  });

  it("200 discovered categories are still accepted", async () => {
    const { call } = await testContext();
    const ratings = Array.from({ length: 100 }, (_, i) => [2 * i, 2 * i + 1]);
    const res = await call("POST", "/v1/agreement", { json: { ratings } });
    expect(res.status).toBe(200);
    expect(res.body.categories).toHaveLength(200);
  });

  it("201 declared categories, or a label over 200 characters, answer 400 naming the field", async () => {
    const { call } = await testContext();
    const declared = await call("POST", "/v1/agreement", {
      json: { ratings: [[0, 1]], categories: Array.from({ length: 201 }, (_, k) => k) },
    });
    expect(declared.status).toBe(400);
    expect(declared.body.error.code).toBe("validation_failed");
    expect(paths(declared)).toEqual(["categories"]);

    const long = await call("POST", "/v1/agreement", { json: { ratings: [["x".repeat(201), "ok"]] } });
    expect(long.status).toBe(400);
    expect(paths(long)).toEqual(["ratings.0.0"]);

    const longCategory = await call("POST", "/v1/agreement", {
      json: { ratings: [["ok", "ok"]], categories: ["ok", "y".repeat(201)] },
    });
    expect(longCategory.status).toBe(400);
    expect(paths(longCategory)).toEqual(["categories.1"]);
  });
});

describe("sample size: exact searches run only within their budget", () => {
  it("margin 1e-6 with clopper-pearson: 422 too_expensive within 2 s, naming the margin that fits", async () => {
    const { call } = await testContext();
    const res = await timed(call, "/v1/sample-size", { margin: 1e-6, method: "clopper-pearson" });
    expect(res.status).toBe(422);
    expect(res.ms).toBeLessThan(2000);
    expect(res.body.error.code).toBe("too_expensive");
    expect(res.body.error.message).toMatch(/margin/);
    const [detail] = res.body.error.details;
    expect(detail.path).toBe("margin");
    expect(detail.limit).toBeGreaterThan(1e-4);
    expect(detail.limit).toBeLessThan(0.01);
    expect(detail.alternatives).toContainEqual({ method: "wald" });

    // Following the advice works: the suggested margin (a search at the edge of the budget), and the
    // suggested method at the asked margin.
    const atLimit = await call("POST", "/v1/sample-size", {
      json: { margin: detail.limit, method: "clopper-pearson" },
    });
    expect(atLimit.status).toBe(200);
    const wald = await call("POST", "/v1/sample-size", { json: { margin: 1e-6, method: "wald" } });
    expect(wald.status).toBe(200);
  });

  it("tiny margins with wilson, at any rate and confidence, answer 422 quickly too", async () => {
    const { call } = await testContext();
    for (const json of [
      { margin: 1e-6, method: "wilson" },
      { margin: 1e-9, method: "wilson", expectedRate: 0 },
      { margin: 1e-7, method: "clopper-pearson", expectedRate: 0.01, confidence: 0.999999 },
    ]) {
      const res = await timed(call, "/v1/sample-size", json);
      expect({ json, status: res.status, code: res.body.error?.code }).toEqual({
        json,
        status: 422,
        code: "too_expensive",
      });
      expect(paths(res)).toEqual(["margin"]);
      expect(res.body.error.details[0].limit).toBeGreaterThan(json.margin);
      expect(res.ms).toBeLessThan(2000);
    }
  });

  it("demonstrate at the input limits (N = 10¹², 100,000 errors allowed) answers 200 within 2 s", async () => {
    const { call } = await testContext();
    for (const json of [
      { goal: "demonstrate", maxRate: 0.5, allowedErrors: 100_000, population: 1e12 },
      { goal: "demonstrate", maxRate: 1e-6, allowedErrors: 100_000, population: 1e12 },
      { goal: "demonstrate", maxRate: 1e-9, allowedErrors: 100_000 },
    ]) {
      const res = await timed(call, "/v1/sample-size", json);
      expect({ json, status: res.status }).toEqual({ json, status: 200 });
      expect(res.ms).toBeLessThan(2000);
    }
  });
});

describe("every numeric input of the calculators has a limit", () => {
  it("counts, n, populations and totals above 10¹² answer 400 validation_failed naming the field", async () => {
    const { call } = await testContext();
    const big = 1e15;
    const cases: [string, unknown, string][] = [
      ["/v1/interval", { count: big, n: big }, "count"],
      ["/v1/interval", { count: 1, n: big }, "n"],
      ["/v1/sample-size", { margin: 0.05, population: big }, "population"],
      ["/v1/sample-size", { goal: "demonstrate", maxRate: 0.01, population: big }, "population"],
      ["/v1/sample-size", { goal: "demonstrate", maxRate: 0.01, allowedErrors: 100_001 }, "allowedErrors"],
      ["/v1/allocation", { method: "equal", total: big, strata: [{ key: "a", size: 5 }] }, "total"],
      ["/v1/allocation", { method: "equal", total: 5, strata: [{ key: "a", size: big }] }, "strata.0.size"],
      [
        "/v1/allocation",
        { method: "equal", total: 5, minPerStratum: big, strata: [{ key: "a", size: 5 }] },
        "minPerStratum",
      ],
      ["/v1/compare", { a: { count: 1, n: big }, b: { count: 1, n: 10 } }, "a.n"],
      ["/v1/compare", { a: { count: big, n: 10 }, b: { count: 1, n: 10 } }, "a.count"],
      ["/v1/chart", { type: "p", points: [{ count: 1, n: big }] }, "points.0.n"],
      ["/v1/chart", { type: "c", points: [{ count: big }] }, "points.0.count"],
      ["/v1/chart", { type: "c", points: [{ count: 1 }, { count: 2 }], standard: big }, "standard"],
      ["/v1/funnel", { units: [{ key: "a", count: big, n: 10 }] }, "units.0.count"],
    ];
    for (const [path, json, field] of cases) {
      const res = await timed(call, path, json);
      expect({ path, field, status: res.status, code: res.body.error?.code }).toEqual({
        path,
        field,
        status: 400,
        code: "validation_failed",
      });
      expect(paths(res)).toContain(field);
      expect(res.ms).toBeLessThan(2000);
    }
  });

  it("strata, funnel units, levels, indices, multipliers and confidences have limits too", async () => {
    const { call } = await testContext();
    const strata = Array.from({ length: 10_001 }, (_, h) => ({ key: `s${h}`, size: 10 }));
    const points = [{ count: 1 }, { count: 2 }, { count: 3 }];
    const cases: [string, unknown, string][] = [
      ["/v1/allocation", { method: "equal", total: 5, strata }, "strata"],
      [
        "/v1/allocation",
        { method: "equal", total: 5, strata: [{ key: "k".repeat(2001), size: 5 }] },
        "strata.0.key",
      ],
      ["/v1/compare", { a: { count: 1, n: 10 }, b: { count: 1, n: 10 }, confidence: 1 }, "confidence"],
      ["/v1/chart", { type: "c", points, sigma: 1000 }, "sigma"],
      ["/v1/chart", { type: "c", points, exclude: [-1] }, "exclude.0"],
      ["/v1/chart", { type: "c", points, baseline: { from: 0, to: 1e9 } }, "baseline.to"],
      ["/v1/chart", { type: "ewma", points, ewma: { lambda: 2 } }, "ewma.lambda"],
      ["/v1/chart", { type: "cusum", points, cusum: { h: 1e6 } }, "cusum.h"],
      ["/v1/funnel", { units: [{ key: "a", count: 1, n: 10 }], limits: [0.9, 1] }, "limits.1"],
      ["/v1/funnel", { units: [{ key: "a", count: 1, n: 10 }], gridPoints: 1e6 }, "gridPoints"],
      ["/v1/funnel", { units: [{ key: "a".repeat(201), count: 1, n: 10 }] }, "units.0.key"],
    ];
    for (const [path, json, field] of cases) {
      const res = await call("POST", path, { json });
      expect({ path, field, status: res.status }).toEqual({ path, field, status: 400 });
      expect(paths(res)).toContain(field);
    }
  });

  it("the limits are in /openapi.json, and /v1/sample-size documents its 422", async () => {
    const { call } = await testContext();
    const doc = (await call("GET", "/openapi.json")).body;
    const schemas = doc.components.schemas;
    expect(schemas.IntervalRequest.properties.n.maximum).toBe(1e12);
    expect(schemas.IntervalRequest.properties.count.maximum).toBe(1e12);
    expect(schemas.AgreementRequest.properties.categories.maxItems).toBe(200);
    expect(schemas.AllocationRequest.properties.strata.maxItems).toBe(10_000);
    expect(schemas.CompareRequest.properties.confidence.exclusiveMaximum).toBe(1);
    expect(doc.paths["/v1/sample-size"].post.responses["422"]).toBeDefined();
  });
});
