import { randomUUID } from "node:crypto";
import type { Spool } from "../audits/ingest.ts";
import { createReader, type Format } from "../audits/records.ts";
import { parseTimestamp } from "../audits/validate.ts";
import type { Db } from "../db/database.ts";
import { createDecisionWriter, type DecisionWriter } from "../db/decision-writer.ts";
import { FIXED_ATTRIBUTES, insertPopulation } from "../db/populations.ts";
import { DomainError, type ErrorDetail } from "../errors.ts";
import { type FieldProblem, problems, rowDetails } from "../problems.ts";
import { isWellFormed, NOT_WELL_FORMED } from "../unicode.ts";
import { ContextColumns, contextMaxLength, urlProblem } from "./context.ts";
import { duplicateError, findDuplicates, idKey } from "./duplicate-ids.ts";

export const MAX_POPULATION_ROWS = 10_000_000;
export const MAX_EXTRA_COLUMNS = 50;
/** Distinct values one attribute may have: attributes are for stratification. */
export const MAX_DISTINCT_VALUES = 100_000;
const MAX_TEXT = 500;
const MAX_NAME = 100;
const PROBLEM_LIMIT = 100;
const REQUIRED = ["id", "queue", "moderator"] as const;
const KNOWN = new Set<string>(["id", ...FIXED_ATTRIBUTES, "decidedAt"]);

/** Dictionary encoding of one attribute: code 0 = absent, codes 1.. in order of first appearance. */
class Dictionary {
  readonly codes = new Map<string, number>();
  readonly values: string[] = [""];
  readonly counts: number[] = [0];

  constructor(readonly name: string) {}

  code(value: string | undefined): number {
    if (value === undefined) {
      this.counts[0]++;
      return 0;
    }
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      if (code > MAX_DISTINCT_VALUES) {
        throw new DomainError(
          "invalid",
          "too_many_values",
          `column "${this.name}" has more than ${MAX_DISTINCT_VALUES} distinct values; columns other than id and decidedAt are stratification attributes: leave out identifier-like columns`,
          [{ path: this.name, message: `more than ${MAX_DISTINCT_VALUES} distinct values` }],
        );
      }
      this.codes.set(value, code);
      this.values.push(value);
      this.counts.push(0);
    }
    this.counts[code]++;
    return code;
  }
}

/** PostgreSQL text cannot hold U+0000, so it is refused on both backends (the answer must not depend on one). */
const NO_NUL = "must not contain the NUL character (U+0000)";

/** The current row's field errors (rows are validated one at a time, synchronously). */
const rowErrors: FieldProblem[] = [];

/**
 * A field as text: strings as they are, NDJSON numbers and booleans as their JSON text; "" or null = absent.
 * At most `max` characters (500 for attributes).
 */
function textField(v: unknown, field: string, required: boolean, max = MAX_TEXT): string | undefined {
  let s: string;
  if (v === undefined || v === null || v === "") {
    if (required) rowErrors.push(problems.required(field));
    return undefined;
  }
  if (typeof v === "string") s = v;
  else if ((typeof v === "number" && Number.isFinite(v)) || typeof v === "boolean") s = String(v);
  else {
    rowErrors.push(problems.notString(field));
    return undefined;
  }
  if (s.length > max) {
    rowErrors.push(problems.tooLong(field, max));
    return undefined;
  }
  if (!isWellFormed(s)) {
    rowErrors.push(problems.notWellFormed(field, NOT_WELL_FORMED));
    return undefined;
  }
  if (s.includes("\u0000")) {
    rowErrors.push(problems.nulCharacter(field, NO_NUL));
    return undefined;
  }
  if (required && s.charCodeAt(0) <= 32 && s.trim() === "") {
    rowErrors.push(problems.blank(field));
    return undefined;
  }
  return s;
}

/**
 * A context value (`url`, `content` or `context.<name>`: ./context.ts), or undefined when absent or refused
 * (the refusal is in rowErrors): text as for attributes, but up to 2,000 characters (a URL up to 2,048, and
 * http or https).
 */
