import { describe, expect, it } from "vitest";
import { type TestContext, testContext } from "../helpers.ts";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const MEDIA = { json: "application/json", csv: "text/csv", ndjson: "application/x-ndjson", xlsx: XLSX };

async function withAudits(): Promise<TestContext> {
  const ctx = await testContext();
  const audits = ["correct", "incorrect"].map((outcome, i) => ({
    id: `f-${i}`,
    decisionId: `d-${i}`,
    queue: "spam",
    moderator: "mod-1",
    auditor: "alice",
    outcome,
    ...(outcome === "incorrect" ? { errorType: "false-positive" } : {}),
    auditedAt: "2026-11-24T09:30:00+09:00",
  }));
  expect((await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: audits })).status).toBe(200);
  return ctx;
}

describe("export routes answer JSON by default and a file format chosen by `format` or `Accept`", () => {
  it("Accept: text/csv gets CSV, with Vary: Accept; no Accept, */* and application/json get JSON", async () => {
    const { call, keys } = await withAudits();
    const csv = await call("GET", "/v1/quality?groupBy=queue", {
      key: keys.viewer,
      headers: { accept: "text/csv" },
    });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.text.startsWith("\uFEFF")).toBe(true);
    expect(csv.headers.get("vary")).toContain("Accept");
    for (const accept of [
      undefined,
      "*/*",
      "application/json",
      "text/html,application/xhtml+xml,*/*;q=0.8",
    ]) {
      const res = await call("GET", "/v1/quality", { key: keys.viewer, headers: accept ? { accept } : {} });
      expect(res.headers.get("content-type"), String(accept)).toMatch(/^application\/json/);
      expect(res.body.overall.audited).toBe(2);
    }
  });

  it("q-values decide between offered types; a type the route does not offer falls back to JSON (never 406)", async () => {
    const { call, keys } = await withAudits();
    const type = async (path: string, accept: string) =>
      (await call("GET", path, { key: keys.viewer, headers: { accept } })).headers.get("content-type");
    expect(await type("/v1/quality", "text/csv;q=0.5, application/json")).toMatch(/^application\/json/);
    expect(await type("/v1/quality", "application/json;q=0.1, text/csv")).toMatch(/^text\/csv/);
    expect(await type("/v1/quality", "text/csv;q=0, application/json")).toMatch(/^application\/json/);
    expect(await type("/v1/quality", "application/x-ndjson")).toMatch(/^application\/json/);
    expect(await type("/v1/quality", "image/png")).toMatch(/^application\/json/);
    expect(await type("/v1/audits", "application/x-ndjson")).toMatch(/^application\/x-ndjson/);
    expect(await type("/v1/audits", XLSX)).toBe(XLSX);
    expect(await type("/v1/policy-confusion", "text/csv")).toMatch(/^text\/csv/);
  });

  it("an explicit `format` wins over Accept", async () => {
    const { call, keys } = await withAudits();
    const json = await call("GET", "/v1/audits?format=json", {
      key: keys.viewer,
      headers: { accept: "text/csv" },
    });
    expect(json.body.audits).toHaveLength(2);
    const csv = await call("GET", "/v1/audits?format=csv", {
      key: keys.viewer,
      headers: { accept: "application/json" },
    });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.text.split("\n")).toHaveLength(4); // BOM + header, two audits, the final newline
  });

  it("the document declares JSON first and each `format` value as its own media type of the 200", async () => {
    const { call } = await testContext();
    const doc = (await call("GET", "/openapi.json")).body as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { name: string; in: string; schema: { enum?: string[] } }[];
            responses: Record<string, { content?: Record<string, unknown> }>;
          }
        >
      >;
    };
    const exports: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const format = op.parameters?.find((p) => p.in === "query" && p.name === "format");
        if (!format?.schema.enum) continue;
        const declared = Object.keys(op.responses["200"].content ?? {});
        const expected = format.schema.enum.map((f) => MEDIA[f as keyof typeof MEDIA]);
        expect(declared[0], `${method} ${path}`).toBe("application/json");
        expect(new Set(declared), `${method} ${path}`).toEqual(new Set(expected));
        exports.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(exports).toEqual(
      expect.arrayContaining([
        "GET /v1/audits",
        "GET /v1/quality",
        "GET /v1/samples/{id}/items",
        "GET /v1/scorecards",
        "GET /v1/calibrations/{id}/report",
        "GET /v1/policy-confusion",
      ]),
    );
  });
});
