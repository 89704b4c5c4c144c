import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "../../web/src/i18n/en.ts";
import { ko } from "../../web/src/i18n/ko.ts";
import { rateDecimals } from "../../web/src/i18n/rates.ts";
import { type ChildServer, startChildServer } from "../child-server.ts";
import { ensureDashboardBuilt, launchChromium, skipBrowser } from "./chromium.ts";
import { callApi, fill, openPage, SCREENSHOTS, signIn, tabTo } from "./steps.ts";

/**
 * The auditor's workbench (`/audit`) in Chromium, in both languages: an auditor works a 20-item sample with the
 * keyboard only (one verdict with a note, one skipped, one save through a network failure, one corrected and
 * undone), then the QA lead sees 19 audited, 1 skipped and the estimate, and reassigns the skipped item.
 * Writes docs/screenshots/workbench-en.png and workbench-ko.png.
 */
const messages = { ko, en } as const;
type Lang = keyof typeof messages;
type Messages = (typeof messages)[Lang];

let browser: Browser;
let server: ChildServer;
let leadKey: string;
const setups = {} as Record<Lang, { auditorKey: string; auditor: string; sample: string }>;

interface WorkItem {
  position: number;
  decisionId: string;
  moderator: string;
  url: string | null;
  content: string | null;
  context: Record<string, string>;
  status: "todo" | "done" | "skipped";
  skip: { reason: string } | null;
  verdict: {
    auditId: string;
    outcome: string;
    errorType: string | null;
    severity: number | null;
    notes: string | null;
    revision: number;
  } | null;
}

const call = <T>(key: string, method: string, path: string, body?: unknown, type?: string) =>
  callApi<T>(server.url, key, method, path, body, type);

