import { describe, expect, it } from "vitest";
import { testContext } from "../helpers.ts";

describe("calculator API", () => {
  it("POST /v1/sample-size: 95 % and ±5 % with no population is 385 (Cochran, rounded up)", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/sample-size", { json: { margin: 0.05 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ n: 385, goal: "estimate", method: "wald", confidence: 0.95 });
  });

  it("POST /v1/sample-size applies the finite-population correction and never exceeds N", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/sample-size", { json: { margin: 0.05, population: 1000 } });
    expect(res.body.n).toBe(278);
    const tiny = await call("POST", "/v1/sample-size", { json: { margin: 0.01, population: 50 } });
    expect(tiny.body.n).toBeLessThanOrEqual(50);
  });

  it("POST /v1/sample-size demonstrate: 0 errors allowed, 1 % limit, 95 % → 299", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/sample-size", { json: { goal: "demonstrate", maxRate: 0.01 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ n: 299, goal: "demonstrate", confidence: 0.95 });
    expect(typeof res.body.method).toBe("string");
  });

  it("POST /v1/sample-size demonstrate with a population uses the hypergeometric and needs fewer", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/sample-size", {
      json: { goal: "demonstrate", maxRate: 0.01, population: 1000 },
    });
    expect(res.status).toBe(200);
    expect(res.body.n).toBeLessThan(299);
    expect(res.body.n).toBeGreaterThan(200);
  });

  it("POST /v1/sample-size with an exact method returns a whole number at least the Wald size region", async () => {
    const { call } = await testContext();
    for (const method of ["wilson", "clopper-pearson"]) {
      const res = await call("POST", "/v1/sample-size", { json: { margin: 0.05, method } });
      expect(res.status).toBe(200);
      expect(res.body.method).toBe(method);
      expect(Number.isInteger(res.body.n)).toBe(true);
      expect(res.body.n).toBeGreaterThan(300);
      expect(res.body.n).toBeLessThan(450);
    }
  });

  it("POST /v1/interval defaults to Wilson at 95 % (19/38 → 0.3485 to 0.6515, statsmodels)", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/interval", { json: { count: 19, n: 38 } });
    expect(res.status).toBe(200);
    expect(res.body.method).toBe("wilson");
    expect(res.body.confidence).toBe(0.95);
    expect(res.body.estimate).toBe(0.5);
    expect(res.body.lower).toBeCloseTo(0.348499283643951, 12);
    expect(res.body.upper).toBeCloseTo(0.651500716356049, 12);
  });

  it("POST /v1/interval answers every method, with exact ends at x = 0", async () => {
    const { call } = await testContext();
    for (const method of ["wald", "wilson", "clopper-pearson", "agresti-coull", "jeffreys"]) {
      const res = await call("POST", "/v1/interval", { json: { count: 0, n: 30, method, confidence: 0.9 } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ method, confidence: 0.9, estimate: 0 });
      if (method !== "agresti-coull") expect(res.body.lower).toBe(0);
    }
  });

  it("POST /v1/allocation splits a total exactly across strata", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/allocation", {
      json: {
        method: "proportional",
        total: 100,
        strata: [
          { key: "hate", size: 5000 },
          { key: "bullying", size: 3000 },
          { key: "self-harm", size: 2000 },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(100);
    expect(res.body.strata).toEqual([
      { key: "hate", size: 5000, n: 50 },
      { key: "bullying", size: 3000, n: 30 },
      { key: "self-harm", size: 2000, n: 20 },
    ]);
  });

  it("POST /v1/allocation derives the total from confidence and margin over the whole population", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/allocation", {
      json: {
        method: "equal",
        margin: 0.05,
        strata: [
          { key: "a", size: 500 },
          { key: "b", size: 500 },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(278);
    expect(res.body.strata.map((s: { n: number }) => s.n)).toEqual([139, 139]);
  });
});
