import { StatsInputError } from "./errors.ts";

export interface BalancedAssignment {
  feasible: true;
  /** For each item (in input order), the index of its auditor in `auditors`. */
  auditorOf: Int32Array;
  /** Items per auditor, in the order of `auditors`. */
  loads: number[];
  /** Whether the loads differ by at most one. */
  balanced: boolean;
  notes: string[];
}

export interface InfeasibleAssignment {
  feasible: false;
  reason: string;
}

/**
 * Balanced assignment of items to auditors with no self-review: item i may not go to the auditor whose name
 * equals `moderators[i]`. Among all valid assignments it returns one whose loads are the integer
 * water-filling of the capacities — which minimises the largest load, maximises the smallest one and
 * minimises Σ load² at once — so the loads differ by at most one whenever any valid assignment achieves that.
 *
 * Structure. Items fall into classes: S_a (moderated by auditor a, eligible for everyone but a) and F
 * (moderated by someone who is not an auditor, eligible for all). With s_a = |S_a|, n items and k ≥ 2
 * auditors, a load vector L (Σ L = n) is achievable iff L_a ≤ n − s_a for every a (Gale's supply–demand
 * theorem: a set of two or more auditors is adjacent to every class, a single auditor a to all but S_a).
 * With k = 1 the single auditor must have moderated none of the items; otherwise there is no valid
 * assignment (`feasible: false` with the reason).
 *
 * 1. Loads: water-filling of the caps c_a = n − s_a: visiting auditors by increasing cap, an auditor with
 *    c_a·m ≤ r (r items left for m auditors) gets c_a; the others share r as ⌊r/m⌋ and ⌈r/m⌉, the larger
 *    share going to the earliest in input order. The result is the unique (up to who gets the +1)
 *    lexicographically most even achievable load vector.
 * 2. Class-to-auditor counts x[c][a] by a greedy that keeps the residual problem feasible: a residual
 *    auditor m is "tight" when s'_m + L'_m = n'. Moving q items from class c to auditor b keeps every
 *    condition iff every tight m is c or b, and q is at most every other auditor's slack n' − s'_m − L'_m; at
 *    most two auditors are tight at once (two tight ones hold all residual items and all residual demand),
 *    so a valid move always exists. Each move exhausts a class, fills an auditor or makes an auditor tight
 *    (for good), hence O(k) moves of O(k) each.
 * 3. Items of each class, in input order, are dealt to its auditors by interleaving (the t-th of x items
 *    for auditor a sits at (t + ½)/x), so each auditor gets a spread of the class rather than a block.
 * Deterministic: the same input gives the same assignment.
 *
 * Complexity: O(n log n + k²) time, O(n + k²) memory.
 *
 * @throws {StatsInputError} "auditors" (empty, or a name that is not a non-empty string), `auditors.<i>`
 *   (duplicate), "moderators" (not an array of strings)
 * @example
 * balancedAssignment(["ann", "ann", "bob", "cy"], ["ann", "bob"])
 * // => { feasible: true, auditorOf: Int32Array [1, 1, 0, 0], loads: [2, 2], balanced: true, notes: [] }
 */
export function balancedAssignment(
  moderators: readonly string[],
  auditors: readonly string[],
): BalancedAssignment | InfeasibleAssignment {
  validate(moderators, auditors);
  const k = auditors.length;
  const n = moderators.length;
  const index = new Map(auditors.map((a, i) => [a, i]));
  // Class of each item: the index of the auditor who moderated it, or k (free).
  const classOf = new Int32Array(n);
  const own = new Array<number>(k).fill(0);
  let free = 0;
  for (let i = 0; i < n; i++) {
    const a = index.get(moderators[i]);
    if (a === undefined) {
      classOf[i] = k;
      free++;
    } else {
      classOf[i] = a;
      own[a]++;
    }
  }
  if (k === 1 && own[0] > 0) {
    return {
      feasible: false,
      reason:
        `${auditors[0]} is the only auditor and moderated ${own[0]} of the ${n} sampled decisions: ` +
        "nobody may review their own decisions, so add another auditor",
    };
  }

  const loads = waterFill(
    n,
    own.map((s) => n - s),
  );
  const counts = classCounts(own, free, loads);

  // Deal each class's items (input order) to its auditors, interleaved.
  const members: number[][] = Array.from({ length: k + 1 }, () => []);
  for (let i = 0; i < n; i++) members[classOf[i]].push(i);
  const auditorOf = new Int32Array(n).fill(-1);
  for (let c = 0; c <= k; c++) {
    const slots: { at: number; auditor: number }[] = [];
    for (let a = 0; a < k; a++) {
      const x = counts[c][a];
      for (let t = 0; t < x; t++) slots.push({ at: (t + 0.5) / x, auditor: a });
    }
    slots.sort((p, q) => p.at - q.at || p.auditor - q.auditor);
    members[c].forEach((item, j) => {
      auditorOf[item] = slots[j].auditor;
    });
  }

  // Verify (a failure here is a bug, not bad input).
  const check = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const a = auditorOf[i];
    if (a < 0 || a === classOf[i]) throw new Error(`balancedAssignment: item ${i} badly assigned`);
    check[a]++;
  }
  if (check.some((load, a) => load !== loads[a])) throw new Error("balancedAssignment: loads differ");

  const max = Math.max(...loads);
  const min = Math.min(...loads);
  const balanced = max - min <= 1;
  const notes: string[] = [];
  if (!balanced) {
    const limited = auditors
      .map((name, a) => ({ name, own: own[a], load: loads[a] }))
      .filter((x) => x.load === n - x.own && x.load < max - 1)
      .map((x) => `${x.name} moderated ${x.own} of the ${n} decisions, so can audit at most ${x.load}`);
    notes.push(
      `loads cannot differ by at most one without self-review: ${limited.join("; ")}. ` +
        "This is the most even assignment possible (smallest maximum load, largest minimum load).",
    );
  }
  return { feasible: true, auditorOf, loads, balanced, notes };
}

