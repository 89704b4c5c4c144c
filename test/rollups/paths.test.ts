import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Audit } from "../../src/audits/validate.ts";
import { findRevisableAudit, storeRevision, type Verdict } from "../../src/db/audit-revisions.ts";
import { createBatchWriter } from "../../src/db/audits.ts";
import type { Db } from "../../src/db/database.ts";
import { scorecardList } from "../../src/feedback/scorecard-list.ts";
import { moderatorScorecard } from "../../src/feedback/scorecards.ts";
import { policyConfusion } from "../../src/reports/policy-confusion.ts";
import { policyImpact } from "../../src/reports/policy-impact.ts";
import { qualityReport } from "../../src/reports/quality.ts";
import { storedChart } from "../../src/reports/stored-chart.ts";
import { storedFunnel } from "../../src/reports/stored-funnel.ts";
import { compactRollups, mismatchedDays, rebuildRollups } from "../../src/rollups/rebuild.ts";
import { openTestDatabase } from "../database.ts";
import { deleteAllAudits } from "../helpers.ts";

/**
 * Issue 20: every report answers the same from the rollups as from the rows (MODQC_ROLLUPS=off), exactly, over
 * random audit sets (with revisions), filters, groupings and time zones, on the backend under test.
 */

const QUEUES = ["hate", "spam", "자해"];
const MARKETS = [null, "", "KR", "US"];
const POLICIES = [null, "", "p1", "p2", "정책"];
const MODERATORS = ["m1", "m2", "m3", "m4"];
const AUDITORS = ["a1", "a2", "a3"];
const ERROR_TYPES = ["false-positive", "false-negative", "wrong-policy", "other"] as const;
const ZONES = [
  "UTC",
  "Asia/Seoul",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "America/St_Johns",
  "Europe/London",
  "Australia/Lord_Howe",
];
/** 2026-03-01 … 2026-05-01 (two DST changes in Europe, one in St John's, Lord Howe's half-hour shift). */
const START = Date.parse("2026-03-01T00:00:00Z");
const SPAN = 61 * 86_400_000;

const verdict = fc.oneof(
  fc.constant<Verdict>({
    outcome: "correct",
    errorType: null,
    severity: null,
    correctPolicy: null,
    notes: null,
  }),
  fc.record<Verdict>({
    outcome: fc.constant("incorrect" as const),
    errorType: fc.constantFrom(...ERROR_TYPES),
    severity: fc.constantFrom(null, 1, 2, 3, 4),
    correctPolicy: fc.constantFrom(null, "p1", "p2", "정책", "p3"),
    notes: fc.constant(null),
  }),
);

const audit = fc.record({
  queue: fc.constantFrom(...QUEUES),
  market: fc.constantFrom(...MARKETS),
  policy: fc.constantFrom(...POLICIES),
  moderator: fc.constantFrom(...MODERATORS),
  auditor: fc.constantFrom(...AUDITORS),
  offset: fc.integer({ min: 0, max: SPAN }),
  verdict,
  revised: fc.option(verdict, { freq: 4 }),
});

type GeneratedAudit = typeof audit extends fc.Arbitrary<infer T> ? T : never;

/**
 * Stores the audits in two uploads with a compaction between them (so some are rolled up or folded in and some are
 * not), then revises those with a revision (some rolled up, some not).
 */
async function store(db: Db, audits: GeneratedAudit[]): Promise<void> {
  await deleteAllAudits(db);
  const half = Math.ceil(audits.length / 2);
  await upload(db, audits, 0, half);
  await compactRollups(db);
  await upload(db, audits, half, audits.length);
  for (const [i, a] of audits.entries()) {
    if (!a.revised) continue;
    await db.transaction(async (tx) => {
      const current = (await findRevisableAudit(tx, `a-${i}`))!;
      await storeRevision(tx, current, a.revised!, {
        by: "lead",
        reason: null,
        at: new Date().toISOString(),
      });
    });
  }
}

async function upload(db: Db, audits: GeneratedAudit[], from: number, to: number): Promise<void> {
  await db.transaction(async (tx) => {
    const writer = createBatchWriter(tx);
    for (let i = from; i < to; i++) {
      const a = audits[i];
      const auditedMs = START + a.offset;
      const stored: Audit = {
        id: `a-${i}`,
        decisionId: `d-${i}`,
        queue: a.queue,
        moderator: a.moderator,
        auditor: a.auditor,
        ...a.verdict,
        policy: a.policy,
        market: a.market,
        decidedAt: null,
        auditedAt: new Date(auditedMs).toISOString(),
        sampleId: null,
        recordedBy: null,
      };
      writer.write(i + 1, stored, auditedMs);
    }
    await writer.finish();
  });
}

const dateOrInstant = fc.oneof(
  fc.integer({ min: -3, max: 63 }).map((d) => new Date(START + d * 86_400_000).toISOString().slice(0, 10)),
  fc.integer({ min: -SPAN / 10, max: SPAN * 1.1 }).map((o) => new Date(START + o).toISOString()),
);

