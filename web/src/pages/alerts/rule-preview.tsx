import { ErrorBox } from "../../components/ui.tsx";
import { useLiveResult } from "../../hooks.ts";
import { useI18n } from "../../i18n/index.ts";
import type { Preview } from "./types.ts";

/** Days the editor's preview looks back. */
const PREVIEW_DAYS = 30;

/** How often the rule in the form would have fired, re-asked as the form changes (debounced). */
export function RulePreview({ rule }: { rule: Record<string, unknown> | undefined }) {
  const { t, fmt } = useI18n();
  const preview = useLiveResult<Preview>(
    "/v1/alert-rules/preview",
    rule ? { ...rule, days: PREVIEW_DAYS } : undefined,
    500,
  );
  const data = preview.data;
  const plural = data && new Intl.PluralRules(fmt.locale).select(data.alertsWouldOpen);
  return (
    <section class="rule-preview" aria-label={t("rules.preview.title")}>
      <h3>{t("rules.preview.title")}</h3>
      {rule && !data && !preview.error && <p class="hint">{t("rules.preview.loading")}</p>}
      <ErrorBox error={preview.error} />
      {data && (
        <>
          <p role="status" data-testid="rule-preview" data-days-firing={data.daysFiring}>
            {t("rules.preview.result", {
              n: fmt.integer(data.daysFiring),
              days: fmt.integer(data.days),
              alerts: t(plural === "one" ? "rules.preview.alerts.one" : "rules.preview.alerts.other", {
                n: fmt.integer(data.alertsWouldOpen),
              }),
            })}
          </p>
          <ol class="preview-days" aria-hidden="true">
            {data.evaluations.map((e) => (
              <li key={e.date} class={e.firingCount > 0 ? "firing" : ""} />
            ))}
          </ol>
          {data.daysFiring > 0 && (
            <p class="hint">
              {t("rules.preview.days", {
                days: data.evaluations
                  .filter((e) => e.firingCount > 0)
                  .map((e) => fmt.day(e.date, "short"))
                  .join(", "),
              })}
            </p>
          )}
          <p class="hint">{t(`rules.preview.note.${data.note}`)}</p>
        </>
      )}
    </section>
  );
}
