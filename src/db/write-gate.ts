import type { Db } from "./database.ts";

/**
 * Who may write to the database now: the main thread's writers together, or one bulk writer in a worker
 * thread alone.
 *
 * SQLite has one write lock per database file. A bulk upload written by a worker thread holds it for seconds;
 * a synchronous write on the main thread meanwhile would wait inside better-sqlite3's busy handler and freeze
 * the event loop (and fail after `busy_timeout`). So writers on the main thread take a shared turn
 * (`shared`), the bulk writer takes an exclusive one (`exclusive`): it starts when every shared turn has ended,
 * and shared turns requested after it wait until it has finished (no starvation of the bulk writer). Reads
 * never take a turn: WAL lets them run beside the writer.
 *
 * Background writers that cannot wait in a request (alert evaluation, webhook bookkeeping) check `busy`
 * right before they write and defer when it is set.
 *
 * PostgreSQL has no such lock (concurrent transactions, row locks): its gate lets everyone through at once.
 */
export class WriteGate {
  private sharedHolders = 0;
  private exclusiveHeld = false;
  /** Exclusive turns waiting, in arrival order; shared turns wait while any is queued. */
  private readonly exclusiveQueue: (() => void)[] = [];
  /** Shared turns and `idle()` callers waiting for the exclusive turns to be over. */
  private waiters: (() => void)[] = [];

  /** True while a bulk writer holds (or is about to take) the database's write lock. */
  get busy(): boolean {
    return this.exclusiveHeld;
  }

  /** Runs `work` in a shared turn: beside other main-thread writers, never during a bulk write. */
  async shared<T>(work: () => Promise<T> | T): Promise<T> {
    while (this.exclusiveHeld || this.exclusiveQueue.length > 0) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.sharedHolders++;
    try {
      return await work();
    } finally {
      this.sharedHolders--;
      this.wake();
    }
  }

  /** Runs `work` alone: after every shared turn has ended, with new shared turns held back until it settles. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.exclusiveHeld || this.sharedHolders > 0 || this.exclusiveQueue.length > 0) {
      await new Promise<void>((resolve) => {
        this.exclusiveQueue.push(resolve);
      });
    } else {
      this.exclusiveHeld = true;
    }
    try {
      return await work();
    } finally {
      this.exclusiveHeld = false;
      this.wake();
    }
  }

  /** Resolves when no bulk writer holds the gate (at once if none does). Re-check `busy` after awaiting. */
  idle(): Promise<void> {
    if (!this.exclusiveHeld) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Hands the gate on: to the next exclusive turn once no shared turn is left, else to every shared waiter. */
  private wake(): void {
    if (this.exclusiveHeld) return;
    if (this.exclusiveQueue.length > 0) {
      if (this.sharedHolders > 0) return;
      // Taken synchronously, so no shared turn can slip in between the hand-over and the bulk write.
      this.exclusiveHeld = true;
      this.exclusiveQueue.shift()!();
      return;
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

const gates = new WeakMap<Db, WriteGate>();

/** The gate of PostgreSQL databases: every turn at once. */
const OPEN_GATE: Pick<WriteGate, "busy" | "shared" | "exclusive" | "idle"> = {
  busy: false,
  shared: async (work) => work(),
  exclusive: (work) => work(),
  idle: () => Promise.resolve(),
};

/** The gate of a database connection (one per connection, shared by everything that writes through it). */
export function writeGate(db: Db): Pick<WriteGate, "busy" | "shared" | "exclusive" | "idle"> {
  if (db.dialect === "postgres") return OPEN_GATE;
  let gate = gates.get(db);
  if (!gate) {
    gate = new WriteGate();
    gates.set(db, gate);
  }
  return gate;
}
