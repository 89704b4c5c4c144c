import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoResult, runDemo } from "../../scripts/demo.ts";
import { en } from "../../web/src/i18n/en.ts";
import { ko } from "../../web/src/i18n/ko.ts";
import { formatPValue } from "../../web/src/p-values.ts";
import { type ChildServer, startChildServer } from "../child-server.ts";
import { ensureDashboardBuilt, launchChromium, skipBrowser } from "./chromium.ts";
import { callApi, fill, openPage, ready, signIn } from "./steps.ts";

/**
 * False-discovery control on the dashboard (issue 16), in Chromium against the demo: the quality page's limit/FDR
 * inputs give p, q and flagged columns and a summary equal to the API's; an alert of a rule with bh shows p, q,
 * the groups tested and the expected false alerts, in English and Korean.
 */
const messages = { ko, en } as const;

let browser: Browser;
let demo: ChildServer;
let data: DemoResult;

const call = <T>(method: string, path: string, json?: unknown) =>
  callApi<T>(demo.url, data.keys.lead, method, path, json);

interface Group {
  key: Record<string, string>;
  p: number;
  q: number;
  flagged: boolean;
}

describe.skipIf(skipBrowser)("false-discovery control in Chromium", () => {
  beforeAll(async () => {
    ensureDashboardBuilt();
    browser = await launchChromium();
    demo = await startChildServer();
    data = await runDemo({ url: demo.url, adminKey: demo.adminKey, log: () => {} });
    // Grouped by moderator against 3 %: the demo's moderators err at ~2–11 %, so BH keeps some and drops others.
    await call("POST", "/v1/alert-rules", {
      name: "fdr-demo",
      groupBy: ["moderator"],
      condition: { kind: "threshold", maxRate: 0.03, window: { days: 14 }, minAudited: 60 },
      severity: "info",
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  for (const lang of ["en", "ko"] as const) {
    it(`the quality page tests each group against a limit: p, q, flagged (${lang})`, async () => {
      const t = messages[lang];
      const report = await call<{ groups: Group[]; flagged: number }>(
        "GET",
        "/v1/quality?groupBy=moderator&limit=0.09&fdr=0.2",
      );
      const { context, page, errors } = await openPage(browser, demo.url, lang);
      await signIn(page, data.keys.viewer);
      await page.goto("/quality?groupBy=moderator&limit=0.09&fdr=0.2");
      await ready(page, "[data-testid=quality-table] tbody tr");
      expect(await page.locator("input[name=limit]").inputValue()).toBe("9");
      expect(await page.locator("input[name=fdr]").inputValue()).toBe("20");
      const headers = await page.getByTestId("quality-table").locator("thead th").allTextContents();
      for (const key of ["quality.p", "quality.q", "quality.flagged"] as const)
        expect(headers.some((h) => h.includes(t[key]))).toBe(true);
      await expect
        .poll(() => page.getByTestId("quality-flagged").textContent())
        .toContain(
          fill(t["quality.flaggedSummary"], {
            n: report.flagged,
            m: report.groups.length,
            limit: "9%",
            fdr: "20%",
            method: t["rules.multiplicity.bh"],
          }).split(":")[0],
        );
      // The row of the moderator with the smallest p shows its p and q as the API gave them.
      const top = [...report.groups].sort((a, b) => a.p - b.p)[0];
      const row = page.getByTestId("quality-table").locator("tbody tr", { hasText: top.key.moderator });
      const cells = await row.locator("td").allTextContents();
      const locale = lang === "ko" ? "ko-KR" : "en-US";
      expect(cells).toContain(formatPValue(locale, top.p));
      expect(cells).toContain(formatPValue(locale, top.q));
      // A limit out of range is refused in the form, not sent.
      await page.locator("input[name=limit]").fill("120");
      await expect
        .poll(() => page.locator(".notice").allTextContents())
        .toContain(t["quality.limit.invalid"]);
      expect(errors).toEqual([]);
      await context.close();
    }, 60_000);

    it(`an alert of a rule with bh shows p, q, the groups tested and the expected false alerts (${lang})`, async () => {
      const t = messages[lang];
      const { alerts } = await call<{
        alerts: { id: string; ruleName: string; evidence: Record<string, number> }[];
      }>("GET", "/v1/alerts?state=firing");
      const alert = alerts.find((a) => a.ruleName === "fdr-demo");
      expect(alert, "the bh rule fires on some moderators").toBeDefined();
      const { context, page, errors } = await openPage(browser, demo.url, lang);
      await signIn(page, data.keys.lead);
      await page.goto("/alerts");
      await ready(page, "[data-testid=firing-alerts] li");
      const item = page.locator(`li[data-alert="${alert!.id}"]`);
      const evidence = await item.getByTestId("evidence-threshold").textContent();
      expect(evidence).toContain(t["alerts.ev.p"]);
      expect(evidence).toContain(t["rules.multiplicity.bh"]);
      expect(evidence).toContain(t["alerts.ev.groupsTested"]);
      expect(evidence).toContain(fill(t["alerts.ev.expectedFalse"], { n: alert!.evidence.groupsBreaching }));
      const summary = await item.getByTestId("alert-summary").textContent();
      const locale = lang === "ko" ? "ko-KR" : "en-US";
      expect(summary).toContain(formatPValue(locale, alert!.evidence.q));
      expect(errors).toEqual([]);
      await context.close();
    }, 60_000);
  }
});
