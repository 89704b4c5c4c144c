import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createReader } from "../../src/audits/records.ts";
import { loadConfig } from "../../src/config.ts";
import { createKey } from "../../src/db/keys.ts";
import { Cp949Decoder, cp949Table } from "../../src/uploads/cp949.ts";
import { WriterThread } from "../../src/writer/writer.ts";
import { openTestDatabase } from "../database.ts";
import { type TestContext, testContext } from "../helpers.ts";

/**
 * Every CSV upload (audits, populations, calibration ratings) reads its bytes the same way
 * (src/uploads/text-encoding.ts): UTF-8 with or without a BOM, UTF-16 by its BOM (Excel's tab-separated
 * "Unicode text"), CP949 when asked; anything else is refused naming the line, and no U+FFFD is ever stored.
 */

/** CP949 bytes of a text, from the decoder's own table (so the test encodes exactly what it decodes). */
const byCode = new Map<number, number>();
cp949Table().forEach((code, index) => {
  if (code !== 0 && !byCode.has(code)) byCode.set(code, index);
});

function cp949(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code < 0x80) {
      bytes.push(code);
      continue;
    }
    const index = byCode.get(code);
    if (index === undefined) throw new Error(`${char} has no CP949 form`);
    bytes.push(0x81 + Math.floor(index / 190), 0x41 + (index % 190));
  }
  return Uint8Array.from(bytes);
}

const utf16le = (text: string) =>
  new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
const utf16be = (text: string) => {
  const bytes = Buffer.from(text, "utf16le");
  bytes.swap16();
  return new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), bytes]));
};

const CSV = { "content-type": "text/csv" };
const AUDIT_HEADER = "id,decisionId,queue,moderator,auditor,outcome,auditedAt,notes";
const auditRow = (id: string, notes: string) =>
  `${id},d-${id},혐오,모더-1,alice,correct,2026-11-24T09:30:00+09:00,${notes}`;
/** Hangul from KS X 1001 and from CP949's extension (똠, 햏, 뷁 are not in EUC-KR). */
const KOREAN_NOTES = "검토 완료 똠 햏 뷁";

async function storedNotes(ctx: TestContext): Promise<string[]> {
  const rows = await ctx.db.all<{ notes: string }>("SELECT notes FROM audits ORDER BY seq");
  return rows.map((row) => row.notes);
}

async function noReplacementCharacters(ctx: TestContext): Promise<void> {
  const dump = JSON.stringify([
    await ctx.db.all("SELECT * FROM audits"),
    await ctx.db.all("SELECT value FROM population_values"),
    await ctx.db.all("SELECT label FROM calibration_ratings"),
  ]);
  expect(dump).not.toContain("\uFFFD");
}

describe("the CP949 decoder", () => {
  it("maps every byte pair exactly as Python's cp949 codec (a digest of the whole table)", () => {
    // python3: for lead 0x81..0xFE, trail 0x41..0xFE: the code point of bytes([lead, trail]).decode("cp949")
    // when it is one character, else 0, as little-endian uint16 → sha256.
    const digest = createHash("sha256").update(Buffer.from(cp949Table().buffer)).digest("hex");
    expect(digest).toBe("5dcdb2df739d690617df4cda682ab548e0e9b55d7c9c73f05e6715ce16296132");
  });

  it("decodes the extension Hangul that Node's euc-kr decoder turns into C1 controls without an error", () => {
    const ddom = Uint8Array.of(0x8c, 0x63);
    expect(new TextDecoder("euc-kr", { fatal: true }).decode(ddom)).toBe("\u008cc");
    expect(new Cp949Decoder().decode(ddom)).toBe("똠");
  });

  it("gives the same text whatever the chunking, a character split across chunks included (fast-check)", () => {
    const table = cp949Table();
    const codes = [...new Set([...table].filter((code) => code !== 0))];
    const char = fc.oneof(
      fc.constantFrom(...codes).map((code) => String.fromCharCode(code)),
      fc.constantFrom("a", ",", "\n", "\r", "0", '"'),
    );
    fc.assert(
      fc.property(fc.array(char, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 5 }), (chars, cuts) => {
        const text = chars.join("");
        const bytes = cp949(text);
        const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        const decoder = new Cp949Decoder();
        let decoded = "";
        let from = 0;
        for (const point of [...points, bytes.length]) {
          decoded += decoder.decode(bytes.subarray(from, point));
          from = point;
        }
        decoder.end();
        expect(decoded).toBe(text);
      }),
      { numRuns: 500, seed: 15 },
    );
  });
});

