import type { Audit } from "../audits/validate.ts";
import { type BatchWriter, emptyOutcome } from "./audit-batch.ts";
import { COPY_NULL, type CopyStream, copyTextField, openCopy } from "./copy.ts";
import type { PostgresTransaction } from "./postgres.ts";

/**
 * PostgreSQL's fast path for a big upload: its rows COPYed straight into `audits` while the body is still being
 * read, so the server inserts (its index maintenance is most of a bulk load's cost) while Node parses and
 * validates, instead of afterwards from a staging table (src/db/audit-staging.ts).
 *
 * It bets on the common case: every row is valid, allowed and new. Anything else (a refused row, or an id
 * already stored or repeated in the batch: the COPY fails on the unique index) throws `DirectCopyDeclined`;
 * the caller, which ran this inside a savepoint, rolls back and writes the batch again through staging, whose
 * set-wise classification is the one exact answer (duplicates, conflicts and their rows). A retried upload
 * therefore pays for one declined attempt, which ends at the first stored id.
 */
export class DirectCopyDeclined extends Error {
  constructor(readonly reason: "refused_row" | "stored_id") {
    super(`direct COPY declined: ${reason}`);
  }
}

/** Formatted rows are handed to the COPY stream (one chunk in flight at a time) once they reach this length. */
const CHUNK_CHARS = 256 * 1024;

const COPY_SQL = `COPY audits (id, decision_id, queue, moderator, auditor, outcome, error_type, severity, policy,
  market, decided_at, audited_at, audited_ms, sample_id, notes, correct_policy, recorded_by, ingested_at) FROM STDIN`;

const field = (value: string | null) => (value === null ? COPY_NULL : copyTextField(value));

/**
 * The batch writer of the fast path. `lock` takes the audit-append lock (src/db/audits.ts) before the first
 * row goes in, so the rows draw their seq in commit order like every other insert.
 */
export function directCopyWriter(
  tx: PostgresTransaction,
  now: number,
  lock: () => Promise<void>,
): BatchWriter {
  let copy: CopyStream | undefined;
  let text = "";
  let rows = 0;
  let refused = false;

  const send = async () => {
    if (refused) {
      await copy?.abort();
      throw new DirectCopyDeclined("refused_row");
    }
    if (!copy) {
      await lock();
      copy = openCopy(tx.client, COPY_SQL);
    }
    const chunk = text;
    text = "";
    // The body is read and parsed synchronously and a socket write that does not fill the kernel's buffer
    // completes at once, so without this turn of the event loop the server's report of a stored id (sent as
    // soon as the COPY meets it) would wait to be read until the whole body was parsed.
    await new Promise(setImmediate);
    try {
      await copy.write(chunk);
    } catch (error) {
      throw declinedOnStoredId(error);
    }
  };

  return {
    invalid: () => {
      refused = true;
    },
    forbidden: () => {
      refused = true;
    },
    write(_row: number, a: Audit, auditedMs: number) {
      if (refused) return;
      rows++;
      text += `${field(a.id)}\t${field(a.decisionId)}\t${field(a.queue)}\t${field(a.moderator)}\t${field(
        a.auditor,
      )}\t${a.outcome}\t${field(a.errorType)}\t${a.severity ?? COPY_NULL}\t${field(a.policy)}\t${field(
        a.market,
      )}\t${field(a.decidedAt)}\t${field(a.auditedAt)}\t${auditedMs}\t${field(a.sampleId)}\t${field(
        a.notes,
      )}\t${field(a.correctPolicy)}\t${field(a.recordedBy)}\t${now}\n`;
    },
    async flush() {
      if (refused || text.length >= CHUNK_CHARS) await send();
    },
    async finish() {
      await send();
      try {
        await copy!.end();
      } catch (error) {
        throw declinedOnStoredId(error);
      }
      return { ...emptyOutcome(), inserted: rows };
    },
    abort: async () => {
      await copy?.abort();
    },
  };
}

/** A unique violation (an id stored already, or twice in the batch) declines the fast path; others propagate. */
function declinedOnStoredId(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code === "23505" ? new DirectCopyDeclined("stored_id") : error;
}
