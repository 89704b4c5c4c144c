import { beforeAll, describe, expect, it } from "vitest";
import { storeAudits, type TestContext, testContext } from "../helpers.ts";

/**
 * POST /v1/alert-rules/preview on audits whose answer is known by hand: 60 days of 10 audits a day at noon
 * UTC, 1 error a day, except three spike days (6 errors) in the last 30 days; two severity-4 errors.
 */

const NOW = Date.parse("2026-03-31T12:00:00Z");
const DAY = 86_400_000;
const SPIKES = ["2026-03-05", "2026-03-15", "2026-03-25"];
const CRITICAL = ["2026-03-15", "2026-03-25"];

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function fixture(): Promise<TestContext> {
  const ctx = await testContext({ MODQC_TZ: "UTC" }, { now: () => NOW });
  const rows: Parameters<typeof storeAudits>[1] = [];
  for (let d = 60; d >= 1; d--) {
    const day = isoDay(Date.parse("2026-03-31T00:00:00Z") - d * DAY);
    const errors = SPIKES.includes(day) ? 6 : 1;
    for (let i = 0; i < 10; i++) {
      const critical = CRITICAL.includes(day) && i === 0;
      rows.push({
        id: `${day}-${i}`,
        auditedAt: `${day}T12:00:${String(i).padStart(2, "0")}Z`,
        moderator: i < 5 ? "m1" : "m2",
        incorrect: i < errors,
        severity: critical ? 4 : i < errors ? 2 : null,
      });
    }
  }
  // Today's audits (after the last complete day) never count.
  rows.push({ id: "today", auditedAt: "2026-03-31T06:00:00Z", incorrect: true, severity: 4 });
  await storeAudits(ctx.db, rows);
  return ctx;
}

const threshold = (condition: object = {}, rule: object = {}) => ({
  name: "hate daily",
  scope: { queue: "hate" },
  condition: { kind: "threshold", maxRate: 0.2, window: { days: 1 }, minAudited: 5, ...condition },
  severity: "warning",
  ...rule,
});

