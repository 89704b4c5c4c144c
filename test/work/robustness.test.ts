import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { storedAudits, verdictPath, workContext } from "./fixture.ts";

/** A path segment: percent-encoded, or for a lone surrogate the bytes no UTF-8 decoder accepts. */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return "%ED%A0%80";
  }
}

describe("work routes and odd input", () => {
  it("odd path values, queries and bodies never answer 5xx, and every refusal has a code", async () => {
    const ctx = await workContext(4);
    const item = ctx.items[0].id;
    const text = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom("\u0000", "%", "/", "x".repeat(600), "\uD800", ctx.sample, item),
    );
    const body = fc.oneof(
      fc.json(),
      fc.constantFrom(
        '{"outcome":"correct","auditor":"\\u0000"}',
        '{"outcome":"incorrect","errorType":"other","notes":"\\ud800"}',
        '{"reason":"other","note":"\\u0000"}',
        '{"items":["\\u0000"],"auditor":"bob"}',
        '{"items":[],"auditor":""}',
      ),
    );
    const request = fc.record({
      method: fc.constantFrom("GET", "PUT", "POST", "DELETE"),
      path: fc.constantFrom(
        (s: string, i: string) => `/v1/samples/${s}/items/${i}/verdict`,
        (s: string, i: string) => `/v1/samples/${s}/items/${i}/skip`,
        (s: string) => `/v1/samples/${s}/items/reassign`,
        (s: string, i: string) => `/v1/work?auditor=${s}&sample=${i}&status=all`,
        (s: string) => `/v1/work?cursor=${s}`,
        (s: string) => `/v1/work/summary?auditor=${s}`,
      ),
      sample: text,
      item: text,
      body,
      key: fc.constantFrom(ctx.keys.admin, ctx.keys.lead, ctx.keys.auditor, ctx.keys.viewer),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const path = r.path(encode(r.sample), encode(r.item));
        const res = await ctx.app.request(path, {
          method: r.method,
          headers: { authorization: `Bearer ${r.key}`, "content-type": "application/json" },
          body: r.method === "GET" ? undefined : r.body,
        });
        const answer = await res.text();
        if (res.status >= 500) throw new Error(`${r.method} ${path} answered ${res.status}: ${answer}`);
        if (res.status >= 400) expect(JSON.parse(answer).error.code).toEqual(expect.any(String));
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  it("a verdict whose body is not UTF-8 (CP949 Hangul) is refused, not stored with U+FFFD", async () => {
    const ctx = await workContext(4);
    const item = ctx.itemsOf("alice")[0].id;
    const body = Buffer.concat([
      Buffer.from('{"outcome":"correct","notes":"'),
      Buffer.from([0xb0, 0xa1]),
      Buffer.from('"}'),
    ]);
    const res = await ctx.call("PUT", verdictPath(ctx.sample, item), {
      key: ctx.keys.auditor,
      body: new Uint8Array(body),
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_encoding");
    expect(await storedAudits(ctx)).toEqual([]);
  });
});
