import { rollupGroupSums } from "../rollups/counts.ts";
import { AUDITED, severityMeasure } from "../rollups/read.ts";
import { type AuditFilter, GROUP_COLUMNS, type GroupField, whereClause } from "./audits.ts";
import type { Db } from "./database.ts";

export interface SeverityCount {
  /** The group's values, in `groupBy` order (null = absent). */
  key: (string | null)[];
  /** 1–4, or null for an error recorded without a severity. */
  severity: number | null;
  errors: number;
}

/**
 * Errors per combination of the group fields and severity, over the audits in the filter: the errors that
 * `countByGroups` counts (outcome incorrect, or only `errorType` when the filter names one), grouped by one more
 * column. Reads only error rows; groups without errors do not appear. From the rollups (where an error without a
 * severity is kept as severity 1, which is how the weighted index counts it) when they can answer.
 */
export async function errorsBySeverity(
  db: Db,
  filter: AuditFilter,
  groupBy: readonly GroupField[],
): Promise<SeverityCount[]> {
  const severities = [1, 2, 3, 4];
  const measures = [AUDITED, ...severities.map((k) => severityMeasure(k, filter.errorType))];
  const rolledUp = await rollupGroupSums(db, filter, groupBy, measures);
  if (rolledUp) {
    return rolledUp.flatMap(({ key, sums }) =>
      severities.flatMap((severity, i) => (sums[1 + i] > 0 ? [{ key, severity, errors: sums[1 + i] }] : [])),
    );
  }
  const where = whereClause(filter);
  const error = filter.errorType
    ? { sql: "error_type = ?", params: [filter.errorType] }
    : { sql: "outcome = 'incorrect'", params: [] };
  const columns = [...groupBy.map((g) => GROUP_COLUMNS[g]), "severity"];
  const sql = `SELECT ${columns.join(", ")}, COUNT(*) FROM audits
    ${where.sql ? `${where.sql} AND` : "WHERE"} ${error.sql} GROUP BY ${columns.join(", ")}`;
  const rows = await db.values<unknown[]>(sql, [...where.params, ...error.params]);
  return rows.map((row) => ({
    key: row.slice(0, groupBy.length) as (string | null)[],
    severity: row[groupBy.length] as number | null,
    errors: row[groupBy.length + 1] as number,
  }));
}
