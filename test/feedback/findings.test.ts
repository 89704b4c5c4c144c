import { describe, expect, it } from "vitest";
import { createKey } from "../../src/db/keys.ts";
import { storeAudits, testContext } from "../helpers.ts";
import { disputeContext, leadView, openDispute, review, storeAudit } from "./disputes-fixture.ts";

const now = Date.now();
const daysAgo = (days: number) => new Date(now - days * 86_400_000).toISOString();

async function withFindings(env: Record<string, string> = {}) {
  const ctx = await testContext(env);
  await storeAudits(ctx.db, [
    {
      id: "a1",
      moderator: "mod-1",
      auditedAt: daysAgo(1),
      incorrect: true,
      notes: "missed the slur",
      severity: 3,
    },
    { id: "a2", moderator: "mod-1", auditedAt: daysAgo(2), incorrect: true, auditor: "bob" },
    { id: "a3", moderator: "mod-1", auditedAt: daysAgo(3) },
    { id: "a4", moderator: "mod-1", auditedAt: daysAgo(20), incorrect: true },
    { id: "b1", moderator: "mod-2", auditedAt: daysAgo(1), incorrect: true, notes: "someone else's" },
  ]);
  return ctx;
}

describe("a moderator's findings", () => {
  it("a moderator key reads its own errors newest first, with notes, and no auditor name by default", async () => {
    const { call, keys } = await withFindings();
    const res = await call("GET", "/v1/findings", { key: keys.moderator });
    expect(res.status).toBe(200);
    expect(res.body.moderator).toBe("mod-1");
    expect(res.body.findings.map((f: { auditId: string }) => f.auditId)).toEqual(["a1", "a2", "a4"]);
    expect(res.body.findings[0]).toMatchObject({
      notes: "missed the slur",
      severity: 3,
      auditor: null,
      read: null,
    });
    expect(res.text).not.toContain("alice");
    expect(res.text).not.toContain("bob");
    expect(res.text).not.toContain("someone else's");
  });

  it("shows the auditor to moderators when MODQC_SHOW_AUDITOR_TO_MODERATOR=true, and always to leads", async () => {
    const shown = await withFindings({ MODQC_SHOW_AUDITOR_TO_MODERATOR: "true" });
    const own = await shown.call("GET", "/v1/findings", { key: shown.keys.moderator });
    expect(own.body.findings[1].auditor).toBe("bob");
    const hidden = await withFindings();
    const lead = await hidden.call("GET", "/v1/findings?moderator=mod-1", { key: hidden.keys.lead });
    expect(lead.body.findings[1].auditor).toBe("bob");
  });

  it("outcome=all adds correct verdicts; read=false and read=true split by acknowledgement", async () => {
    const { call, keys } = await withFindings();
    const all = await call("GET", "/v1/findings?outcome=all", { key: keys.moderator });
    expect(all.body.findings.map((f: { auditId: string }) => f.auditId)).toEqual(["a1", "a2", "a3", "a4"]);
    expect((await call("POST", "/v1/audits/a2/ack", { key: keys.moderator })).status).toBe(200);
    const unread = await call("GET", "/v1/findings?read=false", { key: keys.moderator });
    expect(unread.body.findings.map((f: { auditId: string }) => f.auditId)).toEqual(["a1", "a4"]);
    const read = await call("GET", "/v1/findings?read=true", { key: keys.moderator });
    expect(read.body.findings.map((f: { auditId: string }) => f.auditId)).toEqual(["a2"]);
    expect(read.body.findings[0].read).toEqual({ at: expect.any(String), by: "mod-1" });
  });

  it("pages by cursor without repeating or skipping a finding, and refuses a forged cursor", async () => {
    const { call, keys } = await withFindings();
    const first = await call("GET", "/v1/findings?limit=2", { key: keys.moderator });
    expect(first.body.findings).toHaveLength(2);
    const second = await call("GET", `/v1/findings?limit=2&cursor=${first.body.nextCursor}`, {
      key: keys.moderator,
    });
    expect(second.body.findings.map((f: { auditId: string }) => f.auditId)).toEqual(["a4"]);
    expect(second.body.nextCursor).toBeNull();
    const forged = await call("GET", "/v1/findings?cursor=bm90LWEtY3Vyc29y", { key: keys.moderator });
    expect(forged.status).toBe(400);
    expect(forged.body.error.details[0].path).toBe("cursor");
  });

  it("a finding is disputable only while incorrect, inside the window and with no dispute under way", async () => {
    const { call, keys } = await withFindings({ MODQC_DISPUTE_WINDOW: "P14D" });
    const res = await call("GET", "/v1/findings?outcome=all", { key: keys.moderator });
    const byId = Object.fromEntries(res.body.findings.map((f: { auditId: string }) => [f.auditId, f]));
    expect(byId.a1.disputable).toBe(true);
    expect(byId.a3.disputable).toBe(false);
    expect(byId.a4.disputable).toBe(false);
    expect(Date.parse(byId.a4.disputableUntil)).toBeLessThan(now);
  });

  it("a lead must name the moderator; bad filters answer 400 naming the field", async () => {
    const { call, keys } = await withFindings();
    const missing = await call("GET", "/v1/findings", { key: keys.lead });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe("moderator_required");
    const badDate = await call("GET", "/v1/findings?from=2026-13-01", { key: keys.moderator });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.details[0].path).toBe("from");
    const badLimit = await call("GET", "/v1/findings?limit=100000", { key: keys.moderator });
    expect(badLimit.status).toBe(400);
  });
});

