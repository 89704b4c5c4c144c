import type { Db } from "./open.ts";
import { statement } from "./statements.ts";

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

export function getPopulation(db: Db, id: string): Population | undefined {
  const row = statement<[string], PopulationRow>(db, "SELECT * FROM populations WHERE id = ?").get(id);
  return row && toPopulation(row);
}

export function listPopulations(db: Db): Population[] {
  return statement<[], PopulationRow>(db, "SELECT * FROM populations ORDER BY created_at, id")
    .all()
    .map(toPopulation);
}

/** The next seq population_decisions will assign (its rows are appended; call inside the write transaction). */
export function nextDecisionSeq(db: Db): number {
  const row = statement<[], { m: number }>(
    db,
    "SELECT COALESCE(MAX(seq), 0) AS m FROM population_decisions",
  ).get()!;
  return row.m + 1;
}

/** Columns of a decision row, in insert order: id, the five fixed codes, decided_at, extra. */
export const DECISION_COLUMNS = 8;
const INSERT_COLUMNS =
  "INSERT INTO population_decisions (id, queue, moderator, label, policy, market, decided_at, extra) VALUES ";
const ROW_PLACEHOLDERS = "(?, ?, ?, ?, ?, ?, ?, ?)";
/** Rows per multi-row INSERT: one statement call per 50 rows roughly halves the per-row binding overhead. */
export const INSERT_BATCH = 50;
const INSERT_BATCH_SQL = INSERT_COLUMNS + new Array(INSERT_BATCH).fill(ROW_PLACEHOLDERS).join(", ");

/**
 * Appends decision rows from a flat parameter array (DECISION_COLUMNS values per row), INSERT_BATCH rows
 * per statement when `rows` = INSERT_BATCH. Call inside the upload's transaction.
 */
export function insertDecisions(db: Db, params: unknown[], rows: number): void {
  if (rows === INSERT_BATCH) {
    statement(db, INSERT_BATCH_SQL).run(params);
    return;
  }
  const one = statement(db, INSERT_COLUMNS + ROW_PLACEHOLDERS);
  for (let r = 0; r < rows; r++) {
    one.run(params.slice(r * DECISION_COLUMNS, (r + 1) * DECISION_COLUMNS));
  }
}

export function decisionIdAt(db: Db, seq: number): string | undefined {
  return statement<[number], { id: string }>(db, "SELECT id FROM population_decisions WHERE seq = ?").get(seq)
    ?.id;
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
}

