import { useEffect, useState } from "preact/hooks";
import { api, download } from "../../api.ts";
import { ERROR_TYPES } from "../../components/filters.tsx";
import {
  ActionButton,
  ErrorBox,
  Field,
  Loading,
  Section,
  SelectField,
  useAsync,
  useDebounced,
} from "../../components/ui.tsx";
import { AUDITS_FILTER_KEYS, type AuditsFilter, auditHref, auditsFilterFrom } from "../../drill-down.ts";
import { type MessageKey, plural, useI18n } from "../../i18n/index.ts";
import { Link, replaceQuery } from "../../router.tsx";
import { Notes, useVerdictText } from "./parts.tsx";
import type { AuditsPage, ListedAudit } from "./types.ts";

/** Audits per page of the list ("more" asks for the next). */
const PAGE_SIZE = 100;
type FilterKey = (typeof AUDITS_FILTER_KEYS)[number];

/** The label of each filter, as its chip and its field say it. */
const FILTER_LABELS: Record<FilterKey, MessageKey> = {
  from: "filters.from",
  to: "filters.to",
  tz: "filters.tz",
  queue: "field.queue",
  moderator: "field.moderator",
  auditor: "field.auditor",
  policy: "field.policy",
  market: "field.market",
  errorType: "filters.errorType",
  sampleId: "audits.filter.sampleId",
  outcome: "audits.filter.outcome",
  minSeverity: "audits.filter.minSeverity",
};
const TEXT_FILTERS = ["queue", "moderator", "auditor", "policy", "market", "sampleId", "tz"] as const;
const SEVERITIES = ["1", "2", "3", "4"] as const;

