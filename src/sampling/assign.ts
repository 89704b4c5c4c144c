import { balancedAssignment } from "../../stats/balanced-assignment.ts";
import type { Db } from "../db/database.ts";
import { type Assignment, getSample, itemsWithModerator, saveAssignment } from "../db/samples.ts";
import { DomainError, notFound } from "../errors.ts";

/**
 * Assigns every drawn item an auditor (balanced, never the decision's own moderator) and stores it,
 * replacing any earlier assignment, in one transaction. Items are dealt in priority order, so
 * each auditor's share is a random spread of the strata. Deterministic for the same sample and auditors.
 */
export async function assignSample(
  db: Db,
  sampleId: string,
  auditors: string[],
  assignedBy: string | null,
): Promise<Assignment> {
  return db.transaction(async (tx) => {
    const sample = await getSample(tx, sampleId);
    if (!sample) throw notFound("sample");
    const items = await itemsWithModerator(tx, sample.id, sample.population);
    const result = balancedAssignment(
      items.map((item) => item.moderator),
      auditors,
    );
    if (!result.feasible) throw new DomainError("unprocessable", "assignment_infeasible", result.reason);
    const assignment: Assignment = {
      method: "balanced",
      auditors,
      loads: auditors.map((auditor, a) => ({ auditor, items: result.loads[a] })),
      balanced: result.balanced,
      notes: result.notes,
      assignedAt: new Date().toISOString(),
      assignedBy,
    };
    await saveAssignment(
      tx,
      sample.id,
      items.map((item, i) => ({ position: item.position, auditor: auditors[result.auditorOf[i]] })),
      assignment,
    );
    return assignment;
  });
}
