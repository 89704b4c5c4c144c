import { describe, expect, it } from "vitest";
import { normalUpperTail, tCritical, twoSidedNormalP, zCritical } from "../../stats/critical.ts";

describe("critical values", () => {
  it("zCritical(0.95) is Φ⁻¹(0.975) to 1e-15 (R qnorm)", () => {
    expect(zCritical(0.95)).toBeCloseTo(1.959963984540054, 14);
    expect(zCritical(0.99)).toBeCloseTo(2.5758293035489, 12);
  });

  it("tCritical agrees with scipy t.ppf to 5e-9 (jStat's t CDF limits it; raw jStat is off by ~2e-8)", () => {
    expect(tCritical(0.95, 10)).toBeCloseTo(2.228138851986274, 8);
    expect(tCritical(0.95, 11)).toBeCloseTo(2.200985160091639, 8);
    expect(tCritical(0.99, 3)).toBeCloseTo(5.840909309733355, 8);
  });

  it("normalUpperTail stays accurate in the far tail (R pnorm(z, lower = FALSE))", () => {
    expect(normalUpperTail(8) / 6.220960574271785e-16).toBeCloseTo(1, 12);
    expect(normalUpperTail(10) / 7.619853024160527e-24).toBeCloseTo(1, 12);
    expect(normalUpperTail(3) / 0.0013498980316301).toBeCloseTo(1, 12);
    expect(twoSidedNormalP(-1.959963984540054)).toBeCloseTo(0.05, 14);
  });

  it("rejects confidence outside (0, 1)", () => {
    expect(() => zCritical(1)).toThrow(/confidence/);
    expect(() => tCritical(0, 5)).toThrow(/confidence/);
  });
});
