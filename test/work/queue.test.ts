import { describe, expect, it } from "vitest";
import { decision, drawSample, skipPath, verdictPath, workContext } from "./fixture.ts";

describe("GET /v1/work", () => {
  it("lists the calling auditor's todo items by sample then position, each with its decision, context and place", async () => {
    const ctx = await workContext(20);
    const mine = ctx.itemsOf("alice");
    const res = await ctx.call("GET", "/v1/work", { key: ctx.keys.auditor });
    expect(res.status).toBe(200);
    expect(res.body.auditor).toBe("alice");
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items.map((i: { decisionId: string }) => i.decisionId)).toEqual(mine.map((i) => i.id));
    const first = res.body.items[0];
    const index = Number(first.decisionId.slice(2));
    const source = decision(index);
    expect(first).toMatchObject({
      sampleId: ctx.sample,
      position: 1,
      auditorItems: mine.length,
      samplePosition: ctx.items.findIndex((i) => i.id === first.decisionId) + 1,
      sampleItems: 20,
      auditor: "alice",
      queue: source.queue,
      moderator: source.moderator,
      label: source.label,
      policy: source.policy,
      market: "KR",
      decidedAt: "2026-11-20T10:00:00Z",
      status: "todo",
      skip: null,
      verdict: null,
    });
    // Context columns, where the decision has them.
    for (const item of res.body.items) {
      const i = Number(item.decisionId.slice(2));
      if (i % 2 === 0) {
        expect(item).toMatchObject({
          url: `https://mod.example.com/d/${i}`,
          content: `내용 ${i}`,
          context: { reporter: `user-${i}` },
        });
      } else expect(item).toMatchObject({ url: null, content: null, context: {} });
    }
    expect(res.body.items.map((i: { position: number }) => i.position)).toEqual(mine.map((_, i) => i + 1));
  });

  it("pages with an opaque cursor (limit default 100, at most 500) and keeps numbering items within their auditor's sample", async () => {
    const ctx = await workContext(30);
    const mine = ctx.itemsOf("alice");
    const seen: { decisionId: string; position: number }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const res = await ctx.call("GET", `/v1/work?${query}`, { key: ctx.keys.auditor });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(4);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(mine.length / 4));
    expect(seen.map((i) => i.decisionId)).toEqual(mine.map((i) => i.id));
    expect(seen.map((i) => i.position)).toEqual(mine.map((_, i) => i + 1));

    expect((await ctx.call("GET", "/v1/work?limit=501", { key: ctx.keys.auditor })).status).toBe(400);
    expect((await ctx.call("GET", "/v1/work?limit=0", { key: ctx.keys.auditor })).status).toBe(400);
    const bad = await ctx.call("GET", "/v1/work?cursor=bm90LWEtY3Vyc29y", { key: ctx.keys.auditor });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe("cursor");
  });

  it("filters by status (todo by default, done, skipped, all) and numbers items among all of the auditor's, whatever the filter", async () => {
    const ctx = await workContext(20);
    const mine = ctx.itemsOf("alice");
    const put = await ctx.call("PUT", verdictPath(ctx.sample, mine[1].id), {
      key: ctx.keys.auditor,
      json: { outcome: "correct" },
    });
    expect(put.status).toBe(201);
    const skip = await ctx.call("POST", skipPath(ctx.sample, mine[2].id), {
      key: ctx.keys.auditor,
      json: { reason: "content-unavailable", note: "404 on the page" },
    });
    expect(skip.status).toBe(200);
    const list = async (status?: string) => {
      const res = await ctx.call("GET", `/v1/work${status ? `?status=${status}` : ""}`, {
        key: ctx.keys.auditor,
      });
      expect(res.status).toBe(200);
      return res.body.items as { decisionId: string; position: number; status: string }[];
    };
    const todo = await list();
    expect(todo.map((i) => i.decisionId)).toEqual(mine.filter((_, i) => i !== 1 && i !== 2).map((i) => i.id));
    expect(todo.every((i) => i.status === "todo")).toBe(true);
    expect(todo[1].position).toBe(4); // after the done and the skipped ones, still "4 / n"
    const done = await list("done");
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ decisionId: mine[1].id, position: 2, status: "done" });
    const skipped = await list("skipped");
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({
      decisionId: mine[2].id,
      position: 3,
      status: "skipped",
      skip: { reason: "content-unavailable", note: "404 on the page", by: "alice" },
    });
    const all = await list("all");
    expect(all.map((i) => i.decisionId)).toEqual(mine.map((i) => i.id));
    expect((await ctx.call("GET", "/v1/work?status=later", { key: ctx.keys.auditor })).status).toBe(400);
  });

  it("spans samples, by sample id then position, and filters by sample", async () => {
    const ctx = await workContext(6);
    const second = await drawSample(
      ctx,
      Array.from({ length: 6 }, (_, i) => decision(i, `e-${i}`)),
      ["alice", "bob"],
      "second",
    );
    const res = await ctx.call("GET", "/v1/work?status=all", { key: ctx.keys.auditor });
    expect(res.status).toBe(200);
    const samples = res.body.items.map((i: { sampleId: string }) => i.sampleId);
    expect(samples).toEqual([...samples].sort());
    expect(new Set(samples)).toEqual(new Set([ctx.sample, second.sample]));
    for (const sample of [ctx.sample, second.sample]) {
      const of = res.body.items.filter((i: { sampleId: string }) => i.sampleId === sample);
      expect(of.map((i: { position: number }) => i.position)).toEqual(
        of.map((_: unknown, k: number) => k + 1),
      );
      expect(of.every((i: { auditorItems: number }) => i.auditorItems === of.length)).toBe(true);
    }
    const one = await ctx.call("GET", `/v1/work?status=all&sample=${second.sample}`, {
      key: ctx.keys.auditor,
    });
    expect(one.body.items.length).toBeGreaterThan(0);
    expect(one.body.items.every((i: { sampleId: string }) => i.sampleId === second.sample)).toBe(true);
  });

  it("a lead or admin names the auditor (400 without); an auditor sees only its own (403 for another); viewers get 403", async () => {
    const ctx = await workContext(10);
    const bobs = ctx.itemsOf("bob").map((i) => i.id);
    for (const key of [ctx.keys.lead, ctx.keys.admin]) {
      const res = await ctx.call("GET", "/v1/work?auditor=bob", { key });
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { decisionId: string }) => i.decisionId)).toEqual(bobs);
      const without = await ctx.call("GET", "/v1/work", { key });
      expect(without.status).toBe(400);
      expect(without.body.error.details[0].path).toBe("auditor");
    }
    expect((await ctx.call("GET", "/v1/work?auditor=alice", { key: ctx.keys.auditor })).status).toBe(200);
    const other = await ctx.call("GET", "/v1/work?auditor=bob", { key: ctx.keys.auditor });
    expect(other.status).toBe(403);
    expect((await ctx.call("GET", "/v1/work?auditor=bob", { key: ctx.keys.viewer })).status).toBe(403);
    expect((await ctx.call("GET", "/v1/work/summary?auditor=bob", { key: ctx.keys.viewer })).status).toBe(
      403,
    );
    expect((await ctx.call("GET", "/v1/work")).status).toBe(401);
    // An auditor with nothing assigned has an empty queue.
    const carol = await ctx.call("GET", "/v1/work", { key: ctx.auditors.carol });
    expect(carol.body).toEqual({ auditor: "carol", items: [], nextCursor: null });
  });
});

