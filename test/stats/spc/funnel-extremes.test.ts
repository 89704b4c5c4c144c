import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { zCritical } from "../../../stats/critical.ts";
import { StatsInputError } from "../../../stats/errors.ts";
import {
  binomialQuantileLimits,
  binomialWindow,
  lowerBinomialLimit,
  upperBinomialLimit,
  WINDOW_MAX_VARIANCE,
} from "../../../stats/spc/binomial-limits.ts";
import { MAX_FUNNEL_N, MAX_FUNNEL_UNITS } from "../../../stats/spc/funnel.ts";
import { type FunnelInput, type FunnelResult, funnel } from "../../../stats/spc/index.ts";

function errorOf(input: unknown): StatsInputError {
  try {
    funnel(input as FunnelInput);
  } catch (error) {
    expect(error).toBeInstanceOf(StatsInputError);
    return error as StatsInputError;
  }
  throw new Error("expected a StatsInputError");
}

/**
 * Every unit's and every curve point's limits are nested by level and inside [0, 1], and (aroundTarget)
 * on either side of the target. Spiegelhalter's interpolation does not promise the last at tiny volumes
 * with an extreme target: n = 1, θ = 0.99999 has the upper 95 % limit 1 − 0.025/θ < θ.
 */
function expectSaneLimits(result: FunnelResult, aroundTarget = true) {
  const check = (limits: { lower: number; upper: number }[]) => {
    for (let j = 0; j < limits.length; j++) {
      expect(limits[j].lower).toBeGreaterThanOrEqual(0);
      expect(limits[j].upper).toBeLessThanOrEqual(1);
      if (aroundTarget) {
        expect(limits[j].lower).toBeLessThanOrEqual(result.target);
        expect(limits[j].upper).toBeGreaterThanOrEqual(result.target);
      }
      if (j > 0) {
        expect(limits[j].lower).toBeLessThanOrEqual(limits[j - 1].lower);
        expect(limits[j].upper).toBeGreaterThanOrEqual(limits[j - 1].upper);
      }
    }
  };
  for (const unit of result.units) check(unit.limits);
  for (let g = 0; g < result.curves[0].points.length; g++)
    check(result.curves.map((curve) => curve.points[g]));
}

