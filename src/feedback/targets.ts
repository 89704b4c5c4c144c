import type { Db } from "../db/database.ts";
import { type ApiKey, callerIdentity } from "../db/keys.ts";
import {
  listQueueTargets,
  type QueueTarget,
  removeQueueTarget,
  storeQueueTarget,
  targetsOf,
} from "../db/queue-targets.ts";
import { notFound } from "../errors.ts";

/**
 * Error-rate targets per queue (issue 14): a lead sets a queue's own target; every other queue has the deployment's
 * default (MODQC_TARGET_ERROR_RATE). Scorecards compare each rate's Wilson interval with its queue's target.
 */

export type { QueueTarget };

/** The default and every queue's own target. */
export async function queueTargetList(
  db: Db,
  defaultTarget: number,
): Promise<{ defaultTarget: number; targets: QueueTarget[] }> {
  return { defaultTarget, targets: await listQueueTargets(db) };
}

/** Sets (or replaces) a queue's target, recording who set it and when. `target` is in (0, 1) (the route checks). */
export async function setQueueTarget(
  db: Db,
  caller: Pick<ApiKey, "role" | "rater" | "name" | "moderator">,
  queue: string,
  target: number,
): Promise<QueueTarget> {
  const stored: QueueTarget = {
    queue,
    target,
    setBy: callerIdentity(caller),
    setAt: new Date().toISOString(),
  };
  await db.transaction((tx) => storeQueueTarget(tx, stored));
  return stored;
}

/**
 * Removes a queue's own target, so the default applies again.
 * @throws DomainError not_found when the queue has no target of its own
 */
export async function clearQueueTarget(
  db: Db,
  queue: string,
  defaultTarget: number,
): Promise<{ queue: string; target: number; removed: QueueTarget }> {
  const removed = await db.transaction((tx) => removeQueueTarget(tx, queue));
  if (!removed) throw notFound(`a target of its own for queue "${queue}"`);
  return { queue, target: defaultTarget, removed };
}

/** The target that applies to each queue: its own, else the default. */
export async function targetOfQueues(
  db: Db,
  queues: readonly string[],
  defaultTarget: number,
): Promise<Map<string, number>> {
  const own = await targetsOf(db, queues);
  return new Map(queues.map((queue) => [queue, own.get(queue) ?? defaultTarget]));
}
