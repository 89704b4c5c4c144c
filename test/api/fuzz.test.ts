import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { testContext } from "../helpers.ts";

/**
 * Random and malformed bodies sent to every route in the OpenAPI document never yield a 5xx.
 * New routes are covered automatically because the list comes from /openapi.json.
 */
describe("robustness", () => {
  it("random JSON, random text and wrong content types never produce a 5xx on any route", async () => {
    const ctx = await testContext();
    const doc = (await ctx.call("GET", "/openapi.json")).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
    );
    expect(operations.length).toBeGreaterThan(3);

    const body = fc.oneof(
      fc.json().map((text) => ({ text, type: "application/json" })),
      fc.anything().map((value) => ({ text: JSON.stringify(value) ?? "null", type: "application/json" })),
      fc.string().map((text) => ({ text, type: "application/json" })),
      fc.string().map((text) => ({ text, type: "text/csv" })),
      fc.string().map((text) => ({ text, type: "application/x-ndjson" })),
      fc.string().map((text) => ({ text, type: "text/plain" })),
    );
    const pathValue = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom("1", "0", "-1", "%00", "x".repeat(300)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations),
        body,
        pathValue,
        fc.boolean(),
        async (op, b, param, withKey) => {
          const path = op.path.replace(/\{[^}]+\}/g, encodeURIComponent(param) || "x");
          const res = await ctx.app.request(path, {
            method: op.method,
            headers: {
              "content-type": b.type,
              ...(withKey ? { authorization: `Bearer ${ctx.keys.admin}` } : {}),
            },
            body: op.method === "GET" || op.method === "HEAD" ? undefined : b.text,
          });
          const text = await res.text();
          if (res.status >= 500) throw new Error(`${op.method} ${path} answered ${res.status}: ${text}`);
          if (res.status >= 400) expect(JSON.parse(text).error.code).toEqual(expect.any(String));
        },
      ),
      { numRuns: 400, seed: 20261125 },
    );
  });

  it("typed but out-of-range values on the calculators answer 400 with the field named", async () => {
    const { call } = await testContext();
    const cases: [string, unknown, string][] = [
      ["/v1/interval", { count: 11, n: 10 }, "count"],
      ["/v1/interval", { count: 1, n: 0 }, "n"],
      ["/v1/interval", { count: 1, n: 10, confidence: 1 }, "confidence"],
      ["/v1/interval", { count: 1, n: 10, method: "bogus" }, "method"],
      ["/v1/sample-size", { margin: 0.5 }, "margin"],
      ["/v1/sample-size", {}, "margin"],
      ["/v1/sample-size", { goal: "demonstrate" }, "maxRate"],
      ["/v1/sample-size", { margin: 0.05, population: 0 }, "population"],
      ["/v1/allocation", { method: "equal", strata: [] }, "strata"],
    ];
    for (const [path, json, field] of cases) {
      const res = await call("POST", path, { json });
      expect({ path, json, status: res.status }).toEqual({ path, json, status: 400 });
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
  });
});
