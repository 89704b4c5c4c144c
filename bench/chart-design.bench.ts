import { type ChartDesignInput, chartDesign } from "../stats/spc/chart-design.ts";
import { table } from "./lib.ts";

/**
 * Issue 16: the time of one POST /v1/chart-design computation (stats/spc/chart-design.ts, in-process, no HTTP)
 * against the < 50 ms target: ARLs of given designs on normal and binomial data, and L or h solved for a target
 * ARL₀. Each design runs `RUNS` times after two warm-up runs; p50/p99/max wall time in ms and the mean CPU time,
 * with the chain's states.
 */
const RUNS = 25;

const DESIGNS: [string, ChartDesignInput][] = [
  ["EWMA normal λ 0.1, L 2.814 (ARLs)", { type: "ewma", lambda: 0.1, L: 2.814, shift: 1 }],
  [
    "EWMA normal λ 0.05, L 2.615, time-varying",
    { type: "ewma", lambda: 0.05, L: 2.615, shift: 1, limits: "time-varying" },
  ],
  ["CUSUM normal k 0.5, h 5 (ARLs)", { type: "cusum", k: 0.5, h: 5, shift: 1 }],
  [
    "EWMA binomial p0 2 %, n 500, p1 4 %",
    { type: "ewma", lambda: 0.1, L: 2.814, p0: 0.02, n: 500, p1: 0.04 },
  ],
  [
    "EWMA binomial, time-varying, tolerance 1e-3 (the page)",
    { type: "ewma", lambda: 0.2, L: 3, p0: 0.05, n: 200, p1: 0.1, limits: "time-varying", tolerance: 1e-3 },
  ],
  [
    "CUSUM binomial, tolerance 1e-3 (the page)",
    { type: "cusum", k: 0.5, h: 5, p0: 0.05, n: 200, p1: 0.1, tolerance: 1e-3 },
  ],
  ["CUSUM binomial p0 5 %, n 200, k 0.5, h 5", { type: "cusum", k: 0.5, h: 5, p0: 0.05, n: 200, p1: 0.1 }],
  ["solve L: EWMA normal λ 0.1, ARL0 500", { type: "ewma", lambda: 0.1, targetArl0: 500, shift: 1 }],
  ["solve h: CUSUM normal, k = shift/2, ARL0 465", { type: "cusum", targetArl0: 465, shift: 1 }],
  [
    "solve L: EWMA binomial time-varying, ARL0 370",
    { type: "ewma", lambda: 0.2, targetArl0: 370, p0: 0.05, n: 200, p1: 0.1, limits: "time-varying" },
  ],
  [
    "solve L: the page's form, tolerance 1e-3",
    {
      type: "ewma",
      lambda: 0.2,
      targetArl0: 370,
      p0: 0.05,
      n: 200,
      p1: 0.1,
      limits: "time-varying",
      tolerance: 1e-3,
    },
  ],
  [
    "solve h: CUSUM binomial k 0.5, ARL0 370",
    { type: "cusum", k: 0.5, targetArl0: 370, p0: 0.05, n: 200, p1: 0.1 },
  ],
];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

export async function run(): Promise<void> {
  const rows: (string | number)[][] = [
    ["design", "states", "converged", "p50 ms", "p99 ms", "max ms", "CPU ms/design", "< 50 ms"],
  ];
  for (const [name, input] of DESIGNS) {
    chartDesign(input);
    const result = chartDesign(input);
    const times: number[] = [];
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      chartDesign(input);
      times.push(performance.now() - start);
    }
    const cpu = process.cpuUsage(cpuStart);
    // CPU time of this thread's process: less sensitive than wall time to other work on shared cores.
    const cpuPerDesign = (cpu.user + cpu.system) / 1000 / RUNS;
    times.sort((a, b) => a - b);
    const p50 = percentile(times, 0.5);
    rows.push([
      name,
      result.states,
      result.converged ? "yes" : `no (${result.change.toExponential(1)})`,
      p50,
      percentile(times, 0.99),
      times.at(-1) ?? Number.NaN,
      cpuPerDesign,
      p50 < 50 ? "yes" : "no",
    ]);
  }
  table(rows);
}
