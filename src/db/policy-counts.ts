import { ERROR_TYPES, type ErrorType } from "../audits/validate.ts";
import { rollupGroupSums } from "../rollups/counts.ts";
import { AUDITED, errorsMeasure, typeMeasure, WRONG_POLICY_UNNAMED } from "../rollups/read.ts";
import { type AuditFilter, whereClause } from "./audits.ts";
import type { Db } from "./database.ts";

/**
 * The audits a confusion count reads: those of the filter (its `errorType` is ignored: the matrix is about
 * wrong-policy errors), and with `involving` only those whose applied or correct policy is that policy.
 */
export interface ConfusionScope {
  filter: AuditFilter;
  involving?: string;
}

function scopeWhere(scope: ConfusionScope, condition: string): { sql: string; params: unknown[] } {
  const where = whereClause(scope.filter);
  const parts = [condition];
  const params = [...where.params];
  if (scope.involving !== undefined) {
    parts.push("(policy = ? OR correct_policy = ?)");
    params.push(scope.involving, scope.involving);
  }
  const sql = `${where.sql ? `${where.sql} AND` : "WHERE"} ${parts.join(" AND ")}`;
  return { sql, params };
}

/** These counts ignore the filter's `errorType` (as `whereClause` does). */
function withoutErrorType(filter: AuditFilter): AuditFilter {
  return { ...filter, errorType: undefined };
}

export interface ConfusionCell {
  /** The policy the moderator applied (null: not recorded). */
  applied: string | null;
  /** The policy the auditor says was right. */
  correct: string;
  count: number;
}

/**
 * Wrong-policy errors with a correct policy per (applied, correct) pair, ordered by applied policy (absent
 * first) then correct policy, bytewise on both backends; at most `limit` pairs (read one more to know there are
 * more).
 */
export async function confusionCells(db: Db, scope: ConfusionScope, limit: number): Promise<ConfusionCell[]> {
  const rolledUp = await rollupGroupSums(
    db,
    withoutErrorType(scope.filter),
    ["policy", "correctPolicy"],
    [AUDITED],
    {
      confusion: true,
      involving: scope.involving,
      limit,
    },
  );
  if (rolledUp) {
    return rolledUp.map(({ key: [applied, correct], sums: [count] }) => ({
      applied,
      correct: correct!,
      count,
    }));
  }
  const where = scopeWhere(scope, "error_type = 'wrong-policy' AND correct_policy IS NOT NULL");
  const sql = `SELECT policy, correct_policy, COUNT(*) FROM audits ${where.sql}
    GROUP BY policy, correct_policy ORDER BY policy NULLS FIRST, correct_policy LIMIT ?`;
  const rows = await db.values<[string | null, string, number]>(sql, [...where.params, limit]);
  return rows.map(([applied, correct, count]) => ({ applied, correct, count }));
}

/** Wrong-policy errors in scope recorded without a correct policy (they cannot enter the matrix). */
export async function wrongPolicyWithoutCorrect(db: Db, scope: ConfusionScope): Promise<number> {
  const { filter, involving } = scope;
  // Without a correct policy, "involving" can only be the applied one.
  if (involving !== undefined && filter.policy !== undefined && filter.policy !== involving) return 0;
  const narrowed = involving === undefined ? filter : { ...filter, policy: involving };
  const rolledUp = await rollupGroupSums(db, withoutErrorType(narrowed), [], [AUDITED, WRONG_POLICY_UNNAMED]);
  if (rolledUp) return rolledUp[0]?.sums[1] ?? 0;
  const where = scopeWhere(scope, "error_type = 'wrong-policy' AND correct_policy IS NULL");
  const row = await db.values<[number]>(`SELECT COUNT(*) FROM audits ${where.sql}`, where.params);
  return row[0][0];
}

export interface PolicyCounts {
  /** The applied policy (null: not recorded). */
  policy: string | null;
  audited: number;
  /** Audits with outcome incorrect. */
  errors: number;
  byType: Record<ErrorType, number>;
  /** Wrong-policy errors without a correct policy. */
  wrongPolicyWithoutCorrect: number;
}

/**
 * Audited, errors, errors of each type and wrong-policy errors without a correct policy per applied policy
 * (one grouped scan, counts in SQL), ordered by policy (absent first); at most `limit` policies.
 */
export async function countsByPolicy(db: Db, filter: AuditFilter, limit: number): Promise<PolicyCounts[]> {
  const measures = [AUDITED, errorsMeasure(undefined), ...ERROR_TYPES.map(typeMeasure), WRONG_POLICY_UNNAMED];
  const rolledUp = await rollupGroupSums(db, withoutErrorType(filter), ["policy"], measures, { limit });
  if (rolledUp) {
    return rolledUp.map(({ key: [policy], sums }) => ({
      policy,
      audited: sums[0],
      errors: sums[1],
      byType: Object.fromEntries(ERROR_TYPES.map((type, i) => [type, sums[2 + i]])) as Record<
        ErrorType,
        number
      >,
      wrongPolicyWithoutCorrect: sums[2 + ERROR_TYPES.length],
    }));
  }
  const where = whereClause(filter);
  const byType = ERROR_TYPES.map(() => "COALESCE(SUM(CASE WHEN error_type = ? THEN 1 ELSE 0 END), 0)");
  const sql = `SELECT policy, COUNT(*),
      COALESCE(SUM(CASE WHEN outcome = 'incorrect' THEN 1 ELSE 0 END), 0),
      ${byType.join(", ")},
      COALESCE(SUM(CASE WHEN error_type = 'wrong-policy' AND correct_policy IS NULL THEN 1 ELSE 0 END), 0)
    FROM audits ${where.sql} GROUP BY policy ORDER BY policy NULLS FIRST LIMIT ?`;
  const rows = await db.values<unknown[]>(sql, [...ERROR_TYPES, ...where.params, limit]);
  return rows.map((row) => ({
    policy: row[0] as string | null,
    audited: row[1] as number,
    errors: row[2] as number,
    byType: Object.fromEntries(ERROR_TYPES.map((type, i) => [type, row[3 + i] as number])) as Record<
      ErrorType,
      number
    >,
    wrongPolicyWithoutCorrect: row[3 + ERROR_TYPES.length] as number,
  }));
}
