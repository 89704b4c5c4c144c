import { Field } from "../../components/ui.tsx";
import { useI18n } from "../../i18n/index.ts";
import type { Evidence, PeriodFilters, Prior } from "./types.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether the period form can be sent: dates as YYYY-MM-DD (or empty), from not after to. */
export function periodValid(filters: PeriodFilters): boolean {
  const { from, to } = filters;
  if ((from && !DATE.test(from)) || (to && !DATE.test(to))) return false;
  return !(from && to && from > to);
}

/** The period of a scorecard (empty: the 90 days up to today) and, optionally, one queue. */
export function PeriodForm({
  filters,
  onChange,
}: {
  filters: PeriodFilters;
  onChange(filters: PeriodFilters): void;
}) {
  const { t } = useI18n();
  const set = (key: keyof PeriodFilters) => (value: string) => onChange({ ...filters, [key]: value });
  return (
    <fieldset class="filters">
      <legend>{t("scorecard.period")}</legend>
      <div class="grid">
        <Field label={t("filters.from")} type="date" value={filters.from} onValue={set("from")} name="from" />
        <Field label={t("filters.to")} type="date" value={filters.to} onValue={set("to")} name="to" />
        <Field label={t("field.queue")} value={filters.queue} onValue={set("queue")} name="queue" />
      </div>
      <p class="hint">{t("scorecard.period.hint")}</p>
      {!periodValid(filters) && (
        <p class="notice" role="status">
          {t("filters.invalid.range")}
        </p>
      )}
    </fieldset>
  );
}

/** Where the error rate's interval lies against the target, as a badge. */
export function EvidenceBadge({ evidence }: { evidence: Evidence }) {
  const { t } = useI18n();
  const key = evidence ?? "none";
  return (
    <span class={`badge evidence-${key}`} data-evidence={key}>
      {t(`scorecard.evidence.${key}`)}
    </span>
  );
}

/** The prior of the shrunken rates in words: Beta(α, β), its mean, how and over whom it was fitted. */
export function usePriorText() {
  const { t, fmt } = useI18n();
  return (prior: Prior, queues?: string[]) =>
    t(prior.method === "maximum-likelihood" ? "scorecard.prior.ml" : "scorecard.prior.jeffreys", {
      alpha: fmt.number(prior.alpha, 2),
      beta: fmt.number(prior.beta, 2),
      mean: fmt.percent(prior.mean, 2),
      groups: fmt.integer(prior.groups),
      audits: fmt.integer(prior.audits),
      queues: queues && queues.length > 0 ? queues.join(", ") : t("scorecard.allQueues"),
    }) + (prior.bound === "none" ? "" : ` ${t(`scorecard.prior.bound.${prior.bound}`)}`);
}
