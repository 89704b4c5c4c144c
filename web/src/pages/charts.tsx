import { useEffect, useMemo, useState } from "preact/hooks";
import { CHART_TYPES, type ChartType } from "../../../stats/spc/chart-types.ts";
import { NELSON_RULES, WESTERN_ELECTRIC_RULES } from "../../../stats/spc/run-rules.ts";
import { api } from "../api.ts";
import { ChartDesignPanel, type TimeWeightedParameters } from "../components/chart-design.tsx";
import { type ChartData, ControlChart, ruleLabel, SHEWHART } from "../components/control-chart.tsx";
import { FilterForm, type Filters, filterQuery, filtersFrom } from "../components/filters.tsx";
import { type FunnelData, FunnelPlot, type FunnelUnit } from "../components/funnel-plot.tsx";
import { funnelDecimals } from "../components/ticks.ts";
import {
  Checkbox,
  type Column,
  CountField,
  ErrorBox,
  Field,
  Loading,
  Section,
  SelectField,
  SortableTable,
  useAsync,
  useDebounced,
} from "../components/ui.tsx";
import { auditsFilterFrom, auditsHref, periodLastDay } from "../drill-down.ts";
import { isCount, parseNumber } from "../forms.ts";
import { type MessageKey, plural, useI18n } from "../i18n/index.ts";
import { Link, replaceQuery } from "../router.tsx";
import { SampleFilterNote } from "./samples/filter-note.tsx";

const INTERVALS = ["day", "week", "month"] as const;
type Interval = (typeof INTERVALS)[number];
const ZONE_RULES = [...WESTERN_ELECTRIC_RULES, ...NELSON_RULES] as const;
type Preset = "western-electric" | "nelson" | "none" | "custom";
const FUNNEL_BY = ["moderator", "auditor", "queue", "policy", "market"] as const;
type FunnelBy = (typeof FUNNEL_BY)[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** GET /v1/funnel's default minimum volume. */
const DEFAULT_MIN_AUDITED = 20;

/** The design GET /v1/charts answers for type bernoulli-cusum (zero-state ARLs in audits). */
interface BernoulliDesign {
  p0: number;
  p1: number;
  m: number;
  h: number;
  arl0: number;
  arl1: number;
  steps: "item" | "period";
}

function pick<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return (allowed as readonly string[]).includes(value ?? "") ? (value as T) : fallback;
}

/** Comma-separated dates, or undefined when one is not a date. */
/** λ, L, k and h from the page's address (issue 16's design form puts them there). */
function timeWeightedFrom(query: URLSearchParams): TimeWeightedParameters {
  const read = (name: string) => {
    const value = Number(query.get(name) ?? Number.NaN);
    return Number.isFinite(value) && value > 0 ? value : undefined;
  };
  return { lambda: read("lambda"), L: read("L"), k: read("k"), h: read("h") };
}

function dateList(text: string): string[] | undefined {
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return items.every((d) => DATE.test(d)) ? items : undefined;
}

