import { forEachAuditSince, type ScanFilter } from "../../db/alert-scans.ts";
import type { AuditFilter } from "../../db/audits.ts";
import type { Db } from "../../db/database.ts";

/**
 * What one kind of kept scan is: how it is built from the stored audits, extended with audits stored later,
 * trimmed when its windows move on, and how many cells it holds. `Context` is what building and extending
 * need besides the audits (a chart scan's time zone).
 */
export interface ScanKind<Scan, Context> {
  /** A fresh scan of the audits under `filter` (its seq bound included) audited at or after `fromMs`. */
  build(db: Db, filter: ScanFilter, fromMs: number, context: Context): Promise<Scan>;
  /**
   * What adds one audit stored after the scan was taken (called in seq order; audits under the filter
   * audited before the scan's start are not passed).
   */
  extender(scan: Scan, context: Context): (values: (string | null)[], ms: number, isError: number) => void;
  /** Drops what lies before `fromMs` (later than the scan's start: the windows moved on). */
  trim(scan: Scan, fromMs: number): void;
  /** The cells the scan holds (what bounds its memory). */
  size(scan: Scan): number;
}

interface Entry<Scan> {
  scan: Scan;
  /** The scan includes every audit with seq ≤ this. */
  seq: number;
  /** The scan covers the audits audited at or after this instant. */
  fromMs: number;
  builtAt: number;
  usedAt: number;
}

/**
 * Scans kept between evaluations and brought up to date with the audits stored since (audits are only ever
 * added: ingest never changes or deletes one), so an evaluation after an ingest reads the new audits, not
 * every audit in the windows again. A scan is rebuilt when a rule needs an earlier start, at least every
 * 10 minutes (REBUILD_MS), and is not kept beyond MAX_CELLS cells; scans unused for 10 minutes are dropped.
 * Subclasses map rules to a key, filter and start (ChartScanCache, ThresholdScanCache).
 *
 * Why a kept scan holds exactly the audits with seq ≤ its `seq`, also when other connections or instances
 * write audits meanwhile:
 * - Every read is bounded by seq (`throughSeq`, the `maxAuditSeq` the caller read first), so an audit that
 *   commits between that read and the scan is left to the next extension instead of being counted twice.
 * - Seq is commit-ordered: SQLite has one writer at a time, and on PostgreSQL every transaction that inserts
 *   audits first takes the audit-append advisory lock (`lockAuditAppends`, held until it commits) and draws
 *   its seq values after it (the identity's default CACHE 1: no session holds a block of values). So once
 *   `maxAuditSeq` has returned M, no audit with seq ≤ M can commit later, and "seq above the last seen"
 *   misses nothing that another instance writes. Rolled-back inserts only leave gaps.
 * - The reads are plain statements outside any transaction, and an entry is replaced only after its reads
 *   have succeeded: nothing here is changed by work that might roll back or run again. An extension that
 *   fails half-way drops the entry (the next evaluation builds it afresh).
 * Callers run one scan of a key at a time (the engine evaluates serially).
 */
export class ScanCache<Scan, Context> {
  static readonly REBUILD_MS = 600_000;
  static readonly MAX_CELLS = 500_000;
  private readonly entries = new Map<string, Entry<Scan>>();

  constructor(private readonly kind: ScanKind<Scan, Context>) {}

  /**
   * The scan kept under `key` of the audits under `filter` audited at or after `fromMs`, current up to audit
   * seq `maxSeq`: the kept one extended with the audits stored since (and trimmed to `fromMs`) while it is
   * fresh, else a new one.
   */
  protected async kept(
    db: Db,
    key: string,
    filter: AuditFilter,
    fromMs: number,
    maxSeq: number,
    context: Context,
    clock: number,
  ): Promise<Scan> {
    let entry = this.entries.get(key);
    if (
      entry &&
      entry.fromMs <= fromMs &&
      clock - entry.builtAt < ScanCache.REBUILD_MS &&
      entry.seq <= maxSeq
    ) {
      if (entry.seq < maxSeq) {
        try {
          await forEachAuditSince(
            db,
            entry.seq,
            maxSeq,
            { ...filter, fromMs: entry.fromMs },
            this.kind.extender(entry.scan, context),
          );
        } catch (error) {
          this.entries.delete(key); // partly extended: no longer the audits up to any one seq
          throw error;
        }
        entry.seq = maxSeq;
      }
      if (entry.fromMs < fromMs) {
        this.kind.trim(entry.scan, fromMs);
        entry.fromMs = fromMs;
      }
    } else {
      const scan = await this.kind.build(db, { ...filter, throughSeq: maxSeq }, fromMs, context);
      entry = { scan, seq: maxSeq, fromMs, builtAt: clock, usedAt: clock };
    }
    entry.usedAt = clock;
    if (this.kind.size(entry.scan) <= ScanCache.MAX_CELLS) this.entries.set(key, entry);
    else this.entries.delete(key);
    return entry.scan;
  }

  /** Forgets the scan kept under `key`. */
  protected drop(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every kept scan (a new term as leader: another instance may have led meanwhile). */
  clear(): void {
    this.entries.clear();
  }

  /** Drops scans no rule has used for 10 minutes. */
  sweep(clock = Date.now()): void {
    for (const [key, entry] of this.entries)
      if (clock - entry.usedAt > ScanCache.REBUILD_MS) this.entries.delete(key);
  }
}
