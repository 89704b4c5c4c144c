/**
 * Inter-rater agreement throughput on 1,000,000 items × 5 raters, 4 categories (lopsided, as moderation data:
 * 85 % "ok"), 2 % missing. Each coefficient is timed from the encoded typed arrays ("from encoded") and end
 * to end from the JSON-like matrix, i.e. encode + that coefficient ("end to end"). Medians of several runs,
 * wall-clock and process CPU time (CPU time is the steadier figure when other work shares the cores).
 */
import { loadavg } from "node:os";
import { cohenKappa } from "../stats/agreement/cohen.ts";
import { type EncodedRatings, encodeRatings, type RatingsMatrix } from "../stats/agreement/encode.ts";
import { fleissKappa } from "../stats/agreement/fleiss.ts";
import { gwetAc1 } from "../stats/agreement/gwet.ts";
import { agreement } from "../stats/agreement/index.ts";
import { krippendorffAlpha } from "../stats/agreement/krippendorff.ts";
import { pairwiseAgreement } from "../stats/agreement/pairwise.ts";
import { percentAgreement } from "../stats/agreement/percent-agreement.ts";
import { Xoshiro128StarStar } from "../stats/agreement/random.ts";
import { mib, table } from "./lib.ts";

const ITEMS = 1_000_000;
const RATERS = 5;
const MISSING = 0.02;
const LABELS = ["ok", "spam", "hate", "adult"];

/** Each item has a true label; each rater reports it with probability 0.9, else a uniformly random label. */
function moderationMatrix(items: number, raters: number, seed: number): (string | null)[][] {
  const random = new Xoshiro128StarStar(seed);
  const uniform = () => random.nextUint32() / 2 ** 32;
  const rows: (string | null)[][] = new Array(items);
  for (let i = 0; i < items; i++) {
    const draw = uniform();
    const truth = draw < 0.85 ? 0 : draw < 0.93 ? 1 : draw < 0.97 ? 2 : 3;
    const row: (string | null)[] = new Array(raters);
    for (let j = 0; j < raters; j++) {
      if (uniform() < MISSING) row[j] = null;
      else row[j] = LABELS[uniform() < 0.9 ? truth : random.nextBelow(LABELS.length)];
    }
    rows[i] = row;
  }
  return rows;
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Median wall-clock and CPU milliseconds over `runs` calls, after one warm-up call. */
function measure(fn: () => unknown, runs: number): Timing {
  fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    fn();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function encodedBytes(encoded: EncodedRatings): number {
  return encoded.codes.byteLength + encoded.counts.byteLength + encoded.ratingsPerItem.byteLength;
}

export async function run(): Promise<void> {
  const ratings: RatingsMatrix = moderationMatrix(ITEMS, RATERS, 2024);
  const ratingCount = ITEMS * RATERS;
  const perSecond = (ms: number) => (ratingCount / ms) * 1000;
  const size = `${ITEMS} × ${RATERS}`;

  collectGarbage();
  const before = process.memoryUsage();
  const encoded = encodeRatings(ratings);
  const after = process.memoryUsage();
  const encode = measure(() => encodeRatings(ratings), 7);

  const operations: [string, () => unknown, number][] = [
    ["percent agreement", () => percentAgreement(encoded), 9],
    ["Fleiss' kappa (+ se, se0, per category)", () => fleissKappa(encoded), 9],
    ["Fleiss' kappa, quadratic weights", () => fleissKappa(encoded, { weights: "quadratic" }), 5],
    ["Krippendorff's alpha, nominal", () => krippendorffAlpha(encoded), 9],
    ["Krippendorff's alpha, ordinal", () => krippendorffAlpha(encoded, { level: "ordinal" }), 5],
    ["Gwet's AC1 (+ se)", () => gwetAc1(encoded), 9],
    ["Gwet's AC2, linear", () => gwetAc1(encoded, { weights: "linear" }), 5],
    ["Cohen's kappa, raters 1–2", () => cohenKappa(encoded, 0, 1), 9],
    ["pairwise matrix (10 pairs)", () => pairwiseAgreement(encoded, ["a", "b", "c", "d", "e"]), 3],
  ];

  const rows: (string | number)[][] = [
    ["operation", "items × raters", "wall ms", "CPU ms", "ratings/s from encoded", "ratings/s end to end"],
    [
      "encode (→ Int32Array codes + counts)",
      size,
      encode.wallMs,
      encode.cpuMs,
      "–",
      perSecond(encode.wallMs),
    ],
  ];
  for (const [name, fn, runs] of operations) {
    const timing = measure(fn, runs);
    rows.push([
      name,
      size,
      timing.wallMs,
      timing.cpuMs,
      perSecond(timing.wallMs),
      perSecond(encode.wallMs + timing.wallMs),
    ]);
  }
  const full = measure(() => agreement({ ratings }), 5);
  rows.push([
    "agreement(input): all of it, incl. encode",
    size,
    full.wallMs,
    full.cpuMs,
    "–",
    perSecond(full.wallMs),
  ]);
  table(rows);

  const gcNote = typeof (globalThis as { gc?: unknown }).gc === "function" ? "" : " (without --expose-gc)";
  console.log(
    `\nencoded arrays: ${mib(encodedBytes(encoded))}, ${(encodedBytes(encoded) / ratingCount).toFixed(1)} bytes ` +
      `per rating; heap + arrayBuffers grew by ${mib(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers)} ` +
      `while encoding${gcNote}. Load average during the run: ${loadavg()[0].toFixed(1)} on this machine.`,
  );

  const small = encodeRatings(moderationMatrix(10_000, RATERS, 7));
  const nominal = measure(() => krippendorffAlpha(small, { bootstrap: { replicates: 1000, seed: 1 } }), 1);
  const ordinal = measure(
    () => krippendorffAlpha(small, { level: "ordinal", bootstrap: { replicates: 1000, seed: 1 } }),
    1,
  );
  console.log("");
  table([
    ["optional alpha bootstrap", "items × raters", "replicates", "wall ms", "CPU ms"],
    ["nominal", `10000 × ${RATERS}`, 1000, nominal.wallMs, nominal.cpuMs],
    ["ordinal", `10000 × ${RATERS}`, 1000, ordinal.wallMs, ordinal.cpuMs],
  ]);
}
