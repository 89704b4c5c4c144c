import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cusumArl } from "../../stats/spc/arl-cusum.ts";
import { ewmaArl } from "../../stats/spc/arl-ewma.ts";
import { binomialStep, normalStep } from "../../stats/spc/arl-markov.ts";
import { chartDesign } from "../../stats/spc/chart-design.ts";
import { thrownField } from "./thrown-field.ts";

/** mulberry32: a small seeded generator, so the Monte-Carlo checks are reproducible. */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mean and standard error of the run lengths of `runs` simulated charts. */
function simulate(runs: number, runLength: () => number): { mean: number; se: number } {
  let sum = 0;
  let squares = 0;
  for (let r = 0; r < runs; r++) {
    const length = runLength();
    sum += length;
    squares += length * length;
  }
  const mean = sum / runs;
  return { mean, se: Math.sqrt((squares / runs - mean * mean) / runs) };
}

describe("ARL properties", () => {
  it("ARL₁ < ARL₀ for a shift, and a shift down is caught as fast as a shift up (normal data)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<"ewma" | "cusum">("ewma", "cusum"),
        fc.double({ min: 0.25, max: 3, noNaN: true }),
        (type, shift) => {
          const input =
            type === "ewma" ? { type, lambda: 0.2, L: 2.8, shift } : { type, k: 0.5, h: 4, shift };
          const up = chartDesign(input);
          const down = chartDesign({ ...input, shift: -shift });
          expect(up.arl1).toBeLessThan(up.arl0);
          expect(Math.abs(up.arl1 / down.arl1 - 1)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 6, seed: 16 },
    );
  });

  it("ARL₀ increases with L and with h (one chain size)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 1, max: 3.5, noNaN: true }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        (lambda, L, step) => {
          const law = normalStep(0);
          const limits = "asymptotic" as const;
          expect(ewmaArl({ lambda, L: L + step, limits }, law, 51)).toBeGreaterThan(
            ewmaArl({ lambda, L, limits }, law, 51),
          );
          const binomial = binomialStep(0.05, 60, 0.05);
          // A binomial ARL₀ is flat between the L at which lattice points cross the limit: equal within rounding.
          expect(ewmaArl({ lambda, L: L + step, limits }, binomial, 51)).toBeGreaterThanOrEqual(
            ewmaArl({ lambda, L, limits }, binomial, 51) * (1 - 1e-12),
          );
          expect(cusumArl(0.5, L + 1 + step, law, 50).arl).toBeGreaterThan(cusumArl(0.5, L + 1, law, 50).arl);
        },
      ),
      { numRuns: 15, seed: 16 },
    );
  });

  it("a solved L or h reaches the target ARL₀ within the stated tolerance", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<"ewma" | "cusum">("ewma", "cusum"),
        fc.double({ min: 50, max: 5000, noNaN: true }),
        (type, targetArl0) => {
          const input =
            type === "ewma" ? { type, lambda: 0.15, targetArl0, shift: 1 } : { type, targetArl0, shift: 1 };
          const design = chartDesign(input);
          expect(design.solved?.parameter).toBe(type === "ewma" ? "L" : "h");
          // Solved on the converged chain pair; the reported ARL₀ is the full ladder's, within its stated change of it.
          expect(Math.abs(design.arl0 / targetArl0 - 1)).toBeLessThanOrEqual(
            (design.solved?.tolerance ?? 0) + design.change,
          );
          const again = chartDesign(
            type === "ewma"
              ? { type, lambda: 0.15, L: design.L, shift: 1 }
              : { type, k: design.k, h: design.h, shift: 1 },
          );
          expect(Math.abs(again.arl0 / design.arl0 - 1)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 4, seed: 16 },
    );
  });

  it("a shift far beyond h: the side that cannot signal has ARL +∞ and the two-sided ARL₁ is the other side's (≈ 1)", () => {
    for (const h of [0.001, 0.1, 1]) {
      const design = chartDesign({ type: "cusum", k: 0, h, shift: 10 });
      expect(Number.isFinite(design.arl1), `h ${h}`).toBe(true);
      expect(design.arl1).toBeCloseTo(1, 6);
      expect(cusumArl(0, h, normalStep(10), 100).lower).toBe(Number.POSITIVE_INFINITY);
    }
  });

  it("names the field of bad input", () => {
    expect(thrownField(() => chartDesign({ type: "ewma", lambda: 2, L: 3, shift: 1 }))).toBe("lambda");
    expect(thrownField(() => chartDesign({ type: "cusum", k: 0.5, shift: 1 }))).toBe("h");
    expect(thrownField(() => chartDesign({ type: "cusum", k: 0.5, h: 5, p0: 0.1, n: 0, p1: 0.2 }))).toBe("n");
    expect(thrownField(() => chartDesign({ type: "cusum", k: 0.5, h: 40, shift: 1 }))).toBe("h");
  });

  it("Monte Carlo agrees with the chain: normal EWMA out of control, CUSUM in control (seeded)", () => {
    const random = generator(2024);
    const normal = () => {
      const u = 1 - random();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    };
    const ewma = chartDesign({ type: "ewma", lambda: 0.2, L: 2.5, shift: 0.75 });
    const U = 2.5 * Math.sqrt(0.2 / 1.8);
    const ewmaRuns = simulate(4000, () => {
      let z = 0;
      for (let t = 1; ; t++) {
        z = 0.2 * (normal() + 0.75) + 0.8 * z;
        if (Math.abs(z) > U) return t;
      }
    });
    expect(Math.abs(ewmaRuns.mean - ewma.arl1)).toBeLessThan(4 * ewmaRuns.se);

    const cusum = chartDesign({ type: "cusum", k: 0.5, h: 2, shift: 1 });
    const cusumRuns = simulate(4000, () => {
      let upper = 0;
      let lower = 0;
      for (let t = 1; ; t++) {
        const y = normal();
        upper = Math.max(0, upper + y - 0.5);
        lower = Math.max(0, lower - y - 0.5);
        if (upper > 2 || lower > 2) return t;
      }
    });
    expect(Math.abs(cusumRuns.mean - cusum.arl0)).toBeLessThan(4 * cusumRuns.se);
  });

  it("Monte Carlo agrees with the chain on binomial data: the product's p-based EWMA with its time-varying limits", () => {
    const random = generator(16);
    const [p0, n, lambda, L] = [0.1, 50, 0.2, 2.3];
    const sigma = Math.sqrt((p0 * (1 - p0)) / n);
    const design = chartDesign({ type: "ewma", lambda, L, p0, n, p1: 0.15, limits: "time-varying" });
    const count = (p: number) => {
      let c = 0;
      for (let i = 0; i < n; i++) if (random() < p) c++;
      return c;
    };
    // The chart of stats/spc/ewma.ts on base p: z = λ·x + (1 − λ)·z, limits p₀ ± L·σ·√(λ/(2−λ)·(1 − (1−λ)^{2t})).
    const runLength = (p: number) => {
      let z = p0;
      for (let t = 1; ; t++) {
        z = lambda * (count(p) / n) + (1 - lambda) * z;
        const limit = L * sigma * Math.sqrt((lambda / (2 - lambda)) * (1 - (1 - lambda) ** (2 * t)));
        if (Math.abs(z - p0) > limit) return t;
      }
    };
    const inControl = simulate(3000, () => runLength(p0));
    expect(Math.abs(inControl.mean - design.arl0)).toBeLessThan(4 * inControl.se);
    const shifted = simulate(3000, () => runLength(0.15));
    expect(Math.abs(shifted.mean - design.arl1)).toBeLessThan(4 * shifted.se);
  });
});
