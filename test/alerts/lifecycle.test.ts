import { describe, expect, it } from "vitest";
import { proportionInterval } from "../../stats/proportion-interval.ts";
import { type TestContext, testContext } from "../helpers.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A test context whose alerting clock the test moves. */
async function clocked(start = Date.parse("2026-11-24T12:00:00Z")) {
  const clock = { now: start };
  const ctx = await testContext({}, { now: () => clock.now });
  return { ...ctx, clock };
}

let counter = 0;
/** `n` audits of which `errors` are incorrect, audited at `at` (epoch ms). */
function audits(n: number, errors: number, at: number, fields: { queue?: string; moderator?: string } = {}) {
  return Array.from({ length: n }, (_, i) => {
    const id = `a${counter++}`;
    const wrong = i < errors;
    return {
      id,
      decisionId: `d-${id}`,
      queue: fields.queue ?? "hate",
      moderator: fields.moderator ?? "m1",
      auditor: "alice",
      outcome: wrong ? "incorrect" : "correct",
      ...(wrong ? { errorType: "false-negative" } : {}),
      auditedAt: new Date(at + (i % 60) * 1000).toISOString(),
    };
  });
}

async function ingest(ctx: TestContext, rows: unknown[]) {
  const res = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: rows });
  expect(res.status).toBe(200);
  return res.body;
}

