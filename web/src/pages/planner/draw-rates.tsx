import { useMemo } from "preact/hooks";
import { stratumKey } from "../../../../src/sampling/strata.ts";
import { api } from "../../api.ts";
import { CountField, ErrorBox, Loading, PercentField, SelectField, useAsync } from "../../components/ui.tsx";
import { isCount, parseNumber } from "../../forms.ts";
import { type MessageKey, useI18n } from "../../i18n/index.ts";

/** Where the draw takes each stratum's expected error rate from (Neyman weights, per-stratum sizing). */
export interface RatesChoice {
  mode: "none" | "typed" | "history";
  /** Percentages as typed, by stratum key; blank = not given. */
  typed: Record<string, string>;
  /** The history window in days. */
  days: string;
}

export const NO_RATES: RatesChoice = { mode: "none", typed: {}, days: "30" };

/** More strata than this are not offered for typing (take them from history instead). */
const MAX_TYPED_STRATA = 60;

/** The draw request's part for the choice (`expectedRates` or `fromHistory`), or the key of what is wrong. */
export function ratesBody(choice: RatesChoice): { body: Record<string, unknown> } | { invalid: MessageKey } {
  if (choice.mode === "history") {
    const days = parseNumber(choice.days);
    if (!isCount(days, 1) || days! > 3660) return { invalid: "planner.rates.invalid.days" };
    return { body: { fromHistory: { days } } };
  }
  if (choice.mode === "typed") {
    const rates: Record<string, number> = {};
    for (const [key, text] of Object.entries(choice.typed)) {
      if (text.trim() === "") continue;
      const value = parseNumber(text);
      if (value === undefined || value < 0 || value > 100) return { invalid: "planner.rates.invalid.rate" };
      rates[key] = value / 100;
    }
    return { body: Object.keys(rates).length > 0 ? { expectedRates: rates } : {} };
  }
  return { body: {} };
}

interface PopulationValues {
  attributes: Record<string, Record<string, number>>;
  absent: Record<string, number>;
}

/** Every combination of the attributes' values (absent = ""), as stratum keys; undefined past the cap. */
function strataKeys(attributes: string[], population: PopulationValues): string[] | undefined {
  let combos: string[][] = [[]];
  for (const attribute of attributes) {
    const values = Object.keys(population.attributes[attribute] ?? {});
    if ((population.absent[attribute] ?? 0) > 0) values.push("");
    combos = combos.flatMap((combo) => values.map((value) => [...combo, value]));
    if (combos.length > MAX_TYPED_STRATA) return undefined;
  }
  return combos.map((values) => stratumKey(attributes, values));
}

/** The choice of expected rates per stratum: none, typed per stratum, or from the audits of the last days. */
export function ExpectedRatesField({
  populationId,
  strataBy,
  value,
  onValue,
}: {
  populationId: string;
  strataBy: string[];
  value: RatesChoice;
  onValue(next: RatesChoice): void;
}) {
  const { t } = useI18n();
  const detail = useAsync(
    (signal) =>
      api<PopulationValues>("GET", `/v1/populations/${encodeURIComponent(populationId)}`, { signal }),
    [populationId],
    value.mode === "typed",
  );
  const keys = useMemo(() => (detail.data ? strataKeys(strataBy, detail.data) : []), [detail.data, strataBy]);
  return (
    <fieldset class="rates" data-testid="expected-rates">
      <legend>{t("planner.rates")}</legend>
      <div class="grid">
        <SelectField
          label={t("planner.rates.source")}
          value={value.mode}
          onValue={(mode) => onValue({ ...value, mode })}
          options={[
            { value: "none", label: t("planner.rates.none") },
            { value: "typed", label: t("planner.rates.typed") },
            { value: "history", label: t("planner.rates.history") },
          ]}
          name="rates-source"
        />
        {value.mode === "history" && (
          <CountField
            label={t("planner.rates.days")}
            value={value.days}
            onValue={(days) => onValue({ ...value, days })}
            hint={t("planner.rates.days.hint")}
            name="rates-days"
          />
        )}
      </div>
      <p class="hint">{t("planner.rates.hint")}</p>
      {value.mode === "typed" && (
        <>
          <Loading when={detail.loading} />
          <ErrorBox error={detail.error} />
          {keys === undefined ? (
            <p class="notice">{t("planner.rates.tooMany", { max: MAX_TYPED_STRATA })}</p>
          ) : (
            <div class="grid">
              {keys.map((key) => (
                <PercentField
                  key={key}
                  label={t("planner.rates.of", { stratum: key })}
                  value={value.typed[key] ?? ""}
                  onValue={(text) => onValue({ ...value, typed: { ...value.typed, [key]: text } })}
                />
              ))}
            </div>
          )}
        </>
      )}
    </fieldset>
  );
}
