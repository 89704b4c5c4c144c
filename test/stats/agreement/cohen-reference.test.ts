import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cohenKappaFromTable, crossTable } from "../../../stats/agreement/cohen.ts";
import { encodeRatings } from "../../../stats/agreement/encode.ts";
import { agreement } from "../../../stats/agreement/index.ts";
import {
  expandTable,
  expectDecimals,
  expectRelative,
  expectSignificant,
  irrcacTInterval,
  parseInterval,
} from "./helpers.ts";

const load = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/reference/${file}`, import.meta.url), "utf8"));

// cohen_sas_3x3_statsmodels.json: SAS PROC FREQ (AGREE) printout pasted into statsmodels
// statsmodels/stats/tests/test_inter_rater.py (TestUnweightedCohens, TestWeightedCohens), 4 decimals.
const sas = load("cohen_sas_3x3_statsmodels.json");

describe("cohen_sas_3x3_statsmodels.json (SAS PROC FREQ via statsmodels test_inter_rater.py)", () => {
  const cases = [
    ["unweighted", sas.published.unweighted, sas.recomputed.unweighted],
    ["linear", sas.published.linear_weighted, sas.recomputed.linear],
  ] as const;

  for (const [weights, published, recomputed] of cases) {
    it(`cohenKappaFromTable(${weights}) matches the SAS printout to 4 decimals`, () => {
      const result = cohenKappaFromTable(sas.data.table, { weights });
      expectDecimals(result.kappa, published.kappa, 4);
      expectDecimals(result.se, published.ASE, 4);
      expectDecimals(result.lower, published.ci95[0], 4);
      expectDecimals(result.upper, published.ci95[1], 4);
      expectDecimals(result.se0, published.ASE_H0, 4);
      expectDecimals(result.z, published.Z, 4);
      expectDecimals(result.p, published.p_two_sided, 4);
      expect(result.weights).toBe(weights);
      expect(result.items).toBe(sas.data.n);
    });

    it(`cohenKappaFromTable(${weights}) matches the independent FCE (1969) recomputation to 1e-9`, () => {
      const result = cohenKappaFromTable(sas.data.table, { weights });
      expectRelative(result.kappa, recomputed.kappa);
      expectRelative(result.po, recomputed.po);
      expectRelative(result.pe, recomputed.pe);
      expectRelative(result.se, recomputed.ase);
      expectRelative(result.lower, recomputed.ci_z[0]);
      expectRelative(result.upper, recomputed.ci_z[1]);
      expectRelative(result.se0, recomputed.ase0);
      expectRelative(result.z, recomputed.z);
      expectRelative(result.p, recomputed.p_two_sided);
    });

    it(`agreement() on the raw ratings of the SAS table gives the table's ${weights} kappa`, () => {
      const ratings = expandTable(sas.data.table, [1, 2, 3]);
      const cohen = agreement({ ratings, weights }).cohen!;
      expectRelative(cohen.kappa, recomputed.kappa);
      expectRelative(cohen.se, recomputed.ase);
      expectRelative(cohen.se0, recomputed.ase0);
    });
  }

  it("quadratic weights reproduce the JSON's quadratic_UNCONFIRMED values (regression only: no published value)", () => {
    const result = cohenKappaFromTable(sas.data.table, { weights: "quadratic" });
    const expected = sas.recomputed.quadratic_UNCONFIRMED;
    expectRelative(result.kappa, expected.kappa);
    expectRelative(result.se, expected.ase);
    expectRelative(result.se0, expected.ase0);
    expectRelative(result.z, expected.z);
    expectRelative(result.lower, expected.ci_z[0]);
    expectRelative(result.upper, expected.ci_z[1]);
  });
});

// cohen_irr_anxiety.json: R package irr 0.84 kappa2() output recorded in statsmodels test_cohens_kappa_irr;
// data irr::anxiety. irr weights by the rank of the observed levels (1,2,3,4,6 for raters 2 and 3).
const anxiety = load("cohen_irr_anxiety.json");
const column = (rater: number): number[] => anxiety.data.raters[rater];
const pairRatings = (a: number, b: number) => column(a).map((value, i) => [value, column(b)[i]]);

