import { describe, expect, it } from "vitest";
import { accuracyByAuditor, type ScoredGoldVerdict } from "../../src/auditors/accuracy.ts";
import { proportionInterval } from "../../stats/proportion-interval.ts";
import { assign, type GoldContext, goldContext, manualGold, slotsOf, verdictPath } from "./fixture.ts";

const pool = (n: number) => Array.from({ length: n }, (_, i) => manualGold(i));

/** The sample with gold placed for alice and bob (3 each of 60 drawn items). */
async function placed(): Promise<GoldContext> {
  const ctx = await goldContext(60, pool(20));
  const res = await assign(ctx, { auditors: ["alice", "bob"], gold: { share: 0.1, perAuditorMin: 2 } });
  expect(res.status, res.text).toBe(200);
  return ctx;
}

/** The known answer of a gold slot as a verdict body, or a wrong one. */
function verdict(goldIndex: number, right: boolean) {
  const gold = manualGold(goldIndex);
  const answer =
    gold.outcome === "incorrect"
      ? { outcome: "incorrect", errorType: gold.errorType, severity: 2 }
      : { outcome: "correct" };
  if (right) return answer;
  return gold.outcome === "incorrect"
    ? { outcome: "correct" }
    : { outcome: "incorrect", errorType: "false-positive", severity: 1 };
}

/** Records a verdict on every gold slot of `auditor`: right on the first `right` of them, wrong on the rest. */
async function judge(ctx: GoldContext, auditor: "alice" | "bob", right: number) {
  const slots = (await slotsOf(ctx)).filter((s) => s.auditor === auditor);
  for (const [i, slot] of slots.entries()) {
    const goldIndex = Number(slot.decisionId.slice("gold-".length));
    const res = await ctx.call("PUT", verdictPath(ctx.sample, slot.decisionId), {
      key: ctx.auditors[auditor],
      json: verdict(goldIndex, i < right),
    });
    expect(res.status, res.text).toBe(201);
  }
  return slots;
}

describe("accuracyByAuditor", () => {
  it("counts each auditor's verdicts overall, by the gold's known error type (none when right) and by queue, with Wilson intervals", () => {
    const v = (auditor: string, queue: string, type: string | null, correct: boolean): ScoredGoldVerdict => ({
      auditor,
      queue,
      expectedOutcome: type === null ? "correct" : "incorrect",
      expectedErrorType: type,
      correct,
      recordedMs: 0,
    });
    const [bob, alice] = [
      [v("bob", "spam", null, true)],
      [
        v("alice", "hate", null, true),
        v("alice", "hate", "false-negative", false),
        v("alice", "spam", null, true),
      ],
    ];
    const result = accuracyByAuditor([...bob, ...alice], 0.9);
    expect(result.map((a) => a.auditor)).toEqual(["alice", "bob"]);
    const wilson = proportionInterval(2, 3, { confidence: 0.9, method: "wilson" });
    expect(result[0]).toMatchObject({
      gold: 3,
      correct: 2,
      accuracy: 2 / 3,
      lower: wilson.lower,
      upper: wilson.upper,
    });
    expect(result[0].byErrorType.map((t) => [t.errorType, t.gold, t.correct])).toEqual([
      ["false-negative", 1, 0],
      ["none", 2, 2],
    ]);
    expect(result[0].byQueue.map((q) => [q.queue, q.gold, q.correct])).toEqual([
      ["hate", 2, 1],
      ["spam", 1, 1],
    ]);
  });
});

