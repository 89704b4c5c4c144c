import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StatsInputError } from "../../../stats/errors.ts";
import { type ChartInput, type ChartType, chart } from "../../../stats/spc/index.ts";

function errorField(input: unknown): string | undefined {
  try {
    chart(input as ChartInput);
  } catch (error) {
    expect(error).toBeInstanceOf(StatsInputError);
    return (error as StatsInputError).field;
  }
  throw new Error("expected a StatsInputError");
}

const pPoints = [
  { count: 3, n: 50 },
  { count: 5, n: 50 },
  { count: 4, n: 50 },
  { count: 6, n: 50 },
  { count: 2, n: 50 },
];

describe("chart(input) validation names the offending field", () => {
  it.each([
    ["an unknown type", { type: "x", points: pPoints }, "type"],
    ["no points", { type: "p", points: [] }, "points"],
    ["points not an array", { type: "p", points: {} }, "points"],
    ["count > n on a p chart", { type: "p", points: [pPoints[0], { count: 51, n: 50 }] }, "points.1.count"],
    ["a negative count", { type: "c", points: [{ count: -1 }] }, "points.0.count"],
    ["a non-integer count", { type: "u", points: [{ count: 1.5, n: 2 }] }, "points.0.count"],
    ["n = 0", { type: "p", points: [{ count: 0, n: 0 }] }, "points.0.n"],
    ["a missing n on a p chart", { type: "laney-p", points: [{ count: 0 }] }, "points.0.n"],
    ["a non-integer n on a p chart", { type: "p", points: [{ count: 0, n: 2.5 }] }, "points.0.n"],
    ["n = 0 on a u chart", { type: "u", points: [{ count: 1, n: 0 }] }, "points.0.n"],
    [
      "a malformed unused n on a c chart",
      { type: "c", points: [{ count: 1 }, { count: 1, n: -2 }] },
      "points.1.n",
    ],
    ["varying n on an np chart", { type: "np", points: [pPoints[0], { count: 1, n: 40 }] }, "points.1.n"],
    ["a numeric label", { type: "c", points: [{ count: 1, label: 3 }] }, "points.0.label"],
    [
      "baseline beyond the series",
      { type: "p", points: pPoints, baseline: { from: 0, to: 5 } },
      "baseline.to",
    ],
    ["baseline from after to", { type: "p", points: pPoints, baseline: { from: 3, to: 1 } }, "baseline"],
    ["an unknown baseline key", { type: "p", points: pPoints, baseline: { start: 1 } }, "baseline.start"],
    ["exclude out of range", { type: "p", points: pPoints, exclude: [1, 5] }, "exclude.1"],
    [
      "exclude leaving nothing",
      { type: "p", points: pPoints, baseline: { from: 1, to: 2 }, exclude: [1, 2] },
      "exclude",
    ],
    ["a phase out of range", { type: "p", points: pPoints, phases: [5] }, "phases.0"],
    ["unsorted phases", { type: "p", points: pPoints, phases: [3, 2] }, "phases.1"],
    [
      "a Laney chart with one baseline point",
      { type: "laney-p", points: pPoints, baseline: { from: 2, to: 2 } },
      "baseline",
    ],
    ["a standard above 1 on a p chart", { type: "p", points: pPoints, standard: 1.5 }, "standard"],
    ["a standard above n on an np chart", { type: "np", points: pPoints, standard: 51 }, "standard"],
    ["sigma = 0", { type: "p", points: pPoints, sigma: 0 }, "sigma"],
    ["sigma on an ewma chart", { type: "ewma", points: pPoints, sigma: 3 }, "sigma"],
    ["lambda above 1", { type: "ewma", points: pPoints, ewma: { lambda: 1.5 } }, "ewma.lambda"],
    ["a misspelt ewma option", { type: "ewma", points: pPoints, ewma: { lamda: 0.2 } }, "ewma.lamda"],
    ["ewma options on a p chart", { type: "p", points: pPoints, ewma: { lambda: 0.2 } }, "ewma"],
    ["a mean with base p", { type: "ewma", points: pPoints, ewma: { base: "p", mean: 0.1 } }, "ewma.mean"],
    ["an unknown base", { type: "cusum", points: pPoints, cusum: { base: "np" } }, "cusum.base"],
    [
      "a mean contradicting standard",
      { type: "cusum", points: pPoints, standard: 1, cusum: { mean: 2 } },
      "cusum.mean",
    ],
    ["sd estimated from one point", { type: "cusum", points: [{ count: 1 }] }, "baseline"],
  ])("rejects %s", (_, input, field) => {
    expect(errorField(input)).toBe(field);
  });

  it("accepts real-valued inspection units on a u chart and arbitrary measurements for an individual base", () => {
    expect(chart({ type: "u", points: [{ count: 3, n: 2.5 }] }).points[0].value).toBe(1.2);
    expect(chart({ type: "ewma", points: [{ count: -2.5 }, { count: 1.25 }] }).phases[0].center).toBe(-0.625);
  });
});

