/**
 * Disputes (issue 14): a moderator disputes an incorrect verdict against them within the dispute window; a
 * different auditor reviews the decision blind (src/feedback/disputes-review.ts); the same verdict upholds it, a
 * different one goes to a lead. This module opens disputes, finds and lists them; each caller gets the view it
 * may see (src/feedback/dispute-views.ts), the blind one to the reviewer until its review is recorded.
 */
import { randomUUID } from "node:crypto";
import { queueDisputeEvent } from "../alerts/dispute-events.ts";
import type { StoredAudit } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import {
  type DisputeRecord,
  type DisputeSelection,
  disputesOfAudit,
  findAudit,
  getDispute,
  insertDispute,
  leastLoadedReviewer,
  listDisputes,
} from "../db/disputes.ts";
import { callerIdentity } from "../db/keys.ts";
import { DomainError, invalidField } from "../errors.ts";
import { isWellFormed } from "../unicode.ts";
import { isLeadOrAdmin, mayShowAuditor, type Reader, readableModerator } from "./access.ts";
import { type DisputeSettings, type DisputeView, disputeView, viewKind } from "./dispute-views.ts";

export const MAX_REASON = 2_000;

/**
 * Opens a dispute of an incorrect audit for its moderator (the moderator's own key, or a lead or admin on their
 * behalf) within the dispute window, assigns the blind second reviewer and queues dispute.opened, in one
 * transaction. The reviewer: a rater of an active auditor key who is neither the audit's auditor, nor the
 * moderator, nor an earlier reviewer of the audit, with the fewest reviews to record (`leastLoadedReviewer`).
 * @throws DomainError not_found `audit_not_found`; forbidden (`not_own_moderator`, `forbidden`); conflict
 *   `audit_not_incorrect`, `dispute_window_closed`, `dispute_exists` (an unresolved one), `already_disputed` (a
 *   resolved dispute of the same revision), `no_reviewer_available`.
 */
export async function openDispute(
  db: Db,
  caller: Reader,
  auditId: string,
  reason: string,
  settings: DisputeSettings,
): Promise<{ dispute: DisputeView; deliveries: number }> {
  if (caller.role !== "moderator" && !isLeadOrAdmin(caller)) {
    throw new DomainError(
      "forbidden",
      "forbidden",
      "a dispute is opened by the audited moderator's key, or by a lead or admin on their behalf",
    );
  }
  if (reason.trim() === "" || reason.length > MAX_REASON || !isWellFormed(reason)) {
    throw invalidField("reason", `must be well-formed text of 1 to ${MAX_REASON} characters, not blank`);
  }
  const { now } = settings;
  const { record, deliveries } = await db.transaction(async (tx) => {
    const audit = await findAudit(tx, auditId);
    if (!audit) throw new DomainError("not_found", "audit_not_found", `no audit with id ${auditId}`);
    if (caller.role === "moderator" && caller.moderator !== audit.moderator) {
      throw new DomainError(
        "forbidden",
        "not_own_moderator",
        "a moderator key disputes only verdicts on its own moderator's decisions",
      );
    }
    assertDisputable(audit, settings);
    const earlier = await disputesOfAudit(tx, audit.id);
    const unresolved = earlier.find((d) => d.resolvedMs === null);
    if (unresolved) throw disputeExists(unresolved.id);
    const settled = earlier.find((d) => d.auditRevision === audit.revision);
    if (settled) {
      throw new DomainError(
        "conflict",
        "already_disputed",
        `this verdict (revision ${audit.revision}) was already disputed (dispute ${settled.id}, ${settled.state}); a verdict is disputed once`,
        { disputeId: settled.id },
      );
    }
    const excluded = [audit.auditor, audit.moderator, ...earlier.map((d) => d.reviewer)];
    const reviewer = await leastLoadedReviewer(tx, [...new Set(excluded)]);
    if (reviewer === undefined) {
      throw new DomainError(
        "conflict",
        "no_reviewer_available",
        "no auditor is available for the second review: it needs an active auditor key of someone other than the audit's auditor, the moderator and earlier reviewers",
      );
    }
    const opened: DisputeRecord = {
      id: randomUUID(),
      auditId: audit.id,
      auditRevision: audit.revision,
      moderator: audit.moderator,
      queue: audit.queue,
      auditor: audit.auditor,
      state: "open",
      reason,
      openedBy: callerIdentity(caller),
      openedAt: new Date(now).toISOString(),
      openedMs: now,
      reviewer,
      review: null,
      reviewedAt: null,
      reviewedMs: null,
      decidedBy: null,
      decisionNote: null,
      resolvedAt: null,
      resolvedMs: null,
    };
    if (!(await insertDispute(tx, opened))) {
      const existing = (await disputesOfAudit(tx, audit.id)).find((d) => d.resolvedMs === null);
      throw disputeExists(existing?.id ?? null);
    }
    const queued = await queueDisputeEvent(tx, "dispute.opened", opened, null, settings.publicUrl, now);
    return { record: opened, deliveries: queued };
  });
  return { dispute: await disputeView(db, record, viewKind(caller, record), settings), deliveries };
}

