import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StatsInputError } from "../../../stats/errors.ts";
import {
  binomialWindow,
  lowerBinomialLimit,
  upperBinomialLimit,
} from "../../../stats/spc/binomial-limits.ts";
import { type FunnelInput, funnel } from "../../../stats/spc/index.ts";

function expectRelative(actual: number, expected: number, tolerance = 1e-9) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected) + 1e-15);
}

function errorField(input: unknown): string | undefined {
  try {
    funnel(input as FunnelInput);
  } catch (error) {
    expect(error).toBeInstanceOf(StatsInputError);
    return (error as StatsInputError).field;
  }
  throw new Error("expected a StatsInputError");
}

// Spiegelhalter (2005) Appendix A.1.1 interpolated binomial limits, recomputed independently with
// scipy.stats.binom 1.17.1 (ppf/isf, then the paper's α = (F(r_p) − p)/(F(r_p) − F(r_p − 1))), unclipped.
const SCIPY_SPIEGELHALTER_LIMITS: [n: number, theta: number, tail: number, lower: number, upper: number][] = [
  [100, 0.1, 0.025, 0.04038059552439343, 0.15771861163912676],
  [100, 0.1, 0.001, 0.014178865008434753, 0.19835671850288572],
  [1_000_000, 0.5, 0.025, 0.4990195177504216, 0.5009794822495784],
  [1_000_000, 0.5, 0.001, 0.49845438421630917, 0.5015446157836908],
  [10, 0.01, 0.025, -0.0972356816116953, 0.07730332972444519],
  [250, 0.037, 0.025, 0.013242079462469018, 0.05997972296149056],
  [250, 0.037, 0.001, 0.0041562473334795244, 0.07686150879769602],
  [5000, 0.2, 0.001, 0.1825934757900036, 0.2175503278785318],
];

describe("binomial limits with Spiegelhalter's interpolation (Stat Med 2005 24:1185, Appendix A.1.1)", () => {
  it.each(SCIPY_SPIEGELHALTER_LIMITS)(
    "n = %d, θ = %d, tail %d matches scipy",
    (n, theta, tail, lower, upper) => {
      const window = binomialWindow(n, theta);
      expectRelative(lowerBinomialLimit(window, n, tail), Math.max(0, lower));
      expectRelative(upperBinomialLimit(window, n, tail), upper);
    },
  );

  it("the window's probabilities sum to 1 and equal the binomial pmf", () => {
    const { first, pmf } = binomialWindow(4, 0.5);
    expect(first).toBe(0);
    expect([...pmf]).toEqual([0.0625, 0.25, 0.375, 0.25, 0.0625]);
  });
});

