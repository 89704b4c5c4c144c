import { evaluateThreshold, scanForThresholds, thresholdScanKey } from "../src/alerts/conditions/index.ts";
import type { Multiplicity, Rule } from "../src/alerts/rules.ts";
import type { Audit } from "../src/audits/validate.ts";
import { createBatchWriter } from "../src/db/audits.ts";
import { openDatabase } from "../src/db/open.ts";
import { binomialUpperTail } from "../stats/binomial-upper-tail.ts";
import { benjaminiHochberg, benjaminiYekutieli } from "../stats/multiple-testing.ts";
import { mulberry32 as rng } from "../test/seeded-random.ts";
import { mib, table } from "./lib.ts";

/**
 * Issue 16: the cost of false-discovery control. (1) One BH (and BY) adjustment of 10,000 groups' p-values, and the
 * 10,000 exact binomial p-values it needs (stats/, in-process). (2) One evaluation of a threshold rule grouped by
 * moderator over 10,000 moderators (50 audits each, in-memory SQLite), multiplicity none vs bh: with a fresh scan
 * (the SQL grouped count included, as a first evaluation pays) and from a kept scan (what the engine's
 * ThresholdScanCache gives later evaluations: the per-rule projection, outcomes, p-values and adjustment).
 * p50/p99/max in ms over RUNS runs after warm-up.
 */
const GROUPS = 10_000;
const AUDITS_PER_GROUP = 50;
const RUNS = 60;
const NOW = Date.parse("2026-11-24T12:00:00Z");

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

async function timed(runs: number, fn: () => unknown | Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

const row = (name: string, times: number[]) => [
  name,
  percentile(times, 0.5),
  percentile(times, 0.99),
  times.at(-1)!,
];

function rule(multiplicity: Multiplicity): Rule<"threshold"> {
  return {
    id: `bench-${multiplicity}`,
    name: "moderators",
    scope: {},
    groupBy: ["moderator"],
    condition: {
      kind: "threshold",
      maxRate: 0.05,
      window: { days: 7 },
      minAudited: 20,
      evidence: "point",
      confidence: 0.95,
      multiplicity,
      fdr: 0.05,
    },
    severity: "warning",
    pendingEvaluations: 1,
    keepFiringEvaluations: 1,
    repeatInterval: null,
    repeatMs: null,
    enabled: true,
    createdBy: null,
    createdAt: "",
    updatedAt: "",
  };
}

export async function run(): Promise<void> {
  const random = rng(16);
  // (1) The adjustment alone: p-values of 10,000 groups (errors of 50 audits at 2–10 %), tested against 5 %.
  const errors = Array.from({ length: GROUPS }, () => Math.floor(random() * random() * 12));
  const p = Float64Array.from(errors, (e) => binomialUpperTail(e, AUDITS_PER_GROUP, 0.05));
  const heapBefore = process.memoryUsage().heapUsed;
  const rows: (string | number)[][] = [["10,000 groups", "p50 ms", "p99 ms", "max ms"]];
  rows.push(row("BH adjustment", await timed(RUNS * 5, () => benjaminiHochberg(p))));
  rows.push(row("BY adjustment", await timed(RUNS * 5, () => benjaminiYekutieli(p))));
  rows.push(
    row(
      "10,000 binomial p-values",
      await timed(RUNS, () => {
        for (let i = 0; i < GROUPS; i++) binomialUpperTail(errors[i], AUDITS_PER_GROUP, 0.05);
      }),
    ),
  );

  // (2) A rule evaluation over 10,000 moderators.
  const db = await openDatabase({ dataDir: ":memory:" });
  await db.transaction(async (tx) => {
    const writer = createBatchWriter(tx);
    let id = 0;
    for (let g = 0; g < GROUPS; g++) {
      const rate = g % 100 === 0 ? 0.2 : 0.02 + 0.06 * random();
      for (let i = 0; i < AUDITS_PER_GROUP; i++) {
        const wrong = random() < rate;
        const at = NOW - Math.floor(random() * 6 * 86_400_000);
        const audit: Audit = {
          id: `b${id}`,
          decisionId: `d${id}`,
          queue: "hate",
          moderator: `mod-${g}`,
          auditor: "alice",
          outcome: wrong ? "incorrect" : "correct",
          errorType: wrong ? "false-negative" : null,
          severity: null,
          policy: null,
          market: null,
          decidedAt: null,
          sampleId: null,
          notes: null,
          correctPolicy: null,
          recordedBy: null,
          auditedAt: new Date(at).toISOString(),
        };
        writer.write(++id, audit, at);
      }
    }
    await writer.finish();
  });
  const kept = await scanForThresholds(db, [rule("none")], NOW);
  const firing: Record<string, number> = {};
  for (const multiplicity of ["none", "bh"] as const) {
    const r = rule(multiplicity);
    rows.push(
      row(
        `rule evaluation, fresh scan, ${multiplicity}`,
        await timed(Math.ceil(RUNS / 4), () => evaluateThreshold(db, r, NOW, new Map())),
      ),
    );
    rows.push(
      row(
        `rule evaluation, kept scan, ${multiplicity}`,
        await timed(RUNS, async () => {
          const cache = new Map<string, unknown>([
            [thresholdScanKey(r)!, { ...kept, projections: new Map() }],
          ]);
          return evaluateThreshold(db, r, NOW, cache);
        }),
      ),
    );
    const outcomes = await evaluateThreshold(db, r, NOW, new Map());
    firing[multiplicity] = outcomes.filter((o) => o.breach).length;
  }
  table(rows);
  console.log(
    `groups breaching: none ${firing.none}, bh ${firing.bh} of ${GROUPS} (100 truly at 20 %, the rest 2–8 % against a 5 % limit, ${AUDITS_PER_GROUP} audits each); heap growth ${mib(process.memoryUsage().heapUsed - heapBefore)}`,
  );
  await db.close();
}
