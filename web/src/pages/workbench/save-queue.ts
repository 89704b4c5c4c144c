/*
 * The workbench's writes (verdicts, undos, skips), sent one at a time in the order they were made. A write
 * shows as saved only once the API answered 2xx. A network failure or a 5xx/408/429 keeps it pending and
 * retries it with exponential backoff (the verdict's audit id is derived from sample and item, so a resent PUT
 * is the same audit, never a second one); a 4xx drops it and keeps the error for the page to show. While any
 * write is pending, closing or reloading the page asks first (beforeunload).
 *
 * The queue lives in the module, not in a component: moving to another page of the dashboard does not lose
 * pending verdicts, and coming back shows them.
 */
import { ApiFailure } from "../../api.ts";
import type { VerdictBody, WorkItem } from "./types.ts";

export type WriteKind = "verdict" | "undo" | "skip" | "unskip";

export interface PendingWrite {
  readonly id: number;
  readonly sampleId: string;
  readonly decisionId: string;
  readonly kind: WriteKind;
  /** Sends the write; answers the item as the work queue now shows it. */
  readonly send: () => Promise<WorkItem & { changed?: boolean }>;
  attempts: number;
  /** When the next attempt is due (after a transient failure), in ms since the epoch. */
  retryAt: number | null;
  /** The transient failure being retried. */
  lastError: ApiFailure | null;
}

export interface FailedWrite {
  kind: WriteKind;
  error: unknown;
}

/** A verdict the auditor made this session, for undo: the verdict it replaced (null: it created the audit). */
export interface UndoEntry {
  /** The write that made the verdict: when the API refuses it, there is nothing to undo. */
  writeId: number;
  sampleId: string;
  decisionId: string;
  position: number;
  previous: VerdictBody | null;
  next: VerdictBody;
}

const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

/** 1 s, 2 s, 4 s, … up to 30 s, each ±20 % so many tabs coming back online do not retry in step. */
export function retryDelay(attempts: number, random = Math.random): number {
  const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(delay * (0.8 + 0.4 * random()));
}

/** Failures worth retrying: the network, timeouts, rate limits, and the server's own errors. */
export function isTransient(error: unknown): error is ApiFailure {
  return (
    error instanceof ApiFailure &&
    (error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500)
  );
}

const keyOf = (sampleId: string, decisionId: string) => `${sampleId}\u0000${decisionId}`;

class SaveQueue {
  private readonly writes: PendingWrite[] = [];
  private readonly listeners = new Set<() => void>();
  private running = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private nextId = 1;
  /** The item as the API last answered it after a write of this session. */
  private readonly saved = new Map<string, { item: WorkItem; at: number }>();
  /** The last write of an item that the API refused (4xx). */
  private readonly failed = new Map<string, FailedWrite>();
  /** What the server will hold once the queued writes of an item are through (while any are queued). */
  private readonly expected = new Map<string, VerdictBody | null>();
  private readonly undo = new Map<string, UndoEntry[]>();

  constructor() {
    if (typeof window === "undefined") return;
    window.addEventListener("beforeunload", (event) => {
      if (this.writes.length === 0) return;
      event.preventDefault();
      event.returnValue = ""; // older browsers need a value to ask
    });
    window.addEventListener("online", () => this.retryNow());
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Queues a write; `expected` is the verdict the item will hold after it (verdicts and undos). */
  add(
    write: Pick<PendingWrite, "sampleId" | "decisionId" | "kind" | "send">,
    expected?: VerdictBody | null,
  ): number {
    const key = keyOf(write.sampleId, write.decisionId);
    this.failed.delete(key);
    if (expected !== undefined) this.expected.set(key, expected);
    const id = this.nextId++;
    this.writes.push({ ...write, id, attempts: 0, retryAt: null, lastError: null });
    this.notify();
    void this.pump();
    return id;
  }

  /** Sends the write at the head of the queue now instead of at its backoff time. */
  retryNow(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.running || this.timer !== undefined) return;
    const head = this.writes[0];
    if (!head) return;
    this.running = true;
    head.retryAt = null;
    this.notify();
    const key = keyOf(head.sampleId, head.decisionId);
    try {
      const item = await head.send();
      this.writes.shift();
      this.saved.set(key, { item, at: Date.now() });
      // Once nothing more is on its way for the item, its answer is what the server holds.
      if (!this.writes.some((w) => keyOf(w.sampleId, w.decisionId) === key)) this.expected.delete(key);
    } catch (error) {
      if (isTransient(error)) {
        head.attempts += 1;
        head.lastError = error;
        const delay = retryDelay(head.attempts);
        head.retryAt = Date.now() + delay;
        this.timer = setTimeout(() => {
          this.timer = undefined;
          void this.pump();
        }, delay);
      } else {
        this.writes.shift();
        this.failed.set(key, { kind: head.kind, error });
        // What the server holds is no longer known from the queue: read it from the server's answer instead.
        this.expected.delete(key);
        const stack = this.undo.get(head.sampleId);
        if (stack)
          this.undo.set(
            head.sampleId,
            stack.filter((entry) => entry.writeId !== head.id),
          );
      }
    } finally {
      this.running = false;
      this.notify();
    }
    if (this.timer === undefined) void this.pump();
  }

  /** Writes not yet answered 2xx (in order), for one sample or all. */
  pending(sampleId?: string): readonly PendingWrite[] {
    return sampleId === undefined ? this.writes : this.writes.filter((w) => w.sampleId === sampleId);
  }

  pendingFor(sampleId: string, decisionId: string): PendingWrite | undefined {
    return this.writes.find((w) => w.sampleId === sampleId && w.decisionId === decisionId);
  }

  /** The item as the API answered the last write of this session, when that was after `since` (ms). */
  savedItem(sampleId: string, decisionId: string, since: number): WorkItem | undefined {
    const saved = this.saved.get(keyOf(sampleId, decisionId));
    return saved && saved.at > since ? saved.item : undefined;
  }

  failure(sampleId: string, decisionId: string): FailedWrite | undefined {
    return this.failed.get(keyOf(sampleId, decisionId));
  }

  /** The refused writes of a sample, by decision id. */
  failures(sampleId: string): (FailedWrite & { decisionId: string })[] {
    const prefix = keyOf(sampleId, "");
    return [...this.failed]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, failure]) => ({ ...failure, decisionId: key.slice(prefix.length) }));
  }

  /** The verdict the item will hold once its queued writes are through, when a write of this session set it. */
  expectedVerdict(sampleId: string, decisionId: string): VerdictBody | null | undefined {
    return this.expected.get(keyOf(sampleId, decisionId));
  }

  undoStack(sampleId: string): UndoEntry[] {
    let stack = this.undo.get(sampleId);
    if (!stack) this.undo.set(sampleId, (stack = []));
    return stack;
  }
}

export const saveQueue = new SaveQueue();