async function createRule(ctx: TestContext, json: object) {
  const res = await ctx.call("POST", "/v1/alert-rules", {
    key: ctx.keys.lead,
    json: { severity: "warning", ...json },
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function alertsList(ctx: TestContext, query = "") {
  const res = await ctx.call("GET", `/v1/alerts${query}`, { key: ctx.keys.viewer });
  expect(res.status).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers the test asserts on
  return res.body.alerts as Record<string, any>[];
}

async function webhook(ctx: TestContext, json: object = {}) {
  const res = await ctx.call("POST", "/v1/webhooks", {
    key: ctx.keys.admin,
    json: { url: "http://127.0.0.1:9/never-sent", ...json },
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function deliveries(ctx: TestContext, hookId: string) {
  const res = await ctx.call("GET", `/v1/webhooks/${hookId}/deliveries`, { key: ctx.keys.admin });
  expect(res.status).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers the test asserts on
  return res.body.deliveries as Record<string, any>[];
}

describe("threshold rules", () => {
  it("lower-bound evidence: 1 error in 3 audits pages nobody, 10 in 40 does; the evidence is the Wilson interval", async () => {
    const ctx = await clocked();
    const now = ctx.clock.now;
    const hook = await webhook(ctx);
    await createRule(ctx, {
      name: "Moderator error rate",
      scope: { queue: "hate" },
      groupBy: ["moderator"],
      condition: {
        kind: "threshold",
        maxRate: 0.1,
        window: { days: 7 },
        minAudited: 1,
        evidence: "lower-bound",
      },
    });
    await ingest(ctx, [
      ...audits(3, 1, now - 2 * HOUR, { moderator: "few" }),
      ...audits(40, 10, now - 3 * HOUR, { moderator: "many" }),
      ...audits(40, 10, now - 3 * HOUR, { moderator: "many", queue: "spam" }),
      ...audits(40, 10, now - 8 * DAY, { moderator: "few" }),
    ]);
    const list = await alertsList(ctx);
    expect(list).toHaveLength(1);
    const alert = list[0];
    const interval = proportionInterval(10, 40, { confidence: 0.95, method: "wilson" });
    expect(alert).toMatchObject({
      state: "firing",
      labels: { moderator: "many" },
      value: 0.25,
      threshold: 0.1,
      signal: null,
      severity: "warning",
      evidence: {
        kind: "threshold",
        audited: 40,
        errors: 10,
        rate: 0.25,
        interval: { method: "wilson", confidence: 0.95, lower: interval.lower, upper: interval.upper },
        maxRate: 0.1,
      },
    });
    expect(interval.lower).toBeGreaterThan(0.1);
    expect(proportionInterval(1, 3).lower).toBeLessThan(0.1);
    // The link is the matching /v1/quality query and shows the same numbers.
    expect(alert.link).toMatch(/^\/v1\/quality\?/);
    const quality = await ctx.call("GET", alert.link, { key: ctx.keys.viewer });
    expect(quality.status).toBe(200);
    expect(quality.body.overall).toEqual({
      audited: 40,
      errors: 10,
      rate: 0.25,
      lower: interval.lower,
      upper: interval.upper,
    });
    // Exactly one alert.firing delivery was queued, in the same transaction as the alert.
    const queued = await deliveries(ctx, hook.id);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ event: "alert.firing", alertId: alert.id, status: "pending" });
    expect(queued[0].payload.alert).toMatchObject({ id: alert.id, state: "firing" });
  });

  it("point evidence pages on the observed rate; minAudited keeps small groups out", async () => {
    const ctx = await clocked();
    const now = ctx.clock.now;
    await createRule(ctx, {
      name: "point",
      groupBy: ["moderator"],
      // Each group on its own (issue 16's default bh would not page on 1 error in 3 audits: p = 0.27).
      condition: {
        kind: "threshold",
        maxRate: 0.1,
        window: { days: 7 },
        minAudited: 3,
        evidence: "point",
        multiplicity: "none",
      },
    });
    await ingest(ctx, [
      ...audits(3, 1, now - HOUR, { moderator: "three" }),
      ...audits(2, 2, now - HOUR, { moderator: "two" }),
    ]);
    const list = await alertsList(ctx);
    expect(list.map((a) => a.labels)).toEqual([{ moderator: "three" }]);
  });

  it("the window slides with the clock: the timer evaluation resolves an alert whose audits left the window", async () => {
    const ctx = await clocked();
    const now = ctx.clock.now;
    const hook = await webhook(ctx);
    await createRule(ctx, { name: "w", condition: { kind: "threshold", maxRate: 0.1, window: { days: 1 } } });
    await ingest(ctx, audits(10, 5, now - HOUR));
    const [alert] = await alertsList(ctx);
    expect(alert.state).toBe("firing");
    ctx.clock.now += DAY;
    expect(await ctx.alerts.evaluateAll()).toMatchObject({ resolved: 1 });
    const resolved = (await ctx.call("GET", `/v1/alerts/${alert.id}`, { key: ctx.keys.viewer })).body;
    expect(resolved).toMatchObject({ state: "resolved", resolvedAt: new Date(ctx.clock.now).toISOString() });
    const sent = await deliveries(ctx, hook.id);
    expect(sent.map((d) => d.event)).toEqual(["alert.resolved", "alert.firing"]);
    expect(sent[0].payload.alert.state).toBe("resolved");
  });

  it("evaluates after an ingest only the rules whose scope the ingest touched", async () => {
    const ctx = await clocked();
    const now = ctx.clock.now;
    await createRule(ctx, {
      name: "spam only",
      scope: { queue: "spam" },
      condition: { kind: "threshold", maxRate: 0.1, window: { days: 1 } },
    });
    await ingest(ctx, audits(10, 5, now - HOUR, { queue: "spam" }));
    const [alert] = await alertsList(ctx);
    expect(alert.state).toBe("firing");
    ctx.clock.now += 2 * DAY; // the spam audits are out of the window: the next evaluation of the rule clears
    await ingest(ctx, audits(10, 0, ctx.clock.now - HOUR, { queue: "hate" }));
    expect((await alertsList(ctx))[0].state).toBe("firing"); // not evaluated: hate is outside its scope
    await ingest(ctx, audits(10, 0, ctx.clock.now - HOUR, { queue: "spam" }));
    expect((await alertsList(ctx))[0]).toMatchObject({ state: "resolved", resolution: "condition cleared" });
  });
});

describe("lifecycle", () => {
  /** One evaluation per step: an ingest of 100 audits in a fresh 1-day window, then a read (which flushes). */
  async function hover(ctx: Awaited<ReturnType<typeof clocked>>, errorsPerStep: number[]) {
    for (const errors of errorsPerStep) {
      ctx.clock.now += DAY + HOUR;
      await ingest(ctx, audits(100, errors, ctx.clock.now - HOUR));
      await alertsList(ctx);
    }
    const list = await alertsList(ctx);
    return list.reverse();
  }
  const rule = (extra: object = {}) => ({
    name: "hover",
    condition: { kind: "threshold", maxRate: 0.1, window: { days: 1 }, evidence: "point" },
    ...extra,
  });
  const series = [12, 8, 12, 8, 12, 8, 12, 8]; // hovers around 10 %: breach, clear, breach, clear…

  it("with the defaults (1 and 1) a series hovering at the threshold flaps: fire, resolve, fire, resolve…", async () => {
    const ctx = await clocked();
    const hook = await webhook(ctx);
    await createRule(ctx, rule());
    const list = await hover(ctx, series);
    expect(list).toHaveLength(4);
    expect(list.every((a) => a.state === "resolved")).toBe(true);
    expect((await deliveries(ctx, hook.id)).length).toBe(8);
  });

  it("pendingEvaluations 2 and keepFiringEvaluations 2 stop the flapping; a sustained breach still fires and resolves once", async () => {
    const ctx = await clocked();
    const hook = await webhook(ctx);
    await createRule(ctx, rule({ pendingEvaluations: 2, keepFiringEvaluations: 2 }));
    expect(await hover(ctx, series)).toHaveLength(0); // pending alerts that clear are dropped silently
    expect(await deliveries(ctx, hook.id)).toHaveLength(0);

    // breach, breach (fires), clear, breach (clear count restarts), clear, clear (resolves)
    const list = await hover(ctx, [12, 12, 8, 12, 8, 8]);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ state: "resolved", breachingEvaluations: 3, clearEvaluations: 2 });
    const sent = (await deliveries(ctx, hook.id)).reverse();
    expect(sent.map((d) => d.event)).toEqual(["alert.firing", "alert.resolved"]);
  });

  it("a pending alert is visible while it waits for its next breaching evaluation", async () => {
    const ctx = await clocked();
    await createRule(ctx, rule({ pendingEvaluations: 3 }));
    let list = await hover(ctx, [12]);
    expect(list[0]).toMatchObject({ state: "pending", breachingEvaluations: 1, firedAt: null });
    list = await hover(ctx, [12, 12]);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ state: "firing", breachingEvaluations: 3 });
    expect(list[0].firedAt).not.toBeNull();
  });

  it("repeatInterval re-notifies while firing; ack marks the alert without stopping its resolution", async () => {
    const ctx = await clocked();
    const hook = await webhook(ctx);
    await createRule(ctx, rule({ repeatInterval: "PT1H", keepFiringEvaluations: 1 }));
    const [alert] = await hover(ctx, [20]);
    ctx.clock.now += 30 * 60_000;
    await ctx.alerts.evaluateAll();
    expect(await deliveries(ctx, hook.id)).toHaveLength(1);
    ctx.clock.now += 31 * 60_000;
    await ctx.alerts.evaluateAll();
    let sent = await deliveries(ctx, hook.id);
    expect(sent.map((d) => d.event)).toEqual(["alert.firing", "alert.firing"]);

    expect((await ctx.call("POST", `/v1/alerts/${alert.id}/ack`, { key: ctx.keys.viewer })).status).toBe(403);
    const ack = await ctx.call("POST", `/v1/alerts/${alert.id}/ack`, {
      key: ctx.keys.auditor,
      json: { note: "looking into it — 확인 중" },
    });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({
      state: "firing",
      acknowledged: true,
      acknowledgedBy: "auditor key",
      ackNote: "looking into it — 확인 중",
    });
    const again = await ctx.call("POST", `/v1/alerts/${alert.id}/ack`, { key: ctx.keys.lead });
    expect(again.body).toMatchObject({
      acknowledgedAt: ack.body.acknowledgedAt,
      acknowledgedBy: "auditor key",
    });
    sent = await deliveries(ctx, hook.id);
    expect(sent[0].event).toBe("alert.acknowledged");

    const [resolved] = await hover(ctx, [0]);
    expect(resolved).toMatchObject({ id: alert.id, state: "resolved", acknowledged: true });
    expect((await ctx.call("POST", `/v1/alerts/${alert.id}/ack`, { key: ctx.keys.lead })).status).toBe(409);
    expect((await ctx.call("POST", "/v1/alerts/nope/ack", { key: ctx.keys.lead })).status).toBe(404);
  });

  it("disabling or deleting a rule resolves its open alerts and says why", async () => {
    const ctx = await clocked();
    const hook = await webhook(ctx);
    const created = await createRule(ctx, rule());
    const [alert] = await hover(ctx, [20]);
    const res = await ctx.call("PATCH", `/v1/alert-rules/${created.id}`, {
      key: ctx.keys.lead,
      json: { enabled: false },
    });
    expect(res.status).toBe(200);
    const after = (await ctx.call("GET", `/v1/alerts/${alert.id}`, { key: ctx.keys.viewer })).body;
    expect(after).toMatchObject({ state: "resolved", resolution: "rule disabled" });
    expect((await deliveries(ctx, hook.id))[0].event).toBe("alert.resolved");
    expect(await hover(ctx, [20])).toHaveLength(1); // disabled: not evaluated

    await ctx.call("PATCH", `/v1/alert-rules/${created.id}`, { key: ctx.keys.lead, json: { enabled: true } });
    const firing = (await alertsList(ctx, "?state=firing"))[0];
    expect(firing).toBeDefined();
    await ctx.call("DELETE", `/v1/alert-rules/${created.id}`, { key: ctx.keys.lead });
    const gone = (await ctx.call("GET", `/v1/alerts/${firing.id}`, { key: ctx.keys.viewer })).body;
    expect(gone).toMatchObject({ state: "resolved", resolution: "rule deleted" });
  });

  it("a PATCH that re-sends a rule's own condition (its default run rules now listed) keeps the open alerts", async () => {
    const ctx = await clocked();
    const start = ctx.clock.now - 21 * DAY;
    const created = await createRule(ctx, {
      name: "hate queue p chart, default rules",
      scope: { queue: "hate" },
      condition: { kind: "chart", type: "p", interval: "day", baseline: { periods: 14 } },
    });
    const history = [];
    for (let day = 0; day < 20; day++) history.push(...audits(50, 2 + (day % 3), start + day * DAY));
    await ingest(ctx, [...history, ...audits(50, 20, start + 20 * DAY)]);
    const [alert] = await alertsList(ctx, "?state=firing");
    expect(alert).toBeDefined();
    const stored = (await ctx.call("GET", `/v1/alert-rules/${created.id}`, { key: ctx.keys.lead })).body;
    const { kind, type, interval, rules, baseline } = stored.condition;
    expect(rules.length).toBeGreaterThan(0);
    const same = await ctx.call("PATCH", `/v1/alert-rules/${created.id}`, {
      key: ctx.keys.lead,
      json: { condition: { kind, type, interval, rules, baseline } },
    });
    expect(same.status).toBe(200);
    const after = (await ctx.call("GET", `/v1/alerts/${alert.id}`, { key: ctx.keys.viewer })).body;
    expect(after).toMatchObject({ state: "firing" });
  });

  it("GET /v1/alerts filters by state, rule and time window", async () => {
    const ctx = await clocked();
    const a = await createRule(ctx, rule({ name: "a" }));
    const b = await createRule(ctx, rule({ name: "b", scope: { queue: "spam" } }));
    ctx.clock.now += HOUR;
    await ingest(ctx, [
      ...audits(10, 5, ctx.clock.now - HOUR),
      ...audits(10, 5, ctx.clock.now - HOUR, { queue: "spam" }),
    ]);
    expect((await alertsList(ctx, "?state=firing")).length).toBe(2);
    const firstStart = ctx.clock.now;
    ctx.clock.now += 2 * DAY;
    await ingest(ctx, audits(10, 0, ctx.clock.now - HOUR)); // resolves a only
    expect((await alertsList(ctx)).length).toBe(2);
    expect((await alertsList(ctx, `?rule=${a.id}`)).map((x) => x.state)).toEqual(["resolved"]);
    expect((await alertsList(ctx, `?rule=${b.id}&state=firing`)).length).toBe(1);
    expect((await alertsList(ctx, "?state=pending")).length).toBe(0);
    const later = new Date(ctx.clock.now + 60_000).toISOString(); // after a was resolved
    expect((await alertsList(ctx, `?from=${encodeURIComponent(later)}`)).map((x) => x.ruleId)).toEqual([
      b.id,
    ]);
    const before = new Date(firstStart).toISOString();
    expect(await alertsList(ctx, `?to=${encodeURIComponent(before)}`)).toHaveLength(0);
    expect((await ctx.call("GET", "/v1/alerts?from=yesterday", { key: ctx.keys.viewer })).status).toBe(400);
  });
});