describe("funnel at volumes up to 10¹² (issue 19)", () => {
  it("50 units at n = 10¹² complete in milliseconds with sane limits (each volume costs a few incomplete-beta evaluations, not √n pmf terms; it took 19 s)", () => {
    const units = Array.from({ length: 50 }, (_, i) => ({
      key: `queue-${i}`,
      count: 300_000_000_000 + (i - 25) * 1_000_000,
      n: MAX_FUNNEL_N - i * 7_919,
    }));
    const start = performance.now();
    const result = funnel({ units, limits: [0.95, 0.998, 0.999999] });
    // Generous: the computation takes ~10 ms; the bound only catches a return to O(√n) per volume.
    expect(performance.now() - start).toBeLessThan(2000);
    expectSaneLimits(result);
    // Binomial(10¹², 0.3) is normal to ~1/σ: the exact 95 % limits are θ ± 1.96σ/n to about a count.
    const unit = result.units[0];
    const sd = Math.sqrt((result.target * (1 - result.target)) / unit.n);
    expect(Math.abs(unit.limits[0].upper - (result.target + zCritical(0.95) * sd))).toBeLessThan(3 / unit.n);
    expect(Math.abs(unit.limits[0].lower - (result.target - zCritical(0.95) * sd))).toBeLessThan(3 / unit.n);
  });

  it("rejects the volume that aborted Node (n = 10¹⁵) and anything above 10¹² on units.<i>.n, naming the limit", () => {
    const error = errorOf({ units: [{ key: "a", count: 500_000_000_000_000, n: 1_000_000_000_000_000 }] });
    expect(error.field).toBe("units.0.n");
    expect(error.message).toContain("10^12");
    expect(
      errorOf({
        units: [
          { key: "a", count: 1, n: 10 },
          { key: "b", count: 1, n: MAX_FUNNEL_N + 1 },
        ],
      }).field,
    ).toBe("units.1.n");
    expect(funnel({ units: [{ key: "a", count: 0, n: MAX_FUNNEL_N }] }).units[0].n).toBe(MAX_FUNNEL_N);
  });

  it("rejects more than 100,000 units on units", () => {
    const units = Array.from({ length: MAX_FUNNEL_UNITS + 1 }, (_, i) => ({ key: i, count: 1, n: 10 }));
    const error = errorOf({ units });
    expect(error.field).toBe("units");
    expect(error.message).toContain("100,000");
  });

  it("the quantile search gives the pmf-window limits to 2e-15 (n up to 10⁶, θ from 1e-4 to 0.99, tails 0.5 to 5e-13; fast-check, seed 31)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 6, noNaN: true }).map((e) => Math.floor(10 ** e)),
        fc.double({ min: -4, max: Math.log10(0.99), noNaN: true }).map((e) => 10 ** e),
        fc.constantFrom(0.5, 0.25, 0.025, 0.001, 5e-7, 5e-13),
        (n, theta, tail) => {
          const window = binomialWindow(n, theta);
          const viaWindow = [lowerBinomialLimit(window, n, tail), upperBinomialLimit(window, n, tail)];
          const viaQuantile = binomialQuantileLimits(n, theta, tail);
          const tolerance = 2e-15 * viaWindow[1] + 1e-16;
          expect(Math.abs(viaQuantile.lower - viaWindow[0])).toBeLessThanOrEqual(tolerance);
          expect(Math.abs(viaQuantile.upper - viaWindow[1])).toBeLessThanOrEqual(tolerance);
        },
      ),
      { seed: 31, numRuns: 200 },
    );
  });

  it("reproduces the scipy-recomputed Spiegelhalter limits through the quantile search too", () => {
    // Same rows as funnel.test.ts (scipy.stats.binom 1.17.1 with the paper's α), lower clipped at 0.
    const rows: [number, number, number, number, number][] = [
      [100, 0.1, 0.025, 0.04038059552439343, 0.15771861163912676],
      [1_000_000, 0.5, 0.001, 0.49845438421630917, 0.5015446157836908],
      [10, 0.01, 0.025, 0, 0.07730332972444519],
      [5000, 0.2, 0.001, 0.1825934757900036, 0.2175503278785318],
    ];
    for (const [n, theta, tail, lower, upper] of rows) {
      const limits = binomialQuantileLimits(n, theta, tail);
      expect(Math.abs(limits.lower - lower)).toBeLessThanOrEqual(1e-15);
      expect(Math.abs(limits.upper - upper)).toBeLessThanOrEqual(1e-15);
    }
  });

  it("limits stay nested and inside [0, 1] for random units up to 10¹² and targets down to 1e-12 (fast-check, seed 37)", () => {
    const unit = fc
      .double({ min: 0, max: 12, noNaN: true })
      .map((e) => Math.max(1, Math.floor(10 ** e)))
      .chain((n) => fc.record({ n: fc.constant(n), count: fc.integer({ min: 0, max: n }) }));
    fc.assert(
      fc.property(
        fc.array(unit, { minLength: 1, maxLength: 8 }),
        fc.oneof(
          fc.constant(undefined),
          fc.double({ min: -12, max: -1e-9, noNaN: true }).map((e) => 10 ** e),
        ),
        fc.constantFrom("exact" as const, "normal" as const),
        (raw, target, method) => {
          const result = funnel({
            units: raw.map((u, i) => ({ key: i, ...u })),
            target,
            method,
            limits: [0.9, 0.999999999],
            gridPoints: 12,
          });
          expectSaneLimits(result, false);
          for (const u of result.units) {
            // around the target wherever the volume carries some binomial variation
            if (u.n * result.target * (1 - result.target) >= 1) {
              expect(u.limits[1].lower).toBeLessThanOrEqual(result.target);
              expect(u.limits[1].upper).toBeGreaterThanOrEqual(result.target);
            }
          }
        },
      ),
      { seed: 37, numRuns: 150 },
    );
  });

  it("switches from the pmf window to the quantile search above nθ(1 − θ) = 1000 without a jump", () => {
    expect(WINDOW_MAX_VARIANCE).toBe(1000);
    // n = 4000, θ = ½ (variance 1000, window) and n = 4004 (variance 1001, quantile search)
    const [below, above] = [4000, 4004].map(
      (n) => funnel({ units: [{ key: "a", count: n / 2, n }], target: 0.5 }).units[0].limits[0],
    );
    const window = binomialWindow(4004, 0.5);
    expect(Math.abs(above.lower - lowerBinomialLimit(window, 4004, 0.025))).toBeLessThanOrEqual(1e-15);
    expect(above.upper - above.lower).toBeLessThan(below.upper - below.lower);
  });
});
