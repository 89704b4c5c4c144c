import type { Db } from "./open.ts";

interface Job {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const queues = new WeakMap<Db, (work: () => unknown) => Promise<unknown>>();

/**
 * Group commit. Write jobs submitted during one turn of the event loop run together in one IMMEDIATE
 * transaction, each inside its own savepoint (better-sqlite3 nests `db.transaction` that way), and every
 * promise settles only after that transaction has committed. A job that throws rolls back its savepoint
 * alone and its promise rejects; the others still commit. Under 50 concurrent one-audit POSTs this turns
 * 50 commits (each a WAL append of every B-tree page the audit touched) into one.
 *
 * Everything inside stays synchronous: a job must not await.
 */
export function groupCommit(db: Db): <T>(work: () => T) => Promise<T> {
  let submit = queues.get(db);
  if (!submit) {
    let pending: Job[] = [];
    const flush = () => {
      const jobs = pending;
      pending = [];
      // Each job's settlement waits for the commit.
      const settlements: (() => void)[] = [];
      try {
        db.transaction(() => {
          for (const job of jobs) {
            try {
              const value = db.transaction(job.work)();
              settlements.push(() => job.resolve(value));
            } catch (error) {
              settlements.push(() => job.reject(error));
            }
          }
        }).immediate();
      } catch (error) {
        // The commit itself failed (disk full, I/O error): nothing of this group is stored.
        for (const job of jobs) job.reject(error);
        return;
      }
      for (const settle of settlements) settle();
    };
    submit = (work) =>
      new Promise((resolve, reject) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push({ work, resolve, reject });
      });
    queues.set(db, submit);
  }
  return submit as <T>(work: () => T) => Promise<T>;
}
