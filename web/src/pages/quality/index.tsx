import { useEffect, useMemo, useState } from "preact/hooks";
import type { IntervalMethod } from "../../../../stats/methods.ts";
import { api, download, withQuery } from "../../api.ts";
import {
  FilterForm,
  type Filters,
  filterQuery,
  filtersFrom,
  GROUP_FIELDS,
  type GroupField,
} from "../../components/filters.tsx";
import {
  ActionButton,
  Checkbox,
  type Column,
  ErrorBox,
  Field,
  Loading,
  PercentField,
  Section,
  SelectField,
  SortableTable,
  useAsync,
  useDebounced,
} from "../../components/ui.tsx";
import { auditsHref } from "../../drill-down.ts";
import { INTERVAL_METHOD_CHOICES, parseNumber } from "../../forms.ts";
import { rateDecimals, useI18n } from "../../i18n/index.ts";
import { formatPValue } from "../../p-values.ts";
import { Link, replaceQuery } from "../../router.tsx";
import { SampleFilterNote } from "../samples/filter-note.tsx";
import { PolicyConfusionSection, PolicyImpactSection } from "./policy.tsx";

interface RateRow {
  audited: number;
  errors: number;
  rate: number | null;
  lower: number | null;
  upper: number | null;
  /** The severity-weighted error index, when the report was asked with weights. */
  weighted?: { index: number; lower: number | null; upper: number | null } | null;
  /** With a limit (issue 16): P(X ≥ errors | audited, limit), its q-value across groups, q ≤ fdr. */
  p?: number;
  q?: number;
  flagged?: boolean;
}
interface QualityReport {
  groups: (RateRow & { key: Record<string, string | null> })[];
  overall: RateRow;
  confidence: number;
  method: string;
  weights?: number[];
  limit?: number;
  fdr?: number;
  multiplicity?: "bh" | "by";
  flagged?: number;
  timeZone: string;
}

/** Adjustments of the groups' p-values offered with a limit (issue 16). */
const MULTIPLICITIES = ["bh", "by"] as const;

/** A percentage typed in the form → the API's fraction, or undefined when empty; NaN when out of (lo, 100). */
function fraction(text: string, allowZero: boolean): number | undefined {
  if (!text.trim()) return undefined;
  const x = parseNumber(text);
  return x !== undefined && (allowZero ? x >= 0 : x > 0) && x < 100 ? x / 100 : Number.NaN;
}
/** The API's fraction given in a link → the form's percentage text. */
const percentOf = (given: string | null) => {
  const x = parseNumber(given ?? "");
  return x === undefined ? "" : String(+(x * 100).toPrecision(6));
};

/** Severity weightings offered (severities 1–4), and "custom" for typed weights. */
const WEIGHTINGS = ["", "1,2,4,8", "1,3,9,27", "custom"] as const;
type Weighting = (typeof WEIGHTINGS)[number];

