import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { integerTicks, percentDigits } from "../src/components/ticks.ts";

/** The funnel's volume axis (issue 18: "1, 2, 2, 3, 3" when fractional ticks were rounded for display). */
describe("funnel axis ticks", () => {
  it("a narrow volume range gets whole, distinct ticks", () => {
    expect(integerTicks(0.8, 3.6)).toEqual([1, 2, 3]);
    expect(integerTicks(1, 1.4)).toEqual([1]);
    expect(integerTicks(1.2, 1.8)).toEqual([2]);
    expect(integerTicks(14, 57, 6)).toEqual([20, 30, 40, 50]);
  });

  it("ticks are strictly increasing integers inside the range, at most about `count` + 1 of them", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 1e7, noNaN: true }),
        fc.double({ min: 1, max: 1e4, noNaN: true }),
        (low, factor) => {
          const high = low * factor;
          const ticks = integerTicks(low, high, 6);
          expect(ticks.length).toBeGreaterThan(0);
          for (const [i, v] of ticks.entries()) {
            expect(Number.isInteger(v)).toBe(true);
            if (i > 0) expect(v).toBeGreaterThan(ticks[i - 1]);
          }
          if (Math.ceil(low) <= Math.floor(high)) {
            expect(ticks[0]).toBeGreaterThanOrEqual(low);
            expect(ticks.at(-1)).toBeLessThanOrEqual(high);
          }
          expect(ticks.length).toBeLessThanOrEqual(13);
        },
      ),
    );
  });

  it("percentage ticks get the decimals that tell their step apart", () => {
    expect(percentDigits(0.05)).toBe(0);
    expect(percentDigits(0.01)).toBe(0);
    expect(percentDigits(0.005)).toBe(1);
    expect(percentDigits(0.0025)).toBe(2);
    expect(percentDigits(0.00001)).toBe(3);
  });
});
