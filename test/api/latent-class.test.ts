import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DS_MAX_WORK_PER_ITERATION } from "../../stats/agreement/dawid-skene.ts";
import { type TestContext, testContext } from "../helpers.ts";

const KOREAN = ["위반 없음", "혐오 표현", "괴롭힘"];

describe("POST /v1/latent-class", () => {
  it("answers priors, each rater's confusion matrix and estimated accuracy, and item posteriors", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/latent-class", {
      json: {
        ratings: [
          ["ok", "ok", "hate"],
          ["hate", "hate", "hate"],
          ["ok", null, "ok"],
          ["ok", "ok", "ok"],
          ["hate", "hate", "ok"],
        ],
        raters: ["ann", "bo", "cy"],
      },
    });
    expect(res.status, res.text).toBe(200);
    const body = res.body;
    expect(body).toMatchObject({
      method: "dawid-skene-em",
      classes: ["hate", "ok"],
      goldItems: 0,
      pseudoCount: 0.01,
      tolerance: 1e-10,
      maxIterations: 1000,
    });
    expect(typeof body.converged).toBe("boolean");
    expect(body.iterations).toBeGreaterThan(1);
    expect(body.raters.map((r: { rater: string }) => r.rater)).toEqual(["ann", "bo", "cy"]);
    for (const rater of body.raters) {
      expect(rater.confusion).toHaveLength(2);
      for (const row of rater.confusion) expect(row[0] + row[1]).toBeCloseTo(1, 12);
      expect(rater.estimatedAccuracy).toBeGreaterThan(0);
      expect(rater.estimatedAccuracy).toBeLessThanOrEqual(1);
    }
    expect(body.items).toHaveLength(5);
    expect(body.items.map((item: { mostProbable: string }) => item.mostProbable)).toEqual([
      "ok",
      "hate",
      "ok",
      "ok",
      "hate",
    ]);
  });

  it("gold fixes known classes", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/latent-class", {
      json: {
        ratings: [
          ["a", "a"],
          ["b", "b"],
          ["a", "b"],
        ],
        gold: [null, null, "b"],
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.goldItems).toBe(1);
    expect(res.body.items[2]).toMatchObject({ gold: true, mostProbable: "b", posterior: [0, 1] });
  });

  it("hostile input answers 400 naming the field, never 5xx", async () => {
    const { call } = await testContext();
    const cases: [unknown, string][] = [
      [{ ratings: [["a", { x: 1 }]] }, "ratings.0.1"],
      [{ ratings: [["a", "b"], ["a"]] }, "ratings.1.1"],
      [{ ratings: [["a"]] }, "ratings.0"],
      [{ ratings: [["a", "b"]], gold: ["c"] }, "gold.0"],
      [{ ratings: [["a", "b"]], gold: ["a", "b"] }, "gold"],
      [{ ratings: [["a", "a"]] }, "categories"],
      [{ ratings: [["a", "b"]], categories: ["a"] }, "ratings.0.1"],
      [{ ratings: [[Array.from({ length: 101 }, () => "a")].flat()] }, "ratings.0"],
      [{ ratings: "nope" }, "ratings"],
      [{ ratings: [["a", "b"]], gold: "a" }, "gold"],
    ];
    for (const [json, field] of cases) {
      const res = await call("POST", "/v1/latent-class", { json });
      expect(res.status, `${JSON.stringify(json).slice(0, 80)} → ${res.text}`).toBe(400);
      const paths = (res.body.error.details ?? []).map((d: { path: string }) => d.path);
      expect(paths, res.text).toContain(field);
    }
  });

  it("over the per-iteration budget answers 422 too_expensive on ratings", async () => {
    const { call } = await testContext();
    const categories = Array.from({ length: 200 }, (_, j) => j);
    const raters = 100;
    const items = Math.ceil(DS_MAX_WORK_PER_ITERATION / (raters * 200)) + 1;
    const row = Array.from({ length: raters }, (_, k) => k % 200);
    const res = await call("POST", "/v1/latent-class", {
      json: { ratings: Array.from({ length: items }, () => row), categories },
    });
    expect(res.status, res.text.slice(0, 300)).toBe(422);
    expect(res.body.error.code).toBe("too_expensive");
  });

  it("random bodies never answer 5xx", async () => {
    const { call } = await testContext();
    const cell = fc.oneof(
      fc.constant(null),
      fc.string({ maxLength: 3 }),
      fc.integer({ min: -2, max: 3 }),
      fc.double(),
      fc.boolean(),
      fc.constant({}),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            ratings: fc.oneof(fc.array(fc.array(cell, { maxLength: 4 }), { maxLength: 6 }), cell),
            gold: fc.oneof(fc.array(cell, { maxLength: 6 }), cell),
            categories: fc.oneof(fc.array(cell, { maxLength: 4 }), cell),
          },
          { requiredKeys: [] },
        ),
        async (json) => {
          const res = await call("POST", "/v1/latent-class", { json });
          expect(res.status, res.text).toBeLessThan(500);
        },
      ),
      { numRuns: 80, seed: 16 },
    );
  });
});