describe("audit uploads", () => {
  it("a CP949 CSV without a charset is refused naming its line and byte, and says it reads as CP949", async () => {
    const ctx = await testContext();
    const body = cp949(`${AUDIT_HEADER}\n${auditRow("a-1", "ok")}\n`);
    const answer = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, body, headers: CSV });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("invalid_encoding");
    expect(answer.body.error.message).toContain("CSV UTF-8 (comma delimited)");
    expect(answer.body.error.message).toContain("?charset=cp949");
    const firstHangul = body.findIndex((b) => b >= 0x80);
    expect(answer.body.error.details).toEqual([
      expect.objectContaining({
        row: 2,
        code: "invalid_encoding",
        params: { line: 2, byte: firstHangul, charset: "utf-8", suggestion: "cp949", origin: "cp949" },
      }),
    ]);
    expect(await storedNotes(ctx)).toEqual([]);
  });

  it("a CP949 CSV with ?charset=cp949, or charset=euc-kr in Content-Type, is stored with its Hangul exact", async () => {
    const ctx = await testContext();
    const first = cp949(`${AUDIT_HEADER}\r\n${auditRow("a-1", KOREAN_NOTES)}\r\n`);
    const byQuery = await ctx.call("POST", "/v1/audits?charset=cp949", {
      key: ctx.keys.lead,
      body: first,
      headers: CSV,
    });
    expect(byQuery.status, byQuery.text).toBe(200);
    const second = cp949(`${AUDIT_HEADER}\n${auditRow("a-2", "똠방각하")}`);
    const byHeader = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.lead,
      body: second,
      headers: { "content-type": "text/csv; charset=EUC-KR" },
    });
    expect(byHeader.status, byHeader.text).toBe(200);
    expect(await storedNotes(ctx)).toEqual([KOREAN_NOTES, "똠방각하"]);
    const stored = await ctx.db.get<{ queue: string; moderator: string }>(
      "SELECT queue, moderator FROM audits",
    );
    expect(stored).toEqual({ queue: "혐오", moderator: "모더-1" });
    await noReplacementCharacters(ctx);
  });

  it("bytes that are not CP949 under ?charset=cp949 are refused naming line and byte; nothing is stored", async () => {
    const ctx = await testContext();
    const good = cp949(`${AUDIT_HEADER}\n${auditRow("a-1", "검토")}\n${auditRow("a-2", "")}`);
    const body = Buffer.concat([good, Buffer.from([0xff]), Buffer.from("\n")]);
    const answer = await ctx.call("POST", "/v1/audits?charset=cp949", {
      key: ctx.keys.lead,
      body: new Uint8Array(body),
      headers: CSV,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details[0]).toMatchObject({
      row: 3,
      code: "invalid_encoding",
      params: { line: 3, byte: good.length, charset: "cp949", suggestion: "" },
    });
    // A lead byte with nothing after it: the last byte of the body.
    const cut = Buffer.concat([good, Buffer.from([0xb0])]);
    const dangling = await ctx.call("POST", "/v1/audits?charset=cp949", {
      key: ctx.keys.lead,
      body: new Uint8Array(cut),
      headers: CSV,
    });
    expect(dangling.body.error.details[0].params).toMatchObject({ line: 3, byte: good.length });
    expect(await storedNotes(ctx)).toEqual([]);
  });

  it("Excel's Unicode text (UTF-16 LE with BOM, tab-separated) is read with tabs as the delimiter", async () => {
    const ctx = await testContext();
    const text = [AUDIT_HEADER, auditRow("u-1", KOREAN_NOTES), auditRow("u-2", "😀 emoji")]
      .map((line) => line.replaceAll(",", "\t"))
      .join("\r\n");
    const answer = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.lead,
      body: utf16le(`${text}\r\n`),
      headers: CSV,
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual({ inserted: 2, duplicates: 0 });
    expect(await storedNotes(ctx)).toEqual([KOREAN_NOTES, "😀 emoji"]);
    // The same file as UTF-16 BE, commas kept, is the same two audits.
    const again = `${AUDIT_HEADER}\n${auditRow("u-1", KOREAN_NOTES)}\n${auditRow("u-2", "😀 emoji")}`;
    const resent = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.lead,
      body: utf16be(again),
      headers: CSV,
    });
    expect(resent.body).toEqual({ inserted: 0, duplicates: 2 });
  });

  it("a lone surrogate in a UTF-16 body is refused naming its line", async () => {
    const ctx = await testContext();
    const text = `${AUDIT_HEADER}\n${auditRow("s-1", "a")}\n${auditRow("s-2", "b\uD800c")}\n`;
    const answer = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.lead,
      body: utf16le(text),
      headers: CSV,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details[0]).toMatchObject({ row: 3, params: { line: 3, charset: "utf-16le" } });
    expect(await storedNotes(ctx)).toEqual([]);
  });

  it("a byte-order mark wins over the declared charset (a UTF-8 file labelled cp949 is still UTF-8)", async () => {
    const ctx = await testContext();
    const body = `\uFEFF${AUDIT_HEADER}\n${auditRow("b-1", KOREAN_NOTES)}`;
    const answer = await ctx.call("POST", "/v1/audits?charset=cp949", {
      key: ctx.keys.lead,
      body,
      headers: CSV,
    });
    expect(answer.status, answer.text).toBe(200);
    expect(await storedNotes(ctx)).toEqual([KOREAN_NOTES]);
  });

  it("an unknown or overlong charset is a 400 naming charset, before anything is read", async () => {
    const ctx = await testContext();
    const body = `${AUDIT_HEADER}\n${auditRow("c-1", "x")}`;
    for (const [path, headers] of [
      ["/v1/audits?charset=latin1", CSV],
      ["/v1/audits", { "content-type": 'text/csv; charset="shift_jis"' }],
    ] as const) {
      const answer = await ctx.call("POST", path, { key: ctx.keys.lead, body, headers });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe("unsupported_charset");
      expect(answer.body.error.details[0]).toMatchObject({ path: "charset", code: "unsupported_charset" });
    }
    const long = await ctx.call("POST", `/v1/audits?charset=${"x".repeat(41)}`, {
      key: ctx.keys.lead,
      body,
      headers: CSV,
    });
    expect(long.status).toBe(400);
    expect(long.body.error.details[0].path).toBe("charset");
    expect(await storedNotes(ctx)).toEqual([]);
  });

  it("the query's charset wins over Content-Type's, so a client that always says utf-8 can still send CP949", async () => {
    const ctx = await testContext();
    const body = cp949(`${AUDIT_HEADER}\n${auditRow("q-1", KOREAN_NOTES)}`);
    const answer = await ctx.call("POST", "/v1/audits?charset=euc-kr", {
      key: ctx.keys.lead,
      body,
      headers: { "content-type": "text/csv; charset=utf-8" },
    });
    expect(answer.status, answer.text).toBe(200);
    expect(await storedNotes(ctx)).toEqual([KOREAN_NOTES]);
  });
});

