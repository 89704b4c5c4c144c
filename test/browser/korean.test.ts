import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoResult, runDemo } from "../../scripts/demo.ts";
import { PAGE_PATHS } from "../../src/routes/web.ts";
import { ko } from "../../web/src/i18n/ko.ts";
import { type ChildServer, startChildServer } from "../child-server.ts";
import { ensureDashboardBuilt, launchChromium, skipBrowser } from "./chromium.ts";
import { ready, SCREENSHOTS, signIn } from "./steps.ts";

/**
 * No English in Korean: every page of PAGE_PATHS (with the demo's ids), the auditor's workbench and a moderator's
 * pages, in Korean, once their data is on screen. Every visible text node and every attribute a user reads
 * (title, aria-label, placeholder, alt) is checked for English words outside the allowed terms: names of
 * statistics and units, and the demo's own data (queue, policy, market, moderator and auditor names, ids, notes,
 * URLs), which the test reads from the API. Texts inside <code> are identifiers (field names) and stay as they
 * are. A failure lists every offending text of every page at once.
 */

/** Terms that are the same in Korean: statistics' names, units, formats, protocols, product names. */
const ALLOWED = new Set(
  [
    "modqc",
    "English",
    "Wilson",
    "Wald",
    "Fleiss",
    "Cohen",
    "Krippendorff",
    "Gwet",
    "AC",
    "Laney",
    "EWMA",
    "CUSUM",
    "Clopper",
    "Pearson",
    "Jeffreys",
    "Agresti",
    "Coull",
    "Neyman",
    "Shewhart",
    "Nelson",
    "Western",
    "Electric",
    "Bayes",
    "Newcombe",
    "Fisher",
    "Cochran",
    "Landis",
    "Koch",
    "Beta",
    "Griffiths",
    "UTC",
    "GMT",
    "kappa",
    "alpha",
    "MR",
    "np",
    "UCL",
    "LCL",
    "CL",
    "ms",
    "KB",
    "MB",
    "MiB",
    "GB",
    "CSV",
    "NDJSON",
    "JSON",
    "UTF",
    "API",
    "URL",
    "HTTP",
    "HTTPS",
    "ID",
    "IDs",
    "UUID",
    "ISO",
    "IANA",
    "QA",
    "Slack",
    "Alertmanager",
    "HMAC",
    "SHA",
    "Excel",
    "OpenAPI",
    "Bearer",
    "Tab",
    "Enter",
    "Esc",
    "Space",
    "Shift",
    "Ctrl",
  ].map((term) => term.toLowerCase()),
);

/** The JSON fields whose values are user data (names, notes, ids): their words are allowed on pages. */
const USER_FIELDS = new Set([
  "id",
  "name",
  "notes",
  "note",
  "reason",
  "queue",
  "policy",
  "market",
  "moderator",
  "auditor",
  "rater",
  "raters",
  "correctPolicy",
  "categories",
  "label",
  "gold",
  "url",
  "decisionId",
  "sampleId",
  "population",
  "items",
  "by",
  "createdBy",
  "recordedBy",
  "decidedBy",
  "reviewer",
  "strata",
  "strataAttributes",
  "attributes",
]);

interface Seen {
  where: string;
  text: string;
}

/**
 * The texts a user reads: visible text nodes (an <option> when its <select> is visible, an SVG <title> when its
 * parent is) and the attributes title, aria-label, placeholder and alt; not inside <code>, <script> or <style>.
 * A string expression: the test's TypeScript has no DOM types, and page.evaluate takes it as is.
 */
const COLLECT_TEXTS = `(() => {
  const out = [];
  const visible = (el) => !el || typeof el.checkVisibility !== "function" || el.checkVisibility();
  const skipped = (el) => !!el.closest("code, script, style, noscript");
  const describe = (el) => {
    const testId = el.closest("[data-testid]")?.getAttribute("data-testid");
    const cls = typeof el.className === "string" && el.className ? "." + el.className.split(" ")[0] : "";
    return el.tagName.toLowerCase() + cls + (testId ? " in " + testId : "");
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    const text = (node.textContent || "").trim();
    if (!text || !el || skipped(el)) continue;
    const tag = el.tagName.toLowerCase();
    const shown = tag === "option" ? el.closest("select") : tag === "title" ? el.parentElement : el;
    if (!visible(shown)) continue;
    out.push({ where: describe(el), text });
  }
  for (const el of document.body.querySelectorAll("[title], [aria-label], [placeholder], [alt]")) {
    if (skipped(el) || !visible(el)) continue;
    for (const name of ["title", "aria-label", "placeholder", "alt"]) {
      const value = (el.getAttribute(name) || "").trim();
      if (value) out.push({ where: describe(el) + " @" + name, text: value });
    }
  }
  return out;
})()`;

/**
 * Words of a text that are English: the demo's data (`userData`, longest first) is taken out first, then chunks
 * with a digit, _ or @ are identifiers (ids, versions, keys) and skipped; what is left must be allowed.
 */
