/**
 * The blind second review of a dispute and a lead's decision (issue 14). The reviewer records its own verdict
 * without having seen the one under dispute; the same outcome (and, when incorrect, the same error type) upholds
 * the verdict, a different one escalates to a lead, who upholds or overturns. An overturn makes the reviewer's
 * verdict the audit's: a revision (src/audits/revisions.ts) in the transaction that resolves the dispute, its
 * reason naming the dispute, so every report, chart, estimate and alert reads the final verdict.
 *
 * Until the review is recorded, nothing answered to the reviewer's key shows the verdict, notes, auditor or
 * reason: the dispute's blind view (src/feedback/disputes.ts), and the audit is left out of the reviewer's audit
 * listing and history (`blindReviewer`, `auditHistoryFor`) and of its work queue's verdicts (src/sampling/work.ts).
 */
import { queueDisputeEvent } from "../alerts/dispute-events.ts";
import { auditHistory, revisedVerdict, reviseFound } from "../audits/revisions.ts";
import type { ErrorType, Outcome } from "../audits/validate.ts";
import { findRevisableAudit, type RevisionRecord } from "../db/audit-revisions.ts";
import type { Db } from "../db/database.ts";
import {
  blindAuditIds,
  type DisputeRecord,
  getDispute,
  pendingReviewsOf,
  type StoredReview,
  saveDecision,
  saveReview,
  verdictAtRevision,
} from "../db/disputes.ts";
import { callerIdentity } from "../db/keys.ts";
import { DomainError, invalidField } from "../errors.ts";
import { goldAuditHistory } from "../gold/history.ts";
import { type Caller, workOwner } from "../sampling/work.ts";
import { isWellFormed } from "../unicode.ts";
import { isLeadOrAdmin, type Reader } from "./access.ts";
import { type DisputeSettings, type DisputeView, disputeView, viewKind } from "./dispute-views.ts";

export interface ReviewInput {
  outcome: Outcome;
  errorType?: ErrorType | null;
  severity?: number | null;
  correctPolicy?: string | null;
  notes?: string | null;
}

const notFound = (id: string) =>
  new DomainError("not_found", "dispute_not_found", `no dispute with id ${id}`);

const isoAt = (now: number) => ({ iso: new Date(now).toISOString(), ms: now });

/**
 * `PUT /v1/disputes/:id/review`: the assigned reviewer's auditor key records its verdict (validated like an
 * audit's: errorType required iff incorrect); the dispute becomes upheld (dispute.resolved queued) or escalated.
 * @throws DomainError `dispute_not_found`; forbidden `not_reviewer`; conflict `review_already_recorded`;
 *   invalid `invalid_revision` for a verdict that is not valid.
 */
export async function recordReview(
  db: Db,
  caller: Reader,
  id: string,
  input: ReviewInput,
  settings: DisputeSettings,
): Promise<{ dispute: DisputeView; deliveries: number }> {
  const verdict = revisedVerdict(
    { outcome: input.outcome, errorType: null, severity: null, correctPolicy: null, notes: null },
    {
      errorType: input.errorType ?? null,
      severity: input.severity ?? null,
      correctPolicy: input.correctPolicy ?? null,
      notes: input.notes ?? null,
    },
  );
  const at = isoAt(settings.now);
  const { record, deliveries } = await db.transaction(async (tx) => {
    const d = await getDispute(tx, id);
    if (!d) throw notFound(id);
    if (caller.role !== "auditor" || caller.rater !== d.reviewer) {
      throw new DomainError(
        "forbidden",
        "not_reviewer",
        "only the assigned second reviewer's auditor key records the review",
      );
    }
    if (d.state !== "open") throw reviewRecorded();
    const current = await findRevisableAudit(tx, d.auditId);
    if (!current) throw new DomainError("conflict", "conflict", `the disputed audit ${d.auditId} is gone`);
    const agreed =
      verdict.outcome === current.outcome &&
      (verdict.outcome === "correct" || verdict.errorType === current.errorType);
    const review: StoredReview = { ...verdict, againstRevision: current.revision, agreed };
    const state = agreed ? "upheld" : "escalated";
    if ((await saveReview(tx, d.id, review, state, at)) !== 1) throw reviewRecorded();
    const reviewed: DisputeRecord = {
      ...d,
      state,
      review,
      reviewedAt: at.iso,
      reviewedMs: at.ms,
      resolvedAt: agreed ? at.iso : null,
      resolvedMs: agreed ? at.ms : null,
    };
    const queued = agreed ? await queueResolved(tx, reviewed, settings) : 0;
    return { record: reviewed, deliveries: queued };
  });
  return { dispute: await disputeView(db, record, viewKind(caller, record), settings), deliveries };
}

const reviewRecorded = () =>
  new DomainError(
    "conflict",
    "review_already_recorded",
    "the second review of this dispute is already recorded",
  );

async function queueResolved(tx: Db, d: DisputeRecord, settings: DisputeSettings): Promise<number> {
  const disputed = await verdictAtRevision(tx, d.auditId, d.auditRevision);
  return queueDisputeEvent(tx, "dispute.resolved", d, disputed ?? null, settings.publicUrl, settings.now);
}

