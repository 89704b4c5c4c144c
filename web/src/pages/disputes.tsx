import { useId, useState } from "preact/hooks";
import { api } from "../api.ts";
import {
  ActionButton,
  type Column,
  ErrorBox,
  Field,
  Loading,
  Section,
  SelectField,
  SortableTable,
  TextArea,
  useAsync,
  useDebounced,
} from "../components/ui.tsx";
import { plural, rateDecimals, useI18n } from "../i18n/index.ts";
import { Link, replaceQuery } from "../router.tsx";
import {
  DISPUTE_STATES,
  type Dispute,
  DisputeBadge,
  type DisputeState,
  VerdictSummary,
} from "./dispute-view.tsx";
import { findingsHref } from "./findings/index.tsx";
import { ItemContext } from "./workbench/item-view.tsx";

interface DisputePage {
  disputes: Dispute[];
  nextCursor: string | null;
}

interface RateRow {
  rate: number | null;
  lower: number | null;
  upper: number | null;
}
interface DisputeStats {
  confidence: number;
  states: Record<DisputeState, number>;
  auditors: (RateRow & { auditor: string; resolved: number; overturned: number })[];
  queues: (RateRow & { queue: string; audits: number; disputed: number })[];
  resolution: { count: number; medianMs: number | null; p90Ms: number | null };
}

/** The longest decision note the API takes (src/feedback/disputes-review.ts MAX_DECISION_NOTE). */
const NOTE_MAX = 1900;

/** A lead decides an escalated dispute: the first verdict and the second review side by side, then the decision. */
function EscalatedDispute({ dispute, onDecided }: { dispute: Dispute; onDecided(): void }) {
  const { t, fmt } = useI18n();
  const headingId = useId();
  const [final, setFinal] = useState<"upheld" | "overturned" | null>(null);
  const [note, setNote] = useState("");
  const trimmed = note.trim();
  return (
    <li>
      <article class="finding" aria-labelledby={headingId} data-testid="escalated" data-dispute={dispute.id}>
        <div class="finding-head">
          <h3 id={headingId}>
            {t("findings.decision")} <code>{dispute.decision.decisionId}</code>
          </h3>
          <DisputeBadge state={dispute.state} />
          <span>{t("disputes.waiting", { age: fmt.duration(dispute.ageMs) })}</span>
        </div>
        <ItemContext item={dispute.decision} />
        <h4>{t("disputes.reason")}</h4>
        <blockquote class="quote" data-testid="dispute-reason">
          {dispute.reason}
        </blockquote>
        <p class="hint">
          {t("disputes.openedBy", { by: dispute.openedBy ?? "–", at: fmt.dateTime(dispute.openedAt) })}
        </p>
        <div class="side-by-side">
          {dispute.verdict && (
            <VerdictSummary
              verdict={dispute.verdict}
              title={t("disputes.firstVerdict", { auditor: dispute.auditor ?? "–" })}
              testId="first-verdict"
            />
          )}
          {dispute.review && (
            <VerdictSummary
              verdict={dispute.review}
              title={t("disputes.secondVerdict", { reviewer: dispute.reviewer ?? "–" })}
              testId="second-verdict"
            />
          )}
        </div>
        <form class="subform" aria-label={t("disputes.decide")} onSubmit={(e) => e.preventDefault()}>
          <fieldset class="choices">
            <legend>{t("disputes.decide")}</legend>
            {(["upheld", "overturned"] as const).map((choice) => (
              <label key={choice} class={`choice${final === choice ? " chosen" : ""}`}>
                <input
                  type="radio"
                  name={`final-${dispute.id}`}
                  value={choice}
                  checked={final === choice}
                  onChange={() => setFinal(choice)}
                />{" "}
                {t(`disputes.final.${choice}`)}
              </label>
            ))}
          </fieldset>
          <TextArea
            label={t("disputes.note")}
            hint={t("disputes.note.hint", { max: NOTE_MAX })}
            value={note}
            onValue={setNote}
            rows={2}
          />
          <ActionButton
            label={t("disputes.record")}
            testId="decide"
            disabled={final === null || trimmed === "" || trimmed.length > NOTE_MAX}
            run={async () => {
              await api("POST", `/v1/disputes/${encodeURIComponent(dispute.id)}/decision`, {
                json: { final, note: trimmed },
              });
              onDecided();
            }}
          />
        </form>
      </article>
    </li>
  );
}

