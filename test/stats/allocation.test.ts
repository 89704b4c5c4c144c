import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AllocationMethod,
  allocate,
  allocationQuotas,
  allocationWeights,
  type Stratum,
} from "../../stats/allocation.ts";
import { sampleSizeEstimate } from "../../stats/sample-size-estimate.ts";
import { thrownField } from "./thrown-field.ts";

const nOf = (strata: Stratum[], method: AllocationMethod, total: number, minPerStratum?: number) =>
  allocate({ strata, method, total, minPerStratum }).strata.map((s) => s.n);

describe("allocate", () => {
  it("proportional: n_h ∝ N_h, exactly summing to the total", () => {
    const strata = [
      { key: "hate", size: 5000 },
      { key: "bullying", size: 3000 },
      { key: "self-harm", size: 2000 },
    ];
    expect(allocate({ strata, method: "proportional", total: 100 })).toEqual({
      total: 100,
      method: "proportional",
      strata: [
        { key: "hate", size: 5000, n: 50 },
        { key: "bullying", size: 3000, n: 30 },
        { key: "self-harm", size: 2000, n: 20 },
      ],
      notes: [],
      notices: [],
    });
    // 100·(1/3 each) = 33.33…: largest remainders tie, the earliest strata get the extra unit.
    expect(
      nOf(
        [
          { key: "a", size: 10 },
          { key: "b", size: 10 },
          { key: "c", size: 10 },
        ],
        "proportional",
        10,
      ),
    ).toEqual([4, 3, 3]);
  });

  it("neyman: n_h ∝ N_h·√(p_h(1 − p_h)), p_h defaulting to 0.5 (Cochran 1977 §5.9)", () => {
    // weights 1000·0.5 = 500, 1000·√(0.09) = 300, 2000·√(0.01·0.99) ≈ 198.997
    const strata = [
      { key: "a", size: 1000 },
      { key: "b", size: 1000, expectedRate: 0.1 },
      { key: "c", size: 2000, expectedRate: 0.01 },
    ];
    const weights = allocationWeights(strata, "neyman");
    expect(weights[0]).toBe(500);
    expect(weights[1]).toBeCloseTo(300, 12);
    expect(nOf(strata, "neyman", 200)).toEqual([100, 60, 40]);
  });

  it("equal: the same n in every non-empty stratum; empty strata get 0", () => {
    expect(
      nOf(
        [
          { key: "a", size: 1000 },
          { key: "empty", size: 0 },
          { key: "b", size: 10 },
        ],
        "equal",
        20,
      ),
    ).toEqual([10, 0, 10]);
  });

  it("never gives a stratum more than it holds; the excess goes to the others by weight, iteratively", () => {
    // equal: 100/3 each, b holds 5 → 95 over a and d (47.5 each, the tie goes to a); then d holds 30 → a 65.
    expect(
      nOf(
        [
          { key: "a", size: 1000 },
          { key: "b", size: 5 },
          { key: "d", size: 300 },
        ],
        "equal",
        100,
      ),
    ).toEqual([48, 5, 47]);
    expect(
      nOf(
        [
          { key: "a", size: 1000 },
          { key: "b", size: 5 },
          { key: "d", size: 30 },
        ],
        "equal",
        100,
      ),
    ).toEqual([65, 5, 30]);
    // neyman: weights 1000·√(0.01·0.99) ≈ 99.5 twice and 50·0.5 = 25; c's share 600·25/224 ≈ 67 exceeds
    // the 50 it holds, so the 550 left go 1:1 to a and b.
    expect(
      nOf(
        [
          { key: "a", size: 1000, expectedRate: 0.01 },
          { key: "b", size: 1000, expectedRate: 0.01 },
          { key: "c", size: 50 },
        ],
        "neyman",
        600,
      ),
    ).toEqual([275, 275, 50]);
  });

  it("honours minPerStratum, capped by each stratum's size", () => {
    const strata = [
      { key: "big", size: 1000 },
      { key: "mid", size: 10 },
      { key: "tiny", size: 3 },
    ];
    expect(nOf(strata, "proportional", 20, 5)).toEqual([12, 5, 3]);
  });

  it("raises the total to Σ min(minPerStratum, N_h) when the total is smaller, with a note", () => {
    const r = allocate({
      strata: [
        { key: "a", size: 10 },
        { key: "b", size: 10 },
        { key: "c", size: 3 },
      ],
      method: "proportional",
      total: 5,
      minPerStratum: 4,
    });
    expect(r.total).toBe(11);
    expect(r.strata.map((s) => s.n)).toEqual([4, 4, 3]);
    expect(r.notes.join(" ")).toMatch(/raised to 11/);
  });

  it("takes everything when the total exceeds Σ N_h, with a note", () => {
    const r = allocate({
      strata: [
        { key: "a", size: 10 },
        { key: "b", size: 7 },
      ],
      method: "neyman",
      total: 50,
    });
    expect(r.total).toBe(17);
    expect(r.strata.map((s) => s.n)).toEqual([10, 7]);
    expect(r.notes.join(" ")).toMatch(/every unit is taken/);
  });

  it("neyman with every p_h ∈ {0, 1} falls back to proportional, with a note", () => {
    const r = allocate({
      strata: [
        { key: "a", size: 600, expectedRate: 0 },
        { key: "b", size: 400, expectedRate: 1 },
      ],
      method: "neyman",
      total: 50,
    });
    expect(r.strata.map((s) => s.n)).toEqual([30, 20]);
    expect(r.notes.join(" ")).toMatch(/proportionally/);
  });

  it("neyman: once the strata with variance are full, the rest goes to zero-weight strata by size, with a note", () => {
    const r = allocate({
      strata: [
        { key: "clean", size: 1000, expectedRate: 0 },
        { key: "mixed", size: 10 },
        { key: "also-clean", size: 3000, expectedRate: 1 },
      ],
      method: "neyman",
      total: 50,
    });
    expect(r.strata.map((s) => s.n)).toEqual([10, 10, 30]);
    expect(r.notes).toHaveLength(1);
  });

  it("derives the total from confidence and margin over N = Σ N_h (Cochran with FPC)", () => {
    const strata = [
      { key: "a", size: 500 },
      { key: "b", size: 500 },
    ];
    const r = allocate({ strata, method: "equal", margin: 0.05 });
    expect(r.total).toBe(278);
    expect(r.total).toBe(sampleSizeEstimate({ margin: 0.05, population: 1000 }).n);
    expect(r.strata.map((s) => s.n)).toEqual([139, 139]);
    expect(r.notes.join(" ")).toMatch(/derived/);
    const skewed = allocate({
      strata,
      method: "proportional",
      margin: 0.03,
      confidence: 0.99,
      expectedRate: 0.1,
    });
    expect(skewed.total).toBe(
      sampleSizeEstimate({ margin: 0.03, confidence: 0.99, expectedRate: 0.1, population: 1000 }).n,
    );
  });

  it("rejects bad input with the offending field", () => {
    const strata = [
      { key: "a", size: 10 },
      { key: "b", size: 10 },
    ];
    expect(
      thrownField(() => allocate({ strata: [...strata, { key: "a", size: 3 }], method: "equal", total: 5 })),
    ).toBe("strata.2.key");
    expect(thrownField(() => allocate({ strata, method: "equal" }))).toBe("total");
    expect(thrownField(() => allocate({ strata, method: "equal", total: 2.5 }))).toBe("total");
    expect(thrownField(() => allocate({ strata, method: "equal", total: -1 }))).toBe("total");
    expect(thrownField(() => allocate({ strata: [], method: "equal", total: 5 }))).toBe("strata");
    expect(thrownField(() => allocate({ strata: [{ key: "a", size: -1 }], method: "equal", total: 5 }))).toBe(
      "strata.0.size",
    );
    expect(thrownField(() => allocate({ strata: [{ key: "", size: 1 }], method: "equal", total: 5 }))).toBe(
      "strata.0.key",
    );
    expect(
      thrownField(() =>
        allocate({ strata: [{ key: "a", size: 1, expectedRate: 2 }], method: "neyman", total: 1 }),
      ),
    ).toBe("strata.0.expectedRate");
    expect(thrownField(() => allocate({ strata, method: "random" as AllocationMethod, total: 5 }))).toBe(
      "method",
    );
    expect(thrownField(() => allocate({ strata, method: "equal", total: 5, minPerStratum: -2 }))).toBe(
      "minPerStratum",
    );
    expect(thrownField(() => allocate({ strata, method: "equal", margin: 0 }))).toBe("margin");
  });
});

