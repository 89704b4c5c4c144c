/**
 * Verdicts and skips on drawn items (issue 13). A verdict is the audit with the deterministic id
 * `verdictAuditId(sample, decision)`, its decision's fields filled from the population row, so a retried or
 * concurrent PUT is the same audit, never a second one; a different verdict on an audited item is a new
 * revision of that audit (`reviseFound`). Role rules: an auditor key acts on the items assigned to its
 * rater; a lead or admin key on any item (a verdict then names the assigned auditor, and `recordedBy` the
 * caller). No auditor audits a decision they moderated.
 */
import { reviseFound } from "../audits/revisions.ts";
import { type ErrorType, type Outcome, validateAudit } from "../audits/validate.ts";
import { findRevisableAudit } from "../db/audit-revisions.ts";
import { createBatchWriter, lockAuditAppendsFor } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import { groupCommit } from "../db/group-commit.ts";
import { callerIdentity } from "../db/keys.ts";
import { getSample } from "../db/samples.ts";
import { type SkipReason, setSkip, type WorkRow, workItem } from "../db/work.ts";
import { writeGate } from "../db/write-gate.ts";
import { DomainError, notFound } from "../errors.ts";
import { recordGoldVerdict } from "../gold/verdict.ts";
import { verdictAuditId } from "./verdict-id.ts";
import { type Caller, toWorkItems, type WorkItem } from "./work.ts";

export interface VerdictInput {
  outcome: Outcome;
  errorType?: ErrorType | null;
  severity?: number | null;
  correctPolicy?: string | null;
  notes?: string | null;
  /** Why a stored verdict is changed (kept in its revision history). */
  reason?: string | null;
  /** For an unassigned item, recorded by a lead or admin: whose verdict it is. */
  auditor?: string;
}

export interface VerdictResult {
  item: WorkItem;
  /** A new audit was stored (201). */
  created: boolean;
  /** Something was stored: a new audit or a new revision (false: the same verdict again). */
  changed: boolean;
  revision: number;
}

/** The drawn item, or 404 naming what is missing (the sample, or the decision in it). */
async function findItem(tx: Db, sampleId: string, decisionId: string): Promise<WorkRow> {
  const row = await workItem(tx, sampleId, decisionId);
  if (row) return row;
  if (!(await getSample(tx, sampleId))) throw notFound("sample");
  throw new DomainError(
    "not_found",
    "not_found",
    "item not found: the decision was not drawn in this sample",
  );
}

function notAssigned(row: WorkRow): DomainError {
  return new DomainError(
    "forbidden",
    "not_assigned",
    row.auditor === null
      ? "this item is not assigned to anyone; a lead may reassign it (POST /v1/samples/{id}/items/reassign)"
      : `this item is assigned to ${row.auditor}`,
  );
}

/** An auditor key may act on its own items only; lead and admin keys on any item. */
function mayActOn(row: WorkRow, caller: Caller): void {
  if (caller.role === "auditor" && row.auditor !== caller.rater) throw notAssigned(row);
}

/** Whose verdict the caller records on this item (see the module's role rules). */
function verdictAuditor(row: WorkRow, caller: Caller, requested: string | undefined): string {
  if (caller.role === "auditor") {
    if (requested !== undefined && requested !== caller.rater) {
      throw new DomainError("forbidden", "forbidden", "an auditor key records its own verdicts only");
    }
    mayActOn(row, caller);
    return caller.rater!;
  }
  if (row.auditor !== null) {
    if (requested !== undefined && requested !== row.auditor) throw notAssigned(row);
    return row.auditor;
  }
  if (requested === undefined) {
    throw new DomainError(
      "invalid",
      "auditor_required",
      "this item is not assigned: name the auditor whose verdict it is (auditor)",
      [{ path: "auditor", message: "is required for an unassigned item" }],
    );
  }
  return requested;
}

function already(auditor: string): DomainError {
  return new DomainError("conflict", "already_audited", `this item already has a verdict by ${auditor}`);
}

/** The item as the work queue shows it, read inside the caller's transaction. */
async function itemNow(tx: Db, sampleId: string, decisionId: string): Promise<WorkItem> {
  const [item] = await toWorkItems(tx, [(await workItem(tx, sampleId, decisionId))!]);
  return item;
}

/**
 * Records the caller's verdict on one drawn item, in one transaction: a new audit (created), the same verdict
 * again (nothing written), or a new revision of the stored one. Recording a verdict ends the item's skip.
 * Verdicts arriving together share a transaction (the group commit of audit uploads, each in its own
 * savepoint): on SQLite one commit instead of one per verdict. Takes its own shared turn of the write gate (the
 * verdict route reads its body itself and is left out of the app's turn: src/app.ts).
 */
