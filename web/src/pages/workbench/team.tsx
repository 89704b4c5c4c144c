import { useEffect, useId, useMemo, useState } from "preact/hooks";
import { api } from "../../api.ts";
import {
  ActionButton,
  type Column,
  ErrorBox,
  Loading,
  Progress,
  Section,
  SelectField,
  SortableTable,
  useAsync,
  useCodeLabel,
} from "../../components/ui.tsx";
import { rateDecimals, useI18n } from "../../i18n/index.ts";
import { Link } from "../../router.tsx";
import { EstimateWarnings } from "../samples/estimate-warnings.tsx";
import type { SampleEstimate } from "../samples/types.ts";
import { loadItems } from "./workbench.tsx";

/** One auditor's part of a sample, as `GET /v1/samples/{id}` reports it. */
interface AuditorProgress {
  auditor: string;
  assigned: number;
  done: number;
  skipped: number;
  todo: number;
}

/** `GET /v1/samples/{id}`: the parts the team view reads. */
interface SampleDetail {
  id: string;
  n: number;
  createdAt: string;
  progress: {
    drawn: number;
    /** Items with an audit naming this sample and their decision. */
    done: number;
    skipped: number;
    todo: number;
    unassigned: number;
    byAuditor: AuditorProgress[];
  };
}

const samplePath = (id: string) => `/v1/samples/${encodeURIComponent(id)}`;
/** The workbench on another auditor's queue (a lead records for the assigned auditor). */
const queueHref = (sampleId: string, auditor: string) =>
  `/audit?sample=${encodeURIComponent(sampleId)}&auditor=${encodeURIComponent(auditor)}`;

/**
 * A lead's view of a sample: every auditor's progress, the estimate so far (unless `showEstimate` is false: the
 * samples page shows it with its strata), and reassignment.
 */