describe("chart rules", () => {
  const start = Date.parse("2026-11-01T10:00:00Z");

  it("a spike in the latest day fires exactly one alert; its evidence equals the matching /v1/charts point", async () => {
    const ctx = await clocked(start + 25 * DAY);
    const hook = await webhook(ctx);
    await createRule(ctx, {
      name: "hate queue p chart",
      scope: { queue: "hate" },
      condition: { kind: "chart", type: "p", interval: "day", rules: ["we-1"], baseline: { periods: 14 } },
      severity: "critical",
    });
    const history = [];
    for (let day = 0; day < 20; day++) history.push(...audits(50, 2 + (day % 3), start + day * DAY));
    await ingest(ctx, history);
    expect(await alertsList(ctx)).toHaveLength(0);
    await ingest(ctx, audits(50, 20, start + 20 * DAY));
    await ingest(ctx, audits(50, 20, start + 20 * DAY + HOUR, { queue: "spam" }));
    const list = await alertsList(ctx);
    expect(list).toHaveLength(1);
    const alert = list[0];
    expect(alert).toMatchObject({
      state: "firing",
      severity: "critical",
      labels: {},
      value: 0.4,
      signal: ["we-1"],
      evidence: { kind: "chart", type: "p", period: "2026-11-21", count: 20, n: 50 },
    });
    expect(alert.evidence.baseline).toMatchObject({
      periods: 14,
      points: 14,
      from: "2026-11-07",
      to: "2026-11-20",
    });
    const chart = await ctx.call("GET", alert.link, { key: ctx.keys.viewer });
    expect(chart.status).toBe(200);
    expect(chart.body.points).toHaveLength(15);
    expect(chart.body.points.at(-1)).toEqual(alert.evidence.point);
    expect(chart.body.points.at(-1).signals).toEqual(["we-1"]);
    expect(await deliveries(ctx, hook.id)).toHaveLength(1);

    // The next day is back to normal: the latest period carries no signal, the alert resolves.
    await ingest(ctx, audits(50, 2, start + 21 * DAY));
    const [resolved] = await alertsList(ctx);
    expect(resolved).toMatchObject({ id: alert.id, state: "resolved", signal: null });
    expect((await deliveries(ctx, hook.id)).map((d) => d.event)).toEqual(["alert.resolved", "alert.firing"]);
  });

  it("groupBy moderator: only the drifting moderator's chart fires; ewma and cusum evaluate too", async () => {
    const ctx = await clocked(start + 25 * DAY);
    for (const type of ["p", "laney-p", "ewma", "cusum"]) {
      await createRule(ctx, {
        name: `per moderator ${type}`,
        groupBy: ["moderator"],
        condition: { kind: "chart", type, interval: "day", baseline: { periods: 10 } },
      });
    }
    const rows = [];
    for (let day = 0; day < 15; day++) {
      for (const moderator of ["steady", "drifting"]) {
        const errors = moderator === "drifting" && day >= 12 ? 15 : 2 + (day % 2);
        rows.push(...audits(40, errors, start + day * DAY, { moderator }));
      }
    }
    await ingest(ctx, rows);
    const list = await alertsList(ctx, "?state=firing");
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(new Set(list.map((a) => a.labels.moderator))).toEqual(new Set(["drifting"]));
    for (const alert of list) {
      const chart = await ctx.call("GET", alert.link, { key: ctx.keys.viewer });
      expect(chart.status).toBe(200);
      expect(chart.body.points.at(-1)).toEqual(alert.evidence.point);
    }
  });

  it("a latest period without audits for a group is not a signal; too little history is not evaluated", async () => {
    const ctx = await clocked(start + 25 * DAY);
    await createRule(ctx, {
      name: "short",
      condition: { kind: "chart", type: "p", interval: "week", baseline: { periods: 8 } },
    });
    await ingest(ctx, [...audits(40, 2, start), ...audits(40, 30, start + 7 * DAY)]);
    expect(await alertsList(ctx)).toHaveLength(0); // one baseline week only
  });
});

