import { describe, expect, it } from "vitest";
import { chart } from "../../stats/spc/chart.ts";
import { chartBasis } from "../../web/src/components/chart-design-basis.ts";

/**
 * The design panel reads p₀ and the typical subgroup size n back from the stored chart's answer (issue 16): the
 * EWMA's σ per point (√Vₜ) and the CUSUM's base σ, as stats/spc/chart.ts computes them.
 */
describe("chartBasis: p₀ and the typical n of a p-based EWMA or CUSUM chart", () => {
  const sizes = [200, 180, 220, 200, 250, 200, 190, 200, 210];
  const points = sizes.map((n, i) => ({ count: Math.round(n * (0.04 + 0.01 * (i % 3))), n }));

  it("EWMA: n from σₜ² = (Vₜ − (1 − λ)²Vₜ₋₁)/λ², the median over the last phase", () => {
    const result = chart({ type: "ewma", points, standard: 0.05, ewma: { lambda: 0.2, L: 3, base: "p" } });
    expect(chartBasis(result)).toEqual({ p0: 0.05, n: 200 });
  });

  it("CUSUM: n from each point's base σ; the last phase only", () => {
    const result = chart({
      type: "cusum",
      points: [...points, ...points.map((p) => ({ count: p.count * 5, n: p.n * 5 }))],
      phases: [points.length],
      cusum: { k: 0.5, h: 5, base: "p" },
    });
    const basis = chartBasis(result);
    expect(basis?.n).toBe(1000);
    expect(basis?.p0).toBeCloseTo(result.phases[1].center, 12);
  });

  it("no basis for a centre of 0", () => {
    const zero = points.map((p) => ({ ...p, count: 0 }));
    expect(
      chartBasis(chart({ type: "ewma", points: zero, ewma: { lambda: 0.2, L: 3, base: "p" } })),
    ).toBeUndefined();
  });
});