describe("allocate properties (fast-check, seed 20241125)", () => {
  const stratum = (i: number) =>
    fc.record({
      key: fc.constant(`s${i}`),
      size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 100_000 })),
      expectedRate: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    });
  const strataArb = fc
    .integer({ min: 1, max: 200 })
    .chain((h) => fc.tuple(...Array.from({ length: h }, (_, i) => stratum(i))));
  const input = fc.record({
    strata: strataArb,
    method: fc.constantFrom<AllocationMethod>("proportional", "neyman", "equal"),
    total: fc.integer({ min: 0, max: 300_000 }),
    minPerStratum: fc.integer({ min: 0, max: 40 }),
  });
  const params = { seed: 20241125, numRuns: 300 };

  it("sums to the total; min(minPerStratum, N_h) ≤ n_h ≤ N_h; the total is the request unless noted", () => {
    fc.assert(
      fc.property(input, ({ strata, method, total, minPerStratum }) => {
        const r = allocate({ strata, method, total, minPerStratum });
        const population = strata.reduce((a, s) => a + s.size, 0);
        const minimums = strata.reduce((a, s) => a + Math.min(minPerStratum, s.size), 0);
        expect(r.strata.reduce((a, s) => a + s.n, 0)).toBe(r.total);
        expect(r.total).toBe(Math.min(population, Math.max(total, minimums)));
        if (r.total !== total) expect(r.notes.length).toBeGreaterThan(0);
        r.strata.forEach((s, h) => {
          expect(Number.isInteger(s.n)).toBe(true);
          expect(s.key).toBe(strata[h].key);
          expect(s.n).toBeLessThanOrEqual(strata[h].size);
          expect(s.n).toBeGreaterThanOrEqual(Math.min(minPerStratum, strata[h].size));
        });
      }),
      params,
    );
  });

  it("each n_h is its continuous quota rounded down or up (largest remainder)", () => {
    fc.assert(
      fc.property(input, ({ strata, method, total, minPerStratum }) => {
        const weights = allocationWeights(strata, method);
        const population = strata.reduce((a, s) => a + s.size, 0);
        const minimums = strata.map((s) => Math.min(minPerStratum, s.size));
        const target = Math.max(
          total,
          minimums.reduce((a, b) => a + b, 0),
        );
        fc.pre(target < population && weights.some((w) => w > 0));
        const quotas = allocationQuotas(
          target,
          weights,
          minimums,
          strata.map((s) => s.size),
        );
        fc.pre(Math.abs(quotas.reduce((a, b) => a + b, 0) - target) < 1e-6); // no zero-weight overflow
        const r = allocate({ strata, method, total, minPerStratum });
        r.strata.forEach((s, h) => {
          expect(s.n).toBeGreaterThanOrEqual(Math.floor(quotas[h] + 1e-9));
          expect(s.n).toBeLessThanOrEqual(Math.ceil(quotas[h] - 1e-9));
        });
      }),
      params,
    );
  });

  it("is invariant under permuting the strata (by key), except where remainders tie", () => {
    fc.assert(
      fc.property(input, fc.integer(), ({ strata, method, total, minPerStratum }, seed) => {
        const permuted = strata
          .map((s, i) => ({ s, k: Math.sin(seed + i * 7919) }))
          .sort((a, b) => a.k - b.k)
          .map(({ s }) => s);
        const byKey = (strata: Stratum[]) =>
          new Map(allocate({ strata, method, total, minPerStratum }).strata.map((s) => [s.key, s.n]));
        const a = byKey(strata);
        const b = byKey(permuted);
        const weights = allocationWeights(strata, method);
        const minimums = strata.map((s) => Math.min(minPerStratum, s.size));
        const quotas = allocationQuotas(
          Math.max(
            total,
            minimums.reduce((x, y) => x + y, 0),
          ),
          weights,
          minimums,
          strata.map((s) => s.size),
        );
        const remainders = quotas.map((q) => q - Math.floor(q + 1e-9));
        // The quotas recomputed here are those allocate() rounds unless a fallback (all Neyman weights 0, or
        // zero-weight strata taking an overflow) changed the weights.
        const quotasKnown =
          Math.abs(
            quotas.reduce((x, y) => x + y, 0) -
              Math.max(
                total,
                minimums.reduce((x, y) => x + y, 0),
              ),
          ) < 1e-6;
        strata.forEach((s, h) => {
          const difference = Math.abs(a.get(s.key)! - b.get(s.key)!);
          if (difference === 0) return;
          // Only a tie-break may differ: another stratum has the same remainder.
          expect(difference).toBe(1);
          if (quotasKnown) {
            expect(remainders.some((r, j) => j !== h && Math.abs(r - remainders[h]) < 1e-7)).toBe(true);
          }
        });
      }),
      params,
    );
  });

  it("200 strata answer in a few milliseconds", () => {
    const strata = Array.from({ length: 200 }, (_, i) => ({
      key: `queue-${i}`,
      size: 1 + ((i * 7919) % 5000),
      expectedRate: ((i * 31) % 97) / 100,
    }));
    const start = performance.now();
    for (let i = 0; i < 20; i++) allocate({ strata, method: "neyman", total: 20_000, minPerStratum: 30 });
    expect((performance.now() - start) / 20).toBeLessThan(20);
  });
});

describe("allocation notices", () => {
  it("give every note a code and parameters, one for one with the English notes", () => {
    const derived = allocate({
      strata: [
        { key: "a", size: 600 },
        { key: "b", size: 400 },
      ],
      method: "proportional",
      margin: 0.05,
      confidence: 0.95,
    });
    expect(derived.notices.map((n) => n.message)).toEqual(derived.notes);
    expect(derived.notices[0]).toMatchObject({
      code: "total_derived",
      params: { n: derived.total, margin: 0.05, confidence: 0.95, population: 1000, expectedRate: 0.5 },
    });
    const taken = allocate({ strata: [{ key: "a", size: 10 }], method: "equal", total: 20 });
    expect(taken.notices).toEqual([
      { code: "total_exceeds_population", params: { total: 20, population: 10 }, message: taken.notes[0] },
    ]);
  });
});
