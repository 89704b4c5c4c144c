import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "../../web/src/i18n/en.ts";
import { ko } from "../../web/src/i18n/ko.ts";
import { type ChildServer, startChildServer } from "../child-server.ts";
import { ensureDashboardBuilt, launchChromium, skipBrowser } from "./chromium.ts";
import { callApi, fill, openPage, ready, screenshot, signIn } from "./steps.ts";

/**
 * The auditors page (issue 16), in Chromium: a lead registers gold items (through the API), draws a sample in the
 * planner and assigns it with a gold share (the answer says how many gold items each auditor got); the auditors
 * record verdicts on their gold slots (through the API, alice right on all, bob wrong on one); `/auditors` shows
 * each auditor's accuracy with its Wilson interval and bob's breakdown by known answer and queue; the lead
 * registers a gold item by hand, imports the gold labels of a closed calibration session, and retires a gold item
 * after confirming. The same page in Korean shows no English outside the data's own names. Writes
 * docs/screenshots/auditors-<lang>.png.
 */

let browser: Browser;
let server: ChildServer;
let leadKey: string;
const auditorKeys: Record<string, string> = {};
let population: string;
let calibration: string;

const call = <T>(key: string, method: string, path: string, body?: unknown, type?: string) =>
  callApi<T>(server.url, key, method, path, body, type);

/** 40 decisions in two queues by four moderators (none of them an auditor). */
function populationCsv(): string {
  let csv = "id,queue,moderator,market,policy\r\n";
  for (let i = 1; i <= 40; i++) {
    csv += `d-${String(i).padStart(2, "0")},${i % 2 === 0 ? "hate" : "spam"},mod-${i % 4},KR,P${i % 2}\r\n`;
  }
  return csv;
}

/** Gold item i by hand: queue by parity; every third one a missed removal (incorrect, false negative). */
function gold(i: number) {
  const wrong = i % 3 === 0;
  return {
    decisionId: `gold-${String(i).padStart(2, "0")}`,
    queue: i % 2 === 0 ? "hate" : "spam",
    moderator: `gm-${i % 3}`,
    label: wrong ? "keep" : "remove",
    policy: `P${i % 2}`,
    market: "KR",
    content: `gold content ${i}`,
    outcome: wrong ? ("incorrect" as const) : ("correct" as const),
    ...(wrong ? { errorType: "false-negative" as const } : {}),
  };
}

interface Slot {
  decisionId: string;
  auditor: string;
  expected: { outcome: "correct" | "incorrect"; errorType: string | null };
}

