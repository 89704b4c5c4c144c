import { describe, expect, it } from "vitest";
import { createKey } from "../../src/db/keys.ts";
import { auditorKey } from "../helpers.ts";
import { decision, drawSample, verdictPath } from "../work/fixture.ts";
import { type DisputeContext, disputeContext, openDispute, review, storeAudit } from "./disputes-fixture.ts";

/**
 * The blind second review: the reviewer's key gets the decision and its context, never the verdict under dispute,
 * its notes, its auditor or the moderator's reason, on any route, until it records its own verdict.
 */

const NOTES = "SECRET-NOTES-42";
const POLICY = "P-SECRET-POLICY";
const REASON = "SECRET-REASON-7";
/** The original auditor: a name nobody else's data carries. */
const AUDITOR = "zed";

/**
 * Decision d-000 (queue hate, moderator m0, with url/content/context) audited by zed through the workbench, then
 * the sample re-assigned to alice (so the item, with zed's verdict, sits in alice's work queue); moderator m0
 * disputes it and alice, first by name among the other auditors, reviews it.
 */
async function blindSetup(): Promise<
  DisputeContext & { auditId: string; disputeId: string; sample: string }
> {
  const ctx = await disputeContext();
  const zed = await auditorKey(ctx, AUDITOR);
  const m0 = (await createKey(ctx.db, { name: "moderator m0", role: "moderator", moderator: "m0" })).key;
  const { sample } = await drawSample(
    ctx,
    [0, 1, 2, 3].map((i) => decision(i)),
    [AUDITOR],
  );
  const verdict = await ctx.call("PUT", verdictPath(sample, "d-000"), {
    key: zed,
    json: {
      outcome: "incorrect",
      errorType: "wrong-policy",
      severity: 3,
      correctPolicy: POLICY,
      notes: NOTES,
    },
  });
  expect(verdict.status, verdict.text).toBe(201);
  const reassigned = await ctx.call("POST", `/v1/samples/${sample}/assign`, {
    key: ctx.keys.lead,
    json: { auditors: ["alice"], replace: true },
  });
  expect(reassigned.status, reassigned.text).toBe(200);
  // Other audits the reviewer may see, of the same moderator.
  await storeAudit(ctx, "other-1", { moderator: "m0", auditor: "bob" });
  await storeAudit(ctx, "other-2", { moderator: "m0", auditor: "carol", incorrect: false });
  const opened = await openDispute(ctx, verdict.body.verdict.auditId, m0, REASON);
  return { ...ctx, auditId: verdict.body.verdict.auditId, disputeId: opened.id, sample };
}

/** Every answer the reviewer's key gets on the routes that could carry the disputed audit, by route. */
async function reviewerAnswers(ctx: DisputeContext & { auditId: string; disputeId: string; sample: string }) {
  const key = ctx.auditors.alice;
  const paths = [
    `/v1/disputes/${ctx.disputeId}`,
    "/v1/disputes",
    "/v1/disputes?state=open",
    "/v1/disputes?moderator=m0",
    "/v1/work/reviews",
    "/v1/work?status=all",
    `/v1/work?status=done&sample=${ctx.sample}`,
    "/v1/work/summary",
    "/v1/audits",
    "/v1/audits?moderator=m0",
    `/v1/audits?sampleId=${ctx.sample}`,
    "/v1/audits?errorType=wrong-policy",
    "/v1/audits?format=csv",
    "/v1/audits?format=ndjson",
    `/v1/audits/${ctx.auditId}/history`,
  ];
  const answers = new Map<string, { status: number; text: string; body: unknown }>();
  for (const path of paths) answers.set(path, await ctx.call("GET", path, { key }));
  return answers;
}

