/*
 * Disputes as `GET /v1/disputes`, `/v1/work/reviews` and the dispute writes answer them (src/routes/disputes.ts),
 * and the pieces the disputes page and the workbench's second reviews share.
 */
import { useI18n } from "../i18n/index.ts";

export type DisputeState = "open" | "escalated" | "upheld" | "overturned";
export const DISPUTE_STATES: readonly DisputeState[] = ["open", "escalated", "upheld", "overturned"];

export interface DisputeVerdict {
  outcome: "correct" | "incorrect";
  errorType: "false-positive" | "false-negative" | "wrong-policy" | "other" | null;
  severity: number | null;
  correctPolicy: string | null;
  notes: string | null;
}

export interface Dispute {
  id: string;
  state: DisputeState;
  /** The second reviewer's view before its review: no audit id, auditor, reason, opener or verdict. */
  blind: boolean;
  auditId: string | null;
  auditRevision: number | null;
  moderator: string;
  queue: string;
  auditor: string | null;
  reviewer: string | null;
  reason: string | null;
  openedBy: string | null;
  openedAt: string;
  /** From opening to resolution, or to now while unresolved. */
  ageMs: number;
  resolvedAt: string | null;
  decision: {
    decisionId: string;
    queue: string;
    moderator: string;
    market: string | null;
    policy: string | null;
    decidedAt: string | null;
    label: string | null;
    url: string | null;
    content: string | null;
    context: Record<string, string>;
  };
  verdict: DisputeVerdict | null;
  review: (DisputeVerdict & { reviewedAt: string; agreed: boolean }) | null;
  leadDecision: { final: "upheld" | "overturned"; by: string; note: string; decidedAt: string } | null;
}

/** A verdict in a few lines: outcome, error type, severity, correct policy, notes. */
export function VerdictSummary({
  verdict,
  title,
  testId,
}: {
  verdict: DisputeVerdict;
  title: string;
  testId?: string;
}) {
  const { t } = useI18n();
  const severity = verdict.severity;
  return (
    <div class="verdict-box" data-testid={testId}>
      <h4>{title}</h4>
      <p class="finding-head">
        <span class={`badge outcome-${verdict.outcome}`}>{t(`audit.outcome.${verdict.outcome}`)}</span>
        {verdict.errorType && <strong>{t(`errorType.${verdict.errorType}`)}</strong>}
        {severity !== null && severity >= 1 && severity <= 4 && (
          <span class={`badge severity-${severity}`}>
            {t("findings.severity", { level: t(`audit.severity.${severity as 1 | 2 | 3 | 4}`) })}
          </span>
        )}
      </p>
      {verdict.correctPolicy && (
        <p>
          {t("findings.correctPolicy")}: <strong>{verdict.correctPolicy}</strong>
        </p>
      )}
      {verdict.notes ? (
        <blockquote class="quote">{verdict.notes}</blockquote>
      ) : (
        <p class="hint">{t("disputes.noNotes")}</p>
      )}
    </div>
  );
}

/** The state of a dispute as a badge. */
export function DisputeBadge({ state }: { state: DisputeState }) {
  const { t } = useI18n();
  return <span class={`badge dispute-${state}`}>{t(`dispute.state.${state}`)}</span>;
}
