import { describe, expect, it } from "vitest";
import { testContext } from "../helpers.ts";

describe("POST /v1/chart-design", () => {
  it("gives ARL₀ and ARL₁ of an EWMA and a CUSUM on normal data (Lucas & Saccucci; Montgomery)", async () => {
    const { call } = await testContext();
    const ewma = await call("POST", "/v1/chart-design", {
      json: { type: "ewma", lambda: 0.1, L: 2.814, shift: 1 },
    });
    expect(ewma.status).toBe(200);
    expect(ewma.body).toMatchObject({
      type: "ewma",
      data: "normal",
      method: "markov-chain",
      converged: true,
    });
    expect(ewma.body.arl0).toBeCloseTo(500, -1);
    expect(ewma.body.arl1).toBeCloseTo(10.3, 1);
    expect(ewma.body.states).toBeGreaterThan(50);
    const cusum = await call("POST", "/v1/chart-design", { json: { type: "cusum", k: 0.5, h: 5, shift: 1 } });
    expect(cusum.status).toBe(200);
    expect(Math.round(cusum.body.arl0)).toBe(465);
    expect(cusum.body.arl1).toBeCloseTo(10.4, 1);
  });

  it("solves h for a target ARL₀ with k defaulted to half the shift, and binomial designs", async () => {
    const { call } = await testContext();
    const solved = await call("POST", "/v1/chart-design", {
      json: { type: "cusum", targetArl0: 465, shift: 1 },
    });
    expect(solved.status).toBe(200);
    expect(solved.body.k).toBe(0.5);
    expect(solved.body.kDefaulted).toBe(true);
    expect(solved.body.h).toBeCloseTo(5, 2);
    expect(solved.body.solved).toMatchObject({ parameter: "h", targetArl0: 465 });
    const binomial = await call("POST", "/v1/chart-design", {
      json: { type: "ewma", lambda: 0.2, targetArl0: 370, p0: 0.05, n: 200, p1: 0.1, limits: "time-varying" },
    });
    expect(binomial.status).toBe(200);
    expect(binomial.body).toMatchObject({
      data: "binomial",
      p0: 0.05,
      n: 200,
      p1: 0.1,
      limits: "time-varying",
    });
    expect(Math.abs(binomial.body.arl0 / 370 - 1)).toBeLessThan(1e-3);
    expect(binomial.body.arl1).toBeLessThan(binomial.body.arl0);
  });

  it("refuses hostile and inconsistent input, naming the field", async () => {
    const { call } = await testContext();
    const cases: [unknown, string][] = [
      [{ type: "ewma", lambda: 0.1, L: 2.8 }, "shift"],
      [{ type: "ewma", L: 2.8, shift: 1 }, "lambda"],
      [{ type: "ewma", lambda: 0.1, shift: 1 }, "L"],
      [{ type: "ewma", lambda: 0.1, L: 2.8, targetArl0: 500, shift: 1 }, "L"],
      [{ type: "cusum", k: 0.5, h: 5, targetArl0: 500, shift: 1 }, "h"],
      [{ type: "ewma", lambda: 0, L: 2.8, shift: 1 }, "lambda"],
      [{ type: "ewma", lambda: "NaN", L: 2.8, shift: 1 }, "lambda"],
      [{ type: "ewma", lambda: 0.1, L: 1e308, shift: 1 }, "L"],
      [{ type: "cusum", k: 0.5, h: 5, p0: 0.01, n: 1e12, p1: 0.02 }, "n"],
      [{ type: "cusum", k: 0.5, h: 5, p0: 0.01, n: 10.5, p1: 0.02 }, "n"],
      [{ type: "cusum", k: 0.5, h: 5, p0: 0.01, n: 100 }, "p1"],
      [{ type: "cusum", k: 0.5, h: 5, p0: 1, n: 100, p1: 0.5 }, "p0"],
      [{ type: "cusum", k: 0.5, h: 5, shift: 1, p0: 0.01, n: 100, p1: 0.02 }, "shift"],
      [{ type: "cusum", h: 5, shift: 0 }, "k"],
      [{ type: "cusum", lambda: 0.1, h: 5, shift: 1 }, "lambda"],
      [{ type: "ewma", lambda: 0.1, L: 2.8, k: 0.5, shift: 1 }, "k"],
      [{ type: "ewma", lambda: 0.1, targetArl0: 1e7, shift: 1 }, "targetArl0"],
      [{ type: "cusum", k: 0.5, h: 40, shift: 1 }, "h"],
      [{ type: "shewhart", shift: 1 }, "type"],
    ];
    for (const [json, field] of cases) {
      const res = await call("POST", "/v1/chart-design", { json });
      expect({ json, status: res.status }).toEqual({ json, status: 400 });
      expect({ json, path: res.body.error.details?.[0]?.path ?? res.body.error.field }).toMatchObject({
        json,
        path: expect.stringContaining(field),
      });
    }
  });

  it("refuses time-varying limits at a tiny λ as too expensive, with the alternative", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/chart-design", {
      json: { type: "ewma", lambda: 0.01, L: 2.5, shift: 1, limits: "time-varying" },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("too_expensive");
  });
});
