import { randomUUID } from "node:crypto";
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DirectCopyDeclined } from "../db/audit-copy.ts";
import { type BatchOutcome, type BatchWriter, batchFailed, createBatchWriter } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import { DomainError } from "../errors.ts";
import { problems, rowDetails } from "../problems.ts";
import { type Charset, decodeBody } from "../uploads/text-encoding.ts";
import { createReader, type Format, type RawRecord } from "./records.ts";
import { SampleChecks } from "./sample-checks.ts";
import { SuspectedDuplicates } from "./suspected-duplicates.ts";
import { validateAudit } from "./validate.ts";

/** Bodies up to this size stay in memory; larger ones are spooled to a temporary file. */
const MEMORY_SPOOL_BYTES = 8 * 1024 * 1024;
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * An upload received in full before anything is written, so the write transaction never waits for the client
 * (and may be run again on PostgreSQL after a serialization failure) while memory stays bounded for
 * million-row bodies.
 */
export class Spool {
  private chunks: Uint8Array[] = [];
  private bytes = 0;
  private fd: number | undefined;
  private file: string | undefined;

  /** `charset`: what the client declared (src/uploads/text-encoding.ts); undefined = UTF-8 or a BOM's. */
  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
    readonly charset: Charset | undefined,
  ) {}

  /**
   * A read-only view of a spool file written by another thread (the writer thread reads it this way). It has
   * no `file` of its own, so `dispose` only closes it: the file stays its owner's to remove.
   */
  static ofFile(file: string, bytes: number, charset: Charset | undefined): Spool {
    const spool = new Spool("", bytes, charset);
    spool.fd = openSync(file, "r");
    spool.bytes = bytes;
    return spool;
  }

  /** Receives the whole body; more than `maxBytes` → 413 (counted as it arrives, never buffered to count). */
  static async fromStream(
    body: AsyncIterable<Uint8Array> | null,
    dir: string,
    maxBytes: number,
    charset?: Charset,
  ): Promise<Spool> {
    const spool = new Spool(dir, maxBytes, charset);
    try {
      if (body) for await (const chunk of body) spool.add(chunk);
    } catch (error) {
      spool.dispose();
      throw clientWentAway(error)
        ? new DomainError(
            "invalid",
            "body_incomplete",
            "the request body was cut off before its end; nothing was stored",
          )
        : error;
    }
    return spool;
  }

  private add(chunk: Uint8Array): void {
    this.bytes += chunk.byteLength;
    if (this.bytes > this.maxBytes)
      throw new DomainError(
        "too_large",
        "payload_too_large",
        `request body is larger than ${this.maxBytes} bytes`,
      );
    if (this.fd === undefined && this.bytes <= MEMORY_SPOOL_BYTES) {
      this.chunks.push(chunk);
      return;
    }
    if (this.fd === undefined) {
      mkdirSync(this.dir, { recursive: true });
      this.file = join(this.dir, `upload-${randomUUID()}.tmp`);
      this.fd = openSync(this.file, "w+", 0o600);
      for (const earlier of this.chunks) writeSync(this.fd, earlier);
      this.chunks = [];
    }
    writeSync(this.fd, chunk);
  }

  get size(): number {
    return this.bytes;
  }

  /** The temporary file holding the body, when it outgrew memory. */
  get path(): string | undefined {
    return this.file;
  }

  /**
   * The body as text chunks in its charset (UTF-8 by default, a BOM removed). A body that is not in it (Excel's
   * plain "CSV" on Korean Windows is CP949) is refused naming its first bad line, never stored with U+FFFD.
   */
  text(): Generator<string> {
    return decodeBody(() => this.byteChunks(), this.charset);
  }

  /** The raw body, in the chunks it arrived in or in 1 MiB reads of the spool file. */
  private *byteChunks(): Generator<Uint8Array> {
    if (this.fd === undefined) {
      yield* this.chunks;
      return;
    }
    const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    let position = 0;
    for (;;) {
      const read = readSync(this.fd, buffer, 0, buffer.length, position);
      if (read === 0) return;
      position += read;
      yield buffer.subarray(0, read);
    }
  }

  dispose(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    if (this.file) rmSync(this.file, { force: true });
    this.fd = undefined;
    this.file = undefined;
    this.chunks = [];
  }
}

