import type { ErrorType } from "../audits/validate.ts";
import type { FeedbackConfig } from "../config.ts";
import type { AuditFilter } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import {
  acknowledgeFinding,
  auditModerator,
  type FindingRow,
  listFindings,
  unreadByModerator,
} from "../db/findings.ts";
import { callerIdentity } from "../db/keys.ts";
import { DomainError } from "../errors.ts";
import { mayShowAuditor, type Reader, readableModerator } from "./access.ts";

/**
 * Findings go back to moderators (issue 14): a moderator reads its own audited decisions with the verdicts and
 * auditors' notes, marks them read, and disputes them within the window; leads read any moderator's and see which
 * errors stay unread for how long.
 */

export interface Finding {
  auditId: string;
  decisionId: string;
  queue: string;
  market: string | null;
  policy: string | null;
  correctPolicy: string | null;
  outcome: "correct" | "incorrect";
  errorType: ErrorType | null;
  severity: number | null;
  notes: string | null;
  decidedAt: string | null;
  auditedAt: string;
  sampleId: string | null;
  revision: number;
  /** Null to moderator keys unless MODQC_SHOW_AUDITOR_TO_MODERATOR=true. */
  auditor: string | null;
  read: { at: string; by: string } | null;
  dispute: { id: string; state: string } | null;
  /** The end of the dispute window (auditedAt + MODQC_DISPUTE_WINDOW). */
  disputableUntil: string;
  /** An incorrect verdict inside its window that is not under dispute and was not disputed at this revision. */
  disputable: boolean;
}

export interface FindingsQuery {
  moderator?: string;
  outcome: "incorrect" | "correct" | "all";
  read?: boolean;
  cursor?: string;
  limit: number;
}

/** Keyset cursors are opaque to clients: base64url of `audited_ms:seq`. */
function encodeCursor(last: { ms: number; seq: number }): string {
  return Buffer.from(`${last.ms}:${last.seq}`).toString("base64url");
}

function decodeCursor(cursor: string | undefined): { ms: number; seq: number } | undefined {
  if (cursor === undefined) return undefined;
  const match = /^(-?\d{1,16}):(\d{1,16})$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!match) {
    throw new DomainError("invalid", "validation_failed", "invalid cursor", [
      { path: "cursor", message: "pass nextCursor from the previous page unchanged" },
    ]);
  }
  return { ms: Number(match[1]), seq: Number(match[2]) };
}

function toFinding(row: FindingRow, showAuditor: boolean, config: FeedbackConfig, now: number): Finding {
  const { audit } = row;
  const until = Date.parse(audit.auditedAt) + config.disputeWindowMs;
  // A verdict is disputed once: a dispute under way, or one resolved at this revision, closes it (an overturn
  // makes a new revision, which may be disputed again).
  const disputed =
    row.dispute !== null &&
    (row.dispute.state === "open" ||
      row.dispute.state === "escalated" ||
      row.dispute.auditRevision === audit.revision);
  row.dispute !== null && (row.dispute.state === "open" || row.dispute.state === "escalated");
  return {
    auditId: audit.id,
    decisionId: audit.decisionId,
    queue: audit.queue,
    market: audit.market,
    policy: audit.policy,
    correctPolicy: audit.correctPolicy ?? null,
    outcome: audit.outcome,
    errorType: audit.errorType,
    severity: audit.severity,
    notes: audit.notes,
    decidedAt: audit.decidedAt,
    auditedAt: audit.auditedAt,
    sampleId: audit.sampleId,
    revision: audit.revision,
    auditor: showAuditor ? audit.auditor : null,
    read: row.ack,
    dispute: row.dispute && { id: row.dispute.id, state: row.dispute.state },
    disputableUntil: new Date(until).toISOString(),
    disputable: audit.outcome === "incorrect" && now < until && !disputed,
  };
}

/** A page of a moderator's findings, newest first. */
export async function moderatorFindings(
  db: Db,
  caller: Reader,
  config: FeedbackConfig,
  query: FindingsQuery,
  filter: AuditFilter,
): Promise<{ moderator: string; findings: Finding[]; nextCursor: string | null }> {
  const moderator = readableModerator(caller, query.moderator);
  const page = await listFindings(
    db,
    { filter: { ...filter, moderator }, outcome: query.outcome, read: query.read },
    decodeCursor(query.cursor),
    query.limit,
  );
  const show = mayShowAuditor(caller, config.showAuditorToModerator);
  const now = Date.now();
  return {
    moderator,
    findings: page.rows.map((row) => toFinding(row, show, config, now)),
    nextCursor: page.last ? encodeCursor(page.last) : null,
  };
}

/**
 * A moderator marks one of its findings as read. Only the audited moderator's own key may (a lead's read is not
 * the moderator's); another moderator's audit answers 404 like a missing one, so audit ids do not leak.
 */
export async function markFindingRead(
  db: Db,
  caller: Reader,
  auditId: string,
): Promise<{ auditId: string; readAt: string; readBy: string; alreadyRead: boolean }> {
  if (caller.role !== "moderator") {
    throw new DomainError(
      "forbidden",
      "moderator_only",
      "only the audited moderator's own key marks a finding as read",
    );
  }
  return db.transaction(async (tx) => {
    const moderator = await auditModerator(tx, auditId);
    if (moderator === undefined || moderator !== caller.moderator) {
      throw new DomainError("not_found", "audit_not_found", `no audit "${auditId}" of this moderator`);
    }
    const ack = await acknowledgeFinding(tx, auditId, callerIdentity(caller), new Date());
    return { auditId, readAt: ack.at, readBy: ack.by, alreadyRead: !ack.created };
  });
}

const HOUR_MS = 3_600_000;

/** The lead's view of unread errors: per moderator how many and since when, the oldest first. */
export async function unreadFindings(
  db: Db,
  filter: AuditFilter,
  limit: number,
): Promise<{
  unread: number;
  moderatorsWithUnread: number;
  moderators: { moderator: string; unread: number; oldestUnreadAt: string; oldestUnreadHours: number }[];
}> {
  const result = await unreadByModerator(db, filter, limit);
  const now = Date.now();
  return {
    unread: result.unread,
    moderatorsWithUnread: result.moderatorsWithUnread,
    moderators: result.moderators.map((row) => ({
      moderator: row.moderator,
      unread: row.unread,
      oldestUnreadAt: new Date(row.oldestUnreadMs).toISOString(),
      oldestUnreadHours: Math.max(0, Math.floor((now - row.oldestUnreadMs) / HOUR_MS)),
    })),
  };
}
