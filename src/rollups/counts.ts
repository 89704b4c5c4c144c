import type { Db } from "../db/database.ts";
import type { RollupDimension } from "./cells.ts";
import { coverRange, emptyCover, mergedCover } from "./cover.ts";
import { type AuditFilter, cuboidFor, decodeKey, type Measure, readRollups } from "./read.ts";

/** The instants JavaScript dates span: an unbounded side of a filter (whole weeks, no rows, near its ends). */
const EARLIEST_MS = -8.64e15;
const LATEST_MS = 8.64e15;

/**
 * Whether reports may read the rollups: on unless MODQC_ROLLUPS=off (the row path, for comparisons). Read at every
 * call, so a test can switch paths between two requests.
 */
export function rollupsEnabled(): boolean {
  return process.env.MODQC_ROLLUPS !== "off";
}

const DIMENSIONS: ReadonlySet<string> = new Set<RollupDimension>([
  "queue",
  "market",
  "policy",
  "moderator",
  "auditor",
  "correctPolicy",
]);

export interface GroupSums {
  /** The group's values in `groupBy` order (null: absent). */
  key: (string | null)[];
  /** Each measure's sum, in the order asked. */
  sums: number[];
}

export interface GroupOptions {
  /** Read the policy-confusion cuboid (wrong-policy errors naming a correct policy; `correctPolicy` groupable). */
  confusion?: boolean;
  /** Only audits whose applied or correct policy is this (confusion cuboid only). */
  involving?: string;
  limit?: number;
}

/**
 * The measures' sums per group over the filter, from the rollups (whole buckets) and the audit rows of the parts of
 * the time range no bucket covers; undefined when the rollups are off or cannot answer the filter and grouping
 * (the caller reads rows). Groups in key order, only those whose first measure is positive.
 */
export async function rollupGroupSums(
  db: Db,
  filter: AuditFilter,
  groupBy: readonly string[],
  measures: readonly Measure[],
  options: GroupOptions = {},
): Promise<GroupSums[] | undefined> {
  if (!rollupsEnabled()) return undefined;
  if (!groupBy.every((field) => DIMENSIONS.has(field))) return undefined;
  const all = groupBy as RollupDimension[];
  const cuboid = cuboidFor(filter, all, options.confusion ?? false);
  if (!cuboid) return undefined;
  const span: [number, number] = [filter.fromMs ?? EARLIEST_MS, filter.toMs ?? LATEST_MS];
  const cover = emptyCover();
  coverRange(span[0], span[1], cuboid.levels, cover);
  const rows = await readRollups(db, {
    cuboid,
    filter,
    span,
    cover: mergedCover(cover),
    groupBy: all,
    measures,
    involving: options.involving,
    limit: options.limit,
  });
  return rows.map((row) => ({
    key: all.map((dim, i) => decodeKey(dim, row[i])),
    sums: row.slice(all.length) as number[],
  }));
}

/**
 * The measures' sums per time piece (`pieces`: disjoint [start, end) in time order, each inside one report period,
 * their inner boundaries on quarter hours), or undefined when the rollups cannot answer the filter.
 */
export async function rollupPieceSums(
  db: Db,
  filter: AuditFilter,
  pieces: readonly { start: number; end: number }[],
  measures: readonly Measure[],
): Promise<number[][] | undefined> {
  if (!rollupsEnabled()) return undefined;
  const cuboid = cuboidFor(filter, []);
  if (!cuboid) return undefined;
  const sums = pieces.map(() => measures.map(() => 0));
  // A statement per chunk of pieces keeps its terms (and parameters) bounded however many periods a chart has.
  for (let first = 0; first < pieces.length; first += PIECES_PER_STATEMENT) {
    const chunk = pieces.slice(first, first + PIECES_PER_STATEMENT);
    const cover = emptyCover();
    for (const piece of chunk) coverRange(piece.start, piece.end, cuboid.levels, cover);
    const rows = await readRollups(db, {
      cuboid,
      filter,
      span: [chunk[0].start, chunk.at(-1)!.end],
      cover: mergedCover(cover),
      groupBy: [],
      byBucket: true,
      measures,
    });
    for (const row of rows) {
      const index = first + pieceAt(chunk, Math.max(row[0] as number, chunk[0].start));
      for (let m = 0; m < measures.length; m++) sums[index][m] += row[1 + m] as number;
    }
  }
  return sums;
}

const PIECES_PER_STATEMENT = 256;

/** The index of the last piece starting at or before `ms` (binary search). */
function pieceAt(pieces: readonly { start: number }[], ms: number): number {
  let low = 0;
  let high = pieces.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (pieces[middle].start <= ms) low = middle;
    else high = middle - 1;
  }
  return low;
}
