import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DawidSkeneResult,
  DS_MAX_WORK_PER_ITERATION,
  dawidSkene,
  dawidSkeneCounts,
} from "../../stats/agreement/dawid-skene.ts";
import type { RatingCounts } from "../../stats/agreement/rating-patterns.ts";
import { StatsTooExpensiveError } from "../../stats/errors.ts";
import { thrownField } from "./thrown-field.ts";

/**
 * Reference: test/fixtures/reference/dawid_skene_1979_anaesthetists.json, the anaesthetist data of Dawid & Skene
 * (1979), "Maximum likelihood estimation of observer error-rates using the EM algorithm", Applied Statistics
 * 28(1):20–28, Table 1 (45 patients, 5 observers, 4 classes; observer 1 rated every patient 3 times), as
 * transcribed in github.com/dallascard/dawid_skene. The paper's printed estimates of the class probabilities and the
 * observers' error rates (two decimals) are the fixture's `published`, a second-hand transcription (from the unit
 * test of a public Java implementation; see `published.transcription`); the printed patient posteriors are not
 * there. Beyond the printed precision the estimates are checked against the fixed point of an independent numpy
 * implementation of the paper's equations (the fixture's `recomputed`, written by
 * dawid_skene_1979_anaesthetists.py beside it), for the paper's plain M-step (pseudo-count 0) and the service's
 * 0.01.
 */
interface Recomputed {
  pseudoCount: number;
  logLikelihood: number;
  priors: number[];
  errorRates: number[][][];
  posteriors: number[][];
}
const fixture = JSON.parse(
  readFileSync(new URL("../fixtures/reference/dawid_skene_1979_anaesthetists.json", import.meta.url), "utf8"),
) as {
  classes: number[];
  data: { patients: number[][][] };
  recomputed: Record<"pseudoCount0" | "pseudoCount0.01", Recomputed>;
  published: { precision: number; priors: number[]; errorRates: number[][][] };
};

/** The patients' ratings as count triples (observer 1's three ratings of a patient add up in one entry). */
function anaesthetistCounts(): RatingCounts {
  const { patients } = fixture.data;
  const itemStart = new Int32Array(patients.length + 1);
  const rater: number[] = [];
  const label: number[] = [];
  const count: number[] = [];
  patients.forEach((observers, i) => {
    itemStart[i] = rater.length;
    observers.forEach((labels, k) => {
      const tally = new Map<number, number>();
      for (const l of labels) tally.set(l, (tally.get(l) ?? 0) + 1);
      for (const [l, c] of tally) {
        rater.push(k);
        label.push(fixture.classes.indexOf(l));
        count.push(c);
      }
    });
  });
  itemStart[patients.length] = rater.length;
  return {
    itemCount: patients.length,
    raterCount: 5,
    classCount: 4,
    itemStart,
    rater: Int32Array.from(rater),
    label: Int32Array.from(label),
    count: Float64Array.from(count),
  };
}

