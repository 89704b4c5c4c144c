import { createRouter } from "../http/router.ts";
import { HTML_SECURITY_HEADERS } from "../http/security-headers.ts";

/**
 * The API reference at /docs: rendered on the server from the same OpenAPI document as /openapi.json,
 * so it needs no script, no CDN, and cannot drift from the schemas that validate requests.
 */
interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown; description?: string }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}

interface OpenApiLike {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

/** The page's styles: a stylesheet of its own, so /docs keeps the dashboard's CSP (`style-src 'self'`). */
const DOCS_CSS = `body{font:15px/1.5 system-ui,sans-serif;margin:0;display:grid;grid-template-columns:18rem 1fr;color:#1b1f24}
nav{position:sticky;top:0;height:100vh;overflow:auto;background:#f3f5f7;padding:1rem;border-right:1px solid #d0d7de}
nav ul{list-style:none;padding:0;font-size:13px}main{padding:1rem 2rem;max-width:70rem}
section{border-bottom:1px solid #d0d7de;padding-bottom:1rem}pre{background:#f6f8fa;padding:.75rem;overflow:auto;font-size:12px}
.method{display:inline-block;min-width:4.5rem;text-align:center;border-radius:4px;color:#fff;font-size:13px;padding:2px 6px}
.get{background:#0b6e4f}.post{background:#1f5fbf}.put{background:#8a5a00}.patch{background:#6f42c1}.delete{background:#b42318}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:2px 8px;text-align:left}a{color:#0b57d0}
`;
const DOCS_STYLESHEET = "/docs.css";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const json = (value: unknown) => `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;

function operationHtml(method: string, path: string, op: Operation): string {
  const anchor = `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, "-");
  const params = (op.parameters ?? [])
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}</td><td>${p.required ? "yes" : "no"}</td><td>${escapeHtml(p.description ?? "")}</td></tr>`,
    )
    .join("");
  const bodies = Object.entries(op.requestBody?.content ?? {})
    .map(
      ([type, media]) => `<h4>Request body <code>${escapeHtml(type)}</code></h4>${json(media.schema ?? {})}`,
    )
    .join("");
  const responses = Object.entries(op.responses ?? {})
    .map(([status, response]) => {
      const schema = response.content?.["application/json"]?.schema;
      return `<details><summary><b>${status}</b> ${escapeHtml(response.description ?? "")}</summary>${schema ? json(schema) : ""}</details>`;
    })
    .join("");
  return `<section id="${anchor}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${escapeHtml(op.summary ?? "")}</p>
${op.description ? `<p class="description">${escapeHtml(op.description).replace(/\n/g, "<br>")}</p>` : ""}
${params ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>description</th></tr>${params}</table>` : ""}
${bodies}<h4>Responses</h4>${responses}</section>`;
}

export function docsPage(doc: OpenApiLike): string {
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const toc = operations
    .map(
      ({ path, method }) =>
        `<li><a href="#${`${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, "-")}">${method.toUpperCase()} ${escapeHtml(path)}</a></li>`,
    )
    .join("");
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(
      ([name, schema]) =>
        `<details id="schema-${escapeHtml(name)}"><summary>${escapeHtml(name)}</summary>${json(schema)}</details>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} API reference</title>
<link rel="stylesheet" href="${DOCS_STYLESHEET}">
</head><body>
<nav><strong>${escapeHtml(doc.info.title)} ${escapeHtml(doc.info.version)}</strong><p><a href="/openapi.json">openapi.json</a></p><ul>${toc}</ul></nav>
<main><h1>${escapeHtml(doc.info.title)} API reference</h1><p>${escapeHtml(doc.info.description ?? "")}</p>
<p>Authenticate with <code>Authorization: Bearer &lt;key&gt;</code>. Errors are always
<code>{"error":{"code","message","details"?}}</code>.</p>
${operations.map(({ path, method, op }) => operationHtml(method, path, op)).join("\n")}
<h2>Schemas</h2>${schemas}</main></body></html>`;
}

/**
 * `/docs` (the page, rendered once from `document()`) and its stylesheet, with the dashboard's security headers.
 * Mounted by `createApp` next to `/openapi.json`.
 */
export function docsRouter(document: () => OpenApiLike) {
  let html: string | undefined;
  return createRouter()
    .get("/docs", (c) =>
      c.html((html ??= docsPage(document())), 200, { "cache-control": "no-cache", ...HTML_SECURITY_HEADERS }),
    )
    .get(DOCS_STYLESHEET, (c) =>
      c.body(DOCS_CSS, 200, {
        "content-type": "text/css; charset=utf-8",
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
      }),
    );
}
