import { Field } from "../../components/ui.tsx";
import { useI18n } from "../../i18n/index.ts";
import { type StoredDesign, useDesignSentence } from "./design.ts";
import type { RuleDraft } from "./rule-draft.ts";
import type { Rule } from "./types.ts";

/**
 * An EWMA or CUSUM chart's design fields (λ and L, or k and h; a target ARL₀ instead of L or h; the shift whose
 * ARL₁ is reported), empty for the service's defaults; and, editing a stored rule, the ARLs it was saved with.
 */
export function DesignFields({
  draft,
  set,
  stored,
}: {
  draft: RuleDraft;
  set: <K extends keyof RuleDraft>(field: K) => (value: RuleDraft[K]) => void;
  stored: Rule | undefined;
}) {
  const { t } = useI18n();
  const sentence = useDesignSentence();
  const type = draft.chartType;
  const c = stored?.condition;
  // The stored ARLs describe the stored type and interval: shown while the form still has that type.
  const saved =
    c && c.kind === "chart" && c.type === type
      ? sentence((c.ewma ?? c.cusum ?? c.bernoulli) as StoredDesign | undefined, c.type, c.interval)
      : null;
  return (
    <>
      {(type === "ewma" || type === "cusum") && (
        <div class="grid">
          {type === "ewma" ? (
            <>
              <Field
                label={t("chartDesign.lambda")}
                value={draft.lambda}
                onValue={set("lambda")}
                name="ewma-lambda"
                inputMode="decimal"
                hint={t("rules.design.lambda.hint")}
              />
              <Field
                label={t("rules.design.L")}
                value={draft.limitL}
                onValue={set("limitL")}
                name="ewma-L"
                inputMode="decimal"
                hint={t("rules.design.L.hint")}
              />
            </>
          ) : (
            <>
              <Field
                label={t("chartDesign.k")}
                value={draft.cusumK}
                onValue={set("cusumK")}
                name="cusum-k"
                inputMode="decimal"
                hint={t("rules.design.k.hint")}
              />
              <Field
                label={t("rules.design.h")}
                value={draft.cusumH}
                onValue={set("cusumH")}
                name="cusum-h"
                inputMode="decimal"
                hint={t("rules.design.h.hint")}
              />
            </>
          )}
          <Field
            label={t("rules.design.target")}
            value={draft.arlTarget}
            onValue={set("arlTarget")}
            name="arl-target"
            inputMode="decimal"
            hint={t(draft.interval === "week" ? "rules.design.target.week" : "rules.design.target.day")}
          />
          <Field
            label={t("rules.design.shift")}
            value={draft.shift}
            onValue={set("shift")}
            name="design-shift"
            inputMode="decimal"
            hint={t("rules.design.shift.hint")}
          />
        </div>
      )}
      {(type === "ewma" || type === "cusum") && <p class="hint">{t("rules.design.note")}</p>}
      {saved && (
        <p class="summary" data-testid="rule-design-arl">
          {t("rules.design.saved", { design: saved })}
        </p>
      )}
    </>
  );
}
