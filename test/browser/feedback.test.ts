import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "../../web/src/i18n/en.ts";
import { ko } from "../../web/src/i18n/ko.ts";
import { type ChildServer, startChildServer } from "../child-server.ts";
import { ensureDashboardBuilt, launchChromium, skipBrowser } from "./chromium.ts";
import {
  callApi,
  fill,
  focusReaches,
  openPage,
  ready,
  SCREENSHOTS,
  screenshot,
  signIn,
  tabTo,
} from "./steps.ts";

/**
 * The feedback loop in Chromium (issue 14): a moderator key sees only its own findings, marks one read and
 * disputes one from the keyboard; the second reviewer's workbench shows the decision without the first verdict
 * (neither on the page nor in any answer the page fetched) until it records its own; a QA lead decides the
 * escalated dispute on /disputes; the Quality page's policy-confusion heatmap; an audit alert rule made in the
 * page fires with the audit as evidence; and the new pages in Korean with no English left over.
 * Data is created through the API. Writes docs/screenshots/findings-*.png, disputes-*.png, confusion-*.png.
 */
const messages = { ko, en } as const;
type Lang = keyof typeof messages;

/** Texts only the first verdict and the dispute carry: the blind reviewer must never receive them. */
const SECRET_NOTE = "첫판정메모-7391";
const SECRET_REASON = "이의사유-4820";

let browser: Browser;
let server: ChildServer;
const keys = {} as Record<"lead" | "moderator" | "reviewer", string>;

interface Opened {
  context: BrowserContext;
  page: Page;
  errors: string[];
  /** The bodies of every /v1/ answer the page received, in order. */
  answers: { url: string; body: string }[];
}

const call = <T>(key: string, method: string, path: string, body?: unknown, type?: string) =>
  callApi<T>(server.url, key, method, path, body, type);

async function open(lang: Lang): Promise<Opened> {
  const { context, page, errors } = await openPage(browser, server.url, lang);
  const answers: Opened["answers"] = [];
  page.on("response", async (response) => {
    if (!new URL(response.url()).pathname.startsWith("/v1/")) return;
    try {
      answers.push({ url: response.url(), body: await response.text() });
    } catch {
      answers.push({ url: response.url(), body: "" });
    }
  });
  return { context, page, errors, answers };
}

const HOUR = 3_600_000;
const iso = (hoursAgo: number) => new Date(Date.now() - hoursAgo * HOUR).toISOString();

/**
 * Audits of moderators m1 and m2 by auditor a1 in the last days. Names are short codes (no word of Latin
 * letters), so any English word on a Korean page is the dashboard's own text. Wrong-policy errors name the
 * correct policy: HS-2 is mostly confused with CS-1.
 */
function audits(): string {
  const rows: Record<string, unknown>[] = [];
  const add = (id: string, moderator: string, extra: Record<string, unknown>) =>
    rows.push({
      id: `au-${id}`,
      decisionId: id,
      queue: "cs",
      moderator,
      auditor: "a1",
      outcome: "correct",
      policy: "CS-1",
      auditedAt: iso(48 + rows.length),
      decidedAt: iso(72 + rows.length),
      ...extra,
    });
  // m1: d1 is disputed in the browser, d2 and d3 through the API for the Korean pages, d4 is marked read.
  add("d1", "m1", { outcome: "incorrect", errorType: "false-negative", severity: 4, notes: SECRET_NOTE });
  add("d2", "m1", { outcome: "incorrect", errorType: "false-positive", severity: 2, notes: "메모 둘" });
  add("d3", "m1", { outcome: "incorrect", errorType: "other", severity: 1, notes: "메모 셋" });
  add("d4", "m1", { outcome: "incorrect", errorType: "false-negative", severity: 3, notes: "메모 넷" });
  for (let i = 5; i <= 7; i++) {
    add(`d${i}`, "m1", {
      outcome: "incorrect",
      errorType: "wrong-policy",
      severity: 2,
      policy: "HS-2",
      correctPolicy: "CS-1",
      queue: "hs",
    });
  }
  add("d8", "m1", { outcome: "incorrect", errorType: "wrong-policy", policy: "CS-1", correctPolicy: "HS-2" });
  for (let i = 9; i <= 14; i++) add(`d${i}`, "m1", {});
  // m2: never shown to m1's key.
  add("e1", "m2", { outcome: "incorrect", errorType: "false-negative", severity: 3, notes: "둘째 메모" });
  add("e2", "m2", { outcome: "incorrect", errorType: "wrong-policy", policy: "SP-3", correctPolicy: "HS-2" });
  for (let i = 3; i <= 6; i++) add(`e${i}`, "m2", { queue: "hs", policy: "HS-2" });
  return rows.map((row) => JSON.stringify(row)).join("\n");
}