describe("population uploads", () => {
  const header = "id,queue,moderator,market,label";

  it("CP949 is refused with the CP949 hint by default and stored exactly with ?charset=cp949", async () => {
    const ctx = await testContext();
    const body = cp949(`${header}\nd-1,혐오,모더-1,KR,똠\nd-2,스팸,모더-2,KR,검토\n`);
    const refused = await ctx.call("POST", "/v1/populations", { key: ctx.keys.lead, body, headers: CSV });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0]).toMatchObject({ row: 2, params: { suggestion: "cp949" } });
    const stored = await ctx.call("POST", "/v1/populations?charset=cp949", {
      key: ctx.keys.lead,
      body,
      headers: CSV,
    });
    expect(stored.status, stored.text).toBe(201);
    const detail = await ctx.call("GET", `/v1/populations/${stored.body.id}`, { key: ctx.keys.lead });
    expect(detail.body.attributes.queue).toEqual({ 혐오: 1, 스팸: 1 });
    expect(detail.body.attributes.label).toEqual({ 똠: 1, 검토: 1 });
    await noReplacementCharacters(ctx);
  });

  it("UTF-16 BE with BOM and tabs is read like the comma-separated UTF-8 file", async () => {
    const ctx = await testContext();
    const text = `${header}\nd-1\t혐오\t모더-1\tKR\t똠\n`.replace(header, header.replaceAll(",", "\t"));
    const answer = await ctx.call("POST", "/v1/populations", {
      key: ctx.keys.lead,
      body: utf16be(text),
      headers: CSV,
    });
    expect(answer.status, answer.text).toBe(201);
    expect(answer.body.attributes).toMatchObject({ queue: 1, moderator: 1, market: 1, label: 1 });
    const detail = await ctx.call("GET", `/v1/populations/${answer.body.id}`, { key: ctx.keys.lead });
    expect(detail.body.attributes.label).toEqual({ 똠: 1 });
  });
});

