import { afterEach, describe, expect, it, vi } from "vitest";
import { verifySignature } from "../../src/alerts/signature.ts";
import { startReceiver } from "../helpers.ts";
import { type DisputeContext, disputeContext, openDispute, review, storeAudit } from "./disputes-fixture.ts";

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const receivers: Receiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

async function webhook(ctx: DisputeContext, url: string, format = "modqc") {
  const res = await ctx.call("POST", "/v1/webhooks", { key: ctx.keys.admin, json: { url, format } });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; secret: string; events: string[] };
}

// biome-ignore lint/suspicious/noExplicitAny: JSON answers the test asserts on
async function deliveries(ctx: DisputeContext, hookId: string): Promise<Record<string, any>[]> {
  const res = await ctx.call("GET", `/v1/webhooks/${hookId}/deliveries`, { key: ctx.keys.admin });
  expect(res.status).toBe(200);
  return res.body.deliveries;
}

describe("dispute events through the alert webhooks", () => {
  it("modqc and slack webhooks get dispute.opened and dispute.resolved by default; alertmanager cannot", async () => {
    const ctx = await disputeContext();
    expect((await webhook(ctx, "https://hooks.example.com/a")).events).toEqual(
      expect.arrayContaining(["dispute.opened", "dispute.resolved"]),
    );
    expect((await webhook(ctx, "https://hooks.example.com/b", "slack")).events).toEqual(
      expect.arrayContaining(["dispute.opened", "dispute.resolved"]),
    );
    const am = await ctx.call("POST", "/v1/webhooks", {
      key: ctx.keys.admin,
      json: { url: "https://hooks.example.com/c", format: "alertmanager", events: ["dispute.opened"] },
    });
    expect([am.status, am.body.error.details[0].path]).toEqual([400, "events.0"]);
  });

  it("opening and resolving queue signed deliveries in their transactions; the worker is woken after commit", async () => {
    const ctx = await disputeContext();
    const rcv = await startReceiver();
    receivers.push(rcv);
    const hook = await webhook(ctx, rcv.url);
    const slackReceiver = await startReceiver();
    receivers.push(slackReceiver);
    const slack = await webhook(ctx, slackReceiver.url, "slack");
    const kicks = vi.spyOn(ctx.alerts, "deliveriesQueued");
    await storeAudit(ctx, "a1", { notes: "SECRET-NOTES" });
    const opened = await openDispute(ctx, "a1", ctx.moderators.m1, "SECRET-REASON");
    expect(kicks).toHaveBeenCalledTimes(1);

    const [queued] = await deliveries(ctx, hook.id);
    expect(queued).toMatchObject({ event: "dispute.opened", status: "pending", alertId: null });
    expect(queued.payload).toEqual({
      event: "dispute.opened",
      createdAt: new Date(ctx.clock.now).toISOString(),
      dispute: {
        id: opened.id,
        state: "open",
        auditId: "a1",
        moderator: "m1",
        queue: "hate",
        reviewer: "bob",
        openedAt: new Date(ctx.clock.now).toISOString(),
      },
      links: {
        dispute: `https://modqc.example.com/v1/disputes/${opened.id}`,
        history: "https://modqc.example.com/v1/audits/a1/history",
      },
    });
    // Nothing the blind reviewer may not see: a chat channel may include the reviewer.
    for (const d of [queued, ...(await deliveries(ctx, slack.id))]) {
      const body = JSON.stringify(d.payload);
      for (const secret of ["SECRET-REASON", "SECRET-NOTES", "alice", "false-negative"]) {
        expect(body).not.toContain(secret);
      }
    }
    const [slackOpened] = await deliveries(ctx, slack.id);
    expect(slackOpened.payload.text).toContain("Dispute opened on audit a1");

    // The worker sends it, signed with the webhook's secret.
    expect(await ctx.alerts.worker.runDue()).toBeGreaterThanOrEqual(1);
    expect(slackReceiver.requests).toHaveLength(1);
    expect(rcv.requests).toHaveLength(1);
    const [request] = rcv.requests;
    expect(request.headers["modqc-event"]).toBe("dispute.opened");
    expect(request.headers["modqc-delivery"]).toBe(queued.id);
    const signature = request.headers["modqc-signature"] as string;
    expect(verifySignature(hook.secret, request.body, signature, Math.floor(ctx.clock.now / 1000))).toBe(
      true,
    );
    expect(verifySignature("whsec_wrong", request.body, signature, Math.floor(ctx.clock.now / 1000))).toBe(
      false,
    );

    // An escalation is not an event; the lead's decision resolves it.
    ctx.clock.now += 60_000;
    await review(ctx, opened.id, "bob", { outcome: "correct", severity: 1 });
    expect((await deliveries(ctx, hook.id)).map((d) => d.event)).toEqual(["dispute.opened"]);
    const decided = await ctx.call("POST", `/v1/disputes/${opened.id}/decision`, {
      key: ctx.keys.lead,
      json: { final: "overturned", note: "reclaimed usage" },
    });
    expect(decided.status).toBe(200);
    expect(kicks).toHaveBeenCalledTimes(2);
    const [resolved] = await deliveries(ctx, hook.id);
    expect(resolved.payload).toMatchObject({
      event: "dispute.resolved",
      dispute: {
        id: opened.id,
        state: "overturned",
        auditor: "alice",
        reviewer: "bob",
        reason: "SECRET-REASON",
        resolvedBy: "lead key",
        decisionNote: "reclaimed usage",
        verdict: { outcome: "incorrect", errorType: "false-negative" },
        review: { outcome: "correct", errorType: null, severity: 1 },
      },
    });
    const [slackResolved] = await deliveries(ctx, slack.id);
    expect(slackResolved.payload.text).toContain("Dispute overturned on audit a1");
    expect(await ctx.alerts.worker.runDue()).toBeGreaterThanOrEqual(1);
    const last = rcv.requests.at(-1)!;
    expect(last.headers["modqc-event"]).toBe("dispute.resolved");
    expect(
      verifySignature(
        hook.secret,
        last.body,
        last.headers["modqc-signature"] as string,
        Math.floor(ctx.clock.now / 1000),
      ),
    ).toBe(true);
  });

  it("a review that agrees resolves the dispute and queues dispute.resolved; refused requests queue nothing", async () => {
    const ctx = await disputeContext();
    const hook = await webhook(ctx, "https://hooks.example.com/a");
    await storeAudit(ctx, "a1");
    await storeAudit(ctx, "ok", { incorrect: false });
    expect(
      (await ctx.call("POST", "/v1/audits/ok/disputes", { key: ctx.moderators.m1, json: { reason: "x" } }))
        .status,
    ).toBe(409);
    expect(await deliveries(ctx, hook.id)).toEqual([]);
    const opened = await openDispute(ctx, "a1");
    await review(ctx, opened.id, "bob", { outcome: "incorrect", errorType: "false-negative" });
    const events = await deliveries(ctx, hook.id);
    expect(events.map((d) => d.event)).toEqual(["dispute.resolved", "dispute.opened"]);
    expect(events[0].payload.dispute).toMatchObject({
      state: "upheld",
      resolvedBy: "second review",
      decisionNote: null,
    });
    const twice = await ctx.call("PUT", `/v1/disputes/${opened.id}/review`, {
      key: ctx.auditors.bob,
      json: { outcome: "correct" },
    });
    expect(twice.status).toBe(409);
    expect(await deliveries(ctx, hook.id)).toHaveLength(2);
  });

  it("an overturn tells the alert engine that audits were revised", async () => {
    const ctx = await disputeContext();
    const revised = vi.spyOn(ctx.alerts, "auditsRevised");
    await storeAudit(ctx, "a1");
    const opened = await openDispute(ctx, "a1");
    await review(ctx, opened.id, "bob", { outcome: "correct" });
    expect(revised).not.toHaveBeenCalled();
    await ctx.call("POST", `/v1/disputes/${opened.id}/decision`, {
      key: ctx.keys.lead,
      json: { final: "overturned", note: "ok" },
    });
    expect(revised).toHaveBeenCalledTimes(1);
  });
});
