import { useMemo, useState } from "preact/hooks";
import { api } from "../api.ts";
import { parseNumber } from "../forms.ts";
import { type MessageKey, useI18n } from "../i18n/index.ts";
import { chartBasis, type DesignableChart } from "./chart-design-basis.ts";
import { ErrorBox, Field, Loading, PercentField, SelectField, useAsync, useDebounced } from "./ui.tsx";

/** The EWMA and CUSUM parameters of a stored chart (GET /v1/charts `lambda`, `L`, `k`, `h`). */
export interface TimeWeightedParameters {
  lambda?: number;
  L?: number;
  k?: number;
  h?: number;
}

type DesignType = "ewma" | "cusum";
type Interval = "day" | "week" | "month";

interface DesignAnswer {
  L?: number;
  h?: number;
  k?: number;
  lambda?: number;
  arl0: number;
  arl1: number;
  p1?: number;
}

/** The page shows two or three digits: chains converged to 0.1 % are enough and several times cheaper. */
const PAGE_TOLERANCE = 1e-3;

const UNIT: Record<Interval, MessageKey> = {
  day: "chartDesign.unit.day",
  week: "chartDesign.unit.week",
  month: "chartDesign.unit.month",
};
const PER: Record<Interval, MessageKey> = {
  day: "chartDesign.per.day",
  week: "chartDesign.per.week",
  month: "chartDesign.per.month",
};

/**
 * Issue 16: the ARL₀/ARL₁ of the EWMA or CUSUM chart on display in plain words (a doubling of its error rate,
 * at its centre and typical subgroup size, by POST /v1/chart-design), and a design form whose L or h can be
 * applied to the chart.
 */
export function ChartDesignPanel({
  data,
  interval,
  onApply,
}: {
  data: DesignableChart;
  interval: Interval;
  onApply(type: DesignType, parameters: TimeWeightedParameters): void;
}) {
  const { t, fmt } = useI18n();
  const basis = useMemo(() => chartBasis(data), [data]);
  const chartType: DesignType | undefined = data.ewma ? "ewma" : data.cusum ? "cusum" : undefined;
  const unit = t(UNIT[interval]);
  const doubled = basis && 2 * basis.p0 < 1 ? 2 * basis.p0 : undefined;

  const currentKey =
    basis && doubled && chartType
      ? JSON.stringify({
          type: chartType,
          ...(data.ewma
            ? { lambda: data.ewma.lambda, L: data.ewma.L, limits: "time-varying" }
            : { k: data.cusum?.k, h: data.cusum?.h }),
          tolerance: PAGE_TOLERANCE,
          p0: basis.p0,
          n: basis.n,
          p1: doubled,
        })
      : "";
  const current = useAsync(
    (signal) => api<DesignAnswer>("POST", "/v1/chart-design", { json: JSON.parse(currentKey), signal }),
    [currentKey],
    currentKey !== "",
  );

  const [type, setType] = useState<DesignType>(chartType ?? "ewma");
  const [weight, setWeight] = useState(() => String(data.ewma?.lambda ?? 0.2));
  const [reference, setReference] = useState(() => String(data.cusum?.k ?? ""));
  const [target, setTarget] = useState("370");
  const [rate, setRate] = useState(() => (doubled ? String(+(doubled * 100).toPrecision(4)) : ""));
  const request = useMemo(() => {
    if (!basis) return undefined;
    const targetArl0 = parseNumber(target);
    const p1 = (parseNumber(rate) ?? Number.NaN) / 100;
    const lambda = parseNumber(weight);
    const k = parseNumber(reference);
    return {
      type,
      ...(type === "ewma" ? { lambda, limits: "time-varying" } : reference.trim() ? { k } : {}),
      targetArl0,
      tolerance: PAGE_TOLERANCE,
      p0: basis.p0,
      n: basis.n,
      p1,
    };
  }, [basis, type, weight, reference, target, rate]);
  const designKey = useDebounced(request ? JSON.stringify(request) : "", 400);
  const design = useAsync(
    (signal) => api<DesignAnswer>("POST", "/v1/chart-design", { json: JSON.parse(designKey), signal }),
    [designKey],
    designKey !== "",
  );

  if (!basis || !chartType) return <p class="hint">{t("chartDesign.unavailable")}</p>;
  const sentence = (answer: DesignAnswer, p1: number | undefined) =>
    t("chartDesign.sentence", {
      arl0: fmt.number(answer.arl0, answer.arl0 < 10 ? 1 : 0),
      arl1: fmt.number(answer.arl1, answer.arl1 < 10 ? 1 : 0),
      unit,
      p1: fmt.percent(p1 ?? answer.p1 ?? null, 2),
    });
  const designed = design.data;
  return (
    <div class="chart-design" data-testid="chart-design">
      <h3>{t("chartDesign.title")}</h3>
      <p class="hint">
        {t("chartDesign.basis", {
          p0: fmt.percent(basis.p0, 2),
          n: fmt.integer(basis.n),
          per: t(PER[interval]),
        })}
      </p>
      <Loading when={current.loading} />
      <ErrorBox error={current.error} />
      {current.data && (
        <p class="summary" data-testid="chart-arl">
          {sentence(current.data, doubled)}
        </p>
      )}
      <fieldset>
        <legend>{t("chartDesign.form")}</legend>
        <div class="grid">
          <SelectField
            label={t("charts.type")}
            value={type}
            onValue={setType}
            options={[
              { value: "ewma", label: "EWMA" },
              { value: "cusum", label: "CUSUM" },
            ]}
          />
          {type === "ewma" ? (
            <Field label={t("chartDesign.lambda")} inputMode="decimal" value={weight} onValue={setWeight} />
          ) : (
            <Field
              label={t("chartDesign.k")}
              hint={t("chartDesign.k.hint")}
              inputMode="decimal"
              value={reference}
              onValue={setReference}
            />
          )}
          <Field
            label={t("chartDesign.target")}
            hint={t("chartDesign.target.hint", { unit })}
            inputMode="decimal"
            value={target}
            onValue={setTarget}
          />
          <PercentField label={t("chartDesign.p1")} value={rate} onValue={setRate} />
        </div>
      </fieldset>
      <Loading when={design.loading} />
      <ErrorBox error={design.error} />
      {designed && (
        <div data-testid="chart-design-result">
          <p class="summary">
            {type === "ewma"
              ? t("chartDesign.resultL", { L: fmt.number(designed.L, 3) })
              : t("chartDesign.resultH", { h: fmt.number(designed.h, 3), k: fmt.number(designed.k, 3) })}{" "}
            {sentence(designed, undefined)}
          </p>
          <button
            type="button"
            onClick={() =>
              onApply(
                type,
                type === "ewma"
                  ? { lambda: designed.lambda, L: round3(designed.L) }
                  : { k: round3(designed.k), h: round3(designed.h) },
              )
            }
          >
            {t("chartDesign.apply")}
          </button>
        </div>
      )}
    </div>
  );
}

const round3 = (value: number | undefined) =>
  value === undefined ? undefined : Math.round(value * 1000) / 1000;
