import { useEffect, useId, useRef, useState } from "preact/hooks";
import { api } from "../../api.ts";
import { ActionButton, TextArea } from "../../components/ui.tsx";
import { useI18n } from "../../i18n/index.ts";

/** `GET /v1/findings`: one audited decision of a moderator, with its verdict (src/routes/findings.ts). */
export interface Finding {
  auditId: string;
  decisionId: string;
  queue: string;
  market: string | null;
  policy: string | null;
  correctPolicy: string | null;
  outcome: "correct" | "incorrect";
  errorType: "false-positive" | "false-negative" | "wrong-policy" | "other" | null;
  severity: number | null;
  notes: string | null;
  decidedAt: string | null;
  auditedAt: string;
  sampleId: string | null;
  revision: number;
  /** Null to moderator keys unless the deployment shows auditors to moderators. */
  auditor: string | null;
  read: { at: string; by: string } | null;
  dispute: { id: string; state: string } | null;
  disputableUntil: string;
  disputable: boolean;
}

/** The longest dispute reason the API takes (src/feedback/disputes.ts MAX_REASON). */
const REASON_MAX = 2000;

/** The form that opens a dispute: the reason, then `POST /v1/audits/{id}/disputes`. Escape cancels. */
function DisputeForm({
  finding,
  onBehalfOf,
  onDone,
  onCancel,
}: {
  finding: Finding;
  onBehalfOf?: string;
  onDone(dispute: { id: string; state: string }): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState("");
  const root = useRef<HTMLFormElement>(null);
  useEffect(() => root.current?.querySelector("textarea")?.focus(), []);
  const trimmed = reason.trim();
  return (
    <form
      ref={root}
      class="subform"
      data-testid="dispute-form"
      aria-label={t("findings.disputeOf", { id: finding.decisionId })}
      onSubmit={(e) => e.preventDefault()}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      {onBehalfOf && <p class="hint">{t("findings.dispute.onBehalf", { moderator: onBehalfOf })}</p>}
      <TextArea
        label={t("findings.dispute.reason")}
        hint={t("findings.dispute.reason.hint", { max: REASON_MAX })}
        value={reason}
        onValue={setReason}
      />
      <div class="buttons">
        <ActionButton
          label={t("findings.dispute.send")}
          disabled={trimmed === "" || trimmed.length > REASON_MAX}
          testId="dispute-send"
          run={async () => {
            const created = await api<{ id: string; state: string }>(
              "POST",
              `/v1/audits/${encodeURIComponent(finding.auditId)}/disputes`,
              { json: { reason: trimmed } },
            );
            onDone({ id: created.id, state: created.state });
          }}
        />
        <button type="button" class="secondary" onClick={onCancel}>
          {t("findings.dispute.cancel")}
        </button>
      </div>
    </form>
  );
}

/** One finding: the verdict, the auditor's notes, read and dispute state, and what the reader may do. */
export function FindingCard({
  finding,
  own,
  moderator,
  onChange,
}: {
  finding: Finding;
  /** The moderator's own key: it marks findings read (a lead's read would not be the moderator's). */
  own: boolean;
  moderator: string;
  onChange(patch: Partial<Finding>): void;
}) {
  const { t, fmt } = useI18n();
  const headingId = useId();
  const [disputing, setDisputing] = useState(false);
  const [sent, setSent] = useState(false);
  const disputeButton = useRef<HTMLButtonElement>(null);
  const incorrect = finding.outcome === "incorrect";
  const windowOpen = Date.parse(finding.disputableUntil) > Date.now();
  const facts: [string, string, boolean?][] = [
    [t("field.queue"), finding.queue],
    [t("field.policy"), finding.policy ?? "–"],
  ];
  if (finding.correctPolicy) facts.push([t("findings.correctPolicy"), finding.correctPolicy]);
  if (finding.market) facts.push([t("field.market"), finding.market]);
  facts.push([t("audit.decidedAt"), fmt.dateTime(finding.decidedAt)]);
  facts.push([t("findings.auditedAt"), fmt.dateTime(finding.auditedAt)]);
  if (finding.auditor) facts.push([t("field.auditor"), finding.auditor]);
  return (
    <li>
      <article
        class={`finding ${incorrect ? "finding-incorrect" : "finding-correct"}`}
        aria-labelledby={headingId}
        data-testid="finding"
        data-audit={finding.auditId}
      >
        <div class="finding-head">
          <h3 id={headingId}>
            {t("findings.decision")} <code>{finding.decisionId}</code>
          </h3>
          <span class={`badge outcome-${finding.outcome}`}>{t(`audit.outcome.${finding.outcome}`)}</span>
          {finding.errorType && <strong>{t(`errorType.${finding.errorType}`)}</strong>}
          {finding.severity !== null && finding.severity >= 1 && finding.severity <= 4 && (
            <span class={`badge severity-${finding.severity}`}>
              {t("findings.severity", {
                level: t(`audit.severity.${finding.severity as 1 | 2 | 3 | 4}`),
              })}
            </span>
          )}
          <span class={`badge ${finding.read ? "read" : "unread"}`} data-testid="read-state">
            {finding.read ? t("findings.readBadge") : t("findings.unread")}
          </span>
          {finding.dispute && (
            <span class={`badge dispute-${finding.dispute.state}`} data-testid="dispute-state">
              {t("findings.disputeState", { state: disputeStateLabel(t, finding.dispute.state) })}
            </span>
          )}
        </div>
        <dl class="evidence">
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        {finding.revision > 1 && <p class="hint">{t("findings.revised", { n: finding.revision })}</p>}
        {finding.notes ? (
          <figure class="finding-notes">
            <figcaption>{t("findings.notes")}</figcaption>
            <blockquote data-testid="finding-notes">{finding.notes}</blockquote>
          </figure>
        ) : (
          incorrect && <p class="hint">{t("findings.noNotes")}</p>
        )}
        {finding.read && (
          <p class="hint">
            {own
              ? t("findings.readAt", { at: fmt.dateTime(finding.read.at) })
              : t("findings.readBy", { by: finding.read.by, at: fmt.dateTime(finding.read.at) })}
          </p>
        )}
        {incorrect && !finding.dispute && (
          <p class="hint">
            {windowOpen
              ? t("findings.disputeUntil", { at: fmt.dateTime(finding.disputableUntil) })
              : t("findings.windowClosed", { at: fmt.dateTime(finding.disputableUntil) })}
          </p>
        )}
        {sent && (
          <p class="success" role="status" data-testid="dispute-sent">
            {t("findings.dispute.sent")}
          </p>
        )}
        <div class="buttons">
          {own && !finding.read && (
            <ActionButton
              kind="secondary"
              label={t("findings.markRead")}
              testId="mark-read"
              run={async () => {
                const answer = await api<{ readAt: string; readBy: string }>(
                  "POST",
                  `/v1/audits/${encodeURIComponent(finding.auditId)}/ack`,
                );
                onChange({ read: { at: answer.readAt, by: answer.readBy } });
              }}
            />
          )}
          {finding.disputable && !disputing && (
            <button
              ref={disputeButton}
              type="button"
              class="secondary"
              data-testid="dispute"
              onClick={() => setDisputing(true)}
            >
              {t("findings.dispute")}
            </button>
          )}
        </div>
        {disputing && (
          <DisputeForm
            finding={finding}
            onBehalfOf={own ? undefined : moderator}
            onCancel={() => {
              setDisputing(false);
              requestAnimationFrame(() => disputeButton.current?.focus());
            }}
            onDone={(dispute) => {
              setDisputing(false);
              setSent(true);
              onChange({ dispute, disputable: false });
            }}
          />
        )}
      </article>
    </li>
  );
}

/** The label of a dispute state (open, escalated, upheld, overturned), or the state itself when unknown. */
function disputeStateLabel(t: ReturnType<typeof useI18n>["t"], state: string): string {
  return state === "open" || state === "escalated" || state === "upheld" || state === "overturned"
    ? t(`dispute.state.${state}`)
    : state;
}