describe("alert rule preview", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await fixture();
  });
  const preview = (json: object, key = ctx.keys.lead) =>
    ctx.call("POST", "/v1/alert-rules/preview", { key, json });

  it("a threshold rule over one day fires on exactly the 3 spike days of the last 30, one alert each", async () => {
    const res = await preview(threshold());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ruleId: null,
      kind: "threshold",
      days: 30,
      timeZone: "UTC",
      from: "2026-03-01T00:00:00.000Z",
      to: "2026-03-31T00:00:00.000Z",
      daysFiring: 3,
      groupsFiring: 1,
      alertsWouldOpen: 3,
      note: "daily_evaluations",
    });
    expect(res.body.evaluations).toHaveLength(30);
    expect(res.body.evaluations[0].date).toBe("2026-03-01");
    const firing = res.body.evaluations.filter((e: { firingCount: number }) => e.firingCount > 0);
    expect(firing.map((e: { date: string }) => e.date)).toEqual(SPIKES);
    expect(firing[0].firing).toEqual([{ labels: {}, value: 0.6, threshold: 0.2, signal: null }]);
  });

  it("pending and keep-firing evaluations count days: a two-day window fires 6 days but opens 3 alerts", async () => {
    const twoDays = await preview(threshold({ window: { days: 2 } }, { pendingEvaluations: 2 }));
    expect(twoDays.body).toMatchObject({ daysFiring: 6, alertsWouldOpen: 3 });
    // One-day spikes never breach twice in a row: nothing would have fired.
    const pending = await preview(threshold({}, { pendingEvaluations: 2 }));
    expect(pending.body).toMatchObject({ daysFiring: 3, alertsWouldOpen: 0 });
    // Kept firing through 10 clear days, the spikes 10 days apart would be one alert.
    const keep = await preview(threshold({}, { keepFiringEvaluations: 11 }));
    expect(keep.body).toMatchObject({ daysFiring: 3, alertsWouldOpen: 1 });
  });

  it("groups and lower-bound evidence are evaluated as the engine does", async () => {
    // On spike days m1 erred on 5 of its 5 audits, m2 on 1 of 5 (0.2: not above); other days m1 on 1 of 5.
    // Each group on its own (multiplicity none; issue 16's default for grouped rules is bh).
    const grouped = await preview(threshold({ multiplicity: "none" }, { groupBy: ["moderator"] }));
    expect(grouped.body).toMatchObject({ daysFiring: 3, groupsFiring: 1, alertsWouldOpen: 3 });
    const spike = grouped.body.evaluations.find((e: { date: string }) => e.date === SPIKES[0]);
    expect(spike.firing).toEqual([{ labels: { moderator: "m1" }, value: 1, threshold: 0.2, signal: null }]);
    // Below 0.2, m1 breaches every day (one alert kept firing throughout), m2 on the spike days (3 alerts).
    const low = await preview(threshold({ maxRate: 0.19, multiplicity: "none" }, { groupBy: ["moderator"] }));
    expect(low.body).toMatchObject({ daysFiring: 30, groupsFiring: 2, alertsWouldOpen: 4 });
    // 6/10 has a 95 % Wilson lower bound of 0.31: above 0.2, not above 0.4.
    expect((await preview(threshold({ evidence: "lower-bound" }))).body.daysFiring).toBe(3);
    expect((await preview(threshold({ evidence: "lower-bound", maxRate: 0.4 }))).body.daysFiring).toBe(0);
    // A scope with no audits never fires.
    expect((await preview(threshold({}, { scope: { queue: "spam" } }))).body.daysFiring).toBe(0);
  });

  it("a stored rule is previewed by id, over fewer days", async () => {
    const created = await ctx.call("POST", "/v1/alert-rules", { key: ctx.keys.lead, json: threshold() });
    const res = await preview({ ruleId: created.body.id, days: 10 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ruleId: created.body.id, days: 10, daysFiring: 1 });
    expect(res.body.evaluations.map((e: { date: string }) => e.date)[0]).toBe("2026-03-21");
  });

  it("a p chart with the we-1 rule signals on the spike days only", async () => {
    const res = await preview({
      name: "hate chart",
      scope: { queue: "hate" },
      condition: { kind: "chart", type: "p", interval: "day", rules: ["we-1"] },
      severity: "info",
    });
    expect(res.status).toBe(200);
    const firing = res.body.evaluations.filter((e: { firingCount: number }) => e.firingCount > 0);
    expect(firing.map((e: { date: string }) => e.date)).toEqual(SPIKES);
    expect(firing[0].firing[0].signal).toEqual(["we-1"]);
    expect(res.body.alertsWouldOpen).toBe(3);
  });

  it("an audit rule counts the matching errors audited each day, one alert per audit", async () => {
    const res = await preview({
      name: "critical",
      condition: { kind: "audit", minSeverity: 4, queues: ["hate"] },
      severity: "critical",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      daysFiring: 2,
      groupsFiring: 2,
      alertsWouldOpen: 2,
      note: "each_audit",
    });
    const day = res.body.evaluations.find((e: { date: string }) => e.date === "2026-03-15");
    expect(day.firing).toEqual([
      { labels: { audit: "2026-03-15-0", queue: "hate" }, value: null, threshold: null, signal: null },
    ]);
    const none = await preview({
      name: "none",
      condition: { kind: "audit", queues: ["spam"] },
      severity: "info",
    });
    expect(none.body.alertsWouldOpen).toBe(0);
  });

  it("refuses hostile input: unknown rule 404, days out of 1–90 400, a bad rule 400 naming the field, a viewer 403", async () => {
    expect((await preview({ ruleId: "nope" })).status).toBe(404);
    for (const days of [0, 91, 1.5]) {
      const res = await preview({ ...threshold(), days });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].path).toBe("days");
    }
    const bad = await preview(threshold({ maxRate: 2 }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe("condition.maxRate");
    const both = await preview({ ruleId: "x", name: "y" });
    expect(both.status).toBe(400);
    expect(both.body.error.details[0].path).toBe("name");
    const scoped = await preview({
      name: "agreement",
      scope: { queue: "hate" },
      condition: { kind: "agreement", statistic: "fleiss", below: 0.5 },
      severity: "info",
    });
    expect(scoped.status).toBe(400);
    expect(scoped.body.error.details[0].path).toBe("scope");
    expect((await preview(threshold(), ctx.keys.viewer)).status).toBe(403);
    expect((await preview(threshold(), ctx.keys.auditor)).status).toBe(403);
    expect((await ctx.call("POST", "/v1/alert-rules/preview", { json: threshold() })).status).toBe(401);
  });
});