describe("blind second review", () => {
  it("before its review, no answer to the reviewer's key carries the verdict, its notes, its auditor or the reason", async () => {
    const ctx = await blindSetup();
    const answers = await reviewerAnswers(ctx);
    for (const [path, answer] of answers) {
      // (The 404 of the history names the id the caller sent, so the id is checked on the other routes.)
      const secrets = [NOTES, POLICY, REASON, AUDITOR, "wrong-policy"];
      if (!path.endsWith("/history")) secrets.push(ctx.auditId);
      for (const secret of secrets) {
        expect({ path, leaks: answer.text.includes(secret) }).toEqual({ path, leaks: false });
      }
      if (path.endsWith("/history")) expect(answer.status).toBe(404);
      else expect({ path, status: answer.status }).toEqual({ path, status: 200 });
    }
    // The CSV export still has its header and the other audits.
    const csv = answers.get("/v1/audits?format=csv")!.text;
    expect(csv.startsWith("\uFEFFid,")).toBe(true);
    expect(csv).toContain("other-1");
    expect(answers.get("/v1/work/summary")!.body).toMatchObject({ pendingReviews: 1 });

    // What the reviewer does see: the decision and its context.
    const view = answers.get(`/v1/disputes/${ctx.disputeId}`)!.body;
    expect(view).toMatchObject({
      id: ctx.disputeId,
      state: "open",
      blind: true,
      auditId: null,
      auditor: null,
      reason: null,
      verdict: null,
      review: null,
      reviewer: "alice",
      decision: {
        decisionId: "d-000",
        queue: "hate",
        moderator: "m0",
        label: "remove",
        policy: "P0",
        market: "KR",
        decidedAt: "2026-11-20T10:00:00Z",
        url: "https://mod.example.com/d/0",
        content: "내용 0",
        context: { reporter: "user-0" },
      },
    });
    const queue = answers.get("/v1/work/reviews")!.body as { auditor: string; reviews: unknown[] };
    expect(queue).toEqual({ auditor: "alice", reviews: [view] });
    // The item is in alice's work queue, done, with its verdict withheld.
    const items = (answers.get("/v1/work?status=all")!.body as { items: Record<string, unknown>[] }).items;
    expect(items.find((item) => item.decisionId === "d-000")).toMatchObject({
      status: "done",
      verdict: null,
    });
  });

  it("only the reviewer is blind: other auditors and leads see the audit; a lead sees the reviewer's queue in full", async () => {
    const ctx = await blindSetup();
    const bobs = await ctx.call("GET", "/v1/audits?format=csv", { key: ctx.auditors.bob });
    expect(bobs.text).toContain(NOTES);
    const history = await ctx.call("GET", `/v1/audits/${ctx.auditId}/history`, { key: ctx.auditors.bob });
    expect(history.status).toBe(200);
    const leads = await ctx.call("GET", "/v1/work/reviews?auditor=alice", { key: ctx.keys.lead });
    expect(leads.body.reviews[0]).toMatchObject({ blind: false, reason: REASON, auditor: AUDITOR });
    expect((await ctx.call("GET", "/v1/work/reviews", { key: ctx.keys.lead })).status).toBe(400);
    expect((await ctx.call("GET", "/v1/work/reviews?auditor=bob", { key: ctx.auditors.alice })).status).toBe(
      403,
    );
    expect((await ctx.call("GET", "/v1/work/reviews", { key: ctx.keys.viewer })).status).toBe(403);
  });

  it("once the review is recorded, the reviewer sees everything, and the audit comes back to its answers", async () => {
    const ctx = await blindSetup();
    const reviewed = await review(ctx, ctx.disputeId, "alice", { outcome: "correct", notes: "fine as is" });
    expect(reviewed).toMatchObject({
      state: "escalated",
      blind: false,
      auditId: ctx.auditId,
      auditor: AUDITOR,
      reason: REASON,
      verdict: { outcome: "incorrect", errorType: "wrong-policy", correctPolicy: POLICY, notes: NOTES },
      review: { outcome: "correct", notes: "fine as is", agreed: false },
    });
    const answers = await reviewerAnswers(ctx);
    expect(answers.get(`/v1/audits/${ctx.auditId}/history`)!.status).toBe(200);
    expect(answers.get("/v1/audits?format=csv")!.text).toContain(NOTES);
    expect(answers.get("/v1/audits")!.text).toContain(ctx.auditId);
    expect(answers.get("/v1/work/reviews")!.body).toEqual({ auditor: "alice", reviews: [] });
    expect(answers.get("/v1/work/summary")!.body).toMatchObject({ pendingReviews: 0 });
    const items = (answers.get("/v1/work?status=all")!.body as { items: Record<string, unknown>[] }).items;
    expect(items.find((item) => item.decisionId === "d-000")).toMatchObject({
      verdict: { auditId: ctx.auditId, auditor: AUDITOR, notes: NOTES },
    });
  });
});
