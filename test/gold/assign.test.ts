import { describe, expect, it } from "vitest";
import { assign, goldContext, manualGold, slotsOf, wholeQueue } from "./fixture.ts";

const pool = (n: number) => Array.from({ length: n }, (_, i) => manualGold(i));

describe("POST /v1/samples/:id/assign with gold", () => {
  it("gives each auditor max(perAuditorMin, round(share × their items)) gold items, inside their strata, positions renumbered", async () => {
    const ctx = await goldContext(60, pool(20));
    const res = await assign(ctx, { auditors: ["alice", "bob"], gold: { share: 0.1, perAuditorMin: 2 } });
    expect(res.status, res.text).toBe(200);
    // 30 drawn items each: round(0.1 × 30) = 3 > 2.
    expect(res.body.gold).toEqual({
      share: 0.1,
      perAuditorMin: 2,
      items: 6,
      kept: 0,
      byAuditor: [
        { auditor: "alice", items: 3 },
        { auditor: "bob", items: 3 },
      ],
    });
    expect(res.body.n).toBe(60);
    const slots = await slotsOf(ctx);
    expect(slots).toHaveLength(6);
    expect(slots.filter((s) => s.auditor === "alice")).toHaveLength(3);
    // The lead's items list: the 60 drawn items only, in draw order; gold rows interleaved in the positions.
    const items = await ctx.call("GET", `/v1/samples/${ctx.sample}/items`, { key: ctx.keys.lead });
    expect(items.body.items).toHaveLength(60);
    const positions = await ctx.db.values<[number, string, string | null]>(
      "SELECT position, stratum, gold_id FROM sample_items WHERE sample_id = ? ORDER BY position",
      [ctx.sample],
    );
    expect(positions.map(([p]) => p)).toEqual(Array.from({ length: 66 }, (_, i) => i));
    // Every stratum is still one block (a gold sits inside its stratum's rows).
    const strata = positions.map(([, stratum]) => stratum);
    const blocks = strata.filter((s, i) => i === 0 || strata[i - 1] !== s);
    expect(new Set(blocks).size).toBe(blocks.length);
    // Drawn items keep their order (rank order within each stratum, strata as drawn).
    expect(items.body.items.map((i: { id: string }) => i.id)).toEqual(
      (
        await ctx.db.values<[string]>(
          "SELECT decision_id FROM sample_items WHERE sample_id = ? AND gold_id IS NULL ORDER BY position",
          [ctx.sample],
        )
      ).map(([id]) => id),
    );
  });

  it("perAuditorMin wins over a small share; the same sample, auditors and pool give the same placement", async () => {
    const ctx = await goldContext(40, pool(20));
    const first = await assign(ctx, { auditors: ["alice", "bob"], gold: { share: 0.01, perAuditorMin: 4 } });
    expect(first.body.gold.byAuditor).toEqual([
      { auditor: "alice", items: 4 },
      { auditor: "bob", items: 4 },
    ]);
    const before = await slotsOf(ctx);
    const again = await assign(ctx, {
      auditors: ["alice", "bob"],
      replace: true,
      gold: { share: 0.01, perAuditorMin: 4 },
    });
    expect(again.status, again.text).toBe(200);
    expect(await slotsOf(ctx)).toEqual(before.map((s) => ({ ...s, placedAt: expect.any(String) })));
    // Replacing without gold removes the gold rows (none has a verdict) and renumbers.
    const plain = await assign(ctx, { auditors: ["alice", "bob"], replace: true });
    expect(plain.status).toBe(200);
    expect(plain.body.gold).toBeUndefined();
    expect(await slotsOf(ctx)).toEqual([]);
    const positions = await ctx.db.values<[number]>(
      "SELECT position FROM sample_items WHERE sample_id = ? ORDER BY position",
      [ctx.sample],
    );
    expect(positions.map(([p]) => p)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it("takes another auditor's moderated gold first, so every feasible pool is used", async () => {
    // 3 golds anyone may get, 3 moderated by alice (bob's only), 3 by bob (alice's only): 4 each fits only if
    // each takes the other's first.
    const gold = [
      ...Array.from({ length: 2 }, (_, i) => manualGold(i)),
      ...Array.from({ length: 3 }, (_, i) => manualGold(10 + i, "alice")),
      ...Array.from({ length: 3 }, (_, i) => manualGold(20 + i, "bob")),
    ];
    const ctx = await goldContext(20, gold);
    const res = await assign(ctx, { auditors: ["alice", "bob"], gold: { share: 0, perAuditorMin: 4 } });
    expect(res.status, res.text).toBe(200);
    expect(await slotsOf(ctx)).toHaveLength(8);
  });

  it("never places a gold the auditor moderated, one whose decision is in the sample, or one of a stratum the sample lacks", async () => {
    const gold = [
      ...Array.from({ length: 4 }, (_, i) => manualGold(i, "alice")),
      ...Array.from({ length: 4 }, (_, i) => manualGold(10 + i, "bob")),
      // Its decision id is one of the drawn decisions.
      { ...manualGold(20), decisionId: "d-0001" },
      // A queue the sample does not have.
      manualGold(21, "gm1", "fraud"),
    ];
    const ctx = await goldContext(20, gold);
    const res = await assign(ctx, { auditors: ["alice", "bob"], gold: { share: 0, perAuditorMin: 4 } });
    expect(res.status, res.text).toBe(200);
    const slots = await slotsOf(ctx);
    expect(slots).toHaveLength(8);
    const listed = await ctx.call("GET", "/v1/gold?limit=500", { key: ctx.keys.lead });
    const moderatorOf = new Map(
      listed.body.items.map((g: { id: string; moderator: string }) => [g.id, g.moderator]),
    );
    for (const slot of slots) expect(moderatorOf.get(slot.goldId)).not.toBe(slot.auditor);
    expect(slots.map((s) => s.decisionId)).not.toContain("d-0001");
    expect(slots.every((s) => s.stratum === "queue=hate" || s.stratum === "queue=spam")).toBe(true);
  });

  it("422 not_enough_gold names each auditor short of gold, and stores nothing", async () => {
    const ctx = await goldContext(20, [...pool(3), manualGold(7, "alice"), manualGold(9, "alice")]);
    const res = await assign(ctx, { auditors: ["alice", "bob"], gold: { share: 0, perAuditorMin: 3 } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("not_enough_gold");
    expect(res.body.error.details).toEqual([
      // alice (3 eligible) chooses first and takes the 3 anyone may get; bob gets the 2 alice moderated.
      expect.objectContaining({ path: "gold", auditor: "bob", needed: 3, eligible: 5 }),
    ]);
    const sample = await ctx.call("GET", `/v1/samples/${ctx.sample}`, { key: ctx.keys.lead });
    expect(sample.body.assignment).toBeNull();
    expect(await slotsOf(ctx)).toEqual([]);
    // With one auditor fewer it fits.
    const fits = await assign(ctx, { auditors: ["alice"], gold: { share: 0, perAuditorMin: 3 } });
    expect(fits.status, fits.text).toBe(200);
  });

  it("a lead moves gold items with the rest of a queue (never to their moderator); a sample without gold verdicts is deleted with its gold rows", async () => {
    const ctx = await goldContext(20, [manualGold(0, "bob"), manualGold(1, "bob")]);
    await assign(ctx, { auditors: ["alice", "carol"], gold: { share: 0, perAuditorMin: 1 } });
    const ids = (await wholeQueue(ctx, ctx.auditors.alice)).map((item) => item.decisionId);
    const golds = (await slotsOf(ctx)).filter((s) => s.auditor === "alice").map((s) => s.decisionId);
    expect(golds).toHaveLength(1);
    const moved = await ctx.call("POST", `/v1/samples/${ctx.sample}/items/reassign`, {
      key: ctx.keys.lead,
      json: { items: ids, auditor: "carol" },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.reassigned).toHaveLength(ids.length);
    // The stored loads count drawn items only (viewer keys read them).
    expect(moved.body.assignment.loads).toEqual([
      { auditor: "alice", items: 0 },
      { auditor: "carol", items: 20 },
    ]);
    expect((await slotsOf(ctx)).map((s) => s.auditor)).toEqual(["carol", "carol"]);
    // Both golds were moderated by bob: moving one to bob is self-review.
    const refused = await ctx.call("POST", `/v1/samples/${ctx.sample}/items/reassign`, {
      key: ctx.keys.lead,
      json: { items: [golds[0]], auditor: "bob" },
    });
    expect(refused.body.error.code).toBe("self_review");
    const deleted = await ctx.call("DELETE", `/v1/samples/${ctx.sample}`, { key: ctx.keys.lead });
    expect(deleted.status, deleted.text).toBe(200);
    expect(await ctx.db.values("SELECT * FROM gold_slots")).toEqual([]);
  });

  it("the gold's queue time lies within its stratum's decision times, written like them", async () => {
    const ctx = await goldContext(40, pool(12));
    await assign(ctx, { auditors: ["alice", "bob"], gold: { share: 0, perAuditorMin: 3 } });
    const queue = [
      ...(await wholeQueue(ctx, ctx.auditors.alice)),
      ...(await wholeQueue(ctx, ctx.auditors.bob)),
    ];
    const gold = new Set((await slotsOf(ctx)).map((s) => s.decisionId));
    const real = queue.filter((item) => !gold.has(item.decisionId));
    const times = real.map((item) => Date.parse(item.decidedAt));
    const [min, max] = [Math.min(...times), Math.max(...times)];
    for (const item of queue.filter((i) => gold.has(i.decisionId))) {
      expect(item.decidedAt).toMatch(/^2026-11-2\dT\d{2}:\d{2}:\d{2}\+09:00$/);
      expect(Date.parse(item.decidedAt)).toBeGreaterThanOrEqual(min);
      expect(Date.parse(item.decidedAt)).toBeLessThanOrEqual(max);
    }
  });
});