/** The client closed the connection mid-body (Node's "aborted", or a web stream's premature close). */
function clientWentAway(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ECONNRESET" || code === "ERR_STREAM_PREMATURE_CLOSE";
}

export function spoolDirectory(dataDir: string): string {
  return dataDir === ":memory:" ? tmpdir() : join(dataDir, "tmp");
}

function rowLabel(format: Format): string {
  return format === "csv" ? "line" : format === "ndjson" ? "line" : "index";
}

/**
 * Validates and stores every audit in the spooled body in one transaction of its own (IMMEDIATE on SQLite):
 * all of it or none. The writer thread's way; see `ingestAuditsInTransaction`.
 */
export function ingestAudits(
  db: Db,
  spool: Spool,
  format: Format,
  uploader: Uploader,
): Promise<{ inserted: number; duplicates: number }> {
  return db.transaction((tx) => ingestAuditsInTransaction(tx, spool, format, uploader));
}

/** Who uploads, and how their CSV is read. */
export interface Uploader {
  /** An auditor key's rater name: the upload may only hold that auditor's audits. Undefined for leads, admins. */
  rater: string | undefined;
  /** Stored as each audit's `recordedBy`: the rater, or the key's name. */
  recordedBy: string;
  /** The zone of a spreadsheet's local date-times in CSV rows (the request's `tz`, else MODQC_TZ). */
  timeZone: string;
  /** The client's `allowNewIds=true`: no 409 suspected_duplicate (./suspected-duplicates.ts). */
  allowNewIds: boolean;
}

/** Bodies of at least this size are first COPYed straight into audits on PostgreSQL (src/db/audit-copy.ts). */
const DIRECT_COPY_BYTES = 1024 * 1024;

/**
 * Validates and stores every audit in the spooled body inside the caller's transaction `tx`, which must roll
 * back when this throws (a group-commit job's savepoint does): all of it or none. An auditor key's upload may
 * only hold that auditor's own audits (`uploader.rater`). CSV rows whose verdict columns are all empty (the
 * audit template's rows left for later) are ignored. On PostgreSQL the transaction may run again after a
 * serialization failure: everything here starts afresh from the spool. A big body on PostgreSQL is first tried
 * through the direct COPY in a savepoint; when that declines (a refused row, an id met again) the savepoint rolls
 * back and the body is read again through the exact writer.
 */
export async function ingestAuditsInTransaction(
  tx: Db,
  spool: Spool,
  format: Format,
  uploader: Uploader,
): Promise<{ inserted: number; duplicates: number }> {
  const now = Date.now();
  if (tx.dialect === "postgres" && spool.size >= DIRECT_COPY_BYTES) {
    try {
      return await tx.transaction((attempt) =>
        ingestThrough(
          attempt,
          createBatchWriter(attempt, now, { directCopy: true }),
          spool,
          format,
          uploader,
          now,
          true,
        ),
      );
    } catch (error) {
      if (!(error instanceof DirectCopyDeclined)) throw error;
    }
  }
  return ingestThrough(tx, createBatchWriter(tx, now), spool, format, uploader, now);
}

/** The columns an auditor fills in the audit template (`GET /v1/samples/:id/items?template=audit`). */
const VERDICT_COLUMNS = ["outcome", "errorType", "severity", "correctPolicy", "notes"] as const;

/** A record that names a sample (checked by SampleChecks, which reads the drawn decisions). */
function namesSample(value: unknown): boolean {
  const sampleId = (value as { sampleId?: unknown } | null)?.sampleId;
  return sampleId !== undefined && sampleId !== null && sampleId !== "";
}

/** A CSV row of the audit template whose verdict columns were all left empty. */
function unfilledTemplateRow(value: unknown): boolean {
  const row = value as Record<string, unknown>;
  return (row.sampleId ?? "") !== "" && VERDICT_COLUMNS.every((column) => (row[column] ?? "") === "");
}