/**
 * Integer water-filling: loads L_a ≤ caps[a] with Σ L_a = n, as even as the caps allow (see
 * {@link balancedAssignment}). Requires Σ caps ≥ n.
 */
export function waterFill(n: number, caps: readonly number[]): number[] {
  const k = caps.length;
  const loads = new Array<number>(k).fill(0);
  const order = caps.map((_, a) => a).sort((a, b) => caps[a] - caps[b] || a - b);
  let remaining = n;
  let left = k;
  let next = 0;
  while (next < k && caps[order[next]] * left <= remaining) {
    const a = order[next++];
    loads[a] = caps[a];
    remaining -= caps[a];
    left--;
  }
  if (left > 0) {
    const rest = order.slice(next).sort((a, b) => a - b);
    const base = Math.floor(remaining / left);
    let extra = remaining - base * left;
    for (const a of rest) {
      loads[a] = base + (extra > 0 ? 1 : 0);
      if (extra > 0) extra--;
    }
  }
  return loads;
}

/**
 * Counts x[c][a] of items of class c (c < k: moderated by auditor c; c = k: free) given to auditor a, with
 * column sums `loads` and x[a][a] = 0, by the feasibility-preserving greedy of {@link balancedAssignment}.
 */
function classCounts(own: readonly number[], free: number, loads: readonly number[]): number[][] {
  const k = own.length;
  const s = own.slice();
  const L = loads.slice();
  let f = free;
  let left = s.reduce((a, b) => a + b, 0) + f;
  const x = Array.from({ length: k + 1 }, () => new Array<number>(k).fill(0));
  const available = (c: number) => (c === k ? f : s[c]);
  const argmax = (score: (a: number) => number, allowed: (a: number) => boolean) => {
    let best = -1;
    for (let a = 0; a < k; a++) if (allowed(a) && (best < 0 || score(a) > score(best))) best = a;
    return best;
  };

  for (let guard = 0; left > 0; guard++) {
    if (guard > 4 * (k + 2)) throw new Error("balancedAssignment: greedy did not converge");
    const tight: number[] = [];
    for (let m = 0; m < k; m++) if (s[m] + L[m] === left) tight.push(m);
    let c: number;
    let b: number;
    if (tight.length >= 2) {
      const [m1, m2] = tight;
      [c, b] = s[m1] > 0 ? [m1, m2] : [m2, m1];
    } else if (tight.length === 1 && s[tight[0]] > 0) {
      c = tight[0];
      b = argmax(
        (a) => L[a],
        (a) => a !== c && L[a] > 0,
      );
    } else {
      b =
        tight.length === 1
          ? tight[0]
          : argmax(
              (a) => L[a],
              (a) => L[a] > 0,
            );
      const own = argmax(
        (a) => s[a] + L[a],
        (a) => a !== b && s[a] > 0,
      );
      c = own >= 0 ? own : k;
    }
    let q = Math.min(available(c), L[b]);
    for (let m = 0; m < k; m++) if (m !== c && m !== b) q = Math.min(q, left - s[m] - L[m]);
    if (!(q >= 1) || c === b || available(c) === 0) {
      throw new Error("balancedAssignment: no feasible move (bug)");
    }
    x[c][b] += q;
    if (c === k) f -= q;
    else s[c] -= q;
    L[b] -= q;
    left -= q;
  }
  return x;
}

function validate(moderators: readonly string[], auditors: readonly string[]): void {
  if (!Array.isArray(moderators) || moderators.some((m) => typeof m !== "string")) {
    throw new StatsInputError("moderators must be an array of strings", "moderators");
  }
  if (!Array.isArray(auditors) || auditors.length === 0) {
    throw new StatsInputError("auditors must be a non-empty array", "auditors");
  }
  const seen = new Set<string>();
  auditors.forEach((a, i) => {
    if (typeof a !== "string" || a === "") {
      throw new StatsInputError(`auditors[${i}] must be a non-empty string`, `auditors.${i}`);
    }
    if (seen.has(a)) throw new StatsInputError(`duplicate auditor '${a}'`, `auditors.${i}`);
    seen.add(a);
  });
}