function contextField(v: unknown, column: string): string | undefined {
  const text = textField(v, column, false, contextMaxLength(column));
  if (text === undefined || column !== "url") return text;
  const problem = urlProblem(text);
  if (problem === undefined) return text;
  rowErrors.push(problems.invalidUrl(column, problem));
  return undefined;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const digit = (s: string, i: number) => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -100;
};
const two = (s: string, i: number) => digit(s, i) * 10 + digit(s, i + 1);

/**
 * Whether `s` is a timestamp the audits accept (`parseTimestamp`). The common form
 * `YYYY-MM-DDTHH:MM:SS[.f…]` with `Z` or `±hh:mm` and in-range fields is checked by hand (a third of the
 * cost of the regex and two Date objects); anything else goes to `parseTimestamp` itself, so the accepted set
 * is exactly the same.
 */
export function validTimestamp(s: string): boolean {
  const n = s.length;
  if (n >= 20 && n <= 35 && s[4] === "-" && s[7] === "-" && s[10] === "T" && s[13] === ":" && s[16] === ":") {
    const year = two(s, 0) * 100 + two(s, 2);
    const month = two(s, 5);
    const day = two(s, 8);
    let end = 19;
    if (s[19] === ".") {
      end = 20;
      while (end < n && end < 29 && digit(s, end) >= 0) end++;
      if (end === 20) return parseTimestamp(s) !== undefined;
    }
    const tail = n - end;
    const zone =
      (tail === 1 && s[end] === "Z") ||
      (tail === 6 &&
        (s[end] === "+" || s[end] === "-") &&
        s[end + 3] === ":" &&
        two(s, end + 1) >= 0 &&
        two(s, end + 1) <= 23 &&
        two(s, end + 4) >= 0 &&
        two(s, end + 4) <= 59);
    if (
      zone &&
      year >= 0 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <=
        (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
          ? 29
          : DAYS_IN_MONTH[month - 1]) &&
      two(s, 11) >= 0 &&
      two(s, 11) <= 23 &&
      two(s, 14) >= 0 &&
      two(s, 14) <= 59 &&
      two(s, 17) >= 0 &&
      two(s, 17) <= 59
    ) {
      return true;
    }
  }
  return parseTimestamp(s) !== undefined;
}

interface RowProblem {
  row: number;
  errors: FieldProblem[];
}

export interface UploadResult {
  id: string;
  name: string | null;
  count: number;
  attributes: Record<string, number>;
  createdAt: string;
}

class Rejected extends Error {
  constructor(readonly error: DomainError) {
    super(error.message);
  }
}

/**
 * Validates and stores a population upload in one transaction: all rows or none, the same answer on both
 * backends.
 *
 * Each row: `id` (unique in the upload), `queue`, `moderator` (non-blank), optional `label`, `policy`,
 * `market`, `decidedAt` (ISO 8601 with offset), context columns for auditors (`url`, `content`,
 * `context.<name>`: ./context.ts; stored per decision as JSON, never attributes), and any other columns as
 * extra attributes. Values are strings (NDJSON numbers and booleans are taken as their JSON text; null or
 * "" = absent), at most 500 characters (context: 2,000, a URL 2,048) and no U+0000. Rows are appended in
 * upload order as they are parsed (SQLite: 50 per prepared INSERT; PostgreSQL: one COPY, with
 * population_decisions locked against other uploads). Id uniqueness is
 * checked without an index (./duplicate-ids.ts): each row contributes 29 bits of its id's FNV-1a hash and its
 * record index to one float64; after the last row the array is sorted (native typed-array sort) and rows whose
 * hash bits collide are compared by their stored ids. Memory: 8 bytes per row (80 MB at the 10,000,000-row limit) plus the value
 * dictionaries; the body itself is streamed from the spool.
 */
export async function uploadPopulation(
  db: Db,
  spool: Spool,
  format: Format,
  name: string | null,
  createdBy: string | null,
): Promise<UploadResult> {
  try {
    return await db.transaction(async (tx) => {
      const decisions = await createDecisionWriter(tx);
      try {
        return await store(tx, decisions, spool, format, name, createdBy);
      } catch (error) {
        await decisions.abort();
        throw error;
      }
    });
  } catch (error) {
    if (error instanceof Rejected) throw error.error;
    throw error;
  }
}