describe("alert rule preview of agreement rules", () => {
  it("evaluates each calibration session closed in the days: poor agreement fires, the next good one resolves", async () => {
    // Sessions close on the real clock: evaluated as of tomorrow, today is the last complete day.
    const ctx = await testContext({ MODQC_TZ: "UTC" }, { now: () => Date.now() + DAY });
    const session = async (name: string, a: string[], b: string[]) => {
      const items = a.map((_, i) => ({ id: `item-${i}` }));
      const created = await ctx.call("POST", "/v1/calibrations", {
        key: ctx.keys.lead,
        json: { name, categories: ["ok", "hate", "spam"], items, raters: ["alice", "bob"] },
      });
      for (const [rater, labels] of [
        ["alice", a],
        ["bob", b],
      ] as const) {
        const ratings = Object.fromEntries(labels.map((label, i) => [`item-${i}`, label]));
        await ctx.call("PUT", `/v1/calibrations/${created.body.id}/ratings/${rater}`, {
          key: ctx.keys.lead,
          json: { ratings },
        });
      }
      expect(
        (await ctx.call("POST", `/v1/calibrations/${created.body.id}/close`, { key: ctx.keys.lead })).status,
      ).toBe(200);
    };
    const labels = ["ok", "hate", "spam", "ok", "hate", "spam", "ok", "hate"];
    await session("poor", labels, ["hate", "hate", "ok", "spam", "hate", "ok", "ok", "spam"]);
    await session("good", labels, labels);
    const preview = (below: number) =>
      ctx.call("POST", "/v1/alert-rules/preview", {
        key: ctx.keys.lead,
        json: {
          name: "kappa",
          condition: { kind: "agreement", statistic: "fleiss", below },
          severity: "info",
          days: 7,
        },
      });
    const res = await preview(0.6);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      daysFiring: 1,
      groupsFiring: 1,
      alertsWouldOpen: 1,
      note: "each_session",
    });
    expect(res.body.evaluations.at(-1).firingCount).toBe(1);
    expect(res.body.evaluations.at(-1).firing[0].threshold).toBe(0.6);
    // Below −1 nothing can fire.
    expect((await preview(-1)).body).toMatchObject({ daysFiring: 0, alertsWouldOpen: 0 });
  });
});

describe("alert evidence a page can render in its own language", () => {
  it("threshold and chart alerts carry whether they breach and the instants of their window or period", async () => {
    const ctx = await testContext({ MODQC_TZ: "UTC" }, { now: () => NOW });
    // 20 days of 10 audits with 1 error, then 2026-03-30 with 8.
    const rows: Parameters<typeof storeAudits>[1] = [];
    for (let d = 20; d >= 1; d--) {
      const day = isoDay(Date.parse("2026-03-31T00:00:00Z") - d * DAY);
      for (let i = 0; i < 10; i++)
        rows.push({ id: `${day}-${i}`, auditedAt: `${day}T12:00:0${i}Z`, incorrect: i < (d === 1 ? 8 : 1) });
    }
    await storeAudits(ctx.db, rows);
    for (const json of [
      threshold({ window: { days: 7 }, maxRate: 0.1 }, { name: "week" }),
      {
        name: "chart",
        condition: { kind: "chart", type: "p", interval: "day", rules: ["we-1"] },
        severity: "info",
      },
    ])
      expect((await ctx.call("POST", "/v1/alert-rules", { key: ctx.keys.lead, json })).status).toBe(201);
    await ctx.alerts.evaluateAll(["chart", "threshold"]);
    const { alerts } = (await ctx.call("GET", "/v1/alerts", { key: ctx.keys.viewer })).body;
    const week = alerts.find((a: { ruleName: string }) => a.ruleName === "week");
    expect(week.evidence).toMatchObject({
      kind: "threshold",
      breach: true,
      window: { days: 7, from: "2026-03-24T12:00:00.000Z", to: "2026-03-31T12:00:00.000Z" },
      audited: 70, // 2026-03-24 12:00 to 2026-03-30, 10 a day
      errors: 14, // 6 ordinary days and the spike's 8
      rate: 0.2,
      maxRate: 0.1,
    });
    expect(week.summary).toContain("error rate 20.0% (14/70)"); // the English summary stays for API users
    const chart = alerts.find((a: { ruleName: string }) => a.ruleName === "chart");
    expect(chart.evidence).toMatchObject({
      kind: "chart",
      breach: true,
      period: "2026-03-30",
      periodFrom: "2026-03-30T00:00:00.000Z",
      periodTo: "2026-03-31T00:00:00.000Z",
      count: 8,
      n: 10,
    });
  });
});
