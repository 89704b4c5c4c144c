import type { Audit, ErrorType, FieldError } from "../audits/validate.ts";
import { rollupGroupSums } from "../rollups/counts.ts";
import { AUDITED, type AuditFilter, errorsMeasure } from "../rollups/read.ts";
import { type BatchOutcome, type BatchWriter, batchFailed, emptyOutcome } from "./audit-batch.ts";
import { directCopyWriter } from "./audit-copy.ts";
import { AuditStaging } from "./audit-staging.ts";
import type { Db } from "./database.ts";
import { PostgresTransaction } from "./postgres.ts";
import { sqliteStatement } from "./sqlite.ts";

export interface AuditRow {
  seq: number;
  id: string;
  decision_id: string;
  queue: string;
  moderator: string;
  auditor: string;
  outcome: "correct" | "incorrect";
  error_type: ErrorType | null;
  severity: number | null;
  policy: string | null;
  market: string | null;
  decided_at: string | null;
  audited_at: string;
  audited_ms: number;
  sample_id: string | null;
  notes: string | null;
  correct_policy: string | null;
  recorded_by: string | null;
  revision: number;
}

/** An audit as stored: its latest revision, and which one that is (1 until corrected). */
export interface StoredAudit extends Audit {
  revision: number;
}

export function toAudit(row: AuditRow): StoredAudit {
  return {
    id: row.id,
    decisionId: row.decision_id,
    queue: row.queue,
    moderator: row.moderator,
    auditor: row.auditor,
    outcome: row.outcome,
    errorType: row.error_type,
    severity: row.severity,
    policy: row.policy,
    market: row.market,
    decidedAt: row.decided_at,
    auditedAt: row.audited_at,
    sampleId: row.sample_id,
    notes: row.notes,
    correctPolicy: row.correct_policy,
    recordedBy: row.recorded_by,
    revision: row.revision,
  };
}

/** An arbitrary constant: the advisory lock of transactions that insert audits (`lockAuditAppends`). */
const AUDIT_APPEND_LOCK = 0x6d716175;

/**
 * On PostgreSQL, takes the audit-append advisory lock until the transaction ends; a no-op on SQLite (one writer
 * at a time already). Every transaction that inserts audits takes it before its INSERT, so audits draw their
 * seq values in commit order and "audits with seq above the last one seen" (the alert scans) misses none
 * committed late by another instance. The transaction's snapshot may predate the lock (a SELECT fixes it before
 * it waits): what it reads of audits need not include uploads committed while it waited.
 */
export async function lockAuditAppends(tx: Db): Promise<void> {
  if (tx.dialect !== "postgres" || appendLocked.has(tx)) return;
  await tx.get("SELECT pg_advisory_xact_lock(?)", [AUDIT_APPEND_LOCK]);
}

/** Transactions that took the audit-append lock outside any savepoint (`lockAuditAppendsFor`): held to the end. */
const appendLocked = new WeakSet<Db>();

/**
 * `lockAuditAppends` for a whole transaction, taken at its start outside any savepoint, so that its jobs
 * (the group commit's uploads, each in a savepoint that may roll back and with it a lock taken inside) do not
 * each ask again: one round trip per group instead of one per upload.
 */
export async function lockAuditAppendsFor(tx: Db): Promise<void> {
  await lockAuditAppends(tx);
  if (tx.dialect === "postgres") appendLocked.add(tx);
}

const INSERT = `INSERT INTO audits (id, decision_id, queue, moderator, auditor, outcome, error_type, severity,
    policy, market, decided_at, audited_at, audited_ms, sample_id, notes, correct_policy, recorded_by, ingested_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO NOTHING`;

/**
 * Whether a re-sent audit is the same as the stored one (its latest revision; see `sameAsSomeRevision`). Timestamps compare as instants,
 * so `09:00+09:00` and `00:00Z` are the same audit; a row sent without `auditedAt` (a spreadsheet's empty cell:
 * `auditedAtGiven` false) matches any audited time; who recorded it does not count; everything else compares
 * exactly. (PostgreSQL's batches compare in SQL by the same rule: `SAME_AUDIT` in src/db/audit-staging.ts.)
 */
function sameAudit(stored: AuditRow, audit: Audit, auditedMs: number, auditedAtGiven: boolean): boolean {
  return (
    stored.decision_id === audit.decisionId &&
    stored.queue === audit.queue &&
    stored.moderator === audit.moderator &&
    stored.auditor === audit.auditor &&
    stored.outcome === audit.outcome &&
    stored.error_type === audit.errorType &&
    stored.severity === audit.severity &&
    stored.policy === audit.policy &&
    stored.market === audit.market &&
    sameInstant(stored.decided_at, audit.decidedAt) &&
    (!auditedAtGiven || stored.audited_ms === auditedMs) &&
    stored.sample_id === audit.sampleId &&
    stored.notes === audit.notes &&
    stored.correct_policy === audit.correctPolicy
  );
}