describe("dawidSkeneCounts on the Dawid & Skene (1979) anaesthetist data (dawid_skene_1979_anaesthetists.json)", () => {
  it("the fixture holds Table 1's shape: 45 patients × 5 observers, 315 ratings, observer 1 three per patient", () => {
    const { patients } = fixture.data;
    expect(patients).toHaveLength(45);
    expect(
      patients.every((p) => p.length === 5 && p[0].length === 3 && p.slice(1).every((r) => r.length === 1)),
    ).toBe(true);
    expect(patients.flat(2)).toHaveLength(315);
  });

  for (const key of ["pseudoCount0", "pseudoCount0.01"] as const) {
    it(`matches the independent numpy fixed point (${key}): priors, all 5 error-rate tables, 45 posteriors, log-likelihood`, () => {
      const reference = fixture.recomputed[key];
      const fit = dawidSkeneCounts(anaesthetistCounts(), { pseudoCount: reference.pseudoCount });
      expect(fit.converged).toBe(true);
      expect(fit.iterations).toBeLessThan(200);
      // EM stops at |Δ log-likelihood| < 1e-10; the reference ran to 1e-13, so estimates agree to ~1e-6.
      expect(fit.logLikelihood).toBeCloseTo(reference.logLikelihood, 8);
      for (const [j, p] of reference.priors.entries()) expect(fit.priors[j]).toBeCloseTo(p, 6);
      for (let k = 0; k < 5; k++)
        for (let j = 0; j < 4; j++)
          for (let l = 0; l < 4; l++)
            expect(fit.confusion[k * 16 + j * 4 + l], `θ[${k}][${j}][${l}]`).toBeCloseTo(
              reference.errorRates[k][j][l],
              6,
            );
      for (const [i, row] of reference.posteriors.entries())
        for (const [j, t] of row.entries())
          expect(fit.posteriors[i * 4 + j], `T[${i}][${j}]`).toBeCloseTo(t, 6);
    });
  }

  it("matches the paper's printed class probabilities and all 5 error-rate tables to their two decimals (pseudo-count 0)", () => {
    const { published } = fixture;
    const fit = dawidSkeneCounts(anaesthetistCounts(), { pseudoCount: 0 });
    for (const [j, p] of published.priors.entries())
      expect(Math.abs(fit.priors[j] - p), `π[${j}]`).toBeLessThanOrEqual(published.precision);
    for (let k = 0; k < 5; k++)
      for (let j = 0; j < 4; j++)
        for (let l = 0; l < 4; l++)
          expect(
            Math.abs(fit.confusion[k * 16 + j * 4 + l] - published.errorRates[k][j][l]),
            `θ[${k}][${j}][${l}]`,
          ).toBeLessThanOrEqual(published.precision);
  });

  it("the service's pseudo-count 0.01 keeps the printed class probabilities 0.40, 0.42, 0.11, 0.07", () => {
    const fit = dawidSkeneCounts(anaesthetistCounts(), { pseudoCount: 0.01 });
    expect(Array.from(fit.priors, (p) => p.toFixed(2))).toEqual(["0.40", "0.42", "0.11", "0.07"]);
  });

  it("the log-likelihood never decreases from one iteration to the next (EM ascent, pseudo-count 0)", () => {
    let previous = Number.NEGATIVE_INFINITY;
    for (let iterations = 1; iterations <= 40; iterations++) {
      const fit = dawidSkeneCounts(anaesthetistCounts(), {
        pseudoCount: 0,
        maxIterations: iterations,
        tolerance: 0,
      });
      expect(fit.logLikelihood).toBeGreaterThanOrEqual(previous - 1e-9);
      previous = fit.logLikelihood;
    }
  });

  it("grouping identical items changes nothing: every patient twice (pseudo-count 0) gives the same estimates", () => {
    const once = anaesthetistCounts();
    const n = once.itemCount;
    const entries = once.itemStart[n];
    const itemStart = new Int32Array(2 * n + 1);
    for (let i = 0; i <= n; i++) itemStart[i] = once.itemStart[i];
    for (let i = 1; i <= n; i++) itemStart[n + i] = entries + once.itemStart[i];
    const twice: RatingCounts = {
      ...once,
      itemCount: 2 * n,
      itemStart,
      rater: Int32Array.from([...once.rater, ...once.rater]),
      label: Int32Array.from([...once.label, ...once.label]),
      count: Float64Array.from([...once.count, ...once.count]),
    };
    const a = dawidSkeneCounts(once, { pseudoCount: 0 });
    const b = dawidSkeneCounts(twice, { pseudoCount: 0 });
    expect(b.logLikelihood).toBeCloseTo(2 * a.logLikelihood, 7);
    for (const [j, p] of a.priors.entries()) expect(b.priors[j]).toBeCloseTo(p, 9);
    for (const [x, theta] of a.confusion.entries()) expect(b.confusion[x]).toBeCloseTo(theta, 9);
    for (const [x, t] of a.posteriors.entries()) {
      expect(b.posteriors[x]).toBeCloseTo(t, 9);
      expect(b.posteriors[n * 4 + x]).toBe(b.posteriors[x]);
    }
  });

  it("reports converged: false with the iteration count when the iteration cap is reached first", () => {
    const fit = dawidSkeneCounts(anaesthetistCounts(), { maxIterations: 3 });
    expect(fit.converged).toBe(false);
    expect(fit.iterations).toBe(3);
  });
});

