import { useId, useState } from "preact/hooks";
import { api, download } from "../../api.ts";
import { ConfusionHeatmap, type ConfusionMatrix } from "../../components/confusion-heatmap.tsx";
import { ERROR_TYPES, knownValues } from "../../components/filters.tsx";
import {
  ActionButton,
  type Column,
  CountField,
  ErrorBox,
  Field,
  Loading,
  Section,
  SortableTable,
  useAsync,
} from "../../components/ui.tsx";
import { isCount, parseNumber } from "../../forms.ts";
import { plural, rateDecimals, useI18n } from "../../i18n/index.ts";

type ErrorType = (typeof ERROR_TYPES)[number];

interface PolicyRow {
  policy: string | null;
  audited: number;
  errors: number;
  rate: number;
  lower: number;
  upper: number;
  byType: Record<ErrorType, { errors: number; rate: number }>;
  wrongPolicyWithoutCorrect: number;
}

interface PolicyConfusion {
  matrix: ConfusionMatrix;
  policies: PolicyRow[];
  confidence: number;
  timeZone: string;
}

interface ImpactSide {
  from: string;
  to: string;
  audited: number;
  errors: number;
  rate: number | null;
  lower: number | null;
  upper: number | null;
  matrix: ConfusionMatrix;
}

interface PolicyImpact {
  policy: string;
  at: string;
  days: number;
  before: ImpactSide;
  after: ImpactSide;
  comparison: {
    difference: number;
    lower: number;
    upper: number;
    confidence: number;
    p: number | null;
    fisherP: number | null;
  } | null;
  confidence: number;
  timeZone: string;
}

/** The report filters without the error type (the confusion report counts every type). */
const withoutErrorType = (query: Record<string, string>) => {
  const { errorType: _ignored, ...rest } = query;
  return rest;
};

/**
 * Which policies are confused with which (`GET /v1/policy-confusion` over the Quality page's filters): the
 * applied × correct heatmap of wrong-policy errors, and per applied policy its error rate by type.
 */
export function PolicyConfusionSection({ query }: { query: Record<string, string> | undefined }) {
  const { t, fmt, lang } = useI18n();
  const filters = query ? withoutErrorType(query) : undefined;
  const key = JSON.stringify(filters ?? null);
  const report = useAsync(
    (signal) => api<PolicyConfusion>("GET", "/v1/policy-confusion", { query: filters, signal }),
    [key],
    filters !== undefined,
  );
  const typeColumns = ERROR_TYPES.map(
    (type): Column<PolicyRow> => ({
      key: type,
      label: t(`errorType.${type}`),
      numeric: true,
      sortValue: (p) => p.byType[type].rate,
      render: (p) => `${fmt.rate(p.byType[type].rate, 2)} (${fmt.integer(p.byType[type].errors)})`,
    }),
  );
  const columns: Column<PolicyRow>[] = [
    {
      key: "policy",
      label: t("field.policy"),
      sortValue: (p) => p.policy,
      render: (p) => p.policy ?? t("common.none"),
    },
    {
      key: "audited",
      label: t("quality.audited"),
      numeric: true,
      sortValue: (p) => p.audited,
      render: (p) => fmt.integer(p.audited),
    },
    {
      key: "policyRate",
      label: t("quality.rate"),
      numeric: true,
      sortValue: (p) => p.rate,
      render: (p) => fmt.rate(p.rate, rateDecimals(p.lower, p.upper)),
    },
    {
      key: "interval",
      label: t("policy.interval"),
      numeric: true,
      render: (p) => fmt.rateInterval(p.lower, p.upper),
    },
    ...typeColumns,
  ];
  return (
    <Section
      title={t("policy.title")}
      id="policy-confusion"
      actions={
        <ActionButton
          kind="secondary"
          label={t("policy.exportCsv")}
          disabled={!filters}
          run={() => download("/v1/policy-confusion", "policy-confusion.csv", { ...filters, format: "csv" })}
        />
      }
    >
      <p class="hint">{t("policy.intro")}</p>
      <Loading when={report.loading} />
      <ErrorBox error={report.error} />
      {report.data && (
        <>
          <ConfusionHeatmap
            matrix={report.data.matrix}
            caption={plural(lang, "policy.matrix.captionCount", report.data.matrix.total)}
            testId="confusion-heatmap"
          />
          <SortableTable
            testId="policy-table"
            columns={columns}
            rows={report.data.policies}
            rowKey={(p) => p.policy ?? ""}
            caption={t("policy.byPolicy", { confidence: fmt.percent(report.data.confidence, 0) })}
            initialSort={{ key: "policyRate", direction: "descending" }}
          />
        </>
      )}
    </Section>
  );
}

