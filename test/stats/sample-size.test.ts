import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import jStat from "jstat";
import { describe, expect, it } from "vitest";
import { zCritical } from "../../stats/critical.ts";
import { clopperPearsonInterval, wilsonInterval } from "../../stats/proportion-interval.ts";
import {
  binomialCdf,
  hypergeometricCdf,
  sampleSizeDemonstrate,
} from "../../stats/sample-size-demonstrate.ts";
import {
  ceilTolerant,
  cochranSampleSize,
  type EstimateMethod,
  sampleSizeEstimate,
} from "../../stats/sample-size-estimate.ts";
import { thrownField } from "./thrown-field.ts";

/**
 * Reference: sample_size_krejcie_morgan_cochran.json (test/fixtures/reference, copied from the project's shared reference set) —
 * Krejcie, R.V. & Morgan, D.W. (1970) "Determining sample size for research activities", Educational and
 * Psychological Measurement 30, 607–610, Table 1: s = χ²NP(1−P) / (d²(N−1) + χ²P(1−P)), χ² = 3.841, P = .5,
 * d = .05, ROUNDED TO NEAREST. Rows: [N, S published, unrounded value with χ² = 3.841 (recomputed), its ceiling].
 * The rows are copied here verbatim and checked against the file.
 */
const KM_REFERENCE_FILE = fileURLToPath(
  new URL("../fixtures/reference/sample_size_krejcie_morgan_cochran.json", import.meta.url),
);
const KM_CHI2 = 3.841;
const KM_N0_CHI2 = 384.1;
const N0_EXACT_Z = 384.14588206941255;
const KM_ROWS: [number, number, number, number][] = [
  [10, 10, 9.771050623251082, 10],
  [15, 14, 14.47249434815373, 15],
  [20, 19, 19.057305879434384, 20],
  [25, 24, 23.529772114677773, 24],
  [30, 28, 27.893972403776324, 28],
  [35, 32, 32.1537909591007, 33],
  [40, 36, 36.31292838572442, 37],
  [45, 40, 40.374912403644004, 41],
  [50, 44, 44.34310782729162, 45],
  [55, 48, 48.22072586167542, 49],
  [60, 52, 52.01083276912661, 53],
  [65, 56, 55.71635795581344, 56],
  [70, 59, 59.34010152284263, 60],
  [75, 63, 62.88474132285526, 63],
  [80, 66, 66.35283955949039, 67],
  [85, 70, 69.74684896389661, 70],
  [90, 73, 73.06911857958148, 74],
  [95, 76, 76.32189918427108, 77],
  [100, 80, 79.50734837507763, 80],
  [110, 86, 85.68444534577166, 86],
  [120, 92, 91.61598091830649, 92],
  [130, 97, 97.31631260962776, 98],
  [140, 103, 102.79870005735042, 103],
  [220, 140, 140.1127507875974, 141],
  [230, 144, 144.09231772957105, 145],
  [240, 148, 147.94415021665864, 148],
  [250, 152, 151.6743010582846, 152],
  [500, 217, 217.47253991620428, 218],
  [1200, 291, 291.1502747773356, 292],
  [1300, 297, 296.672806131543, 297],
  [1400, 302, 301.5759071280355, 302],
  [1500, 306, 305.9582603154373, 306],
  [9000, 368, 368.4176871183298, 369],
];