describe("GET /v1/work/summary", () => {
  it("counts per sample the auditor's assigned, done, skipped and todo items, and their totals", async () => {
    const ctx = await workContext(12);
    const second = await drawSample(
      ctx,
      Array.from({ length: 4 }, (_, i) => decision(i, `e-${i}`)),
      ["alice", "bob"],
      "second",
    );
    const mine = ctx.itemsOf("alice");
    await ctx.call("PUT", verdictPath(ctx.sample, mine[0].id), {
      key: ctx.keys.auditor,
      json: { outcome: "correct" },
    });
    await ctx.call("PUT", verdictPath(ctx.sample, mine[1].id), {
      key: ctx.keys.auditor,
      json: { outcome: "incorrect", errorType: "false-negative" },
    });
    await ctx.call("POST", skipPath(ctx.sample, mine[2].id), {
      key: ctx.keys.auditor,
      json: { reason: "other" },
    });
    const res = await ctx.call("GET", "/v1/work/summary", { key: ctx.keys.auditor });
    expect(res.status).toBe(200);
    const bySample = Object.fromEntries(res.body.samples.map((s: { sampleId: string }) => [s.sampleId, s]));
    expect(bySample[ctx.sample]).toMatchObject({
      population: ctx.population,
      drawn: 12,
      assigned: mine.length,
      done: 2,
      skipped: 1,
      todo: mine.length - 3,
    });
    const secondCount = bySample[second.sample].assigned;
    expect(bySample[second.sample]).toMatchObject({ drawn: 4, done: 0, skipped: 0, todo: secondCount });
    expect(res.body.totals).toEqual({
      assigned: mine.length + secondCount,
      done: 2,
      skipped: 1,
      todo: mine.length + secondCount - 3,
    });
    const lead = await ctx.call("GET", "/v1/work/summary?auditor=alice", { key: ctx.keys.lead });
    expect(lead.body).toEqual(res.body);
    expect((await ctx.call("GET", "/v1/work/summary", { key: ctx.keys.lead })).status).toBe(400);
    expect((await ctx.call("GET", "/v1/work/summary?auditor=bob", { key: ctx.keys.auditor })).status).toBe(
      403,
    );
  });
});
