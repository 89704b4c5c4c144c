import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chart } from "../../../stats/spc/index.ts";

function loadReference(file: string) {
  return JSON.parse(readFileSync(new URL(`../../fixtures/reference/${file}`, import.meta.url), "utf8"));
}

/** |actual − expected| within half a unit of the last printed decimal of `printed`. */
function expectPrinted(actual: number, printed: number) {
  const decimals = (String(printed).split(".")[1] ?? "").length;
  expect(Math.abs(actual - printed)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-15);
}

function expectRelative(actual: number, expected: number, tolerance = 1e-9) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected) + 1e-15);
}

function beyondLimits(points: { index: number; signals: string[] }[]) {
  return points.filter((point) => point.signals.includes("we-1")).map((point) => point.index);
}

describe("spc_orange_juice_p_np.json: Montgomery ISQC Example 7.1 orange-juice cans (R qcc output via gedeck/mistat)", () => {
  const reference = loadReference("spc_orange_juice_p_np.json");
  const trialPoints = reference.data.defectives_samples_1_30.map((count: number) => ({
    count,
    n: reference.data.n,
  }));
  const laterPoints = reference.data.defectives_samples_31_54.map((count: number) => ({
    count,
    n: reference.data.n,
  }));

  it("p chart trial limits match qcc's printed CL, LCL, UCL and flag samples 15 and 23", () => {
    const result = chart({ type: "p", points: trialPoints });
    const { published, recomputed } = reference;
    for (const point of result.points) {
      expectPrinted(point.center, published.trial.CL);
      expectPrinted(point.lcl, published.trial.LCL);
      expectPrinted(point.ucl, published.trial.UCL);
      expectRelative(point.center, recomputed.trial.CL);
      expectRelative(point.lcl, recomputed.trial.LCL);
      expectRelative(point.ucl, recomputed.trial.UCL);
    }
    // qcc's std.dev is the per-unit √(p̄(1 − p̄)); the per-point σᵢ divides it by √n.
    expectPrinted(result.points[0].sigma * Math.sqrt(reference.data.n), published.trial.qcc_std_dev);
    expect(beyondLimits(result.points).map((index) => index + 1)).toEqual(published.trial.beyond_UCL);
  });

  it("revised p chart without samples 15 and 23 (exclude) matches qcc and flags sample 21", () => {
    const result = chart({ type: "p", points: trialPoints, exclude: [14, 22] });
    const { published, recomputed } = reference;
    for (const point of result.points) {
      expectPrinted(point.center, published.revised_excluding_15_23.CL);
      expectPrinted(point.lcl, published.revised_excluding_15_23.LCL);
      expectPrinted(point.ucl, published.revised_excluding_15_23.UCL);
      expectRelative(point.lcl, recomputed.revised.LCL);
      expectRelative(point.ucl, recomputed.revised.UCL);
    }
    expect(result.points[14].inEstimate).toBe(false);
    expect(result.points[22].inEstimate).toBe(false);
    expect(result.phases[0].estimatedFrom).toBe(28);
    const remaining = beyondLimits(result.points).filter((index) => index !== 14 && index !== 22);
    expect(remaining.map((index) => index + 1)).toEqual(
      published.revised_excluding_15_23.beyond_UCL_of_remaining,
    );
  });

  it("samples 31-54 as a second phase get their own limits (LCL clipped at 0), the first phase keeps the revised ones", () => {
    const result = chart({
      type: "p",
      points: [...trialPoints, ...laterPoints],
      exclude: [14, 22],
      phases: [30],
    });
    const { published, recomputed } = reference;
    expect(result.phases.map((phase) => [phase.from, phase.to])).toEqual([
      [0, 29],
      [30, 53],
    ]);
    expectPrinted(result.phases[0].center, published.revised_excluding_15_23.CL);
    for (const point of result.points.slice(30)) {
      expect(point.phase).toBe(1);
      expectPrinted(point.center, published.samples_31_54_as_new_trial.CL);
      expectPrinted(point.ucl, published.samples_31_54_as_new_trial.UCL);
      expect(point.lcl).toBe(published.samples_31_54_as_new_trial.LCL);
      expectRelative(point.ucl, recomputed.samples_31_54.UCL);
      expectRelative(point.center - 3 * point.sigma, recomputed.samples_31_54.LCL_unclipped);
    }
    expectPrinted(result.points[30].sigma * Math.sqrt(50), published.samples_31_54_as_new_trial.qcc_std_dev);
  });

  it("np chart equals n times the p chart (recomputed np values, derived: unconfirmed)", () => {
    const result = chart({ type: "np", points: trialPoints });
    const np = reference.recomputed.np_chart_DERIVED;
    for (const point of result.points) {
      expectRelative(point.center, np.CL);
      expectRelative(point.lcl, np.LCL);
      expectRelative(point.ucl, np.UCL);
      expectRelative(point.sigma, np.sigma);
    }
    expect(beyondLimits(result.points).map((index) => index + 1)).toEqual(
      reference.published.trial.beyond_UCL,
    );
  });
});

