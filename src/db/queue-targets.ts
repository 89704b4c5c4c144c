import type { Db } from "./database.ts";

/** A lead's error-rate target for one queue (`queue_targets`, migration 8). */
export interface QueueTarget {
  queue: string;
  target: number;
  setBy: string | null;
  setAt: string;
}

interface QueueTargetRow {
  queue: string;
  target: number;
  set_by: string | null;
  set_at: string;
}

const toTarget = (row: QueueTargetRow): QueueTarget => ({
  queue: row.queue,
  target: row.target,
  setBy: row.set_by,
  setAt: row.set_at,
});

/** Every queue's own target, by queue (bytewise). */
export async function listQueueTargets(db: Db): Promise<QueueTarget[]> {
  const rows = await db.all<QueueTargetRow>("SELECT * FROM queue_targets ORDER BY queue");
  return rows.map(toTarget);
}

/** Parameters per statement when looking queues up: far below SQLite's and PostgreSQL's limits. */
const LOOKUP_CHUNK = 500;

/** The targets set for these queues (queues without one are absent from the map). */
export async function targetsOf(db: Db, queues: readonly string[]): Promise<Map<string, number>> {
  const targets = new Map<string, number>();
  for (let start = 0; start < queues.length; start += LOOKUP_CHUNK) {
    const chunk = queues.slice(start, start + LOOKUP_CHUNK);
    const rows = await db.all<{ queue: string; target: number }>(
      `SELECT queue, target FROM queue_targets WHERE queue IN (${chunk.map(() => "?").join(", ")})`,
      chunk,
    );
    for (const row of rows) targets.set(row.queue, row.target);
  }
  return targets;
}

/** Sets (or replaces) a queue's target. */
export async function storeQueueTarget(tx: Db, target: QueueTarget): Promise<void> {
  await tx.run(
    `INSERT INTO queue_targets (queue, target, set_by, set_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (queue) DO UPDATE SET target = excluded.target, set_by = excluded.set_by, set_at = excluded.set_at`,
    [target.queue, target.target, target.setBy, target.setAt],
  );
}

/** Removes a queue's target; the removed one, or undefined when the queue had none. */
export async function removeQueueTarget(tx: Db, queue: string): Promise<QueueTarget | undefined> {
  const row = await tx.get<QueueTargetRow>("SELECT * FROM queue_targets WHERE queue = ?", [queue]);
  if (!row) return undefined;
  await tx.run("DELETE FROM queue_targets WHERE queue = ?", [queue]);
  return toTarget(row);
}