describe("chart(input) degenerate data", () => {
  it("p chart with all counts 0: limits equal the centre 0, z null, no signal, a note and no overdispersion", () => {
    const result = chart({
      type: "p",
      points: pPoints.map((point) => ({ ...point, count: 0 })),
      rules: "nelson",
    });
    for (const point of result.points) {
      expect(point).toMatchObject({ value: 0, center: 0, lcl: 0, ucl: 0, sigma: 0, z: null, signals: [] });
    }
    expect(result.notes.join(" ")).toContain("limits equal the centre");
    expect(result.overdispersion).toMatchObject({ ratio: null, p: null });
  });

  it("p̄ = 0 over the baseline: a later nonzero point is beyond every limit (rule 1), zeros signal nothing", () => {
    const points = [
      ...pPoints.map((point) => ({ ...point, count: 0 })),
      { count: 1, n: 50 },
      { count: 0, n: 50 },
    ];
    const result = chart({ type: "p", points, baseline: { from: 0, to: 4 }, rules: "nelson" });
    expect(result.signals).toEqual([{ index: 5, label: null, rule: "nelson-1" }]);
    expect(result.points[5].z).toBeNull();
  });

  it("a constant c series has z = 0 everywhere; Nelson's rule 7 flags its lack of variation from the 15th point", () => {
    const points = new Array(16).fill({ count: 7 });
    expect(chart({ type: "c", points }).signals).toEqual([]);
    const nelson = chart({ type: "c", points, rules: "nelson" });
    expect(nelson.points.every((point) => point.z === 0)).toBe(true);
    expect(nelson.signals.map((signal) => [signal.index, signal.rule])).toEqual([
      [14, "nelson-7"],
      [15, "nelson-7"],
    ]);
  });

  it("a Laney chart of identical proportions has σ_z = 0 and limits on the centre", () => {
    const result = chart({ type: "laney-p", points: new Array(5).fill({ count: 10, n: 100 }) });
    expect(result.phases[0].sigmaZ).toBe(0);
    expect(result.points[0]).toMatchObject({ center: 0.1, lcl: 0.1, ucl: 0.1, z: null, signals: [] });
  });

  it("individual EWMA with constant baseline measurements (sd = 0) signals only when a value moves off the centre", () => {
    const points = [5, 5, 5, 5, 6, 5].map((count) => ({ count }));
    const result = chart({ type: "ewma", points, baseline: { from: 0, to: 3 } });
    expect(result.phases[0].processSd).toBe(0);
    expect(result.points[3]).toMatchObject({ value: 5, lcl: 5, ucl: 5, z: null, signals: [] });
    expect(result.signals.map((signal) => signal.index)).toEqual([4, 5]);
  });

  it("CUSUM with zero standard error flags an off-centre point on its side and leaves the sums unchanged", () => {
    const points = [5, 5, 7, 3, 5].map((count) => ({ count }));
    const result = chart({ type: "cusum", points, baseline: { from: 0, to: 1 } });
    expect(result.points[2]).toMatchObject({ value: null, z: null, signals: ["cusum-upper"], cusumUpper: 0 });
    expect(result.points[3].signals).toEqual(["cusum-lower"]);
    expect(result.points[4]).toMatchObject({ value: 0, signals: [], cusumUpper: 0, cusumLower: 0 });
  });
});

