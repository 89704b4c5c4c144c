import type { Audit } from "../audits/validate.ts";
import { copyRows } from "./copy.ts";
import type { PostgresTransaction } from "./postgres.ts";

/**
 * PostgreSQL's side of the audit batch writer (`createBatchWriter` in src/db/audits.ts): the batch's rows are
 * staged, inserted with one statement and then classified set-wise, with the answer SQLite's row-by-row loop
 * gives (the rules are spelled out at `settle`).
 *
 * Staging: a batch of up to COPY_ROWS rows stays in memory and is sent as arrays (`unnest`) with its INSERT,
 * so one audit POSTed through the group commit costs one statement and no temporary table. A larger one is
 * COPYed into a temporary table COPY_ROWS rows at a time as the upload is read, so memory stays flat for a
 * million rows.
 */

/** Rows kept in memory before they are COPYed to the staging table; also the largest batch sent as arrays. */
const COPY_ROWS = 10_000;
const STAGING_TABLE = "modqc_audit_staging";

/** The staging columns: the audit's own, its event position and row number, and decided_at as epoch ms. */
const COLUMNS = [
  ["pos", "BIGINT"],
  ["row_no", "BIGINT"],
  ["id", "TEXT"],
  ["decision_id", "TEXT"],
  ["queue", "TEXT"],
  ["moderator", "TEXT"],
  ["auditor", "TEXT"],
  ["outcome", "TEXT"],
  ["error_type", "TEXT"],
  ["severity", "BIGINT"],
  ["policy", "TEXT"],
  ["market", "TEXT"],
  ["decided_at", "TEXT"],
  ["decided_ms", "BIGINT"],
  ["audited_at", "TEXT"],
  ["audited_ms", "BIGINT"],
  ["sample_id", "TEXT"],
  ["notes", "TEXT"],
  ["correct_policy", "TEXT"],
  ["recorded_by", "TEXT"],
  ["audited_given", "BOOLEAN"],
] as const;
const COLUMN_NAMES = COLUMNS.map(([name]) => name);
const AUDIT_COLUMNS = `id, decision_id, queue, moderator, auditor, outcome, error_type, severity, policy, market,
  decided_at, audited_at, audited_ms, sample_id, notes, correct_policy, recorded_by`;

/**
 * Epoch ms of a stored timestamp, exactly as `Date.parse` reads it. Stored timestamps passed the validator:
 * `YYYY-MM-DDTHH:MM[:SS[.fraction]](Z|±HH:MM)`, years 0000 to 9999, 24:00 allowed. PostgreSQL's own
 * `timestamptz` cannot stand in: it has no year 0 and rounds fractions to microseconds where V8 truncates them
 * to milliseconds. So the fields are added up: the date through `make_date` 400 years later (the Gregorian
 * calendar repeats every 400 years, 146,097 days), the fraction's first three digits, minus the offset.
 */
function epochMs(column: string): string {
  const number = (from: number, length: number) => `substr(${column}, ${from}, ${length})::int`;
  return `(((make_date(${number(1, 4)} + 400, ${number(6, 2)}, ${number(9, 2)}) - DATE '1970-01-01') - 146097)::bigint
      * 86400000 + ${number(12, 2)} * 3600000 + ${number(15, 2)} * 60000
    + COALESCE(substring(${column} from 'T\\d\\d:\\d\\d:(\\d\\d)')::int * 1000, 0)
    + COALESCE(rpad(substring(${column} from '\\.(\\d{1,3})'), 3, '0')::int, 0)
    - CASE WHEN right(${column}, 1) = 'Z' THEN 0
        ELSE CASE WHEN substr(${column}, length(${column}) - 5, 1) = '-' THEN -1 ELSE 1 END
          * (substr(${column}, length(${column}) - 4, 2)::int * 60 + right(${column}, 2)::int) * 60000 END)`;
}

/**
 * 1 when the stored audit `a` is the same audit as the staged row `s` (the rule of `sameAsSomeRevision` in
 * src/db/audits.ts: its latest verdict or, for a corrected audit, any earlier one in `audit_revisions`), else 0.
 */
