/**
 * The task module of the compute pool (src/compute/pool.ts): runs one task on this thread, with a read-only
 * connection to the serving database opened on first use (WAL: readers never wait for the writer).
 * Errors come back as data (`ThreadError`).
 */
import type { MessagePort } from "node:worker_threads";
import { workerData } from "piscina";
import { type Db, openConnection } from "../db/open.ts";
import { type ThreadError, toThreadError } from "../threads/pool.ts";
import { runTask, type TaskInput, type TaskKind } from "./tasks.ts";

export type ComputeAnswer = { ok: unknown } | { error: ThreadError };

let db: Db | undefined;
const connection = () => (db ??= openConnection(workerData.dbFile, { readonly: true }));

export interface ComputeTask {
  kind: TaskKind;
  input: TaskInput<TaskKind>;
  /** Told when the task starts, so that its time budget leaves out the wait for a thread. */
  started?: MessagePort;
}

export default function compute(task: ComputeTask): ComputeAnswer {
  task.started?.postMessage("started");
  task.started?.close();
  try {
    return { ok: runTask(task.kind, task.input, connection) };
  } catch (error) {
    return { error: toThreadError(error) };
  }
}