function englishWords(text: string, userData: readonly UserValue[] = []): string[] {
  let rest = text;
  for (const { value, pattern } of userData) if (rest.includes(value)) rest = rest.replace(pattern, " ");
  rest = rest.replace(IANA_ZONE, " ");
  const words: string[] = [];
  for (const chunk of rest.split(/[\s/()[\]{},;:·…"“”'‘’|=<>]+/)) {
    if (chunk === "" || /[\d_@]/.test(chunk)) continue;
    for (const word of chunk.match(/[A-Za-z]{2,}/g) ?? []) {
      if (!ALLOWED.has(word.toLowerCase())) words.push(word);
    }
  }
  return words;
}

/** IANA time-zone names (Asia/Seoul, America/Los_Angeles) are identifiers. */
const IANA_ZONE = /\b[A-Z][a-z]+\/[A-Za-z_]+(?:\/[A-Za-z_]+)?\b/g;

/** A value of the demo's data and where it stands as a whole in a text (not inside a word: "US" in "CUSUM"). */
interface UserValue {
  value: string;
  pattern: RegExp;
}
const userValue = (value: string): UserValue => ({
  value,
  pattern: new RegExp(`(?<![A-Za-z])${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![A-Za-z])`, "g"),
});

/** Every string under a user-data field of a JSON answer. */
function harvest(value: unknown, into: Set<string>, userData = false): void {
  if (typeof value === "string") {
    if (userData && value.trim().length >= 2) into.add(value.trim());
  } else if (Array.isArray(value)) {
    for (const entry of value) harvest(entry, into, userData);
  } else if (value && typeof value === "object") {
    for (const [key, entry] of Object.entries(value)) harvest(entry, into, userData || USER_FIELDS.has(key));
  }
}

let browser: Browser;
let server: ChildServer;
let data: DemoResult;
let auditId: string;
/** The demo's data as the API gives it, longest first (so a note goes before a name inside it). */
let userData: UserValue[] = [];

async function adminGet(path: string): Promise<unknown> {
  const response = await fetch(`${server.url}${path}`, {
    headers: { authorization: `Bearer ${server.adminKey}` },
  });
  if (!response.ok) return undefined;
  return response.json();
}

/** A sample drawn as an admin (the demo's data is read before, so its plan notes are not allowed as user data). */
async function adminDraw(json: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${server.url}/v1/samples`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" },
    body: JSON.stringify(json),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/**
 * Opens `path` in Korean and waits for its data: a heading, nothing loading, no request for half a second. A page
 * that never gets there is reported as a finding (with the others), not as the test's only failure.
 */
async function visit(page: Page, path: string, found: string[]): Promise<boolean> {
  try {
    await page.goto(path);
    await ready(page, "h1");
    await page.waitForLoadState("networkidle");
    await ready(page, "h1");
    return true;
  } catch (error) {
    found.push(
      `${path}: did not finish loading (${error instanceof Error ? error.message.split("\n")[0] : error})`,
    );
    return false;
  }
}

/** The English texts of the page, each with its path and element. */
async function englishOn(page: Page, path: string): Promise<string[]> {
  const seen = (await page.evaluate(COLLECT_TEXTS)) as Seen[];
  const found: string[] = [];
  for (const { where, text } of seen) {
    const words = englishWords(text, userData);
    if (words.length > 0)
      found.push(`${path} ${where}: ${JSON.stringify(text.slice(0, 160))} [${words.join(", ")}]`);
  }
  return [...new Set(found)];
}

describe.skipIf(skipBrowser)("no English in the Korean dashboard", () => {
  beforeAll(async () => {
    ensureDashboardBuilt();
    browser = await launchChromium();
    server = await startChildServer();
    data = await runDemo({ url: server.url, adminKey: server.adminKey, log: () => {} });
    const audits = (await adminGet("/v1/audits?limit=1000")) as { audits: { id: string }[] };
    auditId = audits.audits[0].id;
    const sources = [
      audits,
      await adminGet("/v1/disputes?limit=100"),
      await adminGet("/v1/calibrations"),
      await adminGet(`/v1/calibrations/${data.calibrations.closed}`),
      await adminGet(`/v1/calibrations/${data.calibrations.open}`),
      await adminGet("/v1/alert-rules"),
      await adminGet("/v1/webhooks"),
      await adminGet("/v1/populations"),
      await adminGet("/v1/samples"),
      await adminGet("/v1/keys"),
      await adminGet("/v1/targets"),
      await adminGet("/v1/audits?moderator=mod-07&limit=200"),
    ];
    const strings = new Set<string>();
    for (const source of sources) harvest(source, strings);
    userData = [...strings].sort((a, b) => b.length - a.length).map(userValue);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const open = async () => {
    const context = await browser.newContext({
      locale: "ko-KR",
      viewport: { width: 1280, height: 900 },
      baseURL: server.url,
      timezoneId: "Asia/Seoul",
    });
    return { context, page: await context.newPage() };
  };

  it("the allowed list keeps statistics' names and identifiers, and catches English words", () => {
    expect(englishWords("Wilson 구간 4.16% ~ 4.60%")).toEqual([]);
    expect(englishWords("mod-07 HS-2.1 demo-20261206-001 3f2a-bc")).toEqual([]);
    const data = ["kim.minji", "The slur was quoted", "US"].map(userValue);
    expect(englishWords("검수자 kim.minji의 메모: The slur was quoted", data)).toEqual([]);
    expect(englishWords("CUSUM 관리도, 시장 US, 시간대 Asia/Seoul", data)).toEqual([]);
    expect(englishWords("USA", data)).toEqual(["USA"]);
    expect(englishWords("1 attempts")).toEqual(["attempts"]);
    expect(englishWords("error rate 10.0% (10/100) over 14 day(s)")).toEqual([
      "error",
      "rate",
      "over",
      "day",
    ]);
  });

  it("a QA lead's pages (every path of PAGE_PATHS) are Korean throughout", async () => {
    const { context, page } = await open();
    await signIn(page, data.keys.lead);
    const ids: Record<string, string> = {
      "/calibration/:id": data.calibrations.closed,
      "/samples/:id": data.sample ?? "",
      "/audits/:id": auditId,
    };
    const found: string[] = [];
    for (const pattern of PAGE_PATHS) {
      if ((pattern in ids && !ids[pattern]) || pattern === "/keys") continue;
      const path = pattern.replace(":id", encodeURIComponent(ids[pattern] ?? ""));
      if (!(await visit(page, path, found))) continue;
      expect(await page.locator("html").getAttribute("lang"), path).toBe("ko");
      found.push(...(await englishOn(page, path)));
    }
    // The keys page is an admin's (a lead sees "not for this role"): visited with the admin key below.
    // Views a query opens: the open calibration session, the charts of a queue, a moderator's scorecard and findings,
    // a sample's team panel.
    for (const path of [
      `/calibration/${data.calibrations.open}`,
      `/charts?queue=hate-speech&phases=${data.policyUpdate}`,
      "/scorecards?moderator=mod-07",
      "/findings?moderator=mod-07",
      // The demo sample's team panel on the workbench (progress, estimate and its caveats).
      ...(data.sample ? [`/audit?sample=${encodeURIComponent(data.sample)}`] : []),
    ]) {
      if (await visit(page, path, found)) found.push(...(await englishOn(page, path)));
    }
    // A draw plan's notes (sized per stratum, an allocation it ignores): rendered from their codes.
    const populations = (await adminGet("/v1/populations")) as { populations: { id: string }[] };
    const planned = await adminDraw({
      population: populations.populations[0].id,
      allocation: "equal",
      perStratum: { margin: 0.1, confidence: 0.9 },
      name: "메모 확인용 표본",
    });
    const plannedPath = `/samples/${planned}`;
    if (await visit(page, plannedPath, found)) {
      expect(await page.locator("[data-testid=sample-facts] ~ p.hint").count(), plannedPath).toBe(2);
      found.push(...(await englishOn(page, `${plannedPath} (plan notes)`)));
    }
    // States that only input brings: the allocation's sizing note, an upload's row-level errors.
    const planner = "/planner (allocation sized by a margin, a refused population upload)";
    if (await visit(page, "/planner", found)) {
      await page.getByLabel(ko["planner.sizeFrom"]).first().selectOption("margin");
      await page.locator(".notice").first().waitFor();
      await page.locator("#population-file").setInputFiles({
        name: "decisions.csv",
        mimeType: "text/csv",
        buffer: Buffer.from("id,queue,moderator,decidedAt\nd1,,m,2026-13-01\nd2,q,m,2026-11-01T09:00:00Z\n"),
      });
      await page.getByRole("button", { name: ko["planner.upload"] }).click();
      await page.locator(".error li").first().waitFor();
      found.push(...(await englishOn(page, planner)));
      await page.locator(".error").last().scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENSHOTS}upload-errors-ko.png` });
    }
    await context.close();
    expect(found, `English texts on Korean pages:\n${found.join("\n")}`).toEqual([]);
  }, 300_000);

  it("the auditor's workbench, a moderator's pages and the admin's keys page are Korean throughout", async () => {
    const found: string[] = [];
    for (const [key, paths] of [
      [data.keys.auditor, ["/audit", "/calibration", `/calibration/${data.calibrations.open}`]],
      [data.keys.moderator, ["/findings", "/scorecards"]],
      [server.adminKey, ["/keys"]],
    ] as const) {
      const { context, page } = await open();
      await signIn(page, key);
      for (const path of paths) {
        if (await visit(page, path, found)) found.push(...(await englishOn(page, path)));
      }
      await context.close();
    }
    expect(found, `English texts on Korean pages:\n${found.join("\n")}`).toEqual([]);
  }, 180_000);
});