/**
 * `sameAudit` against the stored audit or any earlier revision of its verdict: a re-sent upload that a later
 * correction (a revision, a dispute overturned) has superseded is a duplicate, not a conflict, so re-sending
 * yesterday's file after a correction is still idempotent. Only corrected audits (revision > 1) read their history.
 */
function sameAsSomeRevision(
  stored: AuditRow,
  audit: Audit,
  auditedMs: number,
  auditedAtGiven: boolean,
  history: (id: string) => string[],
): boolean {
  if (sameAudit(stored, audit, auditedMs, auditedAtGiven)) return true;
  if (stored.revision <= 1) return false;
  return history(stored.id).some((content) => {
    const verdict = JSON.parse(content) as {
      outcome: AuditRow["outcome"];
      errorType: ErrorType | null;
      severity: number | null;
      correctPolicy: string | null;
      notes: string | null;
    };
    const earlier: AuditRow = {
      ...stored,
      outcome: verdict.outcome,
      error_type: verdict.errorType,
      severity: verdict.severity,
      correct_policy: verdict.correctPolicy,
      notes: verdict.notes,
    };
    return sameAudit(earlier, audit, auditedMs, auditedAtGiven);
  });
}

function sameInstant(a: string | null, b: string | null): boolean {
  return a === b || (a !== null && b !== null && Date.parse(a) === Date.parse(b));
}

export { type BatchOutcome, type BatchWriter, batchFailed };

const PROBLEM_LIMIT = 100;

/**
 * The batch writer for transaction `tx`. On SQLite each row is inserted (or looked up) at once by prepared
 * statements in one synchronous loop: the bulk ingest's hot path. On PostgreSQL rows are staged and written
 * set-wise when the batch ends (src/db/audit-staging.ts), with the same outcome, down to row numbers and the
 * order of listed conflicts; it takes the audit-append lock before it inserts. With `directCopy` (PostgreSQL
 * only) the rows are instead COPYed straight into audits, and any batch but all-new valid rows throws
 * `DirectCopyDeclined` (src/db/audit-copy.ts): run it in a savepoint and fall back to the exact writer.
 */
export function createBatchWriter(
  tx: Db,
  now = Date.now(),
  options: { directCopy?: boolean } = {},
): BatchWriter {
  if (tx.dialect === "sqlite") return sqliteBatchWriter(tx, now);
  if (!(tx instanceof PostgresTransaction)) throw new Error("createBatchWriter needs a transaction's handle");
  if (options.directCopy) return directCopyWriter(tx, now, () => lockAuditAppends(tx));
  return postgresBatchWriter(tx, now);
}

function addInvalid(outcome: BatchOutcome, row: number, errors: FieldError[]): void {
  if (outcome.invalidCount++ < PROBLEM_LIMIT) outcome.invalid.push({ row, errors });
}

function addForbidden(outcome: BatchOutcome, row: number, auditor: string, problem?: FieldError): void {
  if (outcome.forbiddenCount++ < PROBLEM_LIMIT) outcome.forbidden.push({ row, auditor, problem });
}

function sqliteBatchWriter(tx: Db, now: number): BatchWriter {
  const insert = sqliteStatement(tx, INSERT);
  const existing = sqliteStatement(tx, "SELECT * FROM audits WHERE id = ?");
  const revisions = sqliteStatement(tx, "SELECT content FROM audit_revisions WHERE audit_id = ?");
  const history = (id: string) => (revisions.all(id) as { content: string }[]).map((r) => r.content);
  const same = (stored: AuditRow, a: Audit, auditedMs: number, auditedAtGiven: boolean) =>
    sameAsSomeRevision(stored, a, auditedMs, auditedAtGiven, history);
  const outcome = emptyOutcome();
  const addConflict = (row: number, id: string) => {
    if (outcome.conflictCount++ < PROBLEM_LIMIT) outcome.conflicts.push({ row, id });
  };
  return {
    invalid: (row, errors) => addInvalid(outcome, row, errors),
    forbidden: (row, auditor, problem) => addForbidden(outcome, row, auditor, problem),
    write(row, a, auditedMs, auditedAtGiven = true) {
      if (batchFailed(outcome)) {
        // Nothing more is written once the batch is doomed; still look for conflicts with stored audits.
        const stored = existing.get(a.id) as AuditRow | undefined;
        if (stored && !same(stored, a, auditedMs, auditedAtGiven)) addConflict(row, a.id);
        return;
      }
      const result = insert.run(
        a.id,
        a.decisionId,
        a.queue,
        a.moderator,
        a.auditor,
        a.outcome,
        a.errorType,
        a.severity,
        a.policy,
        a.market,
        a.decidedAt,
        a.auditedAt,
        auditedMs,
        a.sampleId,
        a.notes,
        a.correctPolicy,
        a.recordedBy,
        now,
      );
      if (result.changes === 1) {
        outcome.inserted++;
        return;
      }
      const stored = existing.get(a.id) as AuditRow;
      if (same(stored, a, auditedMs, auditedAtGiven)) outcome.duplicates++;
      else addConflict(row, a.id);
    },
    flush: async () => {},
    finish: async () => outcome,
    abort: async () => {},
  };
}

