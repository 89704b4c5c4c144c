/**
 * The SQL of the rollup tables (migration 11) and of PostgreSQL's maintenance: the triggers and the rebuild run the
 * same grouped upsert (`rollupUpsert`) over the audits a statement inserted, updated or deleted, or over all audits.
 * Part of a shipped migration: change it only together with a new migration that replaces the functions.
 */

import { ERROR_TYPES } from "../audits/validate.ts";
import {
  COUNT_COLUMNS,
  CUBOIDS,
  type Cuboid,
  HOUR_MS,
  type Level,
  type RollupDimension,
  SEVERITIES,
} from "../rollups/cells.ts";

const KEY = ["cuboid", "width", "bucket", "queue", "market", "policy", "person"];

function table(name: string, integer: string, suffix: string, key: string): string {
  const counts = COUNT_COLUMNS.map((c) => `    ${c} ${integer} NOT NULL DEFAULT 0`).join(",\n");
  return `
  CREATE TABLE ${name} (${key}
    cuboid ${integer} NOT NULL,
    width ${integer} NOT NULL,
    bucket ${integer} NOT NULL,
    queue TEXT NOT NULL,
    market TEXT NOT NULL,
    policy TEXT NOT NULL,
    person TEXT NOT NULL,
${counts}${suffix}`;
}

/** SQLite: the table clustered by its key (WITHOUT ROWID), so a cuboid's time range is one B-tree range. */
export const SQLITE_ROLLUP_TABLES = `${table(
  "audit_rollups",
  "INTEGER",
  `,
    PRIMARY KEY (${KEY.join(", ")})
  ) WITHOUT ROWID, STRICT;`,
  "",
)}`;

/** Floor of `column` to a level's bucket in SQL (`%` truncates toward zero on both backends: the double modulo). */
function bucketSql(column: string, level: Level): string {
  const shifted = level.origin === 0 ? column : `(${column} - ${level.origin})`;
  return `${column} - ((${shifted} % ${level.width}) + ${level.width}) % ${level.width}`;
}

const LEVEL_ALIAS = new Map<number, string>([
  [HOUR_MS, "h"],
  [86_400_000, "d"],
  [604_800_000, "w"],
]);
const alias = (level: Level) => LEVEL_ALIAS.get(level.width)!;
const DIM_ALIAS: Record<RollupDimension, string> = {
  queue: "q",
  market: "m",
  policy: "p",
  moderator: "mo",
  auditor: "au",
  correctPolicy: "cp",
};
const DIM_ORDER: RollupDimension[] = ["queue", "market", "policy", "moderator", "auditor", "correctPolicy"];
const GROUPING = `GROUPING(${DIM_ORDER.map((d) => DIM_ALIAS[d]).join(", ")})`;

/** GROUPING(q, m, p, mo, au, cp) of a cuboid's sets: a bit per dimension left out, q the most significant. */
function groupingBits(cuboid: Cuboid): number {
  const top = DIM_ORDER.length - 1;
  return DIM_ORDER.reduce((bits, dim, i) => (cuboid.dims.includes(dim) ? bits : bits | (1 << (top - i))), 0);
}

/** The per-audit count expressions, each times `sign` (COUNT_COLUMNS order). */
function countExpressions(): string[] {
  const typed = ERROR_TYPES.flatMap((type) =>
    Array.from(
      { length: SEVERITIES },
      (_, k) => `CASE WHEN error_type = '${type}' AND COALESCE(severity, 1) = ${k + 1} THEN sign ELSE 0 END`,
    ),
  );
  return [
    "sign",
    "CASE WHEN outcome = 'incorrect' THEN sign ELSE 0 END",
    "CASE WHEN error_type = 'wrong-policy' AND correct_policy IS NULL THEN sign ELSE 0 END",
    ...typed,
  ];
}

const LEVELS: Level[] = [...new Set(CUBOIDS.flatMap((c) => c.levels))];

/**
 * PostgreSQL: one INSERT INTO `target` of the counts of `source` (a query with `sign`, 1 or −1, and the audits'
 * columns) for every cuboid and level at once (GROUPING SETS; keys unique within the statement). The confusion
 * cuboid's correct policy `cp` is set only for wrong-policy errors naming one, and its sets drop the other audits
 * (the group whose `cp` is NULL). Cells whose counts all cancel (a revision that changed only notes) are left out.
 */
