import { useMemo, useState } from "preact/hooks";
import type { IntervalMethod } from "../../../../stats/methods.ts";
import { CountField, ErrorBox, PercentField, Section, SelectField } from "../../components/ui.tsx";
import { INTERVAL_METHOD_CHOICES, inOpen, isCount, parseNumber } from "../../forms.ts";
import { INTERVAL_FORMULAS } from "../../formulas.ts";
import { useLiveResult } from "../../hooks.ts";
import { rateDecimals, useI18n } from "../../i18n/index.ts";

interface IntervalResult {
  estimate: number;
  lower: number;
  upper: number;
  method: string;
  confidence: number;
}

/** The error rate of an audit (errors of audited) with its confidence interval. */
export function IntervalCalculator() {
  const { t, fmt } = useI18n();
  const [count, setCount] = useState("12");
  const [n, setN] = useState("400");
  const [confidence, setConfidence] = useState("95");
  const [method, setMethod] = useState<IntervalMethod>("wilson");
  const request = useMemo(() => {
    const x = parseNumber(count);
    const size = parseNumber(n);
    const c = parseNumber(confidence);
    if (!isCount(size, 1)) return { invalid: "planner.invalid.n" as const };
    if (!isCount(x) || x! > size!) return { invalid: "planner.invalid.count" as const };
    if (!inOpen(c, 0, 100)) return { invalid: "planner.invalid.confidence" as const };
    return { body: { count: x, n: size, confidence: c! / 100, method } };
  }, [count, n, confidence, method]);
  const result = useLiveResult<IntervalResult>("/v1/interval", request.body, 200);
  const r = result.data;
  return (
    <Section title={t("planner.interval.title")}>
      <p class="lead">{t("planner.interval.intro")}</p>
      <div class="calc">
        <form class="grid" onSubmit={(e) => e.preventDefault()} aria-label={t("planner.interval.title")}>
          <CountField label={t("planner.errors")} value={count} onValue={setCount} name="count" />
          <CountField label={t("planner.audited")} value={n} onValue={setN} name="n" />
          <PercentField label={t("planner.confidence")} value={confidence} onValue={setConfidence} />
          <SelectField
            label={t("planner.method")}
            value={method}
            onValue={setMethod}
            options={INTERVAL_METHOD_CHOICES.map((m) => ({ value: m, label: t(`method.interval.${m}`) }))}
          />
        </form>
        <div class="result" aria-live="polite">
          {"invalid" in request && request.invalid ? (
            <p class="notice">{t(request.invalid)}</p>
          ) : (
            <>
              <p class="big">
                <span class="big-label">{t("planner.interval.rate")}</span>
                <output data-testid="interval-estimate">
                  {r ? fmt.rate(r.estimate, rateDecimals(r.lower, r.upper)) : "…"}
                </output>
              </p>
              {r && (
                <p data-testid="interval-range">
                  {t("planner.interval.range", {
                    confidence: fmt.percent(r.confidence, 2),
                    lower: fmt.rate(r.lower, rateDecimals(r.lower, r.upper)),
                    upper: fmt.rate(r.upper, rateDecimals(r.lower, r.upper)),
                  })}
                </p>
              )}
              <p>
                <code>{INTERVAL_FORMULAS[method]}</code>
              </p>
              <p class="hint">{t(`method.interval.${method}.note`)}</p>
            </>
          )}
          <ErrorBox error={result.error} />
        </div>
      </div>
    </Section>
  );
}
