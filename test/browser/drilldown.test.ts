import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoResult, runDemo } from "../../scripts/demo.ts";
import { en } from "../../web/src/i18n/en.ts";
import { ko } from "../../web/src/i18n/ko.ts";
import { type ChildServer, startChildServer } from "../child-server.ts";
import { ensureDashboardBuilt, launchChromium, skipBrowser } from "./chromium.ts";
import { callApi, fill, openPage, ready, screenshot, signIn, tabTo } from "./steps.ts";

/**
 * Issue 18, the drill-down in Chromium on the demo's data, in both languages: from a quality row's error count,
 * a control-chart point (by keyboard) and a funnel unit to the audits behind them (the list's count equals the
 * aggregate's), the funnel's units below the minimum volume greyed then hidden, and from the list to one audit's
 * history (the demo's overturned dispute: a revision). Writes docs/screenshots/audits-*.png, audit-history-*.png.
 */
const messages = { ko, en } as const;
type Lang = keyof typeof messages;
const QUEUE = "hate-speech";

let browser: Browser;
let server: ChildServer;
let data: DemoResult;
/** The audit the demo's lead overturned (revision 2), and what the list needs to find it. */
let revised: { id: string; moderator: string; day: string };

const get = <T>(key: string, path: string) => callApi<T>(server.url, key, "GET", path);

const open = (lang: Lang) => openPage(browser, server.url, lang);

const digits = (text: string | null) => Number((text ?? "").replace(/\D/g, ""));

/** Waits for the audit list, pages through it with "more", and answers how many audits it lists. */
async function listedCount(page: Page): Promise<number> {
  await ready(page, "[data-testid=audit-count]");
  const count = page.getByTestId("audit-count");
  while ((await count.getAttribute("data-complete")) !== "true") {
    const before = await count.getAttribute("data-count");
    await page.getByTestId("audits-more").click();
    await expect.poll(() => count.getAttribute("data-count")).not.toBe(before);
  }
  return Number(await count.getAttribute("data-count"));
}

/** The filters shown as chips on the audit list, by name. */
async function chips(page: Page): Promise<string[]> {
  const items = page.locator("[data-testid=audit-filter-chips] li");
  return (await items.evaluateAll((els) => els.map((el) => el.getAttribute("data-filter") ?? ""))).sort();
}

