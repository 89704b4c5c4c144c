import { describe, expect, it, vi } from "vitest";
import { openDatabase } from "../../src/db/open.ts";
import { verdictAuditId } from "../../src/sampling/verdict-id.ts";
import { onPostgres, testSchemaUrl } from "../database.ts";
import { auditorKey, testContext } from "../helpers.ts";
import { decision, drawSample, storedAudits, verdictPath, workContext } from "./fixture.ts";

describe("PUT /v1/samples/:id/items/:itemId/verdict", () => {
  it("the assigned auditor's verdict is one audit with the deterministic id, the decision's fields from the population and auditedAt now", async () => {
    const ctx = await workContext(10);
    const item = ctx.itemsOf("alice")[0];
    const index = Number(item.id.slice(2));
    const before = Date.now();
    const res = await ctx.call("PUT", verdictPath(ctx.sample, item.id), {
      key: ctx.keys.auditor,
      json: {
        outcome: "incorrect",
        errorType: "wrong-policy",
        severity: 3,
        correctPolicy: "P9",
        notes: "정책 오적용",
      },
    });
    expect(res.status).toBe(201);
    const id = verdictAuditId(ctx.sample, item.id);
    expect(res.body).toMatchObject({
      sampleId: ctx.sample,
      decisionId: item.id,
      auditor: "alice",
      status: "done",
      changed: true,
      revision: 1,
      verdict: {
        auditId: id,
        auditor: "alice",
        outcome: "incorrect",
        errorType: "wrong-policy",
        severity: 3,
        correctPolicy: "P9",
        notes: "정책 오적용",
        revision: 1,
        recordedBy: "alice",
      },
    });
    const audits = await storedAudits(ctx);
    expect(audits).toHaveLength(1);
    const source = decision(index);
    expect(audits[0]).toMatchObject({
      id,
      decisionId: item.id,
      sampleId: ctx.sample,
      queue: source.queue,
      moderator: source.moderator,
      policy: source.policy,
      market: "KR",
      decidedAt: "2026-11-20T10:00:00Z",
      auditor: "alice",
      outcome: "incorrect",
      errorType: "wrong-policy",
      correctPolicy: "P9",
      recordedBy: "alice",
    });
    const auditedAt = audits[0].auditedAt as string;
    expect(auditedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(auditedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(auditedAt)).toBeLessThanOrEqual(Date.now() + 1);
  });

  it("PUT twice with the same verdict is one audit: 201 then 200 changed:false", async () => {
    const ctx = await workContext(10);
    const item = ctx.itemsOf("alice")[0];
    const body = { outcome: "correct", severity: 1, notes: "ok" };
    const first = await ctx.call("PUT", verdictPath(ctx.sample, item.id), {
      key: ctx.keys.auditor,
      json: body,
    });
    const second = await ctx.call("PUT", verdictPath(ctx.sample, item.id), {
      key: ctx.keys.auditor,
      json: body,
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ changed: false, revision: 1, status: "done" });
    expect(second.body.verdict).toEqual(first.body.verdict);
    expect(await storedAudits(ctx)).toHaveLength(1);
  });

  it("another verdict on an audited item is a new revision of the same audit, with its reason in the history", async () => {
    const ctx = await workContext(10);
    const item = ctx.itemsOf("alice")[0];
    const path = verdictPath(ctx.sample, item.id);
    await ctx.call("PUT", path, {
      key: ctx.keys.auditor,
      json: { outcome: "incorrect", errorType: "false-positive" },
    });
    const fixed = await ctx.call("PUT", path, {
      key: ctx.keys.auditor,
      json: { outcome: "correct", notes: "misclicked", reason: "wrong key" },
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({
      changed: true,
      revision: 2,
      verdict: { outcome: "correct", errorType: null, notes: "misclicked", revision: 2 },
    });
    const audits = await storedAudits(ctx);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ outcome: "correct", errorType: null, revision: 2 });
    const history = await ctx.call("GET", `/v1/audits/${verdictAuditId(ctx.sample, item.id)}/history`, {
      key: ctx.keys.viewer,
    });
    expect(history.status).toBe(200);
    expect(history.body.revisions).toHaveLength(2);
    expect(history.body.revisions[1]).toMatchObject({ revision: 2, changedBy: "alice", reason: "wrong key" });
    // The same corrected verdict again changes nothing.
    const again = await ctx.call("PUT", path, {
      key: ctx.keys.auditor,
      json: { outcome: "correct", notes: "misclicked" },
    });
    expect(again.body).toMatchObject({ changed: false, revision: 2 });
  });

  it("an auditor may not record on another auditor's item (403 not_assigned) nor as someone else; viewers get 403", async () => {
    const ctx = await workContext(10);
    const bobs = ctx.itemsOf("bob")[0];
    const other = await ctx.call("PUT", verdictPath(ctx.sample, bobs.id), {
      key: ctx.keys.auditor,
      json: { outcome: "correct" },
    });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe("not_assigned");
    const mine = ctx.itemsOf("alice")[0];
    const asBob = await ctx.call("PUT", verdictPath(ctx.sample, mine.id), {
      key: ctx.keys.auditor,
      json: { outcome: "correct", auditor: "bob" },
    });
    expect(asBob.status).toBe(403);
    const viewer = await ctx.call("PUT", verdictPath(ctx.sample, mine.id), {
      key: ctx.keys.viewer,
      json: { outcome: "correct" },
    });
    expect(viewer.status).toBe(403);
    expect(await storedAudits(ctx)).toHaveLength(0);
  });

  it("a lead records for the assigned auditor: the audit names that auditor and recordedBy the lead key", async () => {
    const ctx = await workContext(10);
    const item = ctx.itemsOf("bob")[0];
    const res = await ctx.call("PUT", verdictPath(ctx.sample, item.id), {
      key: ctx.keys.lead,
      json: { outcome: "correct" },
    });
    expect(res.status).toBe(201);
    expect(res.body.verdict).toMatchObject({ auditor: "bob", recordedBy: "lead key" });
    const [audit] = await storedAudits(ctx);
    expect(audit).toMatchObject({ auditor: "bob", recordedBy: "lead key" });
    // Naming another auditor than the assigned one is refused.
    const other = ctx.itemsOf("bob")[1];
    const wrong = await ctx.call("PUT", verdictPath(ctx.sample, other.id), {
      key: ctx.keys.admin,
      json: { outcome: "correct", auditor: "alice" },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe("not_assigned");
    // Bob's item is now done: the work queue shows the lead's verdict as bob's.
    const queue = await ctx.call("GET", "/v1/work?status=done", { key: ctx.auditors.bob });
    expect(queue.body.items.map((i: { decisionId: string }) => i.decisionId)).toEqual([item.id]);
  });

  it("an unassigned item: auditors get 403, a lead must name the auditor (400 auditor_required) and then records as that auditor", async () => {
    const ctx = await workContext(6, null);
    const item = ctx.items.find((i) => i.moderator !== "alice")!;
    const path = verdictPath(ctx.sample, item.id);
    const auditor = await ctx.call("PUT", path, { key: ctx.keys.auditor, json: { outcome: "correct" } });
    expect(auditor.status).toBe(403);
    expect(auditor.body.error.code).toBe("not_assigned");
    const lead = await ctx.call("PUT", path, { key: ctx.keys.lead, json: { outcome: "correct" } });
    expect(lead.status).toBe(400);
    expect(lead.body.error.code).toBe("auditor_required");
    const named = await ctx.call("PUT", path, {
      key: ctx.keys.lead,
      json: { outcome: "correct", auditor: "alice" },
    });
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({
      auditor: null,
      verdict: { auditor: "alice", recordedBy: "lead key" },
    });
    // The verdict belongs to alice: a lead naming someone else for the same item gets 409.
    const other = await ctx.call("PUT", path, {
      key: ctx.keys.lead,
      json: { outcome: "incorrect", errorType: "other", auditor: "zoe" },
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("already_audited");
  });

  it("an auditor never audits their own decision: 403 self_review, for a lead naming the moderator and for an item assigned to its moderator", async () => {
    const ctx = await workContext(6, null);
    const item = ctx.items[0];
    const res = await ctx.call("PUT", verdictPath(ctx.sample, item.id), {
      key: ctx.keys.lead,
      json: { outcome: "correct", auditor: item.moderator },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("self_review");
    // An assignment made outside the rules (written directly): the verdict route checks again.
    await ctx.db.run("UPDATE sample_items SET auditor = ? WHERE sample_id = ? AND decision_id = ?", [
      item.moderator,
      ctx.sample,
      item.id,
    ]);
    const key = await auditorKey(ctx, item.moderator);
    const own = await ctx.call("PUT", verdictPath(ctx.sample, item.id), {
      key,
      json: { outcome: "correct" },
    });
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe("self_review");
    expect(await storedAudits(ctx)).toHaveLength(0);
  });

  it("validates as POST /v1/audits: incorrect needs errorType, correct has none, severity 1–4, text limits; nothing stored", async () => {
    const ctx = await workContext(6);
    const path = verdictPath(ctx.sample, ctx.itemsOf("alice")[0].id);
    const cases: [unknown, string][] = [
      [{ outcome: "incorrect" }, "errorType"],
      [{ outcome: "correct", errorType: "other" }, "errorType"],
      [{ outcome: "correct", severity: 5 }, "severity"],
      [{ outcome: "correct", severity: 0 }, "severity"],
      [{ outcome: "maybe" }, "outcome"],
      [{ outcome: "correct", notes: "x".repeat(20_001) }, "notes"],
      [{ outcome: "correct", correctPolicy: "x".repeat(501) }, "correctPolicy"],
      [{ outcome: "correct", queue: "spam" }, ""],
    ];
    for (const [json, field] of cases) {
      const res = await ctx.call("PUT", path, { key: ctx.keys.auditor, json });
      expect({ json, status: res.status }).toEqual({ json, status: 400 });
      if (field) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
    expect(await storedAudits(ctx)).toHaveLength(0);
  });

  it("the body must be JSON (415 otherwise), parse (400 malformed_request) and fit the body limit (413)", async () => {
    const ctx = await workContext(4);
    const path = verdictPath(ctx.sample, ctx.itemsOf("alice")[0].id);
    const csv = await ctx.call("PUT", path, {
      key: ctx.keys.auditor,
      body: "outcome\ncorrect",
      headers: { "content-type": "text/csv" },
    });
    expect(csv.status).toBe(415);
    const broken = await ctx.call("PUT", path, {
      key: ctx.keys.auditor,
      body: '{"outcome": ',
      headers: { "content-type": "application/json" },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe("malformed_request");
    const big = await ctx.call("PUT", path, {
      key: ctx.keys.auditor,
      json: { outcome: "correct", notes: "x".repeat(ctx.config.bodyLimit) },
    });
    expect(big.status).toBe(413);
    expect(await storedAudits(ctx)).toHaveLength(0);
    // Without a key the body is never read: 401.
    expect((await ctx.call("PUT", path, { json: { outcome: "correct" } })).status).toBe(401);
  });

  it("unknown sample or item → 404; ids with slashes, percent signs and Korean are URL-encoded", async () => {
    const ctx = await testContext();
    const ids = ["a/b", "50%?x=1#y", "결정 1", "d-3"];
    const { sample } = await drawSample(
      ctx,
      ids.map((id, i) => decision(i, id)),
      ["alice", "bob"],
    );
    const items = (await ctx.call("GET", `/v1/samples/${sample}/items`, { key: ctx.keys.viewer })).body
      .items as {
      id: string;
      auditor: string;
    }[];
    for (const item of items) {
      const key = item.auditor === "alice" ? ctx.keys.auditor : ctx.keys.lead;
      const res = await ctx.call("PUT", verdictPath(sample, item.id), { key, json: { outcome: "correct" } });
      expect({ id: item.id, status: res.status }).toEqual({ id: item.id, status: 201 });
      expect(res.body.decisionId).toBe(item.id);
      expect(res.body.verdict.auditId).toBe(verdictAuditId(sample, item.id));
    }
    const noItem = await ctx.call("PUT", verdictPath(sample, "nope"), {
      key: ctx.keys.lead,
      json: { outcome: "correct" },
    });
    expect(noItem.status).toBe(404);
    const noSample = await ctx.call("PUT", verdictPath("nope", "d-3"), {
      key: ctx.keys.lead,
      json: { outcome: "correct" },
    });
    expect(noSample.status).toBe(404);
    expect(noSample.body.error.message).toMatch(/sample/);
  });

  it("concurrent PUTs of one item store one audit and never answer 5xx", async () => {
    const ctx = await workContext(10);
    const item = ctx.itemsOf("alice")[0];
    const path = verdictPath(ctx.sample, item.id);
    const same = await Promise.all(
      Array.from({ length: 8 }, () =>
        ctx.call("PUT", path, { key: ctx.keys.auditor, json: { outcome: "correct" } }),
      ),
    );
    expect(same.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    // Different verdicts at once: each is stored as the audit or a revision of it, one audit in the end.
    const other = ctx.itemsOf("alice")[1];
    const mixed = await Promise.all(
      ["false-positive", "false-negative", "other", null, "wrong-policy", null].map((errorType) =>
        ctx.call("PUT", verdictPath(ctx.sample, other.id), {
          key: ctx.keys.auditor,
          json: errorType ? { outcome: "incorrect", errorType } : { outcome: "correct" },
        }),
      ),
    );
    expect(mixed.map((r) => (r.status >= 300 ? r.body : r.status))).toEqual(
      mixed.map((r) => (r.status === 201 ? 201 : 200)),
    );
    expect(mixed.filter((r) => r.status === 201)).toHaveLength(1);
    const audits = await storedAudits(ctx);
    expect(audits.map((a) => a.id).sort()).toEqual(
      [verdictAuditId(ctx.sample, item.id), verdictAuditId(ctx.sample, other.id)].sort(),
    );
  });

  it("the current verdict is the latest audit naming the item's sample and decision, however it arrived", async () => {
    const ctx = await workContext(6);
    const item = ctx.itemsOf("alice")[0];
    const index = Number(item.id.slice(2));
    const posted = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.auditor,
      json: {
        id: "posted-1",
        decisionId: item.id,
        sampleId: ctx.sample,
        queue: decision(index).queue,
        moderator: decision(index).moderator,
        auditor: "alice",
        outcome: "incorrect",
        errorType: "other",
        auditedAt: "2026-11-24T09:00:00Z",
      },
    });
    expect(posted.status).toBe(200);
    const done = await ctx.call("GET", "/v1/work?status=done", { key: ctx.keys.auditor });
    expect(done.body.items).toHaveLength(1);
    expect(done.body.items[0].verdict).toMatchObject({ auditId: "posted-1", outcome: "incorrect" });
    const put = await ctx.call("PUT", verdictPath(ctx.sample, item.id), {
      key: ctx.keys.auditor,
      json: { outcome: "correct" },
    });
    expect(put.status).toBe(201);
    expect(put.body.verdict).toMatchObject({
      auditId: verdictAuditId(ctx.sample, item.id),
      outcome: "correct",
    });
  });

  it("a stored verdict schedules alert evaluation after the commit; a revision marks the kept scans stale", async () => {
    const ctx = await workContext(6);
    const ingested = vi.spyOn(ctx.alerts, "auditsIngested");
    const revised = vi.spyOn(ctx.alerts, "auditsRevised");
    const path = verdictPath(ctx.sample, ctx.itemsOf("alice")[0].id);
    await ctx.call("PUT", path, { key: ctx.keys.auditor, json: { outcome: "correct" } });
    expect(ingested).toHaveBeenCalledWith(1);
    await ctx.call("PUT", path, { key: ctx.keys.auditor, json: { outcome: "correct" } });
    expect(ingested).toHaveBeenCalledTimes(1);
    expect(revised).not.toHaveBeenCalled();
    await ctx.call("PUT", path, {
      key: ctx.keys.auditor,
      json: { outcome: "incorrect", errorType: "other" },
    });
    expect(revised).toHaveBeenCalledTimes(1);
  });
});

describe.skipIf(!onPostgres)(
  "verdicts from two instances (PostgreSQL only: SQLite has one writer process)",
  () => {
    it("two instances PUT the same items at once: one audit per item, revisions numbered without gaps, no 5xx", async () => {
      const url = await testSchemaUrl();
      const first = await testContext(
        {},
        undefined,
        await openDatabase({ dataDir: ":memory:", databaseUrl: url, poolSize: 4 }),
      );
      const second = await testContext(
        {},
        undefined,
        await openDatabase({ dataDir: ":memory:", databaseUrl: url, poolSize: 4 }),
      );
      const { sample } = await drawSample(
        first,
        Array.from({ length: 8 }, (_, i) => decision(i)),
        ["alice", "bob"],
      );
      const items = (await first.call("GET", `/v1/samples/${sample}/items`, { key: first.keys.viewer })).body
        .items as {
        id: string;
        auditor: string;
      }[];
      const mine = items.filter((i) => i.auditor === "alice").map((i) => i.id);
      const verdicts = [
        { outcome: "correct" },
        { outcome: "incorrect", errorType: "other" },
        { outcome: "correct" },
      ];
      const answers = await Promise.all(
        mine.flatMap((id) =>
          verdicts.flatMap((json) =>
            [first, second].map((ctx) =>
              ctx.call("PUT", verdictPath(sample, id), { key: ctx.keys.auditor, json }),
            ),
          ),
        ),
      );
      expect(answers.filter((r) => r.status >= 300).map((r) => r.body)).toEqual([]);
      expect(answers.filter((r) => r.status === 201)).toHaveLength(mine.length);
      const audits = await storedAudits(first);
      expect(audits.map((a) => a.id).sort()).toEqual(mine.map((id) => verdictAuditId(sample, id)).sort());
      for (const audit of audits) {
        const history = await first.call("GET", `/v1/audits/${audit.id}/history`, { key: first.keys.viewer });
        expect(history.body.revisions.map((r: { revision: number }) => r.revision)).toEqual(
          Array.from({ length: audit.revision as number }, (_, i) => i + 1),
        );
      }
      await first.db.close();
      await second.db.close();
    });
  },
);