describe("sampleSizeEstimate (wald / Cochran)", () => {
  it("95 %, ±5 %, p = 0.5, no population: n₀ = 384.1459 → 385", () => {
    const r = sampleSizeEstimate({ margin: 0.05 });
    expect(r).toMatchObject({ n: 385, method: "wald", confidence: 0.95, margin: 0.05, expectedRate: 0.5 });
    expect(r.population).toBeNull();
    expect(r.z).toBe(zCritical(0.95));
    expect(Math.abs(r.n0 - N0_EXACT_Z) / N0_EXACT_Z).toBeLessThan(1e-12);
    expect(r.note).toBeUndefined();
  });

  it("the embedded Krejcie & Morgan rows equal the reference fixture", () => {
    const file = JSON.parse(readFileSync(KM_REFERENCE_FILE, "utf8"));
    expect(file.data.chi2_1df).toBe(KM_CHI2);
    expect(file.recomputed.n0_chi2_3841).toBe(KM_N0_CHI2);
    expect(file.recomputed.n0_exact_z).toBe(N0_EXACT_Z);
    expect(
      file.recomputed.rows.map((r: Record<string, number>) => [r.N, r.S_published, r.exact, r.ceil]),
    ).toEqual(KM_ROWS);
    expect(file.data.table.map((r: Record<string, number>) => [r.N, r.S])).toEqual(
      KM_ROWS.map(([N, S]) => [N, S]),
    );
  });

  it("reproduces Krejcie & Morgan (1970) Table 1 with their conventions (χ² = 3.841, round to nearest)", () => {
    const z = Math.sqrt(KM_CHI2);
    expect(cochranSampleSize(z, 0.05, 0.5)).toBeCloseTo(KM_N0_CHI2, 10);
    for (const [N, published, exact] of KM_ROWS) {
      const s = cochranSampleSize(z, 0.05, 0.5, N);
      expect(Math.abs(s - exact) / exact, `N = ${N}`).toBeLessThan(1e-12);
      expect(Math.round(s), `N = ${N}`).toBe(published);
    }
    expect(Math.round(cochranSampleSize(z, 0.05, 0.5, 9000))).toBe(368); // the paper's worked example
  });

  it("our answer (exact z, rounded up) is the ceiling column for every Krejcie & Morgan row", () => {
    // The file's ceiling column uses χ² = 3.841; with the exact z (n₀ = 384.1459) no row crosses an integer.
    for (const [N, , , ceil] of KM_ROWS) {
      const r = sampleSizeEstimate({ margin: 0.05, population: N });
      expect(r.n, `N = ${N}`).toBe(ceil);
      expect(r.n).toBe(Math.ceil(cochranSampleSize(zCritical(0.95), 0.05, 0.5, N)));
      expect(r.n).toBeLessThanOrEqual(N);
      expect(r.population).toBe(N);
      expect(r.n0).toBe(sampleSizeEstimate({ margin: 0.05 }).n0); // n₀ is before the correction
    }
    expect(sampleSizeEstimate({ margin: 0.05, population: 9000 }).n).toBe(369); // K&M print 368 (nearest)
    expect(sampleSizeEstimate({ margin: 0.05, population: 1000 }).n).toBe(278);
  });

  it("does not round float noise up: z = 2 exactly at confidence erf(√2) gives n₀ = 400, not 401", () => {
    const confidence = jStat.erf(2 / Math.SQRT2); // 0.9544997361036416, z = Φ⁻¹(0.97725) = 2
    // The confidence is itself rounded, so z is 2 within an ulp either side (mpmath: 1.99999999999999997) and
    // n₀ lands within float noise of 400; the rounding below must give 400 either way.
    expect(cochranSampleSize(zCritical(confidence), 0.05, 0.5)).toBeCloseTo(400, 9);
    expect(sampleSizeEstimate({ confidence, margin: 0.05 }).n).toBe(400);
    expect(sampleSizeEstimate({ confidence, margin: 0.01 }).n).toBe(10000);
    expect(sampleSizeEstimate({ confidence: jStat.erf(1 / Math.SQRT2), margin: 0.05 }).n).toBe(100);
    expect(sampleSizeEstimate({ confidence: jStat.erf(3 / Math.SQRT2), margin: 0.01 }).n).toBe(22500);
    expect(ceilTolerant(0.07 * 100)).toBe(7);
    expect(ceilTolerant(384.1458)).toBe(385);
    expect(ceilTolerant(7.000001)).toBe(8);
  });

  it("expectedRate 0 or 1 with wald: n = 1 with a note (n₀ = 0 carries no precision)", () => {
    for (const expectedRate of [0, 1]) {
      const r = sampleSizeEstimate({ margin: 0.02, expectedRate });
      expect(r.n0).toBe(0);
      expect(r.n).toBe(1);
      expect(r.note).toMatch(/wilson/);
      expect(sampleSizeEstimate({ margin: 0.02, expectedRate, population: 500 }).n).toBe(1);
      expect(sampleSizeEstimate({ margin: 0.02, expectedRate, population: 1 }).n).toBe(1); // 0/0 in the FPC
    }
  });

  it("a population of 1 needs 1; a tiny population is never exceeded", () => {
    expect(sampleSizeEstimate({ margin: 0.05, population: 1 }).n).toBe(1);
    expect(sampleSizeEstimate({ margin: 0.01, population: 50 }).n).toBeLessThanOrEqual(50);
  });

  it("rejects bad input with the offending field", () => {
    expect(thrownField(() => sampleSizeEstimate({ margin: 0 }))).toBe("margin");
    expect(thrownField(() => sampleSizeEstimate({ margin: 1 }))).toBe("margin");
    expect(thrownField(() => sampleSizeEstimate({ margin: Number.NaN }))).toBe("margin");
    expect(thrownField(() => sampleSizeEstimate({ margin: 0.05, confidence: 0 }))).toBe("confidence");
    expect(thrownField(() => sampleSizeEstimate({ margin: 0.05, expectedRate: 1.2 }))).toBe("expectedRate");
    expect(thrownField(() => sampleSizeEstimate({ margin: 0.05, method: "score" as EstimateMethod }))).toBe(
      "method",
    );
    expect(thrownField(() => sampleSizeEstimate({ margin: 0.05, population: 0 }))).toBe("population");
    expect(thrownField(() => sampleSizeEstimate({ margin: 0.05, population: 10.5 }))).toBe("population");
  });
});

