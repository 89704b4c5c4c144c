import { expect } from "vitest";
import type { Audit } from "../../src/audits/validate.ts";
import { createKey } from "../../src/db/keys.ts";
import { auditorKey, storeAudits, testContext } from "../helpers.ts";

export const DAY = 86_400_000;

/**
 * A context for dispute tests: a settable clock (the alerting runtime's, which the dispute routes read), auditor
 * keys alice (ctx.keys.auditor), bob and carol, moderator keys bound to m1 and m2, and webhooks allowed to reach
 * 127.0.0.1.
 */
export async function disputeContext(env: Record<string, string> = {}) {
  const clock = { now: Date.now() };
  const ctx = await testContext(
    {
      MODQC_WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
      MODQC_WEBHOOK_BACKOFF_MS: "10",
      MODQC_PUBLIC_URL: "https://modqc.example.com",
      ...env,
    },
    { now: () => clock.now, random: () => 1 },
  );
  const moderatorKey = async (moderator: string) =>
    (await createKey(ctx.db, { name: `moderator ${moderator}`, role: "moderator", moderator })).key;
  return {
    ...ctx,
    clock,
    auditors: {
      alice: ctx.keys.auditor,
      bob: await auditorKey(ctx, "bob"),
      carol: await auditorKey(ctx, "carol"),
    } as Record<string, string>,
    moderators: { m1: await moderatorKey("m1"), m2: await moderatorKey("m2") } as Record<string, string>,
  };
}

export type DisputeContext = Awaited<ReturnType<typeof disputeContext>>;

/** Stores one audit of moderator m1 by alice a day before the clock: incorrect (false-negative) unless given. */
export async function storeAudit(
  ctx: DisputeContext,
  id: string,
  fields: Partial<Audit> & { incorrect?: boolean } = {},
): Promise<void> {
  await storeAudits(ctx.db, [
    {
      id,
      auditedAt: new Date(ctx.clock.now - DAY).toISOString(),
      moderator: "m1",
      incorrect: true,
      ...fields,
    },
  ]);
}

/** Opens a dispute of `auditId` with `key` (default moderator m1's) and expects 201; returns the answer. */
export async function openDispute(
  ctx: DisputeContext,
  auditId: string,
  key = ctx.moderators.m1,
  reason = "I applied the policy correctly",
) {
  const res = await ctx.call("POST", `/v1/audits/${encodeURIComponent(auditId)}/disputes`, {
    key,
    json: { reason },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** The dispute as a lead sees it. */
export async function leadView(ctx: DisputeContext, id: string) {
  const res = await ctx.call("GET", `/v1/disputes/${id}`, { key: ctx.keys.lead });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** Records the second review with the reviewer's key and expects 200. */
export async function review(ctx: DisputeContext, id: string, reviewer: string, verdict: object) {
  const res = await ctx.call("PUT", `/v1/disputes/${id}/review`, {
    key: ctx.auditors[reviewer],
    json: verdict,
  });
  expect(res.status, res.text).toBe(200);
  return res.body;
}
