/**
 * Dawid–Skene (EM) on 100,000 items × 5 raters × 4 classes (target < 2 s): lopsided classes as moderation data
 * (85 % "ok"), raters of different quality (accuracy 0.95 down to 0.75, errors spread uniformly), 2 % missing.
 * Timed end to end from the JSON-like matrix (`dawidSkene`: encode + EM + plain-data answer) and for the EM alone
 * on count triples (`dawidSkeneCounts`); iterations to |Δ log-likelihood| < 1e-10, memory (heap + array buffers
 * and RSS growth across one end-to-end call) and the recovered accuracies against the simulated ones.
 */
import { loadavg } from "node:os";
import { dawidSkene, dawidSkeneCounts, estimatedAccuracy } from "../stats/agreement/dawid-skene.ts";
import { Xoshiro128StarStar } from "../stats/agreement/random.ts";
import { mib, table } from "./lib.ts";

const ITEMS = 100_000;
const RATERS = 5;
const MISSING = 0.02;
const LABELS = ["ok", "spam", "hate", "adult"];
const ACCURACY = [0.95, 0.9, 0.85, 0.8, 0.75];

function simulated(seed: number): { ratings: (string | null)[][]; truth: Int32Array } {
  const random = new Xoshiro128StarStar(seed);
  const uniform = () => random.nextUint32() / 2 ** 32;
  const ratings: (string | null)[][] = new Array(ITEMS);
  const truth = new Int32Array(ITEMS);
  for (let i = 0; i < ITEMS; i++) {
    const draw = uniform();
    const t = draw < 0.85 ? 0 : draw < 0.93 ? 1 : draw < 0.97 ? 2 : 3;
    truth[i] = t;
    const row: (string | null)[] = new Array(RATERS);
    for (let k = 0; k < RATERS; k++) {
      if (uniform() < MISSING) row[k] = null;
      else if (uniform() < ACCURACY[k]) row[k] = LABELS[t];
      else row[k] = LABELS[(t + 1 + random.nextBelow(LABELS.length - 1)) % LABELS.length];
    }
    ratings[i] = row;
  }
  return { ratings, truth };
}