function SideFacts({ side, title }: { side: ImpactSide; title: string }) {
  const { t, fmt, lang } = useI18n();
  return (
    <div class="impact-side" data-testid="impact-side">
      <h3>{title}</h3>
      <dl class="facts">
        <div>
          <dt>{t("policy.impact.period")}</dt>
          <dd>
            {fmt.day(side.from)} – {fmt.day(side.to)}
          </dd>
        </div>
        <div>
          <dt>{t("alerts.ev.counts")}</dt>
          <dd>
            {fmt.integer(side.errors)} / {fmt.integer(side.audited)}
          </dd>
        </div>
        <div>
          <dt>{t("quality.rate")}</dt>
          <dd>
            {fmt.rate(side.rate, rateDecimals(side.lower, side.upper))} (
            {fmt.rateInterval(side.lower, side.upper)})
          </dd>
        </div>
      </dl>
      <ConfusionHeatmap
        matrix={side.matrix}
        caption={plural(lang, "policy.matrix.captionCount", side.matrix.total)}
      />
    </div>
  );
}

/** Before and after a policy update (`GET /v1/policy-impact`): the same number of days on each side, compared. */
export function PolicyImpactSection({ query }: { query: Record<string, string> | undefined }) {
  const { t, fmt } = useI18n();
  const listId = useId();
  const [policy, setPolicy] = useState("");
  const [at, setAt] = useState("");
  const [days, setDays] = useState("28");
  const [asked, setAsked] = useState<Record<string, string>>();
  const known = useAsync(() => knownValues("policy"), []);
  const dayCount = parseNumber(days);
  const valid =
    policy.trim() !== "" && /^\d{4}-\d{2}-\d{2}$/.test(at) && isCount(dayCount, 1) && dayCount! <= 366;
  const impact = useAsync(
    (signal) => api<PolicyImpact>("GET", "/v1/policy-impact", { query: asked, signal }),
    [JSON.stringify(asked ?? null)],
    asked !== undefined,
  );
  const r = impact.data;
  const filters = query ? withoutErrorType(query) : {};
  const { from: _from, to: _to, policy: _policy, ...other } = filters;
  return (
    <Section title={t("policy.impact.title")} id="policy-impact">
      <p class="hint">{t("policy.impact.intro")}</p>
      <form
        class="grid"
        aria-label={t("policy.impact.title")}
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) setAsked({ ...other, policy: policy.trim(), at, days: String(dayCount) });
        }}
      >
        <Field
          label={t("field.policy")}
          value={policy}
          onValue={setPolicy}
          list={listId}
          name="impact-policy"
        />
        <datalist id={listId}>
          {(known.data ?? []).map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
        <Field
          label={t("policy.impact.at")}
          hint={t("policy.impact.at.hint")}
          type="date"
          value={at}
          onValue={setAt}
          name="impact-at"
        />
        <CountField
          label={t("policy.impact.days")}
          value={days}
          onValue={setDays}
          name="impact-days"
          hint={t("policy.impact.days.hint")}
        />
        <div class="field">
          <button type="submit" class="primary" disabled={!valid} data-testid="impact-compare">
            {t("policy.impact.compare")}
          </button>
        </div>
      </form>
      <Loading when={impact.loading} />
      <ErrorBox error={impact.error} />
      {r && (
        <div data-testid="policy-impact">
          <p class="summary" data-testid="impact-reading">
            {r.comparison
              ? t("policy.impact.reading", {
                  policy: r.policy,
                  before: fmt.rate(r.before.rate, rateDecimals(r.comparison.lower, r.comparison.upper)),
                  after: fmt.rate(r.after.rate, rateDecimals(r.comparison.lower, r.comparison.upper)),
                  difference: fmt.rate(
                    r.comparison.difference,
                    rateDecimals(r.comparison.lower, r.comparison.upper),
                  ),
                  lower: fmt.rate(r.comparison.lower, rateDecimals(r.comparison.lower, r.comparison.upper)),
                  upper: fmt.rate(r.comparison.upper, rateDecimals(r.comparison.lower, r.comparison.upper)),
                  confidence: fmt.percent(r.comparison.confidence, 0),
                  p: r.comparison.fisherP === null ? "–" : fmt.number(r.comparison.fisherP, 4),
                })
              : t("policy.impact.noComparison", { policy: r.policy })}
          </p>
          <p class="hint">{t("policy.impact.method", { days: fmt.integer(r.days), zone: r.timeZone })}</p>
          <div class="impact-sides">
            <SideFacts side={r.before} title={t("policy.impact.before")} />
            <SideFacts side={r.after} title={t("policy.impact.after")} />
          </div>
        </div>
      )}
    </Section>
  );
}
