import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/database.ts";
import { auditorKey, type TestContext, testContext } from "../helpers.ts";

/**
 * Uploads of a megabyte and more: on PostgreSQL they are first COPYed straight into audits and fall back to the
 * exact staged writer on anything but all-new valid rows (src/db/audit-copy.ts). Every answer here must be the
 * one a small upload gets, on both backends.
 */

const ROWS = 7_000;
const MEBIBYTE = 1024 * 1024;
/** Text that COPY's text format must escape (backslash, tab, newline, carriage return) and text it must not. */
const AWKWARD_NOTES = "tab\there\\back\\slash\nnew line\r\n한국어 메모 \\N not null";

function audit(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `big-${i}`,
    decisionId: `decision-${i}`,
    queue: `queue-${i % 7}`,
    moderator: `moderator-${i % 50}`,
    auditor: i % 2 === 0 ? "alice" : "bob",
    outcome: i % 10 === 0 ? "incorrect" : "correct",
    ...(i % 10 === 0 ? { errorType: "false-negative", severity: 1 + (i % 4) } : {}),
    policy: i % 3 === 0 ? null : `policy-${i % 5}`,
    market: "KR",
    decidedAt: i % 4 === 0 ? null : "2026-11-20T08:00:00+09:00",
    auditedAt: `2026-11-24T09:${String(i % 60).padStart(2, "0")}:00Z`,
    notes: i % 100 === 0 ? AWKWARD_NOTES : `note ${i} ${"x".repeat(40)}`,
    ...extra,
  };
}

function ndjson(audits: Record<string, unknown>[]): string {
  const body = audits.map((a) => JSON.stringify(a)).join("\n");
  expect(Buffer.byteLength(body)).toBeGreaterThan(MEBIBYTE);
  return body;
}

const all = (extra: (i: number) => Record<string, unknown> = () => ({})) =>
  Array.from({ length: ROWS }, (_, i) => audit(i, extra(i)));

const post = (ctx: TestContext, body: string | Uint8Array, key = ctx.keys.lead) =>
  ctx.call("POST", "/v1/audits", { key, body, headers: { "content-type": "application/x-ndjson" } });

const count = async (db: Db) => (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM audits"))!.n;

describe("uploads over a megabyte", () => {
  it("store every row as sent, in body order, with text that COPY must escape intact", async () => {
    const ctx = await testContext();
    const res = await post(ctx, ndjson(all()));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ inserted: ROWS, duplicates: 0 });
    const ids = await ctx.db.all<{ id: string }>("SELECT id FROM audits ORDER BY seq");
    expect(ids.map((r) => r.id)).toEqual(all().map((a) => a.id));
    const listed = await ctx.call("GET", "/v1/audits?limit=200", { key: ctx.keys.lead });
    const byId = new Map(listed.body.audits.map((a: { id: string }) => [a.id, a]));
    for (const i of [0, 1, 3, 4, 100, 199]) {
      const sent = audit(i);
      expect(byId.get(sent.id), sent.id as string).toMatchObject({
        ...sent,
        errorType: sent.errorType ?? null,
        severity: sent.severity ?? null,
        sampleId: null,
      });
    }
    expect(await ctx.db.get("SELECT notes FROM audits WHERE id = 'big-100'")).toEqual({
      notes: AWKWARD_NOTES,
    });
  });

  it("sent again: every row a duplicate, nothing stored twice", async () => {
    const ctx = await testContext();
    const body = ndjson(all());
    await post(ctx, body);
    const again = await post(ctx, body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ inserted: 0, duplicates: ROWS });
    expect(await count(ctx.db)).toBe(ROWS);
  });

  it("an id repeated inside the upload with the same content counts once as a duplicate", async () => {
    const ctx = await testContext();
    const res = await post(ctx, ndjson([...all(), audit(5)]));
    expect(res.body).toEqual({ inserted: ROWS, duplicates: 1 });
    expect(await count(ctx.db)).toBe(ROWS);
  });

  it("one stored id with other content near the end: 409 naming its line, nothing more stored", async () => {
    const ctx = await testContext();
    const stored = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.lead,
      json: audit(ROWS - 2, { notes: "first version" }),
    });
    expect(stored.status).toBe(200);
    const res = await post(ctx, ndjson(all()));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("conflicting_ids");
    expect(res.body.error.details).toEqual({
      ids: [`big-${ROWS - 2}`],
      rows: [{ row: ROWS - 1, id: `big-${ROWS - 2}` }],
    });
    expect(await count(ctx.db)).toBe(1);
  });

  it("an invalid row at the very end: 400 naming its line, nothing stored", async () => {
    const ctx = await testContext();
    const res = await post(ctx, ndjson(all((i) => (i === ROWS - 1 ? { outcome: "maybe" } : {}))));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_rows");
    expect(res.body.error.details).toEqual([expect.objectContaining({ row: ROWS, path: "outcome" })]);
    expect(await count(ctx.db)).toBe(0);
  });

  it("an auditor's upload with one row of another auditor: 403, nothing stored", async () => {
    const ctx = await testContext();
    const res = await post(ctx, ndjson(all(() => ({ auditor: "alice" })).concat(audit(1))), ctx.keys.auditor);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden_rows");
    expect(res.body.error.details).toEqual([expect.objectContaining({ row: ROWS + 1, path: "auditor" })]);
    expect(await count(ctx.db)).toBe(0);
    const own = await post(ctx, ndjson(all(() => ({ auditor: "alice" }))), await auditorKey(ctx, "alice"));
    expect(own.body).toEqual({ inserted: ROWS, duplicates: 0 });
  });

  it("bytes that are not UTF-8 after a megabyte of good rows: 400 invalid_encoding, nothing stored", async () => {
    const ctx = await testContext();
    const good = Buffer.from(`${ndjson(all())}\n`);
    const bad = Buffer.from(JSON.stringify(audit(ROWS, { notes: "CP949: XX" })));
    bad[bad.indexOf("XX")] = 0xb0; // a lead byte of CP949 Hangul, followed by "X": not UTF-8
    const res = await post(ctx, new Uint8Array(Buffer.concat([good, bad])));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_encoding");
    expect(await count(ctx.db)).toBe(0);
  });
});