describe("funnel(input)", () => {
  const pooledUnits = [
    { key: "queue-a", count: 4, n: 100 },
    { key: "queue-b", count: 30, n: 200 },
    { key: "queue-c", count: 10, n: 100 },
    { key: "queue-d", count: 12, n: 150 },
  ];

  it("uses the pooled rate as target, exact 95 % and 99.8 % limits, z and the most extreme band (scipy-recomputed limits)", () => {
    const result = funnel({ units: pooledUnits });
    expectRelative(result.target, 56 / 550, 1e-15);
    expect(result.targetSource).toBe("pooled");
    expect(result.limits).toEqual([
      { level: 0.95, name: "95" },
      { level: 0.998, name: "99.8" },
    ]);
    const [a, b, c, d] = result.units;
    expectRelative(a.limits[0].lower, 0.04137026361404253);
    expectRelative(a.limits[0].upper, 0.15957613338609516);
    expectRelative(a.limits[1].lower, 0.015305824607623624);
    expectRelative(a.limits[1].upper, 0.20027987312499027);
    expectRelative(b.limits[0].upper, 0.1432105138413614);
    expectRelative(b.limits[1].upper, 0.17070944663078072);
    expectRelative(d.limits[1].lower, 0.03002766085559744);
    expectRelative(a.z!, -2.0441907985364978);
    expectRelative(b.z!, 2.2532188915078804);
    expect(result.units.map((unit) => unit.band)).toEqual(["below-95", "above-95", "inside", "inside"]);
    expect(c.rate).toBe(0.1);
  });

  it("flags the 99.8 % band when both limits are crossed", () => {
    const result = funnel({ units: [...pooledUnits, { key: "queue-e", count: 45, n: 200 }] });
    expect(result.units[4].band).toBe("above-99.8");
  });

  it("normal method: target ± z·√(θ(1−θ)/n), clipped to [0, 1], with custom levels named in percent", () => {
    const result = funnel({ units: pooledUnits, target: 0.1, method: "normal", limits: [0.999, 0.9] });
    expect(result.limits.map((limit) => limit.name)).toEqual(["90", "99.9"]);
    const se = Math.sqrt(0.09 / 100);
    expectRelative(result.units[0].limits[0].lower, 0.1 - 1.6448536269514722 * se, 1e-12);
    expectRelative(result.units[0].limits[1].upper, 0.1 + 3.2905267314919255 * se, 1e-12);
    expect(result.units[0].band).toBe("below-90");
  });

  it("curves are log-spaced integer volumes from the smallest to the largest n, limits narrowing with n", () => {
    const result = funnel({ units: pooledUnits, method: "normal", gridPoints: 20 });
    const points = result.curves[1].points;
    expect(points[0].n).toBe(100);
    expect(points[points.length - 1].n).toBe(200);
    for (let g = 1; g < points.length; g++) {
      expect(points[g].n).toBeGreaterThan(points[g - 1].n);
      expect(points[g].upper).toBeLessThan(points[g - 1].upper);
      expect(points[g].lower).toBeGreaterThan(points[g - 1].lower);
    }
    const defaultGrid = funnel({ units: pooledUnits }).curves[0].points.map((point) => point.n);
    expect(defaultGrid.length).toBeLessThanOrEqual(100);
    expect(new Set(defaultGrid).size).toBe(defaultGrid.length);
    expect(defaultGrid.every(Number.isInteger)).toBe(true);
  });

  it("exact limits approach the normal ones for large n", () => {
    const units = [{ key: 1, count: 100_000, n: 1_000_000 }];
    const exact = funnel({ units, target: 0.1 }).units[0].limits;
    const normal = funnel({ units, target: 0.1, method: "normal" }).units[0].limits;
    for (let j = 0; j < 2; j++) {
      expect(Math.abs(exact[j].upper - normal[j].upper)).toBeLessThan(2e-5);
      expect(Math.abs(exact[j].lower - normal[j].lower)).toBeLessThan(2e-5);
    }
  });

  it("multiplicative overdispersion (Spiegelhalter 2005 §6): winsorised φ, χ² test and limits widened by √φ (numpy/scipy recomputed)", () => {
    const units = [
      [5, 100],
      [22, 150],
      [9, 80],
      [40, 300],
      [3, 60],
      [30, 200],
      [12, 120],
      [2, 90],
      [55, 400],
      [18, 250],
      [7, 50],
      [25, 180],
    ].map(([count, n], i) => ({ key: `u${i}`, count, n }));
    const result = funnel({ units, target: 0.1, overdispersion: "multiplicative" });
    const overdispersion = result.overdispersion!;
    expectRelative(overdispersion.winsorisedAt!.lower, -1.6475729574745244);
    expectRelative(overdispersion.winsorisedAt!.upper, 2.313770433289517);
    expectRelative(overdispersion.phiEstimate!, 2.613858954159372);
    expectRelative(overdispersion.statistic!, 31.366307449912462);
    expect(overdispersion.df).toBe(12);
    expectRelative(overdispersion.p!, 0.0017317730091589603, 1e-6);
    expect(overdispersion.applied).toBe(true);
    const [first, second] = result.units;
    expectRelative(first.limits[0].lower, 0.003610726230349595);
    expectRelative(first.limits[0].upper, 0.19331617965362638);
    expect(first.limits[1].lower).toBe(0);
    expectRelative(first.limits[1].upper, 0.25901756735490494);
    expectRelative(second.limits[0].upper, 0.1760569434957811);
    expectRelative(second.zAdjusted!, 1.9051586888313605 / Math.sqrt(2.613858954159372));
    const unadjusted = funnel({ units, target: 0.1 });
    expect(
      unadjusted.units.filter((unit) => unit.band !== "inside").map((unit) => [unit.key, unit.band]),
    ).toEqual([
      ["u5", "above-95"],
      ["u7", "below-95"],
      ["u8", "above-95"],
    ]);
    expect(result.units.every((unit) => unit.band === "inside")).toBe(true);
  });

  it("does not narrow the funnel when the winsorised φ is at most 1", () => {
    const result = funnel({ units: pooledUnits.slice(2), overdispersion: "multiplicative" });
    expect(result.overdispersion).toMatchObject({ applied: false, phi: 1 });
    expect(result.units[0].zAdjusted).toBeUndefined();
  });

  it("a pooled rate of 0 gives limits equal to the target, z null, every unit inside and a note", () => {
    const result = funnel({
      units: [
        { key: "a", count: 0, n: 10 },
        { key: "b", count: 0, n: 30 },
      ],
    });
    expect(result.target).toBe(0);
    expect(result.units.map((unit) => [unit.z, unit.band])).toEqual([
      [null, "inside"],
      [null, "inside"],
    ]);
    expect(result.curves[0].points[0]).toEqual({ n: 10, lower: 0, upper: 0 });
    expect(result.notes[0]).toContain("no binomial variation");
  });

  it.each([
    ["no units", { units: [] }, "units"],
    ["count > n", { units: [{ key: "a", count: 5, n: 4 }] }, "units.0.count"],
    ["n = 0", { units: [{ key: "a", count: 0, n: 0 }] }, "units.0.n"],
    ["a duplicate key", { units: [pooledUnits[0], { ...pooledUnits[1], key: "queue-a" }] }, "units.1.key"],
    ["a missing key", { units: [{ count: 1, n: 2 }] }, "units.0.key"],
    ["a target of 1", { units: pooledUnits, target: 1 }, "target"],
    ["a level of 1", { units: pooledUnits, limits: [0.95, 1] }, "limits.1"],
    ["a repeated level", { units: pooledUnits, limits: [0.95, 0.95] }, "limits"],
    ["an unknown method", { units: pooledUnits, method: "poisson" }, "method"],
    [
      "an unknown overdispersion method",
      { units: pooledUnits, overdispersion: "additive" },
      "overdispersion",
    ],
    ["one grid point", { units: pooledUnits, gridPoints: 1 }, "gridPoints"],
  ])("rejects %s", (_, input, field) => {
    expect(errorField(input)).toBe(field);
  });

  it("limits are nested and contain the target for random units (fast-check, seed 42)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc
            .integer({ min: 1, max: 5000 })
            .chain((n) => fc.record({ count: fc.integer({ min: 0, max: n }), n: fc.constant(n) })),
          { minLength: 1, maxLength: 20 },
        ),
        fc.constantFrom("exact" as const, "normal" as const),
        (raw, method) => {
          const units = raw.map((unit, i) => ({ key: i, ...unit }));
          const result = funnel({ units, method, target: 0.2 });
          for (const unit of result.units) {
            const [inner, outer] = unit.limits;
            expect(outer.lower).toBeLessThanOrEqual(inner.lower);
            expect(inner.lower).toBeLessThanOrEqual(0.2);
            expect(0.2).toBeLessThanOrEqual(inner.upper);
            expect(inner.upper).toBeLessThanOrEqual(outer.upper);
            expect(outer.lower).toBeGreaterThanOrEqual(0);
            expect(outer.upper).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 100, seed: 42 },
    );
  });
});
