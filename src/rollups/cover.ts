import { bucketOf, ceilToBucket, type Level } from "./cells.ts";

/** Rollup buckets of one width whose starts lie in [from, to). */
export interface BucketRange {
  width: number;
  from: number;
  to: number;
}

/** How a time range is read: whole rollup buckets, and the audit rows of what no bucket covers. */
export interface TimeCover {
  buckets: BucketRange[];
  /** [from, to) instants read from the audits themselves. */
  rows: [number, number][];
}

export function emptyCover(): TimeCover {
  return { buckets: [], rows: [] };
}

/**
 * Adds [from, to) to `cover`: the coarsest whole buckets of `levels` (finest first, each width a multiple of the
 * previous, boundaries nested) that fit inside it, finer ones towards its ends, and the parts shorter than the
 * finest bucket as row ranges. A range whose ends lie on hour boundaries reads no rows at all.
 * O(number of levels) ranges per call.
 */
export function coverRange(from: number, to: number, levels: readonly Level[], cover: TimeCover): void {
  if (from >= to) return;
  const finest = levels[0];
  const start = ceilToBucket(from, finest);
  const end = bucketOf(to, finest);
  if (start >= end) {
    cover.rows.push([from, to]);
    return;
  }
  if (from < start) cover.rows.push([from, start]);
  if (end < to) cover.rows.push([end, to]);
  coverAligned(start, end, levels, 0, cover);
}

function coverAligned(from: number, to: number, levels: readonly Level[], i: number, cover: TimeCover): void {
  const level = levels[i];
  const next = levels[i + 1];
  if (next) {
    const start = ceilToBucket(from, next);
    const end = bucketOf(to, next);
    if (start < end) {
      pushBuckets(cover, level.width, from, start);
      pushBuckets(cover, level.width, end, to);
      coverAligned(start, end, levels, i + 1, cover);
      return;
    }
  }
  pushBuckets(cover, level.width, from, to);
}

function pushBuckets(cover: TimeCover, width: number, from: number, to: number): void {
  if (from < to) cover.buckets.push({ width, from, to });
}

/** The cover with adjacent or overlapping ranges of the same kind joined, in time order. */
export function mergedCover(cover: TimeCover): TimeCover {
  const buckets = [...cover.buckets].sort((a, b) => a.width - b.width || a.from - b.from);
  const joined: BucketRange[] = [];
  for (const range of buckets) {
    const last = joined.at(-1);
    if (last && last.width === range.width && range.from <= last.to) last.to = Math.max(last.to, range.to);
    else joined.push({ ...range });
  }
  const rows = [...cover.rows].sort((a, b) => a[0] - b[0]);
  const joinedRows: [number, number][] = [];
  for (const [from, to] of rows) {
    const last = joinedRows.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else joinedRows.push([from, to]);
  }
  return { buckets: joined, rows: joinedRows };
}
