import { describe, expect, it } from "vitest";
import { someAuditPairAbove } from "../../src/db/audit-keys.ts";
import { maxAuditSeq } from "../../src/db/audits.ts";
import { storeAudits, type TestContext, testContext } from "../helpers.ts";

/**
 * Round trips that cannot double count (src/audits/suspected-duplicates.ts): an upload whose audits look like a
 * spreadsheet's mangled copies of stored ones is refused with 409 suspected_duplicate naming each row, unless
 * allowNewIds=true. Exact re-sends stay duplicates.
 */

const CSV = { "content-type": "text/csv" };
const NDJSON = { "content-type": "application/x-ndjson" };
const HEADER = "id,decisionId,queue,moderator,auditor,outcome,auditedAt";

const audit = (id: string, decisionId: string, extra: Record<string, unknown> = {}) => ({
  id,
  decisionId,
  queue: "hate",
  moderator: "m1",
  auditor: "alice",
  outcome: "correct",
  auditedAt: "2026-11-24T09:30:00+09:00",
  ...extra,
});
const csvRow = (id: string, decisionId: string, auditor = "alice") =>
  `${id},${decisionId},hate,m1,${auditor},correct,2026-11-24T09:30:00+09:00`;

async function seed(ctx: TestContext, audits: ReturnType<typeof audit>[]): Promise<void> {
  const res = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: audits });
  expect(res.status, res.text).toBe(200);
}

const count = async (ctx: TestContext) =>
  (await ctx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM audits"))!.n;

const postCsv = (ctx: TestContext, rows: string[], query = "") =>
  ctx.call("POST", `/v1/audits${query}`, {
    key: ctx.keys.lead,
    body: [HEADER, ...rows].join("\n"),
    headers: CSV,
  });

describe("ids a spreadsheet mangled", () => {
  it("leading zeros dropped (00002082 → 2082) → 409 naming the row, the field and the stored id; nothing stored", async () => {
    const ctx = await testContext();
    await seed(ctx, [audit("00002082", "d-1"), audit("abc", "d-2")]);
    const res = await postCsv(ctx, [csvRow("abc", "d-2"), csvRow("2082", "d-1", "bob")]);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("suspected_duplicate");
    expect(res.body.error.message).toContain("allowNewIds=true");
    expect(res.body.error.details).toEqual([
      {
        row: 3,
        path: "id",
        field: "id",
        code: "mangled_id",
        params: { id: "2082", storedId: "00002082" },
        message: expect.stringContaining("00002082"),
      },
    ]);
    expect(await count(ctx)).toBe(2);
  });

  it("E-notation of a long id, a 19-digit id truncated or rounded to 15 digits, or written as its double", async () => {
    const ctx = await testContext();
    await seed(ctx, [audit("315312345678", "d-1"), audit("1234567890123456789", "d-2", { auditor: "bob" })]);
    const res = await postCsv(ctx, [
      csvRow("3.15312E+11", "d-1", "carol"),
      csvRow("1234567890123450000", "d-2", "carol"),
      csvRow("1234567890123460000", "d-2", "dave"),
      csvRow("1.23456789012346E+18", "d-2", "erin"),
      csvRow("1234567890123456768", "d-2", "frank"),
    ]);
    expect(res.status).toBe(409);
    expect(res.body.error.details.map((d: { row: number; params: object }) => [d.row, d.params])).toEqual([
      [2, { id: "3.15312E+11", storedId: "315312345678" }],
      [3, { id: "1234567890123450000", storedId: "1234567890123456789" }],
      [4, { id: "1234567890123460000", storedId: "1234567890123456789" }],
      [5, { id: "1.23456789012346E+18", storedId: "1234567890123456789" }],
      [6, { id: "1234567890123456768", storedId: "1234567890123456789" }],
    ]);
    expect(await count(ctx)).toBe(2);
  });

  it("an E-notation id in a CSV is suspect on its own (3153E3); in JSON only when it collides with a stored id", async () => {
    const ctx = await testContext();
    const res = await postCsv(ctx, [csvRow("3153E3", "d-1"), csvRow("3.153E+3", "d-2")]);
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({
        row: 2,
        code: "mangled_id",
        params: { id: "3153E3", storedId: "", origin: "e_notation" },
      }),
      expect.objectContaining({
        row: 3,
        code: "mangled_id",
        params: { id: "3.153E+3", storedId: "", origin: "e_notation" },
      }),
    ]);
    const json = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: [audit("1E5", "d-3")] });
    expect(json.status, json.text).toBe(200);
  });

  it("numbers that are merely close, or ids of other decisions, are not suspect", async () => {
    const ctx = await testContext();
    await seed(ctx, [audit("2083", "d-1"), audit("2345", "d-2"), audit("00002082", "d-3")]);
    const res = await postCsv(ctx, [
      csvRow("2084", "d-1", "bob"),
      csvRow("2000", "d-2", "bob"),
      csvRow("2082", "d-4", "bob"),
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ inserted: 3, duplicates: 0 });
  });

  it("allowNewIds=true stores them; allowNewIds=false is the default", async () => {
    const ctx = await testContext();
    await seed(ctx, [audit("00002082", "d-1")]);
    expect((await postCsv(ctx, [csvRow("2082", "d-1")], "?allowNewIds=false")).status).toBe(409);
    const allowed = await postCsv(ctx, [csvRow("2082", "d-1")], "?allowNewIds=true");
    expect(allowed.status, allowed.text).toBe(200);
    expect(allowed.body).toEqual({ inserted: 1, duplicates: 0 });
    expect((await postCsv(ctx, [csvRow("2082", "d-1")], "?allowNewIds=yes")).status).toBe(400);
  });
});