/** Four positive numbers separated by commas, as the API takes them. */
const validWeights = (text: string) => {
  const parts = text.split(",").map((part) => parseNumber(part));
  return parts.length === 4 && parts.every((w) => w !== undefined && w > 0 && w <= 1_000_000);
};

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

  const [weighting, setWeighting] = useState<Weighting>(() => {
    const given = query.get("weights") ?? "";
    return (WEIGHTINGS as readonly string[]).includes(given) ? (given as Weighting) : "custom";
  });
  const [customWeights, setCustomWeights] = useState(() => query.get("weights") ?? "");
  const weights = weighting === "custom" ? customWeights.replace(/\s+/g, "") : weighting;
  // Issue 16: a limit (percent) tests every group; FDR (percent) and the adjustment apply with it.
  const [limit, setLimit] = useState(() => percentOf(query.get("limit")));
  const [fdr, setFdr] = useState(() => percentOf(query.get("fdr")) || "5");
  const [multiplicity, setMultiplicity] = useState<(typeof MULTIPLICITIES)[number]>(() =>
    query.get("multiplicity") === "by" ? "by" : "bh",
  );
  const limitValue = fraction(limit, true);
  const fdrValue = fraction(fdr, false);
  const testInvalid =
    limitValue !== undefined &&
    (Number.isNaN(limitValue) || fdrValue === undefined || Number.isNaN(fdrValue));

  const request = useMemo(() => {
    const f = filterQuery(filters);
    if ("invalid" in f) return undefined;
    const c = parseNumber(confidence);
    if (c === undefined || c <= 0 || c >= 100) return undefined;
    if (weights && !validWeights(weights)) return undefined;
    if (testInvalid) return undefined;
    return {
      ...f.query,
      groupBy: groupBy.join(","),
      confidence: String(c / 100),
      method,
      ...(weights ? { weights } : {}),
      ...(limitValue !== undefined ? { limit: String(limitValue), fdr: String(fdrValue), multiplicity } : {}),
    };
  }, [filters, groupBy, confidence, method, weights, limitValue, fdrValue, multiplicity, testInvalid]);
  const filterOnly = useMemo(() => {
    const f = filterQuery(filters);
    return "invalid" in f ? undefined : f.query;
  }, [filters]);
  const settledFilters = useDebounced(filterOnly ? JSON.stringify(filterOnly) : "", 300);
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
  /**
   * The audits behind a row's count (issue 18): the row's group values and the page's filters, and for the errors
   * `outcome=incorrect`. The audited count is every audit, so it drops an error-type filter (which lists only errors
   * of that type). A row of an absent value (no policy, no market) cannot be listed by that value: no link.
   */
  const auditsLink = (key: Record<string, string | null>, errors: boolean, count: string) => {
    const f = filterQuery(filters);
    if ("invalid" in f || Object.values(key).some((v) => v === null)) return count;
    const base = errors ? f.query : { ...f.query, errorType: undefined };
    const href = auditsHref({
      ...base,
      ...(key as Record<string, string>),
      ...(errors ? { outcome: "incorrect" } : {}),
    });
    const group = Object.values(key).join(" · ");
    return (
      <Link
        href={href}
        aria-label={t(errors ? "audits.link.errors" : "audits.link.audited", { group, count })}
      >
        {count}
      </Link>
    );
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
      render: (g) => auditsLink(g.key, false, fmt.integer(g.audited)),
    },
    {
      key: "errors",
      label: t("quality.errors"),
      numeric: true,
      sortValue: (g) => g.errors,
      render: (g) => auditsLink(g.key, true, fmt.integer(g.errors)),
    },
    {
      key: "rate",
      label: t("quality.rate"),
      numeric: true,
      sortValue: (g) => g.rate,
      render: (g) => fmt.rate(g.rate, rateDecimals(g.lower, g.upper)),
    },
    {
      key: "lower",
      label: t("quality.lower"),
      numeric: true,
      sortValue: (g) => g.lower,
      render: (g) => fmt.rate(g.lower, rateDecimals(g.lower, g.upper)),
    },
    {
      key: "upper",
      label: t("quality.upper"),
      numeric: true,
      sortValue: (g) => g.upper,
      render: (g) => fmt.rate(g.upper, rateDecimals(g.lower, g.upper)),
    },
    ...(r?.weights
      ? [
          {
            key: "weighted",
            label: t("quality.weighted"),
            numeric: true,
            sortValue: (g: QualityReport["groups"][number]) => g.weighted?.index ?? null,
            render: (g: QualityReport["groups"][number]) => fmt.fixed(g.weighted?.index, 3),
          },
          {
            key: "weightedInterval",
            label: t("quality.weightedInterval"),
            numeric: true,
            render: (g: QualityReport["groups"][number]) =>
              `${fmt.fixed(g.weighted?.lower, 3)} – ${fmt.fixed(g.weighted?.upper, 3)}`,
          },
        ]
      : []),
    ...(r?.limit !== undefined
      ? [
          {
            key: "p",
            label: t("quality.p"),
            numeric: true,
            sortValue: (g: QualityReport["groups"][number]) => g.p ?? null,
            render: (g: QualityReport["groups"][number]) => formatPValue(fmt.locale, g.p),
          },
          {
            key: "q",
            label: t("quality.q"),
            numeric: true,
            sortValue: (g: QualityReport["groups"][number]) => g.q ?? null,
            render: (g: QualityReport["groups"][number]) => formatPValue(fmt.locale, g.q),
          },
          {
            key: "flagged",
            label: t("quality.flagged"),
            sortValue: (g: QualityReport["groups"][number]) => (g.flagged ? 1 : 0),
            render: (g: QualityReport["groups"][number]) =>
              g.flagged ? (
                <strong class="flagged">{t("quality.flagged.yes")}</strong>
              ) : (
                t("quality.flagged.no")
              ),
          },
        ]
      : []),
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
      <SampleFilterNote
        sampleId={filters.sampleId}
        onClear={() => setFilters({ ...filters, sampleId: "" })}
      />
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
          <SelectField
            label={t("quality.weights")}
            value={weighting}
            onValue={setWeighting}
            name="weights"
            hint={t("quality.weights.hint")}
            options={WEIGHTINGS.map((w) => ({
              value: w,
              label: w === "" ? t("quality.weights.none") : w === "custom" ? t("quality.weights.custom") : w,
            }))}
          />
          <PercentField
            label={t("quality.limit")}
            value={limit}
            onValue={setLimit}
            name="limit"
            hint={t("quality.limit.hint")}
          />
          {limit.trim() !== "" && (
            <>
              <PercentField label={t("quality.fdr")} value={fdr} onValue={setFdr} name="fdr" />
              <SelectField
                label={t("quality.multiplicity")}
                value={multiplicity}
                onValue={setMultiplicity}
                name="multiplicity"
                options={MULTIPLICITIES.map((m) => ({ value: m, label: t(`rules.multiplicity.${m}`) }))}
              />
            </>
          )}
          {weighting === "custom" && (
            <Field
              label={t("quality.weights.customField")}
              value={customWeights}
              onValue={setCustomWeights}
              name="custom-weights"
              placeholder="1,2,4,8"
              inputMode="decimal"
            />
          )}
        </div>
        {testInvalid && (
          <p class="notice" role="status">
            {t("quality.limit.invalid")}
          </p>
        )}
        {weights !== "" && !validWeights(weights) && (
          <p class="notice" role="status">
            {t("quality.weights.invalid")}
          </p>
        )}
      </fieldset>
      <Section
        title={t("quality.table")}
        actions={
          <>
            <ActionButton
              kind="secondary"
              label={t("common.exportCsv")}
              disabled={!settled}
              run={() => download("/v1/quality", "quality.csv", { ...JSON.parse(settled), format: "csv" })}
            />
            <ActionButton
              kind="secondary"
              label={t("common.exportXlsx")}
              disabled={!settled}
              run={() => download("/v1/quality", "quality.xlsx", { ...JSON.parse(settled), format: "xlsx" })}
            />
          </>
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
                rate: fmt.rate(r.overall.rate, rateDecimals(r.overall.lower, r.overall.upper)),
                lower: fmt.rate(r.overall.lower, rateDecimals(r.overall.lower, r.overall.upper)),
                upper: fmt.rate(r.overall.upper, rateDecimals(r.overall.lower, r.overall.upper)),
                confidence: fmt.percent(r.confidence, 2),
              })}
            </p>
            {r.weights && r.overall.weighted && (
              <p data-testid="quality-weighted" class="summary">
                {t("quality.weightedOverall", {
                  weights: r.weights.map((w) => fmt.number(w, 6)).join(", "),
                  index: fmt.fixed(r.overall.weighted.index, 3),
                  lower: fmt.fixed(r.overall.weighted.lower, 3),
                  upper: fmt.fixed(r.overall.weighted.upper, 3),
                  confidence: fmt.percent(r.confidence, 2),
                })}
              </p>
            )}
            <p class="hint">
              {t("quality.methodNote", { method: t(`method.interval.${method}`), zone: r.timeZone })}
            </p>
            {r.weights && <p class="hint">{t("quality.weightedNote")}</p>}
            {r.limit !== undefined && groupBy.length > 0 && (
              <p data-testid="quality-flagged" class="summary">
                {t("quality.flaggedSummary", {
                  n: fmt.integer(r.flagged),
                  m: fmt.integer(r.groups.length),
                  limit: fmt.percent(r.limit, 2),
                  fdr: fmt.percent(r.fdr, 2),
                  method: t(`rules.multiplicity.${r.multiplicity ?? "bh"}`),
                })}
              </p>
            )}
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
      <PolicyConfusionSection query={settledFilters ? JSON.parse(settledFilters) : undefined} />
      <PolicyImpactSection query={settledFilters ? JSON.parse(settledFilters) : undefined} />
    </div>
  );
}
