import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { testContext } from "../helpers.ts";

/** n copies of a row. */
const times = <T>(n: number, row: T): T[] => Array.from({ length: n }, () => row);

describe("POST /v1/agreement", () => {
  it("answers every coefficient for a ratings matrix (three raters: no Cohen)", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/agreement", {
      json: {
        ratings: [
          ["ok", "ok", "hate"],
          ["hate", "hate", "hate"],
          ["ok", null, "ok"],
          ["spam", "spam", "ok"],
        ],
        raters: ["ann", "bo", "cy"],
      },
    });
    expect(res.status, res.text).toBe(200);
    const body = res.body;
    expect(body).toMatchObject({
      items: 4,
      raters: ["ann", "bo", "cy"],
      categories: ["hate", "ok", "spam"],
      level: "nominal",
      weights: "unweighted",
      confidence: 0.95,
      cohen: null,
    });
    expect(body.percentAgreement).toBeCloseTo((1 / 3 + 1 + 1 + 1 / 3) / 4, 12);
    for (const key of ["kappa", "se", "se0", "z", "p", "lower", "upper", "perCategory"]) {
      expect(body.fleiss).toHaveProperty(key);
    }
    expect(body.fleiss.perCategory.map((c: { category: string }) => c.category)).toEqual([
      "hate",
      "ok",
      "spam",
    ]);
    expect(body.krippendorff).toMatchObject({ alpha: expect.any(Number), level: "nominal" });
    for (const key of ["ac1", "se", "lower", "upper"]) expect(body.gwet).toHaveProperty(key);
    expect(body.pairwise.map((p: { raters: string[] }) => p.raters)).toEqual([
      ["ann", "bo"],
      ["ann", "cy"],
      ["bo", "cy"],
    ]);
    expect(body.pairwise[0]).toMatchObject({ items: 3, percentAgreement: 1, kappa: 1 });
  });

  it("two raters get Cohen's kappa; the kappa paradox: lopsided data, 95 % agreement, kappa 0.64, AC1 0.94", async () => {
    const { call } = await testContext();
    const ratings = [
      ...times(90, ["ok", "ok"]),
      ...times(5, ["violation", "violation"]),
      ...times(3, ["violation", "ok"]),
      ...times(2, ["ok", "violation"]),
    ];
    const res = await call("POST", "/v1/agreement", { json: { ratings, confidence: 0.9 } });
    expect(res.status).toBe(200);
    expect(res.body.raters).toEqual(["r1", "r2"]);
    expect(res.body.percentAgreement).toBeCloseTo(0.95, 12);
    // p_e = 0.92·0.93 + 0.08·0.07 = 0.8612, κ = (0.95 − 0.8612)/(1 − 0.8612)
    expect(res.body.cohen.kappa).toBeCloseTo((0.95 - 0.8612) / (1 - 0.8612), 10);
    for (const key of ["se", "se0", "z", "p", "lower", "upper"])
      expect(res.body.cohen[key]).toEqual(expect.any(Number));
    expect(res.body.cohen.confidence).toBe(0.9);
    // AC1: π = 0.075, p_e = 2·0.075·0.925 = 0.13875
    expect(res.body.gwet.ac1).toBeCloseTo((0.95 - 0.13875) / (1 - 0.13875), 10);
  });

  it("level, weights and categories are honoured; numbers and strings stay distinct labels", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/agreement", {
      json: {
        ratings: [
          [1, 2],
          [2, 2],
          [3, 3],
          [1, 1],
        ],
        categories: [1, 2, 3, 4],
        level: "interval",
        weights: "quadratic",
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ categories: [1, 2, 3, 4], level: "interval", weights: "quadratic" });
    expect(res.body.krippendorff.level).toBe("interval");
    expect(res.body.gwet.coefficient).toBe("AC2");
    const mixed = await call("POST", "/v1/agreement", { json: { ratings: [[1, "1"]], categories: [1] } });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.details[0].path).toBe("ratings.0.1");
  });

  it("a label outside categories, a ragged row or fewer than two raters answer 400 naming ratings.<row>.<column>", async () => {
    const { call } = await testContext();
    const cases: [unknown, string][] = [
      [
        {
          ratings: [
            ["ok", "ok"],
            ["ok", "spam"],
            ["ok", "scam"],
          ],
          categories: ["ok", "spam"],
        },
        "ratings.2.1",
      ],
      [
        {
          ratings: [
            ["ok", "ok", "ok"],
            ["ok", "ok"],
          ],
        },
        "ratings.1.2",
      ],
      [
        {
          ratings: [
            ["ok", "ok"],
            ["ok", "ok", "spam"],
          ],
        },
        "ratings.1.2",
      ],
      [{ ratings: [["ok"], ["spam"]] }, "ratings.0"],
      [{ ratings: [["ok", true]] }, "ratings.0.1"],
      [{ ratings: [["ok", "ok"], "ok"] }, "ratings.1"],
      [{ ratings: [["ok", "ok"]], raters: ["a"] }, "raters"],
      [{ ratings: [["ok", "ok"]], raters: ["a", "a"] }, "raters.1"],
      [{ ratings: [["ok", "ok"]], raters: ["a", "b", "c"] }, "ratings.0.2"],
      [{ ratings: [["ok", "ok"]], categories: ["ok", "ok"] }, "categories.1"],
      [{ ratings: [["a", "b"]], level: "interval" }, "ratings.0.0"],
      [{ ratings: [["ok", "ok"]], confidence: 1 }, "confidence"],
      [{ ratings: [["ok", "ok"]], weights: "cubic" }, "weights"],
      [{ ratings: "ok" }, "ratings"],
      [{ ratings: [Array.from({ length: 101 }, () => "ok")] }, "ratings.0"],
    ];
    for (const [json, path] of cases) {
      const res = await call("POST", "/v1/agreement", { json });
      expect({ json, status: res.status }).toEqual({ json, status: 400 });
      expect({ json, paths: res.body.error.details.map((d: { path: string }) => d.path) }).toEqual({
        json,
        paths: expect.arrayContaining([path]),
      });
    }
  });

  it("no ratings at all gives null coefficients with reasons, not an error", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/agreement", { json: { ratings: [[null, null]] } });
    expect(res.status).toBe(200);
    expect(res.body.percentAgreement).toBeNull();
    expect(res.body.fleiss.kappa).toBeNull();
    expect(res.body.fleiss.undefinedReason).toEqual(expect.any(String));
  });
});