describe("the same audit under another id", () => {
  it("(sampleId, decisionId, auditor) of a stored audit under a new id → 409 same_audit_other_id, in any format", async () => {
    const ctx = await testContext();
    await seed(ctx, [audit("a-1", "d-1"), audit("a-2", "d-2", { sampleId: null })]);
    const ndjson = [audit("b-1", "d-1"), audit("b-3", "d-3")].map((a) => JSON.stringify(a)).join("\n");
    const res = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, body: ndjson, headers: NDJSON });
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({
        row: 1,
        field: "id",
        code: "same_audit_other_id",
        params: { id: "b-1", storedId: "a-1", auditor: "alice" },
      }),
    ]);
    const other = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.lead,
      json: [audit("b-1", "d-1", { auditor: "bob" }), audit("b-2", "d-2", { auditor: "bob" })],
    });
    expect(other.status, other.text).toBe(200);
    expect(await count(ctx)).toBe(4);
  });

  it("exact re-sends stay duplicates, and a changed re-send stays a conflicting id", async () => {
    const ctx = await testContext();
    const audits = [audit("00002082", "d-1"), audit("a-2", "d-2")];
    await seed(ctx, audits);
    const again = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: audits });
    expect(again.body).toEqual({ inserted: 0, duplicates: 2 });
    const changed = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.lead,
      json: [{ ...audits[1], queue: "spam" }],
    });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe("conflicting_ids");
  });

  it("rows of one upload never count against each other, however it is chunked (a body over a megabyte)", async () => {
    const ctx = await testContext();
    const rows = 12_000;
    const lines = Array.from({ length: rows }, (_, i) =>
      JSON.stringify(
        audit(`r-${i}`, `d-${i % 3000}`, {
          auditor: `auditor-${Math.floor(i / 3000)}`,
          notes: "x".repeat(60),
        }),
      ),
    );
    // The same decision and auditor twice in one upload, in different chunks.
    lines.push(JSON.stringify(audit("r-again", "d-0", { auditor: "auditor-0" })));
    const body = lines.join("\n");
    expect(Buffer.byteLength(body)).toBeGreaterThan(1024 * 1024);
    const res = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, body, headers: NDJSON });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.body).toEqual({ inserted: rows + 1, duplicates: 0 });
  });

  it("a big upload with one suspect row near its end stores nothing (PostgreSQL's COPY path included)", async () => {
    const ctx = await testContext();
    await seed(ctx, [audit("007", "d-7")]);
    const lines = Array.from({ length: 12_000 }, (_, i) =>
      JSON.stringify(audit(`n-${i}`, `new-${i}`, { notes: "y".repeat(60) })),
    );
    lines.push(JSON.stringify(audit("7", "d-7", { auditor: "bob" })));
    const res = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.lead,
      body: lines.join("\n"),
      headers: NDJSON,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ row: 12_001, params: { id: "7", storedId: "007" } }),
    ]);
    expect(await count(ctx)).toBe(1);
  });

  it("a big upload naming a sample is stored (PostgreSQL declines its direct COPY: no read may run during it), and its copy under new ids is refused", async () => {
    const ctx = await testContext();
    const n = 9000;
    const population = [
      "id,queue,moderator",
      ...Array.from({ length: n }, (_, i) => `dec-${i},hate,m1`),
    ].join("\n");
    const uploaded = await ctx.call("POST", "/v1/populations", {
      key: ctx.keys.lead,
      body: population,
      headers: CSV,
    });
    const drawn = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: { population: uploaded.body.id, total: n, seed: "big" },
    });
    expect(drawn.status, drawn.text).toBe(201);
    const body = (prefix: string) =>
      Array.from({ length: n }, (_, i) =>
        JSON.stringify(
          audit(`${prefix}-${i}`, `dec-${i}`, { sampleId: drawn.body.id, notes: "z".repeat(100) }),
        ),
      ).join("\n");
    expect(Buffer.byteLength(body("a"))).toBeGreaterThan(1024 * 1024);
    const first = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.lead,
      body: body("a"),
      headers: NDJSON,
    });
    expect(first.status, first.text.slice(0, 300)).toBe(200);
    expect(first.body).toEqual({ inserted: n, duplicates: 0 });
    const copy = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.lead,
      body: body("b"),
      headers: NDJSON,
    });
    expect(copy.status).toBe(409);
    expect(copy.body.error.details).toHaveLength(100);
    expect(copy.body.error.details[0]).toMatchObject({
      row: 1,
      code: "same_audit_other_id",
      params: { storedId: "a-0" },
    });
    expect(await count(ctx)).toBe(n);
  }, 60_000);

  it("names at most 100 rows and counts them all; invalid rows take precedence (400)", async () => {
    const ctx = await testContext();
    await seed(
      ctx,
      Array.from({ length: 150 }, (_, i) => audit(`0${i}`, `d-${i}`)),
    );
    const rows = Array.from({ length: 150 }, (_, i) => csvRow(String(i), `d-${i}`));
    const res = await postCsv(ctx, rows);
    expect(res.status).toBe(409);
    expect(res.body.error.details).toHaveLength(100);
    expect(res.body.error.message).toMatch(/^150 audit\(s\)/);
    const withBad = await postCsv(ctx, [...rows, "bad,d-x,hate,m1,alice,maybe,2026-11-24T09:30:00+09:00"]);
    expect(withBad.status).toBe(400);
    expect(withBad.body.error.code).toBe("invalid_rows");
  });
});

