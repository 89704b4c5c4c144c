import { adjustPValues } from "../../../stats/multiple-testing.ts";
import type { Multiplicity } from "../rules.ts";
import type { GroupOutcome } from "./shared.ts";

/**
 * False-discovery control across the groups of one rule and one evaluation (issue 16), shared by the threshold
 * and chart conditions (and so by the engine and the preview, which call them).
 *
 * Each evaluated group (one with an outcome) comes with its one-sided p-value; with `bh` or `by` the m p-values
 * are adjusted together (stats/multiple-testing.ts, as R's p.adjust) and a group breaches only when its own
 * condition breaches AND q ≤ fdr. Every outcome's evidence gets `multiplicity`, `fdr`, `p`, `q` (null with
 * none), `groupsTested` (m), `groupsBreaching` (R: groups breaching after control in this evaluation) and
 * `expectedFalseAlerts` = fdr × R (null with none): the FDR bound read as a count — on average at most
 * fdr × R of the R breaching groups are in control (BH/BY guarantee E[V/R] ≤ fdr·m₀/m ≤ fdr). Groups whose own
 * condition breached but whose q is above fdr get `suppressed: true`.
 *
 * Complexity O(m log m) per rule and evaluation (the sort of the adjustment).
 */
export function controlFalseDiscoveries(
  tested: readonly { outcome: GroupOutcome; p: number }[],
  condition: { multiplicity: Multiplicity; fdr: number },
): void {
  const { multiplicity, fdr } = condition;
  const m = tested.length;
  const q =
    multiplicity === "none"
      ? null
      : adjustPValues(
          Float64Array.from(tested, (t) => t.p),
          multiplicity,
        );
  let breaching = 0;
  for (let i = 0; i < m; i++) {
    const { outcome } = tested[i];
    const own = outcome.breach;
    const breach = own && (q === null || q[i] <= fdr);
    outcome.breach = breach;
    if (breach) breaching++;
    if (!breach) outcome.signal = null;
    Object.assign(outcome.evidence, {
      breach,
      p: tested[i].p,
      q: q === null ? null : q[i],
      multiplicity,
      fdr,
      groupsTested: m,
      ...(own && !breach ? { suppressed: true } : {}),
    });
    if (own && !breach && q !== null)
      outcome.summary += `; not significant across ${m} groups (q ${q[i].toPrecision(3)} > FDR ${fdr})`;
    else if (breach && q !== null)
      outcome.summary += `; p ${tested[i].p.toPrecision(3)}, q ${q[i].toPrecision(3)} across ${m} groups`;
  }
  for (const { outcome } of tested)
    Object.assign(outcome.evidence, {
      groupsBreaching: breaching,
      expectedFalseAlerts: q === null ? null : fdr * breaching,
    });
}
