import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { balancedAssignment, waterFill } from "../../stats/balanced-assignment.ts";
import { StatsInputError } from "../../stats/errors.ts";
import { testContext } from "../helpers.ts";

/** Every valid assignment of tiny instances: the best achievable largest and smallest loads. */
function bruteForce(moderators: string[], auditors: string[]) {
  const k = auditors.length;
  const n = moderators.length;
  let bestMax = Number.POSITIVE_INFINITY;
  let bestMin = Number.NEGATIVE_INFINITY;
  let withinOne = false;
  let any = false;
  const loads = new Array<number>(k).fill(0);
  const visit = (i: number) => {
    if (i === n) {
      any = true;
      const max = Math.max(...loads);
      const min = Math.min(...loads);
      bestMax = Math.min(bestMax, max);
      bestMin = Math.max(bestMin, min);
      if (max - min <= 1) withinOne = true;
      return;
    }
    for (let a = 0; a < k; a++) {
      if (auditors[a] === moderators[i]) continue;
      loads[a]++;
      visit(i + 1);
      loads[a]--;
    }
  };
  visit(0);
  return { any, bestMax, bestMin, withinOne };
}

const names = ["ann", "bob", "cy", "dee", "eve", "fay"];

describe("balancedAssignment", () => {
  it("matches brute force on small instances: never self-review, best max and min load", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((k) =>
            fc.tuple(fc.constant(names.slice(0, k)), fc.array(fc.constantFrom(...names), { maxLength: 8 })),
          ),
        ([auditors, moderators]) => {
          const truth = bruteForce(moderators, auditors);
          const result = balancedAssignment(moderators, auditors);
          expect(result.feasible).toBe(truth.any);
          if (!result.feasible) return;
          const loads = new Array<number>(auditors.length).fill(0);
          result.auditorOf.forEach((a, i) => {
            expect(auditors[a]).not.toBe(moderators[i]);
            loads[a]++;
          });
          expect(loads).toEqual(result.loads);
          expect(loads.reduce((x, y) => x + y, 0)).toBe(moderators.length);
          expect(Math.max(...loads)).toBe(truth.bestMax);
          expect(Math.min(...loads)).toBe(truth.bestMin);
          expect(result.balanced).toBe(truth.withinOne);
        },
      ),
      { numRuns: 600, seed: 42 },
    );
  });

  it("on large instances: valid, deterministic, and within one whenever the self-review caps allow", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 3000 }),
        (k, picks) => {
          const auditors = Array.from({ length: k }, (_, a) => `auditor-${a}`);
          // Moderators: some are auditors (heavily skewed to auditor-0), the rest are not.
          const moderators = picks.map((p) =>
            p < 20 ? "auditor-0" : p < 40 ? `auditor-${p % k}` : `mod-${p}`,
          );
          const result = balancedAssignment(moderators, auditors);
          expect(result.feasible).toBe(true);
          if (!result.feasible) return;
          const n = moderators.length;
          const loads = new Array<number>(k).fill(0);
          result.auditorOf.forEach((a, i) => {
            expect(auditors[a]).not.toBe(moderators[i]);
            loads[a]++;
          });
          expect(loads).toEqual(result.loads);
          // A load vector is achievable iff load_a ≤ n − (decisions a moderated); within-one is possible iff
          // the even split ⌊n/k⌋ / ⌈n/k⌉ can respect those caps.
          const own = auditors.map((a) => moderators.filter((m) => m === a).length);
          own.forEach((s, a) => {
            expect(loads[a]).toBeLessThanOrEqual(n - s);
          });
          const low = Math.floor(n / k);
          const extra = n - low * k;
          const canBalance =
            own.every((s) => n - s >= low) && own.filter((s) => n - s >= low + 1).length >= extra;
          if (canBalance) expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
          expect(result.balanced).toBe(Math.max(...loads) - Math.min(...loads) <= 1);
          const again = balancedAssignment(moderators, auditors);
          expect(again.feasible && Array.from(again.auditorOf)).toEqual(Array.from(result.auditorOf));
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });

  it("waterFill gives the most even loads under caps", () => {
    expect(waterFill(10, [10, 10, 10])).toEqual([4, 3, 3]);
    expect(waterFill(10, [1, 10, 10])).toEqual([1, 5, 4]);
    expect(waterFill(9, [0, 9])).toEqual([0, 9]);
  });

  it("reports infeasibility and rejects bad auditor lists", () => {
    expect(balancedAssignment(["ann", "bob"], ["ann"])).toMatchObject({ feasible: false });
    expect(balancedAssignment(["bob", "cy"], ["ann"])).toMatchObject({ feasible: true, loads: [2] });
    expect(() => balancedAssignment(["x"], [])).toThrow(StatsInputError);
    expect(() => balancedAssignment(["x"], ["a", "a"])).toThrow(StatsInputError);
  });
});

