import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoResult, runDemo } from "../../scripts/demo.ts";
import { en } from "../../web/src/i18n/en.ts";
import { ko } from "../../web/src/i18n/ko.ts";
import { changedFields, draftOf, NEW_DRAFT, ruleOf } from "../../web/src/pages/alerts/rule-draft.ts";
import type { Rule } from "../../web/src/pages/alerts/types.ts";
import { type ChildServer, startChildServer } from "../child-server.ts";
import { testContext } from "../helpers.ts";
import { ensureDashboardBuilt, launchChromium, skipBrowser } from "./chromium.ts";
import { callApi, fill, openPage, ready, screenshot, signIn } from "./steps.ts";

/**
 * The rules editor and the alerts in the page's language (issue 18), in Chromium against the demo: a lead
 * edits a rule's scope and watches the 30-day preview follow, disables, enables and deletes a rule; alert
 * summaries are rendered from their evidence in Korean; an alert links to the audits behind it. Issue 16: an
 * auditor-accuracy rule made in the editor (the body it posts), an EWMA rule with a target ARL₀ and its stored
 * ARLs shown when edited, and a chart alert's summary ending with its design's ARLs.
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

/** The ARL sentence of a stored design, as the page writes it (rules.design.arl with plural period units). */
function designText(
  lang: Lang,
  design: { arl0: number; arl1: number; shift: number },
  interval: "day" | "week",
): string {
  const t = messages[lang];
  const locale = lang === "ko" ? "ko-KR" : "en-US";
  const periods = (arl: number) => {
    const digits = arl < 10 ? 1 : 0;
    const rounded = Math.round(arl * 10 ** digits) / 10 ** digits;
    const one = new Intl.PluralRules(locale).select(rounded) === "one";
    return fill(t[`rules.arl.${interval}.${one ? "one" : "other"}`], {
      n: new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(arl),
    });
  };
  return fill(t["rules.design.arl"], {
    arl0: periods(design.arl0),
    arl1: periods(design.arl1),
    shift: new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(design.shift),
  });
}

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

  it("a lead creates an auditor-accuracy rule in the editor: one alert per auditor, scoped to a queue only", async () => {
    const t = en;
    const { context, page, errors } = await open("en");
    await signIn(page, data.keys.lead);
    await page.goto("/alerts");
    await ready(page, "[data-testid=rules-table] tbody tr");
    await page.getByRole("button", { name: t["alerts.newRule"], exact: true }).click();
    const form = page.getByTestId("rule-form");
    await form.locator("input[name=rule-name]").fill("Gold accuracy (spam)");
    await form.locator("select[name=rule-kind]").selectOption("auditor-accuracy");
    // Only the queue scope is offered; no groupBy choice (always one alert per auditor), no FDR.
    expect(await form.locator("input[name=scope-market]").count()).toBe(0);
    expect(await form.locator("select[name=multiplicity]").count()).toBe(0);
    await form.locator("input[name=accuracy-below]").fill("101");
    expect(await form.getByRole("status").first().textContent()).toBe(t["rules.problem.accuracyBelow"]);
    await form.locator("input[name=accuracy-below]").fill("92.5");
    await form.locator("input[name=min-gold]").fill("0");
    expect(await form.getByRole("status").first().textContent()).toBe(t["rules.problem.minGold"]);
    await form.locator("input[name=min-gold]").fill("10");
    await form.locator("input[name=accuracy-days]").fill("14");
    await form.locator("input[name=confidence]").fill("90");
    await form.locator("input[name=scope-queue]").fill("spam");
    const posted = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/v1/alert-rules"));
    await form.getByRole("button", { name: t["alerts.createRule"], exact: true }).click();
    expect((await posted).postDataJSON()).toEqual({
      name: "Gold accuracy (spam)",
      scope: { queue: "spam" },
      groupBy: ["auditor"],
      condition: {
        kind: "auditor-accuracy",
        below: 0.925,
        minGold: 10,
        window: { days: 14 },
        confidence: 0.9,
      },
      severity: "warning",
      pendingEvaluations: 1,
      keepFiringEvaluations: 1,
      repeatInterval: null,
      enabled: true,
    });
    const row = page.getByTestId("rules-table").locator("tbody tr", { hasText: "Gold accuracy (spam)" });
    await row.waitFor();
    expect(await row.textContent()).toContain(t["alerts.kind.auditor-accuracy"]);
    expect(await row.textContent()).toContain(`${t["field.queue"]}: spam`);
    // Opened again, the editor shows what was saved.
    await row.getByRole("button", { name: t["rules.edit"] }).click();
    expect(await form.locator("input[name=accuracy-below]").inputValue()).toBe("92.5");
    expect(await form.locator("input[name=min-gold]").inputValue()).toBe("10");
    expect(await form.locator("input[name=accuracy-days]").inputValue()).toBe("14");
    expect(await form.locator("input[name=scope-queue]").inputValue()).toBe("spam");
    await form.getByRole("button", { name: t["rules.cancel"] }).click();
    const { rules } = await call<{ rules: Rule[] }>("GET", "/v1/alert-rules");
    const stored = rules.find((r) => r.name === "Gold accuracy (spam)")!;
    await call("DELETE", `/v1/alert-rules/${stored.id}`);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  for (const lang of ["en", "ko"] as const) {
    it(`a lead creates an EWMA rule with a target ARL₀ in the editor and sees its stored ARLs (${lang})`, async () => {
      const t = messages[lang];
      const name = `ewma-arl-${lang}`;
      const { context, page, errors } = await open(lang);
      await signIn(page, data.keys.lead);
      await page.goto("/alerts");
      await ready(page, "[data-testid=rules-table] tbody tr");
      await page.getByRole("button", { name: t["alerts.newRule"], exact: true }).click();
      const form = page.getByTestId("rule-form");
      await form.locator("input[name=rule-name]").fill(name);
      await form.locator("select[name=rule-kind]").selectOption("chart");
      await form.locator("select[name=chart-type]").selectOption("ewma");
      await form.locator("select[name=interval]").selectOption("week");
      await form.locator("input[name=scope-queue]").fill("spam");
      await form.locator("input[name=ewma-lambda]").fill("0.1");
      // L and a target together: the form says to give one.
      await form.locator("input[name=ewma-L]").fill("3");
      await form.locator("input[name=arl-target]").fill("100");
      expect(await form.getByRole("status").first().textContent()).toBe(t["rules.problem.ewma"]);
      await form.locator("input[name=ewma-L]").fill("");
      await form.locator("input[name=design-shift]").fill("1.5");
      const posted = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/v1/alert-rules"));
      await form.getByRole("button", { name: t["alerts.createRule"], exact: true }).click();
      expect((await posted).postDataJSON().condition).toMatchObject({
        kind: "chart",
        type: "ewma",
        interval: "week",
        ewma: { lambda: 0.1, targetArl0: 100, shift: 1.5 },
      });
      const row = page.getByTestId("rules-table").locator("tbody tr", { hasText: name });
      await row.waitFor();
      const { rules } = await call<{ rules: Rule[] }>("GET", "/v1/alert-rules");
      const stored = rules.find((r) => r.name === name)!;
      const ewma = stored.condition.ewma as {
        lambda: number;
        L: number;
        shift: number;
        arl0: number;
        arl1: number;
      };
      expect(ewma).toMatchObject({ lambda: 0.1, targetArl0: 100, shift: 1.5 });
      expect(ewma.arl0).toBeGreaterThanOrEqual(99); // L is the width that reaches the target
      expect(ewma.arl1).toBeLessThan(ewma.arl0);
      // Editing it shows the ARLs it was saved with, in weeks, and the target (not the derived L).
      await row.getByRole("button", { name: t["rules.edit"] }).click();
      expect(await form.getByTestId("rule-design-arl").textContent()).toBe(
        fill(t["rules.design.saved"], { design: designText(lang, ewma, "week") }),
      );
      expect(await form.locator("input[name=arl-target]").inputValue()).toBe("100");
      expect(await form.locator("input[name=ewma-L]").inputValue()).toBe("");
      if (lang === "ko") expect(await form.getByTestId("rule-design-arl").textContent()).toMatch(/[가-힣]/);
      await form.getByRole("button", { name: t["rules.cancel"] }).click();
      await call("DELETE", `/v1/alert-rules/${stored.id}`);
      expect(errors).toEqual([]);
      await context.close();
    }, 60_000);
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
    // The chart's stored design (issue 16) closes the summary: its ARLs in days.
    const { alerts } = await call<{ alerts: (Alert & { evidence: { design?: object } })[] }>(
      "GET",
      "/v1/alerts?state=firing",
    );
    const design = alerts.find((a) => a.ruleName.startsWith("Hate speech CUSUM"))?.evidence.design as
      | { arl0: number; arl1: number; shift: number }
      | undefined;
    expect(design, "the CUSUM alert's evidence has its design").toBeDefined();
    expect(await cusum.getByTestId("alert-summary").textContent()).toContain(
      designText("ko", design!, "day"),
    );
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
    {
      name: "auditor-accuracy",
      scope: { queue: "hate" },
      groupBy: ["auditor"],
      condition: {
        kind: "auditor-accuracy",
        below: 0.875,
        minGold: 25,
        window: { days: 14 },
        confidence: 0.9,
      },
      severity: "warning",
    },
    {
      name: "ewma with a target",
      condition: {
        kind: "chart",
        type: "ewma",
        interval: "day",
        ewma: { lambda: 0.1, targetArl0: 200, shift: 0.5 },
      },
      severity: "warning",
    },
    {
      name: "cusum with k and h",
      condition: { kind: "chart", type: "cusum", interval: "week", cusum: { k: 0.25, h: 8 } },
      severity: "info",
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
    const chart = { ...draft, kind: "chart" as const, chartType: "ewma" as const };
    expect(ruleOf({ ...chart, lambda: "0.005" })).toEqual({ problem: "rules.problem.ewma" });
    expect(ruleOf({ ...chart, limitL: "3", arlTarget: "370" })).toEqual({ problem: "rules.problem.ewma" });
    expect(ruleOf({ ...chart, chartType: "cusum", cusumH: "41" })).toEqual({
      problem: "rules.problem.cusum",
    });
    expect(ruleOf({ ...chart, chartType: "cusum", shift: "0" })).toEqual({ problem: "rules.problem.cusum" });
    const accuracy = { ...draft, kind: "auditor-accuracy" as const };
    expect(ruleOf({ ...accuracy, accuracyBelow: "0" })).toEqual({ problem: "rules.problem.accuracyBelow" });
    expect(ruleOf({ ...accuracy, minGold: "100001" })).toEqual({ problem: "rules.problem.minGold" });
    expect(ruleOf({ ...accuracy, accuracyDays: "0" })).toEqual({ problem: "rules.problem.days" });
  });

  it("an auditor-accuracy draft is one alert per auditor, scoped to a queue at most; empty designs are left out", () => {
    const built = ruleOf({
      ...NEW_DRAFT,
      name: "accuracy",
      kind: "auditor-accuracy",
      scope: { ...NEW_DRAFT.scope, queue: "spam", market: "KR" },
      groupBy: ["moderator"],
    });
    expect(built).toEqual({
      rule: expect.objectContaining({
        scope: { queue: "spam" },
        groupBy: ["auditor"],
        condition: {
          kind: "auditor-accuracy",
          below: 0.9,
          minGold: 20,
          window: { days: 30 },
          confidence: 0.95,
        },
      }),
    });
    const ewma = ruleOf({ ...NEW_DRAFT, name: "ewma", kind: "chart", chartType: "ewma" });
    expect("rule" in ewma && (ewma.rule.condition as Record<string, unknown>).ewma).toBeUndefined();
    const cusum = ruleOf({
      ...NEW_DRAFT,
      name: "cusum",
      kind: "chart",
      chartType: "cusum",
      arlTarget: "500",
    });
    expect("rule" in cusum && (cusum.rule.condition as Record<string, unknown>).cusum).toEqual({
      targetArl0: 500,
    });
  });
});
