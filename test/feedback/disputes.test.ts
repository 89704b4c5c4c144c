import { describe, expect, it } from "vitest";
import { insertDispute } from "../../src/db/disputes.ts";
import { createKey } from "../../src/db/keys.ts";
import { auditorKey, storeAudits, testContext } from "../helpers.ts";
import {
  DAY,
  type DisputeContext,
  disputeContext,
  leadView,
  openDispute,
  review,
  storeAudit,
} from "./disputes-fixture.ts";

const post = (
  ctx: DisputeContext,
  auditId: string,
  key: string,
  json: unknown = { reason: "not an error" },
) => ctx.call("POST", `/v1/audits/${encodeURIComponent(auditId)}/disputes`, { key, json });

const decide = (ctx: DisputeContext, id: string, json: unknown, key = ctx.keys.lead) =>
  ctx.call("POST", `/v1/disputes/${id}/decision`, { key, json });

async function qualityOfM1(ctx: DisputeContext) {
  const res = await ctx.call("GET", "/v1/quality?moderator=m1", { key: ctx.keys.viewer });
  expect(res.status).toBe(200);
  return res.body.overall as { audited: number; errors: number };
}

describe("the life of a dispute", () => {
  it("a moderator disputes an incorrect verdict; another auditor reviews it; the same verdict upholds it", async () => {
    const ctx = await disputeContext();
    await storeAudit(ctx, "a1", { notes: "missed the slur" });
    const opened = await openDispute(ctx, "a1", ctx.moderators.m1, "the word is reclaimed here");
    expect(opened).toMatchObject({
      state: "open",
      auditId: "a1",
      moderator: "m1",
      queue: "hate",
      reviewer: null, // hidden from moderator keys by default
      auditor: null,
      reason: "the word is reclaimed here",
      openedBy: "m1",
      resolvedAt: null,
      review: null,
      verdict: { outcome: "incorrect", errorType: "false-negative", notes: "missed the slur" },
    });
    // alice audited it: the reviewer is the least loaded other auditor, ties by name.
    expect((await leadView(ctx, opened.id)).reviewer).toBe("bob");

    ctx.clock.now += 3_600_000;
    const reviewed = await review(ctx, opened.id, "bob", {
      outcome: "incorrect",
      errorType: "false-negative",
      severity: 2,
      notes: "agree",
    });
    expect(reviewed).toMatchObject({
      state: "upheld",
      blind: false,
      auditor: "alice",
      reason: "the word is reclaimed here",
      ageMs: 3_600_000,
      review: { outcome: "incorrect", errorType: "false-negative", severity: 2, agreed: true },
      leadDecision: null,
    });
    expect(reviewed.resolvedAt).toBe(new Date(ctx.clock.now).toISOString());

    const mine = await ctx.call("GET", `/v1/disputes/${opened.id}`, { key: ctx.moderators.m1 });
    expect(mine.body).toMatchObject({ state: "upheld", auditor: null, reviewer: null });
    // The original auditor sees it once resolved.
    expect((await ctx.call("GET", `/v1/disputes/${opened.id}`, { key: ctx.auditors.alice })).status).toBe(
      200,
    );
    // The audit is unchanged, and this verdict was disputed once.
    const history = await ctx.call("GET", "/v1/audits/a1/history", { key: ctx.keys.viewer });
    expect(history.body.revisions).toHaveLength(1);
    const again = await post(ctx, "a1", ctx.moderators.m1);
    expect([again.status, again.body.error.code]).toEqual([409, "already_disputed"]);
  });

  it("a different verdict escalates; a lead overturns it: a revision naming the dispute, and reports use it", async () => {
    const ctx = await disputeContext();
    await storeAudit(ctx, "a1");
    await storeAudit(ctx, "a2", { incorrect: false });
    expect(await qualityOfM1(ctx)).toMatchObject({ audited: 2, errors: 1 });
    const opened = await openDispute(ctx, "a1");
    const escalated = await review(ctx, opened.id, "bob", { outcome: "correct", notes: "within policy" });
    expect(escalated).toMatchObject({ state: "escalated", resolvedAt: null, review: { agreed: false } });
    // Not yet: the verdict stands until a lead decides.
    expect(await qualityOfM1(ctx)).toMatchObject({ errors: 1 });
    expect((await review2(ctx, opened.id)).body.error.code).toBe("review_already_recorded");

    const decided = await decide(ctx, opened.id, { final: "overturned", note: "context makes it fine" });
    expect(decided.status, decided.text).toBe(200);
    expect(decided.body).toMatchObject({
      state: "overturned",
      leadDecision: { final: "overturned", by: "lead key", note: "context makes it fine" },
      verdict: { outcome: "incorrect", errorType: "false-negative" },
    });
    const history = await ctx.call("GET", "/v1/audits/a1/history", { key: ctx.keys.viewer });
    expect(history.body.revisions).toHaveLength(2);
    expect(history.body.revisions[1]).toMatchObject({
      revision: 2,
      outcome: "correct",
      errorType: null,
      notes: "within policy",
      changedBy: "lead key",
      reason: `dispute ${opened.id} overturned: context makes it fine`,
    });
    const listed = await ctx.call("GET", "/v1/audits", { key: ctx.keys.viewer });
    expect(listed.body.audits.find((a: { id: string }) => a.id === "a1")).toMatchObject({
      outcome: "correct",
      revision: 2,
    });
    expect(await qualityOfM1(ctx)).toMatchObject({ audited: 2, errors: 0 });

    // Decided once; and the audit is now correct, so it cannot be disputed.
    const twice = await decide(ctx, opened.id, { final: "upheld", note: "changed my mind" });
    expect([twice.status, twice.body.error.code]).toEqual([409, "dispute_resolved"]);
    const more = await post(ctx, "a1", ctx.moderators.m1);
    expect([more.status, more.body.error.code]).toEqual([409, "audit_not_incorrect"]);
  });

  it("a lead upholding an escalated dispute leaves the audit as it was", async () => {
    const ctx = await disputeContext();
    await storeAudit(ctx, "a1");
    const opened = await openDispute(ctx, "a1");
    await review(ctx, opened.id, "bob", { outcome: "incorrect", errorType: "wrong-policy" });
    const decided = await decide(ctx, opened.id, { final: "upheld", note: "the original type is right" });
    expect(decided.body).toMatchObject({ state: "upheld", leadDecision: { final: "upheld" } });
    const history = await ctx.call("GET", "/v1/audits/a1/history", { key: ctx.keys.viewer });
    expect(history.body.revisions).toHaveLength(1);
    expect(await qualityOfM1(ctx)).toMatchObject({ errors: 1 });
  });

  it("an overturn to another error type takes the reviewer's whole verdict; the new verdict may be disputed, by a new reviewer", async () => {
    const ctx = await disputeContext();
    await storeAudit(ctx, "a1", { severity: 1, notes: "first notes" });
    const first = await openDispute(ctx, "a1");
    await review(ctx, first.id, "bob", {
      outcome: "incorrect",
      errorType: "wrong-policy",
      severity: 3,
      correctPolicy: "P-harassment",
      notes: "second notes",
    });
    expect((await decide(ctx, first.id, { final: "overturned", note: "bob is right" })).status).toBe(200);
    const listed = await ctx.call("GET", "/v1/audits", { key: ctx.keys.viewer });
    expect(listed.body.audits[0]).toMatchObject({
      id: "a1",
      outcome: "incorrect",
      errorType: "wrong-policy",
      severity: 3,
      correctPolicy: "P-harassment",
      notes: "second notes",
      revision: 2,
    });
    // Revision 2 is a new verdict against the moderator: disputable; alice (auditor) and bob (reviewed it) are out.
    const second = await openDispute(ctx, "a1");
    expect(second).toMatchObject({ auditRevision: 2, verdict: { errorType: "wrong-policy" } });
    expect((await leadView(ctx, second.id)).reviewer).toBe("carol");
  });
});

