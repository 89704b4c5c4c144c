import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ChartScan,
  ChartScanCache,
  chartScanKey,
  evaluateChart,
  scanForCharts,
  scanForThresholds,
  ThresholdScanCache,
} from "../../src/alerts/conditions/index.ts";
import { isRuleOf } from "../../src/alerts/rules.ts";
import { getRule } from "../../src/db/alert-rules.ts";
import { countByGroups, maxAuditSeq } from "../../src/db/audits.ts";
import { onPostgres } from "../database.ts";
import { testContext } from "../helpers.ts";

const DAY = 86_400_000;
/** Every run of a property opens a fresh database: on PostgreSQL a new schema and its migrations (~0.2 s each). */
const PROPERTY_TESTS = { timeout: onPostgres ? 120_000 : undefined };
const QUEUES = ["hate", "spam"];
const MODERATORS = ["m1", "m2", "m3"];
const ERROR_TYPES = ["false-positive", "false-negative", "wrong-policy", "other"] as const;

const auditArb = fc.record({
  queue: fc.constantFrom(...QUEUES),
  moderator: fc.constantFrom(...MODERATORS),
  auditor: fc.constantFrom("alice", "bob"),
  market: fc.constantFrom("KR", "US", null),
  wrong: fc.boolean(),
  errorType: fc.constantFrom(...ERROR_TYPES),
  /** Minutes before the evaluation instant (negative: after it). */
  minutesAgo: fc.integer({ min: -120, max: 60 * 24 * 12 }),
});

type AuditSpec = typeof auditArb extends fc.Arbitrary<infer T> ? T : never;

function toAudits(list: AuditSpec[], now: number, prefix: string) {
  return list.map((a, i) => ({
    id: `${prefix}-${i}`,
    decisionId: `d-${prefix}-${i}`,
    queue: a.queue,
    moderator: a.moderator,
    auditor: a.auditor,
    outcome: a.wrong ? "incorrect" : "correct",
    ...(a.wrong ? { errorType: a.errorType } : {}),
    ...(a.market ? { market: a.market } : {}),
    auditedAt: new Date(now - a.minutesAgo * 60_000).toISOString(),
  }));
}

