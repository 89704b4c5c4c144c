import { describe, expect, it } from "vitest";
import { auditorKey, storeAudits, type TestContext, testContext } from "../helpers.ts";

const HOUR = 3_600_000;

function audit(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    decisionId: `d-${id}`,
    queue: "hate",
    moderator: "m1",
    auditor: "alice",
    outcome: "correct",
    auditedAt: "2026-11-24T09:30:00+09:00",
    ...extra,
  };
}

async function store(ctx: TestContext, rows: Record<string, unknown>[]) {
  const res = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: rows });
  expect(res.status).toBe(200);
}

const revise = (ctx: TestContext, id: string, json: object, key = ctx.keys.lead) =>
  ctx.call("POST", `/v1/audits/${encodeURIComponent(id)}/revisions`, { key, json });

const history = async (ctx: TestContext, id: string) =>
  (await ctx.call("GET", `/v1/audits/${encodeURIComponent(id)}/history`, { key: ctx.keys.viewer })).body;

describe("audit revisions", () => {
  it("a correction keeps the id, the audit reads as its latest revision and the history lists both", async () => {
    const ctx = await testContext();
    await store(ctx, [audit("a/1", { outcome: "incorrect", errorType: "false-negative", severity: 3 })]);
    const res = await revise(ctx, "a/1", {
      outcome: "correct",
      notes: "misread the clip",
      reason: "wrong key",
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ auditId: "a/1", changed: true, revision: 2 });
    const listed = (await ctx.call("GET", "/v1/audits", { key: ctx.keys.viewer })).body.audits;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      id: "a/1",
      outcome: "correct",
      errorType: null,
      severity: 3,
      notes: "misread the clip",
      revision: 2,
    });
    const { revisions } = await history(ctx, "a/1");
    expect(revisions).toEqual([
      expect.objectContaining({
        revision: 1,
        outcome: "incorrect",
        errorType: "false-negative",
        reason: null,
      }),
      expect.objectContaining({
        revision: 2,
        outcome: "correct",
        errorType: null,
        reason: "wrong key",
        changedBy: "lead key",
      }),
    ]);
    expect(revisions[0].changedAt).toBe("2026-11-24T09:30:00+09:00");
  });

  it("reports count the latest revision only", async () => {
    const ctx = await testContext();
    await store(ctx, [audit("r1", { outcome: "incorrect", errorType: "other" }), audit("r2")]);
    await revise(ctx, "r1", { outcome: "correct", reason: "re-checked" });
    await revise(ctx, "r2", { outcome: "incorrect", errorType: "false-positive", reason: "re-checked" });
    const quality = await ctx.call("GET", "/v1/quality?from=2026-11-01&to=2026-11-30&tz=UTC", {
      key: ctx.keys.viewer,
    });
    expect(quality.body.overall).toMatchObject({ audited: 2, errors: 1 });
  });

  it("a revision that changes nothing answers changed: false and writes no history", async () => {
    const ctx = await testContext();
    await store(ctx, [audit("same", { notes: "ok" })]);
    const res = await revise(ctx, "same", { outcome: "correct", notes: "ok", reason: "no-op" });
    expect(res.body).toEqual({ auditId: "same", changed: false, revision: 1 });
    expect((await history(ctx, "same")).revisions).toHaveLength(1);
  });

  it("an invalid result is a 400 naming the field, and nothing changes", async () => {
    const ctx = await testContext();
    await store(ctx, [audit("bad")]);
    const res = await revise(ctx, "bad", { outcome: "incorrect" });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "invalid_revision", details: [{ path: "errorType" }] });
    const unknown = await revise(ctx, "bad", { moderator: "someone else" });
    expect(unknown.status).toBe(400);
    expect((await history(ctx, "bad")).revisions).toHaveLength(1);
  });

  it("auditors correct only their own audits; viewers none; an unknown id is a 404", async () => {
    const ctx = await testContext();
    await store(ctx, [audit("alices"), audit("bobs", { auditor: "bob" })]);
    expect((await revise(ctx, "alices", { notes: "mine" }, ctx.keys.auditor)).status).toBe(200);
    const other = await revise(ctx, "bobs", { notes: "not mine" }, ctx.keys.auditor);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe("not_own_audit");
    expect((await revise(ctx, "bobs", { notes: "bob's" }, await auditorKey(ctx, "bob"))).status).toBe(200);
    expect((await revise(ctx, "bobs", { notes: "x" }, ctx.keys.viewer)).status).toBe(403);
    expect((await revise(ctx, "nope", { notes: "x" })).status).toBe(404);
    expect((await ctx.call("GET", "/v1/audits/nope/history", { key: ctx.keys.viewer })).status).toBe(404);
    expect((await history(ctx, "alices")).revisions[1]).toMatchObject({ changedBy: "alice", notes: "mine" });
  });

  it("re-sending a superseded verdict is a duplicate; new content is a 409 (corrections go through revisions)", async () => {
    const ctx = await testContext();
    await store(ctx, [audit("orig"), audit("other")]);
    await revise(ctx, "orig", { outcome: "incorrect", errorType: "other", reason: "second look" });
    await revise(ctx, "orig", {
      outcome: "incorrect",
      errorType: "other",
      severity: 2,
      reason: "third look",
    });
    // Yesterday's file again (the original), and an export taken between the corrections: nothing new, no 409.
    const again = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.lead,
      json: [audit("orig"), audit("other")],
    });
    expect(again.body).toEqual({ inserted: 0, duplicates: 2 });
    const middle = audit("orig", { outcome: "incorrect", errorType: "other" });
    expect((await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: middle })).body.duplicates).toBe(
      1,
    );
    // The audit still reads as its latest revision.
    expect((await history(ctx, "orig")).revisions.map((r: { revision: number }) => r.revision)).toEqual([
      1, 2, 3,
    ]);
    const listed = await ctx.call("GET", "/v1/audits", { key: ctx.keys.viewer });
    expect(listed.body.audits.find((a: { id: string }) => a.id === "orig")).toMatchObject({
      severity: 2,
      revision: 3,
    });
    // Content no revision ever had is a conflict, on a corrected audit and on an uncorrected one.
    for (const changed of [
      audit("orig", { outcome: "incorrect", errorType: "false-positive" }),
      audit("orig", { notes: "sneaky" }),
      audit("other", { notes: "sneaky" }),
    ]) {
      const res = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: changed });
      expect(res.status).toBe(409);
    }
  });

  it("an export uploads back as duplicates: the fields the server sets are ignored on upload", async () => {
    const ctx = await testContext();
    await store(ctx, [audit("e1", { correctPolicy: "hate.slur" })]);
    await revise(ctx, "e1", { notes: "checked", reason: "note" });
    const ndjson = (await ctx.call("GET", "/v1/audits?format=ndjson", { key: ctx.keys.viewer })).text;
    expect(JSON.parse(ndjson.trim())).toMatchObject({
      recordedBy: "lead key",
      revision: 2,
      correctPolicy: "hate.slur",
    });
    const back = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.lead,
      body: ndjson,
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(back.body).toEqual({ inserted: 0, duplicates: 1 });
  });
});