describe("calibration rating imports", () => {
  async function session(ctx: TestContext): Promise<string> {
    const res = await ctx.call("POST", "/v1/calibrations", {
      key: ctx.keys.lead,
      json: {
        name: "보정",
        categories: ["위반 없음", "혐오 표현", "똠"],
        items: [{ id: "post-1" }, { id: "post-2" }],
        raters: ["alice", "김민지"],
      },
    });
    expect(res.status, res.text).toBe(201);
    return res.body.id;
  }

  it("CP949 with ?charset=cp949 and tab-separated UTF-16 are imported; CP949 without is refused like the others", async () => {
    const ctx = await testContext();
    const id = await session(ctx);
    const path = `/v1/calibrations/${id}/ratings`;
    const body = cp949("item,rater,label\npost-1,김민지,똠\npost-2,alice,혐오 표현\n");
    const refused = await ctx.call("POST", path, { key: ctx.keys.lead, body, headers: CSV });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("invalid_encoding");
    expect(refused.body.error.details[0]).toMatchObject({ row: 2, params: { suggestion: "cp949" } });
    const imported = await ctx.call("POST", `${path}?charset=cp949`, {
      key: ctx.keys.lead,
      body,
      headers: CSV,
    });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body.written).toBe(2);
    const unicodeText = utf16le("item\trater\tlabel\r\npost-2\t김민지\t위반 없음\r\n");
    const tabbed = await ctx.call("POST", path, { key: ctx.keys.lead, body: unicodeText, headers: CSV });
    expect(tabbed.status, tabbed.text).toBe(200);
    const labels = await ctx.db.all<{ rater: string; item_id: string; label: string }>(
      "SELECT rater, item_id, label FROM calibration_ratings ORDER BY rater, item_id",
    );
    expect(labels).toEqual([
      { rater: "alice", item_id: "post-2", label: JSON.stringify("혐오 표현") },
      { rater: "김민지", item_id: "post-1", label: JSON.stringify("똠") },
      { rater: "김민지", item_id: "post-2", label: JSON.stringify("위반 없음") },
    ]);
    await noReplacementCharacters(ctx);
  });
});

