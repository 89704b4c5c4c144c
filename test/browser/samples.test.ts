import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "../../web/src/i18n/en.ts";
import { ko } from "../../web/src/i18n/ko.ts";
import { type ChildServer, startChildServer } from "../child-server.ts";
import { ensureDashboardBuilt, launchChromium, skipBrowser } from "./chromium.ts";
import { callApi, fill, openPage, ready, screenshot, signIn } from "./steps.ts";

/**
 * Samples you can find and follow (issue 18), in Chromium, in both languages: a lead names a sample at draw time
 * in the planner (Neyman allocation with expected rates from history), assigns it, is asked to confirm before
 * assigning it again, finds it on `/samples`, opens it, follows an auditor's progress, reads the stratified
 * estimate and opens the quality page filtered to the sample. Writes docs/screenshots/samples-<lang>.png and
 * sample-<lang>.png.
 */
const messages = { ko, en } as const;
type Lang = keyof typeof messages;

let browser: Browser;
let server: ChildServer;
let leadKey: string;
const setups = {} as Record<Lang, { population: string; auditors: string[]; auditorKey: string }>;

const call = <T>(key: string, method: string, path: string, body?: unknown, type?: string) =>
  callApi<T>(server.url, key, method, path, body, type);

/** 40 decisions in two queues by four moderators. */
function populationCsv(lang: Lang): string {
  let csv = "id,queue,moderator,market\r\n";
  for (let i = 1; i <= 40; i++) {
    csv += `${lang}-s-${String(i).padStart(2, "0")},${i % 2 === 0 ? "hate" : "spam"},mod-${i % 4},KR\r\n`;
  }
  return csv;
}

async function open(lang: Lang): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  // The 409 of the second assignment is a failed request on purpose; the browser logs it.
  const { context, page, errors } = await openPage(browser, server.url, lang, { refusalsExpected: true });
  return { page, errors, close: () => context.close() };
}

