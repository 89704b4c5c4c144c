import { useState } from "preact/hooks";
import { api, download } from "../../api.ts";
import {
  ActionButton,
  type Column,
  ErrorBox,
  Loading,
  Section,
  SelectField,
  SortableTable,
  useAsync,
  useDebounced,
} from "../../components/ui.tsx";
import { rateDecimals, useI18n } from "../../i18n/index.ts";
import { Link, replaceQuery } from "../../router.tsx";
import { scorecardHref } from "../findings/index.tsx";
import { EvidenceBadge, PeriodForm, periodValid, usePriorText } from "./parts.tsx";
import { type PeriodFilters, periodQuery, type ScorecardList, type ScorecardRow } from "./types.ts";

const SORTS = ["shrunken", "raw"] as const;
type Sort = (typeof SORTS)[number];

/**
 * Leads: every moderator with the raw rate (Wilson interval) and the shrunken rate (credible interval), ranked by
 * either on the server, and downloadable as CSV. The shrunken rate keeps a moderator with few audits from the
 * top or the bottom by chance.
 */
export function ScorecardListView({ query }: { query: URLSearchParams }) {
  const { t, fmt } = useI18n();
  const priorText = usePriorText();
  const [filters, setFilters] = useState<PeriodFilters>(() => ({
    from: query.get("from") ?? "",
    to: query.get("to") ?? "",
    queue: query.get("queue") ?? "",
  }));
  const [sort, setSort] = useState<Sort>(() => (query.get("sort") === "raw" ? "raw" : "shrunken"));
  const request = periodValid(filters) ? JSON.stringify({ ...periodQuery(filters), sort }) : "";
  const settled = useDebounced(request, 300);
  const list = useAsync(
    (signal) => {
      const q = JSON.parse(settled) as Record<string, string>;
      replaceQuery({ ...q, sort: q.sort === "shrunken" ? undefined : q.sort });
      return api<ScorecardList>("GET", "/v1/scorecards", { query: q, signal });
    },
    [settled],
    settled !== "",
  );
  const interval = (lower: number | null, upper: number | null) => fmt.rateInterval(lower, upper);
  const columns: Column<ScorecardRow>[] = [
    {
      key: "moderator",
      label: t("field.moderator"),
      sortValue: (r) => r.moderator,
      render: (r) => <Link href={scorecardHref(r.moderator)}>{r.moderator}</Link>,
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
      key: "raw",
      label: t("scorecard.rawCol"),
      numeric: true,
      sortValue: (r) => r.rate,
      render: (r) => fmt.rate(r.rate, rateDecimals(r.lower, r.upper)),
    },
    {
      key: "wilson",
      label: t("scorecard.wilsonCol"),
      numeric: true,
      render: (r) => interval(r.lower, r.upper),
    },
    {
      key: "shrunken",
      label: t("scorecard.shrunkenCol"),
      numeric: true,
      sortValue: (r) => r.shrunken.rate,
      render: (r) => fmt.rate(r.shrunken.rate, rateDecimals(r.shrunken.lower, r.shrunken.upper)),
    },
    {
      key: "credible",
      label: t("scorecard.credibleCol"),
      numeric: true,
      render: (r) => interval(r.shrunken.lower, r.shrunken.upper),
    },
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
  ];
  const data = list.data;
  return (
    <>
      <PeriodForm filters={filters} onChange={setFilters} />
      <Section
        title={t("scorecards.list")}
        actions={
          <>
            <SelectField
              label={t("scorecards.rankBy")}
              value={sort}
              onValue={setSort}
              name="sort"
              options={SORTS.map((s) => ({ value: s, label: t(`scorecards.rankBy.${s}`) }))}
            />
            <ActionButton
              kind="secondary"
              label={t("common.exportCsv")}
              disabled={!settled}
              testId="scorecards-csv"
              run={() =>
                download("/v1/scorecards", "scorecards.csv", { ...JSON.parse(settled), format: "csv" })
              }
            />
            <ActionButton
              kind="secondary"
              label={t("common.exportXlsx")}
              disabled={!settled}
              testId="scorecards-xlsx"
              run={() =>
                download("/v1/scorecards", "scorecards.xlsx", { ...JSON.parse(settled), format: "xlsx" })
              }
            />
          </>
        }
      >
        <Loading when={list.loading} />
        <ErrorBox error={list.error} />
        {data && (
          <>
            {data.prior && <p class="hint">{priorText(data.prior, data.queue ? [data.queue] : undefined)}</p>}
            <p class="hint">{t("scorecards.rankHint")}</p>
            <SortableTable
              key={`${settled}`}
              testId="scorecard-list"
              columns={columns}
              rows={data.moderators}
              rowKey={(r) => r.moderator}
              caption={t("scorecards.list")}
              captionHidden
            />
          </>
        )}
      </Section>
    </>
  );
}
