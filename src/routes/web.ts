import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Context } from "hono";
import type { AppEnv } from "../http/env.ts";
import { createRouter } from "../http/router.ts";
import { HTML_SECURITY_HEADERS } from "../http/security-headers.ts";

/** Where `npm run build` (scripts/build-web.mjs) writes the dashboard. */
export const WEB_DIST = fileURLToPath(new URL("../../web/dist/", import.meta.url));

/**
 * The dashboard's page paths (history routing). Each answers index.html and the page script routes on the
 * client. Only these are served, so every other path, `/v1/*` above all, keeps the API's JSON 404.
 */
export const PAGE_PATHS = [
  "/",
  "/sign-in",
  "/audit",
  "/planner",
  "/quality",
  "/charts",
  "/calibration",
  "/calibration/:id",
  "/alerts",
  "/keys",
  "/findings",
  "/scorecards",
  "/disputes",
  "/samples",
  "/samples/:id",
  "/audits",
  "/audits/:id",
  "/auditors",
] as const;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/** Hashed file names (`main-ABCD1234.js`) never change content, so browsers may keep them for a year. */
const IMMUTABLE = "public, max-age=31536000, immutable";
const ASSET_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9]+)+$/;
const HASHED = /-[A-Z0-9]{8}\./i;

const PAGE_HEADERS = HTML_SECURITY_HEADERS;

interface CachedFile {
  body: Buffer;
  etag: string;
  mtimeMs: number;
}
const cache = new Map<string, CachedFile>();

/** Reads a file of the build, re-reading when it changed on disk (a rebuild while the service runs). */
function readBuilt(name: string): CachedFile | undefined {
  const file = join(WEB_DIST, name);
  let mtimeMs: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return undefined;
    mtimeMs = stat.mtimeMs;
  } catch {
    return undefined;
  }
  const cached = cache.get(file);
  if (cached && cached.mtimeMs === mtimeMs) return cached;
  const body = readFileSync(file);
  const entry = {
    body,
    mtimeMs,
    etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`,
  };
  cache.set(file, entry);
  return entry;
}

function send(c: Context<AppEnv>, name: string, cacheControl: string, extra: Record<string, string> = {}) {
  const file = readBuilt(name);
  if (!file) return undefined;
  const headers: Record<string, string> = {
    "content-type": CONTENT_TYPES[extname(name)] ?? "application/octet-stream",
    "cache-control": cacheControl,
    etag: file.etag,
    "x-content-type-options": "nosniff",
    ...extra,
  };
  if (c.req.header("if-none-match") === file.etag) return c.body(null, 304, headers);
  return c.body(new Uint8Array(file.body), 200, headers);
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>modqc</title>
<h1>The dashboard has not been built</h1><p>Run <code>npm run build</code> (or <code>npm install</code>), then reload.</p>
<p lang="ko">대시보드가 아직 빌드되지 않았습니다. <code>npm run build</code>를 실행한 뒤 새로 고치세요.</p>
<p>The API is available: <a href="/docs">/docs</a>.</p></html>`;

function page(c: Context<AppEnv>) {
  // index.html names the hashed assets of the current build: always revalidate it.
  const response = send(c, "index.html", "no-cache", PAGE_HEADERS);
  return response ?? c.html(NOT_BUILT, 503, { "cache-control": "no-store", ...PAGE_HEADERS });
}

function notFoundJson(c: Context<AppEnv>) {
  return c.json({ error: { code: "not_found", message: `no route for ${c.req.method} ${c.req.path}` } }, 404);
}

/** Serves the dashboard: index.html at the page paths, the built assets under /assets/, the favicon. */
export const webRouter = createRouter();
for (const path of PAGE_PATHS) webRouter.get(path, page);
webRouter.get("/assets/:name", (c) => {
  const name = c.req.param("name");
  if (!ASSET_NAME.test(name)) return notFoundJson(c);
  // The build writes source maps next to the bundle; they are served only when MODQC_SOURCE_MAPS=true.
  if (name.endsWith(".map") && !c.get("deps").config.sourceMaps) return notFoundJson(c);
  const cacheControl = HASHED.test(name) ? IMMUTABLE : "no-cache";
  return send(c, join("assets", name), cacheControl) ?? notFoundJson(c);
});
for (const path of ["/favicon.ico", "/favicon.svg"]) {
  webRouter.get(path, (c) => send(c, "favicon.svg", "public, max-age=86400") ?? notFoundJson(c));
}
