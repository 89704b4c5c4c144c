import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AgreementInput, type AgreementResult, agreement } from "../../../stats/agreement/index.ts";
import { numbersIn } from "./helpers.ts";

type Cell = number | null;

/** Ratings matrices with 1–25 items, 2–5 raters, labels 1–4 and about 20 % missing. */
const matrices = (minRaters = 2, maxRaters = 5, missing = true) =>
  fc
    .integer({ min: minRaters, max: maxRaters })
    .chain((raters) =>
      fc.array(
        fc.array(
          missing
            ? fc.option(fc.integer({ min: 1, max: 4 }), { freq: 5, nil: null })
            : fc.integer({ min: 1, max: 4 }),
          { minLength: raters, maxLength: raters },
        ),
        { minLength: 1, maxLength: 25 },
      ),
    );

const permutation = (length: number) =>
  fc.array(fc.nat(), { minLength: length, maxLength: length }).map((keys) =>
    keys
      .map((key, index) => [key, index] as const)
      .sort((a, b) => a[0] - b[0] || a[1] - b[1])
      .map(([, i]) => i),
  );

const withPermutations = matrices().chain((ratings) =>
  fc.tuple(fc.constant(ratings), permutation(ratings.length), permutation(ratings[0].length)),
);

const RUNS = { numRuns: 150, seed: 42 };

function close(actual: number | null, expected: number | null, tolerance = 1e-12): boolean {
  if (actual === null || expected === null) return actual === expected;
  return Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
}

/** Coefficients that do not depend on item order, rater order or (unweighted, nominal) category names. */
function invariants(result: AgreementResult): (number | null)[] {
  return [
    result.percentAgreement,
    result.fleiss.kappa,
    result.fleiss.se,
    result.fleiss.se0,
    result.gwet.ac1,
    result.gwet.se,
    result.krippendorff.alpha,
    result.itemsRated,
    result.itemsPairable,
  ];
}

function expectSameInvariants(actual: AgreementResult, expected: AgreementResult): void {
  const a = invariants(actual);
  const e = invariants(expected);
  a.forEach((value, i) => {
    expect(close(value, e[i]), `invariant ${i}: ${value} vs ${e[i]}`).toBe(true);
  });
}

const levels = ["nominal", "ordinal", "interval", "ratio"] as const;
const weightings = ["unweighted", "linear", "quadratic"] as const;

