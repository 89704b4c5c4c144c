import { describe, expect, it } from "vitest";
import {
  DAY,
  type DisputeContext,
  disputeContext,
  leadView,
  openDispute,
  review,
  storeAudit,
} from "./disputes-fixture.ts";

const HOUR = 3_600_000;

/** Opens a dispute of `auditId` and, after `hours`, resolves it: "review" (the review agrees) or a lead's final. */
async function resolveAfter(
  ctx: DisputeContext,
  auditId: string,
  hours: number,
  how: "review" | "upheld" | "overturned" | "open",
) {
  const opened = await openDispute(ctx, auditId, ctx.keys.lead);
  if (how === "open") return;
  const reviewer = (await leadView(ctx, opened.id)).reviewer as string;
  const start = ctx.clock.now;
  ctx.clock.now += hours * HOUR;
  await review(
    ctx,
    opened.id,
    reviewer,
    how === "review" ? { outcome: "incorrect", errorType: "false-negative" } : { outcome: "correct" },
  );
  if (how !== "review") {
    const res = await ctx.call("POST", `/v1/disputes/${opened.id}/decision`, {
      key: ctx.keys.lead,
      json: { final: how, note: "decided" },
    });
    expect(res.status).toBe(200);
  }
  ctx.clock.now = start;
}

/**
 * hate: 10 audits by alice (4 incorrect), spam: 5 by bob (2 incorrect), audited a day before the clock; plus one
 * hate audit 40 days back. Disputes: h0 upheld by its review after 1 h, h1 overturned after 3 h, h2 upheld by a
 * lead after 2 h, s0 overturned after 5 h, s1 open; the old audit's dispute open.
 */
async function statsSetup() {
  const ctx = await disputeContext({ MODQC_DISPUTE_WINDOW: "P60D" });
  for (let i = 0; i < 10; i++) await storeAudit(ctx, `h${i}`, { incorrect: i < 4 });
  for (let i = 0; i < 5; i++)
    await storeAudit(ctx, `s${i}`, { queue: "spam", auditor: "bob", incorrect: i < 2 });
  await storeAudit(ctx, "old", { auditedAt: new Date(ctx.clock.now - 40 * DAY).toISOString() });
  await resolveAfter(ctx, "h0", 1, "review");
  await resolveAfter(ctx, "h1", 3, "overturned");
  await resolveAfter(ctx, "h2", 2, "upheld");
  await resolveAfter(ctx, "s0", 5, "overturned");
  await resolveAfter(ctx, "s1", 0, "open");
  await resolveAfter(ctx, "old", 0, "open");
  return ctx;
}

describe("dispute statistics", () => {
  it("overturn rate per auditor and dispute rate per queue with Wilson intervals; time to resolution", async () => {
    const ctx = await statsSetup();
    const from = new Date(ctx.clock.now - 30 * DAY).toISOString();
    const res = await ctx.call("GET", `/v1/disputes/stats?from=${encodeURIComponent(from)}`, {
      key: ctx.keys.lead,
    });
    expect(res.status, res.text).toBe(200);
    const stats = res.body;
    expect(stats).toMatchObject({
      confidence: 0.95,
      method: "wilson",
      states: { open: 1, escalated: 0, upheld: 2, overturned: 2 },
    });
    // Reference values: R binom::binom.confint(x, n, methods = "wilson") (the Wilson score interval).
    expect(stats.auditors).toHaveLength(2);
    const [alice, bob] = stats.auditors;
    expect(alice).toMatchObject({ auditor: "alice", resolved: 3, overturned: 1 });
    expect(alice.rate).toBeCloseTo(1 / 3, 12);
    expect(alice.lower).toBeCloseTo(0.06149194472, 9);
    expect(alice.upper).toBeCloseTo(0.7923403992, 9);
    expect(bob).toMatchObject({ auditor: "bob", resolved: 1, overturned: 1, rate: 1, upper: 1 });
    expect(bob.lower).toBeCloseTo(0.2065493144, 9);
    const [hate, spam] = stats.queues;
    expect(hate).toMatchObject({ queue: "hate", audits: 10, disputed: 3, rate: 0.3 });
    expect(hate.lower).toBeCloseTo(0.1077912674, 9);
    expect(hate.upper).toBeCloseTo(0.6032218525, 9);
    expect(spam).toMatchObject({ queue: "spam", audits: 5, disputed: 2, rate: 0.4 });
    expect(spam.lower).toBeCloseTo(0.1176207742, 9);
    expect(spam.upper).toBeCloseTo(0.7692757187, 9);
    // Resolution times 1, 3, 2, 5 h: type-7 median 2.5 h, p90 = 3 + 0.7·(5 − 3) = 4.4 h.
    expect(stats.resolution).toEqual({
      count: 4,
      medianMs: 2.5 * HOUR,
      p90Ms: 15_840_000, // 4.4 h exactly (4.4 * HOUR rounds to …0.000000002)
      quantile: "hyndman-fan-7",
    });
  });

  it("the period selects audits by their audited time, the queue filter one queue; empty periods give nulls", async () => {
    const ctx = await statsSetup();
    const all = (await ctx.call("GET", "/v1/disputes/stats", { key: ctx.keys.admin })).body;
    expect(all.states.open).toBe(2);
    expect(all.queues[0]).toMatchObject({ queue: "hate", audits: 11, disputed: 4 });
    const spam = (await ctx.call("GET", "/v1/disputes/stats?queue=spam", { key: ctx.keys.lead })).body;
    expect(spam.queues.map((q: { queue: string }) => q.queue)).toEqual(["spam"]);
    expect(spam.auditors.map((a: { auditor: string }) => a.auditor)).toEqual(["bob"]);
    expect(spam.resolution).toMatchObject({ count: 1, medianMs: 5 * HOUR, p90Ms: 5 * HOUR });
    const empty = (
      await ctx.call("GET", "/v1/disputes/stats?from=2001-01-01&to=2001-01-31", { key: ctx.keys.lead })
    ).body;
    expect(empty).toMatchObject({
      auditors: [],
      queues: [],
      states: { open: 0, escalated: 0, upheld: 0, overturned: 0 },
      resolution: { count: 0, medianMs: null, p90Ms: null },
    });
  });

  it("is for leads and admins; bad dates are 400 naming the field", async () => {
    const ctx = await disputeContext();
    for (const key of [ctx.keys.viewer, ctx.keys.auditor, ctx.moderators.m1]) {
      expect((await ctx.call("GET", "/v1/disputes/stats", { key })).status).toBe(403);
    }
    const bad = await ctx.call("GET", "/v1/disputes/stats?from=yesterday", { key: ctx.keys.lead });
    expect([bad.status, bad.body.error.details[0].path]).toEqual([400, "from"]);
    const zone = await ctx.call("GET", "/v1/disputes/stats?tz=Mars/Olympus", { key: ctx.keys.lead });
    expect([zone.status, zone.body.error.details[0].path]).toEqual([400, "tz"]);
  });

  it("the leads' list carries the same statistics for its period and queue; other keys get none", async () => {
    const ctx = await statsSetup();
    const stats = await ctx.call("GET", "/v1/disputes/stats?queue=hate", { key: ctx.keys.lead });
    const list = await ctx.call("GET", "/v1/disputes?queue=hate", { key: ctx.keys.lead });
    expect(list.status).toBe(200);
    expect(list.body.stats).toEqual(stats.body);
    const own = await ctx.call("GET", "/v1/disputes", { key: ctx.moderators.m1 });
    expect(own.status).toBe(200);
    expect(own.body.stats).toBeNull();
  });
});
