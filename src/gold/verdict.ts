/**
 * A verdict on a gold row of a sample (issue 16): written to `gold_verdicts`, scored against the gold's known
 * answer (`goldCorrect`), never to `audits`. Called by the verdict PUT (src/sampling/verdicts.ts) inside the
 * same transaction and with the same checks as a drawn item's verdict, and answering the same way: the first
 * verdict is revision 1 (created), the same verdict again writes nothing (changed: false), another one is the
 * next revision; a verdict by another auditor is 409 already_audited; a bad `reason` 400 invalid_revision.
 */
import type { ErrorType, Outcome } from "../audits/validate.ts";
import type { Db } from "../db/database.ts";
import { goldAnswer, insertGoldVerdict, latestGoldVerdict } from "../db/gold.ts";
import { DomainError } from "../errors.ts";
import { isWellFormed } from "../unicode.ts";
import { goldCorrect } from "./score.ts";

/** As revisions of audits (src/audits/revisions.ts). */
const MAX_REASON = 2_000;

export interface GoldVerdictInput {
  sampleId: string;
  goldId: string;
  auditId: string;
  auditor: string;
  verdict: {
    outcome: Outcome;
    errorType: ErrorType | null;
    severity: number | null;
    correctPolicy: string | null;
    notes: string | null;
  };
  reason: string | null;
  recordedBy: string;
  now: number;
}

export interface GoldVerdictResult {
  created: boolean;
  changed: boolean;
  revision: number;
  /** The verdict's first time and who recorded it (what the item shows, as for an audit). */
  auditedAt: string;
  recordedBy: string | null;
}

export async function recordGoldVerdict(tx: Db, input: GoldVerdictInput): Promise<GoldVerdictResult> {
  const stored = await latestGoldVerdict(tx, input.sampleId, input.goldId);
  const v = input.verdict;
  if (stored) {
    if (stored.auditor !== input.auditor) {
      throw new DomainError(
        "conflict",
        "already_audited",
        `this item already has a verdict by ${stored.auditor}`,
      );
    }
    if (input.reason !== null && (input.reason.length > MAX_REASON || !isWellFormed(input.reason))) {
      throw new DomainError(
        "invalid",
        "invalid_revision",
        `reason must be well-formed text of at most ${MAX_REASON} characters`,
        [{ path: "reason", message: `must be well-formed text of at most ${MAX_REASON} characters` }],
      );
    }
    const same =
      stored.outcome === v.outcome &&
      stored.errorType === v.errorType &&
      stored.severity === v.severity &&
      stored.correctPolicy === v.correctPolicy &&
      stored.notes === v.notes;
    const first = { auditedAt: stored.auditedAt, recordedBy: (await firstRecordedBy(tx, input)) ?? null };
    if (same) return { created: false, changed: false, revision: stored.revision, ...first };
    const revision = stored.revision + 1;
    await write(tx, input, revision, stored.auditedAt);
    return { created: false, changed: true, revision, ...first };
  }
  const auditedAt = new Date(input.now).toISOString();
  await write(tx, input, 1, auditedAt);
  return { created: true, changed: true, revision: 1, auditedAt, recordedBy: input.recordedBy };
}

async function firstRecordedBy(tx: Db, input: GoldVerdictInput): Promise<string | null | undefined> {
  const row = await tx.get<{ by: string | null }>(
    "SELECT recorded_by AS by FROM gold_verdicts WHERE sample_id = ? AND gold_id = ? AND revision = 1",
    [input.sampleId, input.goldId],
  );
  return row?.by;
}

async function write(tx: Db, input: GoldVerdictInput, revision: number, auditedAt: string): Promise<void> {
  const gold = (await goldAnswer(tx, input.goldId))!;
  const at = new Date(input.now);
  await insertGoldVerdict(tx, {
    sampleId: input.sampleId,
    goldId: input.goldId,
    auditId: input.auditId,
    auditor: input.auditor,
    ...input.verdict,
    revision,
    reason: revision === 1 ? null : input.reason,
    auditedAt,
    recordedBy: input.recordedBy,
    recordedAt: at.toISOString(),
    recordedMs: at.getTime(),
    correct: goldCorrect(gold, input.verdict) ? 1 : 0,
  });
}