describe("agreement rules", () => {
  async function session(ctx: TestContext, name: string, a: string[], b: string[]) {
    const items = a.map((_, i) => ({ id: `item-${i}` }));
    const created = await ctx.call("POST", "/v1/calibrations", {
      key: ctx.keys.lead,
      json: { name, categories: ["ok", "hate", "spam"], items, raters: ["alice", "bob"] },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    for (const [rater, labels] of [
      ["alice", a],
      ["bob", b],
    ] as const) {
      const ratings = Object.fromEntries(labels.map((label, i) => [`item-${i}`, label]));
      const res = await ctx.call("PUT", `/v1/calibrations/${id}/ratings/${rater}`, {
        key: ctx.keys.lead,
        json: { ratings },
      });
      expect(res.status).toBe(200);
    }
    expect((await ctx.call("POST", `/v1/calibrations/${id}/close`, { key: ctx.keys.lead })).status).toBe(200);
    return id;
  }

  it("a calibration that closes with poor agreement fires; the next one with good agreement resolves it", async () => {
    const ctx = await clocked();
    const hook = await webhook(ctx, { events: ["alert.firing", "alert.resolved", "calibration.closed"] });
    await createRule(ctx, {
      name: "calibration kappa",
      condition: { kind: "agreement", statistic: "fleiss", below: 0.6 },
    });
    const poor = await session(
      ctx,
      "Nov hate",
      ["ok", "hate", "spam", "ok", "hate", "spam", "ok", "hate"],
      ["hate", "hate", "ok", "spam", "hate", "ok", "ok", "spam"],
    );
    const [alert] = await alertsList(ctx);
    const report = (await ctx.call("GET", `/v1/calibrations/${poor}/report`, { key: ctx.keys.viewer })).body;
    expect(alert).toMatchObject({
      state: "firing",
      value: report.fleiss.kappa,
      threshold: 0.6,
      link: `/v1/calibrations/${poor}/report`,
      evidence: { kind: "agreement", statistic: "fleiss", calibration: { id: poor, name: "Nov hate" } },
    });
    await session(
      ctx,
      "Dec hate",
      ["ok", "hate", "spam", "ok", "hate", "spam", "ok", "hate"],
      ["ok", "hate", "spam", "ok", "hate", "spam", "ok", "hate"],
    );
    const [resolved] = await alertsList(ctx);
    expect(resolved).toMatchObject({ id: alert.id, state: "resolved", value: 1 });
    const sent = (await deliveries(ctx, hook.id)).reverse();
    expect(sent.map((d) => d.event)).toEqual([
      "alert.firing",
      "calibration.closed",
      "alert.resolved",
      "calibration.closed",
    ]);
    expect(sent[1].payload).toMatchObject({
      event: "calibration.closed",
      calibration: { id: poor, name: "Nov hate", items: 8, raters: ["alice", "bob"] },
      agreement: { fleiss: report.fleiss.kappa, ac1: report.gwet.ac1, alpha: report.krippendorff.alpha },
    });
  });
});