/** irr kappa2's custom weights: disagreement vector v by distance → agreement 1 − (v − min)/(max − min). */
function irrCustomWeights(vector: number[]): number[][] {
  const min = Math.min(...vector);
  const max = Math.max(...vector);
  const byDistance = vector.map((v) => 1 - (v - min) / (max - min));
  return vector.map((_, i) => vector.map((_, j) => byDistance[Math.abs(i - j)]));
}

describe("cohen_irr_anxiety.json (R irr kappa2 via statsmodels test_cohens_kappa_irr)", () => {
  const weightName = {
    unweighted: "unweighted",
    "equal (linear)": "linear",
    "squared (quadratic)": "quadratic",
  } as const;

  for (const entry of anxiety.published.filter((e: { weights: string }) => e.weights in weightName)) {
    const weights = weightName[entry.weights as keyof typeof weightName];
    it(`agreement() on raters 2 and 3 (${weights}, rank weights over observed levels) matches irr to 7 significant digits`, () => {
      const result = agreement({ ratings: pairRatings(1, 2), weights });
      expect(result.categories).toEqual([1, 2, 3, 4, 6]);
      expectSignificant(result.cohen!.kappa, entry.kappa);
      expectSignificant(result.cohen!.z, entry.z);
      expectSignificant(result.cohen!.p, entry.p_value);
    });

    it(`agreement() on raters 2 and 3 (${weights}) matches the independent recomputation to 1e-9`, () => {
      const cohen = agreement({ ratings: pairRatings(1, 2), weights }).cohen!;
      const expected = anxiety.recomputed[`rater2_vs_rater3 weights=${entry.weights}`];
      expectRelative(cohen.kappa, expected.kappa);
      expectRelative(cohen.po, expected.po);
      expectRelative(cohen.pe, expected.pe);
      expectRelative(cohen.se, expected.ase);
      expectRelative(cohen.se0, expected.ase0);
      expectRelative(cohen.z, expected.z);
      expectRelative(cohen.p, expected.p_two_sided);
      expectRelative(cohen.lower, expected.ci_z[0]);
      expectRelative(cohen.upper, expected.ci_z[1]);
    });
  }

  const custom = [
    { pair: "rater2_vs_rater3", raters: [1, 2], vector: [0, 0, 1, 1, 2], label: "c(0,0,1,1,2)" },
    { pair: "rater1_vs_rater2", raters: [0, 1], vector: [0, 0, 0, 1, 1, 1], label: "c(0,0,0,1,1,1)" },
    { pair: "rater1_vs_rater2", raters: [0, 1], vector: [0, 0, 1, 1, 2, 2], label: "c(0,0,1,1,2,2)" },
  ];
  for (const { pair, raters, vector, label } of custom) {
    it(`cohenKappaFromTable with irr's custom weights ${label} (${pair}) matches irr and the recomputation`, () => {
      const table = anxiety.data[`table_${pair}`].table;
      const encoded = encodeRatings(pairRatings(raters[0], raters[1]));
      expect(Array.from(crossTable(encoded, 0, 1))).toEqual(table.flat());
      const result = cohenKappaFromTable(table, { weights: irrCustomWeights(vector) });
      const published = anxiety.published.find(
        (e: { pair: string; weights: string }) => e.pair === pair && e.weights === label,
      );
      expectSignificant(result.kappa, published.kappa);
      expectSignificant(result.z, published.z);
      expectSignificant(result.p, published.p_value);
      const expected = anxiety.recomputed[`${pair} weights=${label}`];
      expectRelative(result.kappa, expected.kappa);
      expectRelative(result.se, expected.ase);
      expectRelative(result.se0, expected.ase0);
      expect(result.weights).toBe("custom");
    });
  }

  it("explicit categories 1…6 weight by those positions instead (the JSON's variant note: linear 0.1262136, quadratic 0.2297980)", () => {
    const categories = [1, 2, 3, 4, 5, 6];
    expectSignificant(
      agreement({ ratings: pairRatings(1, 2), categories, weights: "linear" }).cohen!.kappa,
      0.1262136,
    );
    expectSignificant(
      agreement({ ratings: pairRatings(1, 2), categories, weights: "quadratic" }).cohen!.kappa,
      0.229798,
    );
  });
});

