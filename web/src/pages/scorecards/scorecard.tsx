import { useState } from "preact/hooks";
import { api } from "../../api.ts";
import { IntervalStrip, WeeklyTrend } from "../../components/rate-charts.tsx";
import {
  type Column,
  ErrorBox,
  Loading,
  Section,
  SortableTable,
  useAsync,
  useDebounced,
} from "../../components/ui.tsx";
import { rateDecimals, useI18n } from "../../i18n/index.ts";
import { Link, replaceQuery } from "../../router.tsx";
import { findingsHref } from "../findings/index.tsx";
import { EvidenceBadge, PeriodForm, periodValid, usePriorText } from "./parts.tsx";
import { type PeriodFilters, periodQuery, type Scorecard } from "./types.ts";

type Row<K extends keyof Scorecard> = Scorecard[K] extends (infer R)[] ? R : never;

/** The error rate against the target, the shrunken rate and its prior, in sentences and one small chart. */
function Rates({ card }: { card: Scorecard }) {
  const { t, fmt } = useI18n();
  const priorText = usePriorText();
  if (card.audited === 0) return <p class="notice">{t("scorecard.noAudits")}</p>;
  return (
    <>
      <p class="summary" data-testid="scorecard-rate">
        {t("scorecard.rate", {
          errors: fmt.integer(card.errors),
          audited: fmt.integer(card.audited),
          rate: fmt.rate(card.rate, rateDecimals(card.lower, card.upper)),
          lower: fmt.rate(card.lower, rateDecimals(card.lower, card.upper)),
          upper: fmt.rate(card.upper, rateDecimals(card.lower, card.upper)),
        })}
      </p>
      <p data-testid="scorecard-target">
        {t("scorecard.target", { target: fmt.percent(card.target, 2) })}{" "}
        <EvidenceBadge evidence={card.evidence} />{" "}
        {card.evidence && t(`scorecard.evidence.${card.evidence}.explain`)}
      </p>
      {card.shrunken && (
        <p class="summary" data-testid="scorecard-shrunken">
          {t("scorecard.shrunken", {
            rate: fmt.rate(card.shrunken.rate, rateDecimals(card.shrunken.lower, card.shrunken.upper)),
            lower: fmt.rate(card.shrunken.lower, rateDecimals(card.shrunken.lower, card.shrunken.upper)),
            upper: fmt.rate(card.shrunken.upper, rateDecimals(card.shrunken.lower, card.shrunken.upper)),
          })}
        </p>
      )}
      {card.prior && (
        <p class="hint" data-testid="scorecard-prior">
          {priorText(card.prior, card.prior.queues)}
        </p>
      )}
      <p class="hint">{t("scorecard.shrunken.why")}</p>
      <IntervalStrip
        title={t("scorecard.strip.title", { target: fmt.percent(card.target, 2) })}
        target={card.target}
        rows={[
          {
            label: t("scorecard.strip.raw"),
            kind: "raw",
            rate: card.rate,
            lower: card.lower,
            upper: card.upper,
          },
          {
            label: t("scorecard.strip.shrunken"),
            kind: "shrunken",
            rate: card.shrunken?.rate ?? null,
            lower: card.shrunken?.lower ?? null,
            upper: card.shrunken?.upper ?? null,
          },
        ]}
      />
      <p class="hint">{t("scorecard.strip.legend")}</p>
    </>
  );
}

function Breakdowns({ card }: { card: Scorecard }) {
  const { t, fmt } = useI18n();
  const interval = (r: { lower: number | null; upper: number | null }) => fmt.rateInterval(r.lower, r.upper);
  const typeColumns: Column<Row<"byType">>[] = [
    {
      key: "type",
      label: t("filters.errorType"),
      sortValue: (r) => r.errorType,
      render: (r) => t(`errorType.${r.errorType}`),
    },
    {
      key: "errors",
      label: t("quality.errors"),
      numeric: true,
      sortValue: (r) => r.errors,
      render: (r) => fmt.integer(r.errors),
    },
    {
      key: "share",
      label: t("scorecard.share"),
      numeric: true,
      sortValue: (r) => r.share,
      render: (r) => fmt.percent(r.share, 1),
    },
  ];
  const policyColumns: Column<Row<"byPolicy">>[] = [
    {
      key: "policy",
      label: t("field.policy"),
      sortValue: (r) => r.policy,
      render: (r) => r.policy ?? t("common.none"),
    },
    {
      key: "audited",
      label: t("quality.audited"),
      numeric: true,
      sortValue: (r) => r.audited,
      render: (r) => fmt.integer(r.audited),
    },
    {
      key: "errors",
      label: t("quality.errors"),
      numeric: true,
      sortValue: (r) => r.errors,
      render: (r) => fmt.integer(r.errors),
    },
    {
      key: "rate",
      label: t("quality.rate"),
      numeric: true,
      sortValue: (r) => r.rate,
      render: (r) => fmt.rate(r.rate, rateDecimals(r.lower, r.upper)),
    },
    { key: "interval", label: t("policy.interval"), numeric: true, render: interval },
  ];
  const queueColumns: Column<Row<"byQueue">>[] = [
    { key: "queue", label: t("field.queue"), sortValue: (r) => r.queue, render: (r) => r.queue },
    {
      key: "audited",
      label: t("quality.audited"),
      numeric: true,
      sortValue: (r) => r.audited,
      render: (r) => fmt.integer(r.audited),
    },
    {
      key: "rate",
      label: t("quality.rate"),
      numeric: true,
      sortValue: (r) => r.rate,
      render: (r) => fmt.rate(r.rate, rateDecimals(r.lower, r.upper)),
    },
    { key: "interval", label: t("policy.interval"), numeric: true, render: interval },
    {
      key: "target",
      label: t("scorecard.targetCol"),
      numeric: true,
      sortValue: (r) => r.target,
      render: (r) => fmt.rate(r.target, 1),
    },
    {
      key: "evidence",
      label: t("scorecard.evidence"),
      sortValue: (r) => r.evidence,
      render: (r) => <EvidenceBadge evidence={r.evidence} />,
    },
    {
      key: "shrunken",
      label: t("scorecard.shrunkenCol"),
      numeric: true,
      sortValue: (r) => r.shrunken.rate,
      render: (r) => fmt.rate(r.shrunken.rate, rateDecimals(r.shrunken.lower, r.shrunken.upper)),
    },
  ];
  return (
    <Section title={t("scorecard.breakdowns")}>
      <SortableTable
        testId="by-type"
        columns={typeColumns}
        rows={card.byType}
        rowKey={(r) => r.errorType}
        caption={t("scorecard.byType")}
        initialSort={{ key: "errors", direction: "descending" }}
      />
      <SortableTable
        testId="by-policy"
        columns={policyColumns}
        rows={card.byPolicy}
        rowKey={(r) => r.policy ?? ""}
        caption={t("scorecard.byPolicy")}
        initialSort={{ key: "errors", direction: "descending" }}
      />
      <SortableTable
        testId="by-queue"
        columns={queueColumns}
        rows={card.byQueue}
        rowKey={(r) => r.queue}
        caption={t("scorecard.byQueue")}
        initialSort={{ key: "audited", direction: "descending" }}
      />
    </Section>
  );
}