const SAME_AUDIT = `CASE WHEN a.decision_id = s.decision_id AND a.queue = s.queue AND a.moderator = s.moderator
    AND a.auditor = s.auditor AND a.policy IS NOT DISTINCT FROM s.policy
    AND a.market IS NOT DISTINCT FROM s.market AND (NOT s.audited_given OR a.audited_ms = s.audited_ms)
    AND a.sample_id IS NOT DISTINCT FROM s.sample_id
    AND (CASE WHEN a.decided_at IS NOT DISTINCT FROM s.decided_at THEN 1
      WHEN a.decided_at IS NULL OR s.decided_at IS NULL THEN 0
      WHEN ${epochMs("a.decided_at")} = s.decided_ms THEN 1 ELSE 0 END) = 1
    AND ((a.outcome = s.outcome AND a.error_type IS NOT DISTINCT FROM s.error_type
        AND a.severity IS NOT DISTINCT FROM s.severity AND a.notes IS NOT DISTINCT FROM s.notes
        AND a.correct_policy IS NOT DISTINCT FROM s.correct_policy)
      OR (a.revision > 1 AND EXISTS (SELECT 1 FROM audit_revisions r, LATERAL (SELECT r.content::jsonb AS v) j
        WHERE r.audit_id = a.id AND j.v->>'outcome' = s.outcome
          AND j.v->>'errorType' IS NOT DISTINCT FROM s.error_type
          AND (j.v->>'severity')::bigint IS NOT DISTINCT FROM s.severity
          AND j.v->>'notes' IS NOT DISTINCT FROM s.notes
          AND j.v->>'correctPolicy' IS NOT DISTINCT FROM s.correct_policy)))
  THEN 1 ELSE 0 END`;

/** What a settled batch came to (the writer adds the refusals it counted itself). */
export interface Settled {
  inserted: number;
  duplicates: number;
  conflictCount: number;
  /** The first `limit` conflicting rows in row order. */
  conflicts: { row: number; id: string }[];
}

export class AuditStaging {
  private pending: unknown[][] = [];
  private copied = 0;
  private tableCreated = false;

  constructor(private readonly tx: PostgresTransaction) {}

  /** Rows staged so far. */
  get size(): number {
    return this.copied + this.pending.length;
  }

  /** Stages one validated audit; `position` counts every event of the batch (refusals too), in order. */
  add(position: number, row: number, a: Audit, auditedMs: number, auditedAtGiven: boolean): void {
    const decidedMs = a.decidedAt === null ? null : Date.parse(a.decidedAt);
    this.pending.push([
      position,
      row,
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
      decidedMs,
      a.auditedAt,
      auditedMs,
      a.sampleId,
      a.notes,
      a.correctPolicy,
      a.recordedBy,
      auditedAtGiven,
    ]);
  }

  /** COPYs the rows gathered so far once there are COPY_ROWS of them. */
  async flush(): Promise<void> {
    if (this.pending.length >= COPY_ROWS) await this.copyPending();
  }

  /**
   * Inserts the staged rows before position `firstRefusal` (the batch's first invalid or forbidden row, if
   * any) in position order, and classifies every staged row as SQLite's loop would have: rows are taken in
   * order until the first failure F (the first refusal, or the first row whose id is already stored with
   * different content); before F a row is inserted (id not stored yet) or a duplicate (stored, same audit);
   * from F on nothing is written and a row is a conflict when its id is stored with other content, "stored"
   * meaning stored before the batch or inserted by it before F. The caller holds the audit-append lock.
   *
   * One INSERT … ON CONFLICT DO NOTHING first; when it stored every row and nothing was refused (the common
   * case), that is the whole answer. Otherwise the staged rows are joined to the stored ones. A stored row
   * whose seq is at least the first one this INSERT drew came from this batch (from the first staged row of
   * its id); any other row this transaction sees was committed before its snapshot or written by it earlier,
   * so its seq was drawn before.
   */
  async settle(firstRefusal: number | undefined, now: number, limit: number): Promise<Settled> {
    if (this.size === 0) return { inserted: 0, duplicates: 0, conflictCount: 0, conflicts: [] };
    if (this.tableCreated || this.pending.length > COPY_ROWS) await this.copyPending();
    const cut = firstRefusal ?? Number.MAX_SAFE_INTEGER;
    const source = this.source();
    // The first seq this INSERT drew, rather than the largest one stored before it: reading the newest row,
    // which a concurrent upload may just have committed out of this snapshot's sight, is a read-write
    // dependency that turned concurrent single-audit POSTs into serialization failures.
    const written = await this.tx.get<{ inserted: number; first_seq: number | null }>(
      `WITH staging AS (${source.sql}),
      inserted AS (
        INSERT INTO audits (${AUDIT_COLUMNS}, ingested_at)
        SELECT ${AUDIT_COLUMNS}, ? FROM staging WHERE pos < ? ORDER BY pos
        ON CONFLICT (id) DO NOTHING RETURNING seq)
      SELECT COUNT(*) AS inserted, MIN(seq) AS first_seq FROM inserted`,
      [...source.params, now, cut],
    );
    const { inserted, first_seq: firstSeq } = written!;
    let settled: Settled;
    if (firstRefusal === undefined && inserted === this.size) {
      settled = { inserted, duplicates: 0, conflictCount: 0, conflicts: [] };
    } else {
      settled = await this.classify(source, firstSeq ?? Number.MAX_SAFE_INTEGER, cut, limit);
    }
    if (this.tableCreated) {
      // Dropped now rather than at commit: the group commit may run another upload in this transaction.
      await this.tx.run(`DROP TABLE ${STAGING_TABLE}`);
      this.tableCreated = false;
    }
    return settled;
  }

