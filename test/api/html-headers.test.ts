import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { HTML_SECURITY_HEADERS } from "../../src/http/security-headers.ts";
import { PAGE_PATHS, WEB_DIST } from "../../src/routes/web.ts";
import { ensureDashboardBuilt } from "../browser/chromium.ts";
import { testContext } from "../helpers.ts";

beforeAll(() => ensureDashboardBuilt(), 60_000);

describe("security headers of HTML answers", () => {
  it("/docs and every dashboard page carry the same set (CSP, nosniff, referrer policy, frame denial)", async () => {
    const { call } = await testContext();
    expect(HTML_SECURITY_HEADERS["content-security-policy"]).toContain("default-src 'self'");
    const paths = ["/docs", ...PAGE_PATHS.map((p) => p.replace(":id", "some-session"))];
    for (const path of paths) {
      const res = await call("GET", path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      for (const [name, value] of Object.entries(HTML_SECURITY_HEADERS)) {
        expect({ path, name, value: res.headers.get(name) }).toEqual({ path, name, value });
      }
    }
  });

  it("/docs needs no inline style or script under that policy: its stylesheet comes from this origin", async () => {
    const { call } = await testContext();
    const docs = await call("GET", "/docs");
    expect(docs.text).not.toMatch(/<style|<script|\sstyle=/i);
    const sheet = docs.text.match(/<link rel="stylesheet" href="([^"]+)">/)?.[1];
    expect(sheet).toBe("/docs.css");
    const css = await call("GET", sheet!);
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(css.headers.get("x-content-type-options")).toBe("nosniff");
    expect(css.text).toContain(".method{");
    expect(docs.text).toContain("POST</span> <code>/v1/audits</code>");
  });
});

describe("source maps", () => {
  const maps = () => readdirSync(join(WEB_DIST, "assets")).filter((name) => name.endsWith(".map"));

  it("are not served unless MODQC_SOURCE_MAPS=true (404 even when the build wrote them)", async () => {
    expect(maps().length).toBeGreaterThan(0);
    const { call } = await testContext();
    for (const name of [...maps(), "main-ABCDEFGH.js.map"]) {
      const res = await call("GET", `/assets/${name}`);
      expect({ name, status: res.status }).toEqual({ name, status: 404 });
      expect(res.body.error.code).toBe("not_found");
    }
    // The bundle itself is still served.
    const script = readdirSync(join(WEB_DIST, "assets")).find((name) => name.endsWith(".js"))!;
    expect((await call("GET", `/assets/${script}`)).status).toBe(200);
  });

  it("are served with MODQC_SOURCE_MAPS=true", async () => {
    const { call } = await testContext({ MODQC_SOURCE_MAPS: "true" });
    for (const name of maps()) {
      const res = await call("GET", `/assets/${name}`);
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    }
    expect((await call("GET", "/assets/main-ABCDEFGH.js.map")).status).toBe(404);
  });
});
