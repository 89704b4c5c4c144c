import { useState } from "preact/hooks";
import { api, download } from "../../api.ts";
import {
  ActionButton,
  type Column,
  ErrorBox,
  Loading,
  Section,
  SortableTable,
  useAsync,
  useCodeLabel,
  useDebounced,
} from "../../components/ui.tsx";
import { rateDecimals, useI18n } from "../../i18n/index.ts";
import { replaceQuery } from "../../router.tsx";
import { PeriodForm, periodValid } from "../scorecards/parts.tsx";
import { type PeriodFilters, periodQuery } from "../scorecards/types.ts";
import type { AccuracyCell, AuditorAccuracy, AuditorAccuracyReport } from "./types.ts";

/** The accuracy, its Wilson interval and the counts of one cell, as columns of any row that has them. */
function useCellColumns<Row extends AccuracyCell>(): Column<Row>[] {
  const { t, fmt } = useI18n();
  return [
    {
      key: "gold",
      label: t("auditors.col.gold"),
      numeric: true,
      sortValue: (r) => r.gold,
      render: (r) => fmt.integer(r.gold),
    },
    {
      key: "correct",
      label: t("auditors.col.correct"),
      numeric: true,
      sortValue: (r) => r.correct,
      render: (r) => fmt.integer(r.correct),
    },
    {
      key: "accuracy",
      label: t("auditors.col.accuracy"),
      numeric: true,
      sortValue: (r) => r.accuracy,
      render: (r) => fmt.rate(r.accuracy, rateDecimals(r.lower, r.upper)),
    },
    {
      key: "interval",
      label: t("auditors.col.interval"),
      numeric: true,
      sortValue: (r) => r.lower,
      render: (r) => fmt.rateInterval(r.lower, r.upper),
    },
  ];
}

/** One auditor's accuracy by the gold's known error type and by queue. */
function AuditorDetail({ auditor }: { auditor: AuditorAccuracy }) {
  const { t } = useI18n();
  const code = useCodeLabel();
  const cells = useCellColumns<AccuracyCell>();
  const byType: Column<AuditorAccuracy["byErrorType"][number]>[] = [
    {
      key: "errorType",
      label: t("auditors.col.expected"),
      sortValue: (r) => r.errorType,
      render: (r) => (r.errorType === "none" ? t("auditors.expected.none") : code("errorType", r.errorType)),
    },
    ...cells,
  ];
  const byQueue: Column<AuditorAccuracy["byQueue"][number]>[] = [
    {
      key: "queue",
      label: t("field.queue"),
      sortValue: (r) => r.queue,
      render: (r) => r.queue ?? t("common.none"),
    },
    ...cells,
  ];
  return (
    <div class="auditor-detail" data-testid="auditor-detail">
      <h3>{t("auditors.detail.title", { auditor: auditor.auditor })}</h3>
      <SortableTable
        testId="auditor-by-error-type"
        columns={byType}
        rows={auditor.byErrorType}
        rowKey={(r) => r.errorType}
        caption={t("auditors.detail.byErrorType")}
      />
      <SortableTable
        testId="auditor-by-queue"
        columns={byQueue}
        rows={auditor.byQueue}
        rowKey={(r) => r.queue ?? ""}
        caption={t("auditors.detail.byQueue")}
      />
    </div>
  );
}

/**
 * Each auditor's accuracy on the gold items mixed into their queues over a period (the latest verdict of each
 * gold slot), with the 95 % Wilson interval; one auditor's breakdown by known error type and queue on demand.
 */
export function AccuracyView({ query }: { query: URLSearchParams }) {
  const { t, fmt } = useI18n();
  const [filters, setFilters] = useState<PeriodFilters>(() => ({
    from: query.get("from") ?? "",
    to: query.get("to") ?? "",
    queue: query.get("queue") ?? "",
  }));
  const [open, setOpen] = useState<string | null>(() => query.get("auditor"));
  const request = periodValid(filters) ? JSON.stringify(periodQuery(filters)) : "";
  const settled = useDebounced(request, 300);
  const report = useAsync(
    (signal) => {
      const q = JSON.parse(settled) as Record<string, string>;
      // The open auditor stays in the address (an alert's link opens it), ahead of the period.
      replaceQuery(open ? { auditor: open, ...q } : q);
      return api<AuditorAccuracyReport>("GET", "/v1/auditors", { query: q, signal });
    },
    [settled],
    settled !== "",
  );
  const data = report.data;
  const columns: Column<AuditorAccuracy>[] = [
    {
      key: "auditor",
      label: t("field.auditor"),
      sortValue: (r) => r.auditor,
      render: (r) => r.auditor,
    },
    ...useCellColumns<AuditorAccuracy>(),
    {
      key: "detail",
      label: t("auditors.col.detail"),
      render: (r) => (
        <button
          type="button"
          class="secondary"
          aria-expanded={open === r.auditor}
          aria-label={t("auditors.detail.open", { auditor: r.auditor })}
          data-testid="auditor-detail-toggle"
          onClick={() => setOpen(open === r.auditor ? null : r.auditor)}
        >
          {t(open === r.auditor ? "auditors.detail.hide" : "auditors.detail.show")}
        </button>
      ),
    },
  ];
  const shown = data?.auditors.find((a) => a.auditor === open);
  return (
    <>
      <PeriodForm filters={filters} onChange={setFilters} />
      <Section
        title={t("auditors.accuracy")}
        actions={
          <>
            <ActionButton
              kind="secondary"
              label={t("common.exportCsv")}
              disabled={!settled}
              testId="auditors-csv"
              run={() => download("/v1/auditors", "auditors.csv", { ...JSON.parse(settled), format: "csv" })}
            />
            <ActionButton
              kind="secondary"
              label={t("common.exportXlsx")}
              disabled={!settled}
              testId="auditors-xlsx"
              run={() =>
                download("/v1/auditors", "auditors.xlsx", { ...JSON.parse(settled), format: "xlsx" })
              }
            />
          </>
        }
      >
        <p class="hint">{t("auditors.scoring")}</p>
        <p class="hint">{t("auditors.excluded")}</p>
        <Loading when={report.loading} />
        <ErrorBox error={report.error} />
        {data && (
          <>
            <p class="hint">
              {t("scorecard.periodShown", {
                from: fmt.dayIn(data.period.from, data.period.timeZone),
                // The period ends before `to` (exclusive): its last day is the one holding the instant before.
                to: fmt.dayIn(Date.parse(data.period.to) - 1, data.period.timeZone),
                zone: data.period.timeZone,
              })}{" "}
              {t("auditors.interval", { confidence: fmt.percent(data.confidence, 1) })}
            </p>
            <SortableTable
              key={settled}
              testId="auditor-accuracy"
              columns={columns}
              rows={data.auditors}
              rowKey={(r) => r.auditor}
              caption={t("auditors.accuracy")}
              captionHidden
            />
            {data.auditors.length === 0 && <p class="hint">{t("auditors.none")}</p>}
            {shown && <AuditorDetail key={shown.auditor} auditor={shown} />}
          </>
        )}
      </Section>
    </>
  );
}