/** A second review by bob, which must be refused. */
function review2(ctx: DisputeContext, id: string) {
  return ctx.call("PUT", `/v1/disputes/${id}/review`, {
    key: ctx.auditors.bob,
    json: { outcome: "incorrect", errorType: "other" },
  });
}

describe("what cannot be disputed, and what cannot happen twice", () => {
  it("the dispute window: open until MODQC_DISPUTE_WINDOW after auditedAt, closed after", async () => {
    const ctx = await disputeContext({ MODQC_DISPUTE_WINDOW: "P2D" });
    await storeAudit(ctx, "a1"); // audited a day before the clock
    await storeAudit(ctx, "a2");
    ctx.clock.now += DAY; // exactly at the end: still open
    expect((await post(ctx, "a1", ctx.moderators.m1)).status).toBe(201);
    ctx.clock.now += 1;
    const late = await post(ctx, "a2", ctx.moderators.m1);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({
      code: "dispute_window_closed",
      details: { disputableUntil: new Date(ctx.clock.now - 1).toISOString() },
    });
  });

  it("only incorrect verdicts; one unresolved dispute per audit; 404 for an unknown audit", async () => {
    const ctx = await disputeContext();
    await storeAudit(ctx, "ok", { incorrect: false });
    await storeAudit(ctx, "a1");
    const correct = await post(ctx, "ok", ctx.moderators.m1);
    expect([correct.status, correct.body.error.code]).toEqual([409, "audit_not_incorrect"]);
    const opened = await openDispute(ctx, "a1");
    const second = await post(ctx, "a1", ctx.keys.lead);
    expect([second.status, second.body.error.code]).toEqual([409, "dispute_exists"]);
    expect(second.body.error.details).toEqual({ disputeId: opened.id });
    // Still unresolved while escalated.
    await review(ctx, opened.id, "bob", { outcome: "correct" });
    expect((await post(ctx, "a1", ctx.moderators.m1)).body.error.code).toBe("dispute_exists");
    const missing = await post(ctx, "nope", ctx.moderators.m1);
    expect([missing.status, missing.body.error.code]).toEqual([404, "audit_not_found"]);
    expect((await ctx.call("GET", "/v1/disputes/nope", { key: ctx.keys.lead })).status).toBe(404);
  });

  it("concurrent disputes of one audit: exactly one is opened, the others get 409 dispute_exists", async () => {
    const ctx = await disputeContext();
    await storeAudit(ctx, "a1");
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(ctx, "a1", i % 2 === 0 ? ctx.moderators.m1 : ctx.keys.lead)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body.error.code).toBe("dispute_exists");
    const rows = await ctx.db.all<{ id: string }>("SELECT id FROM disputes WHERE audit_id = 'a1'");
    expect(rows).toHaveLength(1);
    // The last line of defence, whatever the checks before it: the partial unique index on unresolved disputes.
    const row = (id: string) => ({
      id,
      auditId: "a1",
      auditRevision: 1,
      moderator: "m1",
      queue: "hate",
      auditor: "alice",
      reason: "again",
      openedBy: "m1",
      openedAt: new Date(ctx.clock.now).toISOString(),
      openedMs: ctx.clock.now,
      reviewer: "carol",
    });
    expect(await ctx.db.transaction((tx) => insertDispute(tx, row("second")))).toBe(false);
    await ctx.db.run(
      "UPDATE disputes SET state = 'upheld', resolved_ms = 1, resolved_at = 'x' WHERE id = ?",
      [rows[0].id],
    );
    expect(await ctx.db.transaction((tx) => insertDispute(tx, row("third")))).toBe(true);
  });

  it("no other auditor → 409 no_reviewer_available (the auditor, the moderator and revoked keys are not candidates)", async () => {
    const ctx = await testContext(); // its only auditor key is alice's
    const modKey = (await createKey(ctx.db, { name: "mod", role: "moderator", moderator: "m1" })).key;
    // An auditor named like the moderator may not review the moderator's decision.
    await auditorKey(ctx, "m1");
    const revoked = await createKey(ctx.db, { name: "gone", role: "auditor", rater: "gone" });
    await ctx.db.run("UPDATE api_keys SET revoked_at = ? WHERE id = ?", [
      new Date().toISOString(),
      revoked.id,
    ]);
    await storeAudits(ctx.db, [
      { id: "a1", auditedAt: new Date().toISOString(), moderator: "m1", incorrect: true },
    ]);
    const res = await ctx.call("POST", "/v1/audits/a1/disputes", { key: modKey, json: { reason: "no" } });
    expect([res.status, res.body.error.code]).toEqual([409, "no_reviewer_available"]);
    expect(await ctx.db.all("SELECT id FROM disputes")).toEqual([]);
  });

  it("a review before the decision; a decision only on escalated disputes; an upheld review is final", async () => {
    const ctx = await disputeContext();
    await storeAudit(ctx, "a1");
    const opened = await openDispute(ctx, "a1");
    const early = await decide(ctx, opened.id, { final: "overturned", note: "too early" });
    expect([early.status, early.body.error.code]).toEqual([409, "review_pending"]);
    await review(ctx, opened.id, "bob", { outcome: "incorrect", errorType: "false-negative" });
    const late = await decide(ctx, opened.id, { final: "overturned", note: "too late" });
    expect([late.status, late.body.error.code]).toEqual([409, "dispute_resolved"]);
    expect((await review2(ctx, opened.id)).status).toBe(409);
  });
});

