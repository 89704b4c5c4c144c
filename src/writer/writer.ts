import type { Piscina } from "piscina";
import type { Db } from "../db/database.ts";
import { writeGate } from "../db/write-gate.ts";
import { createPool, unwrap } from "../threads/pool.ts";
import { runWrite, type WriteInput, type WriteKind, type WriteResult } from "./tasks.ts";

/** Runs a long write (src/writer/tasks.ts) and resolves after its commit. */
export interface Writer {
  write<K extends WriteKind>(kind: K, input: WriteInput<K>): Promise<WriteResult<K>>;
}

/**
 * Long writes (a million-row audit upload, a ten-million-row population, a draw over it: seconds each) on a
 * thread with its own connection, so that parsing, validating and inserting do not stop the main thread from
 * answering other requests. Each runs in the write gate's exclusive turn (src/db/write-gate.ts): SQLite has
 * one writer, and main-thread writers must not meet its lock.
 */
export class WriterThread implements Writer {
  private readonly pool: Piscina;

  constructor(private readonly db: Db) {
    this.pool = createPool({
      module: new URL("./worker.ts", import.meta.url),
      data: { database: db.location },
      maxThreads: 1,
      idleTimeoutMs: 60_000,
      niceIncrement: 5,
    });
  }

  write<K extends WriteKind>(kind: K, input: WriteInput<K>): Promise<WriteResult<K>> {
    return writeGate(this.db).exclusive(async () =>
      unwrap<WriteResult<K>>(await this.pool.run({ kind, input })),
    );
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}

/**
 * The same writes on the calling thread, in a shared turn: for in-memory databases (tests), which another
 * thread cannot open, and for bodies small enough to stay in memory.
 */
export class InlineWriter implements Writer {
  constructor(private readonly db: Db) {}

  write<K extends WriteKind>(kind: K, input: WriteInput<K>): Promise<WriteResult<K>> {
    return writeGate(this.db).shared(() => runWrite(kind, input, this.db));
  }
}
