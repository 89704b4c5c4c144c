import { describe, expect, it } from "vitest";
import { funnelDecimals } from "../src/components/ticks.ts";
import { DEFAULT_RATE_DECIMALS, rateDecimals } from "../src/i18n/rates.ts";

describe("funnelDecimals: one number of decimals for every rate on a funnel", () => {
  it("follows the narrowest band of any curve (the innermost limits at the largest volume)", () => {
    const curves = [
      {
        points: [
          { n: 10, lower: 0, upper: 0.4 },
          { n: 10_000, lower: 0.046, upper: 0.054 },
        ],
      },
      {
        points: [
          { n: 10, lower: 0, upper: 0.6 },
          { n: 10_000, lower: 0.044, upper: 0.056 },
        ],
      },
    ];
    // Width 0.8 points: 2 decimals (4.60% … 5.40%), as the rate rule gives that interval.
    expect(funnelDecimals(curves)).toBe(rateDecimals(0.046, 0.054));
    expect(funnelDecimals(curves)).toBe(2);
  });

  it("uses the rule's default with no curves or no points", () => {
    expect(funnelDecimals([])).toBe(DEFAULT_RATE_DECIMALS);
    expect(funnelDecimals([{ points: [] }])).toBe(DEFAULT_RATE_DECIMALS);
  });
});
