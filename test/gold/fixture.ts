import { expect } from "vitest";
import { auditorKey, type TestContext, testContext } from "../helpers.ts";

/** Decision i of the population: queues hate/spam, moderators m0..m3, times spread over one day in Seoul time. */
export function decision(i: number) {
  const minute = (i * 37) % 1440;
  const hh = String(Math.floor(minute / 60)).padStart(2, "0");
  const mm = String(minute % 60).padStart(2, "0");
  return {
    id: `d-${String(i).padStart(4, "0")}`,
    queue: i % 2 === 0 ? "hate" : "spam",
    moderator: `m${i % 4}`,
    label: i % 3 === 0 ? "remove" : "keep",
    policy: `P${i % 2}`,
    market: "KR",
    decidedAt: `2026-11-20T${hh}:${mm}:00+09:00`,
    url: `https://mod.example.com/d/${i}`,
    content: `내용 ${i}`,
    "context.reporter": `user-${i}`,
  };
}

/** A gold item by hand: queue hate or spam by parity, moderated by `moderator`. */
export function manualGold(i: number, moderator = `gm${i % 3}`, queue = i % 2 === 0 ? "hate" : "spam") {
  return {
    decisionId: `gold-${String(i).padStart(4, "0")}`,
    queue,
    moderator,
    label: i % 3 === 0 ? "remove" : "keep",
    policy: `P${i % 2}`,
    market: "KR",
    decidedAt: i % 2 === 0 ? "2026-03-01T08:00:00Z" : "2026-11-20T12:00:00+09:00",
    url: `https://mod.example.com/d/g${i}`,
    content: `골드 ${i}`,
    context: { reporter: `user-g${i}` },
    outcome: i % 4 === 0 ? ("incorrect" as const) : ("correct" as const),
    ...(i % 4 === 0 ? { errorType: "false-negative" as const, severity: 3 } : {}),
  };
}

export interface GoldContext extends TestContext {
  sample: string;
  population: string;
  auditors: Record<string, string>;
}

/** Uploads `count` decisions, draws them all (strata by queue) with `seed`, registers `gold` by hand. */
export async function goldContext(
  count: number,
  gold: ReturnType<typeof manualGold>[],
  seed = "gold",
): Promise<GoldContext> {
  const ctx = await testContext();
  const upload = await ctx.call("POST", "/v1/populations", {
    key: ctx.keys.lead,
    body: Array.from({ length: count }, (_, i) => JSON.stringify(decision(i))).join("\n"),
    headers: { "content-type": "application/x-ndjson" },
  });
  expect(upload.status, upload.text).toBe(201);
  const sample = await ctx.call("POST", "/v1/samples", {
    key: ctx.keys.lead,
    json: { population: upload.body.id, strata: ["queue"], total: count, seed },
  });
  expect(sample.status, sample.text).toBe(201);
  if (gold.length > 0) {
    const registered = await ctx.call("POST", "/v1/gold", { key: ctx.keys.lead, json: { items: gold } });
    expect(registered.status, registered.text).toBe(201);
  }
  return {
    ...ctx,
    sample: sample.body.id,
    population: upload.body.id,
    auditors: { alice: ctx.keys.auditor, bob: await auditorKey(ctx, "bob") },
  };
}

export async function assign(ctx: GoldContext, body: Record<string, unknown>) {
  return ctx.call("POST", `/v1/samples/${ctx.sample}/assign`, { key: ctx.keys.lead, json: body });
}

/** The sample's gold slots as the lead sees them. */
export async function slotsOf(ctx: GoldContext) {
  const res = await ctx.call("GET", `/v1/samples/${ctx.sample}/gold`, { key: ctx.keys.lead });
  expect(res.status, res.text).toBe(200);
  return res.body.slots as {
    goldId: string;
    decisionId: string;
    position: number;
    stratum: string;
    auditor: string;
    decidedAt: string | null;
    verdict: { outcome: string; errorType: string | null; revision: number; correct: boolean } | null;
  }[];
}

/** An auditor's whole queue (pages of 7, so the keyset pagination is walked across gold rows). */
// biome-ignore lint/suspicious/noExplicitAny: work items are asserted on as JSON
export async function wholeQueue(ctx: GoldContext, key: string): Promise<any[]> {
  const items = [];
  let cursor: string | null = null;
  do {
    const res = await ctx.call(
      "GET",
      `/v1/work?status=all&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      { key },
    );
    expect(res.status, res.text).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor !== null);
  return items;
}

export const verdictPath = (sample: string, decisionId: string) =>
  `/v1/samples/${encodeURIComponent(sample)}/items/${encodeURIComponent(decisionId)}/verdict`;