describe("dawidSkene(input): the ratings of POST /v1/agreement", () => {
  it("names raters and classes, gives confusion rows summing to 1 and the estimated accuracy Σ π_j θ_jj", () => {
    const result = dawidSkene({
      ratings: [
        ["ok", "ok", "hate"],
        ["hate", "hate", "hate"],
        ["ok", null, "ok"],
        ["ok", "ok", "ok"],
      ],
      raters: ["ann", "bo", "cy"],
    });
    expect(result.method).toBe("dawid-skene-em");
    expect(result.classes).toEqual(["hate", "ok"]);
    expect(result.raters.map((r) => r.rater)).toEqual(["ann", "bo", "cy"]);
    expect(result.raters.map((r) => r.ratings)).toEqual([4, 3, 4]);
    for (const rater of result.raters) {
      for (const row of rater.confusion) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      const accuracy = result.priors.reduce((sum, p, j) => sum + p * rater.confusion[j][j], 0);
      expect(rater.estimatedAccuracy).toBeCloseTo(accuracy, 14);
    }
    expect(result.items.map((item) => item.mostProbable)).toEqual(["ok", "hate", "ok", "ok"]);
    expect(result.pseudoCount).toBe(0.01);
    expect(result.tolerance).toBe(1e-10);
    expect(result.maxIterations).toBe(1000);
    expect(Number.isFinite(result.logLikelihood)).toBe(true);
  });

  it("an item nobody rated gets the class priors as its posterior", () => {
    const result = dawidSkene({
      ratings: [
        ["a", "a"],
        ["b", "b"],
        [null, null],
        ["a", "b"],
      ],
    });
    for (const [j, p] of result.items[2].posterior.entries()) expect(p).toBeCloseTo(result.priors[j], 12);
  });

  it("gold items keep their class even when every rater says otherwise, and count in goldItems", () => {
    const result = dawidSkene({
      ratings: [
        ["a", "a", "a"],
        ["b", "b", "b"],
        ["a", "a", "a"],
        ["b", "b", "a"],
      ],
      gold: ["b", null, null, "a"],
    });
    expect(result.goldItems).toBe(2);
    expect(result.items[0]).toMatchObject({ posterior: [0, 1], mostProbable: "b", gold: true });
    expect(result.items[3]).toMatchObject({ posterior: [1, 0], mostProbable: "a", gold: true });
    expect(result.items[1].gold).toBe(false);
  });

  it("refuses bad gold (length, a label outside the categories) and a single category, naming the field", () => {
    expect(thrownField(() => dawidSkene({ ratings: [["a", "b"]], gold: [] }))).toBe("gold");
    expect(thrownField(() => dawidSkene({ ratings: [["a", "b"]], gold: ["c"] }))).toBe("gold.0");
    expect(thrownField(() => dawidSkene({ ratings: [["a", "b"]], gold: [{} as never] }))).toBe("gold.0");
    expect(thrownField(() => dawidSkene({ ratings: [["a", "a"]] }))).toBe("categories");
    expect(thrownField(() => dawidSkene({ ratings: [] }))).toBe("ratings");
    expect(thrownField(() => dawidSkene({ ratings: [["a", 1, {}]] as never }))).toBe("ratings.0.2");
    // one category observed but two declared: fine
    expect(dawidSkene({ ratings: [["a", "a"]], categories: ["a", "b"] }).items[0].mostProbable).toBe("a");
  });

  it("refuses input over the per-iteration budget with StatsTooExpensiveError on ratings, before any work", () => {
    const raters = 100;
    const categories = Array.from({ length: 200 }, (_, j) => j);
    const items = Math.ceil(DS_MAX_WORK_PER_ITERATION / (raters * 200)) + 1;
    const row = Array.from({ length: raters }, (_, k) => k % 200);
    const ratings = Array.from({ length: items }, () => row);
    try {
      dawidSkene({ ratings, categories });
      throw new Error("expected a refusal");
    } catch (error) {
      expect(error).toBeInstanceOf(StatsTooExpensiveError);
      expect((error as StatsTooExpensiveError).field).toBe("ratings");
      expect((error as StatsTooExpensiveError).limit).toBeGreaterThan(0);
    }
  });

  it("refuses malformed counts in the lower-level function", () => {
    const base = anaesthetistCounts();
    expect(thrownField(() => dawidSkeneCounts({ ...base, classCount: 1 }))).toBe("counts");
    expect(thrownField(() => dawidSkeneCounts({ ...base, label: base.label.map(() => 7) }))).toBe("counts");
    expect(thrownField(() => dawidSkeneCounts(base, { gold: new Int32Array(3) }))).toBe("gold");
    expect(thrownField(() => dawidSkeneCounts(base, { pseudoCount: -1 }))).toBe("pseudoCount");
  });
});

type Cell = number | null;
const RUNS = { numRuns: 60, seed: 16 };

/** Ratings matrices with 2–30 items, 2–5 raters, labels 1–4 and about 20 % missing. */
const matrices = fc
  .integer({ min: 2, max: 5 })
  .chain((raters) =>
    fc.array(
      fc.array(fc.option(fc.integer({ min: 1, max: 4 }), { freq: 5, nil: null }), {
        minLength: raters,
        maxLength: raters,
      }),
      { minLength: 2, maxLength: 30 },
    ),
  )
  .filter((rows) => new Set(rows.flat().filter((x) => x !== null)).size >= 2);

const permutation = (length: number) =>
  fc.array(fc.nat(), { minLength: length, maxLength: length }).map((keys) =>
    keys
      .map((key, index) => [key, index] as const)
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .map(([, i]) => i),
  );

