/**
 * The task module of the compute pool (src/compute/pool.ts): runs one task on this thread, with a connection
 * of its own to the serving database opened on first use (SQLite: read-only, and WAL readers never wait for
 * the writer; PostgreSQL: a small pool).
 * Errors come back as data (`answer`).
 */
import type { MessagePort } from "node:worker_threads";
import { workerData } from "piscina";
import type { Db } from "../db/database.ts";
import { openConnection } from "../db/open.ts";
import { answer, type ThreadAnswer } from "../threads/pool.ts";
import { runTask, type TaskInput, type TaskKind } from "./tasks.ts";

let db: Db | undefined;
const connection = () => (db ??= openConnection(workerData.database, { readonly: true }));

export interface ComputeTask {
  kind: TaskKind;
  input: TaskInput<TaskKind>;
  /** Told when the task starts, so that its time budget leaves out the wait for a thread. */
  started?: MessagePort;
}

export default function compute(task: ComputeTask): Promise<ThreadAnswer> {
  task.started?.postMessage("started");
  task.started?.close();
  return answer(() => runTask(task.kind, task.input, connection));
}
