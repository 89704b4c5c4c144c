import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoResult, runDemo } from "../../scripts/demo.ts";
import { en } from "../../web/src/i18n/en.ts";
import { ko } from "../../web/src/i18n/ko.ts";
import { type ChildServer, startChildServer } from "../child-server.ts";
import { ensureDashboardBuilt, launchChromium, skipBrowser } from "./chromium.ts";
import { ready, screenshot, signIn, tabTo } from "./steps.ts";

/**
 * The dashboard in a real browser: Debian's Chromium, headless, driven by playwright-core, against the real
 * service in a child process filled by `npm run demo`'s code. Writes the README's screenshots.
 */
const messages = { ko, en } as const;
type Lang = keyof typeof messages;

interface Opened {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  /** Every URL the page requested. */
  requests: string[];
}

let browser: Browser;
let demo: ChildServer;
let spike: ChildServer;
let data: DemoResult;
let closedSessionRaters: string[];
/** Index of the period with the known out-of-control point in the spike server's series. */
const SPIKE_INDEX = 19;

async function open(lang: Lang, server: ChildServer = demo): Promise<Opened> {
  const context = await browser.newContext({
    locale: lang === "ko" ? "ko-KR" : "en-US",
    viewport: { width: 1280, height: 900 },
    baseURL: server.url,
    timezoneId: "Asia/Seoul",
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  page.on("request", (request) => requests.push(request.url()));
  return { context, page, errors, requests };
}

async function api<T>(server: ChildServer, key: string, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** 30 days of 100 audits: 3 or 7 errors alternately (no run signals), and 30 errors on day SPIKE_INDEX. */
function spikeSeries(): string {
  let body = "";
  for (let day = 0; day < 30; day++) {
    const date = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
    const errors = day === SPIKE_INDEX ? 30 : day % 2 === 0 ? 3 : 7;
    for (let i = 0; i < 100; i++) {
      const wrong = i < errors;
      body += `${JSON.stringify({
        id: `spike-${day}-${i}`,
        decisionId: `d-${day}-${i}`,
        queue: "spike",
        moderator: `m-${i % 10}`,
        auditor: "alice",
        outcome: wrong ? "incorrect" : "correct",
        errorType: wrong ? "false-negative" : undefined,
        auditedAt: `${date}T12:00:00Z`,
      })}\n`;
    }
  }
  return body;
}

describe.skipIf(skipBrowser)("dashboard in Chromium", () => {
  beforeAll(async () => {
    ensureDashboardBuilt();
    browser = await launchChromium(); // names the missing package when Chromium is not installed
    [demo, spike] = await Promise.all([startChildServer(), startChildServer()]);
    data = await runDemo({ url: demo.url, adminKey: demo.adminKey, log: () => {} });
    closedSessionRaters = (
      await api<{ raters: string[] }>(demo, demo.adminKey, `/v1/calibrations/${data.calibrations.closed}`)
    ).raters;
    await api(spike, spike.adminKey, "/v1/audits", {
      method: "POST",
      body: spikeSeries(),
      headers: { "content-type": "application/x-ndjson" },
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([demo?.stop(), spike?.stop()]);
  });

  for (const lang of ["ko", "en"] as const) {
    it(`every page loads with no console errors in ${lang === "ko" ? "Korean" : "English"}, and is screenshotted`, async () => {
      const { context, page, errors } = await open(lang);
      const t = messages[lang];
      // The browser prefers this language, so the dashboard starts in it without a click.
      await page.goto("/");
      await page.locator("h1").waitFor();
      expect(await page.locator("html").getAttribute("lang")).toBe(lang);
      expect(await page.locator("h1").textContent()).toBe(t["signIn.title"]);
      await screenshot(page, `sign-in-${lang}`);

      await signIn(page, data.keys.lead);
      const pages: [string, string, string][] = [
        ["/quality", "[data-testid=quality-table] tbody tr", "quality"],
        [
          `/charts?queue=hate-speech&phases=${data.policyUpdate}`,
          "[data-testid=funnel-plot] .unit-out",
          "charts",
        ],
        ["/calibration", "[data-testid=calibration-list] tbody tr", "calibration-sessions"],
        [`/calibration/${data.calibrations.closed}`, "[data-testid=heatmap]", "calibration-report"],
        ["/alerts", "[data-testid=firing-alerts] li", "alerts"],
        ["/planner", "[data-testid=sample-size-n]", "planner"],
      ];
      for (const [path, selector, name] of pages) {
        await page.goto(path);
        await ready(page, selector);
        expect(await page.locator("html").getAttribute("lang"), path).toBe(lang);
        expect(await page.locator("nav a[aria-current=page]").count(), path).toBe(1);
        // The language switch is on every page.
        expect(await page.locator(".lang-switch button").count(), path).toBe(2);
        await screenshot(page, `${name}-${lang}`);
      }
      // The chart of the drift shows its phase break and each phase's limits.
      await page.goto(`/charts?queue=hate-speech&phases=${data.policyUpdate}`);
      await ready(page, "[data-testid=control-chart] .point");
      expect(await page.getByTestId("phase-break").count()).toBe(1);
      expect(await page.locator("[data-testid=control-chart] .phase").count()).toBe(2);
      expect(await page.locator("[data-testid=control-chart] path.ucl").count()).toBe(2);
      expect(errors).toEqual([]);
      await context.close();
    }, 90_000);
  }

  it("switches language on every page, keeps the choice, and formats numbers through Intl", async () => {
    const { context, page, errors } = await open("ko");
    await signIn(page, data.keys.viewer);
    await page.goto("/quality");
    await ready(page, "[data-testid=quality-table] tbody tr");
    expect(await page.locator("h1").textContent()).toBe(ko["quality.title"]);
    const overallKo = await page.getByTestId("quality-overall").textContent();
    await page.locator(".lang-switch button[data-lang=en]").click();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.locator("h1").textContent()).toBe(en["quality.title"]);
    expect(await page.locator(".lang-switch button[data-lang=en]").getAttribute("aria-pressed")).toBe("true");
    const overallEn = await page.getByTestId("quality-overall").textContent();
    expect(overallEn).toMatch(/^Overall: [\d,]+ errors in [\d,]+ audits = \d+(\.\d+)?%/);
    expect(overallKo).toContain("전체");
    await page.reload();
    await ready(page, "[data-testid=quality-table] tbody tr");
    expect(await page.locator("h1").textContent()).toBe(en["quality.title"]);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("the planner shows 385 for 95 % confidence and ±5 % with no population", async () => {
    const { context, page, errors } = await open("en");
    await signIn(page, data.keys.viewer);
    await page.goto("/planner");
    const confidence = page.getByLabel(en["planner.confidence"]).first();
    const margin = page.getByLabel(en["planner.margin"]).first();
    await confidence.fill("99");
    await margin.fill("2");
    await expect.poll(() => page.getByTestId("sample-size-n").textContent()).toBe("4,147");
    await confidence.fill("95");
    await margin.fill("5");
    await page.getByLabel(en["planner.population"]).fill("");
    await expect.poll(() => page.getByTestId("sample-size-n").textContent()).toBe("385");
    expect(await page.locator(".explain").textContent()).toContain("384.15");
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("a chart fed a series with a known out-of-control point marks exactly that point, its rule on hover and focus", async () => {
    const { context, page, errors } = await open("en", spike);
    const fromApi = await api<{ signals: { index: number; rule: string }[] }>(
      spike,
      spike.adminKey,
      "/v1/charts?queue=spike",
    );
    expect(fromApi.signals).toEqual([{ index: SPIKE_INDEX, label: "2026-01-20", rule: "we-1" }]);
    await signIn(page, spike.adminKey);
    await page.goto("/charts?queue=spike");
    await ready(page, "[data-testid=control-chart] .point");
    const signals = page.locator("[data-testid=control-chart] .signal");
    expect(await signals.count()).toBe(1);
    expect(await signals.getAttribute("data-index")).toBe(String(SPIKE_INDEX));
    expect(await signals.getAttribute("data-rules")).toBe("we-1");
    expect(await page.locator("[data-testid=control-chart] .point").count()).toBe(29);
    expect(await signals.getAttribute("aria-label")).toContain(en["rule.we-1"]);
    expect(await signals.locator("title").textContent()).toContain(en["rule.we-1"]);
    expect(await page.locator("[data-testid=control-chart] .zone-1").count()).toBe(30);
    expect(await page.locator("[data-testid=control-chart] .zone-2").count()).toBe(30);
    // Hover shows the rule…
    await signals.hover();
    expect(await page.getByTestId("chart-tooltip").textContent()).toContain(en["rule.we-1"]);
    await page.mouse.move(0, 0);
    // …and so does keyboard focus, reached with Tab.
    await tabTo(page, "el.classList.contains('signal')");
    expect(await page.getByTestId("signal-detail").textContent()).toContain(en["rule.we-1"]);
    expect(await page.getByTestId("chart-tooltip").textContent()).toContain(en["rule.we-1"]);
    expect(await page.getByTestId("signal-table").locator("tbody tr").count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("a closed calibration renders its heatmap with one cell per pair of raters", async () => {
    const { context, page, errors } = await open("ko");
    await signIn(page, data.keys.viewer);
    await page.goto(`/calibration/${data.calibrations.closed}`);
    await ready(page, "[data-testid=heatmap]");
    const r = closedSessionRaters.length;
    expect(r).toBe(6);
    const heatmap = page.getByTestId("heatmap");
    expect(await heatmap.locator("tbody tr").count()).toBe(r);
    expect(await heatmap.locator("td[data-cell]").count()).toBe(r * r);
    expect(await heatmap.locator("td[data-cell=pair]").count()).toBe(r * (r - 1));
    expect(await heatmap.locator("thead th").allTextContents()).toEqual(closedSessionRaters);
    // Coefficients with intervals and Landis & Koch bands, raters against gold, items to discuss first.
    const coefficients = page.getByTestId("coefficients");
    expect(await coefficients.locator("tr[data-coefficient=fleiss] td").nth(1).textContent()).toMatch(
      /\d\.\d{3} – \d\.\d{3}/,
    );
    expect(await coefficients.textContent()).toContain(ko["coef.ac1"]);
    expect(await coefficients.textContent()).toContain(ko["coef.alpha"]);
    expect(await page.getByTestId("rater-report").locator("tbody tr").count()).toBe(r);
    const agreementColumn = await page
      .getByTestId("disagreement")
      .locator("tbody tr td:nth-of-type(3)")
      .allTextContents();
    const shares = agreementColumn.map((text) => Number.parseFloat(text)).filter((v) => !Number.isNaN(v));
    expect(shares.length).toBeGreaterThan(10);
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("an auditor key sees and fills only its own labels while a session is open, by keyboard", async () => {
    const { context, page, errors, requests } = await open("en");
    await signIn(page, data.keys.auditor);
    // What an auditor may not do is not offered.
    expect(await page.locator("nav").textContent()).not.toContain(en["nav.keys"]);
    await page.goto("/calibration");
    await ready(page, "[data-testid=calibration-list] tbody tr");
    expect(await page.getByText(en["calibration.new"]).count()).toBe(0);
    await page.getByRole("link", { name: en["calibration.labelNow"] }).click();
    const form = page.getByTestId("own-labels");
    await form.waitFor();
    expect(await page.getByText(en["calibration.blindOthers"]).count()).toBe(0);
    const selects = form.locator("select");
    expect(await selects.count()).toBe(20);
    // Only kim.minji's labels were ever asked for; another rater's answer 403 to this key.
    const ratingRequests = requests.filter((url) => url.includes("/ratings/"));
    expect(ratingRequests.length).toBeGreaterThan(0);
    expect(ratingRequests.every((url) => url.endsWith("/ratings/kim.minji"))).toBe(true);
    const others = await page.evaluate(
      async ([id, key]) =>
        (
          await fetch(`/v1/calibrations/${id}/ratings/park.seojun`, {
            headers: { authorization: `Bearer ${key}` },
          })
        ).status,
      [data.calibrations.open, data.keys.auditor],
    );
    expect(others).toBe(403);
    errors.length = 0; // the 403 above is logged by the browser on purpose
    // The page shows no label of another rater: the first items were labelled by both others, not by kim.minji.
    expect(await selects.first().inputValue()).toBe("");
    // Label two items with the keyboard and save.
    await selects.first().focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Tab");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await tabTo(page, "el.dataset.testid === 'save-labels'");
    await page.keyboard.press("Enter");
    await form.locator("[role=status]", { hasText: en["calibration.saved"].split(":")[0] }).waitFor();
    const own = await api<{ ratings: Record<string, string> }>(
      demo,
      data.keys.auditor,
      `/v1/calibrations/${data.calibrations.open}/ratings/kim.minji`,
    );
    expect(own.ratings).toEqual({ "sp-cal-01": "위반 없음", "sp-cal-02": "혐오 표현" });
    await screenshot(page, "calibration-labels-en");
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("signs in, sorts and reaches every control by keyboard, with a visible focus", async () => {
    const { context, page, errors } = await open("en");
    await page.goto("/");
    await page.locator("input[name=api-key]").waitFor();
    const presses = await tabTo(page, "el.name === 'api-key'", 10);
    expect(presses).toBeLessThanOrEqual(5);
    await page.keyboard.type(data.keys.viewer);
    await page.keyboard.press("Enter");
    await page.getByTestId("who").waitFor();
    await page.goto("/quality");
    await ready(page, "[data-testid=quality-table] tbody tr");
    await tabTo(page, "el.dataset.column === 'rate'");
    const outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle");
    expect(outline).not.toBe("none");
    const header = page.locator("th:has(button[data-column=rate])");
    const rates = async () =>
      (await page.getByTestId("quality-table").locator("tbody tr td:nth-of-type(3)").allTextContents()).map(
        (text) => Number.parseFloat(text),
      );
    expect(await header.getAttribute("aria-sort")).toBe("descending");
    const descending = await rates();
    expect(descending.length).toBe(5);
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    await page.keyboard.press("Enter");
    expect(await header.getAttribute("aria-sort")).toBe("ascending");
    expect(await rates()).toEqual([...descending].reverse());
    await page.keyboard.press("Enter");
    expect(await header.getAttribute("aria-sort")).toBe("descending");
    expect(await rates()).toEqual(descending);
    // The calculators by keyboard: Tab into the margin field and type.
    await page.goto("/planner");
    await page.getByTestId("sample-size-n").waitFor();
    await tabTo(page, "el.name === 'margin'");
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("3");
    await expect.poll(() => page.getByTestId("sample-size-n").textContent()).toBe("1,068");
    // A viewer is offered neither the sample draw nor acknowledgements.
    expect(await page.getByText(en["planner.draw.title"]).count()).toBe(0);
    await page.goto("/alerts");
    await ready(page, "[data-testid=firing-alerts] li");
    expect(await page.getByRole("button", { name: en["alerts.ack"] }).count()).toBe(0);
    expect(await page.getByText(en["alerts.webhooks"]).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("alerts show their evidence, link to the chart, and can be acknowledged", async () => {
    const { context, page, errors } = await open("en");
    await signIn(page, data.keys.lead);
    await page.goto("/alerts");
    await ready(page, "[data-testid=firing-alerts] li");
    const firing = page.getByTestId("firing-alerts").locator("li.alert-item");
    expect(await firing.count()).toBe(data.firingAlerts);
    const cusum = firing.filter({ hasText: "Hate speech CUSUM" });
    expect(await cusum.locator(".evidence").textContent()).toContain(en["alerts.ev.cusum"]);
    const note = cusum.getByLabel(en["alerts.note"]);
    await note.fill("looking into HS-2.1");
    await cusum.getByRole("button", { name: en["alerts.ack"] }).click();
    await cusum.locator(".badge.acknowledged").waitFor();
    expect(await cusum.textContent()).toContain("looking into HS-2.1");
    await cusum.getByRole("link", { name: en["alerts.openChart"] }).click();
    await page.waitForURL(/\/charts\?.*type=cusum/);
    await ready(page, "[data-testid=control-chart] .signal");
    expect(await page.locator("select[name=type]").inputValue()).toBe("cusum");
    expect(await page.locator("input[name=queue]").inputValue()).toBe("hate-speech");
    // Issue 16: the CUSUM's ARLs in words, and a design whose h is applied to the chart.
    await ready(page, "[data-testid=chart-arl]");
    expect(await page.getByTestId("chart-arl").textContent()).toMatch(
      /About one false alarm every [\d,.]+ days/,
    );
    await ready(page, "[data-testid=chart-design-result] button");
    await page
      .getByTestId("chart-design-result")
      .getByRole("button", { name: en["chartDesign.apply"] })
      .click();
    await page.waitForURL(/\/charts\?.*h=\d/);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("the planner uploads a population, draws a stratified sample, assigns auditors and downloads the items", async () => {
    const { context, page, errors } = await open("en");
    await signIn(page, data.keys.lead);
    await page.goto("/planner");
    let csv = "id,queue,moderator,market\r\n";
    for (let i = 0; i < 200; i++) csv += `p-${i},${i % 4 === 0 ? "spam" : "hate-speech"},mod-${i % 7},KR\r\n`;
    const draw = page.locator("section", {
      has: page.getByRole("heading", { name: en["planner.draw.title"] }),
    });
    await draw.getByLabel(en["planner.populationName"]).fill("browser test population");
    await draw.locator("#population-file").setInputFiles({
      name: "population.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    await draw.getByRole("button", { name: en["planner.upload"] }).click();
    await expect.poll(() => page.getByTestId("population-summary").textContent()).toContain("200");
    await draw.getByRole("checkbox", { name: /^\s*queue \(/ }).check();
    await draw.getByLabel(en["planner.sizeFrom"]).selectOption("total");
    await draw.getByLabel(en["planner.total"]).fill("40");
    await draw.getByLabel(en["planner.seed"]).fill("browser");
    await page.getByTestId("draw-sample").click();
    await expect
      .poll(() => page.getByTestId("sample-summary").textContent())
      .toMatch(/: 40 items \(seed browser\)/);
    const strata = page.locator("table", {
      has: page.locator("caption", { hasText: en["planner.sampleStrata"] }),
    });
    expect(await strata.locator("tbody tr").count()).toBe(2);
    await draw.getByLabel(en["planner.assignTo"]).fill("alice, bob");
    await page.getByRole("button", { name: en["planner.assign"], exact: true }).click();
    await page.locator(".success li").first().waitFor();
    expect(await page.locator(".success li").allTextContents()).toEqual(["alice: 20 items", "bob: 20 items"]);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: en["planner.downloadItems"] }).click(),
    ]);
    const items = readFileSync((await download.path())!, "utf8")
      .trimEnd()
      .split("\r\n");
    expect(items[0].startsWith("\uFEFFid,stratum,")).toBe(true);
    expect(items.length).toBe(41);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("an admin sees webhook deliveries with their attempts and redelivers a failed one; creates a key", async () => {
    const { context, page, errors } = await open("en");
    await signIn(page, demo.adminKey);
    await page.goto("/alerts");
    await ready(page, "[data-testid=deliveries]");
    const refused = page.locator(".webhook", { hasText: "http://127.0.0.1:9/modqc-demo" });
    const rows = refused.locator("[data-testid=deliveries] tbody tr");
    const redeliver = refused.getByRole("button", { name: en["alerts.redeliver"] });
    await expect
      .poll(
        async () => {
          await page.reload();
          await ready(page, "[data-testid=deliveries]");
          return redeliver.count();
        },
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    const before = await rows.count();
    expect(await rows.first().textContent()).toContain(en["alerts.delivery.failed"]);
    await rows.first().locator("summary").click();
    expect(await rows.first().locator("details li").count()).toBeGreaterThan(0);
    await redeliver.first().click();
    await expect.poll(() => rows.count()).toBe(Math.min(before + 1, 20));
    expect(await refused.textContent()).toContain(en["alerts.redelivery"]);
    await screenshot(page, "alerts-webhooks-en");
    // API keys: a new key's secret is shown once.
    await page.getByRole("link", { name: en["nav.keys"] }).click();
    await page.getByLabel(en["keys.name"]).fill("browser viewer");
    await page.getByRole("button", { name: en["keys.createButton"] }).click();
    expect(await page.getByTestId("new-secret").textContent()).toMatch(/^mqc_/);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("an unknown key is refused with a message in the page's language", async () => {
    const { context, page } = await open("ko");
    await page.goto("/");
    await page.locator("input[name=api-key]").fill("mqc_not-a-real-key");
    await page.locator("input[name=api-key]").press("Enter");
    await expect.poll(() => page.getByRole("alert").textContent()).toContain(ko["error.unauthorized"]);
    expect(await page.evaluate('sessionStorage.getItem("modqc.key")')).toBeNull();
    expect(await page.evaluate("JSON.stringify(localStorage)")).not.toContain("mqc_");
    await context.close();
  }, 60_000);

  it("keeps the key in sessionStorage only, and exports CSV with a byte-order mark and Excel workbooks", async () => {
    const { context, page, errors } = await open("en");
    await signIn(page, data.keys.viewer);
    expect(await page.evaluate('sessionStorage.getItem("modqc.key")')).toBe(data.keys.viewer);
    expect(await page.evaluate("JSON.stringify(localStorage)")).not.toContain(data.keys.viewer);
    expect(await page.evaluate("document.cookie")).toBe("");
    await page.goto("/quality");
    await ready(page, "[data-testid=quality-table] tbody tr");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: en["common.exportCsv"] }).click(),
    ]);
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv.startsWith("\uFEFFqueue,audited,errors,rate,lower,upper")).toBe(true);
    // The Excel button beside it downloads a workbook (a zip: "PK") of the same table.
    const [workbook] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: en["common.exportXlsx"] }).click(),
    ]);
    expect(workbook.suggestedFilename()).toBe("quality.xlsx");
    expect(
      readFileSync((await workbook.path())!)
        .subarray(0, 2)
        .toString("latin1"),
    ).toBe("PK");
    // Signing out forgets the key.
    await page.getByRole("button", { name: en["app.signOut"] }).click();
    expect(await page.evaluate('sessionStorage.getItem("modqc.key")')).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