/** Characters of a lead's decision note: the revision's reason "dispute <id> overturned: <note>" stays ≤ 2,000. */
export const MAX_DECISION_NOTE = 1_900;

/**
 * `POST /v1/disputes/:id/decision`: a lead or admin decides an escalated dispute. `overturned` makes the second
 * reviewer's verdict the audit's (a revision whose reason names the dispute) in the same transaction;
 * dispute.resolved is queued either way. `revised` says whether a revision was written (announce it after commit).
 * @throws DomainError `dispute_not_found`; forbidden; conflict `review_pending` (not reviewed yet),
 *   `dispute_resolved` (decided already, or upheld by its review).
 */
export async function decideDispute(
  db: Db,
  caller: Reader,
  id: string,
  input: { final: "upheld" | "overturned"; note: string },
  settings: DisputeSettings,
): Promise<{ dispute: DisputeView; deliveries: number; revised: boolean }> {
  if (!isLeadOrAdmin(caller)) {
    throw new DomainError("forbidden", "forbidden", "a lead or admin decides escalated disputes");
  }
  const { note } = input;
  if (note.trim() === "" || note.length > MAX_DECISION_NOTE || !isWellFormed(note)) {
    throw invalidField("note", `must be well-formed text of 1 to ${MAX_DECISION_NOTE} characters, not blank`);
  }
  const at = isoAt(settings.now);
  const by = callerIdentity(caller);
  const result = await db.transaction(async (tx) => {
    const d = await getDispute(tx, id);
    if (!d) throw notFound(id);
    if (d.state === "open") {
      throw new DomainError(
        "conflict",
        "review_pending",
        "the dispute waits for its second review; a lead decides only escalated disputes",
      );
    }
    if (d.state !== "escalated") throw disputeResolved(d.state);
    let revised = false;
    if (input.final === "overturned") {
      const current = await findRevisableAudit(tx, d.auditId);
      if (!current) throw new DomainError("conflict", "conflict", `the disputed audit ${d.auditId} is gone`);
      const review = d.review!;
      const changed = await reviseFound(
        tx,
        current,
        {
          outcome: review.outcome,
          errorType: review.errorType,
          severity: review.severity,
          correctPolicy: review.correctPolicy,
          notes: review.notes,
        },
        { by, reason: `dispute ${d.id} overturned: ${note}` },
      );
      revised = changed.changed;
    }
    if ((await saveDecision(tx, d.id, input.final, by, note, at)) !== 1) throw disputeResolved(d.state);
    const decided: DisputeRecord = {
      ...d,
      state: input.final,
      decidedBy: by,
      decisionNote: note,
      resolvedAt: at.iso,
      resolvedMs: at.ms,
    };
    return { record: decided, deliveries: await queueResolved(tx, decided, settings), revised };
  });
  return {
    dispute: await disputeView(db, result.record, "full", settings),
    deliveries: result.deliveries,
    revised: result.revised,
  };
}

const disputeResolved = (state: string) =>
  new DomainError("conflict", "dispute_resolved", `the dispute is already resolved (${state})`);

/**
 * `GET /v1/work/reviews`: the second reviews an auditor has yet to record, oldest first, each as the caller may
 * see it (blind to the reviewer's own key). Whose: an auditor key its own; a lead or admin names the auditor.
 */
export async function reviewQueue(
  db: Db,
  caller: Reader & Caller,
  requested: string | undefined,
  settings: Pick<DisputeSettings, "showAuditorToModerator" | "now">,
): Promise<{ auditor: string; reviews: DisputeView[] }> {
  const auditor = workOwner(caller, requested);
  const reviews: DisputeView[] = [];
  for (const d of await pendingReviewsOf(db, auditor)) {
    reviews.push(await disputeView(db, d, viewKind(caller, d), settings));
  }
  return { auditor, reviews };
}

/**
 * The reviewer whose blind reviews an audit listing must leave out for `caller`: an auditor key's rater when it
 * has reviews to record, else undefined (nothing to hide: the listing runs without the extra condition).
 */
export async function blindReviewer(db: Db, caller: Reader): Promise<string | undefined> {
  if (caller.role !== "auditor" || caller.rater === null) return undefined;
  return (await blindAuditIds(db, caller.rater)).size > 0 ? caller.rater : undefined;
}

/**
 * `GET /v1/audits/:id/history` for `caller`: an audit under the caller's own pending blind review answers as if
 * it did not exist (404 audit_not_found), like the listing that leaves it out.
 */
export async function auditHistoryFor(
  db: Db,
  caller: Reader,
  auditId: string,
): Promise<{ auditId: string; revisions: RevisionRecord[] }> {
  if (caller.role === "auditor" && caller.rater !== null) {
    if ((await blindAuditIds(db, caller.rater)).has(auditId)) {
      throw new DomainError("not_found", "audit_not_found", `no audit with id ${auditId}`);
    }
  }
  try {
    return await auditHistory(db, auditId);
  } catch (error) {
    // A verdict on a gold item (issue 16) answers like an audit: the history of its gold_verdicts revisions.
    const gold =
      error instanceof DomainError && error.code === "audit_not_found"
        ? await goldAuditHistory(db, auditId)
        : undefined;
    if (gold) return gold;
    throw error;
  }
}