function postgresBatchWriter(tx: PostgresTransaction, now: number): BatchWriter {
  const outcome = emptyOutcome();
  const staging = new AuditStaging(tx);
  // Every row's place in the batch, refused ones included: the first refusal is where SQLite stops writing.
  let position = 0;
  let firstRefusal: number | undefined;
  return {
    invalid(row, errors) {
      firstRefusal ??= position;
      position++;
      addInvalid(outcome, row, errors);
    },
    forbidden(row, auditor, problem) {
      firstRefusal ??= position;
      position++;
      addForbidden(outcome, row, auditor, problem);
    },
    write: (row, a, auditedMs, auditedAtGiven = true) =>
      staging.add(position++, row, a, auditedMs, auditedAtGiven),
    flush: () => staging.flush(),
    async finish() {
      if (staging.size > 0) await lockAuditAppends(tx);
      const settled = await staging.settle(firstRefusal, now, PROBLEM_LIMIT);
      outcome.inserted = settled.inserted;
      outcome.duplicates = settled.duplicates;
      outcome.conflictCount = settled.conflictCount;
      outcome.conflicts = settled.conflicts;
      return outcome;
    },
    // Each COPY into the staging table ends within the call that started it: nothing is left open.
    abort: async () => {},
  };
}

export const GROUP_COLUMNS = {
  queue: "queue",
  moderator: "moderator",
  auditor: "auditor",
  policy: "policy",
  market: "market",
  sampleId: "sample_id",
} as const;
export type GroupField = keyof typeof GROUP_COLUMNS;

/** The report filter (declared beside the rollup reads, which this module's reports hand it to). */
export type { AuditFilter };

/** WHERE clause and parameters for a filter; `errorType` is left to the caller (it changes what counts). */
export function whereClause(filter: AuditFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter.fromMs !== undefined) {
    parts.push("audited_ms >= ?");
    params.push(filter.fromMs);
  }
  if (filter.toMs !== undefined) {
    parts.push("audited_ms < ?");
    params.push(filter.toMs);
  }
  for (const field of Object.keys(GROUP_COLUMNS) as GroupField[]) {
    const value = filter[field];
    if (value !== undefined) {
      parts.push(`${GROUP_COLUMNS[field]} = ?`);
      params.push(value);
    }
  }
  return { sql: parts.length > 0 ? `WHERE ${parts.join(" AND ")}` : "", params };
}

/**
 * The filter's conditions when listing audits (to join with more conditions by AND): `whereClause`'s, and
 * `errorType` as a condition (only errors of that type are listed), in the order of their parameters.
 */
export function listingConditions(filter: AuditFilter): { parts: string[]; params: unknown[] } {
  const where = whereClause(filter);
  const parts = where.sql ? [where.sql.slice("WHERE ".length)] : [];
  const params = [...where.params];
  if (filter.errorType) {
    parts.push("error_type = ?");
    params.push(filter.errorType);
  }
  return { parts, params };
}

/** SQL expression that is 1 for an audit that counts as an error under the filter, else 0. */
function errorExpression(filter: AuditFilter): { sql: string; params: unknown[] } {
  return filter.errorType
    ? { sql: "CASE WHEN error_type = ? THEN 1 ELSE 0 END", params: [filter.errorType] }
    : { sql: "CASE WHEN outcome = 'incorrect' THEN 1 ELSE 0 END", params: [] };
}

export interface GroupCounts {
  key: Record<string, string | null>;
  audited: number;
  errors: number;
}

/**
 * Audited and error counts per combination of the group fields (no group fields: one overall row), groups in
 * key order: bytewise, an absent value (NULL) first, on both backends. From the rollups when they can answer
 * (src/rollups/counts.ts), else from the rows; the answer is the same.
 */
