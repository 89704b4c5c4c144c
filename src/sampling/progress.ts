import type { Db } from "../db/database.ts";
import {
  auditedPerStratum,
  type ListedSample,
  listSamples,
  type Sample,
  unmatchedAudits,
} from "../db/samples.ts";
import { progressCounts, progressOfSamples } from "../db/work.ts";

/** Items in one part of a sample: with an auditor, done, skipped, todo (= items − done − skipped). */
export interface WorkCounts {
  assigned: number;
  done: number;
  skipped: number;
  todo: number;
}

export interface SampleProgress {
  /** Per stratum key: `audited` (items with any audit of their decision id, as before) and the work counts. */
  strata: Map<string, WorkCounts & { audited: number }>;
  /** Per auditor, by name. */
  byAuditor: ({ auditor: string } & WorkCounts)[];
  totals: WorkCounts & { audited: number; unassigned: number };
  unmatchedAudits: number;
}

const empty = (): WorkCounts => ({ assigned: 0, done: 0, skipped: 0, todo: 0 });

function add(to: WorkCounts, row: { auditor: string | null; items: number; done: number; skipped: number }) {
  if (row.auditor !== null) to.assigned += row.items;
  to.done += row.done;
  to.skipped += row.skipped;
  to.todo += row.items - row.done - row.skipped;
}

/**
 * A sample's progress: per stratum and per auditor, items assigned / done / skipped / todo, where done means an
 * audit names this sample and the item's decision (a verdict PUT or an audit posted directly alike) and skipped
 * a skipped item without one; plus `audited` per stratum (any audit of the decision id, the count the sample
 * reported before the work queue) and audits naming the sample whose decision was not drawn.
 */
export async function sampleProgress(db: Db, sample: Sample): Promise<SampleProgress> {
  const audited = await auditedPerStratum(db, sample.id);
  const strata = new Map(sample.strata.map((s) => [s.key, { ...empty(), audited: audited.get(s.key) ?? 0 }]));
  const auditors = new Map<string, WorkCounts>();
  const totals = { ...empty(), audited: 0, unassigned: 0 };
  for (const row of await progressCounts(db, sample.id)) {
    let stratum = strata.get(row.stratum);
    if (!stratum) strata.set(row.stratum, (stratum = { ...empty(), audited: audited.get(row.stratum) ?? 0 }));
    add(stratum, row);
    add(totals, row);
    if (row.auditor === null) totals.unassigned += row.items;
    else {
      let counts = auditors.get(row.auditor);
      if (!counts) auditors.set(row.auditor, (counts = empty()));
      add(counts, row);
    }
  }
  for (const s of strata.values()) totals.audited += s.audited;
  return {
    strata,
    byAuditor: [...auditors]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([auditor, counts]) => ({ auditor, ...counts })),
    totals,
    unmatchedAudits: await unmatchedAudits(db, sample.id),
  };
}

/** What GET /v1/samples lists: a sample, its population's name and upload time, and its work counts. */
type SampleSummary = ListedSample & { progress: WorkCounts & { unassigned: number } };

/**
 * Samples, oldest first, with their overall work counts (one grouped query per 500 samples): of one population
 * and/or whose name contains `q` (case-insensitive), when given.
 */
export async function listSampleSummaries(
  db: Db,
  filter: { population?: string; q?: string },
): Promise<SampleSummary[]> {
  const needle = filter.q?.toLowerCase();
  const samples = (await listSamples(db, filter.population)).filter(
    (s) => needle === undefined || s.name.toLowerCase().includes(needle),
  );
  const counts = await progressOfSamples(
    db,
    samples.map((s) => s.id),
  );
  return samples.map((sample) => {
    const c = counts.get(sample.id) ?? { items: 0, assigned: 0, done: 0, skipped: 0 };
    return {
      ...sample,
      progress: {
        assigned: c.assigned,
        done: c.done,
        skipped: c.skipped,
        todo: c.items - c.done - c.skipped,
        unassigned: c.items - c.assigned,
      },
    };
  });
}