describe("chart(input) options", () => {
  it("baseline estimates the centre from its range only and marks the points used", () => {
    const result = chart({
      type: "c",
      points: [10, 12, 14, 40].map((count) => ({ count })),
      baseline: { from: 0, to: 2 },
    });
    expect(result.phases[0]).toMatchObject({ center: 12, estimatedFrom: 3 });
    expect(result.points.map((point) => point.inEstimate)).toEqual([true, true, true, false]);
    expect(result.signals).toEqual([{ index: 3, label: null, rule: "we-1" }]);
  });

  it("a phase outside the baseline is estimated from all its points, with a note", () => {
    const points = [10, 12, 14, 30, 32, 34].map((count) => ({ count }));
    const result = chart({ type: "c", points, baseline: { from: 0, to: 2 }, phases: [3] });
    expect(result.phases.map((phase) => phase.center)).toEqual([12, 32]);
    expect(result.notes.join(" ")).toContain("phase 1 (points 3 to 5) lies outside the baseline");
  });

  it("standard replaces the estimated centre (np: a count)", () => {
    const result = chart({ type: "np", points: pPoints, standard: 5 });
    expect(result.phases[0]).toMatchObject({ center: 5, centerSource: "standard" });
    expect(result.points[0].sigma).toBeCloseTo(Math.sqrt(5 * 0.9), 14);
    expect(result.overdispersion!.df).toBe(5);
  });

  it("sigma sets the limit width and the rule-1 threshold", () => {
    const result = chart({ type: "c", points: [{ count: 100 }, { count: 121 }], standard: 100, sigma: 2 });
    expect(result.points[0]).toMatchObject({ lcl: 80, ucl: 120 });
    expect(result.signals).toEqual([{ index: 1, label: null, rule: "we-1" }]);
  });

  it("u chart limits use ū/nᵢ and the overdispersion note suggests laney-u when counts vary too much", () => {
    const points = [2, 30, 4, 40, 3, 35, 5, 28].map((count) => ({ count, n: 2 }));
    const result = chart({ type: "u", points });
    const ubar = 147 / 16;
    expect(result.points[0].center).toBeCloseTo(ubar, 14);
    expect(result.points[0].sigma).toBeCloseTo(Math.sqrt(ubar / 2), 14);
    expect(result.overdispersion!.note).toContain("laney-u");
    expect(result.overdispersion!.df).toBe(7);
  });

  it("EWMA over p points uses the exact variance λ² Σ (1−λ)^{2(t−i)} σᵢ² for unequal n and starts at the centre", () => {
    const points = [
      { count: 4, n: 40 },
      { count: 9, n: 120 },
      { count: 2, n: 15 },
      { count: 11, n: 90 },
    ];
    const lambda = 0.3;
    const result = chart({ type: "ewma", points, ewma: { base: "p", lambda, L: 2.5 } });
    const pbar = 26 / 265;
    const sigmas = points.map((point) => Math.sqrt((pbar * (1 - pbar)) / point.n));
    let ewma = pbar;
    result.points.forEach((point, t) => {
      ewma = lambda * (points[t].count / points[t].n) + (1 - lambda) * ewma;
      let variance = 0;
      for (let i = 0; i <= t; i++) variance += lambda ** 2 * (1 - lambda) ** (2 * (t - i)) * sigmas[i] ** 2;
      expect(point.value!).toBeCloseTo(ewma, 14);
      expect(point.sigma).toBeCloseTo(Math.sqrt(variance), 14);
      expect(point.ucl).toBeCloseTo(pbar + 2.5 * Math.sqrt(variance), 14);
      expect(point.observed).toBe(points[t].count / points[t].n);
    });
  });

  it("EWMA and CUSUM restart in each phase", () => {
    const points = [10, 11, 9, 10, 20, 21, 19, 20].map((count) => ({ count }));
    const ewma = chart({ type: "ewma", points, phases: [4], ewma: { sd: 1 } });
    expect(ewma.phases.map((phase) => phase.center)).toEqual([10, 20]);
    expect(ewma.points[4].value).toBeCloseTo(20, 14);
    expect(ewma.points[4].sigma).toBeCloseTo(0.2, 14);
    const cusum = chart({ type: "cusum", points, phases: [4], cusum: { sd: 1 } });
    expect(cusum.points[4]).toMatchObject({ cusumUpper: 0, cusumLower: 0, baseCenter: 20 });
    expect(cusum.signals).toEqual([]);
  });

  it("labels are echoed, and default to null", () => {
    const result = chart({ type: "c", points: [{ count: 1, label: "2024-W01" }, { count: 2 }] });
    expect(result.points.map((point) => point.label)).toEqual(["2024-W01", null]);
  });
});

