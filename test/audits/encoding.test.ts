import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { locateInvalidUtf8 } from "../../src/audits/utf8.ts";
import { testContext } from "../helpers.ts";

const fatal = new TextDecoder("utf-8", { fatal: true });
const isUtf8 = (bytes: Uint8Array) => {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/** "검토" (reviewed) in CP949, as Excel on Korean Windows saves a plain "CSV". */
const CP949_REVIEWED = [0xb0, 0xcb, 0xc5, 0xe4];

describe("locateInvalidUtf8", () => {
  it("finds nothing exactly when a fatal UTF-8 decoder accepts the bytes, whatever the chunking (fast-check)", () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.string({ unit: "grapheme", maxLength: 20 }).map((s) => new TextEncoder().encode(s)),
    );
    fc.assert(
      fc.property(bytes, fc.nat(), (data, cut) => {
        const at = Math.min(cut, data.length);
        const found = locateInvalidUtf8([data.subarray(0, at), data.subarray(at)]);
        expect(found === undefined).toBe(isUtf8(data));
        if (found) {
          expect(isUtf8(data.subarray(0, found.byte))).toBe(true);
          const lines = data.subarray(0, found.byte).filter((b) => b === 0x0a).length + 1;
          expect(found.line).toBe(lines);
        }
      }),
      { numRuns: 2000, seed: 15 },
    );
  });

  it("refuses overlong forms, surrogates and code points above U+10FFFF, as the WHATWG decoder does", () => {
    for (const bad of [
      [0xc0, 0x80],
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xff],
    ]) {
      expect(locateInvalidUtf8([Uint8Array.from(bad)])).toEqual({ byte: 0, line: 1 });
    }
  });
});

describe("uploads that are not UTF-8", () => {
  const header = "id,decisionId,queue,moderator,auditor,outcome,auditedAt,notes\n";
  const row = (id: string) => `${id},d-${id},hate,m,alice,correct,2026-11-24T09:30:00+09:00,`;

  it("an audits CSV in CP949 is refused naming its first bad line, and nothing is stored", async () => {
    const { call, keys, db } = await testContext();
    const body = Buffer.concat([
      Buffer.from(`${header}${row("a-1")}ok\n${row("a-2")}`),
      Buffer.from(CP949_REVIEWED),
      Buffer.from("\n"),
    ]);
    const answer = await call("POST", "/v1/audits", {
      key: keys.lead,
      body: new Uint8Array(body),
      headers: { "content-type": "text/csv" },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("invalid_encoding");
    expect(answer.body.error.details[0].row).toBe(3);
    expect(answer.body.error.message).toMatch(/CSV UTF-8/);
    expect(await db.get("SELECT COUNT(*) AS n FROM audits")).toEqual({ n: 0 });
  });

  it("a population CSV in CP949 is refused the same way", async () => {
    const { call, keys, db } = await testContext();
    const body = Buffer.concat([
      Buffer.from("id,queue,moderator,label\nd-1,hate,m,"),
      Buffer.from(CP949_REVIEWED),
    ]);
    const answer = await call("POST", "/v1/populations?name=week", {
      key: keys.lead,
      body: new Uint8Array(body),
      headers: { "content-type": "text/csv" },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("invalid_encoding");
    expect(answer.body.error.details[0].row).toBe(2);
    expect(await db.get("SELECT COUNT(*) AS n FROM populations")).toEqual({ n: 0 });
  });

  it("UTF-8 Hangul, with or without a BOM, is stored exactly", async () => {
    const { call, keys } = await testContext();
    const body = `\uFEFF${header}${row("a-9")}검토 완료\n`;
    const answer = await call("POST", "/v1/audits", {
      key: keys.lead,
      body,
      headers: { "content-type": "text/csv" },
    });
    expect(answer.status).toBe(200);
    const listed = await call("GET", "/v1/audits", { key: keys.viewer });
    expect(listed.body.audits[0].notes).toBe("검토 완료");
  });
});