describe("balanced assignment of second reviews", () => {
  it("goes to the auditor with the fewest reviews to record, then the fewest ever, then by name", async () => {
    const ctx = await disputeContext();
    ctx.auditors.dave = await auditorKey(ctx, "dave");
    for (let i = 0; i < 7; i++) await storeAudit(ctx, `a${i}`);
    const reviewers: string[] = [];
    for (let i = 0; i < 6; i++)
      reviewers.push((await leadView(ctx, (await openDispute(ctx, `a${i}`)).id)).reviewer);
    expect(reviewers).toEqual(["bob", "carol", "dave", "bob", "carol", "dave"]);
    // carol records one: she has the fewest pending now.
    const { disputes } = (await ctx.call("GET", "/v1/disputes?reviewer=carol", { key: ctx.keys.lead })).body;
    await review(ctx, disputes[0].id, "carol", { outcome: "correct" });
    expect((await leadView(ctx, (await openDispute(ctx, "a6")).id)).reviewer).toBe("carol");
  });

  it("never the audit's own auditor, even when everyone else is busier", async () => {
    const ctx = await disputeContext();
    for (let i = 0; i < 3; i++) await storeAudit(ctx, `b${i}`, { auditor: "bob" });
    await storeAudit(ctx, "c0", { auditor: "carol" });
    const reviewers: string[] = [];
    for (const id of ["b0", "b1", "b2", "c0"])
      reviewers.push((await leadView(ctx, (await openDispute(ctx, id)).id)).reviewer);
    // bob's audits go to alice and carol in turn; carol's to bob (pending 0), not to carol.
    expect(reviewers).toEqual(["alice", "carol", "alice", "bob"]);
  });
});

