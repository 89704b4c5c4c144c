/**
 * What each caller sees of a dispute (issue 14): leads and admins everything; the audited moderator everything but
 * auditor names (unless MODQC_SHOW_AUDITOR_TO_MODERATOR); the second reviewer, until its review is recorded, the
 * decision and its context only (the blind view: no verdict, notes, auditor, audit id or reason); the audit's
 * auditor everything once the dispute is resolved.
 */

import type { Verdict } from "../db/audit-revisions.ts";
import type { StoredAudit } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import {
  type DisputeRecord,
  type DisputeState,
  drawnDecisionContext,
  findAudit,
  verdictAtRevision,
} from "../db/disputes.ts";
import { parseContext } from "../db/populations.ts";
import { DomainError } from "../errors.ts";
import { isLeadOrAdmin, type Reader } from "./access.ts";

/** What a dispute's answers depend on besides the database: the deployment's settings and the clock. */
export interface DisputeSettings {
  showAuditorToModerator: boolean;
  disputeWindowMs: number;
  publicUrl: string;
  now: number;
}

/** The moderation decision under dispute, as the blind reviewer sees it. */
export interface DisputedDecision {
  decisionId: string;
  queue: string;
  moderator: string;
  market: string | null;
  policy: string | null;
  decidedAt: string | null;
  /** The moderator's action, from the sample the audit names (null without one). */
  label: string | null;
  url: string | null;
  content: string | null;
  context: Record<string, string>;
}

/**
 * A dispute as one caller may see it. `blind: true` (the reviewer before its review): the verdict under dispute,
 * its notes, its auditor, the audit's id and the reason are null.
 */
export interface DisputeView {
  id: string;
  state: DisputeState;
  blind: boolean;
  auditId: string | null;
  auditRevision: number | null;
  moderator: string;
  queue: string;
  /** Null to moderator keys unless MODQC_SHOW_AUDITOR_TO_MODERATOR=true, and in the blind view. */
  auditor: string | null;
  /** Null to moderator keys unless MODQC_SHOW_AUDITOR_TO_MODERATOR=true. */
  reviewer: string | null;
  reason: string | null;
  openedBy: string | null;
  openedAt: string;
  /** From opening to resolution, or to now while unresolved. */
  ageMs: number;
  resolvedAt: string | null;
  decision: DisputedDecision;
  /** The verdict under dispute (the audit at `auditRevision`). */
  verdict: Verdict | null;
  review: (Verdict & { reviewedAt: string; agreed: boolean }) | null;
  leadDecision: { final: "upheld" | "overturned"; by: string; note: string; decidedAt: string } | null;
}

type ViewKind = "full" | "blind" | "moderator";

/**
 * How `caller` may see dispute `d`: leads and admins in full; the audited moderator's key without auditor names
 * (unless the deployment shows them); the reviewer's auditor key blind while the dispute is open, in full once its
 * review is recorded; the original auditor's key once the dispute is resolved.
 * @throws DomainError forbidden for everyone else (`not_own_moderator` for another moderator's key).
 */
export function viewKind(caller: Reader, d: DisputeRecord): ViewKind {
  if (isLeadOrAdmin(caller)) return "full";
  if (caller.role === "moderator") {
    if (caller.moderator === d.moderator) return "moderator";
    throw new DomainError("forbidden", "not_own_moderator", "a moderator key sees only its own disputes");
  }
  if (caller.role === "auditor" && caller.rater !== null) {
    if (caller.rater === d.reviewer) return d.state === "open" ? "blind" : "full";
    if (caller.rater === d.auditor && d.resolvedMs !== null) return "full";
  }
  throw new DomainError(
    "forbidden",
    "forbidden",
    "a dispute is shown to its moderator, its second reviewer, leads, and its auditor once resolved",
  );
}

async function disputedDecision(db: Db, audit: StoredAudit): Promise<DisputedDecision> {
  const drawn =
    audit.sampleId === null ? undefined : await drawnDecisionContext(db, audit.sampleId, audit.decisionId);
  return {
    decisionId: audit.decisionId,
    queue: audit.queue,
    moderator: audit.moderator,
    market: audit.market,
    policy: audit.policy,
    decidedAt: audit.decidedAt,
    label: drawn?.label ?? null,
    ...parseContext(drawn?.context ?? null),
  };
}

/** Dispute `d` as `caller` sees it (`kind` from `viewKind`). */
export async function disputeView(
  db: Db,
  d: DisputeRecord,
  kind: ViewKind,
  settings: Pick<DisputeSettings, "showAuditorToModerator" | "now">,
): Promise<DisputeView> {
  const audit = await findAudit(db, d.auditId);
  const decision: DisputedDecision = audit
    ? await disputedDecision(db, audit)
    : {
        decisionId: "",
        queue: d.queue,
        moderator: d.moderator,
        market: null,
        policy: null,
        decidedAt: null,
        label: null,
        url: null,
        content: null,
        context: {},
      };
  const blind = kind === "blind";
  const names = kind !== "moderator" || settings.showAuditorToModerator;
  return {
    id: d.id,
    state: d.state,
    blind,
    auditId: blind ? null : d.auditId,
    auditRevision: blind ? null : d.auditRevision,
    moderator: d.moderator,
    queue: d.queue,
    auditor: blind || !names ? null : d.auditor,
    reviewer: names ? d.reviewer : null,
    reason: blind ? null : d.reason,
    openedBy: blind ? null : d.openedBy,
    openedAt: d.openedAt,
    ageMs: Math.max(0, (d.resolvedMs ?? settings.now) - d.openedMs),
    resolvedAt: d.resolvedAt,
    decision,
    verdict: blind ? null : ((await verdictAtRevision(db, d.auditId, d.auditRevision)) ?? null),
    review:
      d.review === null || d.reviewedAt === null
        ? null
        : {
            outcome: d.review.outcome,
            errorType: d.review.errorType,
            severity: d.review.severity,
            correctPolicy: d.review.correctPolicy,
            notes: d.review.notes,
            reviewedAt: d.reviewedAt,
            agreed: d.review.agreed,
          },
    leadDecision:
      d.decidedBy === null || d.resolvedAt === null || (d.state !== "upheld" && d.state !== "overturned")
        ? null
        : { final: d.state, by: d.decidedBy, note: d.decisionNote ?? "", decidedAt: d.resolvedAt },
  };
}