/** 100,000 items, each rated by 5 distinct raters drawn from 50 (accuracy 0.7–0.95), as count triples. */
function spreadCounts(seed: number) {
  const random = new Xoshiro128StarStar(seed);
  const uniform = () => random.nextUint32() / 2 ** 32;
  const pool = 50;
  const accuracy = Array.from({ length: pool }, (_, k) => 0.7 + (0.25 * k) / (pool - 1));
  const itemStart = new Int32Array(ITEMS + 1);
  const rater = new Int32Array(ITEMS * RATERS);
  const label = new Int32Array(ITEMS * RATERS);
  const keys = new Set<string>();
  for (let i = 0; i < ITEMS; i++) {
    itemStart[i] = i * RATERS;
    const draw = uniform();
    const t = draw < 0.85 ? 0 : draw < 0.93 ? 1 : draw < 0.97 ? 2 : 3;
    const chosen = new Set<number>();
    while (chosen.size < RATERS) chosen.add(random.nextBelow(pool));
    let e = i * RATERS;
    let key = "";
    for (const k of [...chosen].sort((a, b) => a - b)) {
      rater[e] = k;
      label[e] = uniform() < accuracy[k] ? t : (t + 1 + random.nextBelow(LABELS.length - 1)) % LABELS.length;
      key += `${k},${label[e]};`;
      e++;
    }
    keys.add(key);
  }
  itemStart[ITEMS] = ITEMS * RATERS;
  return {
    patterns: keys.size,
    counts: {
      itemCount: ITEMS,
      raterCount: pool,
      classCount: LABELS.length,
      itemStart,
      rater,
      label,
      count: new Float64Array(ITEMS * RATERS).fill(1),
    },
  };
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function timed<T>(fn: () => T): { value: T; wallMs: number; cpuMs: number } {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const value = fn();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpuStart);
  return { value, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

export async function run(): Promise<void> {
  const { ratings, truth } = simulated(16);
  const size = `${ITEMS} × ${RATERS} × ${LABELS.length}`;

  // Count triples for the EM alone (one rating per rater and item here).
  const itemStart = new Int32Array(ITEMS + 1);
  const rater: number[] = [];
  const label: number[] = [];
  const sorted = [...LABELS].sort();
  ratings.forEach((row, i) => {
    itemStart[i] = rater.length;
    row.forEach((value, k) => {
      if (value === null) return;
      rater.push(k);
      label.push(sorted.indexOf(value));
    });
  });
  itemStart[ITEMS] = rater.length;
  const counts = {
    itemCount: ITEMS,
    raterCount: RATERS,
    classCount: LABELS.length,
    itemStart,
    rater: Int32Array.from(rater),
    label: Int32Array.from(label),
    count: new Float64Array(rater.length).fill(1),
  };

  dawidSkeneCounts(counts); // warm-up
  const emRuns = [1, 2, 3].map(() => timed(() => dawidSkeneCounts(counts)));
  const em = emRuns.sort((a, b) => a.wallMs - b.wallMs)[1];

  collectGarbage();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed + before.arrayBuffers;
  let peakRss = before.rss;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed + now.arrayBuffers);
    peakRss = Math.max(peakRss, now.rss);
  }, 5);
  const full = timed(() => dawidSkene({ ratings }));
  const after = process.memoryUsage();
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, after.heapUsed + after.arrayBuffers);
  peakRss = Math.max(peakRss, after.rss);
  const fullAgain = timed(() => dawidSkene({ ratings }));

  const fit = em.value;

  // Worst case for the grouping: 100,000 items each rated by 5 of 50 raters, so nearly every pattern is distinct.
  const spread = spreadCounts(17);
  dawidSkeneCounts(spread.counts);
  const distinct = timed(() => dawidSkeneCounts(spread.counts));
  table([
    [
      "operation",
      "items × raters × classes",
      "wall ms",
      "CPU ms",
      "iterations",
      "converged",
      "ms / iteration",
    ],
    [
      "EM alone (dawidSkeneCounts, typed arrays)",
      size,
      em.wallMs,
      em.cpuMs,
      fit.iterations,
      String(fit.converged),
      em.wallMs / fit.iterations,
    ],
    [
      "dawidSkene(input): encode + EM + answer",
      size,
      Math.min(full.wallMs, fullAgain.wallMs),
      Math.min(full.cpuMs, fullAgain.cpuMs),
      full.value.iterations,
      String(full.value.converged),
      "–",
    ],
    [
      `EM, 5 of 50 raters per item (${spread.patterns} distinct patterns)`,
      `${ITEMS} × 50 (5 each) × 4`,
      distinct.wallMs,
      distinct.cpuMs,
      distinct.value.iterations,
      String(distinct.value.converged),
      distinct.wallMs / distinct.value.iterations,
    ],
  ]);

  let correct = 0;
  full.value.items.forEach((item, i) => {
    if (LABELS[truth[i]] === item.mostProbable) correct++;
  });
  console.log("");
  table([
    ["rater", "simulated accuracy", "estimated accuracy (Σ π_j θ_jj)"],
    ...ACCURACY.map((accuracy, k) => [`r${k + 1}`, accuracy, estimatedAccuracy(fit, k)]),
  ]);
  const gcNote = typeof (globalThis as { gc?: unknown }).gc === "function" ? "" : " (without --expose-gc)";
  console.log(
    `\nmost probable class = simulated truth on ${((correct / ITEMS) * 100).toFixed(2)} % of items; ` +
      `log-likelihood ${fit.logLikelihood.toFixed(3)}. One end-to-end call: heap + array buffers peaked ` +
      `${mib(peakHeap - before.heapUsed - before.arrayBuffers)} above the start (the answer's ${ITEMS} posterior ` +
      `rows are most of it), RSS grew by ${mib(peakRss - before.rss)}${gcNote}. ` +
      `Load average during the run: ${loadavg()[0].toFixed(1)}.`,
  );
}
