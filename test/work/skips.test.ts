import { describe, expect, it } from "vitest";
import { stratifiedEstimate } from "../../stats/stratified-estimate.ts";
import { decision, skipPath, verdictPath, workContext } from "./fixture.ts";

describe("skipping items", () => {
  it("the assigned auditor skips with a reason and note, skips again to change them, and unskips", async () => {
    const ctx = await workContext(10);
    const item = ctx.itemsOf("alice")[0];
    const skipped = await ctx.call("POST", skipPath(ctx.sample, item.id), {
      key: ctx.keys.auditor,
      json: { reason: "needs-specialist", note: "아랍어" },
    });
    expect(skipped.status).toBe(200);
    expect(skipped.body).toMatchObject({
      decisionId: item.id,
      status: "skipped",
      skip: { reason: "needs-specialist", note: "아랍어", by: "alice" },
      verdict: null,
    });
    expect(Date.parse(skipped.body.skip.at)).not.toBeNaN();
    const again = await ctx.call("POST", skipPath(ctx.sample, item.id), {
      key: ctx.keys.auditor,
      json: { reason: "other" },
    });
    expect(again.body.skip).toMatchObject({ reason: "other", note: null });
    const unskipped = await ctx.call("DELETE", skipPath(ctx.sample, item.id), { key: ctx.keys.auditor });
    expect(unskipped.status).toBe(200);
    expect(unskipped.body).toMatchObject({ status: "todo", skip: null });
    // Unskipping an item that is not skipped changes nothing.
    expect((await ctx.call("DELETE", skipPath(ctx.sample, item.id), { key: ctx.keys.auditor })).status).toBe(
      200,
    );
  });

  it("skipping an item with a verdict is 409 already_audited; a verdict on a skipped item ends its skip", async () => {
    const ctx = await workContext(10);
    const [first, second] = ctx.itemsOf("alice");
    await ctx.call("PUT", verdictPath(ctx.sample, first.id), {
      key: ctx.keys.auditor,
      json: { outcome: "correct" },
    });
    const refused = await ctx.call("POST", skipPath(ctx.sample, first.id), {
      key: ctx.keys.auditor,
      json: { reason: "other" },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("already_audited");
    await ctx.call("POST", skipPath(ctx.sample, second.id), {
      key: ctx.keys.auditor,
      json: { reason: "other" },
    });
    const put = await ctx.call("PUT", verdictPath(ctx.sample, second.id), {
      key: ctx.keys.auditor,
      json: { outcome: "correct" },
    });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ status: "done", skip: null });
  });

  it("follows the verdict's role rules: another auditor's item → 403, a lead may skip any item, viewers 403, bad reason 400, unknown item 404", async () => {
    const ctx = await workContext(10);
    const bobs = ctx.itemsOf("bob")[0];
    const other = await ctx.call("POST", skipPath(ctx.sample, bobs.id), {
      key: ctx.keys.auditor,
      json: { reason: "other" },
    });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe("not_assigned");
    expect((await ctx.call("DELETE", skipPath(ctx.sample, bobs.id), { key: ctx.keys.auditor })).status).toBe(
      403,
    );
    const lead = await ctx.call("POST", skipPath(ctx.sample, bobs.id), {
      key: ctx.keys.lead,
      json: { reason: "content-unavailable" },
    });
    expect(lead.status).toBe(200);
    expect(lead.body.skip.by).toBe("lead key");
    expect(
      (
        await ctx.call("POST", skipPath(ctx.sample, bobs.id), {
          key: ctx.keys.viewer,
          json: { reason: "other" },
        })
      ).status,
    ).toBe(403);
    const bad = await ctx.call("POST", skipPath(ctx.sample, bobs.id), {
      key: ctx.keys.lead,
      json: { reason: "bored" },
    });
    expect(bad.status).toBe(400);
    expect(
      (
        await ctx.call("POST", skipPath(ctx.sample, "nope"), {
          key: ctx.keys.lead,
          json: { reason: "other" },
        })
      ).status,
    ).toBe(404);
  });
});

