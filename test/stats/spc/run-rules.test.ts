import { describe, expect, it } from "vitest";
import { StatsInputError } from "../../../stats/errors.ts";
import { chart } from "../../../stats/spc/index.ts";
import { resolveRules, type ZoneRuleId, zoneRuleSignals } from "../../../stats/spc/run-rules.ts";

/** Indices flagged by one rule when it is evaluated alone. */
function flagged(z: number[], rule: ZoneRuleId, segmentStarts: number[] = [], limitSigma = 3): number[] {
  return zoneRuleSignals(z, segmentStarts, [rule], limitSigma)
    .map((signals, i) => (signals.length > 0 ? i : -1))
    .filter((i) => i >= 0);
}

const repeat = (value: number, times: number) => new Array(times).fill(value);

describe("zoneRuleSignals: rule 1 (we-1, nelson-1)", () => {
  it("flags points strictly beyond the sigma multiplier only", () => {
    const z = [0, 3, 3.01, -3, -3.5, 2.9];
    expect(flagged(z, "we-1")).toEqual([2, 4]);
    expect(flagged(z, "nelson-1")).toEqual([2, 4]);
  });

  it("uses the chart's sigma option as the rule-1 threshold", () => {
    expect(flagged([0, 2.5, 1.9], "we-1", [], 2)).toEqual([1]);
  });
});

describe("zoneRuleSignals: 2 of 3 beyond 2σ (we-2, nelson-5)", () => {
  it("fires at the second point beyond 2σ on one side within 3 consecutive points, not earlier", () => {
    expect(flagged([0, 0, 2.5, 0, 2.1, 0], "we-2")).toEqual([4]);
    expect(flagged([0, 0, 2.5, 0, 2.1, 0], "nelson-5")).toEqual([4]);
  });

  it("does not fire when the window's points are on opposite sides or exactly at 2σ", () => {
    expect(flagged([0, 2.5, -2.5, 0, 2, 2.5], "we-2")).toEqual([]);
  });

  it("requires the flagged point itself to be beyond 2σ", () => {
    expect(flagged([0, 2.5, 2.5, 0, 0], "we-2")).toEqual([2]);
  });

  it("does not fire when the two points are 3 apart", () => {
    expect(flagged([0, 2.5, 0, 0, 2.5], "we-2")).toEqual([]);
  });

  it("counts a shortened window at the start of a series or phase", () => {
    expect(flagged([2.5, 2.5, 0], "we-2")).toEqual([1]);
    expect(flagged([0, 2.5, 2.5, 0], "we-2", [2])).toEqual([]);
  });
});

describe("zoneRuleSignals: 4 of 5 beyond 1σ (we-3, nelson-6)", () => {
  it("fires at the fourth point beyond 1σ on one side within 5 consecutive points", () => {
    const z = [0, 1.5, 1.5, 0.5, 1.5, 1.5, 0.2];
    expect(flagged(z, "we-3")).toEqual([5]);
    expect(flagged(z, "nelson-6")).toEqual([5]);
  });

  it("fires below the centre as well and not when one of the five is on the other side", () => {
    expect(flagged([-1.2, -1.2, -1.2, -1.2], "we-3")).toEqual([3]);
    expect(flagged([1.2, 1.2, -1.2, 1.2, 0, 1.2], "we-3")).toEqual([]);
  });
});

describe("zoneRuleSignals: runs on one side (we-4: 8, nelson-2: 9)", () => {
  it("we-4 fires at the 8th point in a row above and on every later point of the run", () => {
    expect(flagged([-1, ...repeat(0.3, 9), -1], "we-4")).toEqual([8, 9]);
  });

  it("nelson-2 flags points 9 and 10 of a run of 10", () => {
    expect(flagged([...repeat(-0.4, 10), 0.1], "nelson-2")).toEqual([8, 9]);
  });

  it("a point exactly on the centre line breaks the run", () => {
    expect(flagged([...repeat(0.5, 4), 0, ...repeat(0.5, 7)], "we-4")).toEqual([]);
  });

  it("runs never span two phases", () => {
    expect(flagged(repeat(0.5, 12), "we-4", [6])).toEqual([]);
    expect(flagged(repeat(0.5, 12), "we-4", [4])).toEqual([11]);
  });
});

describe("zoneRuleSignals: trends (nelson-3) and alternation (nelson-4)", () => {
  it("nelson-3 fires at the 6th point of a steady rise and on a steady fall", () => {
    expect(flagged([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6], "nelson-3")).toEqual([5, 6]);
    expect(flagged([3, 2, 1, 0, -1, -2], "nelson-3")).toEqual([5]);
  });

  it("nelson-3 is broken by a tie", () => {
    expect(flagged([0, 0.1, 0.2, 0.2, 0.3, 0.4, 0.5, 0.6], "nelson-3")).toEqual([]);
    expect(flagged([0, 0.1, 0.2, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], "nelson-3")).toEqual([8]);
  });

  it("nelson-4 fires at the 14th point alternating up and down, not the 13th", () => {
    const z = Array.from({ length: 15 }, (_, i) => (i % 2 === 0 ? 0 : 1));
    expect(flagged(z, "nelson-4")).toEqual([13, 14]);
  });

  it("nelson-4 is broken by a tie and by two rises in a row", () => {
    const alternating = Array.from({ length: 14 }, (_, i) => (i % 2 === 0 ? -0.5 : 0.5));
    const withTie = [...alternating.slice(0, 7), alternating[6], ...alternating.slice(7)];
    expect(flagged(withTie, "nelson-4")).toEqual([]);
    const withDoubleRise = [...alternating.slice(0, 7), 0.9, ...alternating.slice(7)];
    expect(flagged(withDoubleRise, "nelson-4")).toEqual([]);
  });
});