describe.skipIf(skipBrowser)("drill-down to the audits behind a report, in Chromium", () => {
  beforeAll(async () => {
    ensureDashboardBuilt();
    browser = await launchChromium();
    server = await startChildServer();
    data = await runDemo({ url: server.url, adminKey: server.adminKey, log: () => {} });
    // The demo's overturned dispute made a revision of its audit; without one (an old dataset), correct one here.
    const { disputes } = await get<{ disputes: { auditId: string }[] }>(
      data.keys.lead,
      "/v1/disputes?state=overturned",
    );
    let id = disputes[0]?.auditId;
    if (!id) {
      const page = await get<{ audits: { id: string }[] }>(
        data.keys.lead,
        "/v1/audits?outcome=incorrect&limit=1",
      );
      id = page.audits[0].id;
      await callApi(server.url, data.keys.lead, "POST", `/v1/audits/${encodeURIComponent(id)}/revisions`, {
        outcome: "correct",
        reason: "second look",
      });
    }
    const found = await get<{ audits: { moderator: string; auditedAt: string }[] }>(
      data.keys.lead,
      `/v1/audits?id=${encodeURIComponent(id)}`,
    );
    const auditedAt = found.audits[0].auditedAt;
    const day = new Date(Date.parse(auditedAt) + 9 * 3_600_000).toISOString().slice(0, 10); // in Asia/Seoul
    revised = { id, moderator: found.audits[0].moderator, day };
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const lang of ["ko", "en"] as const) {
    const t = messages[lang];

    it(`${lang}: a quality row's error count opens exactly the audits it counts`, async () => {
      const { context, page, errors } = await open(lang);
      await signIn(page, data.keys.lead);
      await page.goto(`/quality?groupBy=moderator&queue=${QUEUE}`);
      await ready(page, "[data-testid=quality-table] tbody tr");
      const row = page.locator("[data-testid=quality-table] tbody tr").first();
      const moderator = (await row.locator("th").textContent())!.trim();
      const errorsCell = row.locator("td").nth(1);
      const counted = digits(await errorsCell.textContent());
      expect(counted).toBeGreaterThan(0);
      await errorsCell.getByRole("link").click();
      await page.waitForURL(/\/audits\?/);
      const url = new URL(page.url());
      expect(Object.fromEntries(url.searchParams)).toMatchObject({
        queue: QUEUE,
        moderator,
        outcome: "incorrect",
      });
      expect(await listedCount(page)).toBe(counted);
      expect(await chips(page)).toEqual(["moderator", "outcome", "queue"]);
      expect(await page.locator("[data-testid=audit-table] tbody tr.audit-error").count()).toBe(counted);
      await screenshot(page, `audits-${lang}`);

      // The audited count lists every audit of the row; removing the outcome chip widens the list to it.
      await page
        .getByRole("button", {
          name: fill(t["audits.filter.remove"], {
            filter: t["audits.filter.outcome"],
            value: t["audit.outcome.incorrect"],
          }),
        })
        .click();
      await expect.poll(() => chips(page)).toEqual(["moderator", "queue"]);
      await expect.poll(() => new URL(page.url()).searchParams.get("outcome")).toBe(null);
      await expect.poll(() => listedCount(page)).toBeGreaterThan(counted);
      expect(errors).toEqual([]);
      await context.close();
    }, 90_000);

    it(`${lang}: Enter on a chart point and on a funnel unit opens their audits; units below the minimum are greyed, then hidden`, async () => {
      const { context, page, errors } = await open(lang);
      await signIn(page, data.keys.lead);
      await page.goto(`/charts?queue=${QUEUE}`);
      await ready(page, "[data-testid=control-chart] .point");
      await ready(page, "[data-testid=funnel-plot] .unit-out");

      // A signal point is a link in the Tab order: Enter follows it to the audits of its period.
      const signals = page.locator("[data-testid=control-chart] a.signal");
      if ((await signals.count()) > 0) {
        await tabTo(page, "el.classList.contains('signal')", 200);
      } else {
        await page.locator("[data-testid=control-chart] a.point-link").first().focus();
      }
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/audits\?/);
      const period = new URL(page.url()).searchParams;
      expect(period.get("queue")).toBe(QUEUE);
      expect(period.get("from")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(period.get("to")).toBe(period.get("from")); // daily points: one day
      // As many audits as the chart counted in that period: the same filters and days in the same time zone.
      expect(period.get("tz")).toBeTruthy();
      const quality = await get<{ overall: { audited: number } }>(data.keys.lead, `/v1/quality?${period}`);
      expect(quality.overall.audited).toBeGreaterThan(0);
      expect(await listedCount(page)).toBe(quality.overall.audited);

      // A funnel unit outside the limits links to its audits: as many as its volume.
      await page.goBack();
      await ready(page, "[data-testid=funnel-plot] a.unit-out");
      const unit = page.locator("[data-testid=funnel-plot] a.unit-out").first();
      const key = (await unit.getAttribute("data-key"))!;
      const funnel = await get<{ units: { key: string; n: number }[] }>(
        data.keys.lead,
        `/v1/funnel?queue=${QUEUE}`,
      );
      const volume = funnel.units.find((u) => u.key === key)!.n;
      await unit.focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/audits\?/);
      expect(new URL(page.url()).searchParams.get("moderator")).toBe(key);
      expect(await listedCount(page)).toBe(volume);

      // A minimum above some units' volume greys them (and says how many), or hides them.
      const volumes = funnel.units.map((u) => u.n).sort((a, b) => a - b);
      const minimum = volumes[Math.floor(volumes.length / 2)];
      const below = volumes.filter((n) => n < minimum).length;
      expect(below).toBeGreaterThan(0);
      await page.goto(`/charts?queue=${QUEUE}&minAudited=${minimum}`);
      await ready(page, "[data-testid=funnel-below-minimum]");
      const note = page.getByTestId("funnel-below-minimum");
      const n = new Intl.NumberFormat(lang === "ko" ? "ko-KR" : "en-US").format(below);
      const min = new Intl.NumberFormat(lang === "ko" ? "ko-KR" : "en-US").format(minimum);
      const form = below === 1 && lang === "en" ? "one" : "other";
      expect(await note.textContent()).toBe(fill(t[`funnel.belowMinimum.greyed.${form}`], { n, min }));
      expect(await page.locator("[data-testid=funnel-plot] .unit.below-minimum").count()).toBe(below);
      await page.getByLabel(t["funnel.belowMinimum.hide"]).check();
      await expect.poll(() => page.locator("[data-testid=funnel-plot] .below-minimum").count()).toBe(0);
      expect(await note.textContent()).toBe(fill(t[`funnel.belowMinimum.hidden.${form}`], { n, min }));
      expect(errors).toEqual([]);
      await context.close();
    }, 120_000);

    it(`${lang}: from the list to one audit's history, the corrected fields highlighted, and back`, async () => {
      const { context, page, errors } = await open(lang);
      await signIn(page, data.keys.lead);
      const list = `/audits?moderator=${revised.moderator}&from=${revised.day}&to=${revised.day}&tz=Asia%2FSeoul`;
      await page.goto(list);
      await listedCount(page);
      await page.locator(`[data-testid=audit-table] tr[data-id="${revised.id}"] th a`).click();
      await page.waitForURL(/\/audits\/[^?]+/);
      await ready(page, "[data-testid=audit-history] tbody tr");
      expect(await page.locator("h1").textContent()).toBe(fill(t["audits.audit"], { id: revised.id }));
      const rows = page.locator("[data-testid=audit-history] tbody tr");
      expect(await rows.count()).toBeGreaterThanOrEqual(2);
      // Revision 1 is the incorrect verdict as recorded; the correction changed the outcome (highlighted).
      expect(await rows.nth(0).locator("td[data-field=outcome]").textContent()).toBe(
        t["audit.outcome.incorrect"],
      );
      const second = rows.nth(1);
      expect(await second.locator("td[data-field=outcome]").getAttribute("class")).toBe("changed");
      expect(await second.locator("td.changed").count()).toBeGreaterThanOrEqual(1);
      expect(await page.getByTestId("audit-outcome").textContent()).toBe(
        (await rows.last().locator("td[data-field=outcome]").textContent())!
          .replace(t["audits.history.changed"], "")
          .trim(),
      );
      await screenshot(page, `audit-history-${lang}`);
      await page.getByRole("link", { name: t["audits.back"] }).click();
      await page.waitForURL(/\/audits\?/);
      expect(Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({
        moderator: revised.moderator,
        from: revised.day,
        to: revised.day,
      });
      expect(errors).toEqual([]);
      await context.close();
    }, 90_000);
  }
});
