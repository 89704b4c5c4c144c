import { plural, useI18n } from "../../i18n/index.ts";
import type { SampleEstimate } from "./types.ts";

/**
 * The estimate's caveats in the page's language, from its data (the API's `warnings` are the same in English):
 * strata left out for fewer than 2 audited items, no estimate at all, a variance of 0.
 */
export function EstimateWarnings({ estimate: e }: { estimate: SampleEstimate }) {
  const { t, fmt, lang } = useI18n();
  const excluded = e.strata.filter((s) => !s.included);
  return (
    <>
      {excluded.length > 0 && (
        <p class="hint" data-testid="estimate-excluded">
          {plural(lang, "samples.warn.excluded", excluded.length, {
            covered: fmt.integer(e.coverage.size),
            population: fmt.integer(e.coverage.population),
          })}{" "}
          {excluded.map((s, i) => (
            <span key={s.key}>
              {i > 0 && ", "}
              <code>{s.key}</code>
            </span>
          ))}
        </p>
      )}
      {e.rate === null && <p class="hint">{t("samples.warn.noEstimate")}</p>}
      {e.rate !== null && e.variance === 0 && <p class="hint">{t("samples.warn.zeroVariance")}</p>}
    </>
  );
}
