/**
 * The bulk write of a population upload's decisions into population_decisions (migration 5): the one place
 * where the two backends write differently, because it is the hot path of a ten-million-row upload.
 */
import { COPY_NULL, copyTextField, openCopy } from "./copy.ts";
import type { Db } from "./database.ts";
import { nextDecisionSeq } from "./populations.ts";
import { PostgresTransaction } from "./postgres.ts";
import { sqliteStatement } from "./sqlite.ts";

/**
 * Appends an upload's decisions, seq firstSeq, firstSeq + 1, … in the order they are added. `add` is
 * synchronous (the record reader's callback calls it); `flush` after each chunk of input hands the rows over
 * and waits while the database is behind; `end` writes the rest; `abort` abandons the write after an error
 * (the transaction then rolls back).
 */
export interface DecisionWriter {
  /** The seq of the first decision: the population owns firstSeq .. firstSeq + count − 1. */
  readonly firstSeq: number;
  add(
    id: string,
    queue: number,
    moderator: number,
    label: number,
    policy: number,
    market: number,
    decidedAt: string | null,
    extra: string | null,
    /** The decision's context for auditors as JSON text, or null (see ./populations.ts, `parseContext`). */
    context: string | null,
  ): void;
  flush(): Promise<void>;
  end(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * The decision writer of an upload's transaction: on SQLite multi-row INSERTs run synchronously as rows come,
 * on PostgreSQL one COPY streamed from the rows. Call first thing in the transaction: it takes the next seq
 * (`nextDecisionSeq`, which on PostgreSQL locks the table first).
 */
export async function createDecisionWriter(tx: Db): Promise<DecisionWriter> {
  const firstSeq = await nextDecisionSeq(tx);
  if (tx instanceof PostgresTransaction) return copyDecisionWriter(tx, firstSeq);
  return sqliteDecisionWriter(tx, firstSeq);
}

/** Columns of a decision row, in insert order: id, the five fixed codes, decided_at, extra, context. */
const DECISION_COLUMNS = 9;
const INSERT_COLUMNS =
  "INSERT INTO population_decisions (id, queue, moderator, label, policy, market, decided_at, extra, context) VALUES ";
const ROW_PLACEHOLDERS = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
/** Rows per multi-row INSERT: one statement call per 50 rows roughly halves the per-row binding overhead. */
const INSERT_BATCH = 50;
const INSERT_BATCH_SQL = INSERT_COLUMNS + new Array(INSERT_BATCH).fill(ROW_PLACEHOLDERS).join(", ");

/**
 * SQLite: INSERT_BATCH rows per prepared multi-row INSERT, run synchronously as they are added. seq is the
 * INTEGER PRIMARY KEY (rowid): an appended row gets MAX(seq) + 1, so the rows get firstSeq, firstSeq + 1, ….
 */
function sqliteDecisionWriter(tx: Db, firstSeq: number): DecisionWriter {
  const batch = sqliteStatement(tx, INSERT_BATCH_SQL);
  const params: unknown[] = new Array(INSERT_BATCH * DECISION_COLUMNS);
  let pending = 0;
  return {
    firstSeq,
    add(id, queue, moderator, label, policy, market, decidedAt, extra, context) {
      const o = pending * DECISION_COLUMNS;
      params[o] = id;
      params[o + 1] = queue;
      params[o + 2] = moderator;
      params[o + 3] = label;
      params[o + 4] = policy;
      params[o + 5] = market;
      params[o + 6] = decidedAt;
      params[o + 7] = extra;
      params[o + 8] = context;
      if (++pending === INSERT_BATCH) {
        batch.run(params);
        pending = 0;
      }
    },
    flush: async () => {},
    end: async () => {
      const one = sqliteStatement(tx, INSERT_COLUMNS + ROW_PLACEHOLDERS);
      for (let r = 0; r < pending; r++) {
        one.run(params.slice(r * DECISION_COLUMNS, (r + 1) * DECISION_COLUMNS));
      }
      pending = 0;
    },
    abort: async () => {},
  };
}

/**
 * PostgreSQL: one `COPY … FROM STDIN` (text format) on the transaction's connection, seq given explicitly
 * (the table has no sequence). Rows are collected as text between flushes; a flush writes them and waits until
 * the connection has taken them, so memory stays bounded whatever the upload's size.
 */
function copyDecisionWriter(tx: PostgresTransaction, firstSeq: number): DecisionWriter {
  const copy = openCopy(
    tx.client,
    "COPY population_decisions (seq, id, queue, moderator, label, policy, market, decided_at, extra, context) FROM STDIN",
  );
  let seq = firstSeq;
  let text = "";
  const flush = async () => {
    const chunk = text;
    text = "";
    await copy.write(chunk);
  };
  return {
    firstSeq,
    add(id, queue, moderator, label, policy, market, decidedAt, extra, context) {
      text += `${seq++}\t${copyTextField(id)}\t${queue}\t${moderator}\t${label}\t${policy}\t${market}\t${
        decidedAt === null ? COPY_NULL : copyTextField(decidedAt)
      }\t${extra ?? COPY_NULL}\t${context === null ? COPY_NULL : copyTextField(context)}\n`;
    },
    flush,
    end: async () => {
      await flush();
      await copy.end();
    },
    abort: () => copy.abort(),
  };
}