function Escalated({ reloadKey, onDecided }: { reloadKey: number; onDecided(): void }) {
  const { t } = useI18n();
  const list = useAsync(
    (signal) =>
      api<DisputePage>("GET", "/v1/disputes", { query: { state: "escalated", limit: 100 }, signal }),
    [reloadKey],
  );
  const [decided, setDecided] = useState<string | null>(null);
  return (
    <Section title={t("disputes.escalated")}>
      <p class="hint">{t("disputes.escalated.intro")}</p>
      <Loading when={list.loading} />
      <ErrorBox error={list.error} />
      {decided && (
        <p class="success" role="status" data-testid="decided">
          {decided}
        </p>
      )}
      {list.data && list.data.disputes.length === 0 && <p class="hint">{t("disputes.escalated.none")}</p>}
      <ul class="finding-list" data-testid="escalated-list">
        {(list.data?.disputes ?? []).map((dispute) => (
          <EscalatedDispute
            key={dispute.id}
            dispute={dispute}
            onDecided={() => {
              setDecided(t("disputes.decided", { id: dispute.decision.decisionId }));
              onDecided();
            }}
          />
        ))}
      </ul>
    </Section>
  );
}

/** Every dispute, newest first, with its state and age; filters by state, queue and names. */
function DisputeList({ query, reloadKey }: { query: URLSearchParams; reloadKey: number }) {
  const { t, fmt } = useI18n();
  const [state, setState] = useState<DisputeState | "">(() => {
    const given = query.get("state") ?? "";
    return (DISPUTE_STATES as readonly string[]).includes(given) ? (given as DisputeState) : "";
  });
  const [names, setNames] = useState(() => ({
    queue: query.get("queue") ?? "",
    moderator: query.get("moderator") ?? "",
    auditor: query.get("auditor") ?? "",
  }));
  const filters = useDebounced(JSON.stringify({ state, ...names }), 300);
  const request = Object.fromEntries(
    Object.entries(JSON.parse(filters) as Record<string, string>).filter(([, v]) => v.trim() !== ""),
  );
  const list = useAsync(
    (signal) => {
      replaceQuery(request);
      return api<DisputePage>("GET", "/v1/disputes", { query: { ...request, limit: 100 }, signal });
    },
    [filters, reloadKey],
  );
  const [more, setMore] = useState<{ key: string } & DisputePage>();
  const extra = more?.key === filters ? more : undefined;
  const rows = [...(list.data?.disputes ?? []), ...(extra?.disputes ?? [])];
  const nextCursor = extra ? extra.nextCursor : (list.data?.nextCursor ?? null);
  const columns: Column<Dispute>[] = [
    {
      key: "decision",
      label: t("findings.decision"),
      sortValue: (d) => d.decision.decisionId,
      render: (d) => <code>{d.decision.decisionId}</code>,
    },
    {
      key: "state",
      label: t("disputes.state"),
      sortValue: (d) => DISPUTE_STATES.indexOf(d.state),
      render: (d) => <DisputeBadge state={d.state} />,
    },
    {
      key: "opened",
      label: t("disputes.opened"),
      sortValue: (d) => d.openedAt,
      date: true,
      render: (d) => fmt.dateTime(d.openedAt),
    },
    {
      key: "age",
      label: t("disputes.age"),
      numeric: true,
      sortValue: (d) => d.ageMs,
      render: (d) => fmt.duration(d.ageMs),
    },
    {
      key: "moderator",
      label: t("field.moderator"),
      sortValue: (d) => d.moderator,
      render: (d) => <Link href={findingsHref(d.moderator)}>{d.moderator}</Link>,
    },
    { key: "queue", label: t("field.queue"), sortValue: (d) => d.queue, render: (d) => d.queue },
    {
      key: "auditor",
      label: t("field.auditor"),
      sortValue: (d) => d.auditor,
      render: (d) => d.auditor ?? "–",
    },
    {
      key: "reviewer",
      label: t("disputes.reviewer"),
      sortValue: (d) => d.reviewer,
      render: (d) => d.reviewer ?? "–",
    },
    {
      key: "final",
      label: t("disputes.outcome"),
      render: (d) =>
        d.leadDecision
          ? t("disputes.byLead", { by: d.leadDecision.by, note: d.leadDecision.note })
          : d.review
            ? t(d.review.agreed ? "disputes.reviewAgreed" : "disputes.reviewDiffers")
            : "–",
    },
  ];
  const set = (key: keyof typeof names) => (value: string) => setNames((n) => ({ ...n, [key]: value }));
  return (
    <Section title={t("disputes.all")}>
      <div class="grid">
        <SelectField
          label={t("disputes.state")}
          value={state}
          onValue={setState}
          name="state"
          options={[
            { value: "", label: t("disputes.state.any") },
            ...DISPUTE_STATES.map((s) => ({ value: s, label: t(`dispute.state.${s}`) })),
          ]}
        />
        <Field label={t("field.queue")} value={names.queue} onValue={set("queue")} name="queue" />
        <Field
          label={t("field.moderator")}
          value={names.moderator}
          onValue={set("moderator")}
          name="moderator"
        />
        <Field label={t("field.auditor")} value={names.auditor} onValue={set("auditor")} name="auditor" />
      </div>
      <Loading when={list.loading} />
      <ErrorBox error={list.error} />
      {list.data && (
        <SortableTable
          testId="dispute-table"
          columns={columns}
          rows={rows}
          rowKey={(d) => d.id}
          caption={t("disputes.all")}
          captionHidden
        />
      )}
      {nextCursor && (
        <ActionButton
          kind="secondary"
          label={t("findings.more")}
          run={async () => {
            const page = await api<DisputePage>("GET", "/v1/disputes", {
              query: { ...request, limit: 100, cursor: nextCursor },
            });
            setMore({
              key: filters,
              disputes: [...(extra?.disputes ?? []), ...page.disputes],
              nextCursor: page.nextCursor,
            });
          }}
        />
      )}
    </Section>
  );
}