/** Writes the population row and its value dictionary (after its decisions). */
export function insertPopulation(db: Db, p: NewPopulation): void {
  statement(
    db,
    `INSERT INTO populations (id, name, row_count, first_seq, last_seq, attributes, extras, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    p.id,
    p.name,
    p.count,
    p.firstSeq,
    p.firstSeq + p.count - 1,
    JSON.stringify(p.attributes),
    JSON.stringify(p.extras),
    p.createdBy,
    p.createdAt,
  );
  const insert = statement(
    db,
    "INSERT INTO population_values (population_id, attribute, code, value, count) VALUES (?, ?, ?, ?, ?)",
  );
  for (const [attribute, dictionary] of p.values) {
    dictionary.counts.forEach((count, code) => {
      if (count > 0) insert.run(p.id, attribute, code, dictionary.values[code], count);
    });
  }
}

/** Per attribute, the value of each code (index 0 = absent = ""). */
export function valueDictionary(db: Db, population: Population): Map<string, string[]> {
  const result = new Map<string, string[]>(population.attributes.map((a) => [a, [""]]));
  const rows = statement<[string], { attribute: string; code: number; value: string }>(
    db,
    "SELECT attribute, code, value FROM population_values WHERE population_id = ?",
  ).all(population.id);
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
export function valueCounts(db: Db, population: Population): Record<string, Record<string, number>> {
  const result: Record<string, Record<string, number>> = {};
  for (const attribute of population.attributes) result[attribute] = {};
  const rows = statement<[string], { attribute: string; value: string; count: number }>(
    db,
    `SELECT attribute, value, count FROM population_values WHERE population_id = ? AND code > 0
     ORDER BY attribute, count DESC, value`,
  ).all(population.id);
  for (const row of rows) {
    if (result[row.attribute]) result[row.attribute][row.value] = row.count;
  }
  return result;
}

/** Per attribute: decisions without a value (empty or null). */
export function absentCounts(db: Db, population: Population): Record<string, number> {
  const result: Record<string, number> = {};
  for (const attribute of population.attributes) result[attribute] = 0;
  const rows = statement<[string], { attribute: string; count: number }>(
    db,
    "SELECT attribute, count FROM population_values WHERE population_id = ? AND code = 0",
  ).all(population.id);
  for (const row of rows) if (row.attribute in result) result[row.attribute] = row.count;
  return result;
}

/** Per attribute: number of distinct values, absent not counted (like SQL COUNT(DISTINCT …)). */
export function distinctCounts(db: Db, population: Population): Record<string, number> {
  const result: Record<string, number> = {};
  for (const attribute of population.attributes) result[attribute] = 0;
  const rows = statement<[string], { attribute: string; n: number }>(
    db,
    "SELECT attribute, COUNT(*) AS n FROM population_values WHERE population_id = ? AND code > 0 GROUP BY attribute",
  ).all(population.id);
  for (const row of rows) if (row.attribute in result) result[row.attribute] = row.n;
  return result;
}

export function samplesUsing(db: Db, populationId: string): string[] {
  return statement<[string], { id: string }>(
    db,
    "SELECT id FROM samples WHERE population_id = ? ORDER BY created_at, id",
  )
    .all(populationId)
    .map((r) => r.id);
}

/** Deletes a population with its decisions and values. The caller checks that no sample uses it. */
export function deletePopulation(db: Db, population: Population): void {
  statement(db, "DELETE FROM population_decisions WHERE seq BETWEEN ? AND ?").run(
    population.firstSeq,
    population.lastSeq,
  );
  statement(db, "DELETE FROM populations WHERE id = ?").run(population.id);
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
 * SQL expression for the code of an attribute (0 = absent): its column, or for an extra column its entry
 * in the comma-separated `extra` list (read as a JSON array).
 */
export function attributeCodeSql(population: Population, attribute: string): string {
  if (isFixedAttribute(attribute)) return attribute;
  const index = population.extras.indexOf(attribute);
  if (index < 0) throw new Error(`no attribute ${attribute}`);
  return `COALESCE(json_extract('[' || COALESCE(extra, '') || ']', '$[${index}]'), 0)`;
}

/**
 * Calls `visit(offset, value)` for every decision of the population in storage order, with the value of
 * the SQL `expression` (built by the caller from column names and numbers only); offset = seq − firstSeq.
 * Reads the seq range in chunks of one plucked column.
 */
export function forEachDecisionValue<T>(
  db: Db,
  population: Population,
  expression: string,
  visit: (offset: number, value: T) => void,
): void {
  const read = statement(
    db,
    `SELECT ${expression} FROM population_decisions WHERE seq BETWEEN ? AND ? ORDER BY seq`,
  ).pluck(true);
  const first = population.firstSeq;
  for (let lo = first; lo <= population.lastSeq; lo += READ_CHUNK) {
    const hi = Math.min(population.lastSeq, lo + READ_CHUNK - 1);
    const values = read.all(lo, hi) as T[];
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
}

/** The seq of the decision with this id in the population (a scan of its range: ids are not indexed). */
export function findDecision(db: Db, population: Population, id: string): DecisionRow | undefined {
  return statement<[number, number, string], DecisionRow>(
    db,
    "SELECT * FROM population_decisions WHERE seq BETWEEN ? AND ? AND id = ?",
  ).get(population.firstSeq, population.lastSeq, id);
}

export function getDecision(db: Db, seq: number): DecisionRow | undefined {
  return statement<[number], DecisionRow>(db, "SELECT * FROM population_decisions WHERE seq = ?").get(seq);
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
