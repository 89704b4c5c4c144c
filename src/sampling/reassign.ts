import type { Db } from "../db/database.ts";
import { type Assignment, getSample } from "../db/samples.ts";
import { itemsForReassign, loadsOf, reassignPositions, saveAssignmentSummary } from "../db/work.ts";
import { DomainError, type ErrorDetail, notFound } from "../errors.ts";
import { type FieldProblem, problems } from "../problems.ts";

export interface ReassignResult {
  sample: string;
  auditor: string;
  /** Items that changed hands or were skipped before (now todo for `auditor`). */
  reassigned: { decisionId: string; from: string | null; wasSkipped: boolean }[];
  /** Items that already were `auditor`'s and not skipped. */
  unchanged: string[];
  /** The sample's assignment summary with the new loads. */
  assignment: Assignment;
}

/**
 * A lead gives unstarted or skipped items of an assigned sample to `auditor`, all or nothing: every id must be
 * a drawn item (400 naming it), without a verdict (409 already_audited naming it) and not decided by `auditor`
 * (400 self_review naming it). Skipped items become todo. The sample's assignment summary gets the new loads
 * (auditors with every item gone stay listed with 0), `balanced` = loads within one, and a note.
 */
export async function reassignItems(
  db: Db,
  sampleId: string,
  decisionIds: readonly string[],
  auditor: string,
  by: string,
  now = Date.now(),
): Promise<ReassignResult> {
  return db.transaction(async (tx) => {
    const sample = await getSample(tx, sampleId);
    if (!sample) throw notFound("sample");
    if (!sample.assignment) {
      throw new DomainError(
        "conflict",
        "sample_not_assigned",
        "the sample has no assignment yet: assign it first (POST /v1/samples/{id}/assign)",
      );
    }
    const firstIndex = new Map<string, number>();
    decisionIds.forEach((id, i) => {
      if (!firstIndex.has(id)) firstIndex.set(id, i);
    });
    const rows = await itemsForReassign(tx, sample.id, [...firstIndex.keys()]);
    const found = new Map(rows.map((row) => [row.decisionId, row]));
    // Each item's problem: the code and params of `problem`, the English message as this route has always said it.
    const details = (test: (id: string) => [FieldProblem, string] | undefined): ErrorDetail[] =>
      [...firstIndex].flatMap(([id, i]) => {
        const refused = test(id);
        if (refused === undefined) return [];
        const [{ code, params }, message] = refused;
        return [{ path: `items.${i}`, message, decisionId: id, code, params: params ?? {} }];
      });
    const missing = details((id) =>
      found.has(id) ? undefined : [problems.notDrawn(id, sample.id), "not drawn in this sample"],
    );
    if (missing.length > 0) {
      throw new DomainError(
        "invalid",
        "validation_failed",
        `${missing.length} item(s) were not drawn in this sample`,
        missing,
      );
    }
    const own = details((id) =>
      found.get(id)!.moderator === auditor
        ? [problems.ownDecision(auditor), `${auditor} moderated this decision`]
        : undefined,
    );
    if (own.length > 0) {
      throw new DomainError(
        "invalid",
        "self_review",
        `an auditor never audits their own decisions: ${auditor} moderated ${own.length} of these item(s)`,
        own,
      );
    }
    const audited = details((id) =>
      found.get(id)!.done ? [problems.alreadyAudited(), "already has a verdict"] : undefined,
    );
    if (audited.length > 0) {
      throw new DomainError(
        "conflict",
        "already_audited",
        `${audited.length} item(s) already have a verdict and keep their auditor`,
        audited,
      );
    }
    const ordered = [...firstIndex.keys()].map((id) => found.get(id)!);
    const moving = ordered.filter((row) => row.auditor !== auditor || row.skipReason !== null);
    let assignment = sample.assignment;
    if (moving.length > 0) {
      await reassignPositions(
        tx,
        sample.id,
        moving.map((row) => row.position),
        auditor,
      );
      const loads = await loadsOf(tx, sample.id);
      const auditors = assignment.auditors.includes(auditor)
        ? assignment.auditors
        : [...assignment.auditors, auditor];
      const counts = auditors.map((a) => loads.get(a) ?? 0);
      assignment = {
        ...assignment,
        auditors,
        loads: auditors.map((a, i) => ({ auditor: a, items: counts[i] })),
        balanced: Math.max(...counts) - Math.min(...counts) <= 1,
        notes: [
          ...assignment.notes,
          `${new Date(now).toISOString()}: ${moving.length} item(s) reassigned to ${auditor} by ${by}`,
        ],
      };
      await saveAssignmentSummary(tx, sample.id, assignment);
    }
    return {
      sample: sample.id,
      auditor,
      reassigned: moving.map((row) => ({
        decisionId: row.decisionId,
        from: row.auditor,
        wasSkipped: row.skipReason !== null,
      })),
      unchanged: ordered.filter((row) => !moving.includes(row)).map((row) => row.decisionId),
      assignment,
    };
  });
}