// ------------------------------------------------------------------------------------------------------
// Exact (Wilson, Clopper–Pearson) sample sizes

function halfWidth(method: "wilson" | "clopper-pearson", n: number, p: number, confidence = 0.95): number {
  const x = Math.floor(n * p + 0.5);
  const b =
    method === "wilson"
      ? wilsonInterval(x, n, zCritical(confidence))
      : clopperPearsonInterval(x, n, confidence);
  return (b.upper - b.lower) / 2;
}

/** The literal definition: scan n = 1, 2, … */
function bruteForce(method: "wilson" | "clopper-pearson", p: number, margin: number): number {
  for (let n = 1; ; n++) if (halfWidth(method, n, p) <= margin) return n;
}

describe("sampleSizeEstimate (exact methods)", () => {
  it("95 %, ±5 %, p = 0.5: Wilson 381, Clopper–Pearson 402 (a brute-force scan agrees)", () => {
    expect(sampleSizeEstimate({ margin: 0.05, method: "wilson" })).toMatchObject({ n: 381, n0: 381 });
    expect(sampleSizeEstimate({ margin: 0.05, method: "clopper-pearson" })).toMatchObject({
      n: 402,
      n0: 402,
    });
    expect(bruteForce("wilson", 0.5, 0.05)).toBe(381);
    expect(bruteForce("clopper-pearson", 0.5, 0.05)).toBe(402);
  });

  it("equals a scan from n = 1 on a grid of rates and margins", () => {
    for (const method of ["wilson", "clopper-pearson"] as const) {
      for (const p of [0, 0.001, 0.02, 0.07, 0.1, 0.25, 0.3, 0.5, 0.8, 0.97, 1]) {
        for (const margin of [0.3, 0.1, 0.05, 0.03, 0.02]) {
          const { n } = sampleSizeEstimate({ margin, expectedRate: p, method });
          expect(n, `${method} p = ${p} ±${margin}`).toBe(bruteForce(method, p, margin));
        }
      }
    }
  });

  it("the half-width is not monotone in n, which is why the search is not a bisection", () => {
    // e.g. p = 0.1, Clopper–Pearson: h(n) rises when x = ⌊0.1n + ½⌋ steps up.
    let rises = 0;
    for (let n = 20; n < 200; n++)
      if (halfWidth("clopper-pearson", n + 1, 0.1) > halfWidth("clopper-pearson", n, 0.1)) rises++;
    expect(rises).toBeGreaterThan(0);
  });

  it("margins down to 0.001 answer well under a second", () => {
    for (const method of ["wilson", "clopper-pearson"] as const) {
      for (const expectedRate of [0.5, 0.47, 0.2, 0.01, 0.9, 0.99, 1]) {
        const start = performance.now();
        const { n } = sampleSizeEstimate({ margin: 0.001, expectedRate, method });
        const elapsed = performance.now() - start;
        expect(elapsed, `${method} p = ${expectedRate}`).toBeLessThan(1000);
        expect(halfWidth(method, n, expectedRate)).toBeLessThanOrEqual(0.001);
        expect(halfWidth(method, n - 1, expectedRate)).toBeGreaterThan(0.001);
      }
    }
    // At n = 961,362 the exact Clopper–Pearson half-width is 0.0010000000124 (mpmath quadrature of the beta
    // tails; scipy agrees), just over the margin: 961,363 is the smallest n. jStat's incomplete beta (about 1e-11
    // off here) made 961,362 look feasible before stats/incomplete-beta.ts.
    expect(sampleSizeEstimate({ margin: 0.001, method: "clopper-pearson" }).n).toBe(961363);
    expect(sampleSizeEstimate({ margin: 0.001, method: "wilson" }).n).toBe(960361);
  });

  it("takes no population (binomial intervals): StatsInputError on 'population'", () => {
    for (const method of ["wilson", "clopper-pearson"] as const) {
      expect(thrownField(() => sampleSizeEstimate({ margin: 0.05, method, population: 1000 }))).toBe(
        "population",
      );
    }
  });
});