describe.skipIf(skipBrowser)("samples you can find and follow, in Chromium", () => {
  beforeAll(async () => {
    ensureDashboardBuilt();
    browser = await launchChromium();
    server = await startChildServer();
    const admin = server.adminKey;
    leadKey = (await call<{ key: string }>(admin, "POST", "/v1/keys", { role: "lead", name: "lead" })).key;
    for (const lang of ["ko", "en"] as const) {
      const auditors = [`auditor-${lang}-1`, `auditor-${lang}-2`];
      const auditorKey = (
        await call<{ key: string }>(admin, "POST", "/v1/keys", {
          role: "auditor",
          name: auditors[0],
          rater: auditors[0],
        })
      ).key;
      const population = await call<{ id: string }>(
        leadKey,
        "POST",
        `/v1/populations?name=samples-${lang}`,
        populationCsv(lang),
        "text/csv",
      );
      setups[lang] = { population: population.id, auditors, auditorKey };
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const lang of ["ko", "en"] as const) {
    const language = lang === "ko" ? "Korean" : "English";
    it(`a lead names a sample in the planner, finds it on /samples and follows it, in ${language}`, async () => {
      const t = messages[lang];
      const { population, auditors, auditorKey } = setups[lang];
      const sampleName = lang === "ko" ? "12월 첫 주 혐오 점검" : "December week 1 hate check";
      const { page, errors, close } = await open(lang);
      await signIn(page, leadKey);

      // The planner: pick the population (its option names the upload time and row count), name the sample.
      await page.goto("/planner");
      // The draw's section (the calculators above it have fields with the same labels).
      const draw = page.locator("section", {
        has: page.getByRole("heading", { name: t["planner.draw.title"], exact: true }),
      });
      const picker = draw.getByLabel(t["planner.existingPopulation"], { exact: true });
      await picker.waitFor();
      const option = await picker.locator(`option[value="${population}"]`).textContent();
      expect(option).toContain(`samples-${lang}`);
      expect(option).toContain("40");
      await picker.selectOption(population);
      await draw.getByRole("checkbox", { name: /^\s*queue \(/ }).check();
      await draw.getByLabel(t["planner.sizeFrom"], { exact: true }).selectOption("total");
      await draw.getByLabel(t["planner.total"], { exact: true }).fill("20");
      await draw.getByLabel(t["planner.allocationMethod"], { exact: true }).selectOption("neyman");
      // Neyman weights take each stratum's expected rate: from the audits of the last 30 days here.
      await draw.getByTestId("expected-rates").waitFor();
      await draw.getByLabel(t["planner.rates.source"], { exact: true }).selectOption("history");
      await draw.getByLabel(t["planner.rates.days"], { exact: true }).fill("30");
      await draw.getByLabel(t["planner.sampleName"], { exact: true }).fill(`  ${sampleName} `);
      await page.getByTestId("draw-sample").click();
      await expect.poll(() => page.getByTestId("sample-summary").textContent()).toContain(sampleName);

      // Assign, then assign again: the planner asks first and says what each current auditor has.
      await draw.getByLabel(t["planner.assignTo"], { exact: true }).fill(auditors.join(", "));
      await page.getByRole("button", { name: t["planner.assign"], exact: true }).click();
      await page.locator(".success").first().waitFor();
      await page.getByRole("button", { name: t["planner.assign"], exact: true }).click();
      const confirm = page.getByTestId("assign-replace-confirm");
      await confirm.waitFor();
      expect(await confirm.textContent()).toContain(`${auditors[0]}:`);
      await page.getByTestId("assign-replace").click();
      await confirm.waitFor({ state: "detached" });

      // The population a sample was drawn from cannot be deleted: the page says why, in its language.
      await draw.getByTestId("population-delete").click();
      const deletePopulation = draw.getByTestId("population-delete-confirm");
      expect(await deletePopulation.textContent()).toContain(`samples-${lang}`);
      await deletePopulation.getByRole("button", { name: t["planner.population.deleteDo"] }).click();
      await expect
        .poll(() => deletePopulation.locator(".error").textContent())
        .toContain(t["error.population_in_use"]);

      // The auditor audits four of their items (one error) and skips one.
      const list = await call<{ samples: { id: string; name: string }[] }>(leadKey, "GET", "/v1/samples");
      const sample = list.samples.find((s) => s.name === sampleName)!;
      expect(sample).toBeDefined();
      const work = await call<{ items: { decisionId: string }[] }>(
        auditorKey,
        "GET",
        `/v1/work?sample=${sample.id}&limit=100`,
      );
      const mine = work.items.map((i) => i.decisionId);
      for (const [i, decisionId] of mine.slice(0, 4).entries()) {
        await call(
          auditorKey,
          "PUT",
          `/v1/samples/${sample.id}/items/${decisionId}/verdict`,
          i === 0
            ? { outcome: "incorrect", errorType: "false-positive", severity: 2 }
            : { outcome: "correct" },
        );
      }
      await call(auditorKey, "POST", `/v1/samples/${sample.id}/items/${mine[4]}/skip`, {
        reason: "needs-specialist",
      });

      // /samples: find it by part of its name.
      await page.goto("/samples");
      await ready(page, "[data-testid=samples-table] tbody tr");
      await screenshot(page, `samples-${lang}`);
      await page.getByLabel(t["samples.search"], { exact: true }).fill(sampleName.slice(0, 6));
      const row = page.getByTestId("samples-table").locator("tbody tr", { hasText: sampleName });
      await expect.poll(() => row.count()).toBe(1);
      expect(await row.textContent()).toContain(`samples-${lang}`);
      await row.getByRole("link", { name: sampleName }).click();

      // /samples/:id: the name, its auditor's progress, the estimate.
      await page.waitForURL(new RegExp(`/samples/${sample.id}$`));
      await ready(page, "[data-testid=sample-estimate]");
      await ready(page, "[data-testid=team-progress]");
      expect(await page.getByTestId("sample-name").textContent()).toBe(sampleName);
      expect(await page.getByTestId("sample-plan").textContent()).toContain(
        fill(t["samples.plan.fromHistory"], { days: "30" }),
      );
      const auditorRow = page.getByTestId("team-progress").locator("tbody tr", { hasText: auditors[0] });
      await auditorRow.waitFor();
      const cells = (await auditorRow.locator("th, td").allTextContents()).map((c) => c.trim());
      // auditor, assigned, done, skipped, todo
      expect(cells.slice(2, 4)).toEqual(["4", "1"]);
      expect(Number(cells[1])).toBe(mine.length);
      const estimate = (await page.getByTestId("sample-estimate").textContent()) ?? "";
      expect(estimate).toMatch(/%/);
      expect((await page.getByTestId("sample-strata").locator("tbody tr").count()) >= 2).toBe(true);
      await screenshot(page, `sample-${lang}`);

      // Deleting asks first and says what goes; a sample that audits name stays (409, in the page's language).
      await page.getByTestId("sample-delete").click();
      expect(await page.getByTestId("sample-delete-confirm").textContent()).toContain(sampleName);
      await page.getByTestId("sample-delete-do").click();
      await expect
        .poll(() => page.getByTestId("sample-delete-confirm").locator(".error").textContent())
        .toContain(t["error.sample_has_audits"]);

      // The quality page, filtered to the sample, says so.
      await page.getByRole("link", { name: t["samples.link.quality"] }).click();
      await page.waitForURL(/\/quality\?sampleId=/);
      await expect.poll(() => page.getByTestId("sample-filter").textContent()).toContain(sampleName);

      expect(errors).toEqual([]);
      await close();
    }, 120_000);
  }
});