export function rollupInsert(target: string, source: string): string {
  const counts = countExpressions();
  const facts = `SELECT ${LEVELS.map((l) => `${bucketSql("audited_ms", l)} AS ${alias(l)}`).join(", ")},
      queue AS q, CASE WHEN market IS NULL THEN '' ELSE '~' || market END AS m,
      CASE WHEN policy IS NULL THEN '' ELSE '~' || policy END AS p, moderator AS mo, auditor AS au,
      CASE WHEN outcome = 'incorrect' AND error_type = 'wrong-policy' THEN correct_policy END AS cp,
      ${counts.map((expression, i) => `${expression} AS ${COUNT_COLUMNS[i]}`).join(",\n      ")}
    FROM (${source}) AS changed`;
  const sets = CUBOIDS.flatMap((cuboid) =>
    cuboid.levels.map((level) => `(${[alias(level), ...cuboid.dims.map((d) => DIM_ALIAS[d])].join(", ")})`),
  );
  const cuboidCase = `CASE ${GROUPING} ${CUBOIDS.map((c) => `WHEN ${groupingBits(c)} THEN ${c.code}`).join(" ")} END`;
  const widthCase = `CASE ${LEVELS.map((l) => `WHEN GROUPING(${alias(l)}) = 0 THEN ${l.width}`).join(" ")} END`;
  const sums = COUNT_COLUMNS.map((c) => `SUM(${c})`);
  return `INSERT INTO ${target} (${[...KEY, ...COUNT_COLUMNS].join(", ")})
    SELECT ${cuboidCase}, ${widthCase}, COALESCE(${LEVELS.map(alias).join(", ")}),
      COALESCE(q, ''), COALESCE(m, ''), COALESCE(p, ''), COALESCE(mo, au, cp, ''), ${sums.join(", ")}
    FROM (${facts}) AS facts GROUP BY GROUPING SETS (${sets.join(", ")})
    HAVING NOT (GROUPING(cp) = 0 AND cp IS NULL) AND (${sums.map((sum) => `${sum} <> 0`).join(" OR ")})`;
}

const AUDIT_COLUMNS = `queue, market, policy, moderator, auditor, outcome, error_type, severity, correct_policy,
  audited_ms`;

/** The audits `table` (a transition table or `audits`) as a rollup source with sign `sign`. */
export function rollupSource(table: string, sign: 1 | -1): string {
  return `SELECT ${sign} AS sign, ${AUDIT_COLUMNS} FROM ${table}`;
}

function triggerFunction(name: string, source: string): string {
  return `
  CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
  BEGIN
    ${rollupInsert("audit_rollup_deltas", source)};
    RETURN NULL;
  END
  $fn$;`;
}

/**
 * PostgreSQL: the compacted table, the append-only deltas its triggers write (every INSERT, COPY, UPDATE and DELETE
 * of audits, whichever code path or instance runs it, in the same transaction: plain inserts never conflict, so
 * concurrent writers never fail to serialize on a shared count), and the first fill from the audits already stored,
 * all in the migration's one transaction. src/rollups/compaction.ts folds the deltas into `audit_rollups`.
 */
export const POSTGRES_ROLLUP_MIGRATION = `
  ${table(
    "audit_rollups",
    "BIGINT",
    `,
    PRIMARY KEY (${KEY.join(", ")})
  );`,
    "",
  ).replace(/\bTEXT\b/g, 'TEXT COLLATE "C"')}
  ${table(
    "audit_rollup_deltas",
    "BIGINT",
    `
  );
  CREATE INDEX audit_rollup_deltas_by_bucket ON audit_rollup_deltas (cuboid, width, bucket);`,
    `
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,`,
  ).replace(/\bTEXT\b/g, 'TEXT COLLATE "C"')}
  ${triggerFunction("audit_rollups_inserted", rollupSource("inserted_audits", 1))}
  ${triggerFunction(
    "audit_rollups_updated",
    `${rollupSource("replaced_audits", -1)} UNION ALL ${rollupSource("revised_audits", 1)}`,
  )}
  ${triggerFunction("audit_rollups_deleted", rollupSource("deleted_audits", -1))}
  CREATE TRIGGER audits_rollups_insert AFTER INSERT ON audits REFERENCING NEW TABLE AS inserted_audits
    FOR EACH STATEMENT EXECUTE FUNCTION audit_rollups_inserted();
  CREATE TRIGGER audits_rollups_update AFTER UPDATE ON audits
    REFERENCING OLD TABLE AS replaced_audits NEW TABLE AS revised_audits
    FOR EACH STATEMENT EXECUTE FUNCTION audit_rollups_updated();
  CREATE TRIGGER audits_rollups_delete AFTER DELETE ON audits REFERENCING OLD TABLE AS deleted_audits
    FOR EACH STATEMENT EXECUTE FUNCTION audit_rollups_deleted();
  ${rollupInsert("audit_rollups", rollupSource("audits", 1))};
`;
