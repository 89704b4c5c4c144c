import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sampleQuantile, sampleQuantiles } from "../../stats/sample-quantile.ts";
import { thrownField } from "./thrown-field.ts";

describe("sample quantiles (Hyndman & Fan definition 7)", () => {
  it("equals R's quantile(x, p) (type = 7, the default) on fixed data", () => {
    // R 4.x: quantile(c(3, 1, 4, 1, 5, 9, 2, 6), c(.1, .25, .5, .75, .9)) → 1.00 1.75 3.50 5.25 6.90
    const found = sampleQuantiles([3, 1, 4, 1, 5, 9, 2, 6], [0.1, 0.25, 0.5, 0.75, 0.9]);
    for (const [i, expected] of [1, 1.75, 3.5, 5.25, 6.9].entries())
      expect(found[i]).toBeCloseTo(expected, 12);
    // quantile(1:4, .5) → 2.5; quantile(seq(10, 100, 10), .9) → 91; quantile(7, .3) → 7
    expect(sampleQuantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(sampleQuantile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBeCloseTo(91, 12);
    expect(sampleQuantile([7], 0.3)).toBe(7);
    expect(sampleQuantiles([2, -1], [0, 1])).toEqual([-1, 2]);
  });

  it("is monotone in p, between the minimum and the maximum, and ignores the input order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, p, q) => {
          const [low, high] = p <= q ? [p, q] : [q, p];
          const [a, b] = sampleQuantiles(values, [low, high]);
          expect(a).toBeLessThanOrEqual(b);
          expect(a).toBeGreaterThanOrEqual(Math.min(...values));
          expect(b).toBeLessThanOrEqual(Math.max(...values));
          expect(sampleQuantile([...values].reverse(), low)).toBe(a);
          expect(sampleQuantiles(values, [0, 1])).toEqual([Math.min(...values), Math.max(...values)]);
        },
      ),
    );
  });

  it("stays monotone where a weighted mean would round below the minimum (fast-check counterexample)", () => {
    const values = [0, -999999999.1743946, 0, 0, 0, 0, 0, -999999999.855214, 0];
    const [a, b] = sampleQuantiles(values, [0, 6.8063832950161496e-9]);
    expect(a).toBe(-999999999.855214);
    expect(b).toBeGreaterThanOrEqual(a);
    expect(sampleQuantile([-Number.MAX_VALUE, Number.MAX_VALUE], 0.5)).toBe(0);
  });

  it("refuses no values, non-finite values and probabilities outside [0, 1], naming the input", () => {
    const input = [3, 1, 2];
    expect(thrownField(() => sampleQuantile([], 0.5))).toBe("values");
    expect(thrownField(() => sampleQuantile([1, Number.NaN], 0.5))).toBe("values.1");
    expect(thrownField(() => sampleQuantile([1, Number.POSITIVE_INFINITY], 0.5))).toBe("values.1");
    expect(thrownField(() => sampleQuantile(input, 1.5))).toBe("p");
    expect(thrownField(() => sampleQuantile(input, Number.NaN))).toBe("p");
    expect(thrownField(() => sampleQuantiles(input, [0.5, -0.1]))).toBe("p.1");
    sampleQuantile(input, 0.5);
    expect(input).toEqual([3, 1, 2]); // not sorted in place
  });
});
