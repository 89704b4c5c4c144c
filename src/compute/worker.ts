/**
 * The task module of the compute pool (src/compute/pool.ts): runs one task on this thread, with a read-only
 * connection to the serving database opened on first use (WAL: readers never wait for the writer).
 * Errors come back as data (`answer`).
 */
import type { MessagePort } from "node:worker_threads";
import { workerData } from "piscina";
import { type Db, openConnection } from "../db/open.ts";
import { answer, type ThreadAnswer } from "../threads/pool.ts";
import { runTask, type TaskInput, type TaskKind } from "./tasks.ts";

let db: Db | undefined;
const connection = () => (db ??= openConnection(workerData.dbFile, { readonly: true }));

export interface ComputeTask {
  kind: TaskKind;
  input: TaskInput<TaskKind>;
  /** Told when the task starts, so that its time budget leaves out the wait for a thread. */
  started?: MessagePort;
}

export default function compute(task: ComputeTask): ThreadAnswer {
  task.started?.postMessage("started");
  task.started?.close();
  return answer(() => runTask(task.kind, task.input, connection));
}
