import { balancedAssignment } from "../../stats/balanced-assignment.ts";
import type { Db } from "../db/database.ts";
import { type Assignment, getSample, itemsWithModerator, saveAssignment } from "../db/samples.ts";
import { DomainError, notFound } from "../errors.ts";
import { type GoldMix, type GoldPlacement, placeGold } from "../gold/place.ts";
import { sampleProgress } from "./progress.ts";

/**
 * Assigns every drawn item an auditor (balanced, never the decision's own moderator) and stores it in one
 * transaction. Items are dealt in priority order, so each auditor's share is a random spread of the strata.
 * Deterministic for the same sample and auditors. A sample that already has an assignment is refused (409
 * `already_assigned`, with each current auditor's done / skipped / todo items) unless `replace` is set: then
 * every item's auditor is replaced, as a lead confirmed.
 *
 * Gold (issue 16): the sample's gold rows without a verdict are removed (those with one keep their auditor),
 * and with `gold` new gold items are mixed blind into each auditor's items (src/gold/place.ts), positions
 * renumbered in the same transaction; 422 `not_enough_gold` when the pool cannot give every auditor their
 * share. The stored assignment (which viewer keys read) never mentions gold; the answer (lead) does.
 */
export async function assignSample(
  db: Db,
  sampleId: string,
  auditors: string[],
  assignedBy: string | null,
  replace = false,
  gold?: GoldMix,
): Promise<Assignment & { gold?: GoldPlacement }> {
  return db.transaction(async (tx) => {
    const sample = await getSample(tx, sampleId);
    if (!sample) throw notFound("sample");
    if (sample.assignment && !replace) {
      const { byAuditor } = await sampleProgress(tx, sample);
      throw new DomainError(
        "conflict",
        "already_assigned",
        `the sample is already assigned (${byAuditor.length} auditor(s)); send "replace": true to replace every item's auditor`,
        byAuditor.map((counts) => ({
          path: "auditors",
          message: `${counts.auditor}: ${counts.done} done, ${counts.skipped} skipped, ${counts.todo} to do`,
          ...counts,
        })),
      );
    }
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
    const placement = await placeGold(tx, sample, auditors, gold, {
      at: assignment.assignedAt,
      by: assignedBy,
    });
    return placement ? { ...assignment, gold: placement } : assignment;
  });
}