describe("marking findings read", () => {
  it("the first read stays; marking again says so and changes nothing", async () => {
    const { call, keys } = await withFindings();
    const first = await call("POST", "/v1/audits/a1/ack", { key: keys.moderator });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ auditId: "a1", readBy: "mod-1", alreadyRead: false });
    const again = await call("POST", "/v1/audits/a1/ack", { key: keys.moderator });
    expect(again.body).toMatchObject({ readAt: first.body.readAt, alreadyRead: true });
  });

  it("another moderator's audit answers 404 like a missing one; only moderator keys mark read", async () => {
    const { db, call, keys } = await withFindings();
    expect((await call("POST", "/v1/audits/b1/ack", { key: keys.moderator })).status).toBe(404);
    expect((await call("POST", "/v1/audits/nope/ack", { key: keys.moderator })).status).toBe(404);
    const lead = await call("POST", "/v1/audits/a1/ack", { key: keys.lead });
    expect(lead.status).toBe(403);
    expect(lead.body.error.code).toBe("moderator_only");
    const other = (await createKey(db, { name: "m2", role: "moderator", moderator: "mod-2" })).key;
    expect((await call("POST", "/v1/audits/b1/ack", { key: other })).status).toBe(200);
  });
});

describe("unread findings for leads", () => {
  it("counts unread errors per moderator, the oldest first, with their age in hours", async () => {
    const { call, keys } = await withFindings();
    await call("POST", "/v1/audits/a4/ack", { key: keys.moderator });
    const res = await call("GET", "/v1/findings/unread", { key: keys.lead });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ unread: 3, moderatorsWithUnread: 2 });
    expect(res.body.moderators[0]).toMatchObject({ moderator: "mod-1", unread: 2 });
    expect(res.body.moderators[0].oldestUnreadHours).toBeGreaterThanOrEqual(47);
    const limited = await call("GET", "/v1/findings/unread?limit=1&queue=hate", { key: keys.lead });
    expect(limited.body.moderators).toHaveLength(1);
    expect(limited.body.unread).toBe(3);
  });
});

describe("findings and disputes", () => {
  it("a finding shows its dispute and is not disputable again while it is under way or once resolved at its revision", async () => {
    const ctx = await disputeContext();
    await storeAudit(ctx, "f1", { notes: "missed" });
    const before = await ctx.call("GET", "/v1/findings", { key: ctx.moderators.m1 });
    expect(before.body.findings[0]).toMatchObject({ auditId: "f1", disputable: true, dispute: null });
    const opened = await openDispute(ctx, "f1");
    const during = await ctx.call("GET", "/v1/findings", { key: ctx.moderators.m1 });
    expect(during.body.findings[0]).toMatchObject({
      disputable: false,
      dispute: { id: opened.id, state: "open" },
    });
    const { reviewer } = await leadView(ctx, opened.id);
    await review(ctx, opened.id, reviewer, { outcome: "incorrect", errorType: "false-negative" });
    const after = await ctx.call("GET", "/v1/findings", { key: ctx.moderators.m1 });
    expect(after.body.findings[0]).toMatchObject({ disputable: false, dispute: { state: "upheld" } });
  });
});