describe("who may do what", () => {
  it("opening: the audited moderator's key or a lead/admin; viewers, auditors and other moderators 403", async () => {
    const ctx = await disputeContext();
    await storeAudit(ctx, "a1");
    for (const [key, code] of [
      [ctx.keys.viewer, "forbidden"],
      [ctx.keys.auditor, "forbidden"],
      [ctx.moderators.m2, "not_own_moderator"],
    ] as const) {
      const res = await post(ctx, "a1", key);
      expect([res.status, res.body.error.code]).toEqual([403, code]);
    }
    expect((await post(ctx, "a1", "mqc_not-a-key")).status).toBe(401);
    const onBehalf = await openDispute(ctx, "a1", ctx.keys.admin);
    expect(onBehalf).toMatchObject({ openedBy: "admin key", reviewer: "bob" });
  });

  it("reading: the moderator, the reviewer, leads, and the auditor once resolved; others 403", async () => {
    const ctx = await disputeContext();
    await storeAudit(ctx, "a1");
    const { id } = await openDispute(ctx, "a1");
    const get = (key: string) => ctx.call("GET", `/v1/disputes/${id}`, { key });
    expect((await get(ctx.keys.viewer)).status).toBe(403);
    expect((await get(ctx.moderators.m2)).status).toBe(403);
    expect((await get(ctx.auditors.carol)).status).toBe(403); // neither auditor nor reviewer
    expect((await get(ctx.auditors.alice)).status).toBe(403); // the auditor, before resolution
    expect((await get(ctx.auditors.bob)).body.blind).toBe(true);
    expect((await get(ctx.keys.admin)).body.blind).toBe(false);
    // Only the reviewer's own key records the review; only leads decide.
    const byOther = await ctx.call("PUT", `/v1/disputes/${id}/review`, {
      key: ctx.auditors.carol,
      json: { outcome: "correct" },
    });
    expect([byOther.status, byOther.body.error.code]).toEqual([403, "not_reviewer"]);
    const byLead = await ctx.call("PUT", `/v1/disputes/${id}/review`, {
      key: ctx.keys.lead,
      json: { outcome: "correct" },
    });
    expect(byLead.status).toBe(403);
    const byModerator = await ctx.call("PUT", `/v1/disputes/${id}/review`, {
      key: ctx.moderators.m1,
      json: { outcome: "correct" },
    });
    expect(byModerator.status).toBe(403);
    await review(ctx, id, "bob", { outcome: "correct" });
    expect((await decide(ctx, id, { final: "upheld", note: "x" }, ctx.auditors.bob)).status).toBe(403);
    expect((await decide(ctx, id, { final: "upheld", note: "x" }, ctx.moderators.m1)).status).toBe(403);
    expect((await get(ctx.auditors.alice)).status).toBe(403); // escalated is not resolved
    expect((await decide(ctx, id, { final: "upheld", note: "fine" })).status).toBe(200);
    expect((await get(ctx.auditors.alice)).status).toBe(200);
    expect((await get(ctx.auditors.carol)).status).toBe(403);
  });

  it("listing: leads filter anything; a moderator key only its own; an auditor key only what it reviews", async () => {
    const ctx = await disputeContext();
    await storeAudit(ctx, "a1");
    await storeAudit(ctx, "a2", { moderator: "m2", queue: "spam" });
    await storeAudit(ctx, "a3");
    const d1 = await openDispute(ctx, "a1");
    ctx.clock.now += 1000;
    const d2 = await openDispute(ctx, "a2", ctx.moderators.m2);
    ctx.clock.now += 1000;
    const d3 = await openDispute(ctx, "a3");
    const list = async (query: string, key: string) => {
      const res = await ctx.call("GET", `/v1/disputes${query}`, { key });
      return res.status === 200 ? res.body.disputes.map((d: { id: string }) => d.id) : res.status;
    };
    expect(await list("", ctx.keys.lead)).toEqual([d3.id, d2.id, d1.id]);
    expect(await list("?moderator=m1", ctx.keys.lead)).toEqual([d3.id, d1.id]);
    expect(await list("?queue=spam", ctx.keys.lead)).toEqual([d2.id]);
    expect(await list("?auditor=alice&state=open", ctx.keys.lead)).toEqual([d3.id, d2.id, d1.id]);
    expect(await list("?state=upheld", ctx.keys.lead)).toEqual([]);
    expect(await list("", ctx.moderators.m1)).toEqual([d3.id, d1.id]);
    expect(await list("?moderator=m2", ctx.moderators.m1)).toBe(403);
    expect(await list("?auditor=alice", ctx.moderators.m1)).toBe(403);
    expect(await list("", ctx.auditors.bob)).toEqual([d3.id, d1.id]); // bob, carol, bob
    expect(await list("", ctx.auditors.carol)).toEqual([d2.id]);
    expect(await list("?auditor=alice", ctx.auditors.bob)).toBe(403);
    expect(await list("", ctx.auditors.alice)).toEqual([]);
    expect(await list("", ctx.keys.viewer)).toBe(403);

    // Pages by cursor, each with its age.
    const first = await ctx.call("GET", "/v1/disputes?limit=2", { key: ctx.keys.lead });
    expect(first.body.disputes.map((d: { ageMs: number }) => d.ageMs)).toEqual([0, 1000]);
    const next = await ctx.call("GET", `/v1/disputes?limit=2&cursor=${first.body.nextCursor}`, {
      key: ctx.keys.lead,
    });
    expect(next.body.disputes.map((d: { id: string }) => d.id)).toEqual([d1.id]);
    expect(next.body.nextCursor).toBeNull();
    const bad = await ctx.call("GET", "/v1/disputes?cursor=garbage", { key: ctx.keys.lead });
    expect([bad.status, bad.body.error.details[0].path]).toEqual([400, "cursor"]);
  });

  it("MODQC_SHOW_AUDITOR_TO_MODERATOR=true shows the moderator the auditor and the reviewer", async () => {
    const ctx = await disputeContext({ MODQC_SHOW_AUDITOR_TO_MODERATOR: "true" });
    await storeAudit(ctx, "a1");
    expect(await openDispute(ctx, "a1")).toMatchObject({ auditor: "alice", reviewer: "bob" });
  });
});

