import { zCritical } from "../../stats/critical.ts";
import { wilsonInterval } from "../../stats/proportion-interval.ts";
import { type FilterQuery, toFilter } from "../audits/filters.ts";
import { ERROR_TYPES, type ErrorType } from "../audits/validate.ts";
import { CSV_BOM, csvLine } from "../csv.ts";
import type { Db } from "../db/database.ts";
import {
  type ConfusionScope,
  confusionCells,
  countsByPolicy,
  wrongPolicyWithoutCorrect,
} from "../db/policy-counts.ts";
import { DomainError } from "../errors.ts";

/** Most applied policies (matrix rows and rows of the per-policy table) and correct policies (columns). */
export const POLICY_LIMIT = 500;
/** Most non-empty cells of a matrix: bounds the answer (the CSV names both policies on every line). */
export const CELL_LIMIT = 10_000;

export type PolicyConfusionQuery = Omit<FilterQuery, "errorType"> & { confidence: number };

export interface ConfusionRow {
  /** The applied policy (null: not recorded on the audits). */
  applied: string | null;
  /** This row's wrong-policy errors with a correct policy: the denominator of its shares. */
  total: number;
  /** Non-empty cells only, by correct policy (bytewise). `rowShare` = count / total. */
  cells: { correct: string; count: number; rowShare: number }[];
}

export interface ConfusionMatrix {
  /** The correct policies that occur (the columns), bytewise. */
  columns: string[];
  /** The applied policies with at least one cell (absent first, then bytewise). */
  rows: ConfusionRow[];
  /** Wrong-policy errors in the matrix. */
  total: number;
  /** Wrong-policy errors without a correct policy: counted here, not in the matrix. */
  withoutCorrectPolicy: number;
}

export interface PolicyRow {
  /** The applied policy (null: not recorded). */
  policy: string | null;
  audited: number;
  errors: number;
  /** errors / audited with its Wilson interval. */
  rate: number;
  lower: number;
  upper: number;
  /** Errors of each type and their rate over the audited decisions of the policy. */
  byType: Record<ErrorType, { errors: number; rate: number }>;
  wrongPolicyWithoutCorrect: number;
}

export interface PolicyConfusionReport {
  matrix: ConfusionMatrix;
  policies: PolicyRow[];
  confidence: number;
  timeZone: string;
}

const tooMany = (what: string, limit: number) =>
  new DomainError(
    "unprocessable",
    "too_expensive",
    `the confusion matrix would have more than ${limit} ${what}; narrow the filters (queue, market, from, to)`,
    [{ path: "", message: `more than ${limit} ${what}`, limit }],
  );

/** Bytewise UTF-8 order, as both backends sort text (code units would put U+E000–U+FFFF after astral characters). */
const bytewise = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * The applied × correct matrix of the wrong-policy errors in scope, counted in SQL, with row shares.
 * Refused (422 too_expensive) past POLICY_LIMIT rows or columns or CELL_LIMIT cells rather than cut short: a
 * truncated matrix would misstate the shares.
 */
export async function confusionMatrix(db: Db, scope: ConfusionScope): Promise<ConfusionMatrix> {
  const cells = await confusionCells(db, scope, CELL_LIMIT + 1);
  if (cells.length > CELL_LIMIT) throw tooMany("cells (pairs of applied and correct policy)", CELL_LIMIT);
  const rows: ConfusionRow[] = [];
  const columns = new Set<string>();
  for (const cell of cells) {
    let row = rows.at(-1);
    if (!row || row.applied !== cell.applied)
      rows.push((row = { applied: cell.applied, total: 0, cells: [] }));
    row.total += cell.count;
    row.cells.push({ correct: cell.correct, count: cell.count, rowShare: 0 });
    columns.add(cell.correct);
  }
  if (rows.length > POLICY_LIMIT) throw tooMany("applied policies (rows)", POLICY_LIMIT);
  if (columns.size > POLICY_LIMIT) throw tooMany("correct policies (columns)", POLICY_LIMIT);
  let total = 0;
  for (const row of rows) {
    for (const cell of row.cells) cell.rowShare = cell.count / row.total;
    total += row.total;
  }
  return {
    columns: [...columns].sort(bytewise),
    rows,
    total,
    withoutCorrectPolicy: await wrongPolicyWithoutCorrect(db, scope),
  };
}

/**
 * `GET /v1/policy-confusion`: the confusion matrix of wrong-policy errors (applied × correct policy) over the
 * audits in the filter, and per applied policy the audited decisions, errors, error rate with a Wilson interval
 * and errors by type.
 */
export async function policyConfusion(
  db: Db,
  query: PolicyConfusionQuery,
  timeZone: string,
): Promise<PolicyConfusionReport> {
  const filter = toFilter(query, timeZone);
  const counts = await countsByPolicy(db, filter, POLICY_LIMIT + 1);
  if (counts.length > POLICY_LIMIT) throw tooMany("applied policies", POLICY_LIMIT);
  const z = zCritical(query.confidence);
  const policies = counts.map((c): PolicyRow => {
    const { lower, upper } = wilsonInterval(c.errors, c.audited, z);
    const byType = Object.fromEntries(
      ERROR_TYPES.map((type) => [type, { errors: c.byType[type], rate: c.byType[type] / c.audited }]),
    ) as PolicyRow["byType"];
    return { ...c, rate: c.errors / c.audited, lower, upper, byType };
  });
  const matrix = await confusionMatrix(db, { filter });
  return { matrix, policies, confidence: query.confidence, timeZone };
}

/** The matrix in long form as CSV with a BOM: one line per non-empty cell (applied, correct, count, rowShare). */
export function policyConfusionCsv(report: PolicyConfusionReport): string {
  let out = CSV_BOM + csvLine(["applied", "correct", "count", "rowShare"]);
  for (const row of report.matrix.rows) {
    for (const cell of row.cells) out += csvLine([row.applied, cell.correct, cell.count, cell.rowShare]);
  }
  return out;
}
