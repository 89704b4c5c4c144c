import { describe, expect, it } from "vitest";
import { skipPath, verdictPath, workContext } from "./fixture.ts";

const reassignPath = (sample: string) => `/v1/samples/${sample}/items/reassign`;

describe("POST /v1/samples/:id/items/reassign", () => {
  it("gives unstarted and skipped items to another auditor (skipped ones become todo) and updates the assignment summary", async () => {
    const ctx = await workContext(12);
    const [a0, a1, a2] = ctx.itemsOf("alice");
    await ctx.call("POST", skipPath(ctx.sample, a1.id), { key: ctx.keys.auditor, json: { reason: "other" } });
    const res = await ctx.call("POST", reassignPath(ctx.sample), {
      key: ctx.keys.lead,
      json: { items: [a0.id, a1.id, a0.id], auditor: "carol" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      sample: ctx.sample,
      auditor: "carol",
      reassigned: [
        { decisionId: a0.id, from: "alice", wasSkipped: false },
        { decisionId: a1.id, from: "alice", wasSkipped: true },
      ],
      unchanged: [],
    });
    const loads = Object.fromEntries(
      res.body.assignment.loads.map((l: { auditor: string; items: number }) => [l.auditor, l.items]),
    );
    const aliceBefore = ctx.itemsOf("alice").length;
    expect(loads).toEqual({ alice: aliceBefore - 2, bob: ctx.itemsOf("bob").length, carol: 2 });
    expect(res.body.assignment.auditors).toEqual(["alice", "bob", "carol"]);
    expect(res.body.assignment.notes.at(-1)).toMatch(/2 item\(s\) reassigned to carol by lead key/);
    const sample = await ctx.call("GET", `/v1/samples/${ctx.sample}`, { key: ctx.keys.viewer });
    expect(sample.body.assignment).toEqual(res.body.assignment);
    expect(sample.body.progress.byAuditor.find((a: { auditor: string }) => a.auditor === "carol")).toEqual({
      auditor: "carol",
      assigned: 2,
      done: 0,
      skipped: 0,
      todo: 2,
    });
    // Carol's queue has both, todo; alice's no longer does.
    const carol = await ctx.call("GET", "/v1/work", { key: ctx.auditors.carol });
    expect(carol.body.items.map((i: { decisionId: string }) => i.decisionId).sort()).toEqual(
      [a0.id, a1.id].sort(),
    );
    expect(
      carol.body.items.every(
        (i: { status: string; skip: unknown }) => i.status === "todo" && i.skip === null,
      ),
    ).toBe(true);
    const alice = await ctx.call("GET", "/v1/work?status=all", { key: ctx.keys.auditor });
    expect(alice.body.items[0].decisionId).toBe(a2.id);
    // Giving carol her own items again changes nothing.
    const again = await ctx.call("POST", reassignPath(ctx.sample), {
      key: ctx.keys.lead,
      json: { items: [a0.id], auditor: "carol" },
    });
    expect(again.body).toMatchObject({ reassigned: [], unchanged: [a0.id] });
    expect(again.body.assignment).toEqual(res.body.assignment);
  });

  it("refuses, all or nothing: items with a verdict (409 already_audited), the item's own moderator (400 self_review), items not drawn (400), each named", async () => {
    const ctx = await workContext(12);
    const [a0, a1] = ctx.itemsOf("alice");
    await ctx.call("PUT", verdictPath(ctx.sample, a0.id), {
      key: ctx.keys.auditor,
      json: { outcome: "correct" },
    });
    const audited = await ctx.call("POST", reassignPath(ctx.sample), {
      key: ctx.keys.lead,
      json: { items: [a1.id, a0.id], auditor: "bob" },
    });
    expect(audited.status).toBe(409);
    expect(audited.body.error.code).toBe("already_audited");
    expect(audited.body.error.details).toEqual([
      {
        path: "items.1",
        message: "already has a verdict",
        decisionId: a0.id,
        code: "already_audited",
        params: {},
      },
    ]);

    const own = await ctx.call("POST", reassignPath(ctx.sample), {
      key: ctx.keys.lead,
      json: { items: [a1.id], auditor: a1.moderator },
    });
    expect(own.status).toBe(400);
    expect(own.body.error.code).toBe("self_review");
    expect(own.body.error.details[0]).toMatchObject({ path: "items.0", decisionId: a1.id });

    const missing = await ctx.call("POST", reassignPath(ctx.sample), {
      key: ctx.keys.lead,
      json: { items: [a1.id, "nope"], auditor: "bob" },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([
      expect.objectContaining({
        path: "items.1",
        message: "not drawn in this sample",
        decisionId: "nope",
        code: "not_drawn",
      }),
    ]);
    // Nothing moved.
    const items = (await ctx.call("GET", `/v1/samples/${ctx.sample}/items`, { key: ctx.keys.viewer })).body
      .items;
    expect(items.find((i: { id: string }) => i.id === a1.id).auditor).toBe("alice");
  });

  it("needs a lead (auditors and viewers 403), an existing sample (404) that has been assigned (409 sample_not_assigned)", async () => {
    const ctx = await workContext(6);
    const [a0] = ctx.itemsOf("alice");
    const json = { items: [a0.id], auditor: "carol" };
    expect((await ctx.call("POST", reassignPath(ctx.sample), { key: ctx.keys.auditor, json })).status).toBe(
      403,
    );
    expect((await ctx.call("POST", reassignPath(ctx.sample), { key: ctx.keys.viewer, json })).status).toBe(
      403,
    );
    expect((await ctx.call("POST", reassignPath("nope"), { key: ctx.keys.lead, json })).status).toBe(404);
    expect((await ctx.call("POST", reassignPath(ctx.sample), { key: ctx.keys.admin, json })).status).toBe(
      200,
    );
    expect(
      (
        await ctx.call("POST", reassignPath(ctx.sample), {
          key: ctx.keys.lead,
          json: { items: [], auditor: "x" },
        })
      ).status,
    ).toBe(400);
    const unassigned = await workContext(4, null);
    const res = await unassigned.call("POST", reassignPath(unassigned.sample), {
      key: unassigned.keys.lead,
      json: { items: [unassigned.items[0].id], auditor: "carol" },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("sample_not_assigned");
  });
});
