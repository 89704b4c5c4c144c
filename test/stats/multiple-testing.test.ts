import { readFileSync } from "node:fs";
import fc from "fast-check";
import jStat from "jstat";
import { describe, expect, it } from "vitest";
import { binomialUpperTail } from "../../stats/binomial-upper-tail.ts";
import { adjustPValues, benjaminiHochberg, benjaminiYekutieli } from "../../stats/multiple-testing.ts";
import { thrownField } from "./thrown-field.ts";

/**
 * Reference: test/fixtures/reference/fdr_padjust_python.json, written by fdr_padjust_python.py beside it: R's
 * p.adjust(method = "BH"/"BY") algorithm in exact rational arithmetic (rounded once), cross-checked there against
 * scipy.stats.false_discovery_control. Vectors: Benjamini & Hochberg (1995) section 4.1's 15 p-values; the example
 * of R's ?p.adjust (set.seed(123); x <- rnorm(50, mean = c(rep(0, 25), rep(3, 25))); p <- 2*pnorm(sort(-abs(x))),
 * R's generator reproduced in Python and checked against R's first five draws); a vector with ties, 0s and 1s.
 * Binomial tails: exact sums in mpmath at 60 digits.
 */
interface Fixture {
  vectors: Record<string, { p: number[]; BH: number[]; BY: number[] }>;
  binomialUpperTail: { e: number; n: number; p: number; upper: string }[];
}
const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/reference/fdr_padjust_python.json", import.meta.url), "utf8"),
) as Fixture;

const close = (actual: ArrayLike<number>, expected: readonly number[], tolerance = 1e-15) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs(actual[i] - expected[i]), `index ${i}`).toBeLessThanOrEqual(
      tolerance * Math.abs(expected[i]),
    );
};