describe("POST /v1/samples/:id/assign", () => {
  it("assigns every item, balanced, never to its moderator; re-assigning needs replace: true; 422 when impossible", async () => {
    const ctx = await testContext();
    const rows = Array.from({ length: 60 }, (_, i) => ({
      id: `d${i}`,
      queue: `q${i % 3}`,
      moderator: `m${i % 4}`,
    }));
    const pop = await ctx.call("POST", "/v1/populations", {
      key: ctx.keys.lead,
      body: rows.map((r) => JSON.stringify(r)).join("\n"),
      headers: { "content-type": "application/x-ndjson" },
    });
    const sample = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: { population: pop.body.id, strata: ["queue"], total: 25, seed: "assign" },
    });
    const assign = (auditors: string[], key = ctx.keys.lead, replace = true) =>
      ctx.call("POST", `/v1/samples/${sample.body.id}/assign`, { key, json: { auditors, replace } });

    const res = await assign(["m0", "m1", "alice"], ctx.keys.lead, false);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sample: sample.body.id, n: 25, method: "balanced", balanced: true });
    expect(res.body.loads.map((l: { items: number }) => l.items).sort()).toEqual([8, 8, 9]);
    const moderatorOf = new Map(rows.map((r) => [r.id, r.moderator]));
    const items = (await ctx.call("GET", `/v1/samples/${sample.body.id}/items`, { key: ctx.keys.viewer }))
      .body.items;
    for (const item of items) {
      expect(item.auditor).not.toBeNull();
      expect(item.auditor).not.toBe(moderatorOf.get(item.id));
    }
    const mine = await ctx.call("GET", `/v1/samples/${sample.body.id}/items?auditor=alice`, {
      key: ctx.keys.auditor,
    });
    expect(mine.body.items.every((i: { auditor: string }) => i.auditor === "alice")).toBe(true);
    expect(mine.body.items).toHaveLength(
      res.body.loads.find((l: { auditor: string }) => l.auditor === "alice").items,
    );
    expect((await assign(["m0", "m1", "alice"])).body.loads).toEqual(res.body.loads);

    const replaced = await assign(["bob", "carol"]);
    expect(replaced.body.loads).toEqual([
      { auditor: "bob", items: 13 },
      { auditor: "carol", items: 12 },
    ]);
    const after = (await ctx.call("GET", `/v1/samples/${sample.body.id}/items`, { key: ctx.keys.viewer }))
      .body.items;
    expect(new Set(after.map((i: { auditor: string }) => i.auditor))).toEqual(new Set(["bob", "carol"]));
    expect(
      (await ctx.call("GET", `/v1/samples/${sample.body.id}`, { key: ctx.keys.viewer })).body.assignment,
    ).toMatchObject({
      auditors: ["bob", "carol"],
    });

    const impossible = await assign(["m0"]);
    expect(impossible.status).toBe(422);
    expect(impossible.body.error.code).toBe("assignment_infeasible");
    expect(impossible.body.error.message).toContain("m0");
    expect((await assign(["a", "a"])).status).toBe(400);
    expect((await assign([])).status).toBe(400);
    expect((await assign(["x"], ctx.keys.auditor)).status).toBe(403);
    expect(
      (await ctx.call("POST", "/v1/samples/nope/assign", { key: ctx.keys.lead, json: { auditors: ["x"] } }))
        .status,
    ).toBe(404);
  });

  it("says when perfect balance is impossible and gives the most even assignment", async () => {
    const ctx = await testContext();
    // 10 decisions, 8 moderated by ann: ann can audit at most 2.
    const rows = Array.from({ length: 10 }, (_, i) => ({
      id: `d${i}`,
      queue: "q",
      moderator: i < 8 ? "ann" : "zed",
    }));
    const pop = await ctx.call("POST", "/v1/populations", {
      key: ctx.keys.lead,
      body: rows.map((r) => JSON.stringify(r)).join("\n"),
      headers: { "content-type": "application/x-ndjson" },
    });
    const sample = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: { population: pop.body.id, total: 10 },
    });
    const res = await ctx.call("POST", `/v1/samples/${sample.body.id}/assign`, {
      key: ctx.keys.lead,
      json: { auditors: ["ann", "bob", "cy"] },
    });
    expect(res.status).toBe(200);
    expect(res.body.balanced).toBe(false);
    expect(res.body.loads).toEqual([
      { auditor: "ann", items: 2 },
      { auditor: "bob", items: 4 },
      { auditor: "cy", items: 4 },
    ]);
    const two = await ctx.call("POST", `/v1/samples/${sample.body.id}/assign`, {
      key: ctx.keys.lead,
      json: { auditors: ["ann", "bob"], replace: true },
    });
    expect(two.body.balanced).toBe(false);
    expect(two.body.loads).toEqual([
      { auditor: "ann", items: 2 },
      { auditor: "bob", items: 8 },
    ]);
    expect(two.body.notes[0]).toContain("ann moderated 8 of the 10 decisions");
  });
});