const binomialPoints = fc
  .array(
    fc
      .integer({ min: 1, max: 200 })
      .chain((n) => fc.record({ count: fc.integer({ min: 0, max: n }), n: fc.constant(n) })),
    { minLength: 2, maxLength: 40 },
  )
  .filter(
    (points) => points.some((point) => point.count > 0) && points.some((point) => point.count < point.n),
  );

describe("chart(input) properties (fast-check, seed 42)", () => {
  it("scaling every count and n by s keeps a p chart's values and centre and divides σᵢ and unclipped limit distances by √s", () => {
    fc.assert(
      fc.property(binomialPoints, fc.integer({ min: 2, max: 50 }), (points, s) => {
        const original = chart({ type: "p", points });
        const scaled = chart({
          type: "p",
          points: points.map((point) => ({ count: point.count * s, n: point.n * s })),
        });
        original.points.forEach((point, i) => {
          const other = scaled.points[i];
          expect(other.value).toBe(point.value);
          expect(other.center).toBe(point.center);
          expect(Math.abs(other.sigma * Math.sqrt(s) - point.sigma)).toBeLessThanOrEqual(1e-12 * point.sigma);
          if (point.ucl < 1 && other.ucl < 1) {
            const ratio = (point.ucl - point.center) / (other.ucl - other.center);
            expect(Math.abs(ratio - Math.sqrt(s))).toBeLessThan(1e-9);
          }
        });
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it("a constant series raises no Western Electric signal on any attribute chart", () => {
    const types: ChartType[] = ["p", "np", "c", "u", "laney-p", "laney-u"];
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 60, max: 500 }),
        fc.double({ min: 0.01, max: 1000, noNaN: true }),
        fc.integer({ min: 2, max: 40 }),
        (type, count, n, units, length) => {
          const size = type === "u" || type === "laney-u" ? units : n;
          const result = chart({ type, points: new Array(length).fill({ count, n: size }) });
          expect(result.signals).toEqual([]);
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });

  it("limits are ordered lcl ≤ centre ≤ ucl for every chart type", () => {
    const types: ChartType[] = ["p", "np", "c", "u", "laney-p", "laney-u", "ewma", "cusum"];
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        binomialPoints,
        fc.double({ min: 1, max: 5, noNaN: true }),
        (type, raw, sigma) => {
          const points =
            type === "np" ? raw.map((point) => ({ count: Math.min(point.count, 10), n: 10 })) : raw;
          const input: ChartInput = { type, points };
          if (type === "ewma") input.ewma = { base: "p", L: sigma };
          else if (type === "cusum") input.cusum = { base: "u", h: sigma };
          else input.sigma = sigma;
          for (const point of chart(input).points) {
            expect(point.lcl).toBeLessThanOrEqual(point.center);
            expect(point.center).toBeLessThanOrEqual(point.ucl);
            expect(Number.isNaN(point.lcl) || Number.isNaN(point.ucl)).toBe(false);
          }
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });

  it("phases are independent: each phase's points equal charting that phase's points alone", () => {
    const types: ChartType[] = ["p", "c", "u", "laney-p", "ewma", "cusum"];
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        binomialPoints.filter((points) => points.length >= 6),
        fc.integer({ min: 2, max: 100 }),
        (type, points, cut) => {
          const split = 2 + (cut % (points.length - 3));
          const base =
            type === "ewma"
              ? { ewma: { base: "p" as const } }
              : type === "cusum"
                ? { cusum: { base: "p" as const } }
                : {};
          const whole = chart({
            type,
            points,
            phases: [split],
            rules: type === "ewma" || type === "cusum" ? undefined : "nelson",
            ...base,
          });
          const parts = [points.slice(0, split), points.slice(split)].map((part) =>
            chart({
              type,
              points: part,
              rules: type === "ewma" || type === "cusum" ? undefined : "nelson",
              ...base,
            }),
          );
          const alone = [
            ...parts[0].points,
            ...parts[1].points.map((point) => ({ ...point, index: point.index + split, phase: 1 })),
          ];
          expect(whole.points).toEqual(alone);
          expect(whole.phases.map((phase) => phase.center)).toEqual(
            parts.map((part) => part.phases[0].center),
          );
        },
      ),
      { numRuns: 200, seed: 42 },
    );
  });
});
