import { type MessageKey, useI18n } from "../../i18n/index.ts";

const ALLOCATIONS = ["proportional", "neyman", "equal"] as const;

/** A stored draw plan (`plan` of GET /v1/samples/{id}) in words: strata, sizing, allocation, expected rates. */
export function PlanSummary({ plan }: { plan: Record<string, unknown> }) {
  const { t, fmt } = useI18n();
  const num = (value: unknown) => (typeof value === "number" ? value : undefined);
  const strata = Array.isArray(plan.strata) ? (plan.strata as string[]) : [];
  const allocation = ALLOCATIONS.find((a) => a === plan.allocation);
  const perStratum = plan.perStratum as
    | { confidence?: number; margin?: number; expectedRate?: number }
    | undefined;
  const parts: string[] = [
    strata.length > 0
      ? t("samples.plan.strata", { attributes: strata.join(", ") })
      : t("samples.plan.noStrata"),
  ];
  if (num(plan.total) !== undefined)
    parts.push(t("samples.plan.total", { total: fmt.integer(num(plan.total)) }));
  if (num(plan.margin) !== undefined) {
    parts.push(
      t("samples.plan.margin", {
        margin: fmt.percent(num(plan.margin)),
        confidence: fmt.percent(num(plan.confidence), 1),
        expected: fmt.percent(num(plan.expectedRate)),
      }),
    );
  }
  if (perStratum) {
    parts.push(
      t("samples.plan.perStratum", {
        margin: fmt.percent(perStratum.margin),
        confidence: fmt.percent(perStratum.confidence, 1),
        expected: fmt.percent(perStratum.expectedRate),
      }),
    );
  }
  if (allocation) parts.push(t(`allocation.${allocation}` as MessageKey));
  if ((num(plan.minPerStratum) ?? 0) > 0) {
    parts.push(t("samples.plan.minimum", { n: fmt.integer(num(plan.minPerStratum)) }));
  }
  if (plan.expectedRates) parts.push(t("samples.plan.expectedRates"));
  const history = plan.fromHistory as { days?: number } | undefined;
  if (history?.days !== undefined)
    parts.push(t("samples.plan.fromHistory", { days: fmt.integer(history.days) }));
  return <span data-testid="sample-plan">{parts.join(" · ")}</span>;
}