describe("a CP949 upload past the memory spool (decoded on the writer thread)", () => {
  const dir = mkdtempSync(join(tmpdir(), "modqc-cp949-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is stored with its Hangul exact, and a bad byte near its end is refused naming the line", async () => {
    const db = await openTestDatabase(dir);
    const writer = new WriterThread(db);
    try {
      const app = createApp({
        db,
        config: loadConfig({ MODQC_DATA_DIR: dir }, "test"),
        logger: { info() {}, error() {} },
        writer,
      });
      const lead = (await createKey(db, { name: "lead", role: "lead" })).key;
      const rows = 40_000;
      const notes = `${KOREAN_NOTES} ${"가".repeat(80)}`;
      const lines = [AUDIT_HEADER, ...Array.from({ length: rows }, (_, i) => auditRow(`w-${i}`, notes))];
      const body = cp949(lines.join("\n"));
      expect(body.length).toBeGreaterThan(8 * 1024 * 1024);
      const post = (bytes: Uint8Array) =>
        app.request("/v1/audits?charset=cp949", {
          method: "POST",
          headers: { authorization: `Bearer ${lead}`, "content-type": "text/csv" },
          body: bytes,
        });
      const bad = new Uint8Array(
        Buffer.concat([body, Buffer.from("\n"), cp949(auditRow("w-last", "검")), Buffer.from([0x80])]),
      );
      const refused = await post(bad);
      expect(refused.status).toBe(400);
      const error = ((await refused.json()) as { error: { details: { row: number }[] } }).error;
      expect(error.details[0].row).toBe(rows + 2);
      const stored = await post(body);
      expect(stored.status).toBe(200);
      expect(await stored.json()).toEqual({ inserted: rows, duplicates: 0 });
      const distinct = await db.all<{ notes: string }>("SELECT DISTINCT notes FROM audits");
      expect(distinct).toEqual([{ notes }]);
    } finally {
      await writer.close();
      await db.close();
    }
  });
});

describe("the spreadsheet formula guard round trip", () => {
  /** One RFC 4180 field quoted when needed, cells kept as they are (the test's own writer, no guard). */
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const FORMULA_LIKE = ["-17", "=x", "+1", "@home", "-0042"];

  it("the audit template of decisions starting with - or = comes back with the exact decision ids, then as duplicates", async () => {
    const ctx = await testContext();
    const population = ["id,queue,moderator", ...FORMULA_LIKE.map((id) => `${id},hate,m1`)].join("\n");
    const uploaded = await ctx.call("POST", "/v1/populations", {
      key: ctx.keys.lead,
      body: population,
      headers: CSV,
    });
    expect(uploaded.status, uploaded.text).toBe(201);
    const drawn = await ctx.call("POST", "/v1/samples", {
      key: ctx.keys.lead,
      json: { population: uploaded.body.id, total: FORMULA_LIKE.length, seed: "guard" },
    });
    expect(drawn.status, drawn.text).toBe(201);
    const sample = drawn.body.id as string;
    await ctx.call("POST", `/v1/samples/${sample}/assign`, {
      key: ctx.keys.lead,
      json: { auditors: ["alice"] },
    });
    const template = await ctx.call("GET", `/v1/samples/${sample}/items?format=csv&template=audit`, {
      key: ctx.keys.lead,
    });
    expect(template.status).toBe(200);
    // As exported, every formula-like decision id carries the guard apostrophe.
    for (const id of FORMULA_LIKE) expect(template.text).toContain(`,'${id},`);
    const [header, ...rows] = parse(template.text.slice(1)) as string[][];
    const outcome = header.indexOf("outcome");
    const filled = [header, ...rows.map((row) => row.map((value, i) => (i === outcome ? "correct" : value)))];
    const body = filled.map((row) => row.map(cell).join(",")).join("\r\n");
    const first = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, body, headers: CSV });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toEqual({ inserted: FORMULA_LIKE.length, duplicates: 0 });
    const stored = await ctx.db.all<{ decision_id: string }>(
      "SELECT decision_id FROM audits ORDER BY decision_id",
    );
    expect(stored.map((row) => row.decision_id)).toEqual([...FORMULA_LIKE].sort());
    const again = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, body, headers: CSV });
    expect(again.body).toEqual({ inserted: 0, duplicates: FORMULA_LIKE.length });
  });

  it("an audits export with formula-like ids and notes re-uploads as exact duplicates", async () => {
    const ctx = await testContext();
    const audits = FORMULA_LIKE.map((id, i) => ({
      id,
      decisionId: `=d${i}`,
      queue: "hate",
      moderator: "-m",
      auditor: "alice",
      outcome: "correct",
      auditedAt: "2026-11-24T09:30:00+09:00",
      notes: i % 2 ? "=SUM(A1)" : "\tindented",
    }));
    expect((await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: audits })).status).toBe(200);
    const exported = await ctx.call("GET", "/v1/audits?format=csv", { key: ctx.keys.lead });
    expect(exported.text).toContain("'=SUM(A1)");
    const resent = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.lead,
      body: exported.text,
      headers: CSV,
    });
    expect(resent.status, resent.text).toBe(200);
    expect(resent.body).toEqual({ inserted: 0, duplicates: FORMULA_LIKE.length });
  });

  it("one apostrophe before apostrophes and a formula character is dropped; other leading apostrophes stay", async () => {
    const ctx = await testContext();
    const rows = [
      ["n-1", "'plain"],
      ["n-2", "'"],
      ["n-3", "''=x"],
    ];
    const body = [AUDIT_HEADER, ...rows.map(([id, notes]) => auditRow(id, notes))].join("\n");
    expect((await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, body, headers: CSV })).status).toBe(
      200,
    );
    expect(await storedNotes(ctx)).toEqual(["'plain", "'", "'=x"]);
  });
});

describe("the CSV reader's delimiter", () => {
  const read = (chunks: string[]) => {
    const records: unknown[] = [];
    const reader = createReader("csv", (record) => records.push(record.value ?? record.error));
    for (const chunk of chunks) reader.push(chunk);
    reader.end();
    return records;
  };

  it("is a tab when the header line has tabs and no comma, wherever the chunks split it", () => {
    const text = "id\tnotes\r\n1\ta,b\r\n2\t'=x\r\n";
    for (let cut = 0; cut <= text.length; cut++) {
      expect(read([text.slice(0, cut), text.slice(cut)])).toEqual([
        { id: "1", notes: "a,b" },
        { id: "2", notes: "=x" },
      ]);
    }
  });

  it("stays a comma when the header has both, or neither, or no line end at all", () => {
    expect(read(["id,notes\tx\n1,2"])).toEqual([{ id: "1", "notes\tx": "2" }]);
    expect(read(["id\n1"])).toEqual([{ id: "1" }]);
    expect(read(["a\tb"])).toEqual([]);
  });
});