describe("sampleSizeEstimate properties (fast-check, seed 20241125)", () => {
  const params = { seed: 20241125, numRuns: 200 };
  const confidence = fc.double({ min: 0.5, max: 0.999, noNaN: true });
  const rate = fc.oneof(fc.constantFrom(0, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true }));
  const exactMethod = fc.constantFrom<"wilson" | "clopper-pearson">("wilson", "clopper-pearson");

  it("the exact n is minimal: it meets the margin and n − 1 does not", () => {
    fc.assert(
      fc.property(
        exactMethod,
        rate,
        fc.double({ min: 0.003, max: 0.3, noNaN: true }),
        confidence,
        (method, p, margin, c) => {
          const { n } = sampleSizeEstimate({ method, margin, expectedRate: p, confidence: c });
          expect(halfWidth(method, n, p, c)).toBeLessThanOrEqual(margin);
          if (n > 1) expect(halfWidth(method, n - 1, p, c)).toBeGreaterThan(margin);
        },
      ),
      params,
    );
  });

  it("the exact n is the smallest of all (every smaller n fails) when it is below 3000", () => {
    fc.assert(
      fc.property(exactMethod, rate, fc.double({ min: 0.02, max: 0.3, noNaN: true }), (method, p, margin) => {
        const { n } = sampleSizeEstimate({ method, margin, expectedRate: p });
        for (let m = 1; m < n; m++) expect(halfWidth(method, m, p)).toBeGreaterThan(margin);
      }),
      { seed: 20241125, numRuns: 60 },
    );
  });

  it("n never falls when the margin shrinks or the confidence rises (wald and exact methods)", () => {
    // Exact methods: {n : h(n) ≤ e} shrinks as e falls, and h(n) grows with the confidence at fixed (x, n),
    // so the least element cannot fall even though h is not monotone in n.
    fc.assert(
      fc.property(
        fc.constantFrom<EstimateMethod>("wald", "wilson", "clopper-pearson"),
        rate,
        fc.double({ min: 0.005, max: 0.3, noNaN: true }),
        fc.double({ min: 0.005, max: 0.3, noNaN: true }),
        confidence,
        confidence,
        (method, p, e1, e2, c1, c2) => {
          const [small, large] = e1 <= e2 ? [e1, e2] : [e2, e1];
          const [low, high] = c1 <= c2 ? [c1, c2] : [c2, c1];
          const n = (margin: number, c: number) =>
            sampleSizeEstimate({ method, margin, confidence: c, expectedRate: p }).n;
          expect(n(small, low)).toBeGreaterThanOrEqual(n(large, low));
          expect(n(small, high)).toBeGreaterThanOrEqual(n(small, low));
        },
      ),
      params,
    );
  });

  it("with a population, 1 ≤ n ≤ N, and n grows with N and as the margin shrinks", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 2_000_000 })),
        rate,
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        confidence,
        (N, p, margin, c) => {
          const r = sampleSizeEstimate({ margin, population: N, expectedRate: p, confidence: c });
          expect(r.n).toBeGreaterThanOrEqual(1);
          expect(r.n).toBeLessThanOrEqual(N);
          expect(r.n).toBeLessThanOrEqual(sampleSizeEstimate({ margin, expectedRate: p, confidence: c }).n);
          expect(
            sampleSizeEstimate({ margin, population: N + 1, expectedRate: p, confidence: c }).n,
          ).toBeGreaterThanOrEqual(r.n);
          expect(
            sampleSizeEstimate({ margin: margin / 2, population: N, expectedRate: p, confidence: c }).n,
          ).toBeGreaterThanOrEqual(r.n);
        },
      ),
      params,
    );
  });
});