describe("a mangled decisionId", () => {
  it("naming a sample whose drawn ids are text is refused by the sample checks (400 not_drawn), whatever allowNewIds", async () => {
    const ctx = await testContext();
    const population = ["id,queue,moderator", "315312345678,hate,m1", "x-1,hate,m1"].join("\n");
    const uploaded = await ctx.call("POST", "/v1/populations", {
      key: ctx.keys.lead,
      body: population,
      headers: CSV,
    });
    const drawn = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: { population: uploaded.body.id, total: 2, seed: "s" },
    });
    const sample = drawn.body.id as string;
    const body = [
      "id,decisionId,auditor,outcome,auditedAt,sampleId",
      `v-1,3.15312E+11,alice,correct,2026-11-24T09:30:00+09:00,${sample}`,
    ].join("\n");
    const res = await ctx.call("POST", "/v1/audits?allowNewIds=true", {
      key: ctx.keys.lead,
      body,
      headers: CSV,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ row: 2, field: "decisionId", code: "not_drawn" });
  });
});

describe("someAuditPairAbove (the check after a PostgreSQL direct COPY)", () => {
  it("visits each (inserted, stored) pair of a decision exactly once across pages, never an audit with itself", async () => {
    const ctx = await testContext();
    const stored = 6000;
    await storeAudits(
      ctx.db,
      Array.from({ length: stored }, (_, i) => ({
        id: String(100_000 + i),
        decisionId: `d-${i}`,
        auditedAt: "2026-11-24T09:30:00Z",
      })),
    );
    const upToSeq = await maxAuditSeq(ctx.db);
    await storeAudits(ctx.db, [
      ...Array.from({ length: stored }, (_, i) => ({
        id: String(200_000 + i),
        decisionId: `d-${i}`,
        auditor: "bob",
        auditedAt: "2026-11-24T09:30:00Z",
      })),
      { id: "text-id", decisionId: "d-1", auditor: "carol", auditedAt: "2026-11-24T09:30:00Z" },
      { id: "x-1", decisionId: "d-2", auditor: "alice", auditedAt: "2026-11-24T09:30:00Z" },
    ]);
    const seen: string[] = [];
    const stopped = await someAuditPairAbove(ctx.db, upToSeq, ({ inserted, stored }) => {
      seen.push(`${inserted.id}>${stored.id}`);
      return false;
    });
    expect(stopped).toBe(false);
    // Numeric ids on both sides, or the same auditor; "text-id" (carol, not a number) pairs with nothing.
    expect(seen).toHaveLength(stored + 1);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain("x-1>100002");
    expect(seen.some((pair) => pair.startsWith("text-id"))).toBe(false);
    expect(await someAuditPairAbove(ctx.db, upToSeq, ({ inserted }) => inserted.id === "200005")).toBe(true);
  });
});
