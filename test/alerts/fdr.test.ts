import { describe, expect, it } from "vitest";
import { insertRule } from "../../src/db/alert-rules.ts";
import { binomialUpperTail } from "../../stats/binomial-upper-tail.ts";
import { normalUpperTail } from "../../stats/critical.ts";
import { benjaminiHochberg, benjaminiYekutieli } from "../../stats/multiple-testing.ts";
import { type TestContext, testContext } from "../helpers.ts";

/**
 * Alert rules with false-discovery control across groups (issue 16): defaults for new and stored rules, PATCH
 * semantics, and the engine, the evidence and the preview on a handful of moderators whose p-values are known.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.parse("2026-11-24T12:00:00Z");

async function clocked() {
  const clock = { now: NOW };
  const ctx = await testContext({ MODQC_TZ: "UTC" }, { now: () => clock.now });
  return { ...ctx, clock };
}

let counter = 0;
function audits(n: number, errors: number, at: number, moderator: string) {
  return Array.from({ length: n }, (_, i) => {
    const id = `f${counter++}`;
    const wrong = i < errors;
    return {
      id,
      decisionId: `d-${id}`,
      queue: "hate",
      moderator,
      auditor: "alice",
      outcome: wrong ? "incorrect" : "correct",
      ...(wrong ? { errorType: "false-negative" } : {}),
      auditedAt: new Date(at + (i % 600) * 1000).toISOString(),
    };
  });
}

async function ingest(ctx: TestContext, rows: unknown[]) {
  const res = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: rows });
  expect(res.status).toBe(200);
}

async function createRule(ctx: TestContext, json: object) {
  const res = await ctx.call("POST", "/v1/alert-rules", {
    key: ctx.keys.lead,
    json: { severity: "warning", ...json },
  });
  expect(res.status).toBe(201);
  return res.body;
}

// biome-ignore lint/suspicious/noExplicitAny: JSON answers the test asserts on
async function alertsOf(ctx: TestContext, ruleId: string): Promise<Record<string, any>[]> {
  const res = await ctx.call("GET", "/v1/alerts", { key: ctx.keys.viewer });
  expect(res.status).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers the test asserts on
  return res.body.alerts.filter((a: any) => a.ruleId === ruleId);
}

const thresholdCondition = { kind: "threshold", maxRate: 0.09, window: { days: 7 }, minAudited: 50 };

/** Five moderators, 100 audits each: the errors of each, and what p = P(X ≥ e | 100, 0.09) makes of them. */
const MODERATORS: [string, number][] = [
  ["ok-1", 5],
  ["ok-2", 7],
  ["ok-3", 9],
  ["chance", 12], // 12 % > 9 %: breaches alone; p ≈ 0.20, q > 0.05
  ["bad", 30], // p ≈ 1e-9
];

async function fiveModerators(ctx: TestContext, at: number) {
  for (const [moderator, errors] of MODERATORS) await ingest(ctx, audits(100, errors, at, moderator));
}