const CATEGORIES = [1, 2, 3, 4];
const estimate = (ratings: Cell[][], gold?: (Cell | null)[]) =>
  dawidSkene({ ratings, categories: CATEGORIES, gold });
const TOLERANCE = 1e-6;
const near = (a: number, b: number) => Math.abs(a - b) <= TOLERANCE;

describe("dawidSkene properties (fast-check)", () => {
  it("posteriors and confusion rows sum to 1; priors sum to 1; every value in [0, 1]", () => {
    fc.assert(
      fc.property(matrices, (ratings) => {
        const result = estimate(ratings);
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        expect(sum(result.priors)).toBeCloseTo(1, 12);
        for (const item of result.items) {
          expect(sum(item.posterior)).toBeCloseTo(1, 12);
          for (const p of item.posterior) expect(p >= 0 && p <= 1).toBe(true);
        }
        for (const rater of result.raters)
          for (const row of rater.confusion) expect(sum(row)).toBeCloseTo(1, 12);
      }),
      RUNS,
    );
  });

  it("is invariant under permuting items and raters", () => {
    const cases = matrices.chain((ratings) =>
      fc.tuple(fc.constant(ratings), permutation(ratings.length), permutation(ratings[0].length)),
    );
    fc.assert(
      fc.property(cases, ([ratings, items, raters]) => {
        const a = estimate(ratings);
        const b = estimate(items.map((i) => raters.map((k) => ratings[i][k])));
        for (const [j, p] of a.priors.entries()) expect(near(b.priors[j], p)).toBe(true);
        for (const [position, i] of items.entries())
          for (const [j, p] of a.items[i].posterior.entries())
            expect(near(b.items[position].posterior[j], p)).toBe(true);
        for (const [position, k] of raters.entries())
          for (const [j, row] of a.raters[k].confusion.entries())
            for (const [l, x] of row.entries())
              expect(near(b.raters[position].confusion[j][l], x)).toBe(true);
        expect(Math.abs(a.logLikelihood - b.logLikelihood)).toBeLessThan(1e-6);
      }),
      RUNS,
    );
  });

  it("is equivariant under relabelling the classes", () => {
    const cases = matrices.chain((ratings) => fc.tuple(fc.constant(ratings), permutation(4)));
    fc.assert(
      fc.property(cases, ([ratings, perm]) => {
        // label c becomes perm[c - 1] + 1; categories stay [1, 2, 3, 4]
        const relabel = (c: Cell) => (c === null ? null : perm[c - 1] + 1);
        const a = estimate(ratings);
        const b = estimate(ratings.map((row) => row.map(relabel)));
        for (let j = 0; j < 4; j++) {
          const jb = perm[j];
          expect(near(b.priors[jb], a.priors[j])).toBe(true);
          for (const [i, item] of a.items.entries())
            expect(near(b.items[i].posterior[jb], item.posterior[j])).toBe(true);
          for (const [k, rater] of a.raters.entries())
            for (const [l, x] of rater.confusion[j].entries())
              expect(near(b.raters[k].confusion[jb][perm[l]], x)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("with perfect raters (all agree on every item) the most probable class is the label, with posterior > 0.99", () => {
    const cases = fc.tuple(
      fc.integer({ min: 2, max: 6 }),
      fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 40 }),
    );
    fc.assert(
      fc.property(cases, ([raters, truth]) => {
        const result = estimate(truth.map((label) => Array.from({ length: raters }, () => label)));
        truth.forEach((label, i) => {
          expect(result.items[i].mostProbable).toBe(label);
          expect(result.items[i].posterior[label - 1]).toBeGreaterThan(0.99);
        });
      }),
      RUNS,
    );
  });

  it("gold items keep their class (one-hot posterior) whatever the ratings", () => {
    const cases = matrices.chain((ratings) =>
      fc.tuple(
        fc.constant(ratings),
        fc.array(fc.option(fc.integer({ min: 1, max: 4 }), { freq: 2, nil: null }), {
          minLength: ratings.length,
          maxLength: ratings.length,
        }),
      ),
    );
    fc.assert(
      fc.property(cases, ([ratings, gold]) => {
        const result: DawidSkeneResult = estimate(ratings, gold);
        gold.forEach((g, i) => {
          if (g === null) return;
          expect(result.items[i].gold).toBe(true);
          expect(result.items[i].mostProbable).toBe(g);
          expect(result.items[i].posterior).toEqual(CATEGORIES.map((c) => (c === g ? 1 : 0)));
        });
      }),
      RUNS,
    );
  });
});