describe("GET /v1/calibrations/{id}/latent-class", () => {
  async function session(ctx: TestContext, close: boolean): Promise<string> {
    const created = await ctx.call("POST", "/v1/calibrations", {
      key: ctx.keys.lead,
      json: {
        name: "주간 보정 세션",
        categories: KOREAN,
        items: Array.from({ length: 6 }, (_, i) => ({ id: `post-${i + 1}`, gold: i < 2 ? KOREAN[i] : null })),
        raters: ["alice", "bob", "carol"],
      },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    const labels: Record<string, string[]> = {
      alice: [KOREAN[0], KOREAN[1], KOREAN[2], KOREAN[0], KOREAN[1], KOREAN[2]],
      bob: [KOREAN[0], KOREAN[2], KOREAN[2], KOREAN[0], KOREAN[1], KOREAN[1]],
      carol: [KOREAN[1], KOREAN[1], KOREAN[2], KOREAN[0], KOREAN[1], KOREAN[2]],
    };
    for (const [rater, list] of Object.entries(labels)) {
      const res = await ctx.call("PUT", `/v1/calibrations/${id}/ratings/${rater}`, {
        key: ctx.keys.lead,
        json: { ratings: Object.fromEntries(list.map((label, i) => [`post-${i + 1}`, label])) },
      });
      expect(res.status, res.text).toBe(200);
    }
    if (close) {
      const res = await ctx.call("POST", `/v1/calibrations/${id}/close`, { key: ctx.keys.lead });
      expect(res.status, res.text).toBe(200);
    }
    return id;
  }

  it("while open: 409 for everyone (blind, as the report), even the lead; unknown session 404; no key 401", async () => {
    const ctx = await testContext();
    const id = await session(ctx, false);
    for (const key of [ctx.keys.lead, ctx.keys.admin, ctx.keys.viewer, ctx.keys.auditor]) {
      const res = await ctx.call("GET", `/v1/calibrations/${id}/latent-class`, { key });
      expect(res.status, res.text).toBe(409);
      expect(res.text).not.toContain(KOREAN[1]);
    }
    expect(
      (await ctx.call("GET", "/v1/calibrations/nope/latent-class", { key: ctx.keys.viewer })).status,
    ).toBe(404);
    expect((await ctx.call("GET", `/v1/calibrations/${id}/latent-class`)).status).toBe(401);
    expect(
      (await ctx.call("GET", `/v1/calibrations/${id}/latent-class`, { key: ctx.keys.moderator })).status,
    ).toBe(403);
  });

  it("after close: the session's categories as classes, gold fixed by default, item ids; ?gold=ignored leaves it out", async () => {
    const ctx = await testContext();
    const id = await session(ctx, true);
    const res = await ctx.call("GET", `/v1/calibrations/${id}/latent-class`, { key: ctx.keys.viewer });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      id,
      gold: "fixed",
      classes: KOREAN,
      goldItems: 2,
      method: "dawid-skene-em",
    });
    expect(res.body.raters.map((r: { rater: string }) => r.rater)).toEqual(["alice", "bob", "carol"]);
    expect(res.body.items.map((item: { id: string }) => item.id)).toEqual(
      Array.from({ length: 6 }, (_, i) => `post-${i + 1}`),
    );
    // post-1's gold is 위반 없음 although carol said 혐오 표현; post-2's gold 혐오 표현 although bob said 괴롭힘.
    expect(res.body.items[0]).toMatchObject({ gold: KOREAN[0], goldFixed: true, mostProbable: KOREAN[0] });
    expect(res.body.items[0].posterior).toEqual([1, 0, 0]);
    expect(res.body.items[1]).toMatchObject({ gold: KOREAN[1], goldFixed: true, mostProbable: KOREAN[1] });
    expect(res.body.items[2]).toMatchObject({ gold: null, goldFixed: false, mostProbable: KOREAN[2] });

    const ignored = await ctx.call("GET", `/v1/calibrations/${id}/latent-class?gold=ignored`, {
      key: ctx.keys.auditor,
    });
    expect(ignored.status, ignored.text).toBe(200);
    expect(ignored.body).toMatchObject({ gold: "ignored", goldItems: 0 });
    expect(ignored.body.items[0]).toMatchObject({ gold: KOREAN[0], goldFixed: false });
    const bad = await ctx.call("GET", `/v1/calibrations/${id}/latent-class?gold=maybe`, {
      key: ctx.keys.viewer,
    });
    expect(bad.status).toBe(400);
  });

  it("a closed session with a single category answers 422 unprocessable", async () => {
    const ctx = await testContext();
    const created = await ctx.call("POST", "/v1/calibrations", {
      key: ctx.keys.lead,
      json: { name: "one", categories: ["x"], items: [{ id: "a" }, { id: "b" }], raters: ["alice", "bob"] },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id;
    await ctx.call("PUT", `/v1/calibrations/${id}/ratings/alice`, {
      key: ctx.keys.lead,
      json: { ratings: { a: "x" } },
    });
    expect((await ctx.call("POST", `/v1/calibrations/${id}/close`, { key: ctx.keys.lead })).status).toBe(200);
    const res = await ctx.call("GET", `/v1/calibrations/${id}/latent-class`, { key: ctx.keys.viewer });
    expect(res.status, res.text).toBe(422);
    expect(res.body.error.code).toBe("unprocessable");
  });
});
