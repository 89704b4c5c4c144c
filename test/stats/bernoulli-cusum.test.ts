import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StatsTooExpensiveError } from "../../stats/errors.ts";
import {
  bernoulliCusumArl,
  bernoulliCusumDesign,
  bernoulliCusumPath,
  oddsRatioToP1,
} from "../../stats/spc/bernoulli-cusum.ts";
import { type ChartInput, chart } from "../../stats/spc/index.ts";
import { mulberry32 } from "../seeded-random.ts";
import { thrownField } from "./thrown-field.ts";

/*
 * Reference values: test/fixtures/reference/bernoulli_cusum_arl_python.json, written by
 * bernoulli_cusum_arl_python.py beside it: the Reynolds & Stoumbos (1999) chain built as in L. Sego's R function
 * Bernoulli.mc.arl and solved densely (numpy LAPACK; mpmath at 40 digits for the small cases). No published
 * table of Reynolds & Stoumbos (1999) was reachable from this session, so these are an independent
 * re-implementation, backed by two closed forms below and a seeded simulation.
 */
interface ReferenceCase {
  p0: number;
  p1: number;
  h: number;
  gammaExact: number;
  m: number;
  states: number;
  arl0: number;
  arl1: number;
  arl0_mpmath?: number;
  arl1_mpmath?: number;
}
const reference = JSON.parse(
  readFileSync(new URL("../fixtures/reference/bernoulli_cusum_arl_python.json", import.meta.url), "utf8"),
) as { cases: ReferenceCase[] };

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("Bernoulli CUSUM ARL (exact Markov chain) against an independent dense solve", () => {
  it.each(reference.cases)("p0 $p0, p1 $p1, h $h (m $m, $states states)", (c) => {
    const design = bernoulliCusumDesign({ p0: c.p0, p1: c.p1, h: c.h });
    expect(design.m).toBe(c.m);
    expect(design.states).toBe(c.states);
    expect(relative(design.gammaExact, c.gammaExact)).toBeLessThan(1e-13);
    const tolerance = c.arl0_mpmath === undefined ? 1e-9 : 1e-11;
    expect(relative(design.arl0, c.arl0_mpmath ?? c.arl0)).toBeLessThan(tolerance);
    expect(relative(design.arl1, c.arl1_mpmath ?? c.arl1)).toBeLessThan(tolerance);
  });

  it("a strong upward drift (p ≫ γ) at every offset within m states: equal to value iteration to 10⁻¹²", () => {
    // L(s) = 1 + q·L(max(0, s − 1)) + p·L(s + m − 1), L = 0 at s ≥ H, iterated to its fixed point (Gauss–Seidel):
    // the regression case of a sliding update that divided by small P(s) (p 0.3153, m 56, H 166–170).
    const iterated = (p: number, m: number, H: number) => {
      const L = new Float64Array(H);
      for (let change = 1; change > 1e-15; ) {
        change = 0;
        for (let s = H - 1; s >= 0; s--) {
          const next = 1 + (1 - p) * L[Math.max(0, s - 1)] + p * (s + m - 1 < H ? L[s + m - 1] : 0);
          change = Math.max(change, Math.abs(next - L[s]));
          L[s] = next;
        }
      }
      return L[0];
    };
    for (let H = 166; H <= 170; H++)
      expect(
        relative(bernoulliCusumArl(0.31529575879940736, 56, H), iterated(0.31529575879940736, 56, H)),
      ).toBeLessThan(1e-12);
  });

  it("h below 1 − γ: every error signals, so ARL = 1/p (geometric run length)", () => {
    for (const [p, m, H] of [
      [0.1, 2, 1],
      [0.02, 50, 49],
      [0.3, 3, 2],
    ]) {
      expect(relative(bernoulliCusumArl(p, m, H), 1 / p)).toBeLessThan(1e-14);
    }
  });

  it("γ = 1/2: the reflected simple random walk, ARL = Σ_k τ_k with τ_0 = 1/p, τ_k = 1/p + (q/p)·τ_{k−1}", () => {
    // Expected time to climb from level k to k + 1 of a ±1 walk reflected at 0 (Feller, vol. I, XIV.3).
    for (const [p, H] of [
      [0.3, 6],
      [0.1, 5],
      [0.45, 40],
    ]) {
      let tau = 1 / p;
      let arl = tau;
      for (let k = 1; k < H; k++) {
        tau = 1 / p + ((1 - p) / p) * tau;
        arl += tau;
      }
      expect(relative(bernoulliCusumArl(p, 2, H), arl)).toBeLessThan(1e-11);
    }
  });

  it("ARL rises with h and falls with p", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.005, max: 0.4, noNaN: true }),
        fc.integer({ min: 2, max: 60 }),
        fc.integer({ min: 1, max: 400 }),
        (p, m, H) => {
          const base = bernoulliCusumArl(p, m, H);
          if (!Number.isFinite(base)) {
            expect(base).toBe(Number.POSITIVE_INFINITY); // beyond 10³⁰⁸ items
            return;
          }
          expect(bernoulliCusumArl(p, m, H + 1)).toBeGreaterThanOrEqual(base * (1 - 1e-12));
          expect(bernoulliCusumArl(p * 1.1, m, H)).toBeLessThanOrEqual(base * (1 + 1e-12));
          expect(base).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("Bernoulli CUSUM ARL against a seeded simulation of the chart itself", () => {
  it.each([
    ["ARL₀", 0.1, "arl0"],
    ["ARL₁", 0.2, "arl1"],
  ] as const)(
    "%s of p0 0.1, p1 0.2, h 18/7 within 3 standard errors (items at p = %s)",
    (_name, p, which) => {
      const design = bernoulliCusumDesign({ p0: 0.1, p1: 0.2, h: 18 / 7 });
      const random = mulberry32(20260912);
      const runs = 20_000;
      let sum = 0;
      let sumOfSquares = 0;
      for (let r = 0; r < runs; r++) {
        let length = 0;
        let signalled = false;
        // The chart as served: bernoulliCusumPath on single items until the first signal.
        let scaled = 0;
        while (!signalled) {
          length++;
          scaled = Math.max(0, scaled + (random() < p ? design.m : 0) - 1);
          signalled = scaled >= design.states;
        }
        sum += length;
        sumOfSquares += length * length;
      }
      const mean = sum / runs;
      const standardError = Math.sqrt((sumOfSquares / runs - mean * mean) / runs);
      expect(Math.abs(mean - design[which])).toBeLessThan(3 * standardError);
      // The path function gives the same first signal as the loop above on one stream.
      const stream = mulberry32(7);
      const items = Array.from({ length: 5000 }, () => (stream() < p ? 1 : 0));
      const steps = bernoulliCusumPath(items, new Array(5000).fill(1), design.m, design.states);
      let scaled = 0;
      for (let i = 0; i < items.length; i++) {
        scaled = Math.max(0, scaled + design.m * items[i] - 1);
        expect(steps[i].signal).toBe(scaled >= design.states);
        if (scaled >= design.states) scaled = 0;
      }
    },
  );
});

describe("bernoulliCusumDesign", () => {
  it("γ* is the log-likelihood-ratio value, between p0 and p1; p1 from the odds ratio", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 0.3, noNaN: true }),
        fc.double({ min: 1.2, max: 10, noNaN: true }),
        (p0, oddsRatio) => {
          const p1 = oddsRatioToP1(p0, oddsRatio);
          expect(((p1 / (1 - p1)) * (1 - p0)) / p0).toBeCloseTo(oddsRatio, 8);
          const design = bernoulliCusumDesign({ p0, oddsRatio, h: 1 });
          expect(design.gammaExact).toBeGreaterThan(p0);
          expect(design.gammaExact).toBeLessThan(p1);
          const llr = Math.log((1 - p0) / (1 - p1)) / Math.log((p1 * (1 - p0)) / (p0 * (1 - p1)));
          expect(relative(design.gammaExact, llr)).toBeLessThan(1e-10);
          expect(design.m).toBe(Math.round(1 / llr));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("targetArl0: the smallest h on the grid with ARL₀ ≥ target (the chart is discrete)", () => {
    for (const [p0, target] of [
      [0.01, 10_000],
      [0.05, 500],
      [0.001, 100_000],
      [0.2, 100],
    ]) {
      const design = bernoulliCusumDesign({ p0, targetArl0: target });
      expect(design.arl0).toBeGreaterThanOrEqual(target);
      expect(design.targetArl0).toBe(target);
      expect(design.oddsRatio).toBe(2);
      if (design.states > design.m - 1) {
        expect(bernoulliCusumArl(p0, design.m, design.states - 1)).toBeLessThan(target);
      }
      expect(design.arl1).toBeLessThan(design.arl0);
    }
  });

  it("a target at or below 1/p0 gives h = 1 − γ: every error signals", () => {
    const design = bernoulliCusumDesign({ p0: 0.1, p1: 0.2, targetArl0: 5 });
    expect(design.states).toBe(design.m - 1);
    expect(design.arl0).toBeCloseTo(10, 10);
  });

  it("h is rounded up to the grid of 1/m, with a note", () => {
    const design = bernoulliCusumDesign({ p0: 0.1, p1: 0.2, h: 2.5 });
    expect(design.m).toBe(7);
    expect(design.states).toBe(18);
    expect(design.h).toBeCloseTo(18 / 7, 14);
    expect(design.notes.join(" ")).toMatch(/rounded up/);
  });

  it("names the offending field", () => {
    const field = (options: unknown) =>
      thrownField(() => bernoulliCusumDesign(options as Parameters<typeof bernoulliCusumDesign>[0]));
    expect(field({ p0: 0 })).toBe("p0");
    expect(field({ p0: 1.5 })).toBe("p0");
    expect(field({ p0: Number.NaN })).toBe("p0");
    expect(field({ p0: 0.1, p1: 0.05 })).toBe("p1");
    expect(field({ p0: 0.1, p1: 0.2, oddsRatio: 2 })).toBe("oddsRatio");
    expect(field({ p0: 0.1, oddsRatio: 0.5 })).toBe("oddsRatio");
    expect(field({ p0: 0.1, h: 2, targetArl0: 100 })).toBe("targetArl0");
    expect(field({ p0: 0.1, h: -1 })).toBe("h");
    expect(field({ p0: 0.1, targetArl0: 0 })).toBe("targetArl0");
    expect(field({ p0: 0.1, targetArl0: 1e12 })).toBe("targetArl0");
    expect(field({ p0: 0.1, m: 1 })).toBe("m");
    expect(field({ p0: 0.1, m: 2.5 })).toBe("m");
    expect(field({ p0: 0.6, p1: 0.9 })).toBe("p1"); // γ* > 2/3: no 1/m with m ≥ 2
    expect(field({ p0: 0.1, lamda: 1 })).toBe("lamda");
    expect(field({ p0: 0.001, p1: 0.9, m: 2, h: 1000 })).toBe("h"); // ARL₀ beyond 10³⁰⁸
  });

  it("refuses designs over the budget with StatsTooExpensiveError", () => {
    expect(() => bernoulliCusumDesign({ p0: 1e-6 })).toThrow(StatsTooExpensiveError);
    try {
      bernoulliCusumDesign({ p0: 1e-4, h: 900 });
    } catch (error) {
      expect(error).toBeInstanceOf(StatsTooExpensiveError);
      expect((error as StatsTooExpensiveError).field).toBe("h");
    }
    expect(thrownField(() => bernoulliCusumDesign({ p0: 1e-4, h: 900 }))).toBe("h");
  });

  it("designs at p0 = 10⁻⁴ for a target ARL₀ of 10⁶ audits well within a second (the bench times it)", () => {
    const started = performance.now();
    const design = bernoulliCusumDesign({ p0: 1e-4, targetArl0: 1e6 });
    expect(design.arl0).toBeGreaterThanOrEqual(1e6);
    // A guard against a pathological slowdown only, generous for a shared machine: npm run bench bernoulli-cusum
    // measures it (≈ 30–50 ms).
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("bernoulliCusumPath", () => {
  it("steps item by item on the grid, restarts after a signal, counts items since the restart", () => {
    // γ = 1/2, h = 1: two errors in a row signal.
    const steps = bernoulliCusumPath([1, 0, 1, 1, 0, 1], [1, 1, 1, 1, 1, 1], 2, 2);
    expect(steps.map((s) => s.value)).toEqual([0.5, 0, 0.5, 1, 0, 0.5]);
    expect(steps.map((s) => s.signal)).toEqual([false, false, false, true, false, false]);
    expect(steps.map((s) => s.runLength)).toEqual([1, 2, 3, 4, 1, 2]);
  });

  it("a period taken together is never above the item-by-item CUSUM at its end, whatever the order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 2, max: 12 }),
        (periods, m) => {
          const states = 1_000_000; // no signal, so both run unrestarted
          const items = periods.flat().map(Number);
          const itemSteps = bernoulliCusumPath(items, new Array(items.length).fill(1), m, states);
          const periodSteps = bernoulliCusumPath(
            periods.map((period) => period.filter(Boolean).length),
            periods.map((period) => period.length),
            m,
            states,
          );
          let end = -1;
          periods.forEach((period, j) => {
            end += period.length;
            expect(periodSteps[j].value).toBeLessThanOrEqual(itemSteps[end].value + 1e-12);
            expect(periodSteps[j].runLength).toBe(end + 1);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("values are multiples of 1/m in [0, h) except at signals", () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 2, max: 9 }),
        (xs, m) => {
          const states = 3 * m;
          for (const step of bernoulliCusumPath(xs.map(Number), new Array(xs.length).fill(1), m, states)) {
            expect(Number.isInteger(Math.round(step.value * m * 1e6) / 1e6)).toBe(true);
            expect(step.value >= states / m).toBe(step.signal);
            expect(step.value).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });

  it("huge counts keep exact integer arithmetic", () => {
    const [step] = bernoulliCusumPath([1e12], [1e12], 100_000, 10);
    expect(step.signal).toBe(true);
    expect(step.value).toBe((100_000 * 1e12 - 1e12) / 100_000);
  });
});

describe("chart({ type: 'bernoulli-cusum' })", () => {
  const items = [0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 0].map((count) => ({ count, n: 1 }));

  it("answers the path, signals, run lengths and the design", () => {
    const result = chart({ type: "bernoulli-cusum", points: items, bernoulli: { p0: 0.1, p1: 0.2, h: 2 } });
    const design = result.bernoulliCusum!;
    expect(design.m).toBe(7);
    expect(design.steps).toBe("item");
    expect(design.p0Source).toBe("option");
    expect(result.sigmaMultiplier).toBeCloseTo(2, 12);
    const path = bernoulliCusumPath(
      items.map((p) => p.count),
      items.map(() => 1),
      7,
      design.states,
    );
    expect(result.points.map((p) => p.value)).toEqual(path.map((s) => s.value));
    expect(result.points.map((p) => p.runLength)).toEqual(path.map((s) => s.runLength));
    expect(result.signals.map((s) => s.index)).toEqual(path.flatMap((s, i) => (s.signal ? [i] : [])));
    expect(result.signals.length).toBeGreaterThan(0);
    expect(result.points[0]).toMatchObject({ center: 0, lcl: 0, ucl: design.h, z: null, observed: 0 });
    expect(result.rules).toEqual(["bernoulli-cusum"]);
  });

  it("estimates p0 from the baseline, or takes it from standard; periods are stated", () => {
    const periods = [
      { count: 3, n: 40 },
      { count: 5, n: 60 },
      { count: 12, n: 50 },
    ];
    const estimated = chart({ type: "bernoulli-cusum", points: periods, baseline: { from: 0, to: 1 } });
    expect(estimated.bernoulliCusum).toMatchObject({ p0: 0.08, p0Source: "estimate", steps: "period" });
    expect(estimated.bernoulliCusum!.targetArl0).toBe(10_000);
    expect(estimated.notes.join(" ")).toMatch(/taken together/);
    const standard = chart({ type: "bernoulli-cusum", points: periods, standard: 0.05 });
    expect(standard.bernoulliCusum).toMatchObject({ p0: 0.05, p0Source: "standard" });
    expect(chart({ type: "bernoulli-cusum", points: periods, rules: "none" }).signals).toEqual([]);
  });

  it("names the offending field", () => {
    const field = (input: unknown) => thrownField(() => chart(input as ChartInput));
    expect(field({ type: "bernoulli-cusum", points: [{ count: 2, n: 1 }] })).toBe("points.0.count");
    expect(field({ type: "bernoulli-cusum", points: [{ count: 0 }] })).toBe("points.0.n");
    expect(field({ type: "bernoulli-cusum", points: items, phases: [3] })).toBe("phases");
    expect(field({ type: "bernoulli-cusum", points: items, sigma: 3 })).toBe("sigma");
    expect(field({ type: "bernoulli-cusum", points: items, cusum: {} })).toBe("cusum");
    expect(field({ type: "bernoulli-cusum", points: items.slice(0, 2) })).toBe("bernoulli.p0");
    expect(field({ type: "bernoulli-cusum", points: items, bernoulli: { p0: 0.1, p1: 0.01 } })).toBe(
      "bernoulli.p1",
    );
    expect(field({ type: "bernoulli-cusum", points: items, bernoulli: { p0: "0.1" } })).toBe("bernoulli.p0");
    expect(field({ type: "bernoulli-cusum", points: items, bernoulli: { k: 1 } })).toBe("bernoulli.k");
    expect(field({ type: "bernoulli-cusum", points: items, bernoulli: [] })).toBe("bernoulli");
    expect(field({ type: "bernoulli-cusum", points: items, standard: 0.1, bernoulli: { p0: 0.2 } })).toBe(
      "bernoulli.p0",
    );
    expect(field({ type: "bernoulli-cusum", points: items, rules: ["cusum-upper"] })).toBe("rules.0");
    expect(field({ type: "p", points: [{ count: 1, n: 5 }], bernoulli: { p0: 0.1 } })).toBe("bernoulli");
  });
});
