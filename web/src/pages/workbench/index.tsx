import { api } from "../../api.ts";
import {
  type Column,
  ErrorBox,
  Loading,
  Progress,
  Section,
  SortableTable,
  useAsync,
} from "../../components/ui.tsx";
import { useI18n } from "../../i18n/index.ts";
import { Link } from "../../router.tsx";
import { atLeast, useSession } from "../../session.ts";
import { SecondReviews } from "./reviews.tsx";
import { TeamPanel } from "./team.tsx";
import type { SampleSummary } from "./types.ts";
import { Workbench } from "./workbench.tsx";

interface SampleInfo {
  id: string;
  population: string;
  seed: string;
  n: number;
  createdAt: string;
}

const openHref = (sampleId: string) => `/audit?sample=${encodeURIComponent(sampleId)}`;

/** An auditor's samples, with progress bars (`GET /v1/work/summary`; a lead or admin names the rater). */
function MySamples({ auditor }: { auditor?: string }) {
  const { t, fmt } = useI18n();
  const summary = useAsync(
    (signal) =>
      api<{ samples: SampleSummary[] }>("GET", "/v1/work/summary", { query: { auditor }, signal }).then(
        (answer) => answer.samples,
      ),
    [auditor],
  );
  const href = (sampleId: string) =>
    auditor ? `${openHref(sampleId)}&auditor=${encodeURIComponent(auditor)}` : openHref(sampleId);
  const columns: Column<SampleSummary>[] = [
    {
      key: "sample",
      label: t("audit.sample"),
      sortValue: (s) => s.sampleId,
      render: (s) => (
        <Link href={href(s.sampleId)} aria-label={t("audit.openSample", { id: s.sampleId })}>
          <code>{s.sampleId.slice(0, 12)}</code>
        </Link>
      ),
    },
    {
      key: "created",
      label: t("audit.created"),
      sortValue: (s) => s.createdAt,
      render: (s) => fmt.dateTime(s.createdAt),
    },
    {
      key: "progress",
      label: t("audit.progress"),
      sortValue: (s) => (s.assigned > 0 ? (s.done + s.skipped) / s.assigned : 0),
      render: (s) => (
        <Progress
          value={s.done + s.skipped}
          max={s.assigned}
          label={t("audit.progressOf", { id: s.sampleId.slice(0, 12) })}
        />
      ),
    },
    {
      key: "done",
      label: t("audit.team.done"),
      numeric: true,
      sortValue: (s) => s.done,
      render: (s) => fmt.integer(s.done),
    },
    {
      key: "skipped",
      label: t("audit.team.skipped"),
      numeric: true,
      sortValue: (s) => s.skipped,
      render: (s) => fmt.integer(s.skipped),
    },
    {
      key: "todo",
      label: t("audit.team.todo"),
      numeric: true,
      sortValue: (s) => s.todo,
      render: (s) => fmt.integer(s.todo),
    },
    {
      key: "open",
      label: t("common.actions"),
      render: (s) => (
        <Link href={href(s.sampleId)} class="button-link">
          {t(s.todo === 0 ? "audit.review" : s.done + s.skipped > 0 ? "audit.continue" : "audit.start")}
        </Link>
      ),
    },
  ];
  return (
    <Section title={t("audit.mySamples")}>
      <Loading when={summary.loading} />
      <ErrorBox error={summary.error} />
      {summary.data &&
        (summary.data.length === 0 ? (
          <p class="notice" data-testid="no-samples">
            {t("audit.noSamples")}
          </p>
        ) : (
          <SortableTable
            columns={columns}
            rows={summary.data}
            rowKey={(s) => s.sampleId}
            caption={t("audit.mySamples")}
            captionHidden={true}
            testId="my-samples"
            initialSort={{ key: "created", direction: "descending" }}
          />
        ))}
    </Section>
  );
}

function AllSamples({ samples }: { samples: SampleInfo[] }) {
  const { t, fmt } = useI18n();
  const columns: Column<SampleInfo>[] = [
    {
      key: "sample",
      label: t("audit.sample"),
      sortValue: (s) => s.id,
      render: (s) => (
        <Link href={`${openHref(s.id)}#team`}>
          <code>{s.id.slice(0, 12)}</code>
        </Link>
      ),
    },
    {
      key: "created",
      label: t("audit.created"),
      sortValue: (s) => s.createdAt,
      render: (s) => fmt.dateTime(s.createdAt),
    },
    {
      key: "n",
      label: t("audit.drawn"),
      numeric: true,
      sortValue: (s) => s.n,
      render: (s) => fmt.integer(s.n),
    },
  ];
  return (
    <Section title={t("audit.team.samples")}>
      <p class="hint">{t("audit.team.samplesIntro")}</p>
      <SortableTable
        columns={columns}
        rows={samples}
        rowKey={(s) => s.id}
        caption={t("audit.team.samples")}
        captionHidden={true}
        testId="all-samples"
        initialSort={{ key: "created", direction: "descending" }}
      />
    </Section>
  );
}

/**
 * `/audit`: my samples; `/audit?sample=…` works one. A lead or admin has no queue of their own unless their key
 * names a rater: they see every sample, each auditor's progress, and can work an auditor's queue
 * (`&auditor=…`, the verdicts are that auditor's) or reassign items.
 */
export function WorkbenchPage({ query }: { query: URLSearchParams }) {
  const { t } = useI18n();
  const { me } = useSession();
  const lead = atLeast(me, "lead");
  const sampleId = query.get("sample");
  const position = Number(query.get("item"));
  // An auditor key's queue is its own; a lead's is the one named in the address, else its own rater's.
  const named = lead ? (query.get("auditor") ?? undefined) : undefined;
  const auditor = named ?? (lead ? (me?.rater ?? undefined) : undefined);
  const hasQueue = !lead || auditor !== undefined;
  const list = useAsync(
    (signal) => api<{ samples: SampleInfo[] }>("GET", "/v1/samples", { signal }),
    [],
    lead && !sampleId,
  );
  return (
    <div>
      <h1>{t("audit.title")}</h1>
      <p class="lead">{t("audit.intro")}</p>
      {sampleId ? (
        <>
          {hasQueue ? (
            <Workbench
              key={`${sampleId}|${auditor ?? ""}`}
              sampleId={sampleId}
              auditor={lead ? auditor : undefined}
              position={Number.isSafeInteger(position) && position > 0 ? position : undefined}
            />
          ) : (
            <p>
              <Link href="/audit">{t("audit.back")}</Link>
            </p>
          )}
          {lead && <TeamPanel sampleId={sampleId} />}
        </>
      ) : (
        <>
          {me?.role === "auditor" && <SecondReviews />}
          {hasQueue && <MySamples auditor={lead ? auditor : undefined} />}
          {lead && (
            <>
              <Loading when={list.loading} />
              <ErrorBox error={list.error} />
              {list.data && <AllSamples samples={list.data.samples} />}
            </>
          )}
        </>
      )}
    </div>
  );
}