function LatestFindings({ card, own }: { card: Scorecard; own: boolean }) {
  const { t, fmt } = useI18n();
  const columns: Column<Row<"latestFindings">>[] = [
    {
      key: "decision",
      label: t("findings.decision"),
      sortValue: (f) => f.decisionId,
      render: (f) => <code>{f.decisionId}</code>,
    },
    {
      key: "audited",
      label: t("findings.auditedAt"),
      sortValue: (f) => f.auditedAt,
      date: true,
      render: (f) => fmt.dateTime(f.auditedAt),
    },
    { key: "queue", label: t("field.queue"), sortValue: (f) => f.queue, render: (f) => f.queue },
    {
      key: "policy",
      label: t("field.policy"),
      render: (f) => (f.correctPolicy ? `${f.policy ?? "–"} → ${f.correctPolicy}` : (f.policy ?? "–")),
    },
    {
      key: "type",
      label: t("filters.errorType"),
      sortValue: (f) => f.errorType,
      render: (f) => (f.errorType ? t(`errorType.${f.errorType}`) : "–"),
    },
    {
      key: "severity",
      label: t("alerts.ev.severity"),
      numeric: true,
      sortValue: (f) => f.severity,
      render: (f) => (f.severity === null ? "–" : fmt.integer(f.severity)),
    },
    { key: "notes", label: t("findings.notes"), render: (f) => f.notes ?? "–" },
  ];
  return (
    <Section
      title={t("scorecard.latest")}
      actions={
        <Link href={own ? "/findings" : findingsHref(card.moderator)}>{t("scorecard.allFindings")}</Link>
      }
    >
      <SortableTable
        testId="latest-findings"
        columns={columns}
        rows={card.latestFindings}
        rowKey={(f) => f.auditId}
        caption={t("scorecard.latest")}
        captionHidden
      />
    </Section>
  );
}

/** One moderator's scorecard (`GET /v1/scorecards/{moderator}`): its own for a moderator key, any for a lead. */
export function ScorecardView({
  moderator,
  own,
  query,
}: {
  moderator: string;
  own: boolean;
  query: URLSearchParams;
}) {
  const { t, fmt } = useI18n();
  const [filters, setFilters] = useState<PeriodFilters>(() => ({
    from: query.get("from") ?? "",
    to: query.get("to") ?? "",
    queue: query.get("queue") ?? "",
  }));
  const settled = useDebounced(periodValid(filters) ? JSON.stringify(periodQuery(filters)) : "", 300);
  const card = useAsync(
    (signal) => {
      const q = JSON.parse(settled) as Record<string, string>;
      replaceQuery(own ? q : { moderator, ...q });
      return api<Scorecard>("GET", `/v1/scorecards/${encodeURIComponent(moderator)}`, { query: q, signal });
    },
    [moderator, settled],
    settled !== "",
  );
  const c = card.data;
  return (
    <>
      <PeriodForm filters={filters} onChange={setFilters} />
      <Loading when={card.loading} />
      <ErrorBox error={card.error} />
      {c && (
        <>
          <Section title={t("scorecard.rates")}>
            <p class="hint">
              {t("scorecard.periodShown", {
                from: fmt.dayIn(c.period.from, c.period.timeZone),
                // The period ends before `to` (exclusive): its last day is the one holding the instant before.
                to: fmt.dayIn(Date.parse(c.period.to) - 1, c.period.timeZone),
                zone: c.period.timeZone,
              })}
            </p>
            <Rates card={c} />
          </Section>
          {c.trend.length > 0 && (
            <Section title={t("scorecard.trend")}>
              <WeeklyTrend
                weeks={c.trend}
                target={c.target}
                title={t("scorecard.trend.title", { target: fmt.percent(c.target, 2) })}
              />
            </Section>
          )}
          {c.audited > 0 && <Breakdowns card={c} />}
          <LatestFindings card={c} own={own} />
        </>
      )}
    </>
  );
}
