import { useEffect, useMemo, useState } from "preact/hooks";
import { api } from "../../api.ts";
import {
  ActionButton,
  type Column,
  ErrorBox,
  Field,
  Loading,
  Section,
  SelectField,
  SortableTable,
  useAsync,
} from "../../components/ui.tsx";
import { useI18n } from "../../i18n/index.ts";
import { Link, navigate, replaceQuery } from "../../router.tsx";
import { isModerator, useSession } from "../../session.ts";
import { type Finding, FindingCard } from "./finding-card.tsx";

interface FindingsAnswer {
  moderator: string;
  findings: Finding[];
  nextCursor: string | null;
}

interface Unread {
  unread: number;
  moderatorsWithUnread: number;
  moderators: { moderator: string; unread: number; oldestUnreadAt: string; oldestUnreadHours: number }[];
}

const OUTCOME_CHOICES = ["incorrect", "correct", "all"] as const;
type OutcomeChoice = (typeof OUTCOME_CHOICES)[number];
const READ_CHOICES = ["", "false", "true"] as const;
type ReadChoice = (typeof READ_CHOICES)[number];
const PAGE_LIMIT = 50;

export const findingsHref = (moderator: string) => `/findings?moderator=${encodeURIComponent(moderator)}`;
export const scorecardHref = (moderator: string) => `/scorecards?moderator=${encodeURIComponent(moderator)}`;

/** A moderator's findings, newest first, page by page: its own key's, or the named one's for a lead. */
function FindingsList({
  moderator,
  own,
  query,
}: {
  moderator?: string;
  own: boolean;
  query: URLSearchParams;
}) {
  const { t, fmt } = useI18n();
  const [outcome, setOutcome] = useState<OutcomeChoice>(() => {
    const given = query.get("outcome");
    return (OUTCOME_CHOICES as readonly string[]).includes(given ?? "")
      ? (given as OutcomeChoice)
      : "incorrect";
  });
  const [read, setRead] = useState<ReadChoice>(() => {
    const given = query.get("read");
    return given === "true" || given === "false" ? given : "";
  });
  const request = useMemo(
    () => ({ moderator, outcome, read: read || undefined, limit: PAGE_LIMIT }),
    [moderator, outcome, read],
  );
  const requestKey = JSON.stringify(request);
  useEffect(() => {
    replaceQuery({
      moderator,
      outcome: outcome === "incorrect" ? undefined : outcome,
      read: read || undefined,
    });
  }, [requestKey]);
  const first = useAsync(
    (signal) => api<FindingsAnswer>("GET", "/v1/findings", { query: request, signal }),
    [requestKey],
  );
  // Later pages and this session's changes (marked read, disputed), for the request they belong to.
  const [more, setMore] = useState<{ key: string; findings: Finding[]; nextCursor: string | null }>();
  const [patches, setPatches] = useState<Record<string, Partial<Finding>>>({});
  const extra = more?.key === requestKey ? more : undefined;
  const findings = [...(first.data?.findings ?? []), ...(extra?.findings ?? [])].map((f) => ({
    ...f,
    ...patches[f.auditId],
  }));
  const nextCursor = extra ? extra.nextCursor : (first.data?.nextCursor ?? null);
  const name = first.data?.moderator ?? moderator ?? "";
  return (
    <>
      <fieldset class="filters">
        <legend>{t("findings.filters")}</legend>
        <div class="grid">
          <SelectField
            label={t("findings.outcome")}
            value={outcome}
            onValue={setOutcome}
            name="outcome"
            options={OUTCOME_CHOICES.map((o) => ({ value: o, label: t(`findings.outcome.${o}`) }))}
          />
          <SelectField
            label={t("findings.read")}
            value={read}
            onValue={setRead}
            name="read"
            options={READ_CHOICES.map((r) => ({ value: r, label: t(`findings.read.${r || "any"}`) }))}
          />
        </div>
      </fieldset>
      <Section title={own ? t("findings.list") : t("findings.of", { moderator: name })}>
        <Loading when={first.loading} />
        <ErrorBox error={first.error} />
        {first.data && findings.length === 0 && <p class="hint">{t("findings.none")}</p>}
        <ul class="finding-list" data-testid="findings">
          {findings.map((finding) => (
            <FindingCard
              key={finding.auditId}
              finding={finding}
              own={own}
              moderator={name}
              onChange={(patch) =>
                setPatches((all) => ({ ...all, [finding.auditId]: { ...all[finding.auditId], ...patch } }))
              }
            />
          ))}
        </ul>
        {first.data && findings.length > 0 && (
          <p class="hint">{t("findings.count", { n: fmt.integer(findings.length) })}</p>
        )}
        {nextCursor && (
          <ActionButton
            kind="secondary"
            label={t("findings.more")}
            run={async () => {
              const page = await api<FindingsAnswer>("GET", "/v1/findings", {
                query: { ...request, cursor: nextCursor },
              });
              setMore({
                key: requestKey,
                findings: [...(extra?.findings ?? []), ...page.findings],
                nextCursor: page.nextCursor,
              });
            }}
          />
        )}
      </Section>
    </>
  );
}

