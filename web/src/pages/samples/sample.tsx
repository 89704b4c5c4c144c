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
} from "../../components/ui.tsx";
import { auditsHref } from "../../drill-down.ts";
import { rateDecimals, useI18n } from "../../i18n/index.ts";
import { Link, navigate } from "../../router.tsx";
import { PlanNotes } from "../planner/notices.tsx";
import { TeamPanel } from "../workbench/team.tsx";
import { EstimateWarnings } from "./estimate-warnings.tsx";
import { PlanSummary } from "./plan-summary.tsx";
import { type SampleDetail, type SampleEstimate, samplePath } from "./types.ts";
import { WorkBar } from "./work-bar.tsx";

type StratumRow = SampleDetail["strata"][number] & { estimate?: SampleEstimate["strata"][number] };

/** `/samples/:id`: what the sample is, how far its audit is (overall, per stratum, per auditor), its estimate. */
export function SampleView({ id }: { id: string }) {
  const { t, fmt } = useI18n();
  const detail = useAsync((signal) => api<SampleDetail>("GET", samplePath(id), { signal }), [id]);
  const estimate = useAsync(
    (signal) => api<SampleEstimate>("GET", `${samplePath(id)}/estimate`, { signal }),
    [id],
  );
  const s = detail.data;
  const e = estimate.data;
  const decimals = rateDecimals(e?.lower, e?.upper);
  const rows: StratumRow[] = (s?.strata ?? []).map((stratum) => ({
    ...stratum,
    estimate: e?.strata.find((x) => x.key === stratum.key),
  }));
  const count = (key: "size" | "n" | "assigned" | "done" | "skipped" | "todo", label: string) => ({
    key,
    label,
    numeric: true,
    sortValue: (r: StratumRow) => r[key],
    render: (r: StratumRow) => fmt.integer(r[key]),
  });
  const columns: Column<StratumRow>[] = [
    { key: "key", label: t("samples.stratum"), sortValue: (r) => r.key, render: (r) => <code>{r.key}</code> },
    count("size", t("planner.stratumSize")),
    count("n", t("samples.n")),
    count("assigned", t("audit.team.assigned")),
    count("done", t("audit.team.done")),
    count("skipped", t("audit.team.skipped")),
    count("todo", t("audit.team.todo")),
    {
      key: "rate",
      label: t("samples.stratumRate"),
      numeric: true,
      sortValue: (r) => r.estimate?.rate ?? null,
      render: (r) => fmt.rate(r.estimate?.rate, rateDecimals(r.estimate?.lower, r.estimate?.upper)),
    },
    {
      key: "interval",
      label: t("samples.stratumInterval"),
      numeric: true,
      render: (r) =>
        r.estimate?.lower === null || r.estimate?.lower === undefined ? (
          "–"
        ) : (
          <span class="nowrap">{fmt.rateInterval(r.estimate.lower, r.estimate.upper)}</span>
        ),
    },
    {
      key: "included",
      label: t("samples.included"),
      render: (r) =>
        r.estimate ? t(r.estimate.included ? "samples.included.yes" : "samples.included.no") : "–",
    },
  ];
  return (
    <div>
      <p>
        <Link href="/samples">{t("samples.back")}</Link>
      </p>
      <Loading when={detail.loading} />
      <ErrorBox error={detail.error} />
      {s && (
        <>
          <h1 data-testid="sample-name">{s.name}</h1>
          <Section title={t("samples.about")}>
            <dl class="sample-facts" data-testid="sample-facts">
              <dt>{t("samples.population")}</dt>
              <dd>
                {s.populationName ?? s.population}{" "}
                <span class="hint">
                  {t("samples.uploadedAt", { at: fmt.dateTime(s.populationCreatedAt) })} ·{" "}
                  <code>{s.population}</code>
                </span>
              </dd>
              <dt>{t("samples.created")}</dt>
              <dd>{t("samples.createdByAt", { by: s.createdBy ?? "–", at: fmt.dateTime(s.createdAt) })}</dd>
              <dt>{t("samples.n")}</dt>
              <dd>{fmt.integer(s.n)}</dd>
              <dt>{t("samples.plan")}</dt>
              <dd>
                <PlanSummary plan={s.plan} />
              </dd>
              <dt>{t("samples.seed")}</dt>
              <dd>
                <code>{s.seed}</code>
              </dd>
              <dt>{t("samples.id")}</dt>
              <dd>
                <code>{s.id}</code>
              </dd>
            </dl>
            <PlanNotes notes={s.notes} notices={s.notices} />
            <div class="buttons">
              <ActionButton
                kind="secondary"
                label={t("planner.downloadItems")}
                run={() => download(`${samplePath(s.id)}/items`, `sample-${s.id}.csv`, { format: "csv" })}
              />
              <ActionButton
                kind="secondary"
                label={t("samples.downloadItemsXlsx")}
                run={() => download(`${samplePath(s.id)}/items`, `sample-${s.id}.xlsx`, { format: "xlsx" })}
              />
              <ActionButton
                kind="secondary"
                label={t("samples.downloadTemplate")}
                run={() =>
                  download(`${samplePath(s.id)}/items`, `audit-template-${s.id}.csv`, {
                    format: "csv",
                    template: "audit",
                  })
                }
              />
              <ActionButton
                kind="secondary"
                label={t("samples.downloadTemplateXlsx")}
                run={() =>
                  download(`${samplePath(s.id)}/items`, `audit-template-${s.id}.xlsx`, {
                    format: "xlsx",
                    template: "audit",
                  })
                }
              />
            </div>
            <ul class="sample-links" data-testid="sample-links">
              <li>
                <Link href={`/quality?sampleId=${encodeURIComponent(s.id)}`}>
                  {t("samples.link.quality")}
                </Link>
              </li>
              <li>
                <Link href={`/charts?sampleId=${encodeURIComponent(s.id)}`}>{t("samples.link.charts")}</Link>
              </li>
              <li>
                <Link href={auditsHref({ sampleId: s.id })}>{t("samples.link.audits")}</Link>
              </li>
              <li>
                <Link href={`/audit?sample=${encodeURIComponent(s.id)}`}>{t("samples.link.workbench")}</Link>
              </li>
            </ul>
          </Section>

          <Section title={t("samples.progressTitle")}>
            <p data-testid="sample-progress">
              <WorkBar counts={s.progress} items={s.n} />
            </p>
            {s.progress.unassigned > 0 && (
              <p class="hint">{t("samples.unassigned", { n: fmt.integer(s.progress.unassigned) })}</p>
            )}
            <SortableTable
              columns={columns}
              rows={rows}
              rowKey={(r) => r.key}
              caption={t("samples.strataTable")}
              testId="sample-strata"
              initialSort={{ key: "key", direction: "ascending" }}
            />
          </Section>

          <Section title={t("samples.estimate")}>
            <Loading when={estimate.loading} />
            <ErrorBox error={estimate.error} />
            {e && (
              <div class="result" data-testid="sample-estimate">
                <p class="summary">
                  {e.rate === null
                    ? t("audit.team.noEstimate")
                    : t("audit.team.estimate", {
                        rate: fmt.rate(e.rate, decimals),
                        confidence: fmt.percent(e.confidence, 1),
                        lower: fmt.rate(e.lower, decimals),
                        upper: fmt.rate(e.upper, decimals),
                      })}
                </p>
                <p>
                  {t("audit.team.estimateBasis", {
                    audited: fmt.integer(e.audited),
                    drawn: fmt.integer(e.drawn),
                    errors: fmt.integer(e.errors),
                  })}{" "}
                  {e.rate !== null && t("samples.coverage", { share: fmt.percent(e.coverage.share, 1) })}
                </p>
                <EstimateWarnings estimate={e} />
              </div>
            )}
          </Section>

          <TeamPanel sampleId={s.id} showEstimate={false} />
          <DeleteSample sample={s} />
        </>
      )}
    </div>
  );
}

/** Deletes the sample after a confirmation that says what goes; a sample audits name stays (409, translated). */
function DeleteSample({ sample }: { sample: SampleDetail }) {
  const { t, fmt } = useI18n();
  const [confirming, setConfirming] = useState(false);
  return (
    <Section title={t("samples.delete")}>
      <p class="hint">{t("samples.delete.intro")}</p>
      {!confirming ? (
        <button type="button" class="danger" onClick={() => setConfirming(true)} data-testid="sample-delete">
          {t("samples.delete.review")}
        </button>
      ) : (
        <fieldset class="confirm" data-testid="sample-delete-confirm">
          <legend class="summary">
            {t("samples.delete.confirm", {
              name: sample.name,
              n: fmt.integer(sample.n),
              auditors: fmt.integer(sample.progress.byAuditor.length),
              skipped: fmt.integer(sample.progress.skipped),
            })}
          </legend>
          <div class="buttons">
            <ActionButton
              kind="danger"
              label={t("samples.delete.do")}
              testId="sample-delete-do"
              run={async () => {
                await api("DELETE", samplePath(sample.id));
                navigate("/samples");
              }}
            />
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              {t("audit.reassign.cancel")}
            </button>
          </div>
        </fieldset>
      )}
    </Section>
  );
}