describe("shared scans give exactly the numbers of the reports", PROPERTY_TESTS, () => {
  it("threshold evidence equals countByGroups over the rule's scope and window (property)", async () => {
    const scopeArb = fc.record(
      {
        queue: fc.constantFrom(...QUEUES),
        moderator: fc.constantFrom(...MODERATORS),
        market: fc.constantFrom("KR", "US"),
        errorType: fc.constantFrom(...ERROR_TYPES),
      },
      { requiredKeys: [] },
    );
    const ruleArb = fc.record({
      scope: scopeArb,
      groupBy: fc.subarray(["queue", "moderator", "auditor", "market"] as const),
      days: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.constantFrom(0.5, 2.25)),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(auditArb, { minLength: 1, maxLength: 80 }),
        fc.array(ruleArb, { minLength: 1, maxLength: 5 }),
        async (list, rules) => {
          const now = Date.parse("2026-11-24T12:34:56.789Z");
          const ctx = await testContext({}, { now: () => now });
          const res = await ctx.call("POST", "/v1/audits", {
            key: ctx.keys.lead,
            json: toAudits(list, now, `t${run++}`),
          });
          expect(res.status).toBe(200);
          const ids: string[] = [];
          for (const [i, r] of rules.entries()) {
            const created = await ctx.call("POST", "/v1/alert-rules", {
              key: ctx.keys.lead,
              json: {
                name: `r${i}`,
                scope: r.scope,
                groupBy: r.groupBy,
                condition: { kind: "threshold", maxRate: 0, window: { days: r.days }, evidence: "point" },
                severity: "info",
              },
            });
            expect(created.status).toBe(201);
            ids.push(created.body.id);
          }
          const alerts = (await ctx.call("GET", "/v1/alerts?limit=1000", { key: ctx.keys.viewer })).body
            .alerts;
          for (const [i, r] of rules.entries()) {
            const expected = (
              await countByGroups(ctx.db, { ...r.scope, fromMs: now - r.days * DAY }, r.groupBy)
            ).filter((g) => g.errors > 0 && r.groupBy.every((f) => g.key[f] !== null));
            const got = alerts.filter((a: { ruleId: string }) => a.ruleId === ids[i]);
            const view = (labels: object, audited: number, errors: number) => ({ labels, audited, errors });
            expect(
              got.map((a: { labels: object; evidence: { audited: number; errors: number } }) =>
                view(a.labels, a.evidence.audited, a.evidence.errors),
              ),
            ).toEqual(expect.arrayContaining(expected.map((g) => view(g.key, g.audited, g.errors))));
            expect(got).toHaveLength(expected.length);
          }
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });

  it("chart evidence equals the last point of the linked /v1/charts, in DST zones, weekly, and on pre-1970 odd offsets", async () => {
    const cases: { tz: string; base: number; interval: "day" | "week" }[] = [
      { tz: "America/New_York", base: Date.parse("2026-11-03T12:00:00Z"), interval: "day" }, // DST ended 2026-11-01
      { tz: "Asia/Kathmandu", base: Date.parse("2026-11-20T12:00:00Z"), interval: "day" }, // UTC+5:45
      { tz: "Europe/Berlin", base: Date.parse("2026-11-24T12:00:00Z"), interval: "week" },
      { tz: "Europe/Amsterdam", base: Date.parse("1930-06-20T12:00:00Z"), interval: "day" }, // UTC+0:19:32
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...cases),
        fc.array(auditArb, { minLength: 30, maxLength: 150 }),
        fc.constantFrom("p", "laney-p", "ewma", "cusum"),
        fc.subarray(["moderator", "queue"] as const),
        async ({ tz, base, interval }, list, type, groupBy) => {
          const ctx = await testContext({ MODQC_TZ: tz }, { now: () => base });
          // Spread over 12 days (or weeks), with the last day at the spike.
          const spread = list.map((a) => ({
            ...a,
            minutesAgo: interval === "week" ? a.minutesAgo * 7 : a.minutesAgo,
          }));
          await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: toAudits(spread, base, "c") });
          const ids: string[] = [];
          for (const [name, condition] of [
            [
              "random",
              {
                kind: "chart",
                type,
                interval,
                rules:
                  type === "p" || type === "laney-p"
                    ? ["we-1", "we-2", "we-3", "we-4", "nelson-2"]
                    : undefined,
                baseline: { periods: 6 },
              },
            ],
            ["wider", { kind: "chart", type: "p", interval: "week", baseline: { periods: 4 } }],
          ] as const) {
            const res = await ctx.call("POST", "/v1/alert-rules", {
              key: ctx.keys.lead,
              json: { name, groupBy, condition, severity: "info" },
            });
            expect(res.status).toBe(201);
            ids.push(res.body.id);
          }
          // As the engine does: one scan for both rules (same scope), then each rule's outcomes.
          const rules = (await Promise.all(ids.map(async (id) => (await getRule(ctx.db, id))!))).filter(
            (rule) => isRuleOf(rule, "chart"),
          );
          const cache = new Map<string, unknown>([
            [chartScanKey(rules[0], tz), await scanForCharts(ctx.db, rules, tz)],
          ]);
          let checked = 0;
          for (const rule of rules) {
            for (const outcome of await evaluateChart(ctx.db, rule, tz, cache)) {
              const evidence = outcome.evidence as {
                point: unknown;
                period: string;
                baseline: { points: number };
              };
              const chart = await ctx.call("GET", outcome.link!, { key: ctx.keys.viewer });
              expect(chart.status).toBe(200);
              expect(chart.body.points.at(-1)).toEqual(evidence.point);
              expect(chart.body.points.at(-1).label).toBe(evidence.period);
              expect(chart.body.points).toHaveLength(evidence.baseline.points + 1);
              checked++;
            }
          }
          expect(checked).toBeGreaterThan(0);
        },
      ),
      { numRuns: 40, seed: 11 },
    );
  });

  it("a chart scan kept between evaluations and updated with new audits equals a fresh scan (property)", async () => {
    const normal = (scan: ChartScan | undefined) =>
      scan && {
        latestMs: scan.latestMs,
        fromMs: scan.fromMs,
        days: scan.days.map((d) => ({
          start: d.start,
          label: d.label,
          week: d.week,
          cells: [...d.cells.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        })),
      };
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(auditArb, { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom("UTC", "America/New_York", "Asia/Kathmandu"),
        fc.constantFrom("day", "week"),
        fc.integer({ min: 2, max: 8 }),
        async (batches, tz, interval, periods) => {
          const now = Date.parse("2026-11-03T12:00:00Z");
          const ctx = await testContext({ MODQC_TZ: tz }, { now: () => now });
          const ids: string[] = [];
          for (const [i, condition] of [
            { kind: "chart", type: "p", interval, baseline: { periods } },
            { kind: "chart", type: "ewma", interval: "day", baseline: { periods: 3 } },
          ].entries()) {
            const res = await ctx.call("POST", "/v1/alert-rules", {
              key: ctx.keys.lead,
              json: { name: `c${i}`, scope: { queue: "hate" }, condition, severity: "info" },
            });
            ids.push(res.body.id);
          }
          const rules = (await Promise.all(ids.map(async (id) => (await getRule(ctx.db, id))!))).filter(
            (rule) => isRuleOf(rule, "chart"),
          );
          const cache = new ChartScanCache();
          for (const [b, batch] of batches.entries()) {
            // Later batches move forward in time (the windows slide), and some audits are back-filled.
            const shifted = batch.map((a) => ({ ...a, minutesAgo: a.minutesAgo - b * 60 * 24 * 2 }));
            const res = await ctx.call("POST", "/v1/audits", {
              key: ctx.keys.lead,
              json: toAudits(shifted, now, `s${run}-${b}`),
            });
            expect(res.status).toBe(200);
            const kept = await cache.scan(ctx.db, rules, tz, await maxAuditSeq(ctx.db));
            expect(normal(kept)).toEqual(normal(await scanForCharts(ctx.db, rules, tz)));
          }
          run++;
        },
      ),
      { numRuns: 60, seed: 3 },
    );
  });

  it("threshold counts kept between evaluations (per minute) equal a fresh scan as time moves on (property)", async () => {
    const DAYS = 4;
    const byAge = (cells: { values: (string | null)[]; age: number; audited: number; errors: number }[]) => {
      const sums = new Map<string, [number, number]>();
      for (const c of cells) {
        if (c.age > DAYS) continue; // outside every window of the rules
        const key = JSON.stringify([c.values, Math.max(c.age, 0)]);
        const s = sums.get(key) ?? [0, 0];
        s[0] += c.audited;
        s[1] += c.errors;
        sums.set(key, s);
      }
      return [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    };
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            audits: fc.array(auditArb, { minLength: 0, maxLength: 40 }),
            // Audits a few seconds either side of the window boundaries now − k days, the exact-count minutes.
            edges: fc.array(
              fc.record({
                k: fc.integer({ min: 0, max: DAYS + 1 }),
                seconds: fc.integer({ min: -45, max: 45 }),
                audit: auditArb,
              }),
              { maxLength: 12 },
            ),
            advanceMs: fc.integer({ min: 0, max: 2 * DAY }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.constantFrom<Record<string, string>>(
          {},
          { queue: "hate" },
          { moderator: "m2", errorType: "other" },
        ),
        async (steps, scope) => {
          let now = Date.parse("2026-11-10T08:17:31.250Z");
          const ctx = await testContext({}, { now: () => now });
          const ids: string[] = [];
          for (const days of [1, DAYS]) {
            const res = await ctx.call("POST", "/v1/alert-rules", {
              key: ctx.keys.lead,
              json: {
                name: `t${days}`,
                scope,
                condition: { kind: "threshold", maxRate: 0.5, window: { days } },
                severity: "info",
              },
            });
            ids.push(res.body.id);
          }
          const rules = (await Promise.all(ids.map(async (id) => (await getRule(ctx.db, id))!))).filter(
            (rule) => isRuleOf(rule, "threshold"),
          );
          const cache = new ThresholdScanCache();
          for (const [i, step] of steps.entries()) {
            now += step.advanceMs;
            const rows = [
              ...toAudits(step.audits, now, `m${run}-${i}`),
              ...toAudits(
                step.edges.map((e) => e.audit),
                now,
                `e${run}-${i}`,
              ).map((row, j) => ({
                ...row,
                auditedAt: new Date(now - step.edges[j].k * DAY - step.edges[j].seconds * 1000).toISOString(),
              })),
            ];
            if (rows.length > 0) {
              const res = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: rows });
              expect(res.status).toBe(200);
            }
            const kept = await cache.scan(ctx.db, rules, now, await maxAuditSeq(ctx.db));
            expect(byAge(kept.cells)).toEqual(byAge((await scanForThresholds(ctx.db, rules, now)).cells));
          }
          run++;
        },
      ),
      { numRuns: 80, seed: 5 },
    );
  });
});