describe("alert rules: multiplicity and fdr", () => {
  it("new rules default to bh with a groupBy and none without; fdr defaults to 0.05 and is checked", async () => {
    const ctx = await clocked();
    const grouped = await createRule(ctx, {
      name: "g",
      groupBy: ["moderator"],
      condition: thresholdCondition,
    });
    expect(grouped.condition).toMatchObject({ multiplicity: "bh", fdr: 0.05 });
    const single = await createRule(ctx, { name: "s", condition: thresholdCondition });
    expect(single.condition).toMatchObject({ multiplicity: "none", fdr: 0.05 });
    const chart = await createRule(ctx, {
      name: "c",
      groupBy: ["moderator"],
      condition: { kind: "chart", type: "p", interval: "day", multiplicity: "by", fdr: 0.1 },
    });
    expect(chart.condition).toMatchObject({ multiplicity: "by", fdr: 0.1 });
    for (const fdr of [0, 1, -0.1]) {
      const bad = await ctx.call("POST", "/v1/alert-rules", {
        key: ctx.keys.lead,
        json: {
          name: "x",
          severity: "info",
          groupBy: ["moderator"],
          condition: { ...thresholdCondition, fdr },
        },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].path).toBe("condition.fdr");
    }
    const badMethod = await ctx.call("POST", "/v1/alert-rules", {
      key: ctx.keys.lead,
      json: { name: "x", severity: "info", condition: { ...thresholdCondition, multiplicity: "holm" } },
    });
    expect(badMethod.status).toBe(400);
    expect(badMethod.body.error.details[0].path).toBe("condition.multiplicity");
  });

  it("a rule stored before the field reads as none; a PATCH without a condition keeps it, one with a condition defaults", async () => {
    const ctx = await clocked();
    // A grouped threshold rule as issue 7 stored it: no multiplicity, no fdr in the condition's JSON.
    const legacy = await insertRule(
      ctx.db,
      {
        name: "legacy",
        scope: {},
        groupBy: ["moderator"],
        condition: { ...thresholdCondition, evidence: "point", confidence: 0.95 } as never,
        severity: "warning",
        pendingEvaluations: 1,
        keepFiringEvaluations: 1,
        repeatInterval: null,
        repeatMs: null,
        enabled: true,
      },
      null,
      NOW,
    );
    const stored = await ctx.db.get<{ condition: string }>("SELECT condition FROM alert_rules WHERE id = ?", [
      legacy.id,
    ]);
    expect(JSON.parse(stored!.condition).multiplicity).toBeUndefined();
    const read = await ctx.call("GET", `/v1/alert-rules/${legacy.id}`, { key: ctx.keys.viewer });
    expect(read.body.condition).toMatchObject({ multiplicity: "none", fdr: 0.05 });

    await fiveModerators(ctx, NOW - HOUR);
    await ctx.alerts.evaluateAll();
    const before = await alertsOf(ctx, legacy.id);
    expect(before.map((a) => a.labels.moderator).sort()).toEqual(["bad", "chance"]);

    const renamed = await ctx.call("PATCH", `/v1/alert-rules/${legacy.id}`, {
      key: ctx.keys.lead,
      json: { name: "legacy, renamed" },
    });
    expect(renamed.body.condition).toMatchObject({ multiplicity: "none" });
    // Not a change of what the rule watches: its alerts stay open.
    expect((await alertsOf(ctx, legacy.id)).filter((a) => a.state === "firing")).toHaveLength(2);

    // Adding a grouping field without a condition keeps the stored multiplicity (documented).
    const regrouped = await ctx.call("PATCH", `/v1/alert-rules/${legacy.id}`, {
      key: ctx.keys.lead,
      json: { groupBy: ["moderator", "queue"] },
    });
    expect(regrouped.body.condition.multiplicity).toBe("none");
    // A condition sent without multiplicity gets the default for the rule's groupBy.
    const reconditioned = await ctx.call("PATCH", `/v1/alert-rules/${legacy.id}`, {
      key: ctx.keys.lead,
      json: { condition: thresholdCondition },
    });
    expect(reconditioned.body.condition.multiplicity).toBe("bh");
  });

  it("a group that breaches alone fires under none but not under bh; evidence carries p, q, m and expected false alerts", async () => {
    const ctx = await clocked();
    const none = await createRule(ctx, {
      name: "none",
      groupBy: ["moderator"],
      condition: { ...thresholdCondition, multiplicity: "none" },
    });
    const bh = await createRule(ctx, { name: "bh", groupBy: ["moderator"], condition: thresholdCondition });
    const by = await createRule(ctx, {
      name: "by",
      groupBy: ["moderator"],
      condition: { ...thresholdCondition, multiplicity: "by" },
    });
    await fiveModerators(ctx, NOW - HOUR);
    await ctx.alerts.evaluateAll();

    const p = MODERATORS.map(([, errors]) => binomialUpperTail(errors, 100, 0.09));
    const qBh = benjaminiHochberg(p);
    const qBy = benjaminiYekutieli(p);
    expect(p[3]).toBeGreaterThan(0.15);
    expect(p[4]).toBeLessThan(1e-6);

    const noneAlerts = await alertsOf(ctx, none.id);
    expect(noneAlerts.map((a) => a.labels.moderator).sort()).toEqual(["bad", "chance"]);
    const chance = noneAlerts.find((a) => a.labels.moderator === "chance")!;
    expect(chance.evidence).toMatchObject({
      multiplicity: "none",
      q: null,
      groupsTested: 5,
      expectedFalseAlerts: null,
    });
    expect(chance.evidence.p).toBeCloseTo(p[3], 14);

    const bhAlerts = await alertsOf(ctx, bh.id);
    expect(bhAlerts.map((a) => a.labels.moderator)).toEqual(["bad"]);
    expect(bhAlerts[0].evidence).toMatchObject({
      multiplicity: "bh",
      fdr: 0.05,
      groupsTested: 5,
      groupsBreaching: 1,
      expectedFalseAlerts: 0.05,
    });
    expect(bhAlerts[0].evidence.p).toBeCloseTo(p[4], 20);
    expect(bhAlerts[0].evidence.q).toBe(qBh[4]);
    expect(bhAlerts[0].summary).toContain("across 5 groups");

    const byAlerts = await alertsOf(ctx, by.id);
    expect(byAlerts.map((a) => a.labels.moderator)).toEqual(["bad"]);
    expect(byAlerts[0].evidence.q).toBe(qBy[4]);
  });

  it("the preview applies the same control: none fires on two groups, bh on one", async () => {
    const ctx = await clocked();
    // Two days ago (the preview evaluates at the end of each complete day).
    await fiveModerators(ctx, NOW - 2 * DAY);
    const preview = async (multiplicity: string) =>
      (
        await ctx.call("POST", "/v1/alert-rules/preview", {
          key: ctx.keys.lead,
          json: {
            name: "p",
            severity: "info",
            groupBy: ["moderator"],
            condition: { ...thresholdCondition, window: { days: 1 }, multiplicity },
            days: 5,
          },
        })
      ).body;
    const withNone = await preview("none");
    const withBh = await preview("bh");
    expect(withNone.groupsFiring).toBe(2);
    expect(withBh.groupsFiring).toBe(1);
    expect(
      withBh.evaluations.flatMap((e: { firing: { labels: object }[] }) => e.firing.map((f) => f.labels)),
    ).toEqual([{ moderator: "bad" }]);
  });

  it("chart rules: p charts test the latest period against the centre (binomial), laney-p by Laney's z (normal)", async () => {
    const ctx = await clocked();
    // 20 baseline days of 50 audits with 1–3 errors per moderator (Laney's σ_z needs some variation), then the latest day.
    const latest: [string, number][] = [
      ["steady", 2],
      ["up", 9],
      ["way-up", 25],
    ];
    for (const [moderator, errors] of latest) {
      for (let d = 21; d >= 2; d--) await ingest(ctx, audits(50, 1 + (d % 3), NOW - d * DAY, moderator));
      await ingest(ctx, audits(50, errors, NOW - HOUR, moderator));
    }
    for (const type of ["p", "laney-p"] as const) {
      const rule = await createRule(ctx, {
        name: type,
        groupBy: ["moderator"],
        condition: { kind: "chart", type, interval: "day", rules: ["we-1"], baseline: { periods: 25 } },
      });
      const fired = await alertsOf(ctx, rule.id);
      expect(fired.map((a) => a.labels.moderator).sort()).toEqual(["up", "way-up"]);
      const tested = fired.map((a) => a.evidence);
      for (const evidence of tested) {
        expect(evidence).toMatchObject({ multiplicity: "bh", groupsTested: 3, groupsBreaching: 2 });
        const expected =
          type === "p"
            ? binomialUpperTail(evidence.count, evidence.n, evidence.baseline.center)
            : normalUpperTail(evidence.point.z);
        expect(evidence.point.z).not.toBeNull();
        expect(evidence.p).toBeCloseTo(expected, 15);
        expect(evidence.q).toBeLessThanOrEqual(0.05);
        expect(evidence.q).toBeGreaterThanOrEqual(evidence.p);
      }
    }
  });
});
