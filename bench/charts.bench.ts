import { fisherExactTwoSided } from "../stats/spc/fisher-exact.ts";
import { chart, compare, funnel } from "../stats/spc/index.ts";

interface Row {
  operation: string;
  size: string;
  items: number;
  milliseconds: number;
  /** Heap retained by one result (needs `node --expose-gc`), in MB. */
  resultMb: number | null;
}

/** Deterministic LCG so runs are comparable (no Math.random). */
function generator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function measure(operation: string, size: string, items: number, repeat: number, task: () => unknown): Row {
  const gc = (globalThis as { gc?: () => void }).gc;
  let resultMb: number | null = null;
  if (gc) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = task();
    gc();
    resultMb = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    if (kept === undefined) resultMb = null;
  } else {
    task();
  }
  const start = performance.now();
  for (let r = 0; r < repeat; r++) task();
  const milliseconds = (performance.now() - start) / repeat;
  return { operation, size, items, milliseconds, resultMb };
}

/**
 * Throughput of the SPC routes: a p chart of 100,000 points with all Nelson rules, a funnel of 10,000 units
 * (exact binomial limits), and compare / Fisher's exact test with n up to 10⁶ per group.
 * "result MB" is the heap one result keeps alive; it needs `node --expose-gc` (else "n/a").
 */
export async function run(): Promise<void> {
  const random = generator(42);
  const chartPoints = Array.from({ length: 100_000 }, () => {
    const n = 200 + Math.floor(random() * 800);
    return { count: Math.floor(n * (0.05 + 0.02 * random())), n };
  });
  const funnelUnits = Array.from({ length: 10_000 }, (_, i) => {
    const n = 20 + Math.floor(random() ** 2 * 20_000);
    return { key: `unit-${i}`, count: Math.floor(n * (0.08 + 0.04 * random())), n };
  });

  const rows: Row[] = [
    measure("chart p, all Nelson rules", "100,000 points", 100_000, 3, () =>
      chart({ type: "p", points: chartPoints, rules: "nelson" }),
    ),
    measure("chart laney-p, Western Electric", "100,000 points", 100_000, 3, () =>
      chart({ type: "laney-p", points: chartPoints }),
    ),
    measure("chart ewma (base p)", "100,000 points", 100_000, 3, () =>
      chart({ type: "ewma", points: chartPoints, ewma: { base: "p" } }),
    ),
    measure("funnel exact, 95 % + 99.8 %", "10,000 units, n ≤ 20,000", 10_000, 3, () =>
      funnel({ units: funnelUnits }),
    ),
    measure("funnel normal, 95 % + 99.8 %", "10,000 units", 10_000, 3, () =>
      funnel({ units: funnelUnits, method: "normal" }),
    ),
    measure("compare (Newcombe, z, Fisher)", "n = 1,000 per group", 1, 200, () =>
      compare({ a: { count: 100, n: 1000 }, b: { count: 150, n: 1000 } }),
    ),
    measure("compare (Newcombe, z, Fisher)", "n = 10⁶ per group", 1, 20, () =>
      compare({ a: { count: 3000, n: 1_000_000 }, b: { count: 3300, n: 1_000_000 } }),
    ),
    measure("Fisher exact, balanced", "n = 10⁶ per group, K = 10⁶", 1, 5, () =>
      fisherExactTwoSided(500_000, 1_000_000, 501_500, 1_000_000),
    ),
  ];

  console.log("\nbench/charts.bench.ts — SPC charts, funnel, compare");
  console.table(
    rows.map((row) => ({
      operation: row.operation,
      size: row.size,
      "items/s": Math.round((row.items / row.milliseconds) * 1000).toLocaleString("en-US"),
      "ms per call": row.milliseconds.toFixed(2),
      "result MB": row.resultMb === null ? "n/a" : row.resultMb.toFixed(1),
    })),
  );
}
