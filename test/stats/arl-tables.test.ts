import { describe, expect, it } from "vitest";
import { cusumUpperArl } from "../../stats/spc/arl-cusum.ts";
import { normalStep, solveArl, solveSymmetricArl } from "../../stats/spc/arl-markov.ts";
import { chartDesign } from "../../stats/spc/chart-design.ts";

/*
 * Published ARLs, at their printed precision, against the Markov chain (stats/spc/arl-*.ts).
 *
 * EWMA: Lucas, J. M. & Saccucci, M. S. (1990), "Exponentially weighted moving average control schemes: properties
 * and enhancements", Technometrics 32(1):1–12, Table 3 (asymptotic limits, zero start), as reprinted in
 * Montgomery, Introduction to Statistical Quality Control (6th ed.), Table 9.11 "ARLs for several EWMA control
 * schemes".
 * CUSUM: Montgomery, ISQC, Table 9.3 "ARL performance of the tabular CUSUM with k = 1/2 and h = 4 or h = 5"
 * (two-sided); the one-sided ARL₀ 930.9 at k = 0.5, h = 5: Hawkins, D. M. & Olwell, D. H. (1998), Cumulative Sum
 * Charts and Charting for Quality Improvement, Springer (and R package spc, xcusum.arl(0.5, 5, 0) = 930.89).
 * The CUSUM h = 4 row is also Lucas, J. M. & Crosier, R. B. (1982), "Fast initial response for CUSUM quality-control
 * schemes", Technometrics 24(3):199–205, Table 1, as quoted in the examples of R package spc (xcusum.arl).
 * Also quoted there: Crowder, S. V. (1989), "Design of exponentially weighted moving average schemes", J. Quality
 * Technology 21(3):155–162 — two-sided EWMA with fixed limits, ARL₀ = 250: L = 2.32, 2.55, 2.65, 2.72, 2.76 for
 * λ = 0.05 … 0.25 (xewma.crit) — and Waldmann, K.-H. (1986), "Bounds for the distribution of the run length of
 * one-sided and two-sided CUSUM quality control schemes", Technometrics 28(1):61–67, Table 6: two-sided k = 0.6,
 * h = 3 at a shift of −0.2 σ, ARL 65.4.
 * The tables print two or three significant digits: the check is |ours − printed| ≤ half a unit of the printed
 * last digit + 0.5 % (their chains were coarser than ours).
 */
const SHIFTS = [0, 0.5, 1, 1.5, 2];
const EWMA_TABLE: { lambda: number; L: number; arl: number[] }[] = [
  { lambda: 0.05, L: 2.615, arl: [500, 28.8, 11.4, 7.1, 5.2] },
  { lambda: 0.1, L: 2.814, arl: [500, 31.3, 10.3, 6.1, 4.4] },
  { lambda: 0.2, L: 2.962, arl: [500, 41.8, 10.5, 5.5, 3.7] },
  { lambda: 0.25, L: 2.998, arl: [500, 48.2, 11.1, 5.5, 3.6] },
  { lambda: 0.4, L: 3.054, arl: [500, 71.2, 14.3, 5.9, 3.5] },
];
const CUSUM_SHIFTS = [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4];
const CUSUM_TABLE: { h: number; arl: number[] }[] = [
  { h: 4, arl: [168, 74.2, 26.6, 13.3, 8.38, 4.75, 3.34, 2.62, 2.19, 1.71] },
  { h: 5, arl: [465, 139, 38.0, 17.0, 10.4, 5.75, 4.01, 3.11, 2.57, 2.01] },
];

const near = (actual: number, expected: number, relative = 0.01) =>
  expect(Math.abs(actual - expected) / expected).toBeLessThan(relative);
/** |actual − printed| ≤ half a unit of the printed value's last digit + 0.5 %. */
const printed = (actual: number, value: number) => {
  const decimals = (String(value).split(".")[1] ?? "").length;
  expect(Math.abs(actual - value)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 0.005 * value);
};

