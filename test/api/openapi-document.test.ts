import { describe, expect, it } from "vitest";
import { testContext } from "../helpers.ts";

type Doc = {
  servers: { url: string }[];
  paths: Record<string, Record<string, { operationId?: string }>>;
  components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>> }> };
};
const documentOf = async (env: Record<string, string> = {}) =>
  (await (await testContext(env)).call("GET", "/openapi.json")).body as Doc;

describe("the OpenAPI document for generated clients", () => {
  it("names every operation with a unique camelCase operationId", async () => {
    const doc = await documentOf();
    const ids = Object.values(doc.paths).flatMap((methods) =>
      Object.values(methods).map((op) => op.operationId),
    );
    expect(ids.length).toBeGreaterThan(70);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("states the server: MODQC_PUBLIC_URL, or the request's origin when the service listens on every interface", async () => {
    expect((await documentOf({ MODQC_PUBLIC_URL: "https://qa.example.com/" })).servers).toEqual([
      { url: "https://qa.example.com" },
    ]);
    expect((await documentOf({ HOST: "0.0.0.0", PORT: "8080" })).servers).toEqual([
      { url: "http://localhost" },
    ]);
    expect((await documentOf({ HOST: "::", PORT: "8080" })).servers).toEqual([{ url: "http://localhost" }]);
  });

  it("writes a nullable reference as anyOf [reference, null], never as an allOf no null satisfies", async () => {
    const doc = await documentOf();
    const text = JSON.stringify(doc);
    expect(text).not.toMatch(/"allOf":\[\{"\$ref":"[^"]+"\},\{"type":\["object","null"\]/);
    const stats = doc.components.schemas.DisputePage.properties!.stats;
    expect(stats.anyOf).toEqual([{ $ref: "#/components/schemas/DisputeStats" }, { type: "null" }]);
  });

  it("has no default on an optional property (generated clients would make it required): it is described", async () => {
    const doc = await documentOf();
    const level = doc.components.schemas.NewCalibration.properties!.level;
    expect(level.default).toBeUndefined();
    expect(level.description).toMatch(/Default: "nominal"\.$/);
  });
});
