/**
 * Corrections of audits, kept as revisions: the audit keeps its id (and seq), the audits row holds the latest
 * revision so every report, chart, funnel, estimate, alert and export reads it, and `audit_revisions` keeps every
 * revision with who, when and why (src/db/audit-revisions.ts).
 */
import {
  findRevisableAudit,
  type RevisableAudit,
  type RevisionRecord,
  revisionHistory,
  storeRevision,
  type Verdict,
} from "../db/audit-revisions.ts";
import type { Db } from "../db/database.ts";
import { type ApiKey, callerIdentity } from "../db/keys.ts";
import { DomainError } from "../errors.ts";
import { isWellFormed, NOT_WELL_FORMED } from "../unicode.ts";
import { ERROR_TYPES, type ErrorType, type Outcome } from "./validate.ts";

/** The verdict fields a revision changes; absent fields keep their value, `null` clears an optional one. */
export interface VerdictChanges {
  outcome?: Outcome;
  errorType?: ErrorType | null;
  severity?: number | null;
  correctPolicy?: string | null;
  notes?: string | null;
}

const MAX_TEXT = 500;
const MAX_NOTES = 20_000;
const MAX_REASON = 2_000;

/**
 * The verdict after `changes`: turning an audit correct clears its error type unless one is given (which is then
 * refused, as on upload). Throws `invalid_revision` naming the field when the result is not a valid verdict.
 */
export function revisedVerdict(current: Verdict, changes: VerdictChanges): Verdict {
  const outcome = changes.outcome ?? current.outcome;
  const errorType =
    changes.errorType !== undefined ? changes.errorType : outcome === "correct" ? null : current.errorType;
  const next: Verdict = {
    outcome,
    errorType,
    severity: changes.severity !== undefined ? changes.severity : current.severity,
    correctPolicy: changes.correctPolicy !== undefined ? changes.correctPolicy : current.correctPolicy,
    notes: changes.notes !== undefined ? changes.notes : current.notes,
  };
  const problems: { path: string; message: string }[] = [];
  if (next.outcome !== "correct" && next.outcome !== "incorrect") {
    problems.push({ path: "outcome", message: "must be correct or incorrect" });
  }
  if (next.outcome === "incorrect" && next.errorType === null) {
    problems.push({ path: "errorType", message: "is required when outcome is incorrect" });
  } else if (next.outcome === "correct" && next.errorType !== null) {
    problems.push({ path: "errorType", message: "must be absent when outcome is correct" });
  } else if (next.errorType !== null && !(ERROR_TYPES as readonly string[]).includes(next.errorType)) {
    problems.push({ path: "errorType", message: `must be one of ${ERROR_TYPES.join(", ")}` });
  }
  if (
    next.severity !== null &&
    (!Number.isInteger(next.severity) || next.severity < 1 || next.severity > 4)
  ) {
    problems.push({ path: "severity", message: "must be an integer from 1 to 4" });
  }
  for (const [path, max] of [
    ["correctPolicy", MAX_TEXT],
    ["notes", MAX_NOTES],
  ] as const) {
    const value = next[path];
    if (value === null) continue;
    if (!isWellFormed(value)) problems.push({ path, message: NOT_WELL_FORMED });
    else if (value.length > max) problems.push({ path, message: `must be at most ${max} characters` });
  }
  if (problems.length > 0) {
    throw new DomainError(
      "invalid",
      "invalid_revision",
      `the revised audit is not valid: ${problems[0].path} ${problems[0].message}`,
      problems,
    );
  }
  return next;
}

const sameVerdict = (a: Verdict, b: Verdict) =>
  a.outcome === b.outcome &&
  a.errorType === b.errorType &&
  a.severity === b.severity &&
  a.correctPolicy === b.correctPolicy &&
  a.notes === b.notes;

/**
 * Inside the caller's transaction: makes a new revision of `current` (an audit the caller has read in this
 * transaction with `findRevisableAudit`) with `changes` applied, or nothing when the verdict would not change
 * (`changed: false`). Checks no roles (the caller does). Throws `invalid_revision` for a result that is not a valid
 * verdict.
 */
export async function reviseFound(
  tx: Db,
  current: RevisableAudit,
  changes: VerdictChanges,
  meta: { by: string; reason: string | null },
): Promise<{ changed: boolean; revision: number }> {
  if (meta.reason !== null && (meta.reason.length > MAX_REASON || !isWellFormed(meta.reason))) {
    throw new DomainError(
      "invalid",
      "invalid_revision",
      `reason must be well-formed text of at most ${MAX_REASON} characters`,
      [{ path: "reason", message: `must be well-formed text of at most ${MAX_REASON} characters` }],
    );
  }
  const next = revisedVerdict(current, changes);
  if (sameVerdict(current, next)) return { changed: false, revision: current.revision };
  const revision = await storeRevision(tx, current, next, { ...meta, at: new Date().toISOString() });
  return { changed: true, revision };
}

/**
 * `POST /v1/audits/:id/revisions`: an auditor may correct only their own audits (the audit's auditor is the
 * key's rater), a lead or admin any; viewers never reach this (the route's role).
 */
export async function reviseAudit(
  db: Db,
  key: ApiKey,
  auditId: string,
  changes: VerdictChanges,
  reason: string | null,
): Promise<{ auditId: string; changed: boolean; revision: number }> {
  const result = await db.transaction(async (tx) => {
    const current = await findRevisableAudit(tx, auditId);
    if (!current) throw notFound(auditId);
    if (key.role === "auditor" && current.auditor !== key.rater) {
      throw new DomainError(
        "forbidden",
        "not_own_audit",
        `audit ${auditId} is ${current.auditor}'s; an auditor key may only correct its own audits`,
      );
    }
    return reviseFound(tx, current, changes, { by: callerIdentity(key), reason });
  });
  return { auditId, ...result };
}

/** `GET /v1/audits/:id/history`: every revision, oldest first. */
export async function auditHistory(
  db: Db,
  auditId: string,
): Promise<{ auditId: string; revisions: RevisionRecord[] }> {
  const audit = await findRevisableAudit(db, auditId);
  if (!audit) throw notFound(auditId);
  return { auditId, revisions: await revisionHistory(db, audit) };
}

function notFound(auditId: string): DomainError {
  return new DomainError("not_found", "audit_not_found", `no audit with id ${auditId}`);
}