/** Leads: errors no moderator has read yet, per moderator, the longest waiting first. */
function UnreadPerModerator() {
  const { t, fmt } = useI18n();
  const unread = useAsync((signal) => api<Unread>("GET", "/v1/findings/unread", { signal }), []);
  type Row = Unread["moderators"][number];
  const columns: Column<Row>[] = [
    {
      key: "moderator",
      label: t("field.moderator"),
      sortValue: (r) => r.moderator,
      render: (r) => r.moderator,
    },
    {
      key: "unread",
      label: t("findings.unread.count"),
      numeric: true,
      sortValue: (r) => r.unread,
      render: (r) => fmt.integer(r.unread),
    },
    {
      key: "oldest",
      label: t("findings.unread.oldest"),
      sortValue: (r) => r.oldestUnreadAt,
      date: true,
      render: (r) => fmt.dateTime(r.oldestUnreadAt),
    },
    {
      key: "waiting",
      label: t("findings.unread.waiting"),
      numeric: true,
      sortValue: (r) => r.oldestUnreadHours,
      render: (r) => fmt.duration(r.oldestUnreadHours * 3_600_000),
    },
    {
      key: "open",
      label: t("common.actions"),
      render: (r) => (
        <span class="links">
          <Link
            href={findingsHref(r.moderator)}
            aria-label={t("findings.openFindingsOf", { moderator: r.moderator })}
          >
            {t("findings.openFindings")}
          </Link>
          <Link
            href={scorecardHref(r.moderator)}
            aria-label={t("findings.openScorecardOf", { moderator: r.moderator })}
          >
            {t("findings.openScorecard")}
          </Link>
        </span>
      ),
    },
  ];
  return (
    <Section title={t("findings.unread.title")}>
      <Loading when={unread.loading} />
      <ErrorBox error={unread.error} />
      {unread.data && (
        <>
          <p class="summary" data-testid="unread-summary">
            {unread.data.unread === 0
              ? t("findings.unread.none")
              : t("findings.unread.summary", {
                  unread: fmt.integer(unread.data.unread),
                  moderators: fmt.integer(unread.data.moderatorsWithUnread),
                })}
          </p>
          {unread.data.moderators.length > 0 && (
            <SortableTable
              testId="unread-table"
              columns={columns}
              rows={unread.data.moderators}
              rowKey={(r) => r.moderator}
              caption={t("findings.unread.title")}
              captionHidden
              initialSort={{ key: "waiting", direction: "descending" }}
            />
          )}
        </>
      )}
    </Section>
  );
}

/** Leads: open a moderator's findings by name. */
export function OpenModerator({ href, title }: { href(moderator: string): string; title: string }) {
  const { t } = useI18n();
  const [name, setName] = useState("");
  return (
    <Section title={title}>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) navigate(href(name.trim()));
        }}
      >
        <Field label={t("field.moderator")} value={name} onValue={setName} name="open-moderator" />
        <button type="submit" class="primary" disabled={!name.trim()}>
          {t("findings.openButton")}
        </button>
      </form>
    </Section>
  );
}

/**
 * `/findings`: a moderator key's own audited decisions (mark read, dispute); for leads, the errors moderators have
 * not read yet and, with `?moderator=`, one moderator's findings (a lead may dispute on the moderator's behalf).
 */
export function FindingsPage({ query }: { query: URLSearchParams }) {
  const { t } = useI18n();
  const { me } = useSession();
  if (isModerator(me)) {
    return (
      <div>
        <h1>{t("findings.mine")}</h1>
        <p class="lead">{t("findings.mine.intro")}</p>
        <FindingsList own={true} query={query} />
      </div>
    );
  }
  const moderator = query.get("moderator");
  return (
    <div>
      <h1>{moderator ? t("findings.of", { moderator }) : t("findings.lead")}</h1>
      <p class="lead">{t("findings.lead.intro")}</p>
      {moderator ? (
        <>
          <p class="links">
            <Link href="/findings">{t("findings.back")}</Link>
            <Link href={scorecardHref(moderator)}>{t("findings.openScorecard")}</Link>
          </p>
          <FindingsList key={moderator} moderator={moderator} own={false} query={query} />
        </>
      ) : (
        <>
          <UnreadPerModerator />
          <OpenModerator href={findingsHref} title={t("findings.open")} />
        </>
      )}
    </div>
  );
}