/** Filters on one moderator or auditor read rows either way: kept rarer so most runs exercise the rollups. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 5 });
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });
const filter = fc
  .record({
    from: sometimes(dateOrInstant),
    to: sometimes(dateOrInstant),
    queue: sometimes(fc.constantFrom(...QUEUES)),
    market: sometimes(fc.constantFrom("", "KR", "US")),
    policy: sometimes(fc.constantFrom("", "p1", "정책")),
    moderator: rarely(fc.constantFrom(...MODERATORS)),
    auditor: rarely(fc.constantFrom(...AUDITORS)),
    errorType: sometimes(fc.constantFrom(...ERROR_TYPES)),
  })
  .map((query) => Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)));
const GROUP_FIELDS = ["queue", "market", "policy", "moderator", "auditor"] as const;

/** The report computed twice: from the rows (MODQC_ROLLUPS=off) and as the service answers by default. */
async function bothPaths<T>(compute: () => Promise<T>): Promise<{ rows: T; rollups: T }> {
  process.env.MODQC_ROLLUPS = "off";
  try {
    const rows = await compute().catch((error: unknown) => ({ error: String(error) }) as T);
    delete process.env.MODQC_ROLLUPS;
    const rollups = await compute().catch((error: unknown) => ({ error: String(error) }) as T);
    return { rows, rollups };
  } finally {
    delete process.env.MODQC_ROLLUPS;
  }
}

describe("reports from rollups and from rows (issue 20)", () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  it("answer identically: quality (groups, weights), charts, funnels, policy confusion and impact, scorecards (fast-check)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(audit, { minLength: 0, maxLength: 120 }),
        filter,
        fc.subarray([...GROUP_FIELDS], { maxLength: 3 }),
        fc.constantFrom(...ZONES),
        fc.constantFrom("day" as const, "week" as const, "month" as const),
        async (audits, query, groupBy, tz, interval) => {
          await store(db, audits);
          const quality = await bothPaths(() =>
            qualityReport(
              db,
              { ...query, groupBy, confidence: 0.95, method: "wilson", weights: [1, 2, 4, 8] },
              tz,
            ),
          );
          expect(quality.rollups).toEqual(quality.rows);
          const chart = await bothPaths(() => storedChart(db, { ...query, type: "p", interval }, tz));
          expect(chart.rollups).toEqual(chart.rows);
          const by = groupBy[0] ?? "moderator";
          const funnel = await bothPaths(() =>
            storedFunnel(db, { ...query, by, method: "exact", overdispersion: "none", minAudited: 2 }, tz),
          );
          expect(funnel.rollups).toEqual(funnel.rows);
          const { errorType: _, ...withoutType } = query;
          const confusion = await bothPaths(() =>
            policyConfusion(db, { ...withoutType, confidence: 0.95 }, tz),
          );
          expect(confusion.rollups).toEqual(confusion.rows);
          const { from: __, to: ___, policy: ____, ...impactQuery } = query;
          const impact = await bothPaths(() =>
            policyImpact(
              db,
              { ...impactQuery, policy: "p1", at: "2026-04-01", days: 20, confidence: 0.95 },
              tz,
            ),
          );
          expect(impact.rollups).toEqual(impact.rows);
          const fromMs = START - 86_400_000;
          const toMs = START + SPAN + 86_400_000;
          const period = { fromMs, toMs, timeZone: tz, defaultTarget: 0.05 };
          const list = await bothPaths(() =>
            scorecardList(db, { ...period, queue: query.queue, sort: "shrunken", order: "desc" }),
          );
          expect(list.rollups).toEqual(list.rows);
          const card = await bothPaths(() =>
            moderatorScorecard(db, { ...period, moderator: "m1", queue: query.queue, showAuditor: true }),
          );
          expect(card.rollups).toEqual(card.rows);
        },
      ),
      { numRuns: 150, seed: 2020 },
    );
  }, 120_000);

  it("are what the default path reads (a wrong cell shows), and what MODQC_ROLLUPS=off does not", async () => {
    await store(db, [
      {
        queue: "hate",
        market: "KR",
        policy: "p1",
        moderator: "m1",
        auditor: "a1",
        offset: 0,
        verdict: { outcome: "correct", errorType: null, severity: null, correctPolicy: null, notes: null },
        revised: null,
      },
    ]);
    await compactRollups(db);
    await db.run("UPDATE audit_rollups SET n = n + 1 WHERE n > 0");
    const query = { groupBy: [], confidence: 0.95, method: "wilson" as const };
    const { rows, rollups } = await bothPaths(() => qualityReport(db, query, "UTC"));
    expect(rows.overall.audited).toBe(1);
    expect(rollups.overall.audited).toBe(2);
    await rebuildRollups(db);
  });

  it("rebuilt from the audits equal the rollups kept by every write, and a damaged day is found", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(audit, { minLength: 1, maxLength: 80 }), async (audits) => {
        await store(db, audits);
        await compactRollups(db);
        const kept = await cells(db);
        expect({ days: await mismatchedDays(db), audits: audits.length }).toEqual({
          days: [],
          audits: audits.length,
        });
        await rebuildRollups(db);
        expect(await cells(db)).toEqual(kept);
      }),
      { numRuns: 15, seed: 7 },
    );
    await db.run("UPDATE audit_rollups SET n = n + 1 WHERE cuboid = 0 AND width = 86400000");
    expect((await mismatchedDays(db)).length).toBeGreaterThan(0);
    await rebuildRollups(db);
    expect(await mismatchedDays(db)).toEqual([]);
  }, 60_000);
});

/** Every cell with a count (zero cells left out: a revision may leave one behind). */
async function cells(db: Db): Promise<unknown[]> {
  const key = "cuboid, width, bucket, queue, market, policy, person";
  const counts = "n, errors, wrong_policy_unnamed, wrong_policy_2, false_positive_1, other_4";
  return db.values(
    `SELECT ${key}, SUM(n), SUM(errors), SUM(wrong_policy_unnamed), SUM(wrong_policy_2), SUM(false_positive_1), SUM(other_4)
     FROM (SELECT ${key}, ${counts} FROM audit_rollups) AS cells
     GROUP BY ${key} HAVING SUM(n) <> 0 OR SUM(errors) <> 0 ORDER BY ${key}`,
  );
}