async function store(
  tx: Db,
  decisions: DecisionWriter,
  spool: Spool,
  format: Format,
  name: string | null,
  createdBy: string | null,
): Promise<UploadResult> {
  const unit = format === "json" ? "index" : "line";
  const dictionaries = new Map<string, Dictionary>();
  const dictionary = (attribute: string) => {
    let d = dictionaries.get(attribute);
    if (!d) {
      d = new Dictionary(attribute);
      dictionaries.set(attribute, d);
    }
    return d;
  };
  const fixed = FIXED_ATTRIBUTES.map((a) => dictionary(a));
  const present = new Set<string>(["queue", "moderator"]);
  const extras: string[] = [];
  const extraIndex = new Map<string, number>();

  let records = 0;
  let stored = 0;
  const rowProblems: RowProblem[] = [];
  let problemCount = 0;
  let keys = new Float64Array(1 << 16);
  let checkedHeader = false;
  const extraCodes: number[] = [];
  const extraValues: (string | undefined)[] = [];
  const context = new ContextColumns();

  const fail = (row: number, errors: FieldProblem[]) => {
    if (problemCount++ < PROBLEM_LIMIT) rowProblems.push({ row, errors });
  };

  const reader = createReader(format, (record) => {
    records++;
    if (records > MAX_POPULATION_ROWS) {
      if (records === MAX_POPULATION_ROWS + 1) {
        fail(record.row, [problems.tooManyRows(MAX_POPULATION_ROWS, "decisions in a population")]);
      }
      return;
    }
    if (record.error !== undefined) {
      fail(record.row, [problems.unreadable(record.error)]);
      return;
    }
    const raw = record.value;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      fail(record.row, [problems.notObject("each decision must be a JSON object")]);
      return;
    }
    const value = raw as Record<string, unknown>;
    if (format === "csv" && !checkedHeader) {
      checkedHeader = true;
      const missing = REQUIRED.filter((column) => !(column in value));
      if (missing.length > 0) {
        throw new Rejected(
          new DomainError(
            "invalid",
            "invalid_rows",
            `the CSV header (line 1) has no ${missing.join(", ")} column`,
            rowDetails(1, missing.map(problems.missingColumn)),
          ),
        );
      }
    }

    if (rowErrors.length > 0) rowErrors.length = 0;
    const id = textField(value.id, "id", true);
    const queue = textField(value.queue, "queue", true);
    const moderator = textField(value.moderator, "moderator", true);
    const label = textField(value.label, "label", false);
    const policy = textField(value.policy, "policy", false);
    const market = textField(value.market, "market", false);
    const decidedAt = textField(value.decidedAt, "decidedAt", false);
    if (decidedAt !== undefined && !validTimestamp(decidedAt)) {
      rowErrors.push(
        problems.invalidTimestamp(
          "decidedAt",
          "must be an ISO 8601 date-time with an offset, e.g. 2026-11-23T09:30:00+09:00",
        ),
      );
    }
    let extraCount = 0;
    if (context.columns.length > 0) context.clear();
    for (const key in value) {
      if (KNOWN.has(key)) {
        if (!present.has(key)) present.add(key);
        continue;
      }
      let index = extraIndex.get(key);
      if (index === undefined) {
        const contextIndex = context.indexOf(key);
        if (typeof contextIndex === "number") context.values[contextIndex] = contextField(value[key], key);
        else if (contextIndex !== undefined) rowErrors.push(problems.invalidColumnName(key, contextIndex));
        if (contextIndex !== undefined) continue;
        if (key.trim() === "") {
          // A nameless column (a trailing comma in the header) is ignored while it holds nothing.
          if (textField(value[key], key, false) !== undefined) {
            rowErrors.push(problems.invalidColumnName(key, "a column without a name"));
          }
          continue;
        }
        if (key === "__proto__") {
          rowErrors.push(problems.invalidColumnName(key, "__proto__ cannot be a column name"));
          continue;
        }
        if (key.length > MAX_NAME) {
          rowErrors.push(
            problems.invalidColumnName(key, `a column name must be at most ${MAX_NAME} characters`),
          );
          continue;
        }
        if (!isWellFormed(key)) {
          rowErrors.push(problems.invalidColumnName(key, `a column name ${NOT_WELL_FORMED}`));
          continue;
        }
        if (key.includes("\u0000")) {
          rowErrors.push(problems.invalidColumnName(key, `a column name ${NO_NUL}`));
          continue;
        }
        if (extras.length >= MAX_EXTRA_COLUMNS) {
          rowErrors.push(problems.tooManyColumns(key, MAX_EXTRA_COLUMNS));
          continue;
        }
        index = extras.length;
        extras.push(key);
        extraIndex.set(key, index);
        present.add(key);
        dictionary(key);
      }
      extraCount++;
    }
    for (let i = 0; i < extraValues.length; i++) extraValues[i] = undefined;
    if (extraCount > 0) {
      for (const key in value) {
        const index = extraIndex.get(key);
        if (index !== undefined) extraValues[index] = textField(value[key], key, false);
      }
    }

    if (rowErrors.length > 0) {
      fail(record.row, rowErrors.slice());
      return;
    }
    if (problemCount > 0) return; // the upload is rejected: only validate the rest

    const index = stored++;
    const queueCode = fixed[0].code(queue);
    const moderatorCode = fixed[1].code(moderator);
    const labelCode = fixed[2].code(label);
    const policyCode = fixed[3].code(policy);
    const marketCode = fixed[4].code(market);
    let extra: string | null = null;
    if (extras.length > 0) {
      let any = false;
      extraCodes.length = extras.length;
      for (let i = 0; i < extras.length; i++) {
        const code = dictionaries.get(extras[i])!.code(extraValues[i]);
        extraCodes[i] = code;
        if (code !== 0) any = true;
      }
      if (any) extra = extraCodes.join(",");
    }
    decisions.add(
      id!,
      queueCode,
      moderatorCode,
      labelCode,
      policyCode,
      marketCode,
      decidedAt ?? null,
      extra,
      context.columns.length > 0 ? context.take() : null,
    );
    if (index === keys.length) {
      const grown = new Float64Array(Math.min(keys.length * 2, MAX_POPULATION_ROWS));
      grown.set(keys);
      keys = grown;
    }
    keys[index] = idKey(id!, index);
  });
  for (const text of spool.text()) {
    reader.push(text);
    await decisions.flush();
  }
  reader.end();

  if (records === 0)
    throw new Rejected(new DomainError("invalid", "empty_population", "the body holds no decisions"));
  if (problemCount > 0) {
    const details: ErrorDetail[] = rowProblems.flatMap(({ row, errors }) => rowDetails(row, errors));
    throw new Rejected(
      new DomainError(
        "invalid",
        "invalid_rows",
        `${problemCount} invalid row(s), nothing was stored; first at ${unit} ${rowProblems[0].row}`,
        details,
      ),
    );
  }
  await decisions.end();

  // Rows that already absent-coded an extra column before it appeared (NDJSON): count them as absent.
  for (const name of extras) {
    const d = dictionaries.get(name)!;
    const counted = d.counts.reduce((a, b) => a + b, 0);
    d.counts[0] += stored - counted;
  }

  const duplicates = await findDuplicates(tx, keys.subarray(0, stored), decisions.firstSeq, PROBLEM_LIMIT);
  if (duplicates.length > 0) throw new Rejected(duplicateError(duplicates, spool, format, unit));

  const attributes = [...FIXED_ATTRIBUTES.filter((a) => present.has(a)), ...extras];
  const values = new Map<string, { values: string[]; counts: number[] }>();
  const distinct: Record<string, number> = {};
  for (const attribute of attributes) {
    const d = dictionaries.get(attribute)!;
    if (!present.has(attribute)) continue;
    values.set(attribute, { values: d.values, counts: d.counts });
    distinct[attribute] = d.counts.filter((c, code) => code > 0 && c > 0).length;
  }
  const population = {
    id: randomUUID(),
    name,
    count: stored,
    firstSeq: decisions.firstSeq,
    attributes,
    extras,
    createdBy,
    createdAt: new Date().toISOString(),
    values,
    context: context.summary(),
  };
  await insertPopulation(tx, population);
  return { id: population.id, name, count: stored, attributes: distinct, createdAt: population.createdAt };
}
