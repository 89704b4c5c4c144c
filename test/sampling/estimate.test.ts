import { describe, expect, it } from "vitest";
import { stratifiedEstimate } from "../../stats/stratified-estimate.ts";
import { testContext } from "../helpers.ts";
import { mulberry32 as rng } from "../seeded-random.ts";

describe("stratifiedEstimate", () => {
  it("matches a hand-computed example", () => {
    // p̂ = 0.25·0.1 + 0.75·0.2 = 0.175
    // v̂ = 0.25²·(1 − 50/1000)·0.1·0.9/49 + 0.75²·(1 − 50/3000)·0.2·0.8/49 = 0.0019151785714285711
    const e = stratifiedEstimate({
      strata: [
        { key: "a", size: 1000, audited: 50, errors: 5 },
        { key: "b", size: 3000, audited: 50, errors: 10 },
      ],
    });
    expect(e.rate).toBeCloseTo(0.175, 15);
    expect(e.variance).toBeCloseTo(0.0019151785714285711, 15);
    expect(e.standardError).toBeCloseTo(0.043762753243238375, 14);
    expect(e.lower).toBeCloseTo(0.08922657977893933, 12);
    expect(e.upper).toBeCloseTo(0.26077342022106065, 12);
    expect(e.strata.map((s) => s.weight)).toEqual([0.25, 0.75]);
    expect(e.coverage).toBe(1);
    expect(e.warnings).toEqual([]);
    // Wilson 95 % for 5/50 (R binom::binom.wilson): 0.04347576, 0.21360231.
    expect(e.strata[0]).toMatchObject({ rate: 0.1, included: true });
    expect(e.strata[0].lower).toBeCloseTo(0.0434757649318904, 12);
    expect(e.strata[0].upper).toBeCloseTo(0.21360231437479657, 12);
  });

  it("excludes strata with fewer than 2 audited items, with a warning, and re-normalises the weights", () => {
    const e = stratifiedEstimate({
      strata: [
        { key: "tiny", size: 100, audited: 1, errors: 1 },
        { key: "b", size: 200, audited: 10, errors: 2 },
        { key: "c", size: 700, audited: 20, errors: 3 },
        { key: "none", size: 50, audited: 0, errors: 0 },
      ],
    });
    // W = 200/900, 700/900: p̂ = 2/9·0.2 + 7/9·0.15
    expect(e.rate).toBeCloseTo(0.16111111111111112, 15);
    expect(e.variance).toBeCloseTo(0.004777488989964624, 15);
    expect(e.excluded).toEqual(["tiny", "none"]);
    expect(e.coveredSize).toBe(900);
    expect(e.coverage).toBeCloseTo(900 / 1050, 15);
    expect(e.warnings[0]).toContain("tiny, none");
    expect(e.strata[0]).toMatchObject({ included: false, weight: null, rate: 1 });
    expect(e.strata[3]).toMatchObject({ included: false, rate: null, lower: null });
  });

  it("clips the interval to [0, 1] and flags a zero variance", () => {
    const low = stratifiedEstimate({ strata: [{ key: "a", size: 10_000, audited: 30, errors: 1 }] });
    expect(low.lower).toBe(0);
    expect(low.unclippedLower!).toBeLessThan(0);
    const zero = stratifiedEstimate({ strata: [{ key: "a", size: 100, audited: 40, errors: 0 }] });
    expect([zero.rate, zero.lower, zero.upper]).toEqual([0, 0, 0]);
    expect(zero.warnings[0]).toContain("variance is 0");
    const none = stratifiedEstimate({ strata: [{ key: "a", size: 100, audited: 1, errors: 0 }] });
    expect(none.rate).toBeNull();
    expect(() => stratifiedEstimate({ strata: [{ key: "a", size: 10, audited: 11, errors: 0 }] })).toThrow(
      /audited/,
    );
  });

  it("covers the true rate about 95 % of the time (simulation, fixed seed)", () => {
    const sizes = [2000, 5000, 3000];
    const errorsInStratum = [100, 600, 900]; // true rates 0.05, 0.12, 0.30; overall 0.16
    const n = [60, 100, 80];
    const truth = 1600 / 10_000;
    const random = rng(20261124);
    const reps = 3000;
    let covered = 0;
    for (let r = 0; r < reps; r++) {
      const strata = sizes.map((size, h) => {
        // Simple random sample without replacement: draw n_h units one by one.
        let left = size;
        let bad = errorsInStratum[h];
        let errors = 0;
        for (let i = 0; i < n[h]; i++) {
          if (random() < bad / left) {
            errors++;
            bad--;
          }
          left--;
        }
        return { key: `s${h}`, size, audited: n[h], errors };
      });
      const e = stratifiedEstimate({ strata });
      if (e.lower! <= truth && truth <= e.upper!) covered++;
    }
    const coverage = covered / reps;
    expect(coverage).toBeGreaterThan(0.93);
    expect(coverage).toBeLessThan(0.97);
  });
});