export function TeamPanel({ sampleId, showEstimate = true }: { sampleId: string; showEstimate?: boolean }) {
  const { t, fmt } = useI18n();
  const detail = useAsync((signal) => api<SampleDetail>("GET", samplePath(sampleId), { signal }), [sampleId]);
  const estimate = useAsync(
    (signal) => api<SampleEstimate>("GET", `${samplePath(sampleId)}/estimate`, { signal }),
    [sampleId],
    showEstimate,
  );
  const reload = () => {
    detail.reload();
    estimate.reload();
  };
  const rows = detail.data?.progress.byAuditor ?? [];
  const columns: Column<AuditorProgress>[] = [
    { key: "auditor", label: t("field.auditor"), sortValue: (r) => r.auditor, render: (r) => r.auditor },
    {
      key: "assigned",
      label: t("audit.team.assigned"),
      numeric: true,
      sortValue: (r) => r.assigned,
      render: (r) => fmt.integer(r.assigned),
    },
    {
      key: "done",
      label: t("audit.team.done"),
      numeric: true,
      sortValue: (r) => r.done,
      render: (r) => fmt.integer(r.done),
    },
    {
      key: "skipped",
      label: t("audit.team.skipped"),
      numeric: true,
      sortValue: (r) => r.skipped,
      render: (r) => fmt.integer(r.skipped),
    },
    {
      key: "todo",
      label: t("audit.team.todo"),
      numeric: true,
      sortValue: (r) => r.todo,
      render: (r) => fmt.integer(r.todo),
    },
    {
      key: "progress",
      label: t("audit.team.progress"),
      sortValue: (r) => (r.assigned > 0 ? r.done / r.assigned : 0),
      render: (r) => (
        <Progress
          value={r.done}
          max={r.assigned}
          label={t("audit.team.progressOf", { auditor: r.auditor })}
        />
      ),
    },
    {
      key: "queue",
      label: t("common.actions"),
      render: (r) => (
        <Link
          href={queueHref(sampleId, r.auditor)}
          aria-label={t("audit.team.openQueueOf", { auditor: r.auditor })}
        >
          {t("audit.team.openQueue")}
        </Link>
      ),
    },
  ];
  const e = estimate.data;
  return (
    <Section title={t("audit.team.title")} id="team">
      <Loading when={detail.loading || estimate.loading} />
      <ErrorBox error={detail.error} />
      {detail.data && (
        <>
          <p data-testid="team-summary">
            {t("audit.team.summary", {
              drawn: fmt.integer(detail.data.progress.drawn),
              audited: fmt.integer(detail.data.progress.done),
              skipped: fmt.integer(detail.data.progress.skipped),
              remaining: fmt.integer(detail.data.progress.todo),
            })}
          </p>
          <SortableTable
            columns={columns}
            rows={rows}
            rowKey={(r) => r.auditor}
            caption={t("audit.team.table")}
            testId="team-progress"
            initialSort={{ key: "auditor", direction: "ascending" }}
            footer={
              <tr>
                <th scope="row">{t("common.total")}</th>
                <td class="num">
                  {fmt.integer(detail.data.progress.drawn - detail.data.progress.unassigned)}
                </td>
                <td class="num">{fmt.integer(detail.data.progress.done)}</td>
                <td class="num">{fmt.integer(detail.data.progress.skipped)}</td>
                <td class="num">{fmt.integer(detail.data.progress.todo)}</td>
                <td />
                <td />
              </tr>
            }
          />
        </>
      )}
      <ErrorBox error={estimate.error} />
      {e && (
        <div class="result" data-testid="team-estimate">
          <p class="summary">
            {e.rate === null
              ? t("audit.team.noEstimate")
              : t("audit.team.estimate", {
                  rate: fmt.rate(e.rate, rateDecimals(e.lower, e.upper)),
                  confidence: fmt.percent(e.confidence, 1),
                  lower: fmt.rate(e.lower, rateDecimals(e.lower, e.upper)),
                  upper: fmt.rate(e.upper, rateDecimals(e.lower, e.upper)),
                })}
          </p>
          <p>
            {t("audit.team.estimateBasis", {
              audited: fmt.integer(e.audited),
              drawn: fmt.integer(e.drawn),
              errors: fmt.integer(e.errors),
            })}{" "}
            {e.skipped > 0 && t("audit.team.skippedExcluded", { skipped: fmt.integer(e.skipped) })}
          </p>
          <EstimateWarnings estimate={e} />
        </div>
      )}
      {rows.length > 0 && <Reassign sampleId={sampleId} auditors={rows} onDone={reload} />}
    </Section>
  );
}