describe("input", () => {
  it("refuses a blank or long reason, bad reviews and decisions, unknown fields, naming the field", async () => {
    const ctx = await disputeContext();
    await storeAudit(ctx, "a1");
    for (const [json, path] of [
      [{ reason: "   " }, "reason"],
      [{ reason: "x".repeat(2001) }, "reason"],
      [{ reason: "\ud800" }, "reason"],
      [{}, "reason"],
      [{ reason: "ok", extra: 1 }, ""],
    ] as const) {
      const res = await post(ctx, "a1", ctx.moderators.m1, json);
      expect({ json, status: res.status }).toEqual({ json, status: 400 });
      if (path) expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const { id } = await openDispute(ctx, "a1");
    for (const [json, path] of [
      [{ outcome: "incorrect" }, "errorType"],
      [{ outcome: "correct", errorType: "other" }, "errorType"],
      [{ outcome: "incorrect", errorType: "other", severity: 5 }, "severity"],
      [{ outcome: "maybe" }, "outcome"],
      [{ outcome: "correct", notes: "x".repeat(20_001) }, "notes"],
    ] as const) {
      const res = await ctx.call("PUT", `/v1/disputes/${id}/review`, { key: ctx.auditors.bob, json });
      expect({ json, status: res.status }).toEqual({ json, status: 400 });
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    await review(ctx, id, "bob", { outcome: "correct" });
    for (const [json, path] of [
      [{ final: "overturned", note: "" }, "note"],
      [{ final: "overturned", note: "x".repeat(1901) }, "note"],
      [{ final: "maybe", note: "x" }, "final"],
      [{ final: "upheld" }, "note"],
    ] as const) {
      const res = await decide(ctx, id, json);
      expect({ json, status: res.status }).toEqual({ json, status: 400 });
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect((await leadView(ctx, id)).state).toBe("escalated");
  });
});