async function ingestThrough(
  tx: Db,
  writer: BatchWriter,
  spool: Spool,
  format: Format,
  uploader: Uploader,
  now: number,
  directCopy = false,
): Promise<{ inserted: number; duplicates: number }> {
  const { rater, recordedBy } = uploader;
  const mayWriteFor = rater === undefined ? () => true : (auditor: string) => auditor === rater;
  const csv = format === "csv" ? { timeZone: uploader.timeZone, now } : undefined;
  const checks = new SampleChecks(tx, rater);
  const suspected = uploader.allowNewIds ? undefined : new SuspectedDuplicates(tx, format === "csv");
  await suspected?.begin();
  let records = 0;
  // The reader's records of one chunk of text: checked against the samples they name once those are loaded.
  let chunk: RawRecord[] = [];
  const reader = createReader(format, (record) => {
    if (csv && record.error === undefined && unfilledTemplateRow(record.value)) return;
    records++;
    chunk.push(record);
  });
  const take = async () => {
    const taken = chunk;
    chunk = [];
    const values = taken.map((record) => record.value);
    // A direct COPY streams through the whole body and no read may run on its connection meanwhile (the read
    // would wait for the COPY, which waits for this loop): rows naming a sample need reads, so they decline it.
    if (directCopy && values.some(namesSample)) throw new DirectCopyDeclined("refused_row");
    await checks.prepare(values);
    // Under a direct COPY the suspected duplicates are looked for once it is done (foundAfterCopy below).
    if (!directCopy) await suspected?.prepare(values);
    for (const record of taken) {
      if (record.error !== undefined) {
        writer.invalid(record.row, [problems.unreadable(record.error)]);
        continue;
      }
      const refusal = checks.check(record.value);
      if (refusal?.kind === "invalid") {
        writer.invalid(record.row, refusal.errors);
        continue;
      }
      const result = validateAudit(record.value, csv);
      if (result.errors) writer.invalid(record.row, result.errors);
      else if (refusal) writer.forbidden(record.row, refusal.auditor, refusal.problem);
      else if (!mayWriteFor(result.audit.auditor)) writer.forbidden(record.row, result.audit.auditor);
      else if (suspected?.check(record.row, result.audit)) continue;
      else {
        result.audit.recordedBy = recordedBy;
        writer.write(record.row, result.audit, result.auditedMs, result.auditedAtGiven);
      }
    }
  };
  let outcome: BatchOutcome;
  try {
    for (const text of spool.text()) {
      reader.push(text);
      await take();
      await writer.flush();
    }
    reader.end();
    await take();
    if (records === 0) {
      throw new DomainError(
        "invalid",
        "empty_batch",
        "the body holds no audits (rows without a verdict are ignored)",
      );
    }
    outcome = await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  if (batchFailed(outcome)) throw rejection(outcome, format);
  // The exact path reads the stored audits per chunk and names the suspected rows.
  if (directCopy && (await suspected?.foundAfterCopy())) throw new DirectCopyDeclined("refused_row");
  const suspicion = suspected?.error(rowLabel(format));
  if (suspicion) throw suspicion;
  return { inserted: outcome.inserted, duplicates: outcome.duplicates };
}

function rejection(outcome: BatchOutcome, format: Format): DomainError {
  const unit = rowLabel(format);
  if (outcome.invalidCount > 0) {
    const details = outcome.invalid.flatMap(({ row, errors }) => rowDetails(row, errors));
    const rows = outcome.invalid.map((p) => p.row);
    return new DomainError(
      "invalid",
      "invalid_rows",
      `${outcome.invalidCount} invalid row(s), nothing was stored; first at ${unit} ${rows[0]}`,
      details,
    );
  }
  if (outcome.forbiddenCount > 0) {
    return new DomainError(
      "forbidden",
      "forbidden_rows",
      `${outcome.forbiddenCount} row(s) may not be written with this key (${unit} ${outcome.forbidden[0].row}: ${
        outcome.forbidden[0].problem?.message ??
        "an audit by another auditor; this key may only write its own"
      }). Nothing was stored.`,
      outcome.forbidden.flatMap(({ row, auditor, problem }) =>
        rowDetails(row, [{ ...(problem ?? problems.notOwnRater(auditor)), field: "auditor" }]),
      ),
    );
  }
  return new DomainError(
    "conflict",
    "conflicting_ids",
    `${outcome.conflictCount} audit id(s) already exist with different content; nothing was stored`,
    { ids: outcome.conflicts.map((c) => c.id), rows: outcome.conflicts },
  );
}
