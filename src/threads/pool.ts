import { Piscina } from "piscina";
import { StatsInputError, StatsTooExpensiveError } from "../../stats/errors.ts";
import { DomainError, type DomainErrorKind } from "../errors.ts";

export interface PoolOptions {
  /** The TypeScript module whose default export runs one task, as a URL (e.g. `new URL("./x.ts", import.meta.url)`). */
  module: URL;
  /** Values every worker of the pool receives (structured-clonable), read with `workerData` from piscina. */
  data?: Record<string, unknown>;
  maxThreads: number;
  /** Threads kept started (default 0: started on demand, ended after `idleTimeoutMs`). */
  minThreads?: number;
  /** Tasks waiting beyond this many are refused at once (piscina's "Task queue is at limit"). */
  maxQueue?: number;
  /**
   * Lowers the threads' scheduling priority (nice(2), through piscina's optional @napi-rs/nice) so that the
   * main thread, which answers every request and performs the writes, is never starved by pool work.
   */
  niceIncrement?: number;
  /** An idle worker is ended after this long; a new one starts on the next task. */
  idleTimeoutMs?: number;
}

/**
 * A pool of worker threads running one TypeScript module (piscina: a queue, a bounded number of threads,
 * tasks cancelled by an AbortSignal, which ends the worker running it). Workers start from
 * `src/threads/boot.mjs`, which loads the module through tsx, so the same code runs in and out of threads.
 */
export function createPool(options: PoolOptions): Piscina {
  return new Piscina({
    filename: new URL("./boot.mjs", import.meta.url).href,
    workerData: { ...options.data, module: options.module.href },
    minThreads: options.minThreads ?? 0,
    maxThreads: options.maxThreads,
    maxQueue: options.maxQueue ?? Number.POSITIVE_INFINITY,
    idleTimeout: options.idleTimeoutMs ?? 30_000,
    niceIncrement: options.niceIncrement,
  });
}

/**
 * What a task sends back: its result, or its error as plain data (a structured clone keeps only an Error's name
 * and message, so a DomainError would lose its kind, code and details).
 */
export type ThreadAnswer = { ok: unknown } | { error: ThreadError };

/** Runs a task's work on its thread and packs the outcome for the trip back (`unwrap` on the other side). */
export async function answer(work: () => unknown): Promise<ThreadAnswer> {
  try {
    return { ok: await work() };
  } catch (error) {
    return { error: toThreadError(error) };
  }
}

/** The result of a task's answer, or its error rethrown as the class it had on the thread. */
export function unwrap<T>(answer: ThreadAnswer): T {
  if ("error" in answer) throw fromThreadError(answer.error);
  return answer.ok as T;
}

interface ThreadError {
  kind: "domain" | "stats" | "too_expensive" | "other";
  domainKind?: DomainErrorKind;
  code?: string;
  message: string;
  details?: unknown;
  field?: string;
  limit?: number;
  alternatives?: readonly Record<string, unknown>[];
  stack?: string;
}

/** The error a thread reported, as the main thread throws it: a DomainError keeps its kind, code and details. */
function fromThreadError(error: ThreadError): Error {
  if (error.kind === "domain") {
    return new DomainError(error.domainKind!, error.code!, error.message, error.details);
  }
  if (error.kind === "too_expensive") {
    return new StatsTooExpensiveError(error.message, error.field ?? "", error.limit, error.alternatives);
  }
  if (error.kind === "stats") return new StatsInputError(error.message, error.field);
  const failure = new Error(error.message);
  if (error.stack) failure.stack = error.stack;
  return failure;
}

/** The other direction: any error thrown by a task, as data that survives the structured clone. */
function toThreadError(error: unknown): ThreadError {
  if (error instanceof DomainError) {
    const { kind: domainKind, code, message, details } = error;
    return { kind: "domain", domainKind, code, message, details };
  }
  if (error instanceof StatsTooExpensiveError) {
    const { message, field, limit, alternatives } = error;
    return { kind: "too_expensive", message, field, limit, alternatives };
  }
  if (error instanceof StatsInputError) return { kind: "stats", message: error.message, field: error.field };
  const failure = error instanceof Error ? error : new Error(String(error));
  return { kind: "other", message: failure.message, stack: failure.stack };
}