interface Finding {
  auditId: string;
  decisionId: string;
  read: { at: string } | null;
  dispute: { id: string; state: string } | null;
}
interface Dispute {
  id: string;
  state: string;
  reviewer: string | null;
  verdict: { outcome: string; notes: string | null } | null;
}

describe.skipIf(skipBrowser)("the feedback loop in Chromium", () => {
  beforeAll(async () => {
    ensureDashboardBuilt();
    browser = await launchChromium();
    server = await startChildServer();
    const admin = server.adminKey;
    const create = async (body: Record<string, string>) =>
      (await call<{ key: string }>(admin, "POST", "/v1/keys", body)).key;
    keys.lead = await create({ role: "lead", name: "ld" });
    keys.reviewer = await create({ role: "auditor", name: "r2", rater: "r2" });
    await call(admin, "POST", "/v1/audits", audits(), "application/x-ndjson");
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("an admin creates a moderator key in the keys page, bound to its moderator", async () => {
    const { context, page, errors } = await open("en");
    await signIn(page, server.adminKey);
    await page.goto("/keys");
    await page.getByLabel(en["keys.name"]).fill("m1");
    await page.getByLabel(en["keys.role"]).selectOption("moderator");
    // A moderator key needs its moderator name before it can be created.
    const createButton = page.getByRole("button", { name: en["keys.createButton"] });
    expect(await createButton.isDisabled()).toBe(true);
    await page.getByLabel(en["keys.moderator"]).fill("m1");
    await createButton.click();
    keys.moderator = (await page.getByTestId("new-secret").textContent())!;
    expect(keys.moderator).toMatch(/^mqc_/);
    const row = page.locator("tbody tr", { hasText: fill(en["keys.boundModerator"], { name: "m1" }) });
    await row.waitFor();
    expect(await row.textContent()).toContain(en["role.moderator"]);
    const me = await call<{ role: string; moderator: string }>(keys.moderator, "GET", "/v1/me");
    expect(me).toMatchObject({ role: "moderator", moderator: "m1" });
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("a moderator sees only its own findings, marks one read and disputes one by keyboard", async () => {
    const { context, page, errors } = await open("en");
    await signIn(page, keys.moderator);
    // A moderator lands on its findings; its navigation holds its own two pages and nothing else.
    await page.waitForURL(/\/findings$/);
    expect(await page.locator("nav a").allTextContents()).toEqual([
      en["nav.myFindings"],
      en["nav.myScorecard"],
    ]);
    expect(await page.locator("h1").textContent()).toBe(en["findings.mine"]);
    await ready(page, "[data-testid=finding]");
    const own = await call<{ findings: Finding[] }>(keys.moderator, "GET", "/v1/findings?limit=500");
    const shown = await page.locator("[data-testid=finding] h3 code").allTextContents();
    expect(shown.sort()).toEqual(own.findings.map((f) => f.decisionId).sort());
    expect(shown.length).toBe(8);
    expect(shown.some((id) => id.startsWith("e"))).toBe(false);
    // The team's pages are not offered, and refused when typed in.
    await page.goto("/quality");
    expect(await page.locator("main").textContent()).toContain(en["app.forbidden"]);
    await page.goto("/findings");
    await ready(page, "[data-testid=finding]");
    await screenshot(page, "findings-en");

    // Mark d4 read, from the keyboard.
    const d4 = page.locator("[data-testid=finding][data-audit=au-d4]");
    expect(await d4.getByTestId("read-state").textContent()).toBe(en["findings.unread"]);
    await tabTo(
      page,
      "el.dataset.testid === 'mark-read' && el.closest('[data-audit]').dataset.audit === 'au-d4'",
    );
    await page.keyboard.press("Enter");
    await expect.poll(() => d4.getByTestId("read-state").textContent()).toBe(en["findings.readBadge"]);

    // Dispute d1, from the keyboard: the button opens the form with the focus in the reason.
    const d1 = page.locator("[data-testid=finding][data-audit=au-d1]");
    expect(await d1.getByTestId("finding-notes").textContent()).toBe(SECRET_NOTE);
    await tabTo(
      page,
      "el.dataset.testid === 'dispute' && el.closest('[data-audit]').dataset.audit === 'au-d1'",
    );
    await page.keyboard.press("Enter");
    await d1.getByTestId("dispute-form").waitFor();
    // The form moves focus into the reason box once it has rendered (an effect: wait for it, not a fixed turn).
    await focusReaches(page, "TEXTAREA");
    await page.keyboard.type(SECRET_REASON);
    await tabTo(page, "el.dataset.testid === 'dispute-send'", 5);
    await page.keyboard.press("Enter");
    await d1.getByTestId("dispute-sent").waitFor();
    expect(await d1.getByTestId("dispute-state").textContent()).toBe(
      fill(en["findings.disputeState"], { state: en["dispute.state.open"] }),
    );
    expect(await d1.getByTestId("dispute").count()).toBe(0);

    // What the service holds: d4 read, d1 disputed and assigned to the only eligible auditor.
    const after = await call<{ findings: Finding[] }>(keys.moderator, "GET", "/v1/findings?limit=500");
    const byId = new Map(after.findings.map((f) => [f.decisionId, f]));
    expect(byId.get("d4")!.read).not.toBeNull();
    expect(byId.get("d1")!.dispute?.state).toBe("open");
    const dispute = await call<Dispute>(keys.lead, "GET", `/v1/disputes/${byId.get("d1")!.dispute!.id}`);
    expect(dispute.reviewer).toBe("r2");

    // Its scorecard, from the navigation: its own only.
    await page.getByRole("link", { name: en["nav.myScorecard"] }).click();
    await ready(page, "[data-testid=scorecard-rate]");
    expect(await page.locator("h1").textContent()).toBe(en["scorecard.mine"]);
    const card = await call<{ audited: number; errors: number }>(keys.moderator, "GET", "/v1/scorecards/m1");
    expect(await page.getByTestId("scorecard-rate").textContent()).toContain(
      `${card.errors} errors in ${card.audited} audits`,
    );
    expect(await page.locator("[data-testid=weekly-trend] .trend-point").count()).toBeGreaterThan(0);
    expect(await page.locator("[data-testid=interval-strip] .estimate").count()).toBe(2);
    expect(await page.getByTestId("latest-findings").locator("tbody").textContent()).not.toContain("e1");
    await page.goto("/scorecards?moderator=m2");
    await ready(page, "[data-testid=scorecard-rate]");
    expect(await page.locator("h1").textContent()).toBe(en["scorecard.mine"]);
    expect(await page.getByTestId("latest-findings").locator("tbody").textContent()).not.toContain("e1");
    await screenshot(page, "scorecard-en");
    // Both pages fit a narrow window.
    await page.setViewportSize({ width: 400, height: 800 });
    expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).toBe(true);
    await page.goto("/findings");
    await ready(page, "[data-testid=finding]");
    expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it("the second reviewer sees the decision without the first verdict until it records its own", async () => {
    const { context, page, errors, answers } = await open("en");
    await signIn(page, keys.reviewer);
    await page.waitForURL(/\/audit$/);
    const review = page.locator("[data-testid=review]", { has: page.locator("code", { hasText: /^d1$/ }) });
    await review.waitFor();
    await ready(page, "[data-testid=review]");
    // Blind: neither the page nor any answer it fetched carries the first verdict's notes or the reason.
    const before = await page.locator("body").textContent();
    expect(before).not.toContain(SECRET_NOTE);
    expect(before).not.toContain(SECRET_REASON);
    expect(answers.length).toBeGreaterThan(0);
    for (const answer of answers) {
      expect(answer.body, answer.url).not.toContain(SECRET_NOTE);
      expect(answer.body, answer.url).not.toContain(SECRET_REASON);
      expect(answer.body, answer.url).not.toContain("au-d1");
    }
    expect(await review.getByTestId("verdict-form").locator("kbd").count()).toBe(0);
    // A verdict that differs from the first (correct, not a false negative): the dispute is escalated.
    await review.locator("input[type=radio][value=correct]").check();
    await review.locator("textarea[name=notes]").fill("재검수 메모");
    await review.getByTestId("record-review").click();
    const recorded = review.getByTestId("review-recorded");
    await recorded.waitFor();
    expect(await recorded.textContent()).toContain(en["reviews.escalated"]);
    // Only now does the page show the first verdict.
    expect(await recorded.textContent()).toContain(SECRET_NOTE);
    await screenshot(page, "second-review-en");
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("a QA lead decides the escalated dispute with both verdicts side by side", async () => {
    const { context, page, errors } = await open("en");
    await signIn(page, keys.lead);
    // The lead's navigation: every earlier page plus the feedback pages.
    const nav = await page.locator("nav a").allTextContents();
    for (const label of [
      "nav.feedback",
      "nav.scorecards",
      "nav.disputes",
      "nav.quality",
      "nav.audit",
    ] as const)
      expect(nav).toContain(en[label]);
    expect(nav).not.toContain(en["nav.myFindings"]);
    await page.goto("/disputes");
    await ready(page, "[data-testid=escalated]");
    const item = page.locator("[data-testid=escalated]", { has: page.locator("code", { hasText: /^d1$/ }) });
    expect(await item.getByTestId("dispute-reason").textContent()).toBe(SECRET_REASON);
    expect(await item.getByTestId("first-verdict").textContent()).toContain(SECRET_NOTE);
    expect(await item.getByTestId("first-verdict").textContent()).toContain(en["audit.outcome.incorrect"]);
    expect(await item.getByTestId("second-verdict").textContent()).toContain("재검수 메모");
    expect(await item.getByTestId("second-verdict").textContent()).toContain(en["audit.outcome.correct"]);
    await screenshot(page, "disputes-en");
    await item.getByLabel(en["disputes.final.overturned"]).check();
    await item.getByLabel(en["disputes.note"]).fill("풍자 게시물입니다");
    await item.getByTestId("decide").click();
    await expect
      .poll(() => page.getByTestId("decided").textContent())
      .toBe(fill(en["disputes.decided"], { id: "d1" }));
    await expect.poll(() => page.locator("[data-testid=escalated]").count()).toBe(0);
    const row = page.getByTestId("dispute-table").locator("tbody tr", { hasText: "d1" });
    await expect.poll(() => row.textContent()).toContain(en["dispute.state.overturned"]);
    // The overturn is the audit's verdict now: a revision naming the dispute.
    const history = await call<{ revisions: { outcome: string; reason: string | null }[] }>(
      keys.lead,
      "GET",
      "/v1/audits/au-d1/history",
    );
    expect(history.revisions.at(-1)?.outcome).toBe("correct");
    expect(history.revisions.at(-1)?.reason).toContain("overturned");
    // Statistics: the overturn counts against auditor a1.
    const rates = page.getByTestId("overturn-rates").locator("tbody tr", { hasText: "a1" });
    await expect.poll(() => rates.textContent()).toContain("100%");
    // Unread errors per moderator, on the feedback page.
    await page.goto("/findings");
    await ready(page, "[data-testid=unread-table]");
    const unread = await call<{ moderators: { moderator: string; unread: number }[] }>(
      keys.lead,
      "GET",
      "/v1/findings/unread",
    );
    for (const m of unread.moderators) {
      const line = page.getByTestId("unread-table").locator("tbody tr", { hasText: m.moderator });
      expect(await line.locator("td").first().textContent()).toBe(String(m.unread));
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it("a QA lead ranks moderators by the shrunken rate, downloads the CSV, opens a scorecard and sets a target", async () => {
    const { context, page, errors } = await open("en");
    await signIn(page, keys.lead);
    await page.getByRole("link", { name: en["nav.scorecards"] }).click();
    await ready(page, "[data-testid=scorecard-list] tbody tr");
    await screenshot(page, "scorecards-en");
    const list = await call<{ moderators: { moderator: string }[] }>(keys.lead, "GET", "/v1/scorecards");
    const names = () => page.getByTestId("scorecard-list").locator("tbody th").allTextContents();
    expect(await names()).toEqual(list.moderators.map((m) => m.moderator));
    const raw = await call<{ moderators: { moderator: string }[] }>(
      keys.lead,
      "GET",
      "/v1/scorecards?sort=raw",
    );
    await page.locator("select[name=sort]").selectOption("raw");
    await expect.poll(names).toEqual(raw.moderators.map((m) => m.moderator));
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("scorecards-csv").click(),
    ]);
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv).toContain("m1");
    // A target of the queue's own: the scorecard measures against it.
    await page.locator("input[name=target-queue]").fill("cs");
    await page.locator("input[name=target-value]").fill("10");
    await page.getByTestId("add-target").click();
    const target = page.getByTestId("targets").locator("tbody tr", { hasText: "cs" });
    await target.waitFor();
    expect(await target.textContent()).toContain("10%");
    await page.getByTestId("scorecard-list").getByRole("link", { name: "m1", exact: true }).click();
    await ready(page, "[data-testid=scorecard-rate]");
    expect(await page.locator("h1").textContent()).toBe(fill(en["scorecard.of"], { moderator: "m1" }));
    const card = await call<{ target: number; prior: { method: string } }>(
      keys.lead,
      "GET",
      "/v1/scorecards/m1?queue=cs",
    );
    expect(card.target).toBe(0.1);
    await page.locator("input[name=queue]").fill("cs");
    await expect.poll(() => page.getByTestId("scorecard-target").textContent()).toContain("10%");
    expect(await page.getByTestId("scorecard-shrunken").textContent()).toMatch(/^Shrunken rate /);
    expect(await page.getByTestId("scorecard-prior").textContent()).toMatch(/^Prior Beta/);
    expect(await page.getByTestId("by-type").locator("tbody tr").count()).toBe(4);
    // A week of the trend, by keyboard: its numbers are its label.
    await tabTo(page, "el.classList && el.classList.contains('trend-point')", 80);
    expect(await page.evaluate("document.activeElement.getAttribute('aria-label')")).toMatch(/^Week of /);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it("the Quality page shows the policy-confusion heatmap, reachable by keyboard, and the weighted index", async () => {
    const { context, page, errors } = await open("en");
    await signIn(page, keys.lead);
    await page.goto("/quality");
    await ready(page, "[data-testid=confusion-heatmap]");
    const report = await call<{
      matrix: { rows: { applied: string | null; cells: { correct: string; count: number }[] }[] };
    }>(keys.lead, "GET", "/v1/policy-confusion");
    const heatmap = page.getByTestId("confusion-heatmap");
    const cells = heatmap.locator("td[data-count]");
    const columns = await heatmap.locator("thead th").count();
    expect(await cells.count()).toBe(report.matrix.rows.length * (columns - 2));
    // HS-2 → CS-1 is the strongest confusion: 3 errors, all of HS-2's wrong-policy errors.
    const hs2 = heatmap.locator("tbody tr", { has: page.locator("th", { hasText: /^HS-2$/ }) });
    const strongest = hs2.locator('td[data-count="3"]');
    expect(await strongest.getAttribute("aria-label")).toBe(
      fill(en["policy.cell"], { applied: "HS-2", correct: "CS-1", count: "3", share: "100%" }),
    );
    // One Tab stop for the table; the arrow keys move between cells, each labelled with its numbers.
    await tabTo(page, "el.tagName === 'TD' && el.hasAttribute('data-count')", 120);
    const first = await page.evaluate("document.activeElement.getAttribute('aria-label')");
    expect(first).toMatch(/errors, \d+(\.\d)?% of the row$/);
    await page.keyboard.press("ArrowDown");
    const second = await page.evaluate("document.activeElement.getAttribute('aria-label')");
    expect(second).not.toBe(first);
    expect(second).toMatch(/^Applied /);
    expect(await page.locator("table.confusion td[tabindex='0']").count()).toBe(1);
    expect(await page.locator(".legend-scale li").count()).toBe(5);
    // Severity weights: the weighted index beside the raw rate.
    await page.locator("select[name=weights]").selectOption("1,2,4,8");
    await expect.poll(() => page.getByTestId("quality-weighted").textContent()).toContain("1, 2, 4, 8");
    expect(await page.getByTestId("quality-table").locator("thead").textContent()).toContain(
      en["quality.weighted"],
    );
    // Before and after a policy update.
    await page
      .getByLabel(en["policy.impact.at"])
      .fill(new Date(Date.now() - 40 * HOUR).toISOString().slice(0, 10));
    await page.locator("input[name=impact-policy]").fill("HS-2");
    await page.getByTestId("impact-compare").click();
    await page.getByTestId("policy-impact").waitFor();
    expect(await page.getByTestId("impact-side").count()).toBe(2);
    await page.locator("#policy-confusion").scrollIntoViewIfNeeded();
    await page.locator("#policy-confusion").screenshot({ path: `${SCREENSHOTS}confusion-en.png` });
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it("an audit alert rule made in the page fires on a critical error with the audit as evidence", async () => {
    const { context, page, errors } = await open("en");
    await signIn(page, keys.lead);
    await page.goto("/alerts");
    await page.getByRole("button", { name: en["alerts.newRule"] }).click();
    await page.getByLabel(en["alerts.ruleName"]).fill("규칙-치명");
    await page.getByLabel(en["alerts.kind"]).selectOption("audit");
    await page.locator("select[name=min-severity]").selectOption("4");
    await page.locator("input[name=audit-queues]").fill("cs");
    await page.getByRole("checkbox", { name: en["errorType.false-negative"] }).check();
    await page.getByRole("button", { name: en["alerts.createRule"] }).click();
    const rule = page.locator("tbody tr", { hasText: "규칙-치명" });
    await rule.waitFor();
    expect(await rule.textContent()).toContain(en["alerts.kind.audit"]);
    expect(await rule.textContent()).toContain(fill(en["alerts.audit.atLeast"], { severity: 4 }));
    await call(keys.lead, "POST", "/v1/audits", {
      id: "au-x1",
      decisionId: "x1",
      queue: "cs",
      moderator: "m2",
      auditor: "a1",
      outcome: "incorrect",
      errorType: "false-negative",
      severity: 4,
      policy: "CS-1",
      notes: "치명적 누락",
      auditedAt: new Date().toISOString(),
    });
    const alert = page.getByTestId("firing-alerts").locator("li.alert-item", { hasText: "규칙-치명" });
    await expect
      .poll(
        async () => {
          await page.reload();
          await ready(page, "[data-testid=firing-alerts]");
          return alert.count();
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    const evidence = alert.getByTestId("evidence-audit");
    expect(await evidence.textContent()).toContain("x1");
    expect(await evidence.textContent()).toContain(en["errorType.false-negative"]);
    expect(await alert.textContent()).toContain("치명적 누락");
    expect(await alert.getByRole("link", { name: en["alerts.openFindings"] }).getAttribute("href")).toBe(
      "/findings?moderator=m2",
    );
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("the feedback pages render in Korean with no English left over", async () => {
    // A dispute escalated and one waiting for its review, so every part of the pages has something to show.
    const findings = await call<{ findings: Finding[] }>(keys.moderator, "GET", "/v1/findings?limit=500");
    const auditId = (decision: string) => findings.findings.find((f) => f.decisionId === decision)!.auditId;
    const escalated = await call<Dispute>(keys.moderator, "POST", `/v1/audits/${auditId("d2")}/disputes`, {
      reason: "사유 둘",
    });
    await call(keys.reviewer, "PUT", `/v1/disputes/${escalated.id}/review`, { outcome: "correct" });
    await call(keys.moderator, "POST", `/v1/audits/${auditId("d3")}/disputes`, { reason: "사유 셋" });

    /** Proper names, key names and the service's default time zone, which Korean texts keep as they are. */
    const ALLOWED = new Set([
      "CSV",
      "Excel",
      "Wilson",
      "Newcombe",
      "Fisher",
      "Beta",
      "Griffiths",
      "Jeffreys",
      "Tab",
      "UTC",
      "modqc",
      "API",
    ]);
    /** Every text node, aria-label, title and placeholder of the navigation and the page, space-separated. */
    const pageText = (roots: string) => `(() => {
      const parts = [];
      for (const root of document.querySelectorAll(${JSON.stringify(roots)})) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
        for (const el of root.querySelectorAll("[aria-label], [title], [placeholder]"))
          for (const name of ["aria-label", "title", "placeholder"]) parts.push(el.getAttribute(name) ?? "");
      }
      return parts.join(" ");
    })()`;
    const leftovers = async (page: Page, roots: string) => {
      // Texts marked English on purpose (the service's own alert summaries, technical details) are left out.
      await page.evaluate("document.querySelectorAll('main [lang=en]').forEach((el) => el.remove())");
      const text = (await page.evaluate(pageText(roots))) as string;
      return [...new Set(text.match(/[A-Za-z]{3,}/g) ?? [])].filter((word) => !ALLOWED.has(word));
    };
    /** `roots`: the parts of the page that are new (the Quality page's older parts name methods and zones). */
    const visit = async (page: Page, path: string, selector: string, roots = "header nav, main") => {
      await page.goto(path);
      await ready(page, selector);
      expect(await page.locator("html").getAttribute("lang"), path).toBe("ko");
      expect(await leftovers(page, roots), path).toEqual([]);
    };

    const moderator = await open("ko");
    await signIn(moderator.page, keys.moderator);
    await visit(moderator.page, "/findings?outcome=all", "[data-testid=finding]");
    expect(await moderator.page.locator("h1").textContent()).toBe(ko["findings.mine"]);
    await screenshot(moderator.page, "findings-ko");
    await visit(moderator.page, "/scorecards", "[data-testid=scorecard-rate]");
    await screenshot(moderator.page, "scorecard-ko");
    expect(moderator.errors).toEqual([]);
    await moderator.context.close();

    const reviewer = await open("ko");
    await signIn(reviewer.page, keys.reviewer);
    await visit(reviewer.page, "/audit", "[data-testid=review]");
    expect(await reviewer.page.locator("body").textContent()).not.toContain("사유 셋");
    expect(reviewer.errors).toEqual([]);
    await reviewer.context.close();

    const lead = await open("ko");
    await signIn(lead.page, keys.lead);
    await visit(lead.page, "/disputes", "[data-testid=escalated]");
    await screenshot(lead.page, "disputes-ko");
    await visit(lead.page, "/findings", "[data-testid=unread-table]");
    await visit(lead.page, "/scorecards", "[data-testid=scorecard-list] tbody tr");
    await visit(lead.page, "/scorecards?moderator=m1", "[data-testid=scorecard-rate]");
    await visit(lead.page, "/findings?moderator=m1&outcome=all", "[data-testid=finding]");
    await visit(
      lead.page,
      "/quality?weights=1,2,4,8",
      "[data-testid=quality-weighted]",
      "#policy-confusion, #policy-impact, [data-testid=quality-weighted], [data-testid=quality-table] thead",
    );
    await lead.page.locator("#policy-confusion").screenshot({ path: `${SCREENSHOTS}confusion-ko.png` });
    await visit(lead.page, "/alerts", "[data-testid=evidence-audit]");
    expect(lead.errors).toEqual([]);
    await lead.context.close();
  }, 120_000);
});