/** `/audits`: the audits behind a report, filters from the query string as chips (removable) and fields. */
export function AuditList({ query }: { query: URLSearchParams }) {
  const { t, fmt, lang } = useI18n();
  const verdict = useVerdictText();
  const [filter, setFilter] = useState<AuditsFilter>(() => auditsFilterFrom(query));
  const settled = useDebounced(JSON.stringify(filter), 300);
  useEffect(() => replaceQuery({ ...(JSON.parse(settled) as AuditsFilter) }), [settled]);
  const first = useAsync(
    (signal) =>
      api<AuditsPage>("GET", "/v1/audits", {
        query: { ...(JSON.parse(settled) as AuditsFilter), limit: PAGE_SIZE },
        signal,
      }),
    [settled],
  );
  // Pages after the first, for the selection they were asked under (a new selection starts again).
  const [more, setMore] = useState<{ selection: string; audits: ListedAudit[]; next: string | null }>();
  const extra = more?.selection === settled ? more : undefined;
  const audits = [...(first.data?.audits ?? []), ...(extra?.audits ?? [])];
  const next = extra ? extra.next : (first.data?.nextCursor ?? null);
  const loadMore = async () => {
    const query = { ...(JSON.parse(settled) as AuditsFilter), limit: PAGE_SIZE, cursor: next };
    const page = await api<AuditsPage>("GET", "/v1/audits", { query });
    setMore({
      selection: settled,
      audits: [...(extra?.audits ?? []), ...page.audits],
      next: page.nextCursor,
    });
  };

  const set = (key: FilterKey) => (value: string) => setFilter((f) => ({ ...f, [key]: value || undefined }));
  const chipValue = (key: FilterKey, value: string) => {
    if (key === "outcome" && (value === "correct" || value === "incorrect")) return verdict.outcome(value);
    if (key === "errorType") return verdict.errorType(value);
    if (key === "minSeverity") return verdict.severity(Number(value));
    return value;
  };
  const active = AUDITS_FILTER_KEYS.filter((key) => filter[key]);
  const listFilter = JSON.parse(settled) as AuditsFilter;

  return (
    <div>
      <h1>{t("audits.title")}</h1>
      <p class="lead">{t("audits.intro")}</p>
      <div class="filter-chips" data-testid="audit-filter-chips">
        {active.length === 0 ? (
          <p class="hint">{t("audits.filter.none")}</p>
        ) : (
          <ul aria-label={t("audits.filter.active")}>
            {active.map((key) => {
              const label = t(FILTER_LABELS[key]);
              const value = chipValue(key, filter[key]!);
              return (
                <li key={key} class="chip" data-filter={key}>
                  <span>
                    {label}: {value}
                  </span>
                  <button
                    type="button"
                    class="chip-remove"
                    aria-label={t("audits.filter.remove", { filter: label, value })}
                    onClick={() => setFilter((f) => ({ ...f, [key]: undefined }))}
                  >
                    ×
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </div>
      <details class="filters-edit">
        <summary>{t("audits.filter.edit")}</summary>
        <fieldset class="filters">
          <legend>{t("filters.title")}</legend>
          <div class="grid">
            {(["from", "to"] as const).map((bound) => (
              <Field
                key={bound}
                label={t(FILTER_LABELS[bound])}
                value={filter[bound] ?? ""}
                onValue={set(bound)}
                name={bound}
                placeholder="2026-11-01"
              />
            ))}
            {TEXT_FILTERS.map((key) => (
              <Field
                key={key}
                label={t(FILTER_LABELS[key])}
                value={filter[key] ?? ""}
                onValue={set(key)}
                name={key}
                autoComplete="off"
              />
            ))}
            <SelectField
              label={t("audits.filter.outcome")}
              value={filter.outcome ?? ""}
              onValue={set("outcome")}
              name="outcome"
              options={[
                { value: "", label: t("audits.filter.anyOutcome") },
                { value: "incorrect", label: verdict.outcome("incorrect") },
                { value: "correct", label: verdict.outcome("correct") },
              ]}
            />
            <SelectField
              label={t("filters.errorType")}
              value={filter.errorType ?? ""}
              onValue={set("errorType")}
              name="errorType"
              options={[
                { value: "", label: t("filters.anyError") },
                ...ERROR_TYPES.map((e) => ({ value: e, label: verdict.errorType(e) })),
              ]}
            />
            <SelectField
              label={t("audits.filter.minSeverity")}
              value={filter.minSeverity ?? ""}
              onValue={set("minSeverity")}
              name="minSeverity"
              options={[
                { value: "", label: t("audits.filter.anySeverity") },
                ...SEVERITIES.map((s) => ({ value: s, label: verdict.severity(Number(s)) })),
              ]}
            />
          </div>
        </fieldset>
      </details>
      <Section
        title={t("audits.list")}
        actions={
          <>
            <ActionButton
              kind="secondary"
              label={t("common.exportCsv")}
              run={() => download("/v1/audits", "audits.csv", { ...listFilter, format: "csv" })}
            />
            <ActionButton
              kind="secondary"
              label={t("common.exportXlsx")}
              run={() => download("/v1/audits", "audits.xlsx", { ...listFilter, format: "xlsx" })}
            />
          </>
        }
      >
        <Loading when={first.loading} />
        <ErrorBox error={first.error} />
        {first.data && (
          <>
            <p
              class="summary"
              data-testid="audit-count"
              data-count={audits.length}
              data-complete={next === null}
            >
              {plural(lang, next === null ? "audits.count.all" : "audits.count.more", audits.length)}
            </p>
            <div class="table-wrap">
              <table data-testid="audit-table" class="audit-table">
                <caption class="visually-hidden">{t("audits.list")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("audits.col.auditedAt")}</th>
                    <th scope="col">{t("audits.col.decision")}</th>
                    <th scope="col">{t("field.queue")}</th>
                    <th scope="col">{t("field.moderator")}</th>
                    <th scope="col">{t("field.auditor")}</th>
                    <th scope="col">{t("audits.col.outcome")}</th>
                    <th scope="col">{t("filters.errorType")}</th>
                    <th scope="col">{t("audits.col.severity")}</th>
                    <th scope="col">{t("field.policy")}</th>
                    <th scope="col">{t("audits.col.correctPolicy")}</th>
                    <th scope="col">{t("audits.col.notes")}</th>
                  </tr>
                </thead>
                <tbody>
                  {audits.length === 0 ? (
                    <tr>
                      <td colSpan={11} class="empty">
                        {t("audits.empty")}
                      </td>
                    </tr>
                  ) : (
                    audits.map((a) => (
                      <tr
                        key={a.id}
                        data-id={a.id}
                        class={a.outcome === "incorrect" ? "audit-error" : undefined}
                      >
                        <th scope="row" class="nowrap">
                          <Link href={auditHref(a.id, listFilter)}>
                            {fmt.dateTime(a.auditedAt)}
                            <span class="visually-hidden"> ({t("audits.open", { id: a.id })})</span>
                          </Link>
                          {a.revision > 1 && (
                            <span class="badge pending">{t("audits.revised", { revision: a.revision })}</span>
                          )}
                        </th>
                        <td>
                          {a.decisionUrl ? (
                            <a href={a.decisionUrl} target="_blank" rel="noopener noreferrer">
                              {a.decisionId}
                            </a>
                          ) : (
                            a.decisionId
                          )}
                        </td>
                        <td class="nowrap">{a.queue}</td>
                        <td class="nowrap">{a.moderator}</td>
                        <td>{a.auditor}</td>
                        <td class="nowrap">{verdict.outcome(a.outcome)}</td>
                        <td>{verdict.errorType(a.errorType)}</td>
                        <td class="nowrap">{verdict.severity(a.severity)}</td>
                        <td class="nowrap">{a.policy ?? "–"}</td>
                        <td class="nowrap">{a.correctPolicy ?? "–"}</td>
                        <td>
                          <Notes text={a.notes} />
                        </td>
                      </tr>
                    ))
                  )}
                </tbody>
              </table>
            </div>
            {next !== null && (
              <ActionButton kind="secondary" label={t("audits.more")} run={loadMore} testId="audits-more" />
            )}
          </>
        )}
      </Section>
    </div>
  );
}