export async function countByGroups(
  db: Db,
  filter: AuditFilter,
  groupBy: readonly GroupField[],
): Promise<GroupCounts[]> {
  const measures = [AUDITED, errorsMeasure(filter.errorType)];
  const rolledUp = await rollupGroupSums(db, filter, groupBy, measures);
  if (rolledUp) {
    const groups = rolledUp.map(({ key, sums }) => ({
      key: Object.fromEntries(groupBy.map((g, i) => [g, key[i]])),
      audited: sums[0],
      errors: sums[1],
    }));
    return groupBy.length === 0 && groups.length === 0 ? [{ key: {}, audited: 0, errors: 0 }] : groups;
  }
  const where = whereClause(filter);
  const error = errorExpression(filter);
  const columns = groupBy.map((g) => GROUP_COLUMNS[g]);
  const select = columns.map((c, i) => `${c} AS g${i}, `).join("");
  const group =
    columns.length > 0
      ? `GROUP BY ${columns.join(", ")} ORDER BY ${columns.map((c) => `${c} NULLS FIRST`).join(", ")}`
      : "";
  const sql = `SELECT ${select}COUNT(*) AS audited, COALESCE(SUM(${error.sql}), 0) AS errors FROM audits ${where.sql} ${group}`;
  const rows = await db.all<Record<string, unknown>>(sql, [...error.params, ...where.params]);
  return rows
    .filter((row) => (row.audited as number) > 0 || groupBy.length === 0)
    .map((row) => ({
      key: Object.fromEntries(groupBy.map((g, i) => [g, row[`g${i}`] as string | null])),
      audited: row.audited as number,
      errors: row.errors as number,
    }));
}

/** Quarter hours add up to local days, weeks and months in every time zone in use today (offsets are multiples of 15 min). */
export const QUARTER_HOUR_MS = 900_000;

/**
 * Audited and error counts under the filter per `bucketMs` slice of audited_ms (the slice's first instant,
 * floor, also before 1970: `%` truncates toward zero on both backends, hence the double modulo), in time order:
 * charts add quarter hours up to their periods in SQL's stead of visiting every audit (half the time at 80,000
 * audits: no row handed to JavaScript).
 */
export async function countByTimeBucket(
  db: Db,
  filter: AuditFilter,
  bucketMs: number,
): Promise<[bucket: number, audited: number, errors: number][]> {
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0)
    throw new RangeError("bucketMs must be a positive integer");
  const where = whereClause(filter);
  const error = errorExpression(filter);
  const sql = `SELECT audited_ms - ((audited_ms % ${bucketMs}) + ${bucketMs}) % ${bucketMs} AS bucket,
      COUNT(*), COALESCE(SUM(${error.sql}), 0)
    FROM audits ${where.sql} GROUP BY bucket ORDER BY bucket`;
  return db.values<[number, number, number]>(sql, [...error.params, ...where.params]);
}

/**
 * Calls `visit(auditedMs, isError)` for every audit under the filter in time order: the input of the
 * period bucketing for charts. Reads through the index that matches the filter, in batches (`db.each`), without
 * holding every row in memory.
 */
export async function forEachInTimeOrder(
  db: Db,
  filter: AuditFilter,
  visit: (ms: number, isError: number) => void,
): Promise<void> {
  const where = whereClause(filter);
  const error = errorExpression(filter);
  const sql = `SELECT audited_ms, ${error.sql} FROM audits ${where.sql} ORDER BY audited_ms`;
  await db.each<[number, number]>(sql, [...error.params, ...where.params], (row) => visit(row[0], row[1]));
}

/**
 * The audits under the filter one by one in time order (ties in arrival order, `seq`), at most `limit` of
 * them: `[id, auditedMs, isError]` rows, the items of a per-audit chart (Bernoulli CUSUM). The caller asks
 * for one more than it accepts to tell a full series from a cut one.
 */
export async function auditsInTimeOrder(
  db: Db,
  filter: AuditFilter,
  limit: number,
): Promise<[string, number, number][]> {
  const where = whereClause(filter);
  const error = errorExpression(filter);
  const sql = `SELECT id, audited_ms, ${error.sql} FROM audits ${where.sql} ORDER BY audited_ms, seq LIMIT ?`;
  return db.values<[string, number, number]>(sql, [...error.params, ...where.params, limit]);
}

/** The first and last `audited_ms` stored, or undefined without audits (two index probes: one each). */
export async function auditedTimeRange(db: Db): Promise<[number, number] | undefined> {
  // Two subqueries: each MIN or MAX alone is one index probe; together in one SELECT, SQLite scans the index.
  const [[first, last]] = await db.values<[number | null, number | null]>(
    "SELECT (SELECT MIN(audited_ms) FROM audits), (SELECT MAX(audited_ms) FROM audits)",
  );
  return first === null || last === null ? undefined : [first, last];
}

/** The largest audit seq stored (0 when there is none). */
export async function maxAuditSeq(db: Db): Promise<number> {
  return (await db.get<{ m: number }>("SELECT COALESCE(MAX(seq), 0) AS m FROM audits"))!.m;
}