describe("sample progress and the estimate", () => {
  it("GET /v1/samples/:id counts per stratum and auditor assigned / done / skipped / todo, verdicts and posted audits alike", async () => {
    const ctx = await workContext(12);
    const alice = ctx.itemsOf("alice");
    const bob = ctx.itemsOf("bob");
    await ctx.call("PUT", verdictPath(ctx.sample, alice[0].id), {
      key: ctx.keys.auditor,
      json: { outcome: "correct" },
    });
    // An audit posted directly, naming the sample: done as well.
    const d = decision(Number(bob[0].id.slice(2)));
    const posted = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.lead,
      json: {
        id: "direct-1",
        decisionId: bob[0].id,
        sampleId: ctx.sample,
        queue: d.queue,
        moderator: d.moderator,
        auditor: "bob",
        outcome: "correct",
        auditedAt: "2026-11-24T09:00:00Z",
      },
    });
    expect(posted.status).toBe(200);
    await ctx.call("POST", skipPath(ctx.sample, alice[1].id), {
      key: ctx.keys.auditor,
      json: { reason: "other" },
    });
    const res = await ctx.call("GET", `/v1/samples/${ctx.sample}`, { key: ctx.keys.viewer });
    expect(res.status).toBe(200);
    expect(res.body.progress).toEqual({
      drawn: 12,
      audited: 2,
      remaining: 10,
      unmatchedAudits: 0,
      assigned: 12,
      unassigned: 0,
      done: 2,
      skipped: 1,
      todo: 9,
      byAuditor: [
        { auditor: "alice", assigned: alice.length, done: 1, skipped: 1, todo: alice.length - 2 },
        { auditor: "bob", assigned: bob.length, done: 1, skipped: 0, todo: bob.length - 1 },
      ],
    });
    const stratumOf = (id: string) => ctx.items.find((i) => i.id === id)!.stratum;
    for (const stratum of res.body.strata) {
      const items = ctx.items.filter((i) => i.stratum === stratum.key);
      const done = [alice[0].id, bob[0].id].filter((id) => stratumOf(id) === stratum.key).length;
      const skipped = stratumOf(alice[1].id) === stratum.key ? 1 : 0;
      expect(stratum).toMatchObject({
        audited: done,
        assigned: items.length,
        done,
        skipped,
        todo: items.length - done - skipped,
      });
    }
  });

  it("an unassigned sample reports its items as unassigned", async () => {
    const ctx = await workContext(4, null);
    const res = await ctx.call("GET", `/v1/samples/${ctx.sample}`, { key: ctx.keys.viewer });
    expect(res.body.progress).toMatchObject({
      assigned: 0,
      unassigned: 4,
      done: 0,
      skipped: 0,
      todo: 4,
      byAuditor: [],
    });
  });

  it("the estimate leaves skipped items out and reports how many were skipped, overall and per stratum", async () => {
    const ctx = await workContext(16);
    const byStratum = new Map<string, typeof ctx.items>();
    for (const item of ctx.items) byStratum.set(item.stratum, [...(byStratum.get(item.stratum) ?? []), item]);
    const keyOf = (item: { auditor: string | null }) =>
      item.auditor === "alice" ? ctx.keys.auditor : ctx.auditors.bob;
    // Per stratum: the first three audited (the first one wrong), the fourth skipped.
    for (const items of byStratum.values()) {
      for (const [i, item] of items.slice(0, 3).entries()) {
        const json = i === 0 ? { outcome: "incorrect", errorType: "false-negative" } : { outcome: "correct" };
        expect(
          (await ctx.call("PUT", verdictPath(ctx.sample, item.id), { key: keyOf(item), json })).status,
        ).toBe(201);
      }
      const skipped = items[3];
      expect(
        (
          await ctx.call("POST", skipPath(ctx.sample, skipped.id), {
            key: keyOf(skipped),
            json: { reason: "other" },
          })
        ).status,
      ).toBe(200);
    }
    // The skipped items also have an audit that does not name the sample: they stay out all the same.
    const extra = [...byStratum.values()].map((items, i) => {
      const d = decision(Number(items[3].id.slice(2)));
      return {
        id: `elsewhere-${i}`,
        decisionId: items[3].id,
        queue: d.queue,
        moderator: d.moderator,
        auditor: "zoe",
        outcome: "incorrect",
        errorType: "other",
        auditedAt: "2026-11-24T09:00:00Z",
      };
    });
    expect((await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: extra })).status).toBe(200);

    const res = await ctx.call("GET", `/v1/samples/${ctx.sample}/estimate`, { key: ctx.keys.viewer });
    expect(res.status).toBe(200);
    const strata = [...byStratum.keys()].sort();
    expect(res.body.skipped).toBe(strata.length);
    expect(res.body.audited).toBe(3 * strata.length);
    const expected = stratifiedEstimate({
      strata: strata.map((key) => ({ key, size: byStratum.get(key)!.length, audited: 3, errors: 1 })),
    });
    expect(res.body.rate).toBeCloseTo(expected.rate!, 12);
    for (const stratum of res.body.strata)
      expect(stratum).toMatchObject({ audited: 3, skipped: 1, errors: 1 });

    // Unskipped, the item counts again by the latest audit of its decision (the one made elsewhere).
    const back = byStratum.get(strata[0])![3];
    await ctx.call("DELETE", skipPath(ctx.sample, back.id), { key: keyOf(back) });
    const after = await ctx.call("GET", `/v1/samples/${ctx.sample}/estimate`, { key: ctx.keys.viewer });
    expect(after.body.skipped).toBe(strata.length - 1);
    expect(after.body.strata.find((s: { key: string }) => s.key === strata[0])).toMatchObject({
      audited: 4,
      skipped: 0,
      errors: 2,
    });
  });
});