// irrcac_contingency_tables.json: R irrCAC README output by K. Gwet (cont3x3abstractors) and the
// afergadis/irrCAC Python-port tests (cont4x4diagnosis, weighted, 3 decimals). irrCAC prints kappa intervals
// with t(n − 1); ours use z (SAS/statsmodels), so the printed intervals are checked through
// kappa ± t(n − 1)·se.
const contingency = load("irrcac_contingency_tables.json");

describe("irrcac_contingency_tables.json (irrCAC kappa2.table: README by Gwet, Python port tests)", () => {
  it("abstractors: kappa and se match irrCAC's README to 7 significant digits, its t interval to 3 decimals", () => {
    const { table, n } = contingency.data.cont3x3abstractors;
    const published = contingency.published.cont3x3abstractors.kappa;
    const result = cohenKappaFromTable(table);
    expectSignificant(result.kappa, published.coeff);
    expectSignificant(result.se, published.se);
    const [lower, upper] = irrcacTInterval(result.kappa!, result.se!, n);
    const [printedLower, printedUpper] = parseInterval(published.ci);
    expectDecimals(lower, printedLower, 3);
    expectDecimals(upper, printedUpper, 3);
    expect(result.items).toBe(n);
  });

  const weightedAbstractors = [
    ["linear", "kappa_linear"],
    ["quadratic", "kappa_quadratic"],
  ] as const;
  for (const [weights, key] of weightedAbstractors) {
    it(`abstractors ${weights} kappa matches the Python port to 3 decimals and the recomputation to 1e-9`, () => {
      const result = cohenKappaFromTable(contingency.data.cont3x3abstractors.table, { weights });
      const published = contingency.published.cont3x3abstractors.weighted_3dp_python_port[key];
      expectDecimals(result.kappa, published.coeff, 3);
      const tInterval = irrcacTInterval(result.kappa!, result.se!, contingency.data.cont3x3abstractors.n);
      expectDecimals(tInterval[0], published.ci[0], 3);
      expectDecimals(tInterval[1], published.ci[1], 3);
      const expected = contingency.recomputed.abstractors[key];
      expectRelative(result.kappa, expected.kappa);
      expectRelative(result.se, expected.ase);
      expectRelative(result.se0, expected.ase0);
      expectRelative(result.lower, expected.ci_z[0]);
      expectRelative(result.upper, expected.ci_z[1]);
      expectRelative(result.z, expected.z);
    });
  }

  const diagnosis = [
    ["unweighted", "unweighted", "kappa"],
    ["linear", "linear", "kappa_linear"],
    ["quadratic", "quadratic", "kappa_quadratic"],
  ] as const;
  for (const [weights, publishedKey, recomputedKey] of diagnosis) {
    it(`diagnosis ${weights} kappa and se match the Python port to 3 decimals and the recomputation to 1e-9`, () => {
      const result = cohenKappaFromTable(contingency.data.cont4x4diagnosis.table, { weights });
      const published = contingency.published.cont4x4diagnosis.kappa[publishedKey];
      expectDecimals(result.kappa, published.coeff, 3);
      expectDecimals(result.se, published.se, 3);
      const tInterval = irrcacTInterval(result.kappa!, result.se!, contingency.data.cont4x4diagnosis.n);
      expectDecimals(tInterval[0], published.ci[0], 3);
      expectDecimals(tInterval[1], published.ci[1], 3);
      const expected = contingency.recomputed.diagnosis[recomputedKey];
      expectRelative(result.kappa, expected.kappa);
      expectRelative(result.po, expected.po);
      expectRelative(result.pe, expected.pe);
      expectRelative(result.se, expected.ase);
      expectRelative(result.se0, expected.ase0);
      expectRelative(result.lower, expected.ci_z[0]);
      expectRelative(result.upper, expected.ci_z[1]);
    });
  }
});
