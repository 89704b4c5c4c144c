import { expect } from "vitest";
import { auditorKey, type TestContext, testContext } from "../helpers.ts";

export interface Decision {
  id: string;
  queue: string;
  moderator: string;
  label: string;
  policy: string;
  market: string;
  decidedAt: string;
  url?: string;
  content?: string;
  "context.reporter"?: string;
}

/** Decision i: queues hate/spam alternating, moderators m0..m2, context on the even ones. */
export function decision(i: number, id = `d-${String(i).padStart(3, "0")}`): Decision {
  return {
    id,
    queue: i % 2 === 0 ? "hate" : "spam",
    moderator: `m${i % 3}`,
    label: i % 4 === 0 ? "remove" : "keep",
    policy: `P${i % 2}`,
    market: "KR",
    decidedAt: "2026-11-20T10:00:00Z",
    ...(i % 2 === 0
      ? { url: `https://mod.example.com/d/${i}`, content: `내용 ${i}`, "context.reporter": `user-${i}` }
      : {}),
  };
}

export interface WorkContext extends TestContext {
  sample: string;
  population: string;
  /** Auditor keys by rater (alice is ctx.keys.auditor). */
  auditors: Record<string, string>;
  /** The drawn items as GET /v1/samples/:id/items lists them (draw order). */
  items: { id: string; stratum: string; auditor: string | null; moderator: string }[];
  /** Items of one auditor, in draw order. */
  itemsOf(auditor: string): { id: string; stratum: string; auditor: string | null; moderator: string }[];
}

/** Uploads decisions, draws them all (strata by queue) and assigns them to `assign` (none: unassigned). */
export async function drawSample(
  ctx: TestContext,
  decisions: Decision[],
  assign: string[] | null,
  seed = "work",
): Promise<{ sample: string; population: string }> {
  const upload = await ctx.call("POST", "/v1/populations", {
    key: ctx.keys.lead,
    body: decisions.map((d) => JSON.stringify(d)).join("\n"),
    headers: { "content-type": "application/x-ndjson" },
  });
  expect(upload.status).toBe(201);
  const sample = await ctx.call("POST", "/v1/samples", {
    key: ctx.keys.lead,
    json: { population: upload.body.id, strata: ["queue"], total: decisions.length, seed },
  });
  expect(sample.status).toBe(201);
  if (assign) {
    const assigned = await ctx.call("POST", `/v1/samples/${sample.body.id}/assign`, {
      key: ctx.keys.lead,
      json: { auditors: assign },
    });
    expect(assigned.status).toBe(200);
  }
  return { sample: sample.body.id, population: upload.body.id };
}

/** A context with one sample of `count` decisions assigned to alice and bob (and keys for both). */
export async function workContext(
  count = 20,
  assign: string[] | null = ["alice", "bob"],
): Promise<WorkContext> {
  const ctx = await testContext();
  const { sample, population } = await drawSample(
    ctx,
    Array.from({ length: count }, (_, i) => decision(i)),
    assign,
  );
  const listed = await ctx.call("GET", `/v1/samples/${sample}/items`, { key: ctx.keys.viewer });
  expect(listed.status).toBe(200);
  const items = listed.body.items as WorkContext["items"];
  return {
    ...ctx,
    sample,
    population,
    auditors: {
      alice: ctx.keys.auditor,
      bob: await auditorKey(ctx, "bob"),
      carol: await auditorKey(ctx, "carol"),
    },
    items,
    itemsOf: (auditor) => items.filter((item) => item.auditor === auditor),
  };
}

export const verdictPath = (sample: string, decisionId: string) =>
  `/v1/samples/${encodeURIComponent(sample)}/items/${encodeURIComponent(decisionId)}/verdict`;
export const skipPath = (sample: string, decisionId: string) =>
  `/v1/samples/${encodeURIComponent(sample)}/items/${encodeURIComponent(decisionId)}/skip`;

/** Every stored audit (GET /v1/audits, one page). */
export async function storedAudits(ctx: TestContext) {
  const res = await ctx.call("GET", "/v1/audits?limit=1000", { key: ctx.keys.viewer });
  expect(res.status).toBe(200);
  return res.body.audits as Record<string, unknown>[];
}