describe("POST /v1/agreement robustness", () => {
  it("random matrices (ragged, mixed types, nulls, odd options) answer 200 or 400, never 5xx", async () => {
    const { call } = await testContext();
    const cell = fc.oneof(
      fc.constantFrom("ok", "spam", "혐오 표현", 1, 2, 0, -1, 1.5, null, "", "1"),
      fc.anything(),
    );
    const body = fc.record(
      {
        ratings: fc.oneof(fc.array(fc.array(cell, { maxLength: 5 }), { maxLength: 8 }), fc.anything()),
        raters: fc.array(fc.constantFrom("a", "b", "c", "d", "a"), { maxLength: 5 }),
        categories: fc.array(fc.constantFrom("ok", "spam", 1, 2, "1", 0), { maxLength: 5 }),
        level: fc.constantFrom("nominal", "ordinal", "interval", "ratio", "x"),
        weights: fc.constantFrom("unweighted", "linear", "quadratic", "x"),
        confidence: fc.oneof(fc.double(), fc.constantFrom(0.9, 0.95)),
      },
      { requiredKeys: ["ratings"] },
    );
    await fc.assert(
      fc.asyncProperty(body, async (json) => {
        const res = await call("POST", "/v1/agreement", { json });
        if (res.status !== 200) {
          expect(res.status).toBe(400);
          expect(res.body.error.code).toEqual(expect.any(String));
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
