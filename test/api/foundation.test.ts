import { describe, expect, it } from "vitest";
import { onPostgres } from "../database.ts";
import { testContext } from "../helpers.ts";

describe("service foundation", () => {
  it("GET /health answers ok with the version, the backend and whether this instance leads", async () => {
    const { call } = await testContext();
    const res = await call("GET", "/health");
    expect(res.status).toBe(200);
    // Not started here: on PostgreSQL an instance leads only once its alerting has taken the leadership.
    expect(res.body).toEqual(
      onPostgres
        ? { status: "ok", version: "test", database: "postgres", leader: false }
        : { status: "ok", version: "test", database: "sqlite", leader: true },
    );
  });

  it("GET /openapi.json is an OpenAPI 3.1 document naming every route", async () => {
    const { call } = await testContext();
    const res = await call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const paths = Object.keys(res.body.paths);
    for (const path of [
      "/health",
      "/v1/keys",
      "/v1/keys/{id}",
      "/v1/sample-size",
      "/v1/interval",
      "/v1/allocation",
    ]) {
      expect(paths).toContain(path);
    }
    expect(res.body.paths["/v1/interval"].post.requestBody.content["application/json"].schema).toBeDefined();
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("GET /docs serves a self-contained HTML reference with no external scripts", async () => {
    const { call } = await testContext();
    const res = await call("GET", "/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.text).toContain("/v1/sample-size");
    // Example URLs may appear in schema text; nothing may be loaded from elsewhere.
    expect(res.text).not.toMatch(
      /<script[^>]+src=|<link[^>]+href=["']?https?:|<img[^>]+src=["']?https?:|url\(\s*["']?https?:/i,
    );
  });

  it("unknown routes answer 404 in the error shape", async () => {
    const { call } = await testContext();
    const res = await call("GET", "/v1/nothing-here");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
    expect(typeof res.body.error.message).toBe("string");
  });

  it("malformed JSON answers 400, not 500", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/interval", {
      body: '{"count": 1,',
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("malformed_request");
  });

  it("a schema failure lists one entry per bad field with its path", async () => {
    const { call } = await testContext();
    const res = await call("POST", "/v1/allocation", {
      json: {
        method: "neyman",
        total: 10,
        strata: [
          { key: "a", size: -1 },
          { key: "b", size: 1.5 },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["strata.0.size", "strata.1.size"]));
    expect(paths).toHaveLength(2);
  });

  it("a body over the limit answers 413", async () => {
    const { call } = await testContext({ MODQC_BODY_LIMIT: "2048" });
    const res = await call("POST", "/v1/interval", {
      body: JSON.stringify({ count: 1, n: 2, pad: "x".repeat(5000) }),
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
  });

  it("a body over the limit without Content-Length (streamed) answers 413", async () => {
    const { app } = await testContext({ MODQC_BODY_LIMIT: "2048" });
    const chunk = new TextEncoder().encode(`{"count":1,"n":2,"pad":"${"x".repeat(4000)}"}`);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await app.request("/v1/interval", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it("an unexpected error answers 500 with a request id, logs it, and leaks no stack", async () => {
    const ctx = await testContext();
    ctx.app.get("/boom", () => {
      throw new Error("secret internal detail");
    });
    const res = await ctx.call("GET", "/boom");
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe("internal_error");
    expect(res.body.error.requestId).toBe(res.headers.get("x-request-id"));
    expect(res.text).not.toContain("secret internal detail");
    expect(res.text).not.toContain("at ");
    expect(
      ctx.logged.some(
        (l) => l.level === "error" && String(l.fields?.error).includes("secret internal detail"),
      ),
    ).toBe(true);
  });
});

describe("ingest body limit", () => {
  it("a streamed (chunked) ingest body over MODQC_INGEST_BODY_LIMIT answers 413 and stores nothing", async () => {
    const { app, keys, db } = await testContext({ MODQC_INGEST_BODY_LIMIT: "4096" });
    const line = `${JSON.stringify({ id: "x", decisionId: "d", queue: "q", moderator: "m", auditor: "a", outcome: "correct", auditedAt: "2026-11-24T09:30:00Z" })}\n`;
    const encoder = new TextEncoder();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 100) controller.enqueue(encoder.encode(line.replace('"x"', `"x${sent}"`)));
        else controller.close();
      },
    });
    const res = await app.request("/v1/audits", {
      method: "POST",
      headers: { authorization: `Bearer ${keys.admin}`, "content-type": "application/x-ndjson" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
    expect(await db.get("SELECT COUNT(*) AS n FROM audits")).toEqual({ n: 0 });
  });

  it("a declared Content-Length over the ingest limit answers 413 before reading", async () => {
    const { call, keys } = await testContext({ MODQC_INGEST_BODY_LIMIT: "1024" });
    const res = await call("POST", "/v1/audits", {
      key: keys.admin,
      body: "x".repeat(2000),
      headers: { "content-type": "application/x-ndjson", "content-length": "2000" },
    });
    expect(res.status).toBe(413);
  });
});
