import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  INTERVAL_METHODS,
  type IntervalMethod,
  proportionInterval,
} from "../../stats/proportion-interval.ts";

function expectRelative(actual: number, expected: number, tolerance: number, label = "") {
  const error = Math.abs(actual - expected) / Math.abs(expected);
  expect(error, `${label} ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

/** Methods whose limits are clipped to [0, 1] by convention (Wald and Agresti–Coull are not: R binom). */
const CLIPPED: readonly IntervalMethod[] = ["wilson", "clopper-pearson", "jeffreys"];

const largeN = fc.double({ min: 0, max: 12, noNaN: true }).map((e) => Math.max(1, Math.floor(10 ** e)));
/** A count near 0, near n, at n/2 or anywhere. */
const countFor = (n: number) =>
  fc.oneof(
    fc.integer({ min: 0, max: Math.min(n, 20) }),
    fc.integer({ min: Math.max(0, n - 20), max: n }),
    fc.constant(Math.floor(n / 2)),
    fc.double({ min: 0, max: 1, noNaN: true }).map((u) => Math.min(n, Math.floor(u * (n + 1)))),
  );
const countAndN = largeN.chain((n) => fc.record({ n: fc.constant(n), count: countFor(n) }));
/** Confidence levels from 1e-15 to 1 − 1e-15, the edges included. */
const extremeConfidence = fc.oneof(
  fc.constantFrom(1 - 1e-15, 0.9999999999999999, 0.95, 0.5, 1e-15),
  fc.double({ min: 0.01, max: 15, noNaN: true }).map((e) => 1 - 10 ** -e),
  fc.double({ min: 1e-15, max: 1, noNaN: true, maxExcluded: true }),
  fc.double({ min: 0.01, max: 15, noNaN: true }).map((e) => 10 ** -e),
);

describe("proportion intervals at the edges (issue 19: numbers at the edges)", () => {
  it("Clopper–Pearson for 10¹⁵ of 2·10¹⁵ is ordered around ½ with the normal half-width (it had lower > upper)", () => {
    const iv = proportionInterval(1e15, 2e15, { method: "clopper-pearson" });
    expect(iv.lower).toBeLessThan(0.5);
    expect(iv.upper).toBeGreaterThan(0.5);
    // At n = 2·10¹⁵ the exact interval is the normal one, 1.96·√(¼/n) either side, to ~1/√n.
    const half = 1.959963984540054 * Math.sqrt(0.25 / 2e15);
    expectRelative(0.5 - iv.lower, half, 1e-6);
    expectRelative(iv.upper - 0.5, half, 1e-6);
  });

  it("Jeffreys for 1 of 10¹⁵ contains the estimate (it had lower > estimate)", () => {
    const iv = proportionInterval(1, 1e15, { method: "jeffreys" });
    // Beta(1.5, 10¹⁵ − ½)·b → Gamma(1.5): mpmath gammaincinv(1.5, 0.025 | 0.975)/b, relative error ~a/b.
    expectRelative(iv.lower, 1.0789764131194902e-16, 1e-12);
    expectRelative(iv.upper, 4.674201802248075e-15, 1e-12);
    expect(iv.lower).toBeLessThan(iv.estimate);
  });

  it("Clopper–Pearson at n = 10¹² matches mpmath (quadrature roots and the closed forms at x = 0 and 1)", () => {
    const middle = proportionInterval(5e11, 1e12, { method: "clopper-pearson" });
    expectRelative(middle.lower, 0.49999902001750773, 1e-15);
    expectRelative(middle.upper, 0.5000009799824923, 1e-15);
    // x = 0: upper = 1 − (α/2)^{1/n}; x = 1: lower = 1 − (1 − α/2)^{1/n}
    expectRelative(
      proportionInterval(0, 1e12, { method: "clopper-pearson" }).upper,
      3.688879454107133e-12,
      1e-14,
    );
    expectRelative(
      proportionInterval(1, 1e12, { method: "clopper-pearson" }).lower,
      2.5317807984289576e-14,
      1e-14,
    );
    const extreme = proportionInterval(0, 1e12, { method: "clopper-pearson", confidence: 0.999999999999999 });
    expectRelative(extreme.upper, 3.5232723172280156e-11, 1e-14);
    // x = 1 upper: Beta(2, n − 1)·n → Gamma(2), mpmath gammaincinv(2, 0.975)/n (relative error ~2/n)
    expectRelative(
      proportionInterval(1, 1e12, { method: "clopper-pearson" }).upper,
      5.571643390938897e-12,
      1e-11,
    );
  });

  it("Jeffreys is widened to contain x/n where its equal-tailed posterior interval would not (below ~14.5 % confidence)", () => {
    // Both posterior quantiles tend to the median ≈ (x + 1/6)/(n + 1/3) as the confidence falls. At x = 1 and
    // large n, Beta(1.5, n − 0.5)·n → Gamma(1.5) and P(Gamma(1.5) ≤ 1) = 0.4276, so the lower quantile passes
    // 1/n when α/2 > 0.4276, i.e. below 14.5 % confidence (symmetrically at x = n − 1).
    const narrow = proportionInterval(1, 1e6, { method: "jeffreys", confidence: 0.1 });
    expect(narrow.lower).toBe(1e-6);
    expect(narrow.upper).toBeGreaterThan(1e-6);
    const usual = proportionInterval(1, 1e6, { method: "jeffreys", confidence: 0.95 });
    expect(usual.lower).toBeLessThan(1e-6);
  });

  it("every method keeps lower ≤ x/n ≤ upper for n up to 10¹² and confidence 1e-15 to 1 − 1e-15 (fast-check, seed 19)", () => {
    fc.assert(
      fc.property(
        countAndN,
        extremeConfidence,
        fc.constantFrom(...INTERVAL_METHODS),
        ({ count, n }, c, method) => {
          const iv = proportionInterval(count, n, { method, confidence: c });
          expect(Number.isFinite(iv.lower) && Number.isFinite(iv.upper)).toBe(true);
          expect(iv.lower).toBeLessThanOrEqual(iv.upper);
          expect(iv.lower).toBeLessThanOrEqual(iv.estimate);
          expect(iv.upper).toBeGreaterThanOrEqual(iv.estimate);
          if (CLIPPED.includes(method)) {
            expect(iv.lower).toBeGreaterThanOrEqual(0);
            expect(iv.upper).toBeLessThanOrEqual(1);
            if (count === 0) expect(iv.lower).toBe(0);
            if (count === n) expect(iv.upper).toBe(1);
          }
        },
      ),
      { seed: 19, numRuns: 1500 },
    );
  });

  it("the limits are mirror images: lower(x, n) = 1 − upper(n − x, n) (fast-check, seed 23)", () => {
    fc.assert(
      fc.property(
        countAndN,
        extremeConfidence,
        fc.constantFrom(...INTERVAL_METHODS),
        ({ count, n }, c, method) => {
          const iv = proportionInterval(count, n, { method, confidence: c });
          const mirror = proportionInterval(n - count, n, { method, confidence: c });
          expect(Math.abs(iv.lower - (1 - mirror.upper))).toBeLessThanOrEqual(4e-16);
        },
      ),
      { seed: 23, numRuns: 500 },
    );
  });

  it("a higher confidence never narrows Wilson, Clopper–Pearson or Jeffreys at n up to 10¹² (fast-check, seed 29)", () => {
    fc.assert(
      fc.property(
        countAndN,
        extremeConfidence,
        extremeConfidence,
        fc.constantFrom<IntervalMethod>("wilson", "clopper-pearson", "jeffreys"),
        ({ count, n }, c1, c2, method) => {
          const [low, high] = c1 <= c2 ? [c1, c2] : [c2, c1];
          const a = proportionInterval(count, n, { method, confidence: low });
          const b = proportionInterval(count, n, { method, confidence: high });
          // a few ulps of the limits
          const slack = 4e-16 * Math.max(a.upper, b.upper);
          expect(b.lower).toBeLessThanOrEqual(a.lower + slack);
          expect(b.upper).toBeGreaterThanOrEqual(a.upper - slack);
        },
      ),
      { seed: 29, numRuns: 500 },
    );
  });

  it("stays ordered up to 2^53 − 1, past the documented 10¹² (n = 2·10¹⁵ at confidence 1e-10 to 1 − 1e-15)", () => {
    for (const method of INTERVAL_METHODS) {
      for (const confidence of [1e-10, 0.5, 0.95, 1 - 1e-15]) {
        for (const count of [0, 1, 1e15, 2e15 - 1, 2e15]) {
          const iv = proportionInterval(count, 2e15, { method, confidence });
          expect(iv.lower, `${method} ${count} ${confidence}`).toBeLessThanOrEqual(iv.upper);
          expect(iv.lower).toBeLessThanOrEqual(iv.estimate);
          expect(iv.upper).toBeGreaterThanOrEqual(iv.estimate);
        }
      }
    }
    const top = proportionInterval(Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER, {
      method: "clopper-pearson",
    });
    expect(top.lower).toBeLessThanOrEqual(top.estimate);
    expect(top.upper).toBe(1);
  });
});
