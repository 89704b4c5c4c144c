import type { Db } from "./database.ts";
import { isRetryable } from "./postgres.ts";

interface Job {
  work: (tx: Db) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const queues = new WeakMap<Db, <T>(work: (tx: Db) => Promise<T>) => Promise<T>>();

/**
 * What every group's transaction runs first, outside the jobs' savepoints (e.g. taking a lock all jobs need).
 * One queue per database: the first call's `begin` holds for all.
 */
type Begin = (tx: Db) => Promise<void>;

/**
 * Group commit. Write jobs submitted during one turn of the event loop run together in one transaction,
 * each inside its own savepoint, and every promise settles only after that transaction has committed. A job
 * that throws rolls back its savepoint alone and its promise rejects; the others still commit. Under 50
 * concurrent one-audit POSTs this turns 50 commits (on SQLite each a WAL append of every B-tree page the audit
 * touched) into one. On PostgreSQL a serialization failure in any job runs the whole group again.
 *
 * One group at a time: jobs submitted while a group is being written wait for its commit and then go
 * together into the next, so groups grow with the load instead of queueing as many small transactions (on
 * PostgreSQL they would all wait on the audit-append lock, src/db/audits.ts).
 */
export function groupCommit(db: Db, begin?: Begin): <T>(work: (tx: Db) => Promise<T>) => Promise<T> {
  let submit = queues.get(db);
  if (!submit) {
    let pending: Job[] = [];
    let writing = false;
    const flush = async () => {
      writing = true;
      const jobs = pending;
      pending = [];
      // Each job's settlement waits for the commit.
      let settlements: (() => void)[] = [];
      try {
        await db.transaction(async (tx) => {
          settlements = [];
          await begin?.(tx);
          for (const job of jobs) {
            try {
              const value = await tx.transaction(job.work);
              settlements.push(() => job.resolve(value));
            } catch (error) {
              if (isRetryable(error)) throw error;
              settlements.push(() => job.reject(error));
            }
          }
        });
      } catch (error) {
        // The commit itself failed (disk full, I/O error, lost connection): nothing of this group is stored.
        settlements = jobs.map((job) => () => job.reject(error));
      } finally {
        writing = false;
        if (pending.length > 0) setImmediate(() => void flush());
      }
      for (const settle of settlements) settle();
    };
    submit = <T>(work: (tx: Db) => Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        if (pending.length === 0 && !writing) setImmediate(() => void flush());
        pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      });
    queues.set(db, submit);
  }
  return submit;
}
