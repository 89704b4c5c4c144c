import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StatsInputError } from "../../../stats/errors.ts";
import { fisherExactTwoSided } from "../../../stats/spc/fisher-exact.ts";
import { type CompareInput, compare } from "../../../stats/spc/index.ts";

function expectRelative(actual: number, expected: number, tolerance: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

describe("fisherExactTwoSided", () => {
  it("matches R: fisher.test(matrix(c(3,1,1,3),2))$p.value = 0.4857 (Fisher's tea-tasting table)", () => {
    expect(fisherExactTwoSided(3, 4, 1, 4)).toBeCloseTo(0.4857, 4);
  });

  // Two-sided p as defined by R fisher.test (relErr 1 + 1e-7), computed independently with mpmath at 40 digits
  // (exact binomial coefficients); scipy.stats.fisher_exact 1.17.1 agrees to ≤ 4e-10 relative.
  it.each([
    [3, 4, 1, 4, 0.4857142857142857],
    [48, 80, 56, 70, 0.012521129749209154],
    [3, 10, 9, 10, 0.019766611097880447],
    [0, 10, 10, 10, 1.082508822446903e-5],
    [1, 20, 9, 25, 0.027052648720260745],
    [100, 1000, 150, 1000, 0.0008950875386906893],
    [400, 1000, 600, 1000, 4.299952425047867e-19],
    [20, 1_000_000, 5, 1_000_000, 0.004077093658251541],
    [3000, 1_000_000, 3300, 1_000_000, 0.00016087642349910266],
  ])("a = %d/%d, b = %d/%d → p = %d (mpmath)", (xa, na, xb, nb, expected) => {
    expectRelative(fisherExactTwoSided(xa, na, xb, nb), expected, 1e-12);
  });

  it("gives 1 for identical groups and for a single possible table", () => {
    expect(fisherExactTwoSided(10, 20, 10, 20)).toBe(1);
    expect(fisherExactTwoSided(0, 5, 0, 5)).toBe(1);
  });

  it("includes tables tied with the observed one (symmetric margins), as R does", () => {
    // Margins 10/20 per group: tables x and 10 − x have equal probability, so p(2) = 2·P(X ≤ 2).
    let tail = 0;
    const choose = (n: number, k: number) => {
      let value = 1;
      for (let i = 1; i <= k; i++) value = (value * (n - k + i)) / i;
      return value;
    };
    for (let x = 0; x <= 2; x++) tail += (choose(10, x) * choose(10, 10 - x)) / choose(20, 10);
    expectRelative(fisherExactTwoSided(2, 10, 8, 10), 2 * tail, 1e-12);
  });

  it("is symmetric in the two groups (fast-check, seed 42)", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 300 })
          .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        fc
          .integer({ min: 1, max: 300 })
          .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        ([xa, na], [xb, nb]) => {
          const p = fisherExactTwoSided(xa, na, xb, nb);
          expect(p).toBeGreaterThan(0);
          expect(p).toBeLessThanOrEqual(1);
          expectRelative(fisherExactTwoSided(xb, nb, xa, na), p, 1e-9);
        },
      ),
      { numRuns: 200, seed: 42 },
    );
  });
});

describe("compare(input)", () => {
  // Newcombe RG (1998) Stat Med 17:873-890, Table II, method 10 (hybrid score, no continuity correction),
  // printed to 4 decimals; difference = b − a with b the first proportion of the paper.
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ])("Newcombe 1998 Table II: %d/%d vs %d/%d → %d to %d", (xb, nb, xa, na, lower, upper) => {
    const result = compare({ a: { count: xa, n: na }, b: { count: xb, n: nb } });
    expect(Math.abs(result.lower - lower)).toBeLessThanOrEqual(5e-5);
    expect(Math.abs(result.upper - upper)).toBeLessThanOrEqual(5e-5);
  });

  it("reports b − a, the pooled z test and Fisher's p (56/70 vs 48/80: z recomputed with scipy)", () => {
    const result = compare({ a: { count: 48, n: 80 }, b: { count: 56, n: 70 } });
    expect(result.difference).toBeCloseTo(0.2, 14);
    expectRelative(result.z!, 2.6501719512585336, 1e-12);
    expectRelative(result.p!, 0.00804508136819656, 1e-9);
    expectRelative(result.fisherP!, 0.012521129749209154, 1e-12);
    expect(result.confidence).toBe(0.95);
    expect(result.a.proportion).toBe(0.6);
  });

  it("a wider confidence level widens the interval", () => {
    const narrow = compare({ a: { count: 48, n: 80 }, b: { count: 56, n: 70 }, confidence: 0.9 });
    const wide = compare({ a: { count: 48, n: 80 }, b: { count: 56, n: 70 }, confidence: 0.99 });
    expect(wide.lower).toBeLessThan(narrow.lower);
    expect(wide.upper).toBeGreaterThan(narrow.upper);
  });

  it("both groups at 0 %: z and p are null with a reason, Fisher's p is 1", () => {
    const result = compare({ a: { count: 0, n: 10 }, b: { count: 0, n: 20 } });
    expect(result).toMatchObject({ difference: 0, z: null, p: null, fisherP: 1 });
    expect(result.undefinedReason).toContain("standard error is 0");
  });

  it("handles n = 10⁶ per group", () => {
    const result = compare({ a: { count: 3000, n: 1_000_000 }, b: { count: 3300, n: 1_000_000 } });
    expectRelative(result.fisherP!, 0.00016087642349910266, 1e-12);
    expect(result.lower).toBeGreaterThan(0);
  });

  it("compare(huge groups) skips Fisher's test past FISHER_MAX_SUPPORT tables with a reason, quickly", () => {
    const result = compare({ a: { count: 1e9, n: 2e9 }, b: { count: 1, n: 2e9 } });
    expect(result.fisherP).toBeNull();
    expect(result.fisherUndefinedReason).toContain("z test");
    expect(result.z).toBeLessThan(-30); // b − a is negative
  });

  it.each([
    ["a missing group", { a: { count: 1, n: 2 } }, "b"],
    ["n = 0", { a: { count: 0, n: 0 }, b: { count: 1, n: 2 } }, "a.n"],
    ["count > n", { a: { count: 1, n: 2 }, b: { count: 3, n: 2 } }, "b.count"],
    ["a negative count", { a: { count: -1, n: 2 }, b: { count: 1, n: 2 } }, "a.count"],
    ["a non-integer count", { a: { count: 1.5, n: 2 }, b: { count: 1, n: 2 } }, "a.count"],
    ["a confidence of 1", { a: { count: 1, n: 2 }, b: { count: 1, n: 2 }, confidence: 1 }, "confidence"],
  ])("rejects %s", (_, input, field) => {
    try {
      compare(input as CompareInput);
      throw new Error("expected a StatsInputError");
    } catch (error) {
      expect(error).toBeInstanceOf(StatsInputError);
      expect((error as StatsInputError).field).toBe(field);
    }
  });
});
