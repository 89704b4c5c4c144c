import { ERROR_TYPES } from "../audits/validate.ts";
import {
  CONFUSION_CUBOID,
  COUNT_COLUMNS,
  CUBOIDS,
  type Cuboid,
  HOUR,
  type Level,
  QUARTER_DAY,
  SEVERITIES,
} from "./cells.ts";

/**
 * PostgreSQL's compaction in one statement: the same cells as SQLite's JavaScript (src/rollups/accumulator.ts),
 * computed the same way, so the database does the adding: the chunk's audits are grouped once into the five
 * families (hour × queue × market, hour × policy, quarter day × queue × market × policy, quarter day × queue × market
 * × moderator and × auditor, plus the confusion cells), each cuboid and level is derived from its family's (far fewer) rows, and one
 * INSERT … ON CONFLICT adds them. (GROUPING SETS over the audits themselves sorted every audit eight times: 15 µs an
 * audit against about 3.)
 */

const KEY = ["cuboid", "width", "bucket", "queue", "market", "policy", "person"];

/** Floor of `column` to a level's bucket in SQL (`%` truncates toward zero on both backends: the double modulo). */
function bucketSql(column: string, level: Level): string {
  const shifted = level.origin === 0 ? column : `(${column} - ${level.origin})`;
  return `${column} - ((${shifted} % ${level.width}) + ${level.width}) % ${level.width}`;
}

/** The per-audit count expressions (COUNT_COLUMNS order). */
function countExpressions(): string[] {
  const typed = ERROR_TYPES.flatMap((type) =>
    Array.from(
      { length: SEVERITIES },
      (_, k) => `CASE WHEN error_type = '${type}' AND COALESCE(severity, 1) = ${k + 1} THEN 1 ELSE 0 END`,
    ),
  );
  return [
    "1",
    "CASE WHEN outcome = 'incorrect' THEN 1 ELSE 0 END",
    "CASE WHEN error_type = 'wrong-policy' AND correct_policy IS NULL THEN 1 ELSE 0 END",
    ...typed,
  ];
}

const SUMS = COUNT_COLUMNS.map((c) => `SUM(${c}) AS ${c}`).join(", ");
const COUNTS = COUNT_COLUMNS.join(", ");

/** A family: the columns its audits are grouped by, and the cuboids (with levels) derived from it. */
interface Family {
  name: string;
  columns: string[];
  where?: string;
  derived: { cuboid: Cuboid; level: Level; from: Level }[];
}

const cuboid = (code: number) => CUBOIDS.find((c) => c.code === code)!;
/** The levels of `codes` above `from`'s width, derived from a family grouped at `from`. */
const derived = (codes: number[], from: Level, fromWidthUp = false) =>
  codes.flatMap((code) =>
    cuboid(code)
      .levels.filter((level) => (fromWidthUp ? level.width >= from.width : level === from))
      .map((level) => ({ cuboid: cuboid(code), level, from })),
  );
const FAMILIES: Family[] = [
  { name: "hour_queue_market", columns: ["h", "q", "m"], derived: derived([0, 1, 2, 4], HOUR) },
  { name: "hour_policy", columns: ["h", "p"], derived: derived([3], HOUR) },
  {
    name: "quarter_policy",
    columns: ["s", "q", "m", "p"],
    derived: derived([0, 1, 2, 3, 4, 5], QUARTER_DAY, true),
  },
  { name: "quarter_moderator", columns: ["s", "q", "m", "mo"], derived: derived([6], QUARTER_DAY, true) },
  { name: "quarter_auditor", columns: ["s", "q", "m", "au"], derived: derived([7], QUARTER_DAY, true) },
  {
    name: "hour_confusion",
    columns: ["h", "q", "m", "p", "cp"],
    where: "cp IS NOT NULL",
    derived: derived([CONFUSION_CUBOID], HOUR, true),
  },
];

const DIMENSION_COLUMN = {
  queue: "q",
  market: "m",
  policy: "p",
  moderator: "mo",
  auditor: "au",
  correctPolicy: "cp",
};

/** The cells of one cuboid and level, from its family's rows (the key columns in KEY order, then the counts). */
function derivedCells(family: Family, { cuboid, level, from }: Family["derived"][number]): string {
  const bucketColumn = from === HOUR ? "h" : "s";
  const bucket = level === from ? bucketColumn : bucketSql(bucketColumn, level);
  const value = (dim: keyof typeof DIMENSION_COLUMN) =>
    cuboid.dims.includes(dim) ? DIMENSION_COLUMN[dim] : "''";
  const person = cuboid.dims.find((d) => d === "moderator" || d === "auditor" || d === "correctPolicy");
  return `SELECT ${cuboid.code} AS cuboid, ${level.width} AS width, ${bucket} AS bucket, ${value("queue")} AS queue,
    ${value("market")} AS market, ${value("policy")} AS policy, ${person ? DIMENSION_COLUMN[person] : "''"} AS person,
    ${COUNTS} FROM ${family.name}`;
}

/**
 * One INSERT … ON CONFLICT adding the counts of `source` (a query with the audits' columns) to every cuboid and
 * level. Run with enough `work_mem` for the groups to hash in memory (the compaction sets it).
 */
export function rollupUpsert(source: string): string {
  const counts = countExpressions();
  const facts = `facts AS MATERIALIZED (SELECT ${bucketSql("audited_ms", HOUR)} AS h, ${bucketSql("audited_ms", QUARTER_DAY)} AS s,
      queue AS q, CASE WHEN market IS NULL THEN '' ELSE '~' || market END AS m,
      CASE WHEN policy IS NULL THEN '' ELSE '~' || policy END AS p, moderator AS mo, auditor AS au,
      CASE WHEN outcome = 'incorrect' AND error_type = 'wrong-policy' THEN correct_policy END AS cp,
      ${counts.map((expression, i) => `${expression} AS ${COUNT_COLUMNS[i]}`).join(",\n      ")}
    FROM (${source}) AS chunk)`;
  const families = FAMILIES.map(
    (f) =>
      `${f.name} AS (SELECT ${f.columns.join(", ")}, ${SUMS} FROM facts ${f.where ? `WHERE ${f.where}` : ""}
        GROUP BY ${f.columns.join(", ")})`,
  );
  const cells = FAMILIES.flatMap((f) => f.derived.map((d) => derivedCells(f, d))).join("\nUNION ALL ");
  return `WITH ${[facts, ...families].join(",\n")}
    INSERT INTO audit_rollups (${[...KEY, ...COUNT_COLUMNS].join(", ")})
    SELECT ${KEY.join(", ")}, ${COUNT_COLUMNS.map((c) => `SUM(${c})`).join(", ")} FROM (${cells}) AS cells
    GROUP BY ${KEY.join(", ")}
    ON CONFLICT (${KEY.join(", ")}) DO UPDATE SET
      ${COUNT_COLUMNS.map((c) => `${c} = audit_rollups.${c} + EXCLUDED.${c}`).join(", ")}`;
}

const AUDIT_COLUMNS = `queue, market, policy, moderator, auditor, outcome, error_type, severity, correct_policy,
  audited_ms`;

/** The audits with seq in (after, through] as a rollup source (the compaction's chunk, or all of them). */
export function rollupSource(after: string, through: string): string {
  return `SELECT ${AUDIT_COLUMNS} FROM audits WHERE seq > ${after} AND seq <= ${through}`;
}
