import { describe, expect, it } from "vitest";
import { spreadsheetDateTime } from "../../src/audits/validate.ts";
import { verdictAuditId } from "../../src/sampling/verdict-id.ts";
import { type TestContext, testContext } from "../helpers.ts";
import { workContext } from "../work/fixture.ts";

/** CSV uploads as a spreadsheet writes them back: local date-times, an empty auditedAt, unfilled rows. */

const HEADER =
  "id,decisionId,queue,moderator,auditor,policy,market,decidedAt,sampleId,outcome,errorType,severity,correctPolicy,notes,auditedAt";

const postCsv = (ctx: TestContext, csv: string, query = "") =>
  ctx.call("POST", `/v1/audits${query}`, {
    key: ctx.keys.lead,
    body: csv,
    headers: { "content-type": "text/csv" },
  });

const stored = async (ctx: TestContext) =>
  (await ctx.call("GET", "/v1/audits", { key: ctx.keys.viewer })).body.audits as Record<string, unknown>[];

describe("spreadsheet date-times", () => {
  it("reads a local date-time in the zone, with the offset in force then (DST included)", () => {
    expect(spreadsheetDateTime("2026-12-06 10:15", "Asia/Seoul")).toBe("2026-12-06T10:15:00+09:00");
    expect(spreadsheetDateTime("2026/12/06 10:15:30", "UTC")).toBe("2026-12-06T10:15:30+00:00");
    expect(spreadsheetDateTime("2026-07-01T08:00", "America/New_York")).toBe("2026-07-01T08:00:00-04:00");
    expect(spreadsheetDateTime("2026-12-01 08:00", "America/New_York")).toBe("2026-12-01T08:00:00-05:00");
    expect(spreadsheetDateTime("2026-12-06 10:15", "Asia/Kolkata")).toBe("2026-12-06T10:15:00+05:30");
  });

  it("refuses what is not a real date-time", () => {
    for (const text of [
      "2026-02-30 10:00",
      "2026-12-06 24:30",
      "2026-12-06",
      "12/06/2026 10:15",
      "2026-12-06 10:15 PM",
    ]) {
      expect(spreadsheetDateTime(text, "UTC"), text).toBeUndefined();
    }
  });
});

describe("CSV uploads from a spreadsheet", () => {
  it("stores local date-times with the request's zone (tz), else MODQC_TZ", async () => {
    const ctx = await testContext({ MODQC_TZ: "Asia/Seoul" });
    const csv = `${HEADER}\r\na1,d1,hate,m1,alice,,,2026-12-05 23:00,,correct,,,,,2026-12-06 10:15\r\n`;
    expect((await postCsv(ctx, csv)).body).toEqual({ inserted: 1, duplicates: 0 });
    const csvUtc = `${HEADER}\r\na2,d2,hate,m1,alice,,,,,correct,,,,,2026/12/06 10:15:30\r\n`;
    expect((await postCsv(ctx, csvUtc, "?tz=UTC")).status).toBe(200);
    const [first, second] = await stored(ctx);
    expect(first).toMatchObject({
      auditedAt: "2026-12-06T10:15:00+09:00",
      decidedAt: "2026-12-05T23:00:00+09:00",
    });
    expect(second).toMatchObject({ auditedAt: "2026-12-06T10:15:30+00:00" });
    expect((await postCsv(ctx, csvUtc, "?tz=Mars/Olympus")).status).toBe(400);
  });

  it("a bad date-time is a 400 naming the row and the field, and says which zone it would read", async () => {
    const ctx = await testContext();
    const res = await postCsv(
      ctx,
      `${HEADER}\r\na1,d1,hate,m1,alice,,,,,correct,,,,,06.12.2026 10:15\r\n`,
      "?tz=Asia/Seoul",
    );
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ row: 2, path: "auditedAt", message: expect.stringContaining("Asia/Seoul") }),
    ]);
  });

  it("an empty auditedAt is the time of upload, and the same row sent again later is a duplicate", async () => {
    const ctx = await testContext();
    const csv = `${HEADER}\r\na1,d1,hate,m1,alice,,,,,incorrect,wrong-policy,2,hate.slur,,\r\n`;
    const before = Date.now();
    expect((await postCsv(ctx, csv)).body).toEqual({ inserted: 1, duplicates: 0 });
    const [audit] = await stored(ctx);
    expect(Date.parse(audit.auditedAt as string)).toBeGreaterThanOrEqual(before - 1000);
    expect(audit).toMatchObject({ correctPolicy: "hate.slur", recordedBy: "lead key" });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await postCsv(ctx, csv)).body).toEqual({ inserted: 0, duplicates: 1 });
  });

  it("rows naming a sample whose verdict columns are all empty are ignored; none filled is an empty batch", async () => {
    const ctx = await workContext(4);
    const [first, second] = ctx.itemsOf("alice");
    const row = (item: { id: string }, verdict: string) =>
      `${verdictAuditId(ctx.sample, item.id)},${item.id},,,alice,,,,${ctx.sample},${verdict},`;
    const csv = `${HEADER}\r\n${row(first, "correct,,,,")}\r\n${row(second, ",,,,")}\r\n`;
    expect((await postCsv(ctx, csv)).body).toEqual({ inserted: 1, duplicates: 0 });
    const none = await postCsv(ctx, `${HEADER}\r\n${row(second, ",,,,")}\r\n`);
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe("empty_batch");
    const refused = await postCsv(ctx, `${HEADER}\r\n${row(second, ",,,forgot the outcome,")}\r\n`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ row: 2, path: "outcome" })]);
  });
});
