import { describe, expect, it } from "vitest";
import { cohenKappaFromTable } from "../../../stats/agreement/cohen.ts";
import { compareLabels, encodeRatings } from "../../../stats/agreement/encode.ts";
import { agreement } from "../../../stats/agreement/index.ts";
import { landisKoch } from "../../../stats/agreement/interpretation.ts";
import { krippendorffAlpha } from "../../../stats/agreement/krippendorff.ts";
import { StatsInputError } from "../../../stats/errors.ts";
import { numbersIn } from "./helpers.ts";

function inputError(run: () => unknown): StatsInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StatsInputError);
    return error as StatsInputError;
  }
  throw new Error("expected a StatsInputError");
}

function expectNoNaN(result: unknown): void {
  for (const [path, value] of numbersIn(result)) expect(Number.isFinite(value), path).toBe(true);
}

describe("agreement(input) response shape", () => {
  const ratings = [
    ["ok", "ok", "spam"],
    ["spam", "spam", "spam"],
    ["ok", null, "ok"],
    ["ok", "ok", "ok"],
  ];

  it("agreement(input) returns the POST /v1/agreement fields with default raters, categories and options", () => {
    const result = agreement({ ratings });
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining([
        "items",
        "raters",
        "categories",
        "percentAgreement",
        "cohen",
        "fleiss",
        "krippendorff",
        "gwet",
        "pairwise",
      ]),
    );
    expect(result.items).toBe(4);
    expect(result.raters).toEqual(["r1", "r2", "r3"]);
    expect(result.categories).toEqual(["ok", "spam"]);
    expect(result.level).toBe("nominal");
    expect(result.weights).toBe("unweighted");
    expect(result.confidence).toBe(0.95);
    expect(result.cohen).toBeNull();
    for (const key of ["kappa", "se", "se0", "z", "p", "lower", "upper", "perCategory"])
      expect(result.fleiss).toHaveProperty(key);
    for (const key of ["alpha", "level"]) expect(result.krippendorff).toHaveProperty(key);
    for (const key of ["ac1", "se", "lower", "upper"]) expect(result.gwet).toHaveProperty(key);
    expect(result.pairwise.map((pair) => pair.raters)).toEqual([
      ["r1", "r2"],
      ["r1", "r3"],
      ["r2", "r3"],
    ]);
    expect(result.pairwise[0]).toMatchObject({ items: 3, percentAgreement: 1, kappa: 1 });
    expect(result.pairwise[1]).toMatchObject({ items: 4, percentAgreement: 0.75 });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it("agreement(input) reports its hand-computed percent agreement: (1/3 + 1 + 1 + 1)/4", () => {
    expect(agreement({ ratings }).percentAgreement).toBeCloseTo(10 / 12, 15);
  });

  it("agreement(input) uses the given rater names and category order, and states the weights in each coefficient", () => {
    const result = agreement({
      ratings: ratings.map((row) => row.slice(0, 2)),
      raters: ["ann", "bob"],
      categories: ["spam", "ok", "hate"],
      weights: "linear",
      level: "ordinal",
      confidence: 0.9,
    });
    expect(result.raters).toEqual(["ann", "bob"]);
    expect(result.categories).toEqual(["spam", "ok", "hate"]);
    expect(result.cohen!.weights).toBe("linear");
    expect(result.fleiss.weights).toBe("linear");
    expect(result.gwet.weights).toBe("linear");
    expect(result.gwet.coefficient).toBe("AC2");
    expect(result.krippendorff.level).toBe("ordinal");
    expect(result.cohen!.confidence).toBe(0.9);
    expect(result.fleiss.perCategory.map((c) => c.category)).toEqual(["spam", "ok", "hate"]);
    expect(result.fleiss.perCategory[2].kappa).toBeNull();
    expect(result.fleiss.perCategory[2].undefinedReason).toMatch(/no rating/);
  });

  it("cohen's interval is kappa ± z·se (normal) and Fleiss/Gwet intervals use t(n − 1), clipped at 1", () => {
    const result = agreement({ ratings: ratings.map((row) => row.slice(0, 2)), confidence: 0.9 });
    const cohen = result.cohen!;
    expect(cohen.upper! - cohen.kappa!).toBeCloseTo(1.6448536269514722 * cohen.se!, 12);
    expect(result.fleiss.upper).toBeLessThanOrEqual(1);
  });

  it("labels sort numbers first (numerically), then strings by code point", () => {
    expect(["b", 10, "B", 2, "é", "z"].sort(compareLabels)).toEqual([2, 10, "B", "b", "z", "é"]);
    expect(["\u{1F600}", "\uFF5E"].sort(compareLabels)).toEqual(["\uFF5E", "\u{1F600}"]);
    expect(
      agreement({
        ratings: [
          [10, 9],
          [2, "x"],
        ],
      }).categories,
    ).toEqual([2, 9, 10, "x"]);
  });

  it("landisKoch(value) uses inclusive upper bounds", () => {
    expect([-0.01, 0, 0.2, 0.21, 0.4, 0.6, 0.8, 0.81, 1].map(landisKoch)).toEqual([
      "poor",
      "slight",
      "slight",
      "fair",
      "fair",
      "moderate",
      "substantial",
      "almost perfect",
      "almost perfect",
    ]);
    expect(landisKoch(null)).toBeNull();
  });
});

describe("agreement(input) on degenerate data", () => {
  it("a single category: kappa and alpha are null with a reason, percent agreement and AC1 are 1", () => {
    const result = agreement({
      ratings: [
        ["ok", "ok"],
        ["ok", "ok"],
        ["ok", null],
      ],
    });
    expect(result.percentAgreement).toBe(1);
    expect(result.gwet.ac1).toBe(1);
    expect(result.gwet.pe).toBe(0);
    expect(result.fleiss.kappa).toBeNull();
    expect(result.fleiss.undefinedReason).toMatch(/single category/);
    expect(result.fleiss.se).toBeNull();
    expect(result.fleiss.z).toBeNull();
    expect(result.krippendorff.alpha).toBeNull();
    expect(result.krippendorff.undefinedReason).toMatch(/expected disagreement is 0/);
    expect(result.cohen!.kappa).toBeNull();
    expect(result.cohen!.undefinedReason).toMatch(/chance agreement is 1/);
    expect(result.pairwise[0]).toMatchObject({ kappa: null, percentAgreement: 1, items: 2 });
    expectNoNaN(result);
  });

  it("a single category used out of several given: AC1 = percent agreement, kappa and alpha null", () => {
    const result = agreement({
      ratings: [
        ["ok", "ok"],
        ["ok", "ok"],
      ],
      categories: ["ok", "spam", "hate"],
    });
    expect(result.gwet.ac1).toBe(1);
    expect(result.fleiss.kappa).toBeNull();
    expect(result.fleiss.perCategory.map((c) => c.kappa)).toEqual([null, null, null]);
    expect(result.krippendorff.alpha).toBeNull();
    expectNoNaN(result);
  });

  it("no pairable values (at most one rating per item, e.g. one rater only): everything is null with a reason", () => {
    const result = agreement({
      ratings: [
        ["ok", null, null],
        ["spam", null, null],
        [null, null, "ok"],
      ],
      weights: "quadratic",
    });
    expect(result.percentAgreement).toBeNull();
    expect(result.percentAgreementUndefinedReason).toMatch(/two or more ratings/);
    expect(result.fleiss.kappa).toBeNull();
    expect(result.gwet.ac1).toBeNull();
    expect(result.gwet.undefinedReason).toMatch(/two or more ratings/);
    expect(result.krippendorff.alpha).toBeNull();
    expect(result.krippendorff.undefinedReason).toMatch(/nothing pairable/);
    expect(
      result.pairwise.every(
        (pair) => pair.kappa === null && pair.items === 0 && pair.percentAgreement === null,
      ),
    ).toBe(true);
    expect(result.pairwise[0].undefinedReason).toMatch(/no item was rated by both/);
    expectNoNaN(result);
  });

  it("all ratings missing: no categories, every coefficient null", () => {
    const result = agreement({
      ratings: [
        [null, null],
        [null, null],
      ],
    });
    expect(result.categories).toEqual([]);
    expect(result.itemsRated).toBe(0);
    expect(result.fleiss.kappa).toBeNull();
    expect(result.gwet.ac1).toBeNull();
    expect(result.krippendorff.alpha).toBeNull();
    expect(result.cohen!.kappa).toBeNull();
    expectNoNaN(result);
  });

  it("n = 0 items with named raters: a defined, all-null answer", () => {
    const result = agreement({ ratings: [], raters: ["a", "b", "c"] });
    expect(result.items).toBe(0);
    expect(result.percentAgreement).toBeNull();
    expect(result.fleiss.kappa).toBeNull();
    expect(result.krippendorff.alpha).toBeNull();
    expect(result.pairwise).toHaveLength(3);
    expectNoNaN(result);
  });

  it("one rated item: kappa defined, its standard error null (needs n ≥ 2)", () => {
    const result = agreement({ ratings: [["ok", "spam", "spam"]] });
    expect(result.fleiss.kappa).toBeCloseTo((1 / 3 - 5 / 9) / (1 - 5 / 9), 15);
    expect(result.fleiss.se).toBeNull();
    expect(result.fleiss.seUndefinedReason).toMatch(/two rated items/);
    expect(result.fleiss.lower).toBeNull();
    expect(result.gwet.se).toBeNull();
    expectNoNaN(result);
  });

  it("perfect agreement: se = 0 gives the degenerate interval [1, 1]; Cohen's se0 > 0 keeps z defined", () => {
    const result = agreement({
      ratings: [
        ["a", "a"],
        ["b", "b"],
        ["a", "a"],
      ],
    });
    expect(result.fleiss.kappa).toBe(1);
    expect(result.fleiss.se).toBe(0);
    expect(result.fleiss.lower).toBe(1);
    expect(result.fleiss.upper).toBe(1);
    expect(result.cohen!.se).toBe(0);
    expect(result.cohen!.z).toBeGreaterThan(0);
  });

  it("cohenKappaFromTable of an empty table is null with a reason", () => {
    const result = cohenKappaFromTable([
      [0, 0],
      [0, 0],
    ]);
    expect(result.kappa).toBeNull();
    expect(result.undefinedReason).toMatch(/no item/);
    expectNoNaN(result);
  });
});

describe("agreement(input) input errors name the offending field", () => {
  it("a ragged row → StatsInputError at ratings.i.j of the first missing or extra column", () => {
    expect(
      inputError(() =>
        agreement({
          ratings: [
            ["a", "b", "c"],
            ["a", "b"],
          ],
        }),
      ).field,
    ).toBe("ratings.1.2");
    expect(
      inputError(() =>
        agreement({
          ratings: [
            ["a", "b"],
            ["a", "b", "c"],
          ],
        }),
      ).field,
    ).toBe("ratings.1.2");
    expect(
      inputError(() =>
        agreement({
          ratings: [
            ["a", "b"],
            ["a", "b", "c"],
          ],
          raters: ["x", "y", "z"],
        }),
      ).field,
    ).toBe("ratings.0.2");
  });

  it("a label outside categories → StatsInputError at its row and column", () => {
    const error = inputError(() =>
      agreement({
        ratings: [
          ["a", "b"],
          ["a", "c"],
        ],
        categories: ["a", "b"],
      }),
    );
    expect(error.field).toBe("ratings.1.1");
    expect(error.message).toMatch(/"c"/);
  });

  it("fewer than two raters → StatsInputError", () => {
    expect(inputError(() => agreement({ ratings: [["a"], ["b"]] })).field).toBe("ratings.0");
    expect(inputError(() => agreement({ ratings: [] })).field).toBe("ratings");
    expect(inputError(() => agreement({ ratings: [["a"]], raters: ["solo"] })).field).toBe("raters");
  });

  it("bad cells, categories, raters and options → StatsInputError with their field", () => {
    const bad = (input: object) => inputError(() => agreement(input as never)).field;
    expect(bad({ ratings: [["a", Number.NaN]] })).toBe("ratings.0.1");
    expect(bad({ ratings: [["a", true]] })).toBe("ratings.0.1");
    expect(bad({ ratings: [["a", undefined]] })).toBe("ratings.0.1");
    expect(bad({ ratings: [["a", "b"], "ab"] })).toBe("ratings.1");
    expect(bad({ ratings: "a,b" })).toBe("ratings");
    expect(bad({ ratings: [["a", "b"]], categories: ["a", "b", "a"] })).toBe("categories.2");
    expect(bad({ ratings: [["a", "b"]], categories: [] })).toBe("categories");
    expect(bad({ ratings: [["a", "b"]], raters: ["x", "x"] })).toBe("raters.1");
    expect(bad({ ratings: [["a", "b"]], level: "binary" })).toBe("level");
    expect(bad({ ratings: [["a", "b"]], weights: "cubic" })).toBe("weights");
    expect(bad({ ratings: [["a", "b"]], confidence: 1 })).toBe("confidence");
    expect(bad({ ratings: [["a", "b"]], bootstrap: { replicates: 0 } })).toBe("bootstrap.replicates");
    expect(bad({ ratings: [["a", "b"]], bootstrap: { seed: -1 } })).toBe("bootstrap.seed");
    expect(inputError(() => agreement(null as never)).field).toBe("body");
  });

  it("interval and ratio alpha need numeric labels (ratio: non-negative), named where first used", () => {
    const strings = [
      [1, 2],
      [2, "high"],
    ];
    expect(inputError(() => agreement({ ratings: strings, level: "interval" })).field).toBe("ratings.1.1");
    expect(
      inputError(() => agreement({ ratings: [[1, 2]], categories: [1, 2, "x"], level: "ratio" })).field,
    ).toBe("categories.2");
    expect(inputError(() => agreement({ ratings: [[-1, 2]], level: "ratio" })).field).toBe("ratings.0.0");
    expect(agreement({ ratings: [[-1, 2]], level: "interval" }).krippendorff.alpha).not.toBeNaN();
  });
});

describe("krippendorffAlpha bootstrap (seeded unit bootstrap)", () => {
  const ratings = [
    [1, 1, 2],
    [2, 2, 2],
    [3, 3, 3],
    [1, 2, 1],
    [4, 4, null],
    [2, 3, 3],
    [1, 1, 1],
    [3, null, 3],
  ];
  const encoded = encodeRatings(ratings);

  it("is off by default and reproducible for a seed", () => {
    expect(krippendorffAlpha(encoded).bootstrap).toBeNull();
    const first = krippendorffAlpha(encoded, { level: "ordinal", bootstrap: { replicates: 300, seed: 7 } });
    const again = krippendorffAlpha(encoded, { level: "ordinal", bootstrap: { replicates: 300, seed: 7 } });
    expect(again.bootstrap).toEqual(first.bootstrap);
    const other = krippendorffAlpha(encoded, { level: "ordinal", bootstrap: { replicates: 300, seed: 8 } });
    expect(other.bootstrap!.lower).not.toBe(first.bootstrap!.lower);
  });

  it("reports a percentile interval that contains the estimate here, with its settings", () => {
    const result = krippendorffAlpha(encoded, { bootstrap: { replicates: 500, seed: 1 }, confidence: 0.9 });
    const bootstrap = result.bootstrap!;
    expect(bootstrap).toMatchObject({
      replicates: 500,
      seed: 1,
      confidence: 0.9,
      method: "unit bootstrap, percentile interval",
    });
    expect(bootstrap.lower!).toBeLessThanOrEqual(result.alpha!);
    expect(bootstrap.upper!).toBeGreaterThanOrEqual(result.alpha!);
    expect(bootstrap.upper!).toBeLessThanOrEqual(1);
  });

  it("counts replicates whose alpha is undefined instead of returning NaN", () => {
    const result = krippendorffAlpha(
      encodeRatings([
        ["a", "a"],
        ["b", "b"],
      ]),
      { bootstrap: { replicates: 200, seed: 3 } },
    );
    expect(result.bootstrap!.undefinedReplicates).toBeGreaterThan(0);
    expect(result.bootstrap!.undefinedReplicates).toBeLessThan(200);
    expectNoNaN(result);
  });

  it("refuses more than MAX_BOOTSTRAP_DRAWS unit draws instead of running for hours", () => {
    const many = encodeRatings(Array.from({ length: 1001 }, (_, i) => [i % 2, 1]));
    const error = inputError(() => krippendorffAlpha(many, { bootstrap: { replicates: 100_000 } }));
    expect(error.field).toBe("bootstrap.replicates");
    expect(krippendorffAlpha(many, { bootstrap: { replicates: 100 } }).bootstrap!.replicates).toBe(100);
  });

  it("through agreement(input), the bootstrap uses the request confidence", () => {
    const result = agreement({ ratings, bootstrap: { replicates: 50, seed: 2 }, confidence: 0.8 });
    expect(result.krippendorff.bootstrap!.confidence).toBe(0.8);
  });
});
