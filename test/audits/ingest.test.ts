import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Spool } from "../../src/audits/ingest.ts";
import type { Db } from "../../src/db/database.ts";
import { DomainError } from "../../src/errors.ts";
import { testContext } from "../helpers.ts";

const base = {
  decisionId: "d-1",
  queue: "hate",
  moderator: "mod-7",
  auditor: "alice",
  outcome: "correct",
  auditedAt: "2026-11-24T09:30:00+09:00",
};
const audit = (i: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...base,
  id: `a-${i}`,
  decisionId: `d-${i}`,
  ...extra,
});
const count = async (db: Db) => (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM audits"))!.n;

describe("POST /v1/audits", () => {
  it("accepts one JSON object, an array, NDJSON and CSV", async () => {
    const { call, keys, db } = await testContext();
    expect((await call("POST", "/v1/audits", { key: keys.lead, json: audit(1) })).body).toEqual({
      inserted: 1,
      duplicates: 0,
    });
    expect((await call("POST", "/v1/audits", { key: keys.lead, json: [audit(2), audit(3)] })).body).toEqual({
      inserted: 2,
      duplicates: 0,
    });
    const ndjson = `${JSON.stringify(audit(4))}\n\n${JSON.stringify(audit(5))}\n`;
    const nd = await call("POST", "/v1/audits", {
      key: keys.lead,
      body: ndjson,
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(nd.body).toEqual({ inserted: 2, duplicates: 0 });
    const csv =
      "\uFEFFid,decisionId,queue,moderator,auditor,outcome,errorType,severity,auditedAt,notes\r\n" +
      'a-6,d-6,hate,mod-7,alice,incorrect,false-negative,3,2026-11-24T10:00:00Z,"missed, clearly\nsee ""thread"""\r\n' +
      "a-7,d-7,hate,mod-8,alice,correct,,,2026-11-24T10:05:00Z,\r\n";
    const res = await call("POST", "/v1/audits", {
      key: keys.lead,
      body: csv,
      headers: { "content-type": "text/csv" },
    });
    expect(res.body).toEqual({ inserted: 2, duplicates: 0 });
    expect(await count(db)).toBe(7);
    const row = await db.get("SELECT * FROM audits WHERE id = 'a-6'");
    expect(row).toMatchObject({
      notes: 'missed, clearly\nsee "thread"',
      severity: 3,
      error_type: "false-negative",
    });
    const seven = await db.get("SELECT * FROM audits WHERE id = 'a-7'");
    expect(seven).toMatchObject({ error_type: null, severity: null, notes: null });
  });

  it("a bad row anywhere in a batch of 10,000 leaves the database unchanged and names the row", async () => {
    const { call, keys, db } = await testContext();
    await call("POST", "/v1/audits", { key: keys.lead, json: audit(0) });
    const rows = Array.from({ length: 10_000 }, (_, i) => audit(i + 1));
    rows[7_345] = { ...rows[7_345], outcome: "incorrect" }; // errorType missing
    rows[9_999] = { ...rows[9_999], severity: 9 };
    const res = await call("POST", "/v1/audits", { key: keys.lead, json: rows });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_rows");
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ row: 7_345, path: "errorType" }),
      expect.objectContaining({ row: 9_999, path: "severity" }),
    ]);
    expect(await count(db)).toBe(1);

    const nd = rows.map((r) => JSON.stringify(r)).join("\n");
    const ndRes = await call("POST", "/v1/audits", {
      key: keys.lead,
      body: nd,
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(ndRes.status).toBe(400);
    expect(ndRes.body.error.details[0]).toMatchObject({ row: 7_346, path: "errorType" });
    expect(await count(db)).toBe(1);
  });

  it("reports CSV rows by line number, counting quoted line breaks", async () => {
    const { call, keys, db } = await testContext();
    const csv =
      "id,decisionId,queue,moderator,auditor,outcome,auditedAt,notes\n" +
      'a-1,d-1,q,m,alice,correct,2026-11-24T10:00:00Z,"two\nlines"\n' +
      "a-2,d-2,q,m,alice,wrong,2026-11-24T10:00:00Z,\n" +
      "a-3,d-3,q,m,alice,correct,yesterday,\n";
    const res = await call("POST", "/v1/audits", {
      key: keys.lead,
      body: csv,
      headers: { "content-type": "text/csv; charset=utf-8" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ row: 4, path: "outcome" }),
      expect.objectContaining({ row: 5, path: "auditedAt" }),
    ]);
    expect(await count(db)).toBe(0);
  });

  it("an identical re-send counts as duplicates; the same id with other content is a 409 and writes nothing", async () => {
    const { call, keys, db } = await testContext();
    await call("POST", "/v1/audits", { key: keys.lead, json: [audit(1), audit(2)] });
    const again = await call("POST", "/v1/audits", { key: keys.lead, json: [audit(1), audit(2), audit(3)] });
    expect(again.body).toEqual({ inserted: 1, duplicates: 2 });
    const sameInstant = await call("POST", "/v1/audits", {
      key: keys.lead,
      json: audit(1, { auditedAt: "2026-11-24T00:30:00Z" }),
    });
    expect(sameInstant.body).toEqual({ inserted: 0, duplicates: 1 });
    const conflict = await call("POST", "/v1/audits", {
      key: keys.lead,
      json: [audit(4), audit(2, { outcome: "incorrect", errorType: "other" })],
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.details.ids).toEqual(["a-2"]);
    expect(await count(db)).toBe(3);
    const inBatch = await call("POST", "/v1/audits", {
      key: keys.lead,
      json: [audit(9), audit(9, { queue: "other" })],
    });
    expect(inBatch.status).toBe(409);
    expect(await count(db)).toBe(3);
  });

  it("concurrent uploads share a commit yet stay separate: a rejected one writes nothing, the others all", async () => {
    const { call, keys, db } = await testContext();
    await call("POST", "/v1/audits", { key: keys.lead, json: audit(0) });
    const answers = await Promise.all([
      call("POST", "/v1/audits", { key: keys.lead, json: [audit(1), audit(2)] }),
      call("POST", "/v1/audits", { key: keys.lead, json: [audit(3), audit(0, { queue: "spam" })] }),
      call("POST", "/v1/audits", { key: keys.lead, json: [audit(4), audit(5, { outcome: "maybe" })] }),
      call("POST", "/v1/audits", { key: keys.lead, json: [audit(6), audit(1)] }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 409, 400, 200]);
    // The last upload ran after the first in the same transaction, so a-1 is already there: a duplicate.
    expect(answers[3].body).toEqual({ inserted: 1, duplicates: 1 });
    const ids = (await db.values<[string]>("SELECT id FROM audits ORDER BY id")).map(([id]) => id);
    expect(ids).toEqual(["a-0", "a-1", "a-2", "a-6"]);
  });

  it("auditor keys may only write their own audits", async () => {
    const { call, keys, db } = await testContext();
    expect((await call("POST", "/v1/audits", { key: keys.auditor, json: audit(1) })).status).toBe(200);
    const other = await call("POST", "/v1/audits", {
      key: keys.auditor,
      json: [audit(2), audit(3, { auditor: "bob" })],
    });
    expect(other.status).toBe(403);
    expect(other.body.error.details[0]).toMatchObject({ row: 1, path: "auditor" });
    expect(await count(db)).toBe(1);
    expect(
      (await call("POST", "/v1/audits", { key: keys.lead, json: audit(3, { auditor: "bob" }) })).status,
    ).toBe(200);
    expect((await call("POST", "/v1/audits", { key: keys.viewer, json: audit(4) })).status).toBe(403);
    expect((await call("POST", "/v1/audits", { json: audit(4) })).status).toBe(401);
  });

  it("rejects unknown fields, bad timestamps, errorType on a correct audit, and empty or unsupported bodies", async () => {
    const { call, keys } = await testContext();
    const cases: [Record<string, unknown>, string][] = [
      [audit(1, { auditedat: "x" }), "auditedat"],
      [audit(1, { auditedAt: "2026-11-24T09:30:00" }), "auditedAt"],
      [audit(1, { auditedAt: "2026-02-30T09:30:00Z" }), "auditedAt"],
      [audit(1, { errorType: "other" }), "errorType"],
      [audit(1, { queue: "  " }), "queue"],
      [audit(1, { severity: 2.5 }), "severity"],
      [audit(1, { notes: 5 }), "notes"],
    ];
    for (const [body, field] of cases) {
      const res = await call("POST", "/v1/audits", { key: keys.lead, json: body });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
    expect((await call("POST", "/v1/audits", { key: keys.lead, json: [] })).body.error.code).toBe(
      "empty_batch",
    );
    expect(
      (
        await call("POST", "/v1/audits", {
          key: keys.lead,
          body: "[1,",
          headers: { "content-type": "application/json" },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call("POST", "/v1/audits", {
          key: keys.lead,
          body: "x",
          headers: { "content-type": "text/plain" },
        })
      ).status,
    ).toBe(415);
  });
});

describe("round trips", () => {
  const korean = '혐오 표현 정책 위반, "명백함"\n두 번째 줄 — 🙂';

  it("a Korean note survives JSON, NDJSON and CSV in and out", async () => {
    const { call, keys } = await testContext();
    await call("POST", "/v1/audits", { key: keys.lead, json: audit(1, { notes: korean, market: "KR" }) });
    await call("POST", "/v1/audits", {
      key: keys.lead,
      body: JSON.stringify(audit(2, { notes: korean })),
      headers: { "content-type": "application/x-ndjson" },
    });
    const csvIn = `id,decisionId,queue,moderator,auditor,outcome,auditedAt,notes\na-3,d-3,hate,mod-7,alice,correct,2026-11-24T09:30:00+09:00,"${korean.replace(/"/g, '""')}"\n`;
    await call("POST", "/v1/audits", {
      key: keys.lead,
      body: csvIn,
      headers: { "content-type": "text/csv" },
    });

    const json = await call("GET", "/v1/audits", { key: keys.viewer });
    expect(json.body.audits.map((a: { notes: string }) => a.notes)).toEqual([korean, korean, korean]);

    const nd = await call("GET", "/v1/audits?format=ndjson", { key: keys.viewer });
    const lines = nd.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((a) => a.notes)).toEqual([korean, korean, korean]);
    // The export carries the stored audit; a JSON page adds the decision's link (null: no sample item).
    const { decisionUrl, ...stored } = json.body.audits[0];
    expect(decisionUrl).toBeNull();
    expect(lines[0]).toEqual(stored);

    const csv = await call("GET", "/v1/audits?format=csv", { key: keys.viewer });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.text.startsWith("\uFEFFid,decisionId,")).toBe(true);
    // Feed the export back in: everything is a duplicate, nothing changes.
    const back = await call("POST", "/v1/audits", {
      key: keys.lead,
      body: csv.text,
      headers: { "content-type": "text/csv" },
    });
    expect(back.body).toEqual({ inserted: 0, duplicates: 3 });
  });

  it("GET /v1/audits pages with a cursor and filters", async () => {
    const { call, keys } = await testContext();
    const rows = Array.from({ length: 25 }, (_, i) => audit(i, { queue: i % 2 ? "spam" : "hate" }));
    await call("POST", "/v1/audits", { key: keys.lead, json: rows });
    const first = await call("GET", "/v1/audits?limit=10&queue=hate", { key: keys.viewer });
    expect(first.body.audits).toHaveLength(10);
    const second = await call("GET", `/v1/audits?limit=10&queue=hate&cursor=${first.body.nextCursor}`, {
      key: keys.viewer,
    });
    expect(second.body.audits).toHaveLength(3);
    expect(second.body.nextCursor).toBeNull();
    expect(new Set([...first.body.audits, ...second.body.audits].map((a: { id: string }) => a.id)).size).toBe(
      13,
    );
    expect((await call("GET", "/v1/audits?cursor=!!", { key: keys.viewer })).status).toBe(400);
    expect((await call("GET", "/v1/audits?tz=Mars/Base", { key: keys.viewer })).status).toBe(400);
  });
});

describe("Spool.fromStream", () => {
  async function* cutOff(error: Error) {
    yield new Uint8Array(9 * 1024 * 1024); // past the in-memory limit: a temp file exists when the body breaks
    throw error;
  }

  it("a body cut off by the client is a 400 body_incomplete and leaves no temp file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "modqc-spool-"));
    try {
      const aborted = Object.assign(new Error("aborted"), { code: "ECONNRESET" });
      const failure = await Spool.fromStream(cutOff(aborted), dir, 2 ** 30).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(DomainError);
      expect(failure).toMatchObject({ kind: "invalid", code: "body_incomplete" });
      expect(readdirSync(dir)).toEqual([]);
      const other = new Error("disk on fire");
      await expect(Spool.fromStream(cutOff(other), dir, 2 ** 30)).rejects.toBe(other);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
