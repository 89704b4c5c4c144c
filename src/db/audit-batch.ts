import type { Audit, FieldError } from "../audits/validate.ts";

/**
 * The audit batch writer's contract (implemented in src/db/audits.ts for SQLite and PostgreSQL's staged path,
 * and in src/db/audit-copy.ts for PostgreSQL's direct COPY): what a batch came to, and how rows are handed in.
 */

interface RowProblem {
  row: number;
  errors: FieldError[];
}

export interface BatchOutcome {
  inserted: number;
  duplicates: number;
  /** Rows that failed validation (the first `limit` of them). */
  invalid: RowProblem[];
  invalidCount: number;
  /** Ids already stored (or earlier in the batch) with different content. */
  conflicts: { row: number; id: string }[];
  conflictCount: number;
  /** Rows the caller may not write; `message` says why when it is not another auditor's audit (a sample's
   * assignment, a self-review). */
  /** `problem` says why when it is not the usual (an audit by another auditor than the key's rater). */
  forbidden: { row: number; auditor: string; problem?: FieldError }[];
  forbiddenCount: number;
}

/** The outcome of a batch before any row: nothing stored, nothing refused. */
export function emptyOutcome(): BatchOutcome {
  return {
    inserted: 0,
    duplicates: 0,
    invalid: [],
    invalidCount: 0,
    conflicts: [],
    conflictCount: 0,
    forbidden: [],
    forbiddenCount: 0,
  };
}

/** Whether the batch must be rolled back: a row was invalid, forbidden or conflicting. */
export function batchFailed(outcome: BatchOutcome): boolean {
  return outcome.invalidCount + outcome.conflictCount + outcome.forbiddenCount > 0;
}

/**
 * Stores a batch of validated audits inside the caller's transaction, rows given in order by the upload's
 * reader: `invalid` and `forbidden` count refused rows, `write` the others. Insertion stops at the first
 * problem (the caller rolls back); the rest is still checked so the answer lists every bad row. Call `flush`
 * between chunks of input and `finish` at the end: the outcome is complete once `finish` resolves.
 */
export interface BatchWriter {
  invalid(row: number, errors: FieldError[]): void;
  forbidden(row: number, auditor: string, problem?: FieldError): void;
  /** `auditedAtGiven` false: the row left auditedAt empty (see `sameAudit`). */
  write(row: number, audit: Audit, auditedMs: number, auditedAtGiven?: boolean): void;
  /** Hands the rows gathered so far to the database when there are enough of them (PostgreSQL). */
  flush(): Promise<void>;
  /** Writes what is left and resolves to the batch's outcome. */
  finish(): Promise<BatchOutcome>;
  /** Abandons the batch after an error of the caller's (a COPY in progress is ended); the caller rolls back. */
  abort(): Promise<void>;
}