  private async classify(
    source: { sql: string; params: unknown[] },
    firstSeq: number,
    cut: number,
    limit: number,
  ): Promise<Settled> {
    // ref_pos: where the stored row a row is compared with came from: -1 before the batch, else the position
    // of the batch's first row of that id (ref_pos = pos: this row is the one inserted); NULL when nothing is
    // stored under the id (its first row lies past the cut).
    const result = await this.tx.get<{
      inserted: number;
      duplicates: number;
      conflict_count: number;
      conflicts: { row: number; id: string }[] | null;
    }>(
      `WITH staging AS (${source.sql}),
      firsts AS (SELECT id, MIN(pos) AS first_pos FROM staging GROUP BY id),
      refs AS (
        SELECT s.pos, s.row_no, s.id,
          CASE WHEN a.seq IS NULL THEN NULL WHEN a.seq >= ? THEN f.first_pos ELSE -1 END AS ref_pos,
          ${SAME_AUDIT} AS same
        FROM staging s JOIN firsts f ON f.id = s.id LEFT JOIN audits a ON a.id = s.id),
      failure AS (SELECT LEAST(?::bigint, MIN(pos) FILTER (WHERE ref_pos < pos AND same = 0)) AS pos FROM refs),
      conflicts AS (
        SELECT r.pos, r.row_no, r.id FROM refs r CROSS JOIN failure
        WHERE r.ref_pos < r.pos AND r.same = 0 AND r.ref_pos < failure.pos)
      SELECT
        COUNT(*) FILTER (WHERE r.ref_pos = r.pos AND r.pos < failure.pos) AS inserted,
        COUNT(*) FILTER (WHERE r.ref_pos < r.pos AND r.same = 1 AND r.pos < failure.pos) AS duplicates,
        (SELECT COUNT(*) FROM conflicts) AS conflict_count,
        (SELECT json_agg(json_build_object('row', c.row_no, 'id', c.id) ORDER BY c.pos)
          FROM (SELECT * FROM conflicts ORDER BY pos LIMIT ?) c) AS conflicts
      FROM refs r CROSS JOIN failure
      GROUP BY failure.pos`,
      [...source.params, firstSeq, cut, limit],
    );
    return {
      inserted: result!.inserted,
      duplicates: result!.duplicates,
      conflictCount: result!.conflict_count,
      conflicts: result!.conflicts ?? [],
    };
  }

  /** The staged rows as a query: the staging table, or the rows in memory as one array per column. */
  private source(): { sql: string; params: unknown[] } {
    if (this.tableCreated) return { sql: `SELECT * FROM ${STAGING_TABLE}`, params: [] };
    const arrays = COLUMNS.map(([, type]) => `?::${type}[]`).join(", ");
    return {
      sql: `SELECT * FROM unnest(${arrays}) AS s(${COLUMN_NAMES.join(", ")})`,
      params: COLUMNS.map((_, i) => this.pending.map((row) => row[i])),
    };
  }

  private async copyPending(): Promise<void> {
    if (!this.tableCreated) {
      const columns = COLUMNS.map(([name, type]) => `${name} ${type === "TEXT" ? 'TEXT COLLATE "C"' : type}`);
      await this.tx.run(`CREATE TEMP TABLE ${STAGING_TABLE} (${columns.join(", ")}) ON COMMIT DROP`);
      this.tableCreated = true;
    }
    await copyRows(this.tx.client, STAGING_TABLE, COLUMN_NAMES, this.pending);
    this.copied += this.pending.length;
    this.pending = [];
  }
}