// ------------------------------------------------------------------------------------------------------
// Demonstrate

/** Exact P(X ≤ c) for Hypergeometric(N, K, n) in rational BigInt arithmetic, for small N. */
function exactHypergeometricCdf(c: number, N: number, K: number, n: number): number {
  const choose = (a: number, b: number): bigint => {
    if (b < 0 || b > a) return 0n;
    let r = 1n;
    for (let i = 0; i < Math.min(b, a - b); i++) r = (r * BigInt(a - i)) / BigInt(i + 1);
    return r;
  };
  let numerator = 0n;
  for (let k = 0; k <= c; k++) numerator += choose(K, k) * choose(N - K, n - k);
  const denominator = choose(N, n);
  if (numerator === 0n) return 0;
  // 80 significant bits of the quotient, then scale back: relative precision ~1e-24 at any magnitude.
  const shift = Math.max(0, denominator.toString(2).length - numerator.toString(2).length + 80);
  const quotient = Number((numerator << BigInt(shift)) / denominator);
  return quotient * 2 ** -Math.min(shift, 1000) * 2 ** -(shift - Math.min(shift, 1000));
}

/** Independent log-space binomial CDF from log-gamma (jStat.combinationln), for cross-checks. */
function logGammaBinomialCdf(c: number, n: number, p: number): number {
  let sum = 0;
  for (let k = 0; k <= Math.min(c, n); k++) {
    sum += Math.exp(jStat.combinationln(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
  }
  return sum;
}

describe("binomial and hypergeometric CDFs", () => {
  // mpmath 1.3.0 at 50 digits: Σ C(n,k)p^k(1−p)^(n−k), Σ C(K,k)C(N−K,n−k)/C(N,n).
  const binomialCases: [number, number, number, number][] = [
    [5, 1000, 0.01, 0.06613951160725197],
    [10, 100000, 0.0001, 0.5830397502972543],
    [3, 10000000, 5e-7, 0.2650258451103974],
    [50, 20000, 0.003, 0.10732849054981713],
    [0, 300000000, 1e-8, 0.04978706762105792],
    [1000, 1000000, 0.00105, 0.062334597131304126],
  ];
  const hypergeometricCases: [number, number, number, number, number][] = [
    [0, 1000000, 10000, 299, 0.04951396537935553],
    [5, 1000000, 1000, 9000, 0.11447399653904829],
    [2, 100, 7, 40, 0.4153500188485931],
    [0, 1000000, 1, 950000, 0.05],
    [20, 500000, 2500, 5000, 0.18353861889776574],
    [3, 1000000, 1000, 7000, 0.0809312063512032],
  ];

  it("match mpmath to 1e-12 relative, for n up to 3·10⁸ and N = 10⁶", () => {
    for (const [c, n, p, expected] of binomialCases) {
      expect(Math.abs(binomialCdf(c, n, p) - expected) / expected, `${c} ${n} ${p}`).toBeLessThan(1e-12);
    }
    for (const [c, N, K, n, expected] of hypergeometricCases) {
      const actual = hypergeometricCdf(c, N, K, n);
      expect(Math.abs(actual - expected) / expected, `${c} ${N} ${K} ${n}`).toBeLessThan(1e-12);
    }
  });

  it("jStat.binomial.cdf agrees for moderate n (it rounds to 10 decimals) but drifts for large n", () => {
    for (const [c, n, p] of [
      [0, 299, 0.01],
      [5, 1000, 0.01],
      [50, 20000, 0.003],
    ] as const) {
      expect(Math.abs(binomialCdf(c, n, p) - jStat.binomial.cdf(c, n, p))).toBeLessThan(1e-9);
      expect(Math.abs(binomialCdf(c, n, p) - logGammaBinomialCdf(c, n, p))).toBeLessThan(1e-11);
    }
    // n = 10⁷: jStat is off by 6e-9 absolute; ours is within 1e-12 of mpmath (above).
    expect(Math.abs(jStat.binomial.cdf(3, 1e7, 5e-7) - 0.2650258451103974)).toBeGreaterThan(1e-9);
  });

  it("hypergeometric equals exact rational arithmetic (fast-check, seed 20241125)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }).chain((N) =>
          fc.record({
            N: fc.constant(N),
            K: fc.integer({ min: 0, max: N }),
            n: fc.integer({ min: 0, max: N }),
            c: fc.integer({ min: 0, max: 12 }),
          }),
        ),
        ({ N, K, n, c }) => {
          const exact = exactHypergeometricCdf(c, N, K, n);
          const actual = hypergeometricCdf(c, N, K, n);
          expect(Math.abs(actual - exact)).toBeLessThanOrEqual(1e-13 * Math.max(exact, 1e-280));
        },
      ),
      { seed: 20241125, numRuns: 300 },
    );
  });
});