describe("alerts after a correction", () => {
  const start = Date.parse("2026-11-24T12:00:00Z");
  const rows = (n: number, errors: number) =>
    Array.from({ length: n }, (_, i) =>
      audit(`t${i}`, {
        auditedAt: new Date(start - 2 * HOUR + i * 1000).toISOString(),
        ...(i < errors ? { outcome: "incorrect", errorType: "false-negative" } : {}),
      }),
    );

  async function clockedWithRule() {
    const ctx = await testContext({}, { now: () => start });
    const rule = await ctx.call("POST", "/v1/alert-rules", {
      key: ctx.keys.lead,
      json: {
        name: "hate errors",
        severity: "warning",
        scope: { queue: "hate" },
        condition: { kind: "threshold", maxRate: 0.1, window: { days: 1 }, minAudited: 3, evidence: "point" },
      },
    });
    expect(rule.status).toBe(201);
    await ctx.alerts.flush(); // the evaluation the new rule scheduled, before the test's own steps
    return ctx;
  }

  const states = async (ctx: TestContext) =>
    (await ctx.call("GET", "/v1/alerts", { key: ctx.keys.viewer })).body.alerts.map(
      (a: { state: string }) => a.state,
    );

  it("a correction that turns the errors correct resolves the alert, as a fresh evaluation would", async () => {
    const ctx = await clockedWithRule();
    await store(ctx, rows(10, 2));
    expect(await states(ctx)).toEqual(["firing"]);
    await ctx.alerts.evaluateAll(); // the kept scan now holds both errors
    await revise(ctx, "t0", { outcome: "correct", reason: "undo" });
    await revise(ctx, "t1", { outcome: "correct", reason: "undo" });
    expect(await states(ctx)).toEqual(["resolved"]);
    const fresh = await testContext({}, { now: () => start }, ctx.db);
    expect(await fresh.alerts.evaluateAll()).toMatchObject({ fired: 0, resolved: 0 });
  });

  it("a correction made before the evaluation prevents the alert", async () => {
    const ctx = await clockedWithRule();
    await ctx.alerts.evaluateAll(); // keeps an (empty) scan of the window
    // Stored without telling the alerting runtime, so no evaluation can run before the correction.
    await storeAudits(ctx.db, rows(10, 2) as Parameters<typeof storeAudits>[1]);
    await revise(ctx, "t0", { outcome: "correct", reason: "wrong key" });
    expect(await states(ctx)).toEqual([]);
    expect(await ctx.alerts.evaluateAll()).toMatchObject({ fired: 0 });
  });
});
