import { describe, expect, it } from "vitest";
import { itemDisagreement, raterReport } from "../../../stats/agreement/index.ts";
import { StatsInputError } from "../../../stats/errors.ts";

const raters = ["ann", "bob", "cy"];
const ratings = [
  ["ok", "ok", "spam"],
  ["spam", "spam", "spam"],
  ["ok", "spam", null],
  ["ok", "ok", "ok"],
  [null, "spam", "ok"],
];
const gold = ["ok", "spam", "spam", null, "ok"];

describe("raterReport(input)", () => {
  const report = raterReport({ ratings, raters, gold });
  const ann = report.raters[0];

  it("compares a rater with the gold labels: accuracy, kappa, confusion (rows = gold), recall and precision", () => {
    expect(report.categories).toEqual(["ok", "spam"]);
    expect(ann.rater).toBe("ann");
    expect(ann.rated).toBe(4);
    const vsGold = ann.gold!;
    expect(vsGold.items).toBe(3);
    expect(vsGold.accuracy).toBeCloseTo(2 / 3, 15);
    expect(vsGold.confusion).toEqual([
      [1, 0],
      [1, 1],
    ]);
    expect(vsGold.kappa).toBeCloseTo(0.4, 14);
    expect(vsGold.interpretation).toBe("fair");
    expect(vsGold.perCategory).toEqual([
      { category: "ok", referenceCount: 1, raterCount: 2, correct: 1, recall: 1, precision: 0.5 },
      { category: "spam", referenceCount: 2, raterCount: 1, correct: 1, recall: 0.5, precision: 1 },
    ]);
  });

  it("compares a rater with the other raters' modal label, reporting tied items separately", () => {
    const vsConsensus = ann.consensus;
    expect(vsConsensus.ties).toBe(1);
    expect(vsConsensus.tiedItems).toEqual([0]);
    expect(vsConsensus.noConsensus).toBe(0);
    expect(vsConsensus.items).toBe(3);
    expect(vsConsensus.confusion).toEqual([
      [1, 0],
      [1, 1],
    ]);
    const cy = report.raters[2];
    expect(cy.rated).toBe(4);
    expect(cy.consensus.ties).toBe(0);
    // Items 0 (ok vs cy's spam), 1 (spam, spam), 3 (ok, ok) and 4 (only bob: spam vs cy's ok).
    expect(cy.consensus.confusion).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  it("counts items nobody else rated as noConsensus and leaves gold null when none is given", () => {
    const solo = raterReport({
      ratings: [
        ["ok", null],
        ["spam", "spam"],
      ],
    });
    expect(solo.raters[0].consensus.noConsensus).toBe(1);
    expect(solo.raters[0].gold).toBeNull();
    expect(solo.raters[1].consensus.kappa).toBeNull();
    expect(solo.raters[1].consensus.undefinedReason).toMatch(/chance agreement is 1/);
  });

  it("adds gold-only labels to the observed categories and rejects gold outside given categories", () => {
    const withExtra = raterReport({
      ratings: [
        ["ok", "ok"],
        ["ok", "spam"],
      ],
      gold: ["hate", "ok"],
    });
    expect(withExtra.categories).toEqual(["hate", "ok", "spam"]);
    expect(withExtra.raters[0].gold!.perCategory[0]).toMatchObject({
      category: "hate",
      referenceCount: 1,
      recall: 0,
    });
    let error: unknown;
    try {
      raterReport({ ratings: [["ok", "ok"]], gold: ["hate"], categories: ["ok", "spam"] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StatsInputError);
    expect((error as StatsInputError).field).toBe("gold.0");
    expect(() => raterReport({ ratings: [["ok", "ok"]], gold: [] })).toThrow(StatsInputError);
  });
});

describe("itemDisagreement(input)", () => {
  it("lists split items, lowest pairwise agreement first, with modal labels and who chose what", () => {
    const report = itemDisagreement({ ratings, raters });
    expect(report).toMatchObject({ items: 5, pairableItems: 5, unanimousItems: 2 });
    expect(report.splits.map((split) => split.item)).toEqual([2, 4, 0]);
    expect(report.splits[0]).toEqual({
      item: 2,
      ratings: 2,
      agreement: 0,
      modal: ["ok", "spam"],
      labels: [
        { category: "ok", count: 1, raters: ["ann"] },
        { category: "spam", count: 1, raters: ["bob"] },
      ],
    });
    expect(report.splits[2]).toMatchObject({ item: 0, agreement: 1 / 3, modal: ["ok"] });
    expect(report.splits[2].labels[0]).toEqual({ category: "ok", count: 2, raters: ["ann", "bob"] });
  });

  it("includes unanimous items on request and skips items with fewer than two ratings", () => {
    const report = itemDisagreement({
      ratings: [...ratings, ["ok", null, null]],
      raters,
      includeUnanimous: true,
    });
    expect(report.splits.map((split) => split.item)).toEqual([2, 4, 0, 1, 3]);
    expect(report.splits.at(-1)!.agreement).toBe(1);
  });
});