export async function recordVerdict(
  db: Db,
  sampleId: string,
  decisionId: string,
  input: VerdictInput,
  caller: Caller,
  now = Date.now(),
): Promise<VerdictResult> {
  const recordedBy = callerIdentity(caller);
  const auditedAt = new Date(now).toISOString();
  const write = groupCommit(db, lockAuditAppendsFor);
  return writeGate(db).shared(() =>
    write(async (tx) => {
      const row = await findItem(tx, sampleId, decisionId);
      const auditor = verdictAuditor(row, caller, input.auditor);
      if (auditor === row.moderator) {
        throw new DomainError(
          "forbidden",
          "self_review",
          `${auditor} moderated this decision: an auditor never audits their own decisions`,
        );
      }
      const id = verdictAuditId(sampleId, decisionId);
      const validated = validateAudit({
        id,
        decisionId,
        queue: row.queue,
        moderator: row.moderator,
        auditor,
        outcome: input.outcome,
        errorType: input.errorType ?? null,
        severity: input.severity ?? null,
        policy: row.policy,
        market: row.market,
        decidedAt: row.decidedAt,
        auditedAt,
        sampleId,
        notes: input.notes ?? null,
        correctPolicy: input.correctPolicy ?? null,
      });
      if (validated.errors) {
        throw new DomainError(
          "invalid",
          "validation_failed",
          `invalid verdict: ${validated.errors.map((e) => e.field).join(", ")}`,
          validated.errors.map((e) => ({ path: e.field, message: e.message })),
        );
      }
      const audit = { ...validated.audit, recordedBy };
      const verdict = {
        outcome: audit.outcome,
        errorType: audit.errorType,
        severity: audit.severity,
        correctPolicy: audit.correctPolicy,
        notes: audit.notes,
      };
      let result: Omit<VerdictResult, "item">;
      /** The verdict audit as stored now (what the item shows when it is the item's latest audit). */
      let current: { auditedAt: string; recordedBy: string | null; revision: number };
      // A gold row (issue 16): the same checks and answer, but the verdict goes to gold_verdicts, scored
      // against the known answer, never to audits (so no estimate, report or alert sees it).
      const stored = row.goldId === null ? await findRevisableAudit(tx, id) : undefined;
      if (row.goldId !== null) {
        const gold = await recordGoldVerdict(tx, {
          sampleId,
          goldId: row.goldId,
          auditId: id,
          auditor,
          verdict,
          reason: input.reason ?? null,
          recordedBy,
          now,
        });
        result = { created: gold.created, changed: gold.changed, revision: gold.revision };
        current = { auditedAt: gold.auditedAt, recordedBy: gold.recordedBy, revision: gold.revision };
      } else if (stored) {
        if (stored.auditor !== auditor) throw already(stored.auditor);
        // The same verdict again writes nothing (changed: false); another one is a new revision.
        result = {
          created: false,
          ...(await reviseFound(tx, stored, verdict, { by: recordedBy, reason: input.reason ?? null })),
        };
        current = { auditedAt: stored.auditedAt, recordedBy: stored.recordedBy, revision: result.revision };
      } else {
        const writer = createBatchWriter(tx, now);
        writer.write(1, audit, validated.auditedMs);
        const outcome = await writer.finish();
        // The id was looked up in this transaction: only an audit stored meanwhile could conflict (PostgreSQL
        // then fails the transaction with a serialization error, and it runs again).
        if (outcome.inserted !== 1) throw already(auditor);
        result = { created: true, changed: true, revision: 1 };
        current = { auditedAt, recordedBy, revision: 1 };
      }
      if (row.skipReason !== null) await setSkip(tx, sampleId, row.position, null);
      // The item as it is now, without reading it again, unless another audit of the item may be its latest.
      const latest = result.created || row.auditId === null || row.auditId === id;
      const after: WorkRow = latest
        ? {
            ...row,
            skipReason: null,
            skipNote: null,
            skippedBy: null,
            skippedAt: null,
            auditId: id,
            verdictAuditor: auditor,
            ...verdict,
            ...current,
          }
        : (await workItem(tx, sampleId, decisionId))!;
      const [item] = await toWorkItems(tx, [after]);
      return { ...result, item };
    }),
  );
}

/**
 * Marks an item skipped with a reason (again: the reason and note are replaced); 409 already_audited when it
 * has a verdict.
 */
export async function skipItem(
  db: Db,
  sampleId: string,
  decisionId: string,
  input: { reason: SkipReason; note?: string | null },
  caller: Caller,
  now = Date.now(),
): Promise<WorkItem> {
  return db.transaction(async (tx) => {
    const row = await findItem(tx, sampleId, decisionId);
    mayActOn(row, caller);
    if (row.auditId !== null) throw already(row.verdictAuditor!);
    await setSkip(tx, sampleId, row.position, {
      reason: input.reason,
      note: input.note ?? null,
      by: callerIdentity(caller),
      at: new Date(now).toISOString(),
    });
    return itemNow(tx, sampleId, decisionId);
  });
}

/** Ends an item's skip (nothing to do when it is not skipped). */
export async function unskipItem(
  db: Db,
  sampleId: string,
  decisionId: string,
  caller: Caller,
): Promise<WorkItem> {
  return db.transaction(async (tx) => {
    const row = await findItem(tx, sampleId, decisionId);
    mayActOn(row, caller);
    if (row.skipReason !== null) await setSkip(tx, sampleId, row.position, null);
    return itemNow(tx, sampleId, decisionId);
  });
}
