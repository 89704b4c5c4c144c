import { beforeAll, describe, expect, it } from "vitest";
import { PAGE_PATHS } from "../../src/routes/web.ts";
import { testContext } from "../helpers.ts";
import { ensureDashboardBuilt } from "./chromium.ts";

/** How the service serves the dashboard (no browser needed). */
describe("dashboard assets", () => {
  beforeAll(() => ensureDashboardBuilt(), 60_000);

  it("answers index.html at every page path, revalidated, with a strict content security policy", async () => {
    const { call } = await testContext();
    for (const path of PAGE_PATHS) {
      const res = await call("GET", path.replace(":id", "some-session"));
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.text).toContain('<div id="app"></div>');
    }
  });

  it("serves every asset named by index.html from this origin with its type, immutable when hashed", async () => {
    const { call } = await testContext();
    const html = (await call("GET", "/")).text;
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBe(3);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/assets\/[A-Za-z0-9_-]+\.(js|css|svg)$/); // local: no CDN, no other origin
      const res = await call("GET", asset);
      expect(res.status, asset).toBe(200);
      const type = {
        js: "text/javascript; charset=utf-8",
        css: "text/css; charset=utf-8",
        svg: "image/svg+xml",
      }[asset.split(".").at(-1) as "js" | "css" | "svg"];
      expect(res.headers.get("content-type")).toBe(type);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      const again = await call("GET", asset, { headers: { "if-none-match": res.headers.get("etag")! } });
      expect(again.status).toBe(304);
    }
    const script = await call("GET", assets.find((a) => a.endsWith(".js"))!);
    // The only absolute URLs in the bundle are XML namespaces and the webhook field's example placeholder.
    const urls = [...script.text.matchAll(/https?:\/\/[^\s"'`)]+/g)]
      .map((m) => m[0])
      .filter(
        (url) => !url.startsWith("http://www.w3.org/") && !url.startsWith("https://hooks.example.com/"),
      );
    expect(urls).toEqual([]);
  });

  it("leaves the API alone: /v1/*, /health, /openapi.json and /docs keep their answers, unknown paths a JSON 404", async () => {
    const { call } = await testContext();
    for (const path of [
      "/v1",
      "/v1/",
      "/v1/nothing",
      "/v1/quality/x",
      "/planner/x",
      "/assets/../package.json",
      "/nope",
    ]) {
      const res = await call("GET", path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(res.body.error.code).toBe("not_found");
    }
    expect((await call("GET", "/health")).body.status).toBe("ok");
    expect((await call("GET", "/openapi.json")).body.openapi).toBe("3.1.0");
    expect((await call("GET", "/docs")).headers.get("content-type")).toMatch(/^text\/html/);
    expect((await call("GET", "/assets/missing-AAAAAAAA.js")).status).toBe(404);
    expect((await call("GET", "/assets/%2e%2e%2fpackage.json")).status).toBe(404);
    expect((await call("POST", "/planner")).status).toBe(404);
  });

  it("answers HEAD like GET without a body, and serves the favicon", async () => {
    const { app } = await testContext();
    const head = await app.request("/quality", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    const icon = await app.request("/favicon.ico");
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toBe("image/svg+xml");
  });

  it("does not put the dashboard's paths in the OpenAPI document", async () => {
    const { call } = await testContext();
    const paths = Object.keys((await call("GET", "/openapi.json")).body.paths);
    expect(paths.every((p) => p.startsWith("/v1/") || p === "/health")).toBe(true);
    expect(paths).toContain("/v1/me");
  });
});
