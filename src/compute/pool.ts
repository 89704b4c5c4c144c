import { availableParallelism } from "node:os";
import { MessageChannel } from "node:worker_threads";
import type { Piscina } from "piscina";
import type { Db, DbLocation } from "../db/database.ts";
import { DomainError } from "../errors.ts";
import { createPool, type ThreadAnswer, unwrap } from "../threads/pool.ts";
import { runTask, type TaskInput, type TaskKind, type TaskResult } from "./tasks.ts";

/** Runs CPU-heavy calculators and reports (src/compute/tasks.ts). */
export interface Compute {
  run<K extends TaskKind>(kind: K, input: TaskInput<K>): Promise<TaskResult<K>>;
}

export interface ComputePoolOptions {
  /** Threads (default: the machine's available parallelism). */
  threads?: number;
  /** A task still running after this long is stopped (its thread ended) and answered 422 too_expensive. */
  timeoutMs: number;
  /** Tasks waiting for a thread beyond this many are answered 503 at once. */
  maxQueue?: number;
}

/**
 * Calculators and reports on a pool of worker threads, reports on the threads' own connections:
 * the main thread stays free for requests and writes, and both cores are used.
 */
export class ComputePool implements Compute {
  private readonly pool: Piscina;
  private readonly timeoutMs: number;
  private readonly threads: number;
  private closing = false;

  constructor(database: DbLocation, options: ComputePoolOptions) {
    this.timeoutMs = options.timeoutMs;
    this.threads = options.threads ?? availableParallelism();
    // Threads stay started: loading the task module takes a few hundred ms, which must not count against
    // a request's time budget.
    this.pool = createPool({
      module: new URL("./worker.ts", import.meta.url),
      data: { database },
      minThreads: this.threads,
      maxThreads: this.threads,
      maxQueue: options.maxQueue ?? 1000,
      niceIncrement: 5,
    });
  }

  /**
   * Resolves once every thread has loaded the task module (a trivial task each, outside any budget). Never
   * rejects: a pool closed meanwhile (shutdown) or a thread that cannot start shows on the first real task.
   */
  async warmUp(): Promise<void> {
    const trivial = { a: { count: 0, n: 1 }, b: { count: 0, n: 1 } };
    const tasks = Array.from({ length: this.threads }, () =>
      this.pool.run({ kind: "compare", input: trivial }),
    );
    await Promise.allSettled(tasks);
  }

  async run<K extends TaskKind>(kind: K, input: TaskInput<K>): Promise<TaskResult<K>> {
    // The budget counts from the moment a thread starts the task (it says so on `started`), not from the
    // wait in the queue or a replacement thread's start.
    const { port1: onStart, port2: started } = new MessageChannel();
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    onStart.once("message", () => {
      timer = setTimeout(() => abort.abort(), this.timeoutMs);
    });
    let answer: ThreadAnswer;
    try {
      answer = await this.pool.run(
        { kind, input, started },
        { signal: abort.signal, transferList: [started] },
      );
    } catch (error) {
      throw this.refusal(error);
    } finally {
      clearTimeout(timer);
      onStart.close();
    }
    return unwrap<TaskResult<K>>(answer);
  }

  close(): Promise<void> {
    this.closing = true;
    return this.pool.destroy();
  }

  private refusal(error: unknown): unknown {
    if (this.closing)
      return new DomainError("unavailable", "shutting_down", "the service is shutting down; retry shortly");
    const message = error instanceof Error ? error.message : "";
    if (error instanceof Error && (error.name === "AbortError" || /aborted/i.test(message))) {
      return new DomainError(
        "unprocessable",
        "too_expensive",
        `the calculation did not finish within its time budget of ${this.timeoutMs} ms; narrow the request`,
        [{ path: "", message: "time budget exceeded", limit: this.timeoutMs }],
      );
    }
    if (/queue is at limit/i.test(message)) {
      return new DomainError("unavailable", "overloaded", "too many calculations are waiting; retry shortly");
    }
    return error;
  }
}

/** The same tasks on the calling thread: for in-memory databases (tests), which other threads cannot open. */
export class InlineCompute implements Compute {
  constructor(private readonly db: Db) {}

  async run<K extends TaskKind>(kind: K, input: TaskInput<K>): Promise<TaskResult<K>> {
    return runTask(kind, input, () => this.db);
  }
}
