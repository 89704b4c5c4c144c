import { useEffect, useMemo, useState } from "preact/hooks";
import type { IntervalMethod } from "../../../stats/methods.ts";
import { api, download, withQuery } from "../api.ts";
import {
  FilterForm,
  type Filters,
  filterQuery,
  filtersFrom,
  GROUP_FIELDS,
  type GroupField,
} from "../components/filters.tsx";
import {
  ActionButton,
  Checkbox,
  type Column,
  ErrorBox,
  Loading,
  PercentField,
  Section,
  SelectField,
  SortableTable,
  useAsync,
  useDebounced,
} from "../components/ui.tsx";
import { INTERVAL_METHOD_CHOICES, parseNumber } from "../forms.ts";
import { useI18n } from "../i18n/index.ts";
import { Link, replaceQuery } from "../router.tsx";

interface RateRow {
  audited: number;
  errors: number;
  rate: number | null;
  lower: number | null;
  upper: number | null;
}
interface QualityReport {
  groups: (RateRow & { key: Record<string, string | null> })[];
  overall: RateRow;
  confidence: number;
  method: string;
  timeZone: string;
}

export function QualityPage({ query }: { query: URLSearchParams }) {
  const { t, fmt } = useI18n();
  const [filters, setFilters] = useState<Filters>(() => filtersFrom(query));
  const [groupBy, setGroupBy] = useState<GroupField[]>(() => {
    const listed = (query.get("groupBy") ?? "queue").split(",").filter(Boolean);
    return GROUP_FIELDS.filter((f) => listed.includes(f));
  });
  // A percentage in the form; links from alerts give the API's fraction (0.95).
  const [confidence, setConfidence] = useState(() => {
    const given = parseNumber(query.get("confidence") ?? "");
    return given === undefined ? "95" : String(given < 1 ? +(given * 100).toPrecision(6) : given);
  });
  const [method, setMethod] = useState<IntervalMethod>(() => {
    const m = query.get("method");
    return (INTERVAL_METHOD_CHOICES as readonly string[]).includes(m ?? "")
      ? (m as IntervalMethod)
      : "wilson";
  });

  const request = useMemo(() => {
    const f = filterQuery(filters);
    if ("invalid" in f) return undefined;
    const c = parseNumber(confidence);
    if (c === undefined || c <= 0 || c >= 100) return undefined;
    return { ...f.query, groupBy: groupBy.join(","), confidence: String(c / 100), method };
  }, [filters, groupBy, confidence, method]);
  const settled = useDebounced(request ? JSON.stringify(request) : "", 300);
  useEffect(() => {
    if (!settled) return;
    const q = JSON.parse(settled) as Record<string, string>;
    replaceQuery({
      ...q,
      confidence: confidence === "95" ? undefined : confidence,
      method: method === "wilson" ? undefined : method,
    });
  }, [settled]);
  const report = useAsync(
    (signal) => api<QualityReport>("GET", "/v1/quality", { query: JSON.parse(settled), signal }),
    [settled],
    settled !== "",
  );

  const r = report.data;
  const chartLink = (key: Record<string, string | null>) => {
    const f = filterQuery(filters);
    const base = "query" in f ? f.query : {};
    const extra = Object.fromEntries(Object.entries(key).filter(([, v]) => v !== null)) as Record<
      string,
      string
    >;
    return withQuery("/charts", { ...base, ...extra });
  };
  const columns: Column<QualityReport["groups"][number]>[] = [
    ...groupBy.map(
      (field): Column<QualityReport["groups"][number]> => ({
        key: field,
        label: t(`field.${field}`),
        sortValue: (g) => g.key[field] ?? null,
        render: (g) => g.key[field] ?? t("common.none"),
      }),
    ),
    {
      key: "audited",
      label: t("quality.audited"),
      numeric: true,
      sortValue: (g) => g.audited,
      render: (g) => fmt.integer(g.audited),
    },
    {
      key: "errors",
      label: t("quality.errors"),
      numeric: true,
      sortValue: (g) => g.errors,
      render: (g) => fmt.integer(g.errors),
    },
    {
      key: "rate",
      label: t("quality.rate"),
      numeric: true,
      sortValue: (g) => g.rate,
      render: (g) => fmt.percent(g.rate, 2),
    },
    {
      key: "lower",
      label: t("quality.lower"),
      numeric: true,
      sortValue: (g) => g.lower,
      render: (g) => fmt.percent(g.lower, 2),
    },
    {
      key: "upper",
      label: t("quality.upper"),
      numeric: true,
      sortValue: (g) => g.upper,
      render: (g) => fmt.percent(g.upper, 2),
    },
    {
      key: "chart",
      label: t("quality.chart"),
      render: (g) => (
        <Link
          href={chartLink(g.key)}
          aria-label={t("quality.chartFor", { group: Object.values(g.key).join(" · ") })}
        >
          {t("quality.chart")}
        </Link>
      ),
    },
  ];

  return (
    <div>
      <h1>{t("quality.title")}</h1>
      <p class="lead">{t("quality.intro")}</p>
      <FilterForm filters={filters} onChange={setFilters} />
      <fieldset class="filters">
        <legend>{t("quality.options")}</legend>
        <fieldset class="checks">
          <legend>{t("quality.groupBy")}</legend>
          {GROUP_FIELDS.map((field) => (
            <Checkbox
              key={field}
              label={t(`field.${field}`)}
              checked={groupBy.includes(field)}
              onChecked={(on) =>
                setGroupBy((all) => GROUP_FIELDS.filter((f) => (f === field ? on : all.includes(f))))
              }
            />
          ))}
        </fieldset>
        <div class="grid">
          <PercentField label={t("planner.confidence")} value={confidence} onValue={setConfidence} />
          <SelectField
            label={t("quality.intervalMethod")}
            value={method}
            onValue={setMethod}
            options={INTERVAL_METHOD_CHOICES.map((m) => ({ value: m, label: t(`method.interval.${m}`) }))}
          />
        </div>
      </fieldset>
      <Section
        title={t("quality.table")}
        actions={
          <ActionButton
            kind="secondary"
            label={t("common.exportCsv")}
            disabled={!settled}
            run={() => download("/v1/quality", "quality.csv", { ...JSON.parse(settled), format: "csv" })}
          />
        }
      >
        <Loading when={report.loading} />
        <ErrorBox error={report.error} />
        {r && (
          <>
            <p data-testid="quality-overall" class="summary">
              {t("quality.overall", {
                audited: fmt.integer(r.overall.audited),
                errors: fmt.integer(r.overall.errors),
                rate: fmt.percent(r.overall.rate, 2),
                lower: fmt.percent(r.overall.lower, 2),
                upper: fmt.percent(r.overall.upper, 2),
                confidence: fmt.percent(r.confidence, 2),
              })}
            </p>
            <p class="hint">
              {t("quality.methodNote", { method: t(`method.interval.${method}`), zone: r.timeZone })}
            </p>
            {groupBy.length > 0 && (
              <SortableTable
                testId="quality-table"
                columns={columns}
                rows={r.groups}
                rowKey={(g) => JSON.stringify(g.key)}
                caption={t("quality.table")}
                captionHidden
                initialSort={{ key: "rate", direction: "descending" }}
              />
            )}
          </>
        )}
      </Section>
    </div>
  );
}