describe("Markov-chain ARL against published tables", () => {
  it("solves (I − R)a = 1: a one-state chain and a two-state chain by hand", () => {
    expect(solveArl(Float64Array.of(0.9), 1)[0]).toBeCloseTo(10, 12);
    // R = [[0.5, 0.25], [0.25, 0.5]]: a = (I − R)⁻¹1 = (4, 4)
    const a = solveArl(Float64Array.of(0.5, 0.25, 0.25, 0.5), 2);
    expect(a[0]).toBeCloseTo(4, 12);
    expect(a[1]).toBeCloseTo(4, 12);
    // A symmetric three-state chain, folded: .4x − .2y = 1, −.4x + .5y = 1 → x = 35/6, y = 20/3.
    const R = Float64Array.of(0.5, 0.2, 0.1, 0.2, 0.5, 0.2, 0.1, 0.2, 0.5);
    const folded = solveSymmetricArl(R, 3);
    expect([...folded].map((v) => v.toFixed(10))).toEqual([35 / 6, 20 / 3, 35 / 6].map((v) => v.toFixed(10)));
    expect([...solveArl(R, 3)].map((v) => v.toFixed(10))).toEqual([...folded].map((v) => v.toFixed(10)));
  });

  for (const row of EWMA_TABLE) {
    it(`EWMA λ = ${row.lambda}, L = ${row.L} (Lucas & Saccucci 1990)`, () => {
      SHIFTS.forEach((shift, i) => {
        const design = chartDesign({ type: "ewma", lambda: row.lambda, L: row.L, shift });
        expect(design.converged).toBe(true);
        printed(shift === 0 ? design.arl0 : design.arl1, row.arl[i]);
      });
    });
  }

  for (const row of CUSUM_TABLE) {
    it(`two-sided CUSUM k = 0.5, h = ${row.h} (Montgomery Table 9.3)`, () => {
      CUSUM_SHIFTS.forEach((shift, i) => {
        const design = chartDesign({ type: "cusum", k: 0.5, h: row.h, shift: shift === 0 ? 1 : shift });
        printed(shift === 0 ? design.arl0 : design.arl1, row.arl[i]);
      });
    });
  }

  it("one-sided CUSUM k = 0.5, h = 5: ARL₀ 930.9 (Hawkins & Olwell 1998)", () => {
    near(cusumUpperArl(0.5, 5, normalStep(0), 400), 930.9, 0.001);
  });

  it("solves Crowder's (1989) L for ARL₀ = 250 to his two decimals", () => {
    const crowder = [
      [0.05, 2.32],
      [0.1, 2.55],
      [0.15, 2.65],
      [0.2, 2.72],
      [0.25, 2.76],
    ];
    for (const [lambda, L] of crowder) {
      const design = chartDesign({ type: "ewma", lambda, targetArl0: 250, shift: 1 });
      expect(Math.abs(design.L! - L), `λ = ${lambda}`).toBeLessThanOrEqual(0.005 + 1e-9);
    }
  });

  it("two-sided CUSUM k = 0.6, h = 3 at a shift of −0.2 σ: ARL 65.4 (Waldmann 1986)", () => {
    printed(chartDesign({ type: "cusum", k: 0.6, h: 3, shift: -0.2 }).arl1, 65.4);
  });

  it("states the states used and the convergence", () => {
    const design = chartDesign({ type: "ewma", lambda: 0.1, L: 2.814, shift: 1 });
    expect(design.method).toBe("markov-chain");
    expect(design.states).toBeGreaterThanOrEqual(101);
    expect(design.change).toBeLessThan(1e-4);
    expect(design.extrapolation).toBe("richardson");
    expect(design.notes.join(" ")).toContain(`${design.states} states`);
  });

  it("solves L and h for a target ARL₀ (the table's designs back)", () => {
    const ewma = chartDesign({ type: "ewma", lambda: 0.1, targetArl0: 500, shift: 1 });
    expect(ewma.L).toBeCloseTo(2.814, 2);
    near(ewma.arl0, 500, 1e-4);
    near(ewma.arl1, 10.3);
    const cusum = chartDesign({ type: "cusum", targetArl0: 465, shift: 1 });
    expect(cusum.kDefaulted).toBe(true);
    expect(cusum.k).toBe(0.5);
    expect(cusum.h).toBeCloseTo(5, 2);
    near(cusum.arl1, 10.4);
    expect(cusum.notes.join(" ")).toContain("half the shift");
  });

  it("time-varying EWMA limits (the product's charts) signal a little earlier in control", () => {
    const asymptotic = chartDesign({ type: "ewma", lambda: 0.1, L: 2.814, shift: 1 });
    const exact = chartDesign({ type: "ewma", lambda: 0.1, L: 2.814, shift: 1, limits: "time-varying" });
    expect(exact.arl0).toBeLessThan(asymptotic.arl0);
    expect(exact.arl0).toBeGreaterThan(0.95 * asymptotic.arl0);
    expect(exact.arl1).toBeLessThan(asymptotic.arl1);
  });
});