/** Only an incorrect verdict inside its window may be disputed. */
function assertDisputable(audit: StoredAudit, settings: DisputeSettings): void {
  if (audit.outcome !== "incorrect") {
    throw new DomainError(
      "conflict",
      "audit_not_incorrect",
      "only an incorrect verdict can be disputed: this audit found the decision correct",
    );
  }
  const until = Date.parse(audit.auditedAt) + settings.disputeWindowMs;
  if (!(settings.now <= until)) {
    throw new DomainError(
      "conflict",
      "dispute_window_closed",
      `the dispute window of this audit closed at ${new Date(until).toISOString()}`,
      { disputableUntil: new Date(until).toISOString() },
    );
  }
}

const disputeExists = (id: string | null) =>
  new DomainError("conflict", "dispute_exists", "this audit already has an unresolved dispute", {
    disputeId: id,
  });

/** `GET /v1/disputes/:id`, as the caller may see it. */
export async function findDispute(
  db: Db,
  caller: Reader,
  id: string,
  settings: Pick<DisputeSettings, "showAuditorToModerator" | "now">,
): Promise<DisputeView> {
  const d = await getDispute(db, id);
  if (!d) throw new DomainError("not_found", "dispute_not_found", `no dispute with id ${id}`);
  return disputeView(db, d, viewKind(caller, d), settings);
}

export interface DisputeListQuery extends Omit<DisputeSelection, "fromMs" | "toMs"> {
  fromMs?: number;
  toMs?: number;
  cursor?: string;
  limit: number;
}

const encodeCursor = (d: DisputeRecord) =>
  Buffer.from(JSON.stringify([d.openedMs, d.id]), "utf8").toString("base64url");

function decodeCursor(cursor: string): { ms: number; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && Number.isSafeInteger(value[0]) && typeof value[1] === "string") {
      return { ms: value[0], id: value[1] };
    }
  } catch {
    // answered below
  }
  throw invalidField("cursor", "not a cursor from this API");
}

/**
 * Which disputes `caller` may list: leads and admins any; a moderator key only its own moderator's (naming
 * another → 403), an auditor key only those it reviews; neither may select by auditor or reviewer names it may
 * not see (that would tell the blind reviewer whose verdict it reviews). Viewers none.
 */
function listableSelection(caller: Reader, query: DisputeListQuery, showAuditor: boolean): DisputeSelection {
  const { cursor: _, limit: __, ...selection } = query;
  if (isLeadOrAdmin(caller)) return selection;
  const namesAuditors = query.auditor !== undefined || query.reviewer !== undefined;
  if (caller.role === "moderator") {
    if (namesAuditors && !showAuditor) {
      throw new DomainError("forbidden", "forbidden", "auditor names are not shown to moderator keys");
    }
    return { ...selection, moderator: readableModerator(caller, query.moderator) };
  }
  if (caller.role === "auditor" && caller.rater !== null) {
    if (query.auditor !== undefined || (query.reviewer !== undefined && query.reviewer !== caller.rater)) {
      throw new DomainError(
        "forbidden",
        "forbidden",
        "an auditor key lists only the disputes it reviews, and not by their audits' auditor (blind review)",
      );
    }
    return { ...selection, reviewer: caller.rater };
  }
  throw new DomainError("forbidden", "forbidden", `disputes are not listed to ${caller.role} keys`);
}

/** `GET /v1/disputes`: a page of the disputes `caller` may see, newest first, each as it may see it. */
export async function disputeList(
  db: Db,
  caller: Reader,
  query: DisputeListQuery,
  settings: Pick<DisputeSettings, "showAuditorToModerator" | "now">,
): Promise<{ disputes: DisputeView[]; nextCursor: string | null }> {
  const selection = listableSelection(caller, query, mayShowAuditor(caller, settings.showAuditorToModerator));
  const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await listDisputes(db, selection, before, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const disputes: DisputeView[] = [];
  for (const d of page) disputes.push(await disputeView(db, d, viewKind(caller, d), settings));
  return { disputes, nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]) : null };
}
