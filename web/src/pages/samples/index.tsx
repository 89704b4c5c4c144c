import { useMemo, useState } from "preact/hooks";
import { api } from "../../api.ts";
import {
  type Column,
  ErrorBox,
  Field,
  Loading,
  Section,
  SortableTable,
  useAsync,
} from "../../components/ui.tsx";
import { useI18n } from "../../i18n/index.ts";
import { Link, replaceQuery } from "../../router.tsx";
import { SampleView } from "./sample.tsx";
import { type SampleSummary, sampleHref } from "./types.ts";
import { WorkBar } from "./work-bar.tsx";

/** `/samples` (every sample) and `/samples/:id` (one sample). */
export function SamplesPage({ id, query }: { id?: string; query: URLSearchParams }) {
  return id === undefined ? <SampleList query={query} /> : <SampleView id={id} />;
}

/** Every sample with its population, size, creator and progress; a text filter on names; sortable. */
function SampleList({ query }: { query: URLSearchParams }) {
  const { t, fmt } = useI18n();
  const [search, setSearch] = useState(() => query.get("q") ?? "");
  const samples = useAsync(
    (signal) => api<{ samples: SampleSummary[] }>("GET", "/v1/samples", { signal }),
    [],
  );
  const shown = useMemo(() => {
    const needle = search.trim().toLocaleLowerCase();
    const all = samples.data?.samples ?? [];
    if (!needle) return all;
    return all.filter((s) =>
      [s.name, s.populationName ?? "", s.population, s.id].some((text) =>
        text.toLocaleLowerCase().includes(needle),
      ),
    );
  }, [samples.data, search]);
  const columns: Column<SampleSummary>[] = [
    {
      key: "name",
      label: t("samples.name"),
      sortValue: (s) => s.name,
      render: (s) => <Link href={sampleHref(s.id)}>{s.name}</Link>,
    },
    {
      key: "population",
      label: t("samples.population"),
      sortValue: (s) => s.populationName ?? s.population,
      render: (s) => (
        <>
          <span class="nowrap">{s.populationName ?? s.population}</span>
          <span class="hint sample-uploaded">
            {t("samples.uploadedAt", { at: fmt.dateTime(s.populationCreatedAt) })}
          </span>
        </>
      ),
    },
    {
      key: "n",
      label: t("samples.n"),
      numeric: true,
      sortValue: (s) => s.n,
      render: (s) => fmt.integer(s.n),
    },
    {
      key: "createdBy",
      label: t("samples.createdBy"),
      sortValue: (s) => s.createdBy,
      render: (s) => s.createdBy ?? "–",
    },
    {
      key: "createdAt",
      label: t("samples.createdAt"),
      sortValue: (s) => s.createdAt,
      render: (s) => <span class="nowrap">{fmt.dateTime(s.createdAt)}</span>,
    },
    {
      key: "progress",
      label: t("samples.progress"),
      sortValue: (s) => (s.n > 0 ? (s.progress.done + s.progress.skipped) / s.n : 0),
      render: (s) => <WorkBar counts={s.progress} items={s.n} />,
    },
  ];
  return (
    <div>
      <h1>{t("samples.title")}</h1>
      <p class="lead">{t("samples.intro")}</p>
      <Section title={t("samples.list")}>
        <div class="grid">
          <Field
            label={t("samples.search")}
            value={search}
            onValue={(value) => {
              setSearch(value);
              replaceQuery({ q: value.trim() || undefined });
            }}
            name="q"
            hint={t("samples.search.hint")}
          />
        </div>
        <Loading when={samples.loading} />
        <ErrorBox error={samples.error} />
        {samples.data && (
          <>
            <p class="hint" aria-live="polite">
              {t("samples.count", {
                shown: fmt.integer(shown.length),
                all: fmt.integer(samples.data.samples.length),
              })}
            </p>
            <SortableTable
              columns={columns}
              rows={shown}
              rowKey={(s) => s.id}
              caption={t("samples.list")}
              captionHidden
              testId="samples-table"
              initialSort={{ key: "createdAt", direction: "descending" }}
            />
          </>
        )}
        <p>
          <Link href="/planner">{t("samples.drawNew")}</Link>
        </p>
      </Section>
    </div>
  );
}