describe("agreement properties (fast-check, seed 42)", () => {
  it("agreement(input) is invariant under permuting items, for every weighting and level", () => {
    fc.assert(
      fc.property(
        withPermutations,
        fc.constantFrom(...weightings),
        fc.constantFrom(...levels),
        ([ratings, items], weights, level) => {
          const input: AgreementInput = { ratings, weights, level, categories: [1, 2, 3, 4] };
          const shuffled = { ...input, ratings: items.map((i) => ratings[i]) };
          const original = agreement(input);
          const permuted = agreement(shuffled);
          expectSameInvariants(permuted, original);
          permuted.pairwise.forEach((pair, i) => {
            expect(close(pair.kappa, original.pairwise[i].kappa)).toBe(true);
            expect(close(pair.percentAgreement, original.pairwise[i].percentAgreement)).toBe(true);
          });
        },
      ),
      RUNS,
    );
  });

  it("agreement(input) is invariant under permuting raters (pairwise entries follow the names)", () => {
    fc.assert(
      fc.property(withPermutations, fc.constantFrom(...weightings), ([ratings, , raters], weights) => {
        const names = ratings[0].map((_, j) => `rater${j}`);
        const original = agreement({ ratings, raters: names, weights });
        const permuted = agreement({
          ratings: ratings.map((row) => raters.map((j) => row[j])),
          raters: raters.map((j) => names[j]),
          weights,
        });
        expectSameInvariants(permuted, original);
        const key = (pair: { raters: [string, string] }) => [...pair.raters].sort().join("|");
        const byPair = new Map(original.pairwise.map((pair) => [key(pair), pair]));
        for (const pair of permuted.pairwise) {
          const match = byPair.get(key(pair))!;
          expect(close(pair.kappa, match.kappa)).toBe(true);
          expect(pair.items).toBe(match.items);
        }
      }),
      RUNS,
    );
  });

  it("unweighted nominal results are invariant under renaming categories (also when the order changes)", () => {
    const names = ["spam", "ok", "hate", "adult"];
    fc.assert(
      fc.property(matrices(), permutation(4), (ratings, renaming) => {
        const renamed = ratings.map((row) =>
          row.map((label) => (label === null ? null : names[renaming[label - 1]])),
        );
        const original = agreement({ ratings });
        const result = agreement({ ratings: renamed });
        expectSameInvariants(result, original);
        result.pairwise.forEach((pair, i) => {
          expect(close(pair.kappa, original.pairwise[i].kappa)).toBe(true);
        });
        for (const category of original.fleiss.perCategory) {
          const match = result.fleiss.perCategory.find(
            (c) => c.category === names[renaming[(category.category as number) - 1]],
          )!;
          expect(close(match.kappa, category.kappa)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("perfect agreement gives 1 for every coefficient that is defined", () => {
    const perfect = fc
      .tuple(
        fc.integer({ min: 2, max: 5 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 20 }),
      )
      .filter(([, labels]) => new Set(labels).size >= 2)
      .chain(([raters, labels]) =>
        fc.tuple(
          fc.constant(labels.map((label) => Array<Cell>(raters).fill(label))),
          fc.array(fc.array(fc.boolean(), { minLength: raters, maxLength: raters }), {
            minLength: labels.length,
            maxLength: labels.length,
          }),
        ),
      );
    fc.assert(
      fc.property(
        perfect,
        fc.constantFrom(...weightings),
        fc.constantFrom(...levels),
        ([ratings, drop], weights, level) => {
          // Drop some ratings but keep at least two per item, so every item stays pairable.
          const thinned = ratings.map((row, i) =>
            row.map((label, j) => (j >= 2 && drop[i][j] ? null : label)),
          );
          const result = agreement({ ratings: thinned, weights, level });
          expect(result.percentAgreement).toBe(1);
          expect(result.fleiss.kappa).toBeCloseTo(1, 12);
          expect(result.gwet.ac1).toBeCloseTo(1, 12);
          expect(result.krippendorff.alpha).toBeCloseTo(1, 12);
          for (const pair of result.pairwise) if (pair.kappa !== null) expect(pair.kappa).toBeCloseTo(1, 12);
          if (result.cohen?.kappa != null) expect(result.cohen.kappa).toBeCloseTo(1, 12);
        },
      ),
      RUNS,
    );
  });

  it("coefficients stay within their bounds and no number in the result is NaN or infinite", () => {
    fc.assert(
      fc.property(
        matrices(),
        fc.constantFrom(...weightings),
        fc.constantFrom(...levels),
        (ratings, weights, level) => {
          const result = agreement({ ratings, weights, level });
          for (const [path, value] of numbersIn(result)) expect(Number.isFinite(value), path).toBe(true);
          const atMostOne = [
            result.fleiss.kappa,
            result.gwet.ac1,
            result.krippendorff.alpha,
            result.cohen?.kappa ?? null,
            result.fleiss.upper,
            result.gwet.upper,
            ...result.fleiss.perCategory.map((c) => c.kappa),
            ...result.pairwise.map((pair) => pair.kappa),
          ];
          for (const value of atMostOne) if (value !== null) expect(value).toBeLessThanOrEqual(1 + 1e-12);
          const shares = [result.percentAgreement, ...result.pairwise.map((pair) => pair.percentAgreement)];
          for (const share of shares) {
            if (share === null) continue;
            expect(share).toBeGreaterThanOrEqual(0);
            expect(share).toBeLessThanOrEqual(1);
          }
          for (const se of [result.fleiss.se, result.fleiss.se0, result.gwet.se])
            if (se !== null) expect(se).toBeGreaterThanOrEqual(0);
        },
      ),
      RUNS,
    );
  });

  it("with two raters, cohen equals the pairwise entry", () => {
    fc.assert(
      fc.property(matrices(2, 2), fc.constantFrom(...weightings), (ratings, weights) => {
        const result = agreement({ ratings, weights });
        expect(result.pairwise).toHaveLength(1);
        expect(result.cohen!.kappa).toBe(result.pairwise[0].kappa);
        expect(result.cohen!.items).toBe(result.pairwise[0].items);
      }),
      RUNS,
    );
  });

  it("Fleiss' kappa on two raters with complete data equals Scott's pi computed independently", () => {
    fc.assert(
      fc.property(matrices(2, 2, false), (ratings) => {
        const n = ratings.length;
        const agreeing = ratings.filter(([a, b]) => a === b).length;
        let chance = 0;
        for (const label of [1, 2, 3, 4]) {
          const share = ratings.flat().filter((value) => value === label).length / (2 * n);
          chance += share * share;
        }
        const scottPi = chance === 1 ? null : (agreeing / n - chance) / (1 - chance);
        const kappa = agreement({ ratings }).fleiss.kappa;
        expect(close(kappa, scottPi, 1e-12), `${kappa} vs ${scottPi}`).toBe(true);
      }),
      RUNS,
    );
  });

  it("dropping (or adding) a fully missing item changes nothing", () => {
    fc.assert(
      fc.property(
        matrices(),
        fc.nat(),
        fc.constantFrom(...weightings),
        fc.constantFrom(...levels),
        (ratings, at, weights, level) => {
          const position = at % (ratings.length + 1);
          const blank = Array<Cell>(ratings[0].length).fill(null);
          const withBlank = [...ratings.slice(0, position), blank, ...ratings.slice(position)];
          const original = agreement({ ratings, weights, level, categories: [1, 2, 3, 4] });
          const padded = agreement({ ratings: withBlank, weights, level, categories: [1, 2, 3, 4] });
          expect(padded.items).toBe(original.items + 1);
          expect({ ...padded, items: original.items }).toEqual(original);
        },
      ),
      RUNS,
    );
  });

  it("with two categories, linear and quadratic weights equal the unweighted coefficients", () => {
    fc.assert(
      fc.property(matrices(), (ratings) => {
        const binary = ratings.map((row) => row.map((label) => (label === null ? null : label % 2)));
        const unweighted = agreement({ ratings: binary, categories: [0, 1] });
        for (const weights of ["linear", "quadratic"] as const) {
          const weighted = agreement({ ratings: binary, categories: [0, 1], weights });
          // se0 (Fleiss, Nee & Landis 1979) is defined for unweighted kappa only.
          expectSameInvariants(
            { ...weighted, fleiss: { ...weighted.fleiss, se0: unweighted.fleiss.se0 } },
            unweighted,
          );
          expect(weighted.fleiss.se0).toBeNull();
          expect(weighted.cohen?.kappa ?? null).toBe(unweighted.cohen?.kappa ?? null);
        }
      }),
      RUNS,
    );
  });
});
