/**
 * The task module of the writer thread (src/writer/writer.ts): runs one long write on the thread's own
 * connection. Errors come back as data (`answer`).
 */
import { workerData } from "piscina";
import type { Db } from "../db/database.ts";
import { openConnection } from "../db/open.ts";
import { answer, type ThreadAnswer } from "../threads/pool.ts";
import { runWrite, type WriteInput, type WriteKind } from "./tasks.ts";

let db: Db | undefined;

export default function write(task: {
  kind: WriteKind;
  input: WriteInput<WriteKind>;
}): Promise<ThreadAnswer> {
  const connection = (db ??= openConnection(workerData.database));
  return answer(() => runWrite(task.kind, task.input, connection));
}
