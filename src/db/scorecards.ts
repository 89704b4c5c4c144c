import type { ErrorType } from "../audits/validate.ts";
import { rollupGroupSums, rollupsEnabled } from "../rollups/counts.ts";
import { AUDITED, errorsMeasure } from "../rollups/read.ts";
import { type AuditFilter, type StoredAudit, toAudit, whereClause } from "./audits.ts";
import type { Db } from "./database.ts";

/** Audited and error counts of one moderator in one queue. */
export interface ModeratorQueueCounts {
  queue: string;
  moderator: string;
  audited: number;
  errors: number;
}

const ERROR = "CASE WHEN outcome = 'incorrect' THEN 1 ELSE 0 END";

/**
 * Audited and error counts per (queue, moderator) in [fromMs, toMs), counted in SQL: in `queue` when given, else
 * in every queue (`queuesOf` absent) or in the queues where moderator `queuesOf` has audits in the period (the
 * populations the scorecard's priors are fitted over). At most `limit` rows: a caller that gets `limit` rows
 * asked for `limit` + 1 to know there were more.
 */
export async function countsByQueueAndModerator(
  db: Db,
  scope: { fromMs: number; toMs: number; queue?: string; queuesOf?: string },
  limit: number,
): Promise<ModeratorQueueCounts[]> {
  const rolledUp = await countsFromRollups(db, scope, limit);
  if (rolledUp) return rolledUp;
  const where = ["audited_ms >= ?", "audited_ms < ?"];
  const params: unknown[] = [scope.fromMs, scope.toMs];
  if (scope.queue !== undefined) {
    where.push("queue = ?");
    params.push(scope.queue);
  } else if (scope.queuesOf !== undefined) {
    where.push(
      "queue IN (SELECT DISTINCT queue FROM audits WHERE moderator = ? AND audited_ms >= ? AND audited_ms < ?)",
    );
    params.push(scope.queuesOf, scope.fromMs, scope.toMs);
  }
  const rows = await db.values<[string, string, number, number]>(
    `SELECT queue, moderator, COUNT(*), COALESCE(SUM(${ERROR}), 0) FROM audits WHERE ${where.join(" AND ")}
     GROUP BY queue, moderator LIMIT ?`,
    [...params, limit],
  );
  return rows.map(([queue, moderator, audited, errors]) => ({ queue, moderator, audited, errors }));
}

/** `countsByQueueAndModerator` from the rollups (queue × market × moderator by day and week), one queue at a time. */
async function countsFromRollups(
  db: Db,
  scope: Parameters<typeof countsByQueueAndModerator>[1],
  limit: number,
): Promise<ModeratorQueueCounts[] | undefined> {
  if (!rollupsEnabled()) return undefined;
  const { fromMs, toMs } = scope;
  const queues =
    scope.queue !== undefined
      ? [scope.queue]
      : scope.queuesOf !== undefined
        ? (
            await db.values<[string]>(
              "SELECT DISTINCT queue FROM audits WHERE moderator = ? AND audited_ms >= ? AND audited_ms < ?",
              [scope.queuesOf, fromMs, toMs],
            )
          ).map(([queue]) => queue)
        : [undefined];
  const counts: ModeratorQueueCounts[] = [];
  for (const queue of queues) {
    if (counts.length >= limit) break;
    const groups = await rollupGroupSums(
      db,
      { fromMs, toMs, queue },
      ["queue", "moderator"],
      [AUDITED, ERRORS],
      {
        limit: limit - counts.length,
      },
    );
    if (!groups) return undefined;
    for (const { key, sums } of groups) {
      counts.push({ queue: key[0]!, moderator: key[1]!, audited: sums[0], errors: sums[1] });
    }
  }
  return counts;
}

const ERRORS = errorsMeasure(undefined);

/** Errors per error type under the filter (types without errors are absent). */
export async function errorsByType(db: Db, filter: AuditFilter): Promise<Map<ErrorType, number>> {
  const where = whereClause(filter);
  const rows = await db.values<[ErrorType, number]>(
    `SELECT error_type, COUNT(*) FROM audits ${where.sql ? `${where.sql} AND` : "WHERE"} outcome = 'incorrect'
     GROUP BY error_type`,
    where.params,
  );
  return new Map(rows);
}

/** The latest incorrect audits under the filter, newest first (by audited time, then arrival). */
export async function latestErrors(db: Db, filter: AuditFilter, limit: number): Promise<StoredAudit[]> {
  const where = whereClause(filter);
  const rows = await db.all<Parameters<typeof toAudit>[0]>(
    `SELECT * FROM audits ${where.sql ? `${where.sql} AND` : "WHERE"} outcome = 'incorrect'
     ORDER BY audited_ms DESC, seq DESC LIMIT ?`,
    [...where.params, limit],
  );
  return rows.map(toAudit);
}