describe("Benjamini–Hochberg and Benjamini–Yekutieli q-values (R p.adjust)", () => {
  for (const [name, vector] of Object.entries(fixture.vectors)) {
    it(`equal R's p.adjust BH and BY on ${name} (fdr_padjust_python.json)`, () => {
      close(benjaminiHochberg(vector.p), vector.BH);
      close(benjaminiYekutieli(vector.p), vector.BY);
      close(adjustPValues(vector.p, "bh"), vector.BH);
      close(adjustPValues(vector.p, "by"), vector.BY);
    });
  }

  it("Benjamini & Hochberg (1995) section 4.1: at 0.05 the four smallest of the 15 are rejected", () => {
    // By hand: q(4) = 15/4·0.0095 = 0.035625 ≤ 0.05; q(5) = min over j ≥ 5 of 15/j·p(j) = 15/5·0.0201 = 0.0603.
    const q = benjaminiHochberg(fixture.vectors.bh1995.p);
    expect([...q].filter((v) => v <= 0.05)).toHaveLength(4);
    expect(q[3]).toBeCloseTo(0.035625, 15);
    expect(q[4]).toBeCloseTo(0.0603, 15);
  });

  it("handles the empty vector, one p-value and refuses bad ones naming the index", () => {
    expect(benjaminiHochberg([])).toEqual(new Float64Array(0));
    expect([...benjaminiYekutieli([0.2])]).toEqual([0.2]);
    expect(thrownField(() => benjaminiHochberg([0.1, Number.NaN]))).toBe("p.1");
    expect(thrownField(() => benjaminiYekutieli([1.5]))).toBe("p.0");
    expect(thrownField(() => benjaminiHochberg([-0.1]))).toBe("p.0");
  });

  const pValues = fc.array(
    fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.01, 0.05, 1)),
    { maxLength: 200 },
  );

  it("q ≥ p, q ≤ 1, BY ≥ BH, q monotone in p's order (fast-check)", () => {
    fc.assert(
      fc.property(pValues, (p) => {
        const bh = benjaminiHochberg(p);
        const by = benjaminiYekutieli(p);
        for (let i = 0; i < p.length; i++) {
          expect(bh[i]).toBeGreaterThanOrEqual(p[i]);
          expect(bh[i]).toBeLessThanOrEqual(1);
          expect(by[i]).toBeGreaterThanOrEqual(bh[i]);
          for (let j = 0; j < p.length; j++) if (p[i] <= p[j]) expect(bh[i]).toBeLessThanOrEqual(bh[j]);
          for (let j = 0; j < p.length; j++) if (p[i] <= p[j]) expect(by[i]).toBeLessThanOrEqual(by[j]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("is invariant under permutation: q follows its p-value (fast-check)", () => {
    fc.assert(
      fc.property(
        pValues.chain((p) =>
          fc.tuple(fc.constant(p), fc.shuffledSubarray([...p.keys()], { minLength: p.length })),
        ),
        ([p, permutation]) => {
          const permuted = permutation.map((i) => p[i]);
          for (const adjust of [benjaminiHochberg, benjaminiYekutieli]) {
            const q = adjust(p);
            const qPermuted = adjust(permuted);
            for (const [to, from] of permutation.entries()) expect(qPermuted[to]).toBe(q[from]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("equals the definition min(1, min_{j ≥ rank} m/j·p(j)) computed the quadratic way (fast-check)", () => {
    fc.assert(
      fc.property(pValues, (p) => {
        const m = p.length;
        const sorted = [...p].sort((a, b) => a - b);
        const q = benjaminiHochberg(p);
        for (let i = 0; i < m; i++) {
          // p[i]'s largest rank among equal values gives its q (R's cummin over ties).
          const rank = sorted.lastIndexOf(p[i]) + 1;
          let expected = 1;
          for (let j = rank; j <= m; j++) expected = Math.min(expected, (m / j) * sorted[j - 1]);
          expect(q[i]).toBe(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("binomialUpperTail: P(X ≥ e | n, p) = I_p(e, n − e + 1)", () => {
  it("equals exact sums in mpmath (60 digits) to 1e-13 relative, far tails included (fdr_padjust_python.json)", () => {
    for (const { e, n, p, upper } of fixture.binomialUpperTail) {
      const expected = Number(upper);
      const actual = binomialUpperTail(e, n, p);
      expect(Math.abs(actual - expected), `${e}, ${n}, ${p}`).toBeLessThanOrEqual(1e-13 * expected);
    }
  });

  it("edge cases: e = 0 → 1, p = 0 → 0, p = 1 → 1, e = n → pⁿ", () => {
    expect(binomialUpperTail(0, 0, 0.3)).toBe(1);
    expect(binomialUpperTail(0, 50, 0)).toBe(1);
    expect(binomialUpperTail(1, 50, 0)).toBe(0);
    expect(binomialUpperTail(50, 50, 1)).toBe(1);
    expect(binomialUpperTail(3, 3, 0.5)).toBeCloseTo(0.125, 15);
    expect(thrownField(() => binomialUpperTail(4, 3, 0.5))).toBe("e");
    expect(thrownField(() => binomialUpperTail(1.5, 3, 0.5))).toBe("e");
    expect(thrownField(() => binomialUpperTail(1, -1, 0.5))).toBe("n");
    expect(thrownField(() => binomialUpperTail(1, 3, 1.1))).toBe("p");
  });

  it("equals a direct sum of the pmf in log space where that sum is exact enough (fast-check)", () => {
    const logFactorial = (k: number) => {
      let s = 0;
      for (let i = 2; i <= k; i++) s += Math.log(i);
      return s;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, p, share) => {
          const e = Math.min(n, Math.max(1, Math.round(share * n)));
          const logs: number[] = [];
          for (let k = e; k <= n; k++)
            logs.push(
              logFactorial(n) -
                logFactorial(k) -
                logFactorial(n - k) +
                k * Math.log(p) +
                (n - k) * Math.log1p(-p),
            );
          const top = Math.max(...logs);
          const direct = Math.exp(top) * logs.reduce((s, l) => s + Math.exp(l - top), 0);
          const actual = binomialUpperTail(e, n, p);
          if (direct > 1e-300) expect(Math.abs(actual - direct)).toBeLessThanOrEqual(1e-9 * direct);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("agrees with jStat's binomial cdf where 1 − cdf keeps its digits (tail ≥ 1e-3)", () => {
    for (const [e, n, p] of [
      [10, 100, 0.09],
      [3, 10, 0.05],
      [15, 40, 0.3],
      [60, 500, 0.1],
    ] as const) {
      const viaJstat = 1 - jStat.binomial.cdf(e - 1, n, p);
      expect(Math.abs(binomialUpperTail(e, n, p) - viaJstat)).toBeLessThanOrEqual(1e-9);
    }
  });
});
