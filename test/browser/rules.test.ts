import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoResult, runDemo } from "../../scripts/demo.ts";
import { en } from "../../web/src/i18n/en.ts";
import { ko } from "../../web/src/i18n/ko.ts";
import { changedFields, draftOf, ruleOf } from "../../web/src/pages/alerts/rule-draft.ts";
import type { Rule } from "../../web/src/pages/alerts/types.ts";
import { type ChildServer, startChildServer } from "../child-server.ts";
import { testContext } from "../helpers.ts";
import { ensureDashboardBuilt, launchChromium, skipBrowser } from "./chromium.ts";
import { callApi, fill, openPage, ready, screenshot, signIn } from "./steps.ts";

/**
 * The rules editor and the alerts in the page's language (issue 18), in Chromium against the demo: a lead
 * edits a rule's scope and watches the 30-day preview follow, disables, enables and deletes a rule; alert
 * summaries are rendered from their evidence in Korean; an alert links to the audits behind it.
 */
const messages = { ko, en } as const;
type Lang = keyof typeof messages;

interface Preview {
  daysFiring: number;
  alertsWouldOpen: number;
}
interface Alert {
  id: string;
  ruleName: string;
  labels: Record<string, string>;
  evidence: {
    kind: string;
    window?: { from: string; to: string };
    periodFrom?: string;
    periodTo?: string;
    audit?: { id: string };
  };
}

let browser: Browser;
let demo: ChildServer;
let data: DemoResult;

const open = (lang: Lang) => openPage(browser, demo.url, lang);

/** The API as the demo's lead. */
const call = <T>(method: string, path: string, json?: unknown) =>
  callApi<T>(demo.url, data.keys.lead, method, path, json);

/** A one-day error-rate rule the editor test changes (its own per language, so the tests do not meet). */
const testRule = (lang: Lang, queue: string) => ({
  name: `preview-${lang}`,
  scope: { queue },
  condition: { kind: "threshold", maxRate: 0.02, window: { days: 1 }, minAudited: 20 },
  severity: "info",
});

/** What the page should say for a preview answer. */
function previewText(lang: Lang, preview: Preview): string {
  const t = messages[lang];
  const one =
    new Intl.PluralRules(lang === "ko" ? "ko-KR" : "en-US").select(preview.alertsWouldOpen) === "one";
  return fill(t["rules.preview.result"], {
    n: preview.daysFiring,
    days: 30,
    alerts: fill(t[one ? "rules.preview.alerts.one" : "rules.preview.alerts.other"], {
      n: preview.alertsWouldOpen,
    }),
  });
}