describe("spc_variable_n_p_chart.json: Montgomery ISQC Table 7.4 variable-n p chart (qicharts2 reference output)", () => {
  const reference = loadReference("spc_variable_n_p_chart.json");
  const points = reference.data.nonconforming.map((count: number, i: number) => ({
    count,
    n: reference.data.sample_sizes[i],
  }));

  it("gives stepped limits by n with the lower limit clipped at 0 for n = 80, and flags sample 11 only", () => {
    const result = chart({ type: "p", points, rules: ["we-1"] });
    const { published, recomputed } = reference;
    result.points.forEach((point, i) => {
      const n = String(reference.data.sample_sizes[i]);
      expectRelative(point.center, published.CL);
      expectRelative(point.ucl, published.UCL_by_n[n]);
      expectRelative(point.lcl, published.LCL_by_n[n]);
      expectRelative(point.ucl, recomputed.UCL[i]);
      expectRelative(point.lcl, recomputed.LCL[i]);
      expectRelative(point.center - 3 * point.sigma, recomputed.LCL_unclipped[i]);
    });
    expect(result.signals.map((signal) => signal.index + 1)).toEqual(published.signals);
  });
});

describe("spc_nist_wafer_c_chart.json: NIST/SEMATECH e-Handbook 6.3.3.1 wafer defects c chart (secondary transcription)", () => {
  const reference = loadReference("spc_nist_wafer_c_chart.json");

  it("has CL 16, UCL 28, LCL 4 and only wafer 24 beyond the upper limit", () => {
    const result = chart({ type: "c", points: reference.data.defects.map((count: number) => ({ count })) });
    for (const point of result.points) {
      expect(point.center).toBe(reference.published.CL);
      expect(point.ucl).toBe(reference.published.UCL);
      expect(point.lcl).toBe(reference.published.LCL);
    }
    expect(beyondLimits(result.points).map((index) => index + 1)).toEqual(reference.recomputed.beyond_UCL);
  });
});

describe("spc_montgomery_cusum_ewma.json: Montgomery ISQC Table 9.1 data, tabular CUSUM (Table 9.2) and EWMA (Example 9.2)", () => {
  const reference = loadReference("spc_montgomery_cusum_ewma.json");
  const points = reference.data.x.map((count: number) => ({ count }));

  it("cusum C+ matches Montgomery's printed table for periods 1-29 and first signals at period 29", () => {
    const result = chart({
      type: "cusum",
      points,
      cusum: {
        mean: reference.data.mu0,
        sd: reference.data.sigma,
        k: reference.data.cusum.k,
        h: reference.data.cusum.h,
      },
    });
    reference.published.cusum_C_plus_periods_1_29.forEach((printed: number, i: number) => {
      expectPrinted(result.points[i].cusumUpper!, printed);
    });
    expectPrinted(result.points[1].cusumLower!, reference.published.cusum_C_minus_spot.period2);
    expectPrinted(result.points[2].cusumLower!, reference.published.cusum_C_minus_spot.period3);
    reference.recomputed.cusum_C_plus.forEach((value: number, i: number) => {
      expectRelative(result.points[i].cusumUpper!, value);
      expectRelative(result.points[i].cusumLower!, reference.recomputed.cusum_C_minus[i]);
    });
    expect(result.signals[0]).toEqual({
      index: reference.published.signal_period - 1,
      label: null,
      rule: "cusum-upper",
    });
    expect(result.points[28]).toMatchObject({ center: 0, lcl: -5, ucl: 5, baseCenter: 10, observed: 11.31 });
    expect(result.signals.every((signal) => signal.rule === "cusum-upper")).toBe(true);
  });

  it("ewma statistic and exact time-varying limits match the recomputed values (λ = 0.1, L = 2.7; computed only)", () => {
    const { lambda_, L } = reference.data.ewma;
    const result = chart({
      type: "ewma",
      points,
      ewma: { lambda: lambda_, L, mean: reference.data.mu0, sd: reference.data.sigma },
    });
    const { recomputed } = reference;
    result.points.forEach((point, i) => {
      expectRelative(point.value!, recomputed.ewma_z[i]);
      expectRelative(point.ucl, recomputed.ewma_UCL[i]);
      expectRelative(point.lcl, recomputed.ewma_LCL[i]);
    });
    expect(result.points[29].ucl).toBeLessThan(recomputed.ewma_steady_state[0]);
    expectRelative(result.points[29].ucl, recomputed.ewma_steady_state[0], 1e-4);
    expect(result.signals[0].index + 1).toBe(recomputed.ewma_first_signal_period);
    expect(result.signals.every((signal) => signal.rule === "ewma")).toBe(true);
  });
});

describe("spc_laney_pprime_nhs.json: Laney p′ chart of NHS A&E 4-hour data (qicharts2 algorithm; regression fixture, no published limits)", () => {
  const reference = loadReference("spc_laney_pprime_nhs.json");
  const points = reference.data.seen_within_4h.map((count: number, i: number) => ({
    count,
    n: reference.data.attendances[i],
  }));

  it("reproduces p̄, σ_z and the p′ limits of the independent re-implementation", () => {
    const result = chart({ type: "laney-p", points });
    const { recomputed } = reference;
    expectRelative(result.phases[0].center, recomputed.p_bar);
    expectRelative(result.phases[0].sigmaZ!, recomputed.sigma_z);
    result.points.forEach((point, i) => {
      expectRelative(point.value!, recomputed.p[i]);
      expectRelative(point.ucl, recomputed.UCL[i]);
      expectRelative(point.lcl, recomputed.LCL[i]);
    });
  });

  it("the classic p chart on the same data has the recomputed (too tight) limits and reports strong overdispersion", () => {
    const result = chart({ type: "p", points });
    result.points.forEach((point, i) => {
      expectRelative(point.ucl, reference.recomputed.classic_p_chart_UCL[i]);
    });
    expect(result.overdispersion!.ratio!).toBeGreaterThan(100);
    expect(result.overdispersion!.p!).toBeLessThan(1e-10);
    expect(result.overdispersion!.note).toContain("laney-p");
  });
});