/** 30 decisions by 5 moderators, each with a link, an excerpt and two context fields. */
function populationCsv(lang: Lang): string {
  let csv =
    "id,queue,moderator,label,policy,market,decidedAt,url,content,context.reporter,context.surface\r\n";
  for (let i = 1; i <= 30; i++) {
    const id = `${lang}-d-${String(i).padStart(2, "0")}`;
    const content =
      lang === "ko"
        ? `게시물 발췌 ${i}: 이 댓글은 신고되었습니다`
        : `Post excerpt ${i}: this comment was reported`;
    csv += `${[
      id,
      i % 3 === 0 ? "spam" : "hate-speech",
      `mod-${(i % 5) + 1}`,
      i % 2 === 0 ? "remove" : "keep",
      i % 3 === 0 ? "SP-3.2" : "HS-2.1",
      "KR",
      `2026-12-0${(i % 5) + 1}T10:${String(i).padStart(2, "0")}:00+09:00`,
      `https://moderation.example.com/decisions/${id}`,
      `"${content}"`,
      `user-${i}`,
      i % 2 === 0 ? "comment" : "post",
    ].join(",")}\r\n`;
  }
  return csv;
}

// The network failure and the refusal this test causes on purpose are logged by the browser: not failures.
const open = (lang: Lang, width = 1280, height = 800) =>
  openPage(browser, server.url, lang, { width, height, refusalsExpected: true });

/** Whether a beforeunload now would ask the user first (the page has unsaved verdicts). */
const wouldWarn = (page: Page) =>
  page.evaluate(
    "(() => { const e = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented; })()",
  ) as Promise<boolean>;

async function expectPosition(page: Page, position: number): Promise<void> {
  await expect.poll(() => page.getByTestId("position").textContent()).toContain(`${position} / 20`);
}

/** What the auditor decides for each position: the keys pressed, with Enter after unless the item is skipped. */
const ERROR_KEYS = { 2: "1", 10: "2", 14: "3", 18: "4" } as Record<number, string>;
const SKIPPED = 7;
const NOTED = 10;
const CORRECTED = 3;
const REFUSED = 16;

describe.skipIf(skipBrowser)("the auditor's workbench in Chromium", () => {
  beforeAll(async () => {
    ensureDashboardBuilt();
    browser = await launchChromium();
    server = await startChildServer();
    const admin = server.adminKey;
    leadKey = (await call<{ key: string }>(admin, "POST", "/v1/keys", { role: "lead", name: "lead" })).key;
    for (const lang of ["ko", "en"] as const) {
      const auditor = `auditor-${lang}`;
      const auditorKey = (
        await call<{ key: string }>(admin, "POST", "/v1/keys", {
          role: "auditor",
          name: auditor,
          rater: auditor,
        })
      ).key;
      const population = await call<{ id: string }>(
        leadKey,
        "POST",
        `/v1/populations?name=workbench-${lang}`,
        populationCsv(lang),
        "text/csv",
      );
      const sample = await call<{ id: string; n: number }>(leadKey, "POST", "/v1/samples", {
        population: population.id,
        total: 20,
        seed: `workbench-${lang}`,
      });
      expect(sample.n).toBe(20);
      await call(leadKey, "POST", `/v1/samples/${sample.id}/assign`, { auditors: [auditor] });
      setups[lang] = { auditorKey, auditor, sample: sample.id };
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const lang of ["ko", "en"] as const) {
    const name = lang === "ko" ? "Korean" : "English";
    it(`an auditor works a 20-item sample with the keyboard only, in ${name}`, async () => {
      const t: Messages = messages[lang];
      const { auditorKey, auditor, sample } = setups[lang];
      const { context, page, errors } = await open(lang);
      await signIn(page, auditorKey);
      // An auditor lands on the workbench, first in the navigation.
      await page.waitForURL(/\/audit$/);
      expect(await page.locator("nav a").first().textContent()).toBe(t["nav.audit"]);
      expect(await page.locator("h1").textContent()).toBe(t["audit.title"]);
      await page.getByTestId("my-samples").locator("tbody tr").first().waitFor();
      expect(await page.getByTestId("my-samples").locator("tbody tr").count()).toBe(1);
      // Open the sample from the keyboard.
      await tabTo(page, "el.tagName === 'A' && (el.getAttribute('href') || '').includes('sample=')");
      await page.keyboard.press("Enter");
      await expectPosition(page, 1);

      const items = (
        await call<{ items: WorkItem[] }>(auditorKey, "GET", `/v1/work?sample=${sample}&status=all&limit=100`)
      ).items;
      expect(items.map((i) => i.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));

      // The first item's context: a link that opens in a new tab without an opener, the excerpt, the fields.
      const link = page.getByTestId("item-link");
      expect(await link.getAttribute("href")).toBe(items[0].url);
      expect(await link.getAttribute("target")).toBe("_blank");
      expect(await link.getAttribute("rel")).toBe("noopener noreferrer");
      expect(await page.getByTestId("item-content").textContent()).toBe(items[0].content);
      const fields = await page.getByTestId("item-context-fields").textContent();
      expect(fields).toContain("reporter");
      expect(fields).toContain(items[0].context.reporter);

      for (let position = 1; position <= 20; position++) {
        await expectPosition(page, position);
        if (position === SKIPPED) {
          await page.keyboard.press("s");
          await page.getByTestId("skip-prompt").waitFor();
          await page.keyboard.press("2"); // needs a specialist
          continue;
        }
        if (ERROR_KEYS[position]) {
          if (position === 18 && lang === "ko") {
            // A Korean input source types ㅌ on the X key: the shortcut goes by the physical key.
            await page.evaluate(
              "document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'ㅌ', code: 'KeyX', bubbles: true, cancelable: true }))",
            );
          } else await page.keyboard.press(position === 10 || position === 18 ? "x" : "2");
          await expect
            .poll(() => page.getByTestId("key-hint").textContent())
            .toContain(t["audit.hint.incorrect"]);
          await page.keyboard.press(ERROR_KEYS[position]);
          await page.keyboard.press("Shift+Digit3");
        } else {
          await page.keyboard.press(position % 2 === 0 ? "1" : "c");
          // The form shows the verdict before anything saves it (a lost key press fails here, by name).
          await expect
            .poll(() => page.locator("input[type=radio][value=correct]").isChecked(), { timeout: 10_000 })
            .toBe(true);
        }
        if (position === 18) {
          // The screenshot: an incorrect verdict being entered, with the shortcut list shown by `?`.
          await page.keyboard.press("?");
          await page.getByTestId("shortcuts").waitFor();
          mkdirSync(SCREENSHOTS, { recursive: true });
          await page.evaluate("window.scrollTo(0, 0)");
          await page.screenshot({ path: `${SCREENSHOTS}workbench-${lang}.png`, fullPage: true });
          await page.keyboard.press("?");
          await page.getByTestId("shortcuts").waitFor({ state: "hidden" });
        }
        if (position === NOTED) {
          // N focuses the note; keys typed there are text, never shortcuts; Escape leaves the field.
          await page.keyboard.press("n");
          await page.keyboard.type("1 c 2 x s u: label was right for the wrong reason");
          expect(await page.locator("textarea[name=notes]").inputValue()).toBe(
            "1 c 2 x s u: label was right for the wrong reason",
          );
          expect(await page.getByTestId("skip-prompt").count()).toBe(0);
          await page.keyboard.press("Escape");
          expect(await page.evaluate("document.activeElement.tagName")).not.toBe("TEXTAREA");
        }
        if (position === REFUSED) {
          // A refusal (4xx) is not retried: the page names the item and says why, in its language; the
          // verdict is still in the form, and saving again once the cause is gone stores it.
          await expect
            .poll(() => page.getByTestId("save-status").textContent(), { timeout: 20_000 })
            .toBe("");
          await page.route("**/verdict", (route) =>
            route.fulfill({
              status: 403,
              contentType: "application/json",
              body: JSON.stringify({
                error: { code: "not_assigned", message: "assigned to another auditor" },
              }),
            }),
          );
          const refused = page.waitForResponse((r) => r.url().endsWith("/verdict") && r.status() === 403);
          await page.keyboard.press("Enter");
          await refused;
          const failures = page.getByTestId("failures");
          await failures.waitFor({ timeout: 20_000 });
          await expect.poll(() => failures.textContent()).toContain(t["error.not_assigned"]);
          expect(await failures.textContent()).toContain(fill(t["audit.failedAt"], { position }));
          expect(await wouldWarn(page)).toBe(false);
          await page.unroute("**/verdict");
          await page.keyboard.press("ArrowLeft");
          await expectPosition(page, position);
          expect(await page.getByTestId("item-state").textContent()).toBe(t["audit.state.failed"]);
          await page.keyboard.press("Enter");
          await expect.poll(() => page.getByTestId("failures").count()).toBe(0);
          continue;
        }
        await page.keyboard.press("Enter");
        if (position === 1) {
          // Undo is not offered for a verdict that created its audit, and the page says so.
          await expectPosition(page, 2);
          await page.keyboard.press("u");
          await expect
            .poll(() => page.getByTestId("message").textContent())
            .toBe(fill(t["audit.undo.created"], { position: 1 }));
        }
      }
      // Every item is done or skipped.
      await expect.poll(() => page.getByTestId("message").textContent()).toBe(t["audit.allDone"]);
      await expect.poll(() => page.getByTestId("save-status").textContent()).toBe("");

      // Correct a verdict, then undo the correction: a revision back with reason "undo".
      for (let position = 20; position > CORRECTED; position--) await page.keyboard.press("ArrowLeft");
      await expectPosition(page, CORRECTED);
      await page.keyboard.press("2");
      await page.keyboard.press("1");
      await page.keyboard.press("Enter");
      await expectPosition(page, CORRECTED + 1);
      await expect
        .poll(() => page.getByTestId("undo-note").textContent())
        .toContain(fill(t["audit.undo.offer"], { position: CORRECTED, verdict: t["audit.outcome.correct"] }));
      await expect.poll(() => page.getByTestId("save-status").textContent()).toBe("");
      await page.keyboard.press("u");
      await expectPosition(page, CORRECTED);
      await expect
        .poll(() => page.getByTestId("item-state").textContent())
        .toBe(fill(t["audit.state.saved"], { revision: 3 }));
      expect(await page.locator("input[type=radio][value=correct]").isChecked()).toBe(true);

      // What the service holds.
      const after = (
        await call<{ items: WorkItem[] }>(auditorKey, "GET", `/v1/work?sample=${sample}&status=all&limit=100`)
      ).items;
      expect(after.filter((i) => i.status === "done").length).toBe(19);
      expect(after.filter((i) => i.status === "skipped").map((i) => [i.position, i.skip?.reason])).toEqual([
        [SKIPPED, "needs-specialist"],
      ]);
      for (const [position, key] of Object.entries(ERROR_KEYS)) {
        const verdict = after[Number(position) - 1].verdict!;
        expect(verdict.outcome, position).toBe("incorrect");
        expect(verdict.errorType, position).toBe(
          ["false-positive", "false-negative", "wrong-policy", "other"][Number(key) - 1],
        );
        expect(verdict.severity, position).toBe(3);
      }
      expect(after[NOTED - 1].verdict!.notes).toBe("1 c 2 x s u: label was right for the wrong reason");
      expect(after.filter((i) => i.verdict?.outcome === "correct").length).toBe(15);
      const corrected = after[CORRECTED - 1].verdict!;
      expect(corrected).toMatchObject({ outcome: "correct", errorType: null, revision: 3 });
      const history = await call<{
        revisions: { revision: number; outcome: string; reason: string | null }[];
      }>(leadKey, "GET", `/v1/audits/${encodeURIComponent(corrected.auditId)}/history`);
      expect(history.revisions.map((r) => [r.revision, r.outcome, r.reason])).toEqual([
        [1, "correct", null],
        [2, "incorrect", null],
        [3, "correct", "undo"],
      ]);
      const summary = await call<{
        samples: { sampleId: string; done: number; skipped: number; todo: number }[];
      }>(auditorKey, "GET", "/v1/work/summary");
      expect(summary.samples).toEqual([
        expect.objectContaining({ sampleId: sample, done: 19, skipped: 1, todo: 0 }),
      ]);

      // A focus that shows, and a layout that fits a narrow window.
      await tabTo(page, "el.dataset.testid === 'save'");
      expect(await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")).not.toBe("none");
      await page.setViewportSize({ width: 400, height: 800 });
      expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).toBe(true);
      expect(errors).toEqual([]);
      await context.close();

      // The lead sees 19 audited, 1 skipped, and the estimate.
      const lead = await open(lang);
      await signIn(lead.page, leadKey);
      await lead.page.goto("/audit");
      await lead.page.getByTestId("all-samples").locator("tbody tr").first().waitFor();
      await lead.page.goto(`/audit?sample=${sample}`);
      const row = lead.page.getByTestId("team-progress").locator("tbody tr", { hasText: auditor });
      await row.waitFor();
      expect((await row.locator("td").allTextContents()).slice(0, 4)).toEqual(["20", "19", "1", "0"]);
      expect(await lead.page.getByTestId("team-summary").textContent()).toBe(
        fill(t["audit.team.summary"], { drawn: 20, audited: 19, skipped: 1, remaining: 0 }),
      );
      const estimate = await call<{
        rate: number;
        lower: number;
        upper: number;
        confidence: number;
        skipped: number;
      }>(leadKey, "GET", `/v1/samples/${sample}/estimate`);
      expect(estimate.skipped).toBe(1);
      // The dashboard's one rate rule: the rate and both bounds with the decimals of the interval's width.
      const locale = lang === "ko" ? "ko-KR" : "en-US";
      const decimals = rateDecimals(estimate.lower, estimate.upper);
      const rate = (value: number) =>
        new Intl.NumberFormat(locale, {
          style: "percent",
          minimumFractionDigits: decimals,
          maximumFractionDigits: decimals,
        }).format(value);
      const percent = (value: number, digits: number) =>
        new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: digits }).format(value);
      const shown = lead.page.getByTestId("team-estimate");
      await shown.waitFor();
      expect(await shown.locator(".summary").textContent()).toBe(
        fill(t["audit.team.estimate"], {
          rate: rate(estimate.rate),
          confidence: percent(estimate.confidence, 1),
          lower: rate(estimate.lower),
          upper: rate(estimate.upper),
        }),
      );
      expect(await shown.textContent()).toContain(fill(t["audit.team.skippedExcluded"], { skipped: 1 }));

      // Reassigning the skipped item: never to the moderator who decided it (the API's refusal, translated),
      // then to another auditor, after a confirmation that says what changes.
      const skipped = after[SKIPPED - 1];
      const reassign = lead.page.getByTestId("reassign");
      const box = reassign.locator(`input[data-decision="${skipped.decisionId}"]`);
      await box.waitFor();
      expect(await reassign.locator("input[data-decision]").count()).toBe(1);
      await box.check();
      const target = reassign.locator("input[name=reassign-to]");
      await target.fill(skipped.moderator);
      await reassign.getByTestId("reassign-review").click();
      expect(await reassign.getByTestId("reassign-confirm").locator("legend").textContent()).toBe(
        fill(t["audit.reassign.confirm"], {
          n: 1,
          from: auditor,
          to: skipped.moderator,
          todo: 0,
          skipped: 1,
        }),
      );
      await reassign.getByTestId("reassign-confirm-button").click();
      await expect.poll(() => reassign.getByRole("alert").textContent()).toContain(t["error.self_review"]);
      await target.fill(`helper-${lang}`);
      await reassign.getByTestId("reassign-review").click();
      await reassign.getByTestId("reassign-confirm-button").click();
      await expect
        .poll(() => reassign.getByTestId("reassign-done").textContent())
        .toBe(fill(t["audit.reassign.done"], { n: 1, to: `helper-${lang}` }));
      const helperRow = lead.page
        .getByTestId("team-progress")
        .locator("tbody tr", { hasText: `helper-${lang}` });
      await helperRow.waitFor();
      expect((await helperRow.locator("td").allTextContents()).slice(0, 4)).toEqual(["1", "0", "0", "1"]);
      expect((await row.locator("td").allTextContents()).slice(0, 4)).toEqual(["19", "19", "0", "0"]);
      // The lead works the helper's queue: the verdict is the helper's, recorded by the lead.
      await helperRow.getByRole("link").click();
      await expect.poll(() => lead.page.getByTestId("position").textContent()).toContain("1 / 1");
      expect(await lead.page.getByTestId("on-behalf").textContent()).toBe(
        fill(t["audit.onBehalf"], { auditor: `helper-${lang}` }),
      );
      await lead.page.keyboard.press("c");
      // The form shows the verdict before Enter saves it (a lost key press fails here, by name).
      await expect
        .poll(() => lead.page.locator("input[type=radio][value=correct]").isChecked(), { timeout: 10_000 })
        .toBe(true);
      await lead.page.keyboard.press("Enter");
      await expect
        .poll(() => lead.page.getByTestId("item-state").textContent(), { timeout: 20_000 })
        .toBe(fill(t["audit.state.saved"], { revision: 1 }));
      const helperItems = await call<{
        items: (WorkItem & { verdict: { auditor: string; recordedBy: string } })[];
      }>(leadKey, "GET", `/v1/work?sample=${sample}&auditor=helper-${lang}&status=all`);
      expect(helperItems.items.map((i) => [i.decisionId, i.verdict?.auditor, i.verdict?.recordedBy])).toEqual(
        [[skipped.decisionId, `helper-${lang}`, "lead"]],
      );
      expect(lead.errors).toEqual([]); // the refused reassignment's 400 is logged as a failed load, left out
      await lead.context.close();
    }, 180_000);
  }
});