describe.skipIf(skipBrowser)("rules editor and alerts in Chromium", () => {
  beforeAll(async () => {
    ensureDashboardBuilt();
    browser = await launchChromium();
    demo = await startChildServer();
    data = await runDemo({ url: demo.url, adminKey: demo.adminKey, log: () => {} });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  for (const lang of ["en", "ko"] as const) {
    it(`a lead edits a rule's scope and sees the preview change, then disables, enables and deletes it (${lang})`, async () => {
      const t = messages[lang];
      const created = await call<{ id: string }>("POST", "/v1/alert-rules", testRule(lang, "hate-speech"));
      const before = await call<Preview>("POST", "/v1/alert-rules/preview", { ruleId: created.id });
      const after = await call<Preview>("POST", "/v1/alert-rules/preview", testRule(lang, "spam"));
      const { context, page, errors } = await open(lang);
      await signIn(page, data.keys.lead);
      await page.goto("/alerts");
      await ready(page, "[data-testid=rules-table] tbody tr");
      const row = () => page.getByTestId("rules-table").locator("tbody tr", { hasText: `preview-${lang}` });
      await row().getByRole("button", { name: t["rules.edit"] }).click();
      const form = page.getByTestId("rule-form");
      const preview = form.getByTestId("rule-preview");
      await expect.poll(() => preview.textContent(), { timeout: 20_000 }).toBe(previewText(lang, before));
      await form.locator("input[name=scope-queue]").fill("spam");
      await expect.poll(() => preview.textContent(), { timeout: 20_000 }).toBe(previewText(lang, after));
      expect(before.daysFiring).not.toBe(after.daysFiring); // hate speech errs more often than spam
      await screenshot(page, `rules-${lang}`);
      await form.getByRole("button", { name: t["rules.save"] }).click();
      await expect.poll(() => row().textContent()).toContain(`${t["field.queue"]}: spam`);
      expect((await call<{ scope: object }>("GET", `/v1/alert-rules/${created.id}`)).scope).toEqual({
        queue: "spam",
      });

      await row().getByRole("button", { name: t["alerts.disable"] }).click();
      await expect.poll(() => row().getByTestId("rule-enabled").textContent()).toBe(t["alerts.off"]);
      await row().getByRole("button", { name: t["alerts.enable"] }).click();
      await expect.poll(() => row().getByTestId("rule-enabled").textContent()).toBe(t["alerts.on"]);
      expect((await call<{ enabled: boolean }>("GET", `/v1/alert-rules/${created.id}`)).enabled).toBe(true);

      await row().getByRole("button", { name: t["rules.delete"] }).click();
      const confirm = page.getByTestId("delete-confirm");
      expect(await confirm.textContent()).toContain(
        fill(t["rules.delete.confirm"], { name: `preview-${lang}` }),
      );
      await confirm.getByRole("button", { name: t["rules.cancel"] }).click();
      expect(await row().count()).toBe(1); // cancelled: still there
      await row().getByRole("button", { name: t["rules.delete"] }).click();
      await page.getByTestId("delete-confirm-button").click();
      await expect.poll(() => row().count()).toBe(0);
      const { rules } = await call<{ rules: { id: string }[] }>("GET", "/v1/alert-rules");
      expect(rules.some((r) => r.id === created.id)).toBe(false);
      expect(errors).toEqual([]);
      await context.close();
    }, 90_000);
  }

  it("alert summaries are in Korean on the Korean page, from their evidence", async () => {
    const { context, page, errors } = await open("ko");
    await signIn(page, data.keys.lead);
    await page.goto("/alerts");
    await ready(page, "[data-testid=firing-alerts] li");
    const summaries = page.getByTestId("firing-alerts").getByTestId("alert-summary");
    expect(await summaries.count()).toBe(data.firingAlerts);
    for (const text of await summaries.allTextContents()) {
      expect(text).toMatch(/[가-힣]/);
      expect(text).not.toMatch(/error rate|day\(s\)|chart,|signals|by mod-/);
    }
    // Nothing shown in English: the service's English summaries stay in the API only.
    expect(await page.getByTestId("firing-alerts").locator("[lang=en]").count()).toBe(0);
    const cusum = page
      .getByTestId("firing-alerts")
      .locator("li.alert-item", { hasText: "Hate speech CUSUM" });
    expect(await cusum.getByTestId("alert-summary").textContent()).toContain("CUSUM");
    expect(await cusum.getByTestId("alert-summary").textContent()).toContain("관리도");
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("each alert links to the audits behind it with its filters, or to its audit", async () => {
    const { alerts } = await call<{ alerts: Alert[] }>("GET", "/v1/alerts?state=firing");
    const { context, page, errors } = await open("en");
    await signIn(page, data.keys.lead);
    await page.goto("/alerts");
    await ready(page, "[data-testid=firing-alerts] li");
    const linkOf = async (alert: Alert) => {
      const item = page.locator(`li[data-alert="${alert.id}"]`);
      return new URL((await item.getByTestId("alert-audits").getAttribute("href"))!, demo.url);
    };
    const byModerator = alerts.find((a) => a.ruleName.startsWith("Moderator error rate"));
    expect(byModerator, "the demo's moderator threshold rule fires").toBeDefined();
    const moderatorLink = await linkOf(byModerator!);
    expect(moderatorLink.pathname).toBe("/audits");
    expect(Object.fromEntries(moderatorLink.searchParams)).toEqual({
      outcome: "incorrect",
      moderator: byModerator!.labels.moderator,
      from: byModerator!.evidence.window!.from,
      to: byModerator!.evidence.window!.to,
    });
    const cusum = alerts.find((a) => a.ruleName === "Hate speech CUSUM (daily)")!;
    expect(Object.fromEntries((await linkOf(cusum)).searchParams)).toEqual({
      outcome: "incorrect",
      queue: "hate-speech",
      from: cusum.evidence.periodFrom,
      to: cusum.evidence.periodTo,
    });
    const audit = alerts.find((a) => a.evidence.kind === "audit")!;
    const auditLink = await linkOf(audit);
    expect(auditLink.pathname).toBe(`/audits/${encodeURIComponent(audit.evidence.audit!.id)}`);
    expect(await page.locator(`li[data-alert="${audit.id}"]`).getByTestId("alert-audits").textContent()).toBe(
      en["rules.openAudit"],
    );
    // Following the link opens the audits page with the filters in its address.
    await page.locator(`li[data-alert="${byModerator!.id}"]`).getByTestId("alert-audits").click();
    await page.waitForURL(/\/audits\?/);
    expect(new URL(page.url()).searchParams.get("moderator")).toBe(byModerator!.labels.moderator);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});

describe("the rules editor's form state", () => {
  const stored = [
    {
      name: "threshold",
      scope: { queue: "hate", errorType: "false-negative" },
      groupBy: ["moderator", "market"],
      condition: {
        kind: "threshold",
        maxRate: 0.07,
        window: { days: 0.5 },
        evidence: "lower-bound",
        confidence: 0.9,
      },
      severity: "critical",
      pendingEvaluations: 2,
      keepFiringEvaluations: 3,
      repeatInterval: "PT4H",
    },
    {
      name: "chart",
      scope: { market: "KR" },
      condition: {
        kind: "chart",
        type: "cusum",
        interval: "week",
        baseline: { periods: 30 },
        timeZone: "Asia/Seoul",
      },
      severity: "warning",
    },
    {
      name: "agreement",
      condition: { kind: "agreement", statistic: "ac1", below: -0.25 },
      severity: "info",
      enabled: false,
    },
    {
      name: "audit",
      condition: { kind: "audit", minSeverity: 3, errorTypes: ["wrong-policy"], policies: ["P-1", "P-2"] },
      severity: "critical",
    },
  ];

  it("every kind of stored rule reads into the form and back unchanged; an edit sends only what changed", async () => {
    const { call, keys } = await testContext();
    for (const json of stored) {
      const created = await call("POST", "/v1/alert-rules", { key: keys.lead, json });
      expect(created.status).toBe(201);
      const rule = created.body as Rule;
      const built = ruleOf(draftOf(rule));
      expect("rule" in built, json.name).toBe(true);
      const edited = (built as { rule: Record<string, unknown> }).rule;
      expect(changedFields(rule, edited), json.name).toEqual({});
      // What the form would send is the same rule to the service.
      const again = await call("POST", "/v1/alert-rules", { key: keys.lead, json: edited });
      const { id: _a, createdAt: _b, updatedAt: _c, ...first } = rule as unknown as Record<string, unknown>;
      const { id: _d, createdAt: _e, updatedAt: _f, ...second } = again.body;
      expect(second, json.name).toEqual(first);
      expect(changedFields(rule, { ...edited, name: "renamed" })).toEqual({ name: "renamed" });
    }
  });

  it("the form names its first problem instead of building a rule", () => {
    const rule = { ...(stored[0] as unknown as Rule), id: "r", enabled: true, createdAt: "" };
    const draft = draftOf(rule);
    expect(ruleOf({ ...draft, name: " " })).toEqual({ problem: "rules.problem.name" });
    expect(ruleOf({ ...draft, maxRate: "100" })).toEqual({ problem: "rules.problem.maxRate" });
    expect(ruleOf({ ...draft, minAudited: "1.5" })).toEqual({ problem: "rules.problem.minAudited" });
    expect(ruleOf({ ...draft, pendingEvaluations: "0" })).toEqual({ problem: "rules.problem.counters" });
    expect(ruleOf({ ...draft, kind: "audit", minSeverity: "" })).toEqual({
      problem: "alerts.audit.needCriterion",
    });
    expect(ruleOf({ ...draft, kind: "agreement", below: "2" })).toEqual({ problem: "rules.problem.below" });
  });
});
