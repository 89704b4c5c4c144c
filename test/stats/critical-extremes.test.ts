import fc from "fast-check";
import jStat from "jstat";
import { describe, expect, it } from "vitest";
import { normalUpperTail, tCritical, zCritical } from "../../stats/critical.ts";
import { normalQuantile, normalTwoSidedQuantile, normalUpperQuantile } from "../../stats/normal-quantile.ts";
import {
  studentTTwoSidedQuantile,
  studentTTwoSidedTail,
  studentTUpperQuantile,
  studentTUpperTail,
} from "../../stats/student-t.ts";
import { thrownField } from "./thrown-field.ts";

function expectRelative(actual: number, expected: number, tolerance: number, label = "") {
  const error = Math.abs(actual - expected) / Math.abs(expected);
  expect(error, `${label} ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

/**
 * Φ⁻¹(p): mpmath 1.3 at 50 digits (root of ln Φ(z) = ln p, p taken as the exact double), rounded to the
 * nearest double. 5.551115123125783e-17 is α/2 at confidence 0.9999999999999999.
 */
const NORMAL_QUANTILES: [p: number, z: number][] = [
  [0.49, -0.025068908258711057],
  [0.3, -0.5244005127080408],
  [0.1, -1.2815515655446004],
  [0.025, -1.9599639845400543],
  [0.001, -3.0902323061678136],
  [1e-5, -4.264890793922825],
  [1e-8, -5.612001244174789],
  [1e-10, -6.361340902404057],
  [1e-12, -7.034483825301132],
  [5e-16, -8.02685888253454],
  [5.551115123125783e-17, -8.292361075813595],
  [1e-20, -9.262340089798407],
  [1e-50, -14.933337534788489],
  [1e-100, -21.273453560965326],
  [1e-200, -30.20559417957964],
  [1e-300, -37.0470962993612],
  [2.2250738585072014e-308, -37.5193793471445],
  [5e-324, -38.467405617144344],
];

/** z with P(|Z| ≤ z) = confidence for the exact double confidence: mpmath 1.3 at 50 digits (√2·erfinv(c)). */
const TWO_SIDED_Z: [confidence: number, z: number][] = [
  [0.95, 1.9599639845400538],
  [0.99, 2.5758293035489004],
  [0.5, 0.6744897501960817],
  [0.85, 1.439531470938456],
  [0.8500000000000001, 1.4395314709384561],
  [0.999999, 4.891638475692932],
  [0.999999999999999, 8.026957018033892],
  [0.9999999999999999, 8.292361075813595],
  [0.001, 0.0012533144654325546],
  [1e-10, 1.2533141373155003e-10],
  [1e-300, 1.2533141373155002e-300],
];

/**
 * t with P(|T| ≤ t) = confidence: mpmath 1.3 at 50 digits (regularised incomplete beta, bisection in ln t to
 * 1e-30). For df = 10 at 0.95 this is R's qt(0.975, 10) = 2.228138851986274 (the double 0.95 is
 * 0.949999999999999956, hence the last digit).
 */
const T_TWO_SIDED: [confidence: number, df: number, t: number][] = [
  [0.95, 1, 12.706204736174694],
  [0.99, 1, 63.656741162871526],
  [0.5, 1, 1.0],
  [1e-10, 1, 1.5707963267948967e-10],
  [0.9999999999999999, 1, 5734161139222659.0],
  [0.95, 2, 4.302652729749462],
  [0.999999, 2, 999.9992499854659],
  [0.95, 3, 3.1824463052837086],
  [0.99, 3, 5.840909309733355],
  [0.9999999999999999, 3, 270823.8069996586],
  [0.3, 7.5, 0.40043344604560915],
  [0.9999999999999999, 7.5, 310.0683521952136],
  [0.95, 10, 2.2281388519862744],
  [1e-10, 10, 1.2849890174652464e-10],
  [0.999999, 10, 10.516489956882173],
  [0.95, 30, 2.0422724563012378],
  [0.9999999999999999, 30, 16.622112879395637],
  [0.99, 1000, 2.5807546980659506],
  [0.9999999999999999, 1000, 8.439147261493407],
  [0.95, 1e6, 1.9599663568141066],
  [0.9999999999999999, 1e6, 8.292505703470363],
  [0.5, 1e9, 0.6744897504414167],
  [0.9999999999999999, 1e9, 8.292361220439117],
  [0.95, 0.5, 164.55767348048823],
  [0.999999, 0.5, 411396462502.87604],
  [0.9999999999999999, 0.5, 3.3376446249826153e31],
];

/** t with P(T > t) = q: mpmath 1.3 at 60 digits (as above); df = 1 is cot(πq), df = 2 is (1 − 2q)/√(2q(1 − q)). */
const T_UPPER: [q: number, df: number, t: number][] = [
  [1e-300, 1, 3.1830988618379066e299],
  [5e-17, 1, 6366197723675814.0],
  [1e-300, 2, 7.071067811865475e149],
  [5e-17, 2, 100000000.0],
  [1e-300, 3, 1.033110836044653e100],
  [1e-100, 3, 2.225769823822442e33],
  [1e-300, 5, 1.5683925590993378e60],
  [1e-300, 30, 50178575360.50508],
  [1e-100, 30, 10810.645001143976],
  [1e-300, 1000, 54.291388553051746],
  [5e-17, 1000, 8.45223244333521],
  [0.025, 1000, 1.9623390808264085],
];

describe("normal quantile (Wichura AS 241) across the whole open interval", () => {
  it.each(NORMAL_QUANTILES)("Φ⁻¹(%d) matches mpmath to 1e-15 relative", (p, z) => {
    expectRelative(normalQuantile(p), z, 1e-15);
    expect(normalUpperQuantile(p)).toBe(-normalQuantile(p));
  });

  it("is symmetric: Φ⁻¹(1 − p) = −Φ⁻¹(p) where 1 − p is exact", () => {
    for (const p of [0.3, 0.1, 0.025, 0.001])
      expectRelative(normalQuantile(1 - p), -normalQuantile(p), 2e-15);
  });

  it("round-trips through normalUpperTail for tails from 1e-300 to ½, to 2e-15·(1 + z²) (fast-check, seed 19)", () => {
    fc.assert(
      fc.property(fc.double({ min: -300, max: Math.log10(0.5), noNaN: true }), (exponent) => {
        const q = 10 ** exponent;
        const z = normalUpperQuantile(q);
        // d ln Q/d ln z ≈ z²: the tail magnifies the quantile's last-digit error by z².
        expectRelative(normalUpperTail(z), q, 2e-15 * (1 + z * z), `q = ${q}`);
      }),
      { seed: 19, numRuns: 500 },
    );
  });

  it("returns ∓∞ at 0 and 1 and NaN outside [0, 1]", () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalQuantile(Number.NaN)).toBeNaN();
  });
});

describe("zCritical at the edges of (0, 1)", () => {
  it.each(TWO_SIDED_Z)("zCritical(%d) matches mpmath to 1e-15 relative", (confidence, z) => {
    expectRelative(zCritical(confidence), z, 1e-15);
    expect(normalTwoSidedQuantile(confidence)).toBe(zCritical(confidence));
  });

  it("gives 8.2924 at confidence 0.9999999999999999, where 1 − α/2 rounds to 1 (it gave 141.4)", () => {
    expectRelative(zCritical(0.9999999999999999), 8.292361075813595, 1e-15);
  });

  it("keeps the former jStat values in the usual range (0.5 to 0.9999) to 5e-15 relative", () => {
    for (let confidence = 0.5; confidence < 0.99995; confidence += 0.0125) {
      const former = jStat.normal.inv(1 - (1 - confidence) / 2, 0, 1);
      expectRelative(zCritical(confidence), former, 5e-15, `confidence ${confidence}`);
    }
  });

  it("is strictly increasing in the confidence (fast-check, seed 7)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-300, max: 0.9999999999999999, noNaN: true }),
        fc.double({ min: 1e-300, max: 0.9999999999999999, noNaN: true }),
        (c1, c2) => {
          fc.pre(c1 < c2);
          expect(zCritical(c1)).toBeLessThan(zCritical(c2));
        },
      ),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe("tCritical and the Student t quantile at the edges", () => {
  it.each(T_TWO_SIDED)("tCritical(%d, df = %d) matches mpmath to 1e-13 relative", (confidence, df, t) => {
    expectRelative(tCritical(confidence, df), t, 1e-13);
  });

  it.each(T_UPPER)("the upper %d quantile at df = %d matches mpmath to 1e-13 relative", (q, df, t) => {
    expectRelative(studentTUpperQuantile(q, df), t, 1e-13);
  });

  it("equals the closed forms for df = 1 (t = tan(πc/2) = cot(πα/2)) and df = 2 (t = c√2/√((1 − c)(1 + c)))", () => {
    for (const confidence of [1e-10, 0.2, 0.5, 0.9, 0.99, 0.999999999, 0.9999999999999999]) {
      const alpha = 1 - confidence;
      const cauchy =
        confidence < 0.5 ? Math.tan((Math.PI * confidence) / 2) : 1 / Math.tan((Math.PI * alpha) / 2);
      expectRelative(tCritical(confidence, 1), cauchy, 2e-14, `df 1, ${confidence}`);
      const closed = (confidence * Math.SQRT2) / Math.sqrt(alpha * (1 + confidence));
      expectRelative(tCritical(confidence, 2), closed, 2e-14, `df 2, ${confidence}`);
    }
  });

  it("tends to zCritical as df grows (df = 10¹⁵: within the z³/(4·df) of Fisher's expansion)", () => {
    for (const confidence of [0.5, 0.95, 0.9999999999999999]) {
      const z = zCritical(confidence);
      const t = tCritical(confidence, 1e15);
      expect(Math.abs(t - z) / z).toBeLessThanOrEqual((z * z) / 4e15 + 1e-14);
    }
  });

  it("round-trips through the t tail functions (fast-check, seed 11)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -300, max: Math.log10(0.5), noNaN: true }),
        fc.double({ min: 0, max: 9, noNaN: true }),
        (exponent, logDf) => {
          const q = 10 ** exponent;
          const df = 10 ** logDf;
          const t = studentTUpperQuantile(q, df);
          // The tail's relative change per relative change of t: (df + 1)t²/(df + t²) for large t.
          const conditioning = 1 + (df + 1) / (df / t / t + 1);
          expectRelative(studentTUpperTail(t, df), q, 2e-14 * conditioning, `q ${q}, df ${df}`);
          expectRelative(studentTTwoSidedTail(t, df), 2 * q, 2e-14 * conditioning, `q ${q}, df ${df}`);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  it("the lower tail stays accurate where jStat's CDF rounds (P(T > 40; 3) = 1.71903e-5, P(T < −40) the same)", () => {
    // mpmath 1.3: ½·I_{3/1603}(3/2, ½) = 1.719034039457926e-5
    expectRelative(studentTUpperTail(40, 3), 1.719034039457926e-5, 1e-14);
    expectRelative(studentTUpperTail(-40, 3), 1 - 1.719034039457926e-5, 1e-15);
    expect(studentTTwoSidedQuantile(0, 3)).toBe(0);
  });

  it("rejects df ≤ 0 and confidence outside (0, 1) on their fields", () => {
    expect(thrownField(() => tCritical(0.95, 0))).toBe("df");
    expect(thrownField(() => tCritical(1, 3))).toBe("confidence");
    expect(thrownField(() => zCritical(0))).toBe("confidence");
  });
});
