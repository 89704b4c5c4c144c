import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { zCritical } from "../../stats/critical.ts";
import { StatsInputError, StatsTooExpensiveError } from "../../stats/errors.ts";
import { type Bounds, clopperPearsonInterval, wilsonInterval } from "../../stats/proportion-interval.ts";
import {
  EXACT_SEARCH_BUDGET,
  exactSearchCost,
  sampleSizeEstimate,
  smallestAffordableMargin,
  smallestExactSampleSize,
} from "../../stats/sample-size-estimate.ts";

/** Runs the exact search and counts its interval evaluations. */
function countedSearch(method: "wilson" | "clopper-pearson", p: number, margin: number, confidence: number) {
  const z = zCritical(confidence);
  let evaluations = 0;
  const bounds = (x: number, n: number): Bounds => {
    evaluations++;
    return method === "wilson" ? wilsonInterval(x, n, z) : clopperPearsonInterval(x, n, confidence);
  };
  const n = smallestExactSampleSize(bounds, p, margin);
  return { n, evaluations, estimate: exactSearchCost(p, margin, z) };
}

const rate = fc.oneof(
  fc.constantFrom(0, 1, 0.5, 1e-6, 1 - 1e-6),
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.double({ min: -12, max: 0, noNaN: true }).map(Math.exp),
);
const confidence = fc.oneof(fc.constant(0.95), fc.double({ min: 0.5, max: 0.999999, noNaN: true }));
/** Log-uniform margins from 1e-6 to 0.49. */
const margin = fc.double({ min: Math.log(1e-6), max: Math.log(0.49), noNaN: true }).map(Math.exp);

describe("exactSearchCost (the prediction behind the sample-size budget)", () => {
  it("is never below the evaluations the search really makes (Wilson, fast-check)", () => {
    fc.assert(
      fc.property(rate, margin, confidence, (p, e, c) => {
        const z = zCritical(c);
        fc.pre(exactSearchCost(p, e, z) <= 2_000_000);
        const { evaluations, estimate } = countedSearch("wilson", p, e, c);
        expect(evaluations).toBeLessThanOrEqual(estimate);
      }),
      { seed: 20261125, numRuns: 300 },
    );
  });

  it("is never below the evaluations the search really makes (Clopper–Pearson, fast-check)", () => {
    fc.assert(
      fc.property(rate, margin, confidence, (p, e, c) => {
        fc.pre(exactSearchCost(p, e, zCritical(c)) <= 5_000);
        const { evaluations, estimate } = countedSearch("clopper-pearson", p, e, c);
        expect(evaluations).toBeLessThanOrEqual(estimate);
      }),
      { seed: 20261125, numRuns: 40 },
    );
  });

  it("falls as the margin grows, so each budget has one smallest affordable margin", () => {
    fc.assert(
      fc.property(rate, margin, margin, confidence, (p, e1, e2, c) => {
        const z = zCritical(c);
        const [small, large] = e1 <= e2 ? [e1, e2] : [e2, e1];
        expect(exactSearchCost(p, small, z)).toBeGreaterThanOrEqual(exactSearchCost(p, large, z));
      }),
      { seed: 20261125, numRuns: 300 },
    );
    for (const method of ["wilson", "clopper-pearson"] as const) {
      for (const p of [0, 0.01, 0.3, 0.5, 0.97]) {
        const z = zCritical(0.95);
        const budget = EXACT_SEARCH_BUDGET[method];
        const limit = smallestAffordableMargin(p, z, budget);
        expect(exactSearchCost(p, limit, z)).toBeLessThanOrEqual(budget);
        // Rounded up to two significant digits: at most ~10 % above the exact threshold.
        expect(exactSearchCost(p, limit / 1.1, z)).toBeGreaterThan(budget);
        expect(Number(limit.toPrecision(2))).toBe(limit);
      }
    }
  });

  it("stops the search at maxEvaluations (null) instead of running on", () => {
    const z = zCritical(0.95);
    const bounds = (x: number, n: number) => wilsonInterval(x, n, z);
    expect(smallestExactSampleSize(bounds, 0.5, 0.001, 50)).toBeNull();
    expect(smallestExactSampleSize(bounds, 0.5, 0.001, 1_000_000)).toBe(960361);
  });
});

describe("sampleSizeEstimate refuses searches over budget before starting them", () => {
  it("margin 1e-6 (Clopper–Pearson): StatsTooExpensiveError on margin with a limit that works", () => {
    const start = performance.now();
    let error: unknown;
    try {
      sampleSizeEstimate({ margin: 1e-6, method: "clopper-pearson" });
    } catch (e) {
      error = e;
    }
    expect(performance.now() - start).toBeLessThan(200);
    expect(error).toBeInstanceOf(StatsTooExpensiveError);
    expect(error).toBeInstanceOf(StatsInputError); // handled as a client error wherever only that is known
    const tooExpensive = error as StatsTooExpensiveError;
    expect(tooExpensive.field).toBe("margin");
    expect(tooExpensive.alternatives).toEqual([{ method: "wald" }]);
    expect(tooExpensive.message).toMatch(/budget 100,000/);
    const limit = tooExpensive.limit!;
    expect(limit).toBe(
      smallestAffordableMargin(0.5, zCritical(0.95), EXACT_SEARCH_BUDGET["clopper-pearson"]),
    );
    const atLimit = sampleSizeEstimate({ margin: limit, method: "clopper-pearson" });
    expect(atLimit.n).toBeGreaterThan(1_000_000);
  });

  it("offers wilson to a Clopper–Pearson request when Wilson fits at that margin", () => {
    let error: StatsTooExpensiveError | undefined;
    try {
      sampleSizeEstimate({ margin: 3e-4, method: "clopper-pearson" });
    } catch (e) {
      error = e as StatsTooExpensiveError;
    }
    expect(error?.alternatives).toEqual([{ method: "wilson" }, { method: "wald" }]);
    expect(sampleSizeEstimate({ margin: 3e-4, method: "wilson" }).n).toBe(10670716);
  });

  it("offers no wald when Cochran's n₀ is not a countable sample, or 0 (rate 0 or 1)", () => {
    for (const expectedRate of [0.5, 0, 1]) {
      let error: StatsTooExpensiveError | undefined;
      try {
        sampleSizeEstimate({ margin: 1e-9, method: "wilson", expectedRate });
      } catch (e) {
        error = e as StatsTooExpensiveError;
      }
      expect(error).toBeInstanceOf(StatsTooExpensiveError);
      expect(error?.alternatives).toEqual([]);
      expect(error?.limit).toBeGreaterThan(1e-9);
    }
  });
});