describe("GET /v1/auditors", () => {
  it("scores each auditor's latest verdict on its gold slots; a corrected verdict replaces the first", async () => {
    const ctx = await placed();
    const aliceSlots = await judge(ctx, "alice", 1); // 1 of 3 right
    await judge(ctx, "bob", 3);
    // Alice corrects her second verdict to the known answer: 2 of 3.
    const second = aliceSlots[1];
    const fixed = await ctx.call("PUT", verdictPath(ctx.sample, second.decisionId), {
      key: ctx.auditors.alice,
      json: { ...verdict(Number(second.decisionId.slice(5)), true), reason: "looked again" },
    });
    expect(fixed.status, fixed.text).toBe(200);

    const res = await ctx.call("GET", "/v1/auditors", { key: ctx.keys.lead });
    expect(res.status, res.text).toBe(200);
    expect(res.body.method).toBe("wilson");
    const byName = Object.fromEntries(res.body.auditors.map((a: { auditor: string }) => [a.auditor, a]));
    expect(byName.alice).toMatchObject({ gold: 3, correct: 2 });
    expect(byName.bob).toMatchObject({ gold: 3, correct: 3, accuracy: 1 });
    const wilson = proportionInterval(2, 3, { confidence: 0.95, method: "wilson" });
    expect(byName.alice.lower).toBeCloseTo(wilson.lower, 12);
    expect(byName.alice.upper).toBeCloseTo(wilson.upper, 12);

    const one = await ctx.call("GET", "/v1/auditors?auditor=bob&format=csv", { key: ctx.keys.lead });
    expect(one.status).toBe(200);
    expect(one.text.startsWith("\uFEFFauditor,by,value,gold,correct,accuracy,lower,upper")).toBe(true);
    expect(one.text).toContain("bob,all,,3,3,1,");
    expect(one.text).not.toContain("alice");
  });

  it("is for leads and admins only: an auditor watching its gold count would learn which item was gold", async () => {
    const ctx = await placed();
    for (const key of [ctx.keys.auditor, ctx.keys.viewer, ctx.keys.moderator])
      expect((await ctx.call("GET", "/v1/auditors", { key })).status).toBe(403);
    expect((await ctx.call("GET", "/v1/auditors", { key: ctx.keys.admin })).status).toBe(200);
  });

  it("refuses a bad period or confidence naming the field, and a period over 366 days", async () => {
    const ctx = await placed();
    for (const [query, field] of [
      ["from=2026-13-01", "from"],
      ["from=2026-11-02&to=2026-11-01", "to"],
      ["confidence=1", "confidence"],
      ["from=2024-01-01&to=2026-01-01", "from"],
    ]) {
      const res = await ctx.call("GET", `/v1/auditors?${query}`, { key: ctx.keys.lead });
      expect(res.status, query).toBe(400);
      expect(res.body.error.details[0].path, query).toBe(field);
    }
  });
});

describe("alert rules of kind auditor-accuracy", () => {
  const rule = (condition: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    name: "Auditor accuracy",
    groupBy: ["auditor"],
    severity: "warning",
    condition: { kind: "auditor-accuracy", below: 0.95, minGold: 3, ...condition },
    ...extra,
  });

  it("fires for the auditor whose Wilson upper bound is below the threshold after minGold gold items, and not for the others", async () => {
    const ctx = await placed();
    await judge(ctx, "alice", 0); // 0 of 3: Wilson upper 56 %
    await judge(ctx, "bob", 3); // 3 of 3
    const created = await ctx.call("POST", "/v1/alert-rules", { key: ctx.keys.lead, json: rule({}) });
    expect(created.status, created.text).toBe(201);
    await ctx.alerts.evaluateAll();
    const alerts = (await ctx.call("GET", "/v1/alerts", { key: ctx.keys.viewer })).body.alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0].labels).toEqual({ auditor: "alice" });
    expect(alerts[0].evidence).toMatchObject({ kind: "auditor-accuracy", gold: 3, correct: 0, minGold: 3 });
    expect(alerts[0].evidence.interval.upper).toBeLessThan(0.95);
    expect(alerts[0].link).toMatch(/^\/v1\/auditors\?auditor=alice&/);

    // The preview evaluates the same condition day by day.
    const preview = await ctx.call("POST", "/v1/alert-rules/preview", {
      key: ctx.keys.lead,
      json: { ruleId: created.body.id, days: 2 },
    });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.kind).toBe("auditor-accuracy");
  });

  it("does not evaluate an auditor below minGold", async () => {
    const ctx = await placed();
    await judge(ctx, "alice", 0);
    await ctx.call("POST", "/v1/alert-rules", { key: ctx.keys.lead, json: rule({ minGold: 4 }) });
    await ctx.alerts.evaluateAll();
    expect((await ctx.call("GET", "/v1/alerts", { key: ctx.keys.viewer })).body.alerts).toHaveLength(0);
  });

  it("must group by auditor and may be scoped to a queue only", async () => {
    const ctx = await placed();
    for (const [body, field] of [
      [rule({}, { groupBy: [] }), "groupBy"],
      [rule({}, { groupBy: ["moderator"] }), "groupBy"],
      [rule({}, { scope: { moderator: "m1" } }), "scope.moderator"],
      [rule({ below: 0 }), "condition.below"],
      [rule({ minGold: 0 }), "condition.minGold"],
    ] as const) {
      const res = await ctx.call("POST", "/v1/alert-rules", { key: ctx.keys.lead, json: body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details[0].path).toBe(field);
    }
    const scoped = await ctx.call("POST", "/v1/alert-rules", {
      key: ctx.keys.lead,
      json: rule({}, { scope: { queue: "hate" } }),
    });
    expect(scoped.status, scoped.text).toBe(201);
  });
});