/** Overturn rate per auditor, dispute rate per queue, time to resolution. */
function Stats({ reloadKey }: { reloadKey: number }) {
  const { t, fmt, lang } = useI18n();
  const stats = useAsync((signal) => api<DisputeStats>("GET", "/v1/disputes/stats", { signal }), [reloadKey]);
  const s = stats.data;
  const interval = (r: RateRow) => fmt.rateInterval(r.lower, r.upper);
  const rate = (r: RateRow) => fmt.rate(r.rate, rateDecimals(r.lower, r.upper));
  const auditorColumns: Column<DisputeStats["auditors"][number]>[] = [
    { key: "auditor", label: t("field.auditor"), sortValue: (a) => a.auditor, render: (a) => a.auditor },
    {
      key: "resolved",
      label: t("disputes.stats.resolved"),
      numeric: true,
      sortValue: (a) => a.resolved,
      render: (a) => fmt.integer(a.resolved),
    },
    {
      key: "overturned",
      label: t("dispute.state.overturned"),
      numeric: true,
      sortValue: (a) => a.overturned,
      render: (a) => fmt.integer(a.overturned),
    },
    {
      key: "rate",
      label: t("disputes.stats.overturnRate"),
      numeric: true,
      sortValue: (a) => a.rate,
      render: rate,
    },
    { key: "interval", label: t("policy.interval"), numeric: true, render: interval },
  ];
  const queueColumns: Column<DisputeStats["queues"][number]>[] = [
    { key: "queue", label: t("field.queue"), sortValue: (q) => q.queue, render: (q) => q.queue },
    {
      key: "audits",
      label: t("quality.audited"),
      numeric: true,
      sortValue: (q) => q.audits,
      render: (q) => fmt.integer(q.audits),
    },
    {
      key: "disputed",
      label: t("disputes.stats.disputed"),
      numeric: true,
      sortValue: (q) => q.disputed,
      render: (q) => fmt.integer(q.disputed),
    },
    {
      key: "rate",
      label: t("disputes.stats.disputeRate"),
      numeric: true,
      sortValue: (q) => q.rate,
      render: rate,
    },
    { key: "interval", label: t("policy.interval"), numeric: true, render: interval },
  ];
  return (
    <Section title={t("disputes.stats")}>
      <Loading when={stats.loading} />
      <ErrorBox error={stats.error} />
      {s && (
        <>
          <dl class="evidence" data-testid="dispute-states">
            {DISPUTE_STATES.map((state) => (
              <div key={state}>
                <dt>{t(`dispute.state.${state}`)}</dt>
                <dd>{fmt.integer(s.states[state])}</dd>
              </div>
            ))}
          </dl>
          <p class="summary" data-testid="resolution-time">
            {s.resolution.count === 0
              ? t("disputes.stats.noResolution")
              : plural(lang, "disputes.stats.resolutionCount", s.resolution.count, {
                  median: fmt.duration(s.resolution.medianMs),
                  p90: fmt.duration(s.resolution.p90Ms),
                })}
          </p>
          <SortableTable
            testId="overturn-rates"
            columns={auditorColumns}
            rows={s.auditors}
            rowKey={(a) => a.auditor}
            caption={t("disputes.stats.auditors", { confidence: fmt.percent(s.confidence, 0) })}
            initialSort={{ key: "rate", direction: "descending" }}
          />
          <p class="hint">{t("disputes.stats.auditors.hint")}</p>
          <SortableTable
            testId="dispute-rates"
            columns={queueColumns}
            rows={s.queues}
            rowKey={(q) => q.queue}
            caption={t("disputes.stats.queues", { confidence: fmt.percent(s.confidence, 0) })}
            initialSort={{ key: "rate", direction: "descending" }}
          />
        </>
      )}
    </Section>
  );
}

/**
 * `/disputes` (leads and admins): escalated disputes to decide, with both verdicts side by side; every dispute by
 * state with its age; overturn rates per auditor, dispute rates per queue and the time to resolution.
 */
export function DisputesPage({ query }: { query: URLSearchParams }) {
  const { t } = useI18n();
  const [reloadKey, setReloadKey] = useState(0);
  const reload = () => setReloadKey((n) => n + 1);
  return (
    <div>
      <h1>{t("disputes.title")}</h1>
      <p class="lead">{t("disputes.intro")}</p>
      <Escalated reloadKey={reloadKey} onDecided={reload} />
      <DisputeList query={query} reloadKey={reloadKey} />
      <Stats reloadKey={reloadKey} />
    </div>
  );
}