describe("GET /v1/samples/:id/estimate", () => {
  it("joins drawn items with their latest audits and estimates overall and by error type", async () => {
    const ctx = await testContext();
    const rows = Array.from({ length: 400 }, (_, i) => ({
      id: `d${i}`,
      queue: i < 100 ? "hate" : i < 380 ? "spam" : "rare",
      moderator: `m${i % 5}`,
    }));
    const pop = await ctx.call("POST", "/v1/populations", {
      key: ctx.keys.lead,
      body: rows.map((r) => JSON.stringify(r)).join("\n"),
      headers: { "content-type": "application/x-ndjson" },
    });
    const sample = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: { population: pop.body.id, strata: ["queue"], allocation: "equal", total: 30, seed: "est" },
    });
    expect(
      sample.body.strata.map((s: { key: string; size: number; n: number }) => [s.key, s.size, s.n]),
    ).toEqual([
      ["queue=hate", 100, 10],
      ["queue=rare", 20, 10],
      ["queue=spam", 280, 10],
    ]);
    const items = (await ctx.call("GET", `/v1/samples/${sample.body.id}/items`, { key: ctx.keys.viewer }))
      .body.items as { id: string; stratum: string }[];
    const of = (key: string) => items.filter((i) => i.stratum === key);
    const audit = (id: string, decisionId: string, wrong: string | null, at = "2026-11-24T09:00:00Z") => ({
      id,
      decisionId,
      auditor: "alice",
      outcome: wrong ? "incorrect" : "correct",
      ...(wrong ? { errorType: wrong } : {}),
      auditedAt: at,
      sampleId: sample.body.id,
    });
    const audits = [
      // hate: 8 audited, 2 false-negative + 1 false-positive
      ...of("queue=hate")
        .slice(0, 8)
        .map((item, i) =>
          audit(`h${i}`, item.id, i < 2 ? "false-negative" : i === 2 ? "false-positive" : null),
        ),
      // spam: 10 audited, 1 false-positive
      ...of("queue=spam").map((item, i) => audit(`s${i}`, item.id, i === 0 ? "false-positive" : null)),
      // rare: 1 audited → excluded
      audit("r0", of("queue=rare")[0].id, "other"),
      // A later re-audit of a hate item turns it from wrong to right: the latest audit counts.
      audit("h0-again", of("queue=hate")[0].id, null, "2026-11-25T09:00:00Z"),
    ];
    expect((await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: audits })).status).toBe(200);

    const res = await ctx.call("GET", `/v1/samples/${sample.body.id}/estimate?confidence=0.9`, {
      key: ctx.keys.viewer,
    });
    expect(res.status).toBe(200);
    const expected = stratifiedEstimate({
      confidence: 0.9,
      strata: [
        { key: "queue=hate", size: 100, audited: 8, errors: 2 },
        { key: "queue=rare", size: 20, audited: 1, errors: 1 },
        { key: "queue=spam", size: 280, audited: 10, errors: 1 },
      ],
    });
    expect(res.body).toMatchObject({
      sample: sample.body.id,
      confidence: 0.9,
      drawn: 30,
      audited: 19,
      errors: 4,
      rate: expected.rate,
      lower: expected.lower,
      upper: expected.upper,
      standardError: expected.standardError,
      coverage: { size: 380, population: 400, share: 380 / 400 },
    });
    // Hand check of the point estimate: (100·2/8 + 280·1/10) / 380.
    expect(res.body.rate).toBeCloseTo((100 * 0.25 + 280 * 0.1) / 380, 15);
    expect(res.body.strata[1]).toMatchObject({
      key: "queue=rare",
      drawn: 10,
      audited: 1,
      included: false,
      weight: null,
    });
    expect(res.body.warnings[0]).toContain("queue=rare");

    const types = Object.fromEntries(
      res.body.byErrorType.map((t: { errorType: string }) => [t.errorType, t]),
    );
    expect(Object.keys(types)).toEqual(["false-positive", "false-negative", "wrong-policy", "other"]);
    expect(types["false-negative"].errors).toBe(1); // h1 only: h0 was re-audited as correct
    expect(types["false-positive"].errors).toBe(2);
    expect(types.other.errors).toBe(1);
    expect(types["false-negative"].rate).toBeCloseTo((100 * (1 / 8)) / 380, 15);
    expect(types["false-positive"].strata.map((s: { errors: number }) => s.errors)).toEqual([1, 0, 1]);

    const progress = (await ctx.call("GET", `/v1/samples/${sample.body.id}`, { key: ctx.keys.viewer })).body
      .progress;
    expect(progress).toMatchObject({ drawn: 30, audited: 19, remaining: 11, unmatchedAudits: 0 });
    expect(
      (await ctx.call("GET", `/v1/samples/${sample.body.id}/estimate?confidence=2`, { key: ctx.keys.viewer }))
        .status,
    ).toBe(400);
  });
});
