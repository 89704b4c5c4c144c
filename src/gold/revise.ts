/**
 * `POST /v1/audits/{id}/revisions` for every verdict id an auditor's queue shows (issue 16): an audit is
 * corrected as before (`reviseAudit`); an id that is no audit but a verdict on a gold row gets the same
 * treatment and the same answer — a new gold_verdicts revision with the changes applied (`revisedVerdict`: the
 * same validation and errors), scored against the known answer; `not_own_audit` for another auditor's;
 * `audit_not_found` when it is neither. Otherwise the 404 would tell an auditor which of its verdicts were gold.
 */
import { reviseAudit, revisedVerdict, type VerdictChanges } from "../audits/revisions.ts";
import type { Db } from "../db/database.ts";
import { goldVerdictByAuditId } from "../db/gold.ts";
import { type ApiKey, callerIdentity } from "../db/keys.ts";
import { DomainError } from "../errors.ts";
import { isWellFormed } from "../unicode.ts";
import { recordGoldVerdict } from "./verdict.ts";

/** As revisions of audits (src/audits/revisions.ts). */
const MAX_REASON = 2_000;

export async function correctVerdict(
  db: Db,
  key: ApiKey,
  auditId: string,
  changes: VerdictChanges,
  reason: string | null,
): Promise<{ auditId: string; changed: boolean; revision: number }> {
  try {
    return await reviseAudit(db, key, auditId, changes, reason);
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== "audit_not_found") throw error;
    const gold = await reviseGold(db, key, auditId, changes, reason);
    if (!gold) throw error;
    return gold;
  }
}

async function reviseGold(
  db: Db,
  key: ApiKey,
  auditId: string,
  changes: VerdictChanges,
  reason: string | null,
): Promise<{ auditId: string; changed: boolean; revision: number } | undefined> {
  return db.transaction(async (tx) => {
    const current = await goldVerdictByAuditId(tx, auditId);
    if (!current) return undefined;
    if (key.role === "auditor" && current.auditor !== key.rater) {
      throw new DomainError(
        "forbidden",
        "not_own_audit",
        `audit ${auditId} is ${current.auditor}'s; an auditor key may only correct its own audits`,
      );
    }
    if (reason !== null && (reason.length > MAX_REASON || !isWellFormed(reason))) {
      throw new DomainError(
        "invalid",
        "invalid_revision",
        `reason must be well-formed text of at most ${MAX_REASON} characters`,
        [{ path: "reason", message: `must be well-formed text of at most ${MAX_REASON} characters` }],
      );
    }
    const verdict = revisedVerdict(current, changes);
    const result = await recordGoldVerdict(tx, {
      sampleId: current.sampleId,
      goldId: current.goldId,
      auditId,
      auditor: current.auditor,
      verdict,
      reason,
      recordedBy: callerIdentity(key),
      now: Date.now(),
    });
    return { auditId, changed: result.changed, revision: result.revision };
  });
}
