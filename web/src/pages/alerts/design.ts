import { useI18n } from "../../i18n/index.ts";

/**
 * Issue 16: a chart rule's stored design in words — the ARLs the service computed for its EWMA or CUSUM (in
 * periods of the rule's interval, on standardised normal data, ARL₁ after a shift of `shift` σ) or its
 * Bernoulli CUSUM (in audits, at p₀ and p₁). Shared by the rule editor ("as saved") and the chart alerts'
 * summaries (the design is in their evidence).
 */

/** A stored `ewma`, `cusum` or `bernoulli` design, as GET /v1/alert-rules and chart alerts' evidence give it. */
export interface StoredDesign {
  arl0?: number;
  arl1?: number;
  shift?: number;
  p0?: number;
  p1?: number;
  h?: number;
}

type ArlUnit = "day" | "week" | "audit";

/**
 * The design's sentence, or null when it has no ARLs (rules stored before they were computed). `type` is the
 * chart type (bernoulli-cusum counts audits), `interval` the rule's (its periods).
 */
export function useDesignSentence() {
  const { t, fmt } = useI18n();
  const rules = new Intl.PluralRules(fmt.locale);
  /** "about 12.5 days", "370 weeks", "1,234 audits": one decimal below 10, plural by the rounded number. */
  const runLength = (arl: number, unit: ArlUnit) => {
    const digits = arl < 10 ? 1 : 0;
    const rounded = Math.round(arl * 10 ** digits) / 10 ** digits;
    const one = rules.select(rounded) === "one";
    return t(`rules.arl.${unit}.${one ? "one" : "other"}`, { n: fmt.number(arl, digits) });
  };
  return (design: StoredDesign | undefined, type: unknown, interval: unknown): string | null => {
    if (!design || typeof design.arl0 !== "number" || typeof design.arl1 !== "number") return null;
    if (type === "bernoulli-cusum")
      return t("rules.design.arl.bernoulli", {
        h: fmt.number(design.h, 3),
        arl0: runLength(design.arl0, "audit"),
        arl1: runLength(design.arl1, "audit"),
        p0: fmt.percent(design.p0, 2),
        p1: fmt.percent(design.p1, 2),
      });
    const unit = interval === "week" ? "week" : "day";
    return t("rules.design.arl", {
      arl0: runLength(design.arl0, unit),
      arl1: runLength(design.arl1, unit),
      shift: fmt.number(design.shift ?? 1, 2),
    });
  };
}
