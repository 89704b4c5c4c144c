import fc from "fast-check";
import jStat from "jstat";
import { describe, expect, it } from "vitest";
import { betaQuantile, type Tail } from "../../stats/beta-quantile.ts";
import { twoProduct, twoSum } from "../../stats/error-free.ts";
import { erf, erfc, erfcScaled } from "../../stats/error-function.ts";
import { incompleteBeta, rlog1 } from "../../stats/incomplete-beta.ts";
import {
  bd0,
  binomialLogPmf,
  logBeta,
  logBetaKernel,
  reciprocalGamma1pMinus1,
  stirlerr,
} from "../../stats/log-gamma.ts";

function expectRelative(actual: number, expected: number, tolerance: number, label = "") {
  const error = expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
  expect(error, `${label} ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

// All reference values below: mpmath 1.3 at 50–60 digits, rounded to the nearest double, unless named.

/** [x, erf(x), erfc(x), e^{x²}·erfc(x)] */
const ERROR_FUNCTION: [number, number, number, number][] = [
  [0.1, 0.1124629160182849, 0.887537083981715, 0.8964569799691267],
  [0.3, 0.3286267594591274, 0.6713732405408726, 0.7345993345676551],
  [0.5, 0.5204998778130465, 0.4795001221869535, 0.6156903441929259],
  [1, 0.8427007929497149, 0.15729920705028513, 0.427583576155807],
  [2, 0.9953222650189527, 0.004677734981047266, 0.25539567631050575],
  [3.35, 0.9999978375231799, 2.162476820040182e-6, 0.16174143206201583],
  [5, 0.9999999999984626, 1.537459794428035e-12, 0.11070463773306863],
  [10, 1.0, 2.088487583762545e-45, 0.05614099274382259],
  [26, 1.0, 5.663192408856143e-296, 0.021683584850562907],
];

/** [a, b, x, tail, value, source] */
const INCOMPLETE_BETA: [number, number, number, "lower" | "upper", number, string][] = [
  [2, 3, 0.5, "lower", 0.6875, "exact 11/16"],
  [0.5, 0.5, 0.3, "lower", 0.36901011956554536, "arcsine law (2/π)·asin(√x)"],
  [1, 1e12, 1e-13, "lower", 0.09516258196404495, "1 − (1 − x)^b"],
  [1.5, 0.5, 0.0018714909544603868, "lower", 3.4380680789158526e-5, "betainc: P(|T₃| > 40)"],
  [10, 991, 0.004805510691049306, "lower", 0.024999999999999967, "betainc"],
  [30, 1e12, 2e-11, "lower", 0.021818217531689877, "quadrature"],
  [30, 1e12, 4e-11, "upper", 0.04322868213262384, "quadrature"],
  [5e11, 5e11 + 1, 0.4999985, "lower", 0.0013499024635616273, "quadrature"],
  [17043938827539.523, 856447516761757.2, 0.01951239467604353, "lower", 9.268073965810275e-13, "quadrature"],
  [481.943806313543, 39, 0.18407050511084266, "lower", 1.9963740517251198e-300, "quadrature"],
  [29286.26529903129, 26, 0.9730697809096213, "lower", 1.0764006924675716e-300, "quadrature"],
  [
    60446627148760.125,
    899863169873747.6,
    0.06294463365160133,
    "lower",
    1.1924071229497629e-300,
    "quadrature",
  ],
  [0.5, 1e12, 1e-10, "upper", 2.0884875733208673e-45, "quadrature"],
  [2.5, 1e15, 3e-15, "upper", 0.30621891841327714, "quadrature"],
  [1e6, 1e6, 0.499, "lower", 0.0023388494069315046, "quadrature"],
];

/** [p, a, b, tail, x, source] */
const BETA_QUANTILES: [number, number, number, Tail, number, string][] = [
  [0.025, 4, 17, "lower", 0.05733399705003276, "betainc root (R qbeta prints 0.05733399705003284)"],
  [0.025, 5, 16, "upper", 0.43661400299666836, "betainc root"],
  [0.025, 1, 1e12, "lower", 2.5317807984289576e-14, "1 − 0.975^(1/b)"],
  [0.025, 1, 1e12, "upper", 3.688879454107133e-12, "1 − 0.025^(1/b)"],
  [5e-17, 1, 1e12, "upper", 3.7534508667760255e-11, "1 − p^(1/b)"],
  [0.025, 5e11, 5e11 + 1, "lower", 0.49999902001750773, "quadrature root"],
  [0.025, 5e11 + 1, 5e11, "upper", 0.5000009799824923, "quadrature root"],
];

describe("error function (Cody's rational approximations)", () => {
  it.each(ERROR_FUNCTION)("erf, erfc and erfcx at %d match mpmath to 1e-15 relative", (x, e, c, scaled) => {
    expectRelative(erf(x), e, 1e-15, "erf");
    expectRelative(erfc(x), c, 1e-15, "erfc");
    expectRelative(erfcScaled(x), scaled, 1e-15, "erfcx");
    expect(erf(-x)).toBe(-erf(x));
  });

  it("keeps erfc's relative accuracy where jStat's reaches 0 (x = 10: jStat gives 0)", () => {
    expect(jStat.erfc(10)).toBe(0);
    expectRelative(erfc(10), 2.088487583762545e-45, 1e-15);
  });
});

describe("log-gamma building blocks (Loader 2000)", () => {
  it("stirlerr matches mpmath from ½ to 10¹² (table, ln Γ and series branches)", () => {
    const cases: [number, number][] = [
      [0.5, 0.15342640972002736],
      [3.7, 0.022468770580143144],
      [10, 0.00833056343336287],
      [15.5, 0.005375599032926835],
      [16.25, 0.0051275584792600006],
      [100.3, 0.0008308380580517797],
      [1000000.1, 8.333332499999805e-8],
      [1e12, 8.333333333333334e-14],
    ];
    // ln Γ below 15 carries ~1e-15 absolute, i.e. ~1e-13 relative to stirlerr(3.7) = 0.022.
    for (const [z, value] of cases) expectRelative(stirlerr(z), value, 1e-13, `stirlerr(${z})`);
  });

  it("ln B(a, b) matches mpmath where one parameter is huge (no cancelling ln Γ)", () => {
    const cases: [number, number, number][] = [
      [2, 3, -2.4849066497880004],
      [0.5, 0.5, 1.1447298858494002],
      [0.5, 1e12, -13.243145615039449],
      [30, 1e12, -757.6735945111234],
      [7.25, 3.5, -6.266313171974905],
      [1e6, 1e6, -1386300.003362921],
    ];
    for (const [a, b, value] of cases) expectRelative(logBeta(a, b), value, 1e-14, `ln B(${a}, ${b})`);
  });

  it("ln(x^a y^b/B(a, b)) and the binomial pmf match mpmath at 10¹² (where ln Γ differences keep 3 digits)", () => {
    const kernels: [number, number, number, number][] = [
      [2, 3, 0.5, -0.9808292530117262],
      [30, 1e12, 2e-11, -1.38507076031328],
      [5e11, 5e11 + 1, 0.4999985, 7.703427844248922],
      [0.5, 1e12, 1e-10, -98.26977985493079],
    ];
    for (const [a, b, x, value] of kernels) {
      expectRelative(logBetaKernel(a, b, x, 1 - x), value, 1e-14, `kernel(${a}, ${b}, ${x})`);
    }
    const pmfs: [number, number, number, number][] = [
      [2, 4, 0.5, -0.9808292530117262],
      [500000000000, 1000000000000, 0.5, -14.041301910609251],
      [1, 1e12, 1e-12, -0.9999999999995],
      [300000, 1000000, 0.3, -7.046370251546539],
    ];
    for (const [k, n, p, value] of pmfs)
      expectRelative(binomialLogPmf(k, n, p, 1 - p), value, 1e-14, `pmf(${k})`);
  });

  it("bd0, rlog1 and 1/Γ(1 + a) − 1 keep their small values without cancellation", () => {
    expect(bd0(10, 10)).toBe(0);
    // bd0(x, M) ≈ (x − M)²/(2M) for x ≈ M; at M = 10¹², x = M + 10 (mpmath): 4.999999999983333e-11.
    expectRelative(bd0(1e12 + 10, 1e12), 4.999999999983333e-11, 1e-14);
    expectRelative(rlog1(1e-8), 0.5e-16 - 1e-24 / 3, 1e-15);
    expectRelative(rlog1(-0.3), -0.3 - Math.log1p(-0.3), 1e-15);
    // 1/Γ(1.5) − 1 = 2/√π − 1
    expectRelative(reciprocalGamma1pMinus1(0.5), 2 / Math.sqrt(Math.PI) - 1, 1e-15);
    expectRelative(reciprocalGamma1pMinus1(1e-10), 0.5772156649015329e-10, 1e-9);
  });

  it("twoSum and twoProduct are exact (the error terms recover the rounding)", () => {
    expect(twoSum(1e16, 1)).toEqual([1e16, 1]);
    const [p, e] = twoProduct(1e12, 0.4999985);
    expect(p).toBe(499998500000);
    // The double 0.4999985 times 10¹² is 499998500000.0000123776544569… (exact rational arithmetic).
    expect(e).toBe(1.2377654456940945e-5);
  });
});

describe("incompleteBeta (DiDonato & Morris 1992, Algorithm 708)", () => {
  it.each(INCOMPLETE_BETA)(
    "I at a = %d, b = %d, x = %d (%s tail) matches mpmath to 2e-13",
    (a, b, x, tail, value) => {
      expectRelative(incompleteBeta(a, b, x)[tail], value, 2e-13);
    },
  );

  it("uses a more precise y = 1 − x when given (a = 10¹² + ½, b = ½, y = 10⁻¹⁰)", () => {
    // mpmath quadrature of the upper tail of Beta(½, 10¹² + ½) at 10⁻¹⁰
    expectRelative(incompleteBeta(1e12 + 0.5, 0.5, 1 - 1e-10, 1e-10).lower, 2.0884875732159258e-45, 1e-13);
  });

  it("lower + upper = 1 and I_x(a, b) = 1 − I_{1−x}(b, a), for parameters up to 10¹⁵ (fast-check, seed 3)", () => {
    const parameter = fc.double({ min: -1, max: 15, noNaN: true }).map((e) => 10 ** e);
    fc.assert(
      fc.property(parameter, parameter, fc.double({ min: 0.001, max: 0.999, noNaN: true }), (a, b, x) => {
        const direct = incompleteBeta(a, b, x);
        expect(Math.abs(direct.lower + direct.upper - 1)).toBeLessThanOrEqual(2e-16);
        expect(direct.lower).toBeGreaterThanOrEqual(0);
        expect(direct.upper).toBeGreaterThanOrEqual(0);
        const mirrored = incompleteBeta(b, a, 1 - x, x);
        const small = Math.min(direct.lower, direct.upper);
        if (small > 1e-300) {
          const mirroredSmall = direct.lower <= direct.upper ? mirrored.upper : mirrored.lower;
          // x and 1 − x are not both exact; the difference is within the function's conditioning in x.
          const conditioning = Math.exp(logBetaKernel(a, b, x, 1 - x)) / small;
          expectRelative(mirroredSmall, small, 1e-13 + 2e-16 * conditioning);
        }
      }),
      { seed: 3, numRuns: 400 },
    );
  });

  it("is non-decreasing in x at a = b = 10¹² (the regime where jStat's continued fraction fails)", () => {
    let previous = 0;
    for (let k = -40; k <= 40; k++) {
      const x = 0.5 + k * 1e-7;
      const value = incompleteBeta(1e12, 1e12, x).lower;
      expect(value).toBeGreaterThanOrEqual(previous);
      previous = value;
    }
    expect(previous).toBe(1);
  });
});

describe("betaQuantile", () => {
  it.each(BETA_QUANTILES)(
    "the %d %s... quantile of Beta(%d, %d) matches mpmath to 1e-14 (%s)",
    (p, a, b, tail, x) => {
      expectRelative(betaQuantile(p, a, b, tail).x, x, 1e-14);
    },
  );

  it("returns the complement exactly where the quantile is near 1 (upper tail of Beta(10¹², 1))", () => {
    // By symmetry with the 1 − 0.025^(1/b) row: 1 − x = 0.975^(1/10¹²)'s complement.
    const { x, y } = betaQuantile(0.025, 1e12, 1, "lower");
    expectRelative(y, 3.688879454107133e-12, 1e-14);
    expect(x).toBe(1 - y);
  });

  it("round-trips: the tail at the quantile is p, within the conditioning (fast-check, seed 5)", () => {
    const parameter = fc.oneof(
      fc.double({ min: -1, max: 15, noNaN: true }).map((e) => 10 ** e),
      fc.integer({ min: 0, max: 60 }).map((k) => k + 0.5),
    );
    const probability = fc.oneof(
      fc.double({ min: -300, max: Math.log10(0.5), noNaN: true }).map((e) => 10 ** e),
      fc.double({ min: 0.001, max: 0.999, noNaN: true }),
    );
    fc.assert(
      fc.property(
        parameter,
        parameter,
        probability,
        fc.constantFrom<Tail>("lower", "upper"),
        (a, b, p, tail) => {
          const { x, y } = betaQuantile(p, a, b, tail);
          expect(x + y).toBeCloseTo(1, 15);
          if (Math.min(x, y) < 1e-300) return; // the answer is at the edge of the doubles
          const tails = incompleteBeta(a, b, x, y);
          const value = tail === "lower" ? tails.lower : tails.upper;
          // x·y·f(x)/G: the tail's relative change per relative change of the quantile.
          const conditioning = Math.exp(logBetaKernel(a, b, x, y)) / value;
          expectRelative(value, p, 1e-13 + 2e-15 * conditioning, `p ${p}, a ${a}, b ${b}, ${tail}`);
        },
      ),
      { seed: 5, numRuns: 400 },
    );
  });
});