describe("zoneRuleSignals: stratification (nelson-7) and mixture (nelson-8)", () => {
  it("nelson-7 fires at the 15th point in a row within 1σ (|z| = 1 counts as within)", () => {
    const z = [2, ...Array.from({ length: 15 }, (_, i) => (i % 3 === 0 ? 1 : -0.3))];
    expect(flagged(z, "nelson-7")).toEqual([15]);
  });

  it("nelson-8 fires at the 8th point in a row beyond 1σ on either side", () => {
    const z = [0, ...Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? 1.5 : -1.1))];
    expect(flagged(z, "nelson-8")).toEqual([8]);
    expect(flagged([0, ...repeat(1.5, 3), 1, ...repeat(-1.5, 4)], "nelson-8")).toEqual([]);
  });
});

describe("zoneRuleSignals: undefined and infinite z (σᵢ = 0)", () => {
  it("NaN is on no side and breaks runs and trends without signalling", () => {
    const z = [...repeat(0.5, 4), Number.NaN, ...repeat(0.5, 4)];
    expect(flagged(z, "we-4")).toEqual([]);
    expect(flagged([0, 1, 2, Number.NaN, 3, 4, 5], "nelson-3")).toEqual([]);
    expect(
      zoneRuleSignals([Number.NaN], [], [...resolveRules("nelson", "shewhart")] as ZoneRuleId[], 3),
    ).toEqual([[]]);
  });

  it("±Infinity is beyond every zone on its side", () => {
    expect(flagged([0, Number.POSITIVE_INFINITY], "we-1")).toEqual([1]);
    expect(flagged([2.5, Number.POSITIVE_INFINITY], "we-2")).toEqual([1]);
  });
});

describe("zoneRuleSignals: false-alarm rate", () => {
  it("we-1 fires on about 0.27 % of 100,000 in-control normal values (seeded PRNG)", () => {
    const z = seededNormals(100_000, 42);
    const signals = zoneRuleSignals(z, [], ["we-1"], 3);
    const rate = signals.filter((s) => s.length > 0).length / z.length;
    // Binomial(100000, 0.0027) has sd 0.000164: ±0.0005 is three standard deviations.
    expect(Math.abs(rate - 0.0027)).toBeLessThan(0.0005);
  });

  it("all Nelson rules on 100,000 points run in one pass", () => {
    const z = seededNormals(100_000, 7);
    const signals = zoneRuleSignals(z, [], resolveRules("nelson", "shewhart") as ZoneRuleId[], 3);
    expect(signals).toHaveLength(100_000);
  });
});

describe("rule selection through chart()", () => {
  // c chart with a known standard 100: σ = 10, so count = 100 + 10·z.
  const fromZ = (z: number[]) => z.map((value) => ({ count: Math.round(100 + 10 * value) }));

  it("defaults to Western Electric, and 'nelson' and id lists select other rules", () => {
    const points = fromZ([...repeat(0.5, 9), 0]);
    expect(chart({ type: "c", points, standard: 100 }).signals.map((s) => [s.index, s.rule])).toEqual([
      [7, "we-4"],
      [8, "we-4"],
    ]);
    expect(chart({ type: "c", points, standard: 100, rules: "nelson" }).signals).toEqual([
      { index: 8, label: null, rule: "nelson-2" },
    ]);
    expect(chart({ type: "c", points, standard: 100, rules: ["nelson-2", "we-4"] }).rules).toEqual([
      "we-4",
      "nelson-2",
    ]);
    expect(chart({ type: "c", points, standard: 100, rules: "none" }).signals).toEqual([]);
  });

  it("reports signals with labels, in index then rule order", () => {
    const points = fromZ([0, 2.5, 3.5]).map((point, i) => ({ ...point, label: `w${i}` }));
    expect(chart({ type: "c", points, standard: 100 }).signals).toEqual([
      { index: 2, label: "w2", rule: "we-1" },
      { index: 2, label: "w2", rule: "we-2" },
    ]);
  });

  it("rejects unknown rule ids and rules that do not apply, naming rules.<i>", () => {
    const points = fromZ([0, 1]);
    const fieldOf = (rules: unknown, type: "c" | "ewma" = "c") => {
      try {
        chart({ type, points, rules: rules as string[] });
      } catch (error) {
        expect(error).toBeInstanceOf(StatsInputError);
        return (error as StatsInputError).field;
      }
      return "no error";
    };
    expect(fieldOf(["we-1", "we-9"])).toBe("rules.1");
    expect(fieldOf(["ewma"])).toBe("rules.0");
    expect(fieldOf("western")).toBe("rules");
    expect(fieldOf(["we-1"], "ewma")).toBe("rules.0");
    expect(fieldOf("nelson", "ewma")).toBe("rules");
  });
});

/** Mulberry32 uniform generator and Box–Muller transform: deterministic N(0, 1) values. */
function seededNormals(count: number, seed: number): Float64Array {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const values = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(uniform()));
    const angle = 2 * Math.PI * uniform();
    values[i] = radius * Math.cos(angle);
    if (i + 1 < count) values[i + 1] = radius * Math.sin(angle);
  }
  return values;
}
