import type { Db } from "./database.ts";
import { sqliteStatement } from "./sqlite.ts";

/** Attributes every decision row has a column for (codes; 0 = absent). queue and moderator are required. */
export const FIXED_ATTRIBUTES = ["queue", "moderator", "label", "policy", "market"] as const;
export type FixedAttribute = (typeof FIXED_ATTRIBUTES)[number];
export const isFixedAttribute = (name: string): name is FixedAttribute =>
  (FIXED_ATTRIBUTES as readonly string[]).includes(name);

export interface Population {
  id: string;
  name: string | null;
  count: number;
  /** The population's decisions are the rows first_seq..last_seq of population_decisions. */
  firstSeq: number;
  lastSeq: number;
  /** Attribute names present in the upload: fixed ones first, then the extra columns. */
  attributes: string[];
  /** The extra columns, in the order of their codes in `population_decisions.extra`. */
  extras: string[];
  createdBy: string | null;
  createdAt: string;
}

interface PopulationRow {
  id: string;
  name: string | null;
  row_count: number;
  first_seq: number;
  last_seq: number;
  attributes: string;
  extras: string;
  created_by: string | null;
  created_at: string;
}

const toPopulation = (row: PopulationRow): Population => ({
  id: row.id,
  name: row.name,
  count: row.row_count,
  firstSeq: row.first_seq,
  lastSeq: row.last_seq,
  attributes: JSON.parse(row.attributes),
  extras: JSON.parse(row.extras),
  createdBy: row.created_by,
  createdAt: row.created_at,
});

export async function getPopulation(db: Db, id: string): Promise<Population | undefined> {
  const row = await db.get<PopulationRow>("SELECT * FROM populations WHERE id = ?", [id]);
  return row && toPopulation(row);
}

export async function listPopulations(db: Db): Promise<Population[]> {
  return (await db.all<PopulationRow>("SELECT * FROM populations ORDER BY created_at, id")).map(toPopulation);
}

/** Rows per statement when PostgreSQL writes many rows at once from arrays (`unnest`). */
export const UNNEST_ROWS = 10_000;

/**
 * Inserts rows (arrays of column values, in `columns` order) into `table`; call inside a transaction.
 * SQLite: one prepared statement run per row in a synchronous loop (no promise per row). PostgreSQL:
 * `INSERT … SELECT FROM unnest(…)` of one typed array per column, UNNEST_ROWS rows per statement, rather than
 * a round trip per row.
 */
export async function insertRows(
  db: Db,
  table: string,
  columns: readonly (readonly [name: string, type: "text" | "bigint"])[],
  rows: readonly unknown[][],
): Promise<void> {
  const names = columns.map(([name]) => name).join(", ");
  if (db.dialect === "sqlite") {
    const insert = sqliteStatement(
      db,
      `INSERT INTO ${table} (${names}) VALUES (${columns.map(() => "?").join(", ")})`,
    );
    for (const row of rows) insert.run(row);
    return;
  }
  const arrays = columns.map(([, type]) => `?::${type}[]`).join(", ");
  const sql = `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`;
  for (let start = 0; start < rows.length; start += UNNEST_ROWS) {
    const chunk = rows.slice(start, start + UNNEST_ROWS);
    await db.run(
      sql,
      columns.map((_, c) => chunk.map((row) => row[c])),
    );
  }
}

/**
 * The seq the new population's first decision gets: one more than the largest stored (decisions are appended).
 * Call first thing in the upload's transaction. On PostgreSQL it first locks population_decisions in
 * EXCLUSIVE mode until the commit: uploads of concurrent transactions (or instances) then append one after the
 * other, each owning a contiguous range, while reads go on beside them. The lock must come before the
 * transaction's first read, which fixes its snapshot: taken later, MAX(seq) could miss an upload that committed
 * while we waited for the lock.
 */
export async function nextDecisionSeq(tx: Db): Promise<number> {
  if (tx.dialect === "postgres") await tx.run("LOCK TABLE population_decisions IN EXCLUSIVE MODE");
  const row = await tx.get<{ m: number }>("SELECT COALESCE(MAX(seq), 0) AS m FROM population_decisions");
  return row!.m + 1;
}

