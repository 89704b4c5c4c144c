import { type BernoulliCusumOptions, bernoulliCusumDesign } from "../stats/spc/bernoulli-cusum.ts";
import { chart } from "../stats/spc/index.ts";
import { mib, table } from "./lib.ts";

/**
 * Issue 16: the Bernoulli CUSUM's design (γ = 1/m, exact Markov chain on H = m·h states, in-process) against
 * the < 50 ms target, from p₀ = 5 % down to 2·10⁻⁵, with h given and solved from a target ARL₀; then the chart
 * itself over 50,000 audits (the per-audit cap of GET /v1/charts) and 1,000,000 single items (POST /v1/chart's
 * point cap). Each design runs `RUNS` times after a warm-up run; p50/p99/max in ms.
 */
const RUNS = 15;

const DESIGNS: [string, BernoulliCusumOptions][] = [
  ["p0 5 %, OR 2, h 5 (ARLs)", { p0: 0.05, h: 5 }],
  ["p0 5 %, OR 2, ARL0 10,000", { p0: 0.05, targetArl0: 10_000 }],
  ["p0 1 %, p1 2 %, ARL0 10,000", { p0: 0.01, p1: 0.02, targetArl0: 10_000 }],
  ["p0 0.1 %, OR 2, ARL0 100,000", { p0: 0.001, targetArl0: 100_000 }],
  ["p0 0.01 %, OR 2, ARL0 10⁶", { p0: 1e-4, targetArl0: 1e6 }],
  ["p0 0.002 %, OR 2, ARL0 10⁷", { p0: 2e-5, targetArl0: 1e7 }],
];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

function timed(fn: () => unknown, runs: number): number[] {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

export async function run(): Promise<void> {
  const rows: (string | number)[][] = [
    ["design", "m", "states H", "h", "ARL0", "ARL1", "p50 ms", "p99 ms", "max ms", "< 50 ms"],
  ];
  for (const [name, input] of DESIGNS) {
    const design = bernoulliCusumDesign(input);
    const times = timed(() => bernoulliCusumDesign(input), RUNS);
    const p50 = percentile(times, 0.5);
    rows.push([
      name,
      design.m,
      design.states,
      design.h,
      Math.round(design.arl0),
      Math.round(design.arl1),
      p50,
      percentile(times, 0.99),
      times.at(-1) ?? Number.NaN,
      p50 < 50 ? "yes" : "no",
    ]);
  }
  table(rows);

  // A seeded stream at p₀ = 5 % with a doubling after 80 %.
  let seed = 1;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  const chartRows: (string | number)[][] = [["chart", "points", "signals", "p50 ms", "max ms", "heap Δ"]];
  for (const count of [50_000, 1_000_000]) {
    const points = Array.from({ length: count }, (_, i) => ({
      count: random() < (i > 0.8 * count ? 0.1 : 0.05) ? 1 : 0,
      n: 1,
    }));
    const input = { type: "bernoulli-cusum" as const, points, bernoulli: { p0: 0.05, targetArl0: 10_000 } };
    const before = process.memoryUsage().heapUsed;
    const result = chart(input);
    const heap = process.memoryUsage().heapUsed - before;
    const times = timed(() => chart(input), 5);
    chartRows.push([
      `items, p0 5 %, ARL0 10,000`,
      count,
      result.signals.length,
      percentile(times, 0.5),
      times.at(-1) ?? Number.NaN,
      mib(heap),
    ]);
  }
  table(chartRows);
}