describe("sampleSizeDemonstrate", () => {
  it("95 %, limit 1 %, no errors allowed, no population → 299 (0.99^299 ≤ 0.05 < 0.99^298)", () => {
    const r = sampleSizeDemonstrate({ maxRate: 0.01 });
    expect(r).toMatchObject({
      n: 299,
      confidence: 0.95,
      maxRate: 0.01,
      allowedErrors: 0,
      population: null,
      distribution: "binomial",
    });
    expect(r.achievedRisk).toBeCloseTo(0.99 ** 299, 14);
    expect(0.99 ** 298).toBeGreaterThan(0.05);
  });

  it("with a population uses the hypergeometric with K = ⌈limit·N⌉", () => {
    const big = sampleSizeDemonstrate({ maxRate: 0.01, population: 1_000_000 });
    expect(big).toMatchObject({ n: 299, distribution: "hypergeometric", population: 1_000_000 });
    expect(big.achievedRisk).toBe(hypergeometricCdf(0, 1_000_000, 10_000, 299));
    const small = sampleSizeDemonstrate({ maxRate: 0.01, population: 1000 });
    expect(small.n).toBeLessThan(299);
    expect(small.n).toBe(258);
  });

  it("0.07·100 = 7.000000000000001 still means K = 7 errors", () => {
    // c = 6 < K = 7 is demonstrable; with K = 8 c = 7 would be too, but K is 7, so c = 7 is not.
    expect(sampleSizeDemonstrate({ maxRate: 0.07, population: 100, allowedErrors: 6 }).n).toBeLessThanOrEqual(
      100,
    );
    expect(
      thrownField(() => sampleSizeDemonstrate({ maxRate: 0.07, population: 100, allowedErrors: 7 })),
    ).toBe("allowedErrors");
    // c = 0: the smallest n with C(93, n)/C(100, n) ≤ 0.05, by direct product.
    let n = 0;
    for (let risk = 1; risk > 0.05; n++) risk *= (93 - n) / (100 - n);
    expect(sampleSizeDemonstrate({ maxRate: 0.07, population: 100 }).n).toBe(n);
  });

  it("an exact tie counts as demonstrated: K = 1 in N = 10⁶ needs n = 950 000 (risk exactly 0.05)", () => {
    const r = sampleSizeDemonstrate({ maxRate: 1e-6, population: 1_000_000 });
    expect(r.n).toBe(950_000);
    expect(r.achievedRisk).toBeCloseTo(0.05, 15);
  });

  it("limit 100 % needs allowedErrors + 1 units", () => {
    expect(sampleSizeDemonstrate({ maxRate: 1, allowedErrors: 4 }).n).toBe(5);
    expect(sampleSizeDemonstrate({ maxRate: 1, allowedErrors: 4, population: 10 }).n).toBe(5);
  });

  it("allows up to 100 000 errors, summing only the terms that matter", () => {
    const start = performance.now();
    const r = sampleSizeDemonstrate({ maxRate: 0.01, allowedErrors: 100_000 });
    expect(performance.now() - start).toBeLessThan(2000);
    expect(r.achievedRisk).toBeLessThanOrEqual(0.05 * (1 + 1e-12));
    expect(binomialCdf(100_000, r.n - 1, 0.01)).toBeGreaterThan(0.05);
    // Normal approximation: n·p − c ≈ 1.645·√(n·p·q) → n ≈ 1.0052·10⁷.
    expect(Math.abs(r.n / 1.0052e7 - 1)).toBeLessThan(1e-3);
    expect(thrownField(() => sampleSizeDemonstrate({ maxRate: 0.01, allowedErrors: 100_001 }))).toBe(
      "allowedErrors",
    );
  });

  it("rejects what cannot be demonstrated or makes no sense, with the field", () => {
    expect(
      thrownField(() => sampleSizeDemonstrate({ maxRate: 0.01, population: 100, allowedErrors: 1 })),
    ).toBe("allowedErrors");
    expect(thrownField(() => sampleSizeDemonstrate({ maxRate: 0.01, allowedErrors: -1 }))).toBe(
      "allowedErrors",
    );
    expect(thrownField(() => sampleSizeDemonstrate({ maxRate: 0.01, allowedErrors: 1.5 }))).toBe(
      "allowedErrors",
    );
    expect(thrownField(() => sampleSizeDemonstrate({ maxRate: 0 }))).toBe("maxRate");
    expect(thrownField(() => sampleSizeDemonstrate({ maxRate: 1.5 }))).toBe("maxRate");
    expect(thrownField(() => sampleSizeDemonstrate({ maxRate: 0.01, confidence: 1 }))).toBe("confidence");
    expect(thrownField(() => sampleSizeDemonstrate({ maxRate: 0.01, population: 0 }))).toBe("population");
  });

  const params = { seed: 20241125, numRuns: 300 };
  const confidence = fc.double({ min: 0.5, max: 0.999, noNaN: true });

  it("binomial n is minimal: risk(n) ≤ 1 − confidence < risk(n − 1) (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-5, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 30 }),
        confidence,
        (maxRate, allowedErrors, c) => {
          const r = sampleSizeDemonstrate({ maxRate, allowedErrors, confidence: c });
          const alpha = 1 - c;
          expect(r.achievedRisk).toBe(binomialCdf(allowedErrors, r.n, maxRate));
          expect(r.achievedRisk).toBeLessThanOrEqual(alpha * (1 + 1e-12));
          expect(binomialCdf(allowedErrors, r.n - 1, maxRate)).toBeGreaterThan(alpha);
          if (r.n < 5000) {
            expect(Math.abs(logGammaBinomialCdf(allowedErrors, r.n, maxRate) - r.achievedRisk)).toBeLessThan(
              1e-10,
            );
          }
        },
      ),
      params,
    );
  });

  it("hypergeometric n is minimal, n ≤ N, and no larger than the binomial n (fast-check, exact arithmetic)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }),
        fc.double({ min: 1e-3, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 8 }),
        confidence,
        (N, maxRate, allowedErrors, c) => {
          const K = Math.ceil(maxRate * N - 1e-9);
          if (allowedErrors >= K) {
            expect(
              thrownField(() =>
                sampleSizeDemonstrate({ maxRate, allowedErrors, confidence: c, population: N }),
              ),
            ).toBe("allowedErrors");
            return;
          }
          const r = sampleSizeDemonstrate({ maxRate, allowedErrors, confidence: c, population: N });
          const alpha = 1 - c;
          expect(r.n).toBeLessThanOrEqual(N);
          expect(exactHypergeometricCdf(allowedErrors, N, K, r.n)).toBeLessThanOrEqual(alpha * (1 + 1e-12));
          expect(exactHypergeometricCdf(allowedErrors, N, K, r.n - 1)).toBeGreaterThan(alpha);
          // K/N ≥ maxRate, and sampling without replacement is at least as informative.
          expect(r.n).toBeLessThanOrEqual(sampleSizeDemonstrate({ maxRate, allowedErrors, confidence: c }).n);
        },
      ),
      params,
    );
  });
});