/**
 * The ids of the decisions at these seqs, in the same order; call inside the upload's transaction. SQLite: a
 * prepared lookup per seq; PostgreSQL: one query for them all.
 */
export async function decisionIds(db: Db, seqs: readonly number[]): Promise<string[]> {
  if (db.dialect === "sqlite") {
    const read = sqliteStatement(db, "SELECT id FROM population_decisions WHERE seq = ?").pluck(true);
    return seqs.map((seq) => read.get(seq) as string);
  }
  const rows = await db.values<[number, string]>(
    "SELECT seq, id FROM population_decisions WHERE seq = ANY(?::bigint[])",
    [seqs],
  );
  const idAt = new Map(rows);
  return seqs.map((seq) => idAt.get(seq)!);
}

export interface NewPopulation {
  id: string;
  name: string | null;
  count: number;
  firstSeq: number;
  attributes: string[];
  extras: string[];
  createdBy: string | null;
  createdAt: string;
  /** Per attribute: values by code (index 0 = absent, written as "") and counts by code. */
  values: Map<string, { values: string[]; counts: number[] }>;
  /** The context columns (`url`, `content`, `context.<name>`) in order of appearance, with decisions having a value. */
  context: { column: string; count: number }[];
}

/** Writes the population row and its value dictionary (after its decisions), inside the upload's transaction. */
export async function insertPopulation(db: Db, p: NewPopulation): Promise<void> {
  await db.run(
    `INSERT INTO populations (id, name, row_count, first_seq, last_seq, attributes, extras, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      p.id,
      p.name,
      p.count,
      p.firstSeq,
      p.firstSeq + p.count - 1,
      JSON.stringify(p.attributes),
      JSON.stringify(p.extras),
      p.createdBy,
      p.createdAt,
    ],
  );
  const rows: unknown[][] = [];
  for (const [attribute, dictionary] of p.values) {
    dictionary.counts.forEach((count, code) => {
      if (count > 0) rows.push([p.id, attribute, code, dictionary.values[code], count]);
    });
  }
  p.context.forEach(({ column, count }, i) => {
    rows.push([p.id, column, CONTEXT_CODE_BASE - i, "", count]);
  });
  await insertRows(
    db,
    "population_values",
    [
      ["population_id", "text"],
      ["attribute", "text"],
      ["code", "bigint"],
      ["value", "text"],
      ["count", "bigint"],
    ],
    rows,
  );
}

/**
 * A population's context columns (`url`, `content`, `context.<name>`: shown to auditors, never attributes) are
 * listed among its population_values rows with a negative code: −1 for the first column that appeared, −2 for
 * the next, …, value "" and count = decisions with a value. No dictionary code is negative, so every reader of
 * values (`code = 0`, `code > 0`, or attributes by name) passes them by. The values themselves are stored per
 * decision in population_decisions.context (JSON).
 */
const CONTEXT_CODE_BASE = -1;

/** The population's context columns in order of first appearance, with how many decisions have a value. */
export async function contextColumns(
  db: Db,
  population: Population,
): Promise<{ column: string; count: number }[]> {
  return db.all<{ column: string; count: number }>(
    `SELECT attribute AS "column", count FROM population_values WHERE population_id = ? AND code < 0
     ORDER BY code DESC`,
    [population.id],
  );
}

/** Per attribute, the value of each code (index 0 = absent = ""). */
export async function valueDictionary(db: Db, population: Population): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(population.attributes.map((a) => [a, [""]]));
  const rows = await db.all<{ attribute: string; code: number; value: string }>(
    "SELECT attribute, code, value FROM population_values WHERE population_id = ? AND code >= 0",
    [population.id],
  );
  for (const row of rows) {
    const values = result.get(row.attribute);
    if (values) values[row.code] = row.value;
  }
  for (const values of result.values()) {
    for (let i = 0; i < values.length; i++) values[i] ??= "";
  }
  return result;
}

/** Per attribute: count of decisions per value, most frequent first, then by value (absent decisions excluded). */
export async function valueCounts(
  db: Db,
  population: Population,
): Promise<Record<string, Record<string, number>>> {
  const result: Record<string, Record<string, number>> = {};
  for (const attribute of population.attributes) result[attribute] = {};
  const rows = await db.all<{ attribute: string; value: string; count: number }>(
    `SELECT attribute, value, count FROM population_values WHERE population_id = ? AND code > 0
     ORDER BY attribute, count DESC, value`,
    [population.id],
  );
  for (const row of rows) {
    if (result[row.attribute]) result[row.attribute][row.value] = row.count;
  }
  return result;
}

/** Per attribute: decisions without a value (empty or null). */
export async function absentCounts(db: Db, population: Population): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const attribute of population.attributes) result[attribute] = 0;
  const rows = await db.all<{ attribute: string; count: number }>(
    "SELECT attribute, count FROM population_values WHERE population_id = ? AND code = 0",
    [population.id],
  );
  for (const row of rows) if (row.attribute in result) result[row.attribute] = row.count;
  return result;
}

/** Per attribute: number of distinct values, absent not counted (like SQL COUNT(DISTINCT …)). */
export async function distinctCounts(db: Db, population: Population): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const attribute of population.attributes) result[attribute] = 0;
  const rows = await db.all<{ attribute: string; n: number }>(
    "SELECT attribute, COUNT(*) AS n FROM population_values WHERE population_id = ? AND code > 0 GROUP BY attribute",
    [population.id],
  );
  for (const row of rows) if (row.attribute in result) result[row.attribute] = row.n;
  return result;
}

export async function samplesUsing(db: Db, populationId: string): Promise<string[]> {
  const rows = await db.values<[string]>(
    "SELECT id FROM samples WHERE population_id = ? ORDER BY created_at, id",
    [populationId],
  );
  return rows.map(([id]) => id);
}

/**
 * Deletes a population with its decisions and values, inside a transaction. The caller checks that no sample
 * uses it (else the samples' foreign key refuses the delete).
 */
export async function deletePopulation(db: Db, population: Population): Promise<void> {
  await db.run("DELETE FROM population_decisions WHERE seq BETWEEN ? AND ?", [
    population.firstSeq,
    population.lastSeq,
  ]);
  await db.run("DELETE FROM populations WHERE id = ?", [population.id]);
}

/** Codes of the extra columns from the `extra` text ("3,0,17"); missing trailing entries are absent (0). */
export function parseExtraCodes(extra: string | null, count: number): number[] {
  const codes = new Array<number>(count).fill(0);
  if (extra) {
    const parts = extra.split(",");
    for (let i = 0; i < count && i < parts.length; i++) codes[i] = Number(parts[i]) || 0;
  }
  return codes;
}

/** Rows per read: plucking one column of 65,536 rows per call is ~3x faster than iterating row arrays. */
const READ_CHUNK = 65_536;

/**
 * SQL expression for the code of an attribute (0 = absent), an integer on both backends: its column, or for an
 * extra column its entry in the comma-separated `extra` list. SQLite reads the list as a JSON array; PostgreSQL
 * (no json_extract) splits it.
 */
export function attributeCodeSql(db: Db, population: Population, attribute: string): string {
  if (isFixedAttribute(attribute)) return attribute;
  const index = population.extras.indexOf(attribute);
  if (index < 0) throw new Error(`no attribute ${attribute}`);
  if (db.dialect === "postgres")
    return `COALESCE(NULLIF(split_part(extra, ',', ${index + 1}), '')::bigint, 0)`;
  return `COALESCE(json_extract('[' || COALESCE(extra, '') || ']', '$[${index}]'), 0)`;
}

/**
 * Calls `visit(offset, value)` for every decision of the population in storage order, with the value of
 * the SQL `expression` (built by the caller from column names and numbers only); offset = seq − firstSeq.
 * Reads the seq range in chunks of one column (on SQLite plucked from a prepared statement: call inside a
 * transaction).
 */
export async function forEachDecisionValue<T>(
  db: Db,
  population: Population,
  expression: string,
  visit: (offset: number, value: T) => void,
): Promise<void> {
  const sql = `SELECT ${expression} FROM population_decisions WHERE seq BETWEEN ? AND ? ORDER BY seq`;
  const plucked = db.dialect === "sqlite" ? sqliteStatement(db, sql).pluck(true) : undefined;
  const first = population.firstSeq;
  for (let lo = first; lo <= population.lastSeq; lo += READ_CHUNK) {
    const hi = Math.min(population.lastSeq, lo + READ_CHUNK - 1);
    const values = plucked
      ? (plucked.all(lo, hi) as T[])
      : (await db.values<[T]>(sql, [lo, hi])).map((row) => row[0]);
    if (values.length !== hi - lo + 1) {
      throw new Error(`population ${population.id}: rows ${lo}..${hi} are not contiguous`);
    }
    const base = lo - first;
    for (let i = 0; i < values.length; i++) visit(base + i, values[i]);
  }
}

export interface DecisionRow {
  seq: number;
  id: string;
  queue: number;
  moderator: number;
  label: number;
  policy: number;
  market: number;
  decided_at: string | null;
  extra: string | null;
  /** The decision's context for auditors as JSON (`{"url", "content", "context": {name: value}}`), or null. */
  context: string | null;
}

/** The decision with this id in the population (a scan of its range: ids are not indexed). */
export async function findDecision(
  db: Db,
  population: Population,
  id: string,
): Promise<DecisionRow | undefined> {
  return db.get<DecisionRow>("SELECT * FROM population_decisions WHERE seq BETWEEN ? AND ? AND id = ?", [
    population.firstSeq,
    population.lastSeq,
    id,
  ]);
}

export async function getDecision(db: Db, seq: number): Promise<DecisionRow | undefined> {
  return db.get<DecisionRow>("SELECT * FROM population_decisions WHERE seq = ?", [seq]);
}

/** A decision of a population with its attribute values decoded (absent = null). */
export interface Decision {
  id: string;
  queue: string;
  moderator: string;
  label: string | null;
  policy: string | null;
  market: string | null;
  decidedAt: string | null;
  /** The population's extra columns. */
  attributes: Record<string, string | null>;
  /** Context for auditors (never attributes): the decision's page, an excerpt, and labelled fields. */
  url: string | null;
  content: string | null;
  context: Record<string, string>;
}

/** A decision's stored context (population_decisions.context) as its three fields; absent ones null / {}. */
export function parseContext(text: string | null): Pick<Decision, "url" | "content" | "context"> {
  if (text === null) return { url: null, content: null, context: {} };
  const parsed = JSON.parse(text) as { url?: string; content?: string; context?: Record<string, string> };
  return { url: parsed.url ?? null, content: parsed.content ?? null, context: parsed.context ?? {} };
}

/** A decision's attribute values decoded through the dictionary (absent = null). */
export function decodeDecision(
  row: DecisionRow,
  population: Population,
  dictionary: Map<string, string[]>,
): Decision {
  const value = (attribute: string, code: number) =>
    code === 0 ? null : (dictionary.get(attribute)?.[code] ?? null);
  const extraCodes = parseExtraCodes(row.extra, population.extras.length);
  const attributes: Record<string, string | null> = {};
  population.extras.forEach((name, i) => {
    attributes[name] = value(name, extraCodes[i]);
  });
  return {
    id: row.id,
    queue: value("queue", row.queue) ?? "",
    moderator: value("moderator", row.moderator) ?? "",
    label: value("label", row.label),
    policy: value("policy", row.policy),
    market: value("market", row.market),
    decidedAt: row.decided_at,
    attributes,
    ...parseContext(row.context),
  };
}

/** The value of each attribute of a decision, absent as "" (the stratum form). */
export function stratumValues(
  row: DecisionRow,
  population: Population,
  dictionary: Map<string, string[]>,
  attributes: readonly string[],
): string[] {
  const extraCodes = parseExtraCodes(row.extra, population.extras.length);
  return attributes.map((attribute) => {
    const code = isFixedAttribute(attribute)
      ? row[attribute]
      : extraCodes[population.extras.indexOf(attribute)];
    return code === 0 ? "" : (dictionary.get(attribute)?.[code] ?? "");
  });
}
