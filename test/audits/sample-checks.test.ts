import { describe, expect, it } from "vitest";
import { verdictAuditId } from "../../src/sampling/verdict-id.ts";
import { storedAudits, type WorkContext, workContext } from "../work/fixture.ts";

/** Audits that name a sample, posted through POST /v1/audits in any format, are checked against the sample. */

function auditOf(ctx: WorkContext, item: WorkContext["items"][number], extra: Record<string, unknown> = {}) {
  return {
    id: `direct-${item.id}`,
    decisionId: item.id,
    sampleId: ctx.sample,
    auditor: item.auditor ?? "alice",
    outcome: "correct",
    auditedAt: "2026-11-24T09:30:00+09:00",
    ...extra,
  };
}

const post = (ctx: WorkContext, json: unknown, key = ctx.keys.lead) =>
  ctx.call("POST", "/v1/audits", { key, json });

describe("audits naming a sample", () => {
  it("take the decision's queue, moderator, policy, market and decided time from the drawn decision when absent", async () => {
    const ctx = await workContext(6);
    const item = ctx.itemsOf("alice")[0];
    expect((await post(ctx, auditOf(ctx, item))).body).toEqual({ inserted: 1, duplicates: 0 });
    const [stored] = await storedAudits(ctx);
    const index = Number(item.id.slice(2));
    expect(stored).toMatchObject({
      queue: index % 2 === 0 ? "hate" : "spam",
      moderator: `m${index % 3}`,
      policy: `P${index % 2}`,
      market: "KR",
      decidedAt: "2026-11-20T10:00:00Z",
      sampleId: ctx.sample,
    });
  });

  it("refuse an unknown sample, an undrawn decision and facts that differ, naming the field; nothing is stored", async () => {
    const ctx = await workContext(6);
    const item = ctx.itemsOf("alice")[0];
    const res = await post(ctx, [
      auditOf(ctx, item, { id: "x1", sampleId: "no-such-sample" }),
      auditOf(ctx, item, { id: "x2", decisionId: "d-999" }),
      auditOf(ctx, item, { id: "x3", moderator: "somebody-else" }),
      auditOf(ctx, item, { id: "x4", market: "US", queue: "other-queue" }),
      auditOf(ctx, item, { id: "x5" }),
    ]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_rows");
    expect(res.body.error.details.map((d: { row: number; path: string }) => [d.row, d.path])).toEqual([
      [0, "sampleId"],
      [1, "decisionId"],
      [2, "moderator"],
      [3, "queue"],
      [3, "market"],
    ]);
    expect(await storedAudits(ctx)).toEqual([]);
  });

  it("an auditor key may not record on an item assigned to someone else; a lead may, and the audit says who", async () => {
    const ctx = await workContext(6);
    const bobs = ctx.itemsOf("bob")[0];
    const res = await post(ctx, auditOf(ctx, bobs, { auditor: "alice" }), ctx.keys.auditor);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden_rows");
    expect(res.body.error.details[0].message).toMatch(/assigned to bob/);
    expect((await post(ctx, auditOf(ctx, bobs))).status).toBe(200);
    const [stored] = await storedAudits(ctx);
    expect(stored).toMatchObject({ auditor: "bob", recordedBy: "lead key" });
  });

  it("nobody audits a decision they moderated", async () => {
    const ctx = await workContext(6);
    const item = ctx.items[0];
    const res = await post(ctx, auditOf(ctx, item, { auditor: item.moderator }));
    expect(res.status).toBe(403);
    expect(res.body.error.details[0].message).toMatch(/moderated this decision/);
  });
});

describe("the audit template's round trip", () => {
  it("filled rows become one audit each with the workbench's ids, empty rows are ignored, a second upload is duplicates", async () => {
    const ctx = await workContext(6);
    const template = await ctx.call("GET", `/v1/samples/${ctx.sample}/items?format=csv&template=audit`, {
      key: ctx.keys.auditor,
    });
    expect(template.status).toBe(200);
    const [header, ...rows] = template.text
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    const columns = header.split(",");
    expect(rows).toHaveLength(ctx.itemsOf("alice").length);
    const outcome = columns.indexOf("outcome");
    const filled = rows.map((row, i) => {
      const cells = row.split(",");
      if (i === 0) cells[outcome] = "correct";
      if (i === 1) {
        cells[outcome] = "incorrect";
        cells[columns.indexOf("errorType")] = "wrong-policy";
        cells[columns.indexOf("correctPolicy")] = "P9";
      }
      return cells.join(",");
    });
    const body = `${header}\r\n${filled.join("\r\n")}\r\n`;
    const upload = () =>
      ctx.call("POST", "/v1/audits", {
        key: ctx.keys.auditor,
        body,
        headers: { "content-type": "text/csv" },
      });
    expect((await upload()).body).toEqual({ inserted: 2, duplicates: 0 });
    expect((await upload()).body).toEqual({ inserted: 0, duplicates: 2 });
    const stored = await storedAudits(ctx);
    const [first, second] = ctx.itemsOf("alice");
    expect(stored.map((a) => a.id).sort()).toEqual(
      [verdictAuditId(ctx.sample, first.id), verdictAuditId(ctx.sample, second.id)].sort(),
    );
    expect(stored.find((a) => a.decisionId === second.id)).toMatchObject({
      errorType: "wrong-policy",
      correctPolicy: "P9",
      auditor: "alice",
      recordedBy: "alice",
    });
  });
});
