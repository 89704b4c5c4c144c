/**
 * The task module of the writer thread (src/writer/writer.ts): runs one long write on the thread's own
 * connection. Errors come back as data (`ThreadError`): a structured clone would drop a DomainError's kind,
 * code and details.
 */
import { workerData } from "piscina";
import { type Db, openConnection } from "../db/open.ts";
import { type ThreadError, toThreadError } from "../threads/pool.ts";
import { runWrite, type WriteInput, type WriteKind } from "./tasks.ts";

export type WriteAnswer = { ok: unknown } | { error: ThreadError };

let db: Db | undefined;

export default function write(task: { kind: WriteKind; input: WriteInput<WriteKind> }): WriteAnswer {
  db ??= openConnection(workerData.dbFile, { synchronous: workerData.synchronous });
  try {
    return { ok: runWrite(task.kind, task.input, db) };
  } catch (error) {
    return { error: toThreadError(error) };
  }
}