/** Words of English on the page outside the given data, statistics' names, units and identifiers. */
const ALLOWED = new Set([
  "wilson",
  "utc",
  "csv",
  "excel",
  "xlsx",
  "id",
  "http",
  "https",
  "qa",
  "api",
  "modqc",
  "english",
]);
function englishWords(text: string, data: string[]): string[] {
  let rest = text.replace(/\b[A-Z][a-z]+\/[A-Za-z_]+\b/g, " ");
  for (const value of [...data].sort((a, b) => b.length - a.length)) rest = rest.split(value).join(" ");
  const words: string[] = [];
  for (const chunk of rest.split(/[\s/()[\]{},;:·…"“”'‘’|=<>]+/)) {
    if (chunk === "" || /[\d_@]/.test(chunk)) continue;
    for (const word of chunk.match(/[A-Za-z]{2,}/g) ?? [])
      if (!ALLOWED.has(word.toLowerCase())) words.push(word);
  }
  return words;
}

async function accuracyRow(page: Page, auditor: string): Promise<string[]> {
  const row = page.getByTestId("auditor-accuracy").locator("tbody tr", { hasText: auditor });
  await row.waitFor();
  return (await row.locator("th, td").allTextContents()).map((c) => c.trim());
}

describe.skipIf(skipBrowser)("the auditors page and gold items, in Chromium", () => {
  beforeAll(async () => {
    ensureDashboardBuilt();
    browser = await launchChromium();
    // Alert rules evaluated every second, so the auditor-accuracy alert fires during the test.
    server = await startChildServer({ MODQC_ALERT_INTERVAL_MS: "1000" });
    const admin = server.adminKey;
    leadKey = (await call<{ key: string }>(admin, "POST", "/v1/keys", { role: "lead", name: "lead" })).key;
    for (const rater of ["alice", "bob"]) {
      auditorKeys[rater] = (
        await call<{ key: string }>(admin, "POST", "/v1/keys", { role: "auditor", name: rater, rater })
      ).key;
    }
    population = (
      await call<{ id: string }>(
        leadKey,
        "POST",
        "/v1/populations?name=gold-week",
        populationCsv(),
        "text/csv",
      )
    ).id;
    await call(leadKey, "POST", "/v1/gold", { items: Array.from({ length: 9 }, (_, i) => gold(i + 1)) });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("a lead assigns with gold, reads each auditor's accuracy, registers, imports and retires gold items", async () => {
    const t = en;
    const { context, page, errors } = await openPage(browser, server.url, "en");
    await signIn(page, leadKey);
    // The lead's navigation offers the page.
    await page.getByRole("link", { name: t["nav.auditors"], exact: true }).waitFor();

    // The planner: draw 20 of the 40 decisions and assign them to alice and bob with a 10 % gold share, at least 2.
    await page.goto("/planner");
    const draw = page.locator("section", {
      has: page.getByRole("heading", { name: t["planner.draw.title"], exact: true }),
    });
    const picker = draw.getByLabel(t["planner.existingPopulation"], { exact: true });
    await picker.waitFor();
    await picker.selectOption(population);
    await draw.getByRole("checkbox", { name: /^\s*queue \(/ }).check();
    await draw.getByLabel(t["planner.sizeFrom"], { exact: true }).selectOption("total");
    await draw.getByLabel(t["planner.total"], { exact: true }).fill("20");
    await draw.getByLabel(t["planner.sampleName"], { exact: true }).fill("gold week");
    await page.getByTestId("draw-sample").click();
    await page.getByTestId("sample-summary").waitFor();
    await draw.getByLabel(t["planner.assignTo"], { exact: true }).fill("alice, bob");
    await draw.getByLabel(t["planner.gold.share"], { exact: true }).fill("10");
    await draw.getByLabel(t["planner.gold.perAuditorMin"], { exact: true }).fill("2");
    await page.getByRole("button", { name: t["planner.assign"], exact: true }).click();
    const placement = page.getByTestId("gold-placement");
    await placement.waitFor();
    const placed = (await placement.textContent()) ?? "";
    expect(placed).toContain(fill(t["planner.gold.placed"], { n: "4", kept: "0" }));
    expect(placed).toContain(fill(t["planner.gold.load.other"], { auditor: "alice", n: "2" }));
    expect(placed).toContain(fill(t["planner.gold.load.other"], { auditor: "bob", n: "2" }));

    // The auditors judge their gold slots: alice right on both, bob wrong on his first.
    const samples = await call<{ samples: { id: string; name: string }[] }>(leadKey, "GET", "/v1/samples");
    const sample = samples.samples.find((s) => s.name === "gold week")!.id;
    const { slots } = await call<{ slots: Slot[] }>(leadKey, "GET", `/v1/samples/${sample}/gold`);
    expect(slots).toHaveLength(4);
    let bobWrong = false;
    for (const slot of slots) {
      const right = slot.auditor === "alice" || bobWrong;
      if (slot.auditor === "bob") bobWrong = true;
      const answer = right
        ? slot.expected.outcome === "incorrect"
          ? { outcome: "incorrect", errorType: slot.expected.errorType }
          : { outcome: "correct" }
        : slot.expected.outcome === "incorrect"
          ? { outcome: "correct" }
          : { outcome: "incorrect", errorType: "false-positive", severity: 2 };
      await call(
        auditorKeys[slot.auditor],
        "PUT",
        `/v1/samples/${sample}/items/${encodeURIComponent(slot.decisionId)}/verdict`,
        answer,
      );
    }

    // A closed calibration session whose items are decisions of the sample, two of them with gold labels.
    const drawn = await call<{ items: { id: string }[] }>(leadKey, "GET", `/v1/samples/${sample}/items`);
    const [first, second, third] = drawn.items.map((item) => item.id);
    calibration = (
      await call<{ id: string }>(leadKey, "POST", "/v1/calibrations", {
        name: "Gold labels session",
        categories: ["remove", "keep"],
        items: [{ id: first, gold: "remove" }, { id: second, gold: "keep" }, { id: third }],
        raters: ["alice", "bob"],
      })
    ).id;
    for (const rater of ["alice", "bob"]) {
      await call(leadKey, "PUT", `/v1/calibrations/${calibration}/ratings/${rater}`, {
        ratings: { [first]: "remove", [second]: rater === "bob" ? "remove" : "keep", [third]: "keep" },
      });
    }
    await call(leadKey, "POST", `/v1/calibrations/${calibration}/close`);

    // /auditors: each auditor's gold judged, correct, accuracy and interval.
    await page.getByRole("link", { name: t["nav.auditors"], exact: true }).click();
    await page.waitForURL(/\/auditors/);
    await ready(page, "[data-testid=auditor-accuracy] tbody tr");
    expect(await page.locator("h1").textContent()).toBe(t["auditors.title"]);
    expect(await accuracyRow(page, "alice")).toEqual(expect.arrayContaining(["alice", "2", "2", "100%"]));
    const bob = await accuracyRow(page, "bob");
    expect(bob.slice(0, 4)).toEqual(["bob", "2", "1", "50%"]);
    expect(bob[4]).toMatch(/^\d+% – \d+%$/);
    // Sorting by accuracy puts bob first.
    await page.getByTestId("auditor-accuracy").locator("button.sort[data-column=accuracy]").click();
    await expect
      .poll(() => page.getByTestId("auditor-accuracy").locator("tbody tr th").first().textContent())
      .toBe("bob");
    // bob's breakdown: by the gold's known answer and by queue.
    await page
      .getByTestId("auditor-accuracy")
      .getByRole("button", { name: fill(t["auditors.detail.open"], { auditor: "bob" }) })
      .click();
    const detail = page.getByTestId("auditor-detail");
    await detail.waitFor();
    const types = await detail.getByTestId("auditor-by-error-type").locator("tbody tr th").allTextContents();
    expect(types.length).toBeGreaterThan(0);
    for (const type of types)
      expect([t["auditors.expected.none"], t["errorType.false-negative"]]).toContain(type.trim());
    const queues = await detail.getByTestId("auditor-by-queue").locator("tbody tr th").allTextContents();
    expect(queues.length).toBeGreaterThan(0);
    for (const q of queues) expect(["hate", "spam"]).toContain(q.trim());
    expect(await page.getByTestId("auditors-csv").isEnabled()).toBe(true);

    // The gold list: nine registered items, each placed at most once.
    const list = page.getByTestId("gold-list");
    await expect.poll(() => list.locator("tbody tr").count()).toBe(9);

    // Register one by hand: the button waits for the answer; an incorrect answer needs its error type.
    const form = page.getByTestId("gold-form");
    await form.getByLabel(t["gold.field.decisionId"], { exact: true }).fill("gold-manual");
    await form.getByLabel(t["field.queue"], { exact: true }).fill("hate");
    await form.getByLabel(t["field.moderator"], { exact: true }).fill("gm-9");
    await form.getByLabel(t["gold.outcome"], { exact: true }).selectOption("incorrect");
    expect(await page.getByTestId("gold-register").isDisabled()).toBe(true);
    await form.getByLabel(t["audit.errorType"], { exact: true }).selectOption("wrong-policy");
    await form.getByLabel(t["audit.correctPolicy"], { exact: true }).fill("P1");
    await page.getByTestId("gold-register").click();
    await expect.poll(() => page.locator(".success", { hasText: "gold-manual" }).count()).toBe(1);
    await expect.poll(() => list.locator("tbody tr").count()).toBe(10);
    const manual = list.locator("tbody tr", { hasText: "gold-manual" });
    expect(await manual.textContent()).toContain(t["errorType.wrong-policy"]);

    // Import the closed session's two gold labels, taking the decisions' values from the sample.
    await page.getByLabel(t["gold.import.session"], { exact: true }).selectOption(calibration);
    const labels = page.getByTestId("gold-import-labels");
    await labels.waitFor();
    await labels.locator("select[name=gold-label-0-outcome]").selectOption("correct");
    expect(await page.getByTestId("gold-import").isDisabled()).toBe(true);
    await labels.locator("select[name=gold-label-1-outcome]").selectOption("incorrect");
    await labels.locator("select[name=gold-label-1-error-type]").selectOption("false-negative");
    // Without a sample the decisions' values are missing: the API names each item, and nothing is stored.
    await page.getByTestId("gold-import").click();
    await page.locator("section", { has: labels }).locator(".error").waitFor();
    await page.getByLabel(t["gold.import.sampleId"], { exact: true }).fill(sample);
    await page.getByTestId("gold-import").click();
    await page.locator(".success", { hasText: "Gold labels session" }).waitFor();
    await expect.poll(() => list.locator("tbody tr").count()).toBe(12);
    await screenshot(page, "auditors-en");

    // Retire the manual one: asked first; then it leaves the list (and shows again, retired, on request).
    await manual.getByTestId("gold-retire").click();
    const confirm = page.getByTestId("gold-retire-confirm");
    expect(await confirm.textContent()).toContain("gold-manual");
    await page.getByTestId("gold-retire-do").click();
    await confirm.waitFor({ state: "detached" });
    await expect.poll(() => list.locator("tbody tr", { hasText: "gold-manual" }).count()).toBe(0);
    const registry = await call<{ items: { decisionId: string; retiredAt: string | null }[] }>(
      leadKey,
      "GET",
      "/v1/gold?retired=true",
    );
    expect(registry.items.find((g) => g.decisionId === "gold-manual")?.retiredAt).not.toBeNull();
    await page.getByLabel(t["gold.withRetired"], { exact: true }).check();
    await list.locator("tbody tr", { hasText: "gold-manual" }).getByTestId("gold-retired").waitFor();

    // 400 from the import is a failed request on purpose; nothing else went wrong.
    expect(errors.filter((e) => !e.includes("Failed to load resource"))).toEqual([]);
    await context.close();
  }, 180_000);

  it("the auditors page in Korean has no English outside the data's own names", async () => {
    const { context, page, errors } = await openPage(browser, server.url, "ko");
    await signIn(page, leadKey);
    await page.goto("/auditors");
    await ready(page, "[data-testid=auditor-accuracy] tbody tr");
    await ready(page, "[data-testid=gold-list] tbody tr");
    expect(await page.locator("h1").textContent()).toBe(ko["auditors.title"]);
    await page.getByTestId("auditor-detail-toggle").first().click();
    await page.getByTestId("auditor-detail").waitFor();
    await page.getByLabel(ko["gold.withRetired"], { exact: true }).check();
    await page.getByLabel(ko["gold.import.session"], { exact: true }).selectOption(calibration);
    await page.getByTestId("gold-import-labels").waitFor();
    await page.getByLabel(ko["gold.outcome"], { exact: true }).first().selectOption("incorrect");
    await screenshot(page, "auditors-ko");
    const registry = await call<{ items: Record<string, unknown>[] }>(
      leadKey,
      "GET",
      "/v1/gold?retired=true",
    );
    const data = new Set(["alice", "bob", "hate", "spam", "remove", "keep", "Gold labels session"]);
    for (const item of registry.items)
      for (const field of ["decisionId", "moderator", "queue", "createdBy"])
        if (typeof item[field] === "string") data.add(item[field] as string);
    // The rendered text (innerText): what a person reads, hidden parts left out.
    // biome-ignore lint/performance/useDomNodeTextContent: the visible text is what is checked
    const text = (await page.locator("body").innerText()).split("\n");
    const english = text.filter((line) => englishWords(line, [...data]).length > 0);
    expect(english).toEqual([]);
    // The page-level texts are the Korean ones.
    expect(await page.getByRole("link", { name: ko["nav.auditors"], exact: true }).count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
  it("a lead creates an auditor-accuracy rule in the editor; its alert names bob, in both languages", async () => {
    const t = en;
    const { context, page, errors } = await openPage(browser, server.url, "en");
    await signIn(page, leadKey);
    await page.goto("/alerts");
    await ready(page, "h1");
    await page.getByRole("button", { name: t["alerts.newRule"], exact: true }).click();
    const form = page.getByTestId("rule-form");
    await form.locator("input[name=rule-name]").fill("Gold accuracy");
    await form.locator("select[name=rule-kind]").selectOption("auditor-accuracy");
    await form.locator("input[name=accuracy-below]").fill("95");
    await form.locator("input[name=min-gold]").fill("2");
    // The preview evaluates the rule at the end of each of the last complete days: bob's verdicts were given
    // today, so no past day fires (the rule itself fires on the timer, below).
    await expect
      .poll(() => form.getByTestId("rule-preview").getAttribute("data-days-firing"), { timeout: 20_000 })
      .toBe("0");
    await form.getByRole("button", { name: t["alerts.createRule"], exact: true }).click();
    const row = page.getByTestId("rules-table").locator("tbody tr", { hasText: "Gold accuracy" });
    await row.waitFor();
    expect(await row.textContent()).toContain(t["alerts.kind.auditor-accuracy"]);
    const { rules } = await call<{ rules: { name: string; groupBy: string[]; condition: object }[] }>(
      leadKey,
      "GET",
      "/v1/alert-rules",
    );
    const stored = rules.find((r) => r.name === "Gold accuracy")!;
    expect(stored.groupBy).toEqual(["auditor"]);
    expect(stored.condition).toMatchObject({
      kind: "auditor-accuracy",
      below: 0.95,
      minGold: 2,
      window: { days: 30 },
    });

    // The timer evaluates it within a second or two: bob (1 of 2, upper end 91 %) fires, alice (2 of 2) does not.
    const alert = page.getByTestId("firing-alerts").locator("li", { hasText: "bob" });
    await expect
      .poll(
        async () => {
          await page.goto("/alerts");
          await ready(page, "h1");
          return alert.count();
        },
        { timeout: 20_000, interval: 1_000 },
      )
      .toBe(1);
    expect(await page.getByTestId("firing-alerts").locator("li", { hasText: "alice" }).count()).toBe(0);
    expect(await alert.getByTestId("alert-summary").textContent()).toBe(
      fill(t["rules.sum.accuracy.breach"], {
        accuracy: "50%",
        correct: "1",
        gold: "2",
        window: fill(t["rules.sum.window.other"], { n: "30" }),
        confidence: "95%",
        upper: "91%",
        below: "95%",
      }),
    );
    expect(await alert.getByTestId("evidence-auditor-accuracy").textContent()).toContain(
      t["alerts.ev.goldCounts"],
    );
    await alert.getByRole("link", { name: t["alerts.openAuditors"], exact: true }).click();
    await page.waitForURL(/\/auditors\?auditor=bob/);
    await ready(page, "[data-testid=auditor-detail]");
    expect(await page.getByTestId("auditor-detail").locator("h3").textContent()).toContain("bob");
    expect(errors).toEqual([]);
    await context.close();

    const korean = await openPage(browser, server.url, "ko");
    await signIn(korean.page, leadKey);
    await korean.page.goto("/alerts");
    const summary = korean.page
      .getByTestId("firing-alerts")
      .locator("li", { hasText: "bob" })
      .getByTestId("alert-summary");
    await summary.waitFor();
    const text = (await summary.textContent()) ?? "";
    expect(text).toMatch(/[가-힣]/);
    expect(englishWords(text, ["bob"])).toEqual([]);
    expect(korean.errors).toEqual([]);
    await korean.context.close();
  }, 120_000);
});
