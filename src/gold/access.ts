/**
 * Blindness of the draw's own views (issue 16). A sample with gold rows lists, exports and explains its DRAWN
 * items only (the lead's views of the draw); an auditor key comparing them with its work queue would find its
 * gold items. So an auditor key gets 403 `gold_blind_sample` from the items list, its CSV/XLSX, the audit
 * template and the draw explanation of such a sample (which tells it only what it knows anyway: that gold is
 * mixed into some queues, not which items are gold). Viewer, lead and admin keys are not auditors of the sample.
 */
import type { Db } from "../db/database.ts";
import type { Role } from "../db/keys.ts";
import { DomainError } from "../errors.ts";

export async function refuseBlindDrawView(
  db: Db,
  caller: { role: Role } | undefined,
  sampleId: string,
): Promise<void> {
  if (caller?.role !== "auditor") return;
  const row = await db.get<{ gold: number }>("SELECT gold_rows AS gold FROM samples WHERE id = ?", [
    sampleId,
  ]);
  if (row && row.gold > 0) {
    throw new DomainError(
      "forbidden",
      "gold_blind_sample",
      "this sample mixes gold items blind into auditors' queues: its drawn items, audit template and draw explanations are not for auditor keys; work through GET /v1/work",
    );
  }
}
