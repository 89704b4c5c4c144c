import { allocate } from "../stats/allocation.ts";
import { INTERVAL_METHODS, proportionInterval } from "../stats/proportion-interval.ts";
import { sampleSizeDemonstrate } from "../stats/sample-size-demonstrate.ts";
import { sampleSizeEstimate } from "../stats/sample-size-estimate.ts";
import { opsPerSecond, table } from "./lib.ts";

/** Calls per second of the calculator functions in `stats/`, in-process (no HTTP). */
export async function run(): Promise<void> {
  const rows: (string | number)[][] = [["operation", "ops/s", "µs/op"]];
  const measure = (name: string, fn: () => unknown, minMs = 300) => {
    const ops = opsPerSecond(fn, minMs);
    rows.push([name, ops, 1e6 / ops]);
  };

  for (const method of INTERVAL_METHODS) {
    measure(`proportionInterval ${method} (37/412)`, () => proportionInterval(37, 412, { method }));
  }
  measure("proportionInterval clopper-pearson (4 000/1 000 000)", () =>
    proportionInterval(4000, 1_000_000, { method: "clopper-pearson" }),
  );

  measure("sampleSizeEstimate wald ±2 %, N = 250 000", () =>
    sampleSizeEstimate({ margin: 0.02, population: 250_000 }),
  );
  for (const method of ["wilson", "clopper-pearson"] as const) {
    for (const [margin, expectedRate] of [
      [0.02, 0.1],
      [0.001, 0.5],
    ]) {
      measure(`sampleSizeEstimate ${method} ±${margin}, p = ${expectedRate}`, () =>
        sampleSizeEstimate({ margin, expectedRate, method }),
      );
    }
  }

  measure("sampleSizeDemonstrate limit 1 %, c = 0 (binomial)", () =>
    sampleSizeDemonstrate({ maxRate: 0.01 }),
  );
  measure("sampleSizeDemonstrate limit 0.1 %, c = 5 (binomial)", () =>
    sampleSizeDemonstrate({ maxRate: 0.001, allowedErrors: 5 }),
  );
  measure("sampleSizeDemonstrate limit 1 %, c = 0, N = 1 000 000", () =>
    sampleSizeDemonstrate({ maxRate: 0.01, population: 1_000_000 }),
  );
  measure("sampleSizeDemonstrate limit 0.1 %, c = 5, N = 1 000 000", () =>
    sampleSizeDemonstrate({ maxRate: 0.001, allowedErrors: 5, population: 1_000_000 }),
  );

  const strata = Array.from({ length: 200 }, (_, i) => ({
    key: `queue-${i}`,
    size: 1 + ((i * 7919) % 50_000),
    expectedRate: ((i * 31) % 97) / 100,
  }));
  for (const method of ["proportional", "neyman", "equal"] as const) {
    measure(`allocate ${method}, 200 strata, total 20 000, min 30`, () =>
      allocate({ strata, method, total: 20_000, minPerStratum: 30 }),
    );
  }
  measure("allocate neyman, 200 strata, total from ±1 %", () =>
    allocate({ strata, method: "neyman", margin: 0.01 }),
  );

  table(rows);
}
