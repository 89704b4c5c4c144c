import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { encodeRatings } from "../../../stats/agreement/encode.ts";
import { fleissKappa } from "../../../stats/agreement/fleiss.ts";
import { gwetAc1 } from "../../../stats/agreement/gwet.ts";
import { agreement } from "../../../stats/agreement/index.ts";
import { krippendorffAlpha } from "../../../stats/agreement/krippendorff.ts";
import {
  expandTable,
  expectDecimals,
  expectRelative,
  expectSignificant,
  expectTBound,
  irrcacTInterval,
  parseInterval,
  unitsByCoder,
} from "./helpers.ts";

const load = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/reference/${file}`, import.meta.url), "utf8"));

// fleiss_1971_diagnoses.json: Fleiss (1971) Psychological Bulletin 76, 378–382; values confirmed by R irr
// kappam.fleiss (statsmodels test_fleiss_kappa_irr: kappa 0.4302445, z 17.65183) and JASP's test suite
// (kappa and category kappas to 15 significant digits).
const fleiss1971 = load("fleiss_1971_diagnoses.json");

describe("fleiss_1971_diagnoses.json (Fleiss 1971; R irr kappam.fleiss; JASP)", () => {
  const result = fleissKappa(encodeRatings(fleiss1971.data.raw_irr_diagnoses));

  it("fleissKappa matches irr's kappa and z to 7 significant digits and JASP's kappa to 1e-12", () => {
    expectSignificant(result.kappa, fleiss1971.published.kappa);
    expectRelative(result.kappa, fleiss1971.published.kappa_full, 1e-12);
    expectSignificant(result.z, fleiss1971.published.z);
    // irr prints p = 0: the true value is ~1e-69.
    expect(result.p).toBeLessThan(1e-15);
  });

  it("fleissKappa's category kappas match JASP to 1e-12", () => {
    expect(result.perCategory.map((c) => c.category)).toEqual([1, 2, 3, 4, 5]);
    result.perCategory.forEach((category, k) => {
      expectRelative(category.kappa, fleiss1971.published.category_kappa[k], 1e-12);
    });
  });

  it("fleissKappa matches the recomputed P̄, P_e, se₀ (Fleiss, Nee & Landis 1979) and z to 1e-9", () => {
    const expected = fleiss1971.recomputed.fleiss;
    expectRelative(result.kappa, expected.kappa);
    expectRelative(result.pa, expected.P_bar);
    expectRelative(result.pe, expected.P_e);
    expectRelative(result.se0, expected.se0);
    expectRelative(result.z, expected.z);
    expect(result.itemsRated).toBe(30);
  });

  it("category se₀ and z equal the JSON's computed values (unconfirmed there: regression only)", () => {
    const expected = fleiss1971.recomputed.fleiss;
    result.perCategory.forEach((category, k) => {
      expectRelative(category.se0, expected.category_se0);
      expectRelative(category.z, expected.category_z[k]);
    });
  });

  it("the irrCAC-style non-null se and AC1 equal the JSON's UNCONFIRMED values (regression only)", () => {
    const expectedSe = fleiss1971.recomputed.UNCONFIRMED_irrCAC_style_nonnull_SE;
    expectRelative(result.se, expectedSe.se);
    expectTBound(result.lower, expectedSe.ci_t[0]);
    expectTBound(result.upper, expectedSe.ci_t[1]);
    const ac1 = gwetAc1(encodeRatings(fleiss1971.data.raw_irr_diagnoses));
    const expectedAc1 = fleiss1971.recomputed.UNCONFIRMED_gwet_ac1;
    expectRelative(ac1.ac1, expectedAc1.coeff);
    expectRelative(ac1.se, expectedAc1.se);
    expectRelative(ac1.pe, expectedAc1.pe);
  });

  it("the subject × category count layout gives the same kappa as the raw irr layout", () => {
    const raw = fleiss1971.data.counts.map((row: number[]) =>
      row.flatMap((count, k) => Array(count).fill(k + 1)),
    );
    const fromCounts = fleissKappa(encodeRatings(raw));
    expectRelative(fromCounts.kappa, fleiss1971.published.kappa_full, 1e-12);
    expectRelative(fromCounts.se0, fleiss1971.recomputed.fleiss.se0);
  });
});

// krippendorff_2011_example_C.json: Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability" (nominal
// p.5, ordinal/interval/ratio p.8), confirmed by fast-krippendorff doctests; irrCAC README (Gwet) on the same
// data (cac.raw4raters) for AC1, Fleiss and percent agreement; afergadis/irrCAC Python-port tests for
// weighted values.
const example = load("krippendorff_2011_example_C.json");
const exampleC = unitsByCoder(example.data.reliability_data) as (number | null)[][];

describe("krippendorff_2011_example_C.json (Krippendorff 2011; fast-krippendorff; irrCAC README)", () => {
  const encoded = encodeRatings(exampleC);

  for (const level of ["nominal", "ordinal", "interval", "ratio"] as const) {
    it(`krippendorffAlpha(${level}) matches the paper to 3 decimals and the cross-implementation to 1e-9`, () => {
      const result = krippendorffAlpha(encoded, { level });
      expectDecimals(result.alpha, example.published.alpha[level], 3);
      expectRelative(result.alpha, example.recomputed.alpha[level]);
      expect(result.pairableValues).toBe(example.published.n_pairable);
      expect(result.level).toBe(level);
    });
  }

  it("the coincidence matrix, marginals, D_o and D_e match the paper's and the recomputation", () => {
    const result = krippendorffAlpha(encoded, { level: "nominal" });
    expectRelative(result.observedDisagreement, example.recomputed.D_o_nominal);
    expectRelative(result.expectedDisagreement, example.recomputed.D_e_nominal);
    expect(result.pairableUnits).toBe(11);
    const full = agreement({ ratings: exampleC, level: "interval" });
    expect(full.krippendorff.pairableValues).toBe(40);
  });

  it("Krippendorff's example A (binary, 0.095) and example B (nominal, 0.692) match to 3 decimals and 1e-9", () => {
    const checks = example.verification.checks as { item: string; recomputed: number; published: number }[];
    const exampleA = krippendorffAlpha(encodeRatings(unitsByCoder(example.data.example_A_binary)));
    expectDecimals(exampleA.alpha, example.published.example_A_alpha, 3);
    expectRelative(exampleA.alpha, checks.find((c) => c.item === "example A binary alpha")!.recomputed);
    const exampleB = krippendorffAlpha(
      encodeRatings(unitsByCoder(example.data.example_B_nominal_letters_to_1to5)),
    );
    expectDecimals(exampleB.alpha, example.published.example_B_alpha, 3);
    expectRelative(exampleB.alpha, checks.find((c) => c.item === "example B nominal alpha")!.recomputed);
  });

  it("gwetAc1 and fleissKappa with a unit of one rating match irrCAC's README (5 decimals; pa, pe 7 digits)", () => {
    const printed = example.published.irrCAC_R_README;
    const ac1 = gwetAc1(encoded);
    expectDecimals(ac1.ac1, printed.ac1.coeff, 5);
    expectDecimals(ac1.se, printed.ac1.se, 5);
    expectSignificant(ac1.pa, printed.ac1.pa);
    expectSignificant(ac1.pe, printed.ac1.pe);
    const [ac1Lower, ac1Upper] = parseInterval(printed.ac1.ci);
    expectDecimals(ac1.lower, ac1Lower, 3);
    expect(ac1.upper).toBe(ac1Upper);
    expect(ac1.itemsRated).toBe(12);

    const fleiss = fleissKappa(encoded);
    expectDecimals(fleiss.kappa, printed.fleiss.coeff, 5);
    expectDecimals(fleiss.se, printed.fleiss.se, 5);
    expectSignificant(fleiss.pe, printed.fleiss.pe);
    const [fleissLower, fleissUpper] = parseInterval(printed.fleiss.ci);
    expectDecimals(fleiss.lower, fleissLower, 3);
    expect(fleiss.upper).toBe(fleissUpper);
    expect(fleiss.se0).toBeNull();

    expectSignificant(agreement({ ratings: exampleC }).percentAgreement, printed.percent_agreement.coeff);
  });

  it("gwetAc1 and fleissKappa match the recomputed irrCAC values to 1e-9 (t bounds to 1e-8)", () => {
    const ac1 = gwetAc1(encoded);
    const expectedAc1 = example.recomputed.irrCAC_ac1;
    expectRelative(ac1.ac1, expectedAc1.coeff);
    expectRelative(ac1.se, expectedAc1.se);
    expectRelative(ac1.pa, expectedAc1.pa);
    expectRelative(ac1.pe, expectedAc1.pe);
    expectTBound(ac1.lower, expectedAc1.ci_t[0]);
    expect(ac1.upper).toBe(1);
    const fleiss = fleissKappa(encoded);
    const expectedFleiss = example.recomputed.irrCAC_fleiss;
    expectRelative(fleiss.kappa, expectedFleiss.coeff);
    expectRelative(fleiss.se, expectedFleiss.se);
    expectRelative(fleiss.pa, expectedFleiss.pa);
    expectRelative(fleiss.pe, expectedFleiss.pe);
    expectTBound(fleiss.lower, expectedFleiss.ci_t[0]);
  });

  it("weighted Fleiss and AC2 match the irrCAC Python port to 3 decimals (linear 0.818 / quadratic 0.865, AC2 0.859)", () => {
    const port = example.published.irrCAC_python_port_weighted_3dp;
    expectDecimals(fleissKappa(encoded, { weights: "linear" }).kappa, port.fleiss.linear, 3);
    expectDecimals(fleissKappa(encoded, { weights: "quadratic" }).kappa, port.fleiss.quadratic, 3);
    expectDecimals(gwetAc1(encoded, { weights: "linear" }).ac1, port.ac2.linear, 3);
    // irrCAC's quadratic-weight alpha is Krippendorff's interval alpha; its ratio weights are the ratio
    // metric.
    expectDecimals(krippendorffAlpha(encoded, { level: "interval" }).alpha, port.krippendorff.quadratic, 3);
    expectDecimals(krippendorffAlpha(encoded, { level: "ratio" }).alpha, port.krippendorff.ratio, 3);
  });

  it("Krippendorff's ordinal metric differs from irrCAC's ordinal weights (0.834), as the JSON's variant says", () => {
    const ordinal = krippendorffAlpha(encoded, { level: "ordinal" }).alpha!;
    expect(
      Math.abs(ordinal - example.published.irrCAC_python_port_weighted_3dp.krippendorff.ordinal_GWET_weights),
    ).toBeGreaterThan(0.01);
  });
});

// irrcac_contingency_tables.json: irrCAC README output (Gwet) for cont3x3abstractors and the afergadis/irrCAC
// Python-port tests for cont4x4diagnosis. irrCAC's table functions divide the variance by n, the raw-data
// functions (replicated here) by n − 1 — on complete two-rater data the linearised terms have mean equal to
// the coefficient, so se_table = se_raw·√((n − 1)/n) exactly. Standard errors and the t intervals printed
// from them are compared through that identity.
const contingency = load("irrcac_contingency_tables.json");

describe("irrcac_contingency_tables.json on raw ratings (irrCAC README by Gwet; Python port tests)", () => {
  const abstractors = contingency.data.cont3x3abstractors;
  const rawAbstractors = expandTable<string>(abstractors.table, abstractors.categories);
  const abstractorsEncoded = encodeRatings(rawAbstractors, { categories: abstractors.categories });
  const tableSe = (se: number | null, n: number) => se! * Math.sqrt((n - 1) / n);

  it("abstractors: AC1, its table se and t interval match irrCAC's README (7 digits; interval 3 decimals)", () => {
    const printed = contingency.published.cont3x3abstractors.gwet_ac1;
    const ac1 = gwetAc1(abstractorsEncoded);
    expectSignificant(ac1.ac1, printed.coeff);
    const se = tableSe(ac1.se, abstractors.n);
    expectSignificant(se, printed.se);
    const [lower, upper] = irrcacTInterval(ac1.ac1!, se, abstractors.n);
    const [printedLower, printedUpper] = parseInterval(printed.ci);
    expectDecimals(lower, printedLower, 3);
    expectDecimals(upper, printedUpper, 3);
    const expected = contingency.recomputed.abstractors.ac1;
    expectRelative(ac1.ac1, expected.coeff);
    expectRelative(ac1.pa, expected.pa);
    expectRelative(ac1.pe, expected.pe);
    expectRelative(se, expected.se);
  });

  for (const [weights, key] of [
    ["linear", "ac2_linear"],
    ["quadratic", "ac2_quadratic"],
  ] as const) {
    it(`abstractors: AC2 (${weights}) matches the Python port to 3 decimals and the recomputation to 1e-9`, () => {
      const ac2 = gwetAc1(abstractorsEncoded, { weights });
      expect(ac2.coefficient).toBe("AC2");
      expectDecimals(
        ac2.ac1,
        contingency.published.cont3x3abstractors.weighted_3dp_python_port[key].coeff,
        3,
      );
      const expected = contingency.recomputed.abstractors[key];
      expectRelative(ac2.ac1, expected.coeff);
      expectRelative(ac2.pa, expected.pa);
      expectRelative(ac2.pe, expected.pe);
      expectRelative(tableSe(ac2.se, abstractors.n), expected.se);
    });
  }

  it("abstractors: Fleiss' kappa is irrCAC's Scott's pi (7 digits, table se) and alpha is irrCAC's alpha", () => {
    const printed = contingency.published.cont3x3abstractors;
    const fleiss = fleissKappa(abstractorsEncoded);
    expectSignificant(fleiss.kappa, printed.scott_pi.coeff);
    expectSignificant(tableSe(fleiss.se, abstractors.n), printed.scott_pi.se);
    const alpha = krippendorffAlpha(abstractorsEncoded);
    expectSignificant(alpha.alpha, printed.krippendorff_alpha.coeff);
    expectRelative(alpha.alpha, contingency.recomputed.abstractors.krippendorff_alpha);
    const result = agreement({ ratings: rawAbstractors, categories: abstractors.categories });
    expectSignificant(result.percentAgreement, printed.percent_agreement.coeff);
    expectSignificant(result.cohen!.kappa, printed.kappa.coeff);
    expectSignificant(result.cohen!.se, printed.kappa.se);
  });

  it("diagnosis: AC1 matches the Python port to 3 decimals and the recomputation to 1e-9", () => {
    const { table, categories, n } = contingency.data.cont4x4diagnosis;
    const encoded = encodeRatings(expandTable<string>(table, categories), { categories });
    const printed = contingency.published.cont4x4diagnosis.ac1;
    const ac1 = gwetAc1(encoded);
    const se = tableSe(ac1.se, n);
    expectDecimals(ac1.ac1, printed.coeff, 3);
    expectDecimals(se, printed.se, 3);
    const [lower, upper] = irrcacTInterval(ac1.ac1!, se, n);
    expectDecimals(lower, printed.ci[0], 3);
    expectDecimals(upper, printed.ci[1], 3);
    const expected = contingency.recomputed.diagnosis.ac1;
    expectRelative(ac1.ac1, expected.coeff);
    expectRelative(se, expected.se);
    expectRelative(ac1.pa, expected.pa);
    expectRelative(ac1.pe, expected.pe);
    expectDecimals(
      gwetAc1(encoded, { weights: "linear" }).ac1,
      contingency.published.cont4x4diagnosis.ac2_linear.coeff,
      3,
    );
  });
});
