/**
 * Items as count triples and their distinct rating patterns: the input of the Dawid–Skene EM
 * (dawid-skene.ts), which fits each pattern once, weighted by how many items share it.
 */

/**
 * Ratings as count triples grouped by item (compressed rows): the ratings of item i are the entries
 * `itemStart[i] ≤ e < itemStart[i + 1]`; entry e says rater `rater[e]` gave label `label[e]` `count[e]` times
 * (n_{i,k,l} of Dawid & Skene; a rater may appear more than once per item, e.g. the paper's observer 1, who
 * rated every patient three times).
 */
export interface RatingCounts {
  itemCount: number;
  raterCount: number;
  classCount: number;
  /** Length itemCount + 1, non-decreasing, itemStart[0] = 0, itemStart[itemCount] = entries. */
  itemStart: Int32Array;
  rater: Int32Array;
  label: Int32Array;
  /** Positive counts. */
  count: Float64Array;
}

/** The distinct rating patterns of the items (entries in the same order, same gold), with their multiplicities. */
export interface Patterns {
  counts: RatingCounts;
  weight: Float64Array;
  /** Per pattern: the gold class or −1. */
  gold: Int32Array;
  /** Per item: its pattern. */
  patternOf: Int32Array;
}

/**
 * Groups items by their entries (rater, label, count in input order) and gold class: a 53-bit hash of each item's
 * entries looked up in a Map, every hit verified entry by entry (hash collisions chain to the next pattern).
 * O(entries) time, O(items) memory beyond the patterns' arrays (which are at most the input's size).
 */
export function distinctPatterns(counts: RatingCounts, gold: Int32Array | undefined): Patterns {
  const { itemCount: n, itemStart, rater, label, count } = counts;
  const byHash = new Map<number, number>();
  const patternOf = new Int32Array(n);
  const first: number[] = [];
  const next: number[] = [];
  const weights: number[] = [];
  const goldOf = (i: number) => (gold === undefined ? -1 : gold[i]);
  const same = (i: number, other: number): boolean => {
    if (goldOf(i) !== goldOf(other)) return false;
    const length = itemStart[i + 1] - itemStart[i];
    if (itemStart[other + 1] - itemStart[other] !== length) return false;
    for (let x = 0; x < length; x++) {
      const a = itemStart[i] + x;
      const b = itemStart[other] + x;
      if (rater[a] !== rater[b] || label[a] !== label[b] || count[a] !== count[b]) return false;
    }
    return true;
  };
  for (let i = 0; i < n; i++) {
    let h1 = 0x811c9dc5 ^ (goldOf(i) + 1);
    let h2 = 0x01000193 ^ (itemStart[i + 1] - itemStart[i]);
    for (let e = itemStart[i]; e < itemStart[i + 1]; e++) {
      const v = (rater[e] * 0x10000 + label[e]) ^ ((count[e] * 0x9e37) | 0);
      h1 = Math.imul(h1 ^ v, 0x01000193);
      h2 = Math.imul(h2 ^ v, 0x5bd1e995) ^ (h2 >>> 15);
    }
    const hash = (h1 >>> 0) * 0x200000 + (h2 >>> 11);
    let p = byHash.get(hash);
    let last = -1;
    while (p !== undefined && p >= 0 && !same(i, first[p])) {
      last = p;
      p = next[p] >= 0 ? next[p] : undefined;
    }
    if (p === undefined || p < 0) {
      p = first.length;
      first.push(i);
      next.push(-1);
      weights.push(0);
      if (last >= 0) next[last] = p;
      else byHash.set(hash, p);
    }
    patternOf[i] = p;
    weights[p]++;
  }
  const P = first.length;
  const start = new Int32Array(P + 1);
  let size = 0;
  for (let p = 0; p < P; p++) size += itemStart[first[p] + 1] - itemStart[first[p]];
  const raters = new Int32Array(size);
  const labels = new Int32Array(size);
  const times = new Float64Array(size);
  const patternGold = new Int32Array(P).fill(-1);
  let e = 0;
  for (let p = 0; p < P; p++) {
    const i = first[p];
    start[p] = e;
    for (let x = itemStart[i]; x < itemStart[i + 1]; x++, e++) {
      raters[e] = rater[x];
      labels[e] = label[x];
      times[e] = count[x];
    }
    if (gold !== undefined) patternGold[p] = gold[i];
  }
  start[P] = e;
  return {
    counts: { ...counts, itemCount: P, itemStart: start, rater: raters, label: labels, count: times },
    weight: Float64Array.from(weights),
    gold: patternGold,
    patternOf,
  };
}