/** Moves unstarted or skipped items from one auditor to another, after a confirmation that says what changes. */
function Reassign({
  sampleId,
  auditors,
  onDone,
}: {
  sampleId: string;
  auditors: AuditorProgress[];
  onDone(): void;
}) {
  const { t, fmt } = useI18n();
  const code = useCodeLabel();
  const id = useId();
  const [from, setFrom] = useState(auditors[0].auditor);
  const [to, setTo] = useState("");
  const [chosen, setChosen] = useState<string[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<{ n: number; to: string } | null>(null);
  const [tick, setTick] = useState(0);
  const items = useAsync((signal) => loadItems(sampleId, from, signal), [sampleId, from, tick]);
  const movable = useMemo(() => (items.data ?? []).filter((i) => i.status !== "done"), [items.data]);
  useEffect(() => {
    setChosen([]);
    setConfirming(false);
  }, [from]);
  const picked = movable.filter((i) => chosen.includes(i.decisionId));
  const skippedCount = picked.filter((i) => i.status === "skipped").length;
  const target = to.trim();
  const toggle = (decisionId: string, on: boolean) =>
    setChosen((all) => (on ? [...all, decisionId] : all.filter((d) => d !== decisionId)));
  return (
    <div class="reassign" data-testid="reassign">
      <h3>{t("audit.reassign.title")}</h3>
      <p class="hint">{t("audit.reassign.intro")}</p>
      <div class="grid">
        <SelectField
          label={t("audit.reassign.from")}
          value={from}
          onValue={setFrom}
          options={auditors.map((a) => ({ value: a.auditor, label: a.auditor }))}
          name="reassign-from"
        />
        <div class="field">
          <label for={`${id}-to`}>{t("audit.reassign.to")}</label>
          <input
            id={`${id}-to`}
            name="reassign-to"
            list={`${id}-auditors`}
            value={to}
            onInput={(e) => {
              setTo((e.target as HTMLInputElement).value);
              setConfirming(false);
            }}
            aria-describedby={`${id}-to-hint`}
          />
          <datalist id={`${id}-auditors`}>
            {auditors
              .filter((a) => a.auditor !== from)
              .map((a) => (
                <option key={a.auditor} value={a.auditor} />
              ))}
          </datalist>
          <span id={`${id}-to-hint`} class="hint">
            {t("audit.reassign.toHint")}
          </span>
        </div>
      </div>
      <Loading when={items.loading} />
      <ErrorBox error={items.error} />
      {items.data &&
        (movable.length === 0 ? (
          <p class="hint">{t("audit.reassign.nothing", { auditor: from })}</p>
        ) : (
          <fieldset class="reassign-items">
            <legend>{t("audit.reassign.items", { auditor: from })}</legend>
            <label class="check">
              <input
                type="checkbox"
                checked={picked.length === movable.length}
                onChange={(e) =>
                  setChosen((e.target as HTMLInputElement).checked ? movable.map((i) => i.decisionId) : [])
                }
              />{" "}
              {t("audit.reassign.all", { n: fmt.integer(movable.length) })}
            </label>
            <ul class="item-checks">
              {movable.map((item) => (
                <li key={item.decisionId}>
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={chosen.includes(item.decisionId)}
                      onChange={(e) => toggle(item.decisionId, (e.target as HTMLInputElement).checked)}
                      data-decision={item.decisionId}
                    />{" "}
                    <code>{item.decisionId}</code>{" "}
                    {item.status === "skipped"
                      ? t("audit.reassign.skippedItem", {
                          reason: code("audit.skipReason", item.skip?.reason),
                          moderator: item.moderator ?? "–",
                        })
                      : t("audit.reassign.todoItem", { moderator: item.moderator ?? "–" })}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        ))}
      <div class="buttons">
        <button
          type="button"
          class="secondary"
          disabled={picked.length === 0 || target === "" || target === from}
          onClick={() => {
            setDone(null);
            setConfirming(true);
          }}
          data-testid="reassign-review"
        >
          {t("audit.reassign.review")}
        </button>
      </div>
      {confirming && (
        <fieldset class="confirm" data-testid="reassign-confirm">
          <legend class="summary">
            {t("audit.reassign.confirm", {
              n: fmt.integer(picked.length),
              from,
              to: target,
              todo: fmt.integer(picked.length - skippedCount),
              skipped: fmt.integer(skippedCount),
            })}
          </legend>
          <p class="hint">{t("audit.reassign.effect", { from, to: target })}</p>
          <div class="buttons">
            <ActionButton
              label={t("audit.reassign.do")}
              testId="reassign-confirm-button"
              run={async () => {
                await api("POST", `${samplePath(sampleId)}/items/reassign`, {
                  json: { items: picked.map((i) => i.decisionId), auditor: target },
                });
                setDone({ n: picked.length, to: target });
                setConfirming(false);
                setChosen([]);
                setTick((n) => n + 1);
                onDone();
              }}
            />
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              {t("audit.reassign.cancel")}
            </button>
          </div>
        </fieldset>
      )}
      {done && (
        <p class="success" role="status" data-testid="reassign-done">
          {t("audit.reassign.done", { n: fmt.integer(done.n), to: done.to })}
        </p>
      )}
    </div>
  );
}