export function ChartsPage({ query }: { query: URLSearchParams }) {
  const { t, fmt, lang } = useI18n();
  const [filters, setFilters] = useState<Filters>(() => filtersFrom(query));
  const [type, setType] = useState<ChartType>(() => pick(query.get("type"), CHART_TYPES, "p"));
  const [interval, setChartInterval] = useState<Interval>(() =>
    pick(query.get("interval"), INTERVALS, "day"),
  );
  // A preset, a list of zone rules (custom), or the time-weighted charts' own signals (which mean the default).
  const initialRules = query.get("rules") ?? "western-electric";
  const listed = initialRules.split(",").filter((r) => (ZONE_RULES as readonly string[]).includes(r));
  const [preset, setPreset] = useState<Preset>(() =>
    ["western-electric", "nelson", "none"].includes(initialRules)
      ? (initialRules as Preset)
      : listed.length > 0
        ? "custom"
        : "western-electric",
  );
  const [custom, setCustom] = useState<string[]>(() => (listed.length > 0 ? listed : ["we-1"]));
  const [phases, setPhases] = useState(() => query.get("phases") ?? "");
  const [baseline, setBaseline] = useState(() => query.get("baseline") ?? "");
  // Bernoulli CUSUM (issue 16): one point per period or per audit, and its design (empty = the server's default).
  const [per, setPer] = useState<"period" | "audit">(() =>
    pick(query.get("per"), ["period", "audit"], "period"),
  );
  const [p0, setP0] = useState(() => query.get("p0") ?? "");
  const [p1, setP1] = useState(() => query.get("p1") ?? "");
  const [targetArl0, setTargetArl0] = useState(() => query.get("targetArl0") ?? "");
  const bernoulli = type === "bernoulli-cusum";
  // Issue 16: λ, L (EWMA) or k, h (CUSUM) applied from the design form; the server's defaults otherwise.
  const [weights, setWeights] = useState<TimeWeightedParameters>(() => timeWeightedFrom(query));
  const [funnelBy, setFunnelBy] = useState<FunnelBy>(() => pick(query.get("by"), FUNNEL_BY, "moderator"));
  const [funnelMethod, setFunnelMethod] = useState<"exact" | "normal">("exact");
  const [overdispersion, setOverdispersion] = useState<"none" | "multiplicative">("none");
  // Issue 18: units with fewer audits than this are greyed (or hidden) and never flagged.
  const [minAudited, setMinAudited] = useState(() => query.get("minAudited") ?? String(DEFAULT_MIN_AUDITED));
  const [hideBelow, setHideBelow] = useState(false);
  const minimum = parseNumber(minAudited);
  const minimumValid = isCount(minimum, 1) && minimum! <= 1_000_000;

  const shewhart = SHEWHART.has(type);
  const problem = useMemo((): MessageKey | undefined => {
    if (phases.trim() && !dateList(phases)) return "charts.invalid.phases";
    if (baseline.trim() && !/^(\d{4}-\d{2}-\d{2}|\d+)\.\.(\d{4}-\d{2}-\d{2}|\d+)$/.test(baseline.trim()))
      return "charts.invalid.baseline";
    if (shewhart && preset === "custom" && custom.length === 0) return "charts.invalid.rules";
    if (bernoulli) {
      const [rate0, rate1, arl] = [p0, p1, targetArl0].map((text) => parseNumber(text));
      const rate = (v: number | undefined, text: string) =>
        !text.trim() || (v !== undefined && v > 0 && v < 1);
      if (
        !rate(rate0, p0) ||
        !rate(rate1, p1) ||
        (rate0 !== undefined && rate1 !== undefined && rate1 <= rate0)
      )
        return "charts.invalid.bernoulli";
      if (targetArl0.trim() && !(arl !== undefined && arl >= 1 && arl <= 1e9))
        return "charts.invalid.bernoulli";
    }
    return undefined;
  }, [phases, baseline, shewhart, preset, custom, bernoulli, p0, p1, targetArl0]);

  const common = useMemo(() => {
    const f = filterQuery(filters);
    return "query" in f ? f.query : undefined;
  }, [filters]);
  const chartRequest = useMemo(() => {
    if (!common || problem) return undefined;
    const rules = !shewhart
      ? preset === "none"
        ? "none"
        : undefined
      : preset === "custom"
        ? custom.join(",")
        : preset;
    return {
      ...common,
      type,
      interval,
      rules,
      phases: bernoulli ? undefined : dateList(phases)?.join(",") || undefined,
      baseline: baseline.trim() || undefined,
      ...(bernoulli
        ? {
            per: per === "audit" ? per : undefined,
            p0: p0.trim() || undefined,
            p1: p1.trim() || undefined,
            targetArl0: targetArl0.trim() || undefined,
          }
        : {}),
      ...(type === "ewma" ? { lambda: weights.lambda, L: weights.L } : {}),
      ...(type === "cusum" ? { k: weights.k, h: weights.h } : {}),
    };
  }, [
    common,
    problem,
    type,
    interval,
    preset,
    custom,
    phases,
    baseline,
    shewhart,
    weights,
    bernoulli,
    per,
    p0,
    p1,
    targetArl0,
  ]);
  const chartKey = useDebounced(chartRequest ? JSON.stringify(chartRequest) : "", 300);
  const funnelKey = useDebounced(
    common && minimumValid
      ? JSON.stringify({ ...common, by: funnelBy, method: funnelMethod, overdispersion, minAudited: minimum })
      : "",
    300,
  );
  useEffect(() => {
    if (!chartKey) return;
    const q = JSON.parse(chartKey) as Record<string, string>;
    replaceQuery({
      ...q,
      type: q.type === "p" ? undefined : q.type,
      interval: q.interval === "day" ? undefined : q.interval,
      rules: q.rules === "western-electric" ? undefined : q.rules,
      by: funnelBy === "moderator" ? undefined : funnelBy,
      minAudited: minimumValid && minimum !== DEFAULT_MIN_AUDITED ? minimum : undefined,
    });
  }, [chartKey, funnelBy, minimum, minimumValid]);

  const chart = useAsync(
    (signal) =>
      api<ChartData & { timeZone?: string; per?: string; bernoulliCusum?: BernoulliDesign }>(
        "GET",
        "/v1/charts",
        {
          query: JSON.parse(chartKey),
          signal,
        },
      ),
    [chartKey],
    chartKey !== "",
  );
  const funnel = useAsync(
    (signal) => api<FunnelData>("GET", "/v1/funnel", { query: JSON.parse(funnelKey), signal }),
    [funnelKey],
    funnelKey !== "",
  );

  const data = chart.data;
  /** The audits behind a chart point (issue 18): its period as from/to in the chart's time zone, and the filters. */
  const pointHref = (p: ChartData["points"][number]) => {
    if (!chartKey || !p.label || data?.per === "audit") return undefined;
    const shown = JSON.parse(chartKey) as Record<string, string> & { interval: Interval };
    const filters = auditsFilterFrom(new URLSearchParams(shown));
    const tz = data?.timeZone ?? shown.tz;
    return auditsHref({ ...filters, tz, from: p.label, to: periodLastDay(p.label, shown.interval) });
  };
  /** The audits behind a funnel unit: its group value and the filters ("(none)" is no value to filter by). */
  const unitHref = (u: FunnelUnit) => {
    if (!funnelKey || u.key === "(none)") return undefined;
    const shown = JSON.parse(funnelKey) as Record<string, string> & { by: FunnelBy };
    return auditsHref({ ...auditsFilterFrom(new URLSearchParams(shown)), [shown.by]: String(u.key) });
  };
  const signalColumns: Column<ChartData["points"][number]>[] = [
    {
      key: "label",
      label: t("charts.period"),
      sortValue: (p) => p.index,
      render: (p) =>
        p.label ? (data?.per === "audit" ? fmt.dateTime(p.label) : fmt.day(p.label)) : String(p.index + 1),
    },
    {
      key: "value",
      label: t("charts.value"),
      numeric: true,
      sortValue: (p) => p.value,
      render: (p) => (type === "p" || type === "laney-p" ? fmt.percent(p.value, 2) : fmt.number(p.value, 3)),
    },
    {
      key: "rules",
      label: t("charts.rules"),
      render: (p) => p.signals.map((r) => ruleLabel(t, r)).join("; "),
    },
    {
      key: "audits",
      label: t("audits.title"),
      render: (p) => {
        const href = pointHref(p);
        return href ? (
          <Link href={href}>
            {t("audits.link.open")}
            <span class="visually-hidden"> ({t("audits.link.period", { period: fmt.day(p.label) })})</span>
          </Link>
        ) : null;
      },
    },
  ];
  const belowMinimum = funnel.data?.units.filter((u) => u.belowMinimum).length ?? 0;
  // The outside units' rates with the decimals the plot gives them (the rate rule on the funnel's limits).
  const unitDecimals = funnel.data ? funnelDecimals(funnel.data.curves) : undefined;
  const typeLabel = t(`chartType.${type}`);

  return (
    <div>
      <h1>{t("charts.title")}</h1>
      <p class="lead">{t("charts.intro")}</p>
      <FilterForm filters={filters} onChange={setFilters} />
      <SampleFilterNote
        sampleId={filters.sampleId}
        onClear={() => setFilters({ ...filters, sampleId: "" })}
      />
      <fieldset class="filters">
        <legend>{t("charts.options")}</legend>
        <div class="grid">
          <SelectField
            label={t("charts.type")}
            value={type}
            onValue={setType}
            name="type"
            options={CHART_TYPES.map((c) => ({ value: c, label: t(`chartType.${c}`) }))}
          />
          <SelectField
            label={t("charts.interval")}
            value={interval}
            onValue={setChartInterval}
            name="interval"
            options={INTERVALS.map((i) => ({ value: i, label: t(`interval.${i}`) }))}
          />
          <SelectField
            label={t("charts.rules")}
            value={shewhart ? preset : preset === "none" ? "none" : "western-electric"}
            onValue={setPreset}
            name="rules"
            hint={shewhart ? undefined : t("charts.rules.timeWeighted")}
            options={
              shewhart
                ? [
                    { value: "western-electric", label: t("rules.western-electric") },
                    { value: "nelson", label: t("rules.nelson") },
                    { value: "custom", label: t("rules.custom") },
                    { value: "none", label: t("rules.none") },
                  ]
                : [
                    { value: "western-electric", label: t("rules.own") },
                    { value: "none", label: t("rules.none") },
                  ]
            }
          />
          {!bernoulli && (
            <Field
              label={t("charts.phases")}
              value={phases}
              onValue={setPhases}
              name="phases"
              placeholder="2026-10-15"
              hint={t("charts.phases.hint")}
            />
          )}
          <Field
            label={t("charts.baseline")}
            value={baseline}
            onValue={setBaseline}
            name="baseline"
            placeholder="2026-09-01..2026-10-14"
            hint={t("charts.baseline.hint")}
          />
          {bernoulli && (
            <>
              <SelectField
                label={t("charts.per")}
                value={per}
                onValue={setPer}
                name="per"
                options={[
                  { value: "period", label: t("charts.per.period") },
                  { value: "audit", label: t("charts.per.audit") },
                ]}
              />
              <Field
                label={t("charts.bernoulli.p0")}
                value={p0}
                onValue={setP0}
                name="p0"
                hint={t("charts.bernoulli.p0.hint")}
              />
              <Field
                label={t("charts.bernoulli.p1")}
                value={p1}
                onValue={setP1}
                name="p1"
                hint={t("charts.bernoulli.p1.hint")}
              />
              <Field
                label={t("charts.bernoulli.targetArl0")}
                value={targetArl0}
                onValue={setTargetArl0}
                name="targetArl0"
                hint={t("charts.bernoulli.targetArl0.hint")}
              />
            </>
          )}
        </div>
        {shewhart && preset === "custom" && (
          <fieldset class="checks">
            <legend>{t("charts.customRules")}</legend>
            {ZONE_RULES.map((rule) => (
              <Checkbox
                key={rule}
                label={ruleLabel(t, rule)}
                checked={custom.includes(rule)}
                onChecked={(on) =>
                  setCustom((all) => ZONE_RULES.filter((r) => (r === rule ? on : all.includes(r))))
                }
              />
            ))}
          </fieldset>
        )}
        {problem && (
          <p class="notice" role="status">
            {t(problem)}
          </p>
        )}
      </fieldset>

      <Section title={t("charts.controlChart", { type: typeLabel })}>
        <Loading when={chart.loading} />
        <ErrorBox error={chart.error} />
        {data && data.points.length === 0 && <p class="notice">{t("charts.noData")}</p>}
        {data && data.points.length > 0 && (
          <>
            <ControlChart
              data={data}
              title={t("charts.controlChart", { type: typeLabel })}
              pointHref={pointHref}
            />
            <p class="summary" data-testid="signal-count">
              {t("charts.signalCount", {
                points: fmt.integer(data.points.filter((p) => p.signals.length > 0).length),
                signals: fmt.integer(data.signals.length),
              })}
            </p>
            {data.bernoulliCusum && (
              <p class="summary" data-testid="bernoulli-design">
                {t("charts.bernoulli.design", {
                  m: fmt.integer(data.bernoulliCusum.m),
                  h: fmt.number(data.bernoulliCusum.h, 3),
                  p0: fmt.percent(data.bernoulliCusum.p0, 2),
                  p1: fmt.percent(data.bernoulliCusum.p1, 2),
                  arl0: fmt.integer(Math.round(data.bernoulliCusum.arl0)),
                  arl1: fmt.integer(Math.round(data.bernoulliCusum.arl1)),
                })}
                {data.bernoulliCusum.steps === "period" && ` ${t("charts.bernoulli.periodNote")}`}
              </p>
            )}
            <SortableTable
              columns={signalColumns}
              rows={data.points.filter((p) => p.signals.length > 0)}
              rowKey={(p) => String(p.index)}
              caption={t("charts.signals")}
              testId="signal-table"
            />
            {data.phases && data.phases.length > 0 && (
              <div class="table-wrap">
                <table>
                  <caption>{t("charts.phaseTable")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("charts.phaseCol")}</th>
                      <th scope="col">{t("charts.from")}</th>
                      <th scope="col">{t("charts.to")}</th>
                      <th scope="col" class="num">
                        {t("chart.centre")}
                      </th>
                      <th scope="col" class="num">
                        {t("charts.estimatedFrom")}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.phases.map((ph) => (
                      <tr key={ph.phase}>
                        <th scope="row">{t("chart.phase", { n: ph.phase + 1 })}</th>
                        <td>{fmt.day(data.points[ph.from]?.label)}</td>
                        <td>{fmt.day(data.points[ph.to]?.label)}</td>
                        <td class="num">
                          {type === "p" || type === "laney-p"
                            ? fmt.percent(ph.center, 2)
                            : fmt.number(ph.center, 3)}
                        </td>
                        <td class="num">{fmt.integer(ph.estimatedFrom)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {(type === "ewma" || type === "cusum") && (
              <ChartDesignPanel
                data={data}
                interval={interval}
                onApply={(designed, parameters) => {
                  setWeights(parameters);
                  setType(designed);
                }}
              />
            )}
            {(data.notes ?? []).map((note) => (
              <p key={note} class="hint technical" lang="en">
                {note}
              </p>
            ))}
          </>
        )}
      </Section>

      <Section title={t("charts.funnel")}>
        <div class="grid">
          <SelectField
            label={t("charts.funnelBy")}
            value={funnelBy}
            onValue={setFunnelBy}
            name="by"
            options={FUNNEL_BY.map((b) => ({ value: b, label: t(`field.${b}`) }))}
          />
          <SelectField
            label={t("charts.funnelMethod")}
            value={funnelMethod}
            onValue={setFunnelMethod}
            options={[
              { value: "exact", label: t("funnel.method.exact") },
              { value: "normal", label: t("funnel.method.normal") },
            ]}
          />
          <SelectField
            label={t("charts.overdispersion")}
            value={overdispersion}
            onValue={setOverdispersion}
            options={[
              { value: "none", label: t("funnel.overdispersion.none") },
              { value: "multiplicative", label: t("funnel.overdispersion.multiplicative") },
            ]}
          />
          <CountField
            label={t("funnel.minAudited")}
            value={minAudited}
            onValue={setMinAudited}
            name="minAudited"
            hint={t("funnel.minAudited.hint")}
          />
        </div>
        {!minimumValid && (
          <p class="notice" role="status">
            {t("funnel.minAudited.invalid")}
          </p>
        )}
        <Loading when={funnel.loading} />
        <ErrorBox error={funnel.error} />
        {funnel.data && funnel.data.units.length === 0 && <p class="notice">{t("charts.noData")}</p>}
        {funnel.data && funnel.data.units.length > 0 && (
          <>
            {belowMinimum > 0 && (
              <div class="below-minimum-note">
                <p class="hint" data-testid="funnel-below-minimum">
                  {plural(
                    lang,
                    hideBelow ? "funnel.belowMinimum.hidden" : "funnel.belowMinimum.greyed",
                    belowMinimum,
                    { min: fmt.integer(funnel.data.minAudited ?? minimum) },
                  )}
                </p>
                <Checkbox
                  label={t("funnel.belowMinimum.hide")}
                  checked={hideBelow}
                  onChecked={setHideBelow}
                />
              </div>
            )}
            <FunnelPlot
              data={funnel.data}
              title={t("charts.funnelOf", { by: t(`field.${funnelBy}`) })}
              unitHref={unitHref}
              hideBelowMinimum={hideBelow}
            />
            <SortableTable
              testId="funnel-outside"
              caption={t("charts.outside")}
              rows={funnel.data.units.filter((u) => u.band !== "inside")}
              rowKey={(u) => String(u.key)}
              initialSort={{ key: "z", direction: "descending" }}
              columns={[
                {
                  key: "key",
                  label: t(`field.${funnelBy}`),
                  sortValue: (u) => String(u.key),
                  render: (u) => String(u.key),
                },
                {
                  key: "n",
                  label: t("quality.audited"),
                  numeric: true,
                  sortValue: (u) => u.n,
                  render: (u) => fmt.integer(u.n),
                },
                {
                  key: "rate",
                  label: t("quality.rate"),
                  numeric: true,
                  sortValue: (u) => u.rate,
                  render: (u) => fmt.rate(u.rate, unitDecimals),
                },
                {
                  key: "z",
                  label: "z",
                  numeric: true,
                  sortValue: (u) => u.z,
                  render: (u) => fmt.number(u.z, 2),
                },
                {
                  key: "band",
                  label: t("charts.band"),
                  sortValue: (u) => u.band,
                  render: (u) => {
                    const [side, level] = u.band.split("-");
                    return t(side === "above" ? "funnel.above" : "funnel.below", { level: `${level} %` });
                  },
                },
                {
                  key: "audits",
                  label: t("audits.title"),
                  render: (u) => {
                    const href = unitHref(u);
                    return href ? (
                      <Link href={href}>
                        {t("audits.link.open")}
                        <span class="visually-hidden">
                          {" "}
                          ({t("audits.link.unit", { unit: String(u.key) })})
                        </span>
                      </Link>
                    ) : null;
                  },
                },
              ]}
            />
          </>
        )}
      </Section>
    </div>
  );
}
