import { useId, useState } from "preact/hooks";
import { api } from "../../api.ts";
import { ErrorBox, Loading, Section, useAsync } from "../../components/ui.tsx";
import { useI18n } from "../../i18n/index.ts";
import { type Dispute, DisputeBadge, VerdictSummary } from "../dispute-view.tsx";
import { ItemContext, VerdictForm } from "./item-view.tsx";
import { type Draft, EMPTY_DRAFT, verdictBody } from "./types.ts";

/**
 * One blind second review. Before it is recorded the page holds only what `GET /v1/work/reviews` gives the
 * reviewer (the decision and its context: no first verdict, notes, auditor or reason) and asks for nothing else;
 * the answer to `PUT /v1/disputes/{id}/review` is the dispute no longer blind, shown only then.
 */
function ReviewCard({ review, onRecorded }: { review: Dispute; onRecorded(): void }) {
  const { t, fmt } = useI18n();
  const headingId = useId();
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [recorded, setRecorded] = useState<Dispute | null>(null);

  const save = async () => {
    const body = verdictBody(draft);
    if (typeof body === "string") {
      setProblem(
        t(body === "audit.invalid.outcome" ? "reviews.invalid.outcome" : "reviews.invalid.errorType"),
      );
      return;
    }
    setProblem(null);
    setBusy(true);
    setError(undefined);
    try {
      setRecorded(
        await api<Dispute>("PUT", `/v1/disputes/${encodeURIComponent(review.id)}/review`, { json: body }),
      );
      onRecorded();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li>
      <article class="finding" aria-labelledby={headingId} data-testid="review" data-dispute={review.id}>
        <div class="finding-head">
          <h3 id={headingId}>
            {t("findings.decision")} <code>{review.decision.decisionId}</code>
          </h3>
          <span>{t("reviews.waiting", { age: fmt.duration(review.ageMs) })}</span>
        </div>
        <ItemContext item={review.decision} />
        {recorded ? (
          <div class="success" role="status" data-testid="review-recorded">
            <p>
              <DisputeBadge state={recorded.state} />{" "}
              {t(recorded.state === "escalated" ? "reviews.escalated" : "reviews.upheld")}
            </p>
            <div class="side-by-side">
              {recorded.review && <VerdictSummary verdict={recorded.review} title={t("reviews.yours")} />}
              {recorded.verdict && <VerdictSummary verdict={recorded.verdict} title={t("reviews.first")} />}
            </div>
          </div>
        ) : (
          <>
            <h4>{t("reviews.yourVerdict")}</h4>
            <VerdictForm draft={draft} onDraft={setDraft} onSave={save} shortcuts={false} />
            {problem && (
              <p class="notice" role="status">
                {problem}
              </p>
            )}
            <div class="buttons">
              <button
                type="button"
                class="primary"
                disabled={busy}
                aria-busy={busy}
                data-testid="record-review"
                onClick={save}
              >
                {busy ? t("common.working") : t("reviews.record")}
              </button>
            </div>
            <ErrorBox error={error} />
          </>
        )}
      </article>
    </li>
  );
}

/** The disputes' second reviews waiting for this auditor key, oldest first (`GET /v1/work/reviews`). */
export function SecondReviews() {
  const { t } = useI18n();
  const [recorded, setRecorded] = useState(0);
  const queue = useAsync(
    (signal) => api<{ auditor: string; reviews: Dispute[] }>("GET", "/v1/work/reviews", { signal }),
    [],
  );
  const reviews = queue.data?.reviews ?? [];
  if (queue.data && reviews.length === 0) return null;
  return (
    <Section title={t("reviews.title")} id="second-reviews">
      <p class="hint">{t("reviews.intro")}</p>
      <Loading when={queue.loading} />
      <ErrorBox error={queue.error} />
      {reviews.length > 0 && (
        <p class="summary" data-testid="reviews-count">
          {t("reviews.count", { n: reviews.length - recorded })}
        </p>
      )}
      <ul class="finding-list" data-testid="reviews">
        {reviews.map((review) => (
          <ReviewCard key={review.id} review={review} onRecorded={() => setRecorded((n) => n + 1)} />
        ))}
      </ul>
    </Section>
  );
}
