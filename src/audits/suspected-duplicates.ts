/**
 * Round trips that cannot double count. Opening an audits export in a spreadsheet and saving it back changes ids
 * that look like numbers (`00002082` → `2082`, `315312345678` → `3.15312E+11`, a 19-digit id rounded to 15
 * digits); re-uploading such a file would store every audit a second time under its mangled id. So, unless the
 * client says `allowNewIds=true`, an upload is refused (409 `suspected_duplicate`, naming each row) when a row's
 * audit
 * - has an id that a spreadsheet could have made from the id of a stored audit of the same decision (the stored
 *   id is all digits and equals the uploaded number, or rounds or truncates to it), or is in E-notation at all
 *   in a CSV body (the spreadsheet path: JSON and NDJSON come from programs);
 * - or matches a stored audit on (sampleId, decisionId, auditor) under another id (no sample = no sample).
 * An audit whose id is stored for that decision is never suspected: it is a duplicate or a conflict, as before.
 *
 * Cost: the check reads only the stored audits of the decisions a chunk names (indexed), inside the upload's
 * transaction, and only those stored before the upload began (seq bound), so rows of the upload itself never
 * count, however it is chunked. PostgreSQL's direct COPY (src/db/audit-copy.ts) streams one COPY through the
 * whole body and no read may run on its connection meanwhile: there the check looks at the inserted rows
 * set-wise once the COPY is done (`foundAfterCopy`), and any suspicion declines the fast path, so the exact
 * path (staging, reads per chunk) names the rows.
 */
import { type AuditKey, auditKeysOfDecisions, someAuditPairAbove } from "../db/audit-keys.ts";
import { maxAuditSeq } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import { DomainError } from "../errors.ts";
import { type FieldProblem, problems, rowDetails } from "../problems.ts";

export const SUSPECTED_DUPLICATE_DESCRIPTION =
  "Round trips cannot double count: unless `allowNewIds=true`, an upload is refused with 409 `suspected_duplicate` (naming each row, `field: id`, and the stored id it collides with; nothing stored) when an audit's id looks like a spreadsheet's mangled copy of a stored audit's id of the same decision (the stored id is all digits, e.g. with leading zeros or more than 15 digits, and equals the uploaded number or rounds/truncates to it, as in `2082` for `00002082` or `3.15312E+11` for `315312345678`), when a CSV cell's id is in E-notation at all, or when an audit matches a stored one on (sampleId, decisionId, auditor) under another id. Re-sending an audit under its own id stays a duplicate.";

/** At most this many rows are named in the 409 (the count says how many there were). */
const NAMED_ROWS = 100;

const DIGITS = /^\d+$/;
const E_NOTATION = /^(\d+)(?:\.(\d+))?[eE]\+?(\d{1,3})$/;
/** Excel keeps 15 significant digits of a number. */
const SPREADSHEET_DIGITS = 15;

/** An uploaded id read as the number a spreadsheet wrote: the integer and the place of its last kept digit. */
interface SpreadsheetNumber {
  value: bigint;
  /** 10^(places a spreadsheet may have rounded or truncated away); 1 = the number is exact. */
  unit: bigint;
  /** The same double, for 16+ digit numbers a spreadsheet wrote in full binary precision. */
  double?: number;
}

/** The number `id` stands for when a spreadsheet could have written it, else undefined. */
function spreadsheetNumber(id: string): SpreadsheetNumber | undefined {
  if (DIGITS.test(id)) {
    const digits = id.replace(/^0+/, "") || "0";
    if (digits.length <= SPREADSHEET_DIGITS) return { value: BigInt(digits), unit: 1n };
    const significant = digits.replace(/0+$/, "").length;
    const dropped = significant <= SPREADSHEET_DIGITS ? digits.length - significant : 0;
    return { value: BigInt(digits), unit: 10n ** BigInt(dropped), double: Number(digits) };
  }
  const e = E_NOTATION.exec(id);
  if (!e) return undefined;
  const whole = e[1].replace(/^0+/, "");
  if (whole === "") return undefined; // 0.5E+3: not how a spreadsheet writes an integer
  const fraction = e[2] ?? "";
  const exponent = Number(e[3]);
  const magnitude = whole.length + exponent;
  const significant = (whole + fraction).replace(/0+$/, "");
  if (significant.length > magnitude || magnitude > 40) return undefined; // not an integer, or no id's size
  const unit = 10n ** BigInt(magnitude - significant.length);
  return { value: BigInt(significant) * unit, unit };
}

/** Whether a spreadsheet could have turned the stored id into the uploaded one. */
function mangledFrom(uploaded: SpreadsheetNumber, stored: string): boolean {
  if (!DIGITS.test(stored) || stored.length > 40) return false;
  const value = BigInt(stored);
  const difference = value > uploaded.value ? value - uploaded.value : uploaded.value - value;
  if (difference < uploaded.unit) return true;
  return uploaded.double !== undefined && Number(stored) === uploaded.double;
}

/** Why a row is suspected, with the stored audit's id it collides with ("" when there is none). */
interface Suspicion {
  row: number;
  problem: FieldProblem;
}

/**
 * One upload's check. `prepare` loads the stored audits of the decisions a chunk of records names; `check` runs
 * synchronously on each validated audit, in the reader's order. `error()` is the 409 to throw, if any.
 */
export class SuspectedDuplicates {
  /** Audits stored before the upload began have a seq up to this (`begin`). */
  private upToSeq = 0;
  private stored = new Map<string, AuditKey[]>();
  private readonly suspicions: Suspicion[] = [];
  private count = 0;

  /** `csv`: the body is a CSV (a spreadsheet's), where an E-notation id is suspect by itself. */
  constructor(
    private readonly db: Db,
    private readonly csv: boolean,
  ) {}

  /** Notes where the stored audits end; before the upload writes anything. */
  async begin(): Promise<void> {
    this.upToSeq = await maxAuditSeq(this.db);
  }

  /** Loads the stored audits of the decisions `records` name (raw records: before validation). */
  async prepare(records: readonly unknown[]): Promise<void> {
    const decisionIds = new Set<string>();
    for (const record of records) {
      const decisionId = (record as { decisionId?: unknown } | null)?.decisionId;
      if (typeof decisionId === "string" && decisionId !== "") decisionIds.add(decisionId);
    }
    this.stored = new Map();
    if (decisionIds.size === 0 || this.upToSeq === 0) return;
    for (const key of await auditKeysOfDecisions(this.db, [...decisionIds], this.upToSeq)) {
      const list = this.stored.get(key.decisionId);
      if (list) list.push(key);
      else this.stored.set(key.decisionId, [key]);
    }
  }

  /** Whether `audit` (at `row`) is suspected; a suspected row must not be written. */
  check(row: number, audit: AuditKey): boolean {
    const stored = this.stored.get(audit.decisionId) ?? [];
    if (stored.some((key) => key.id === audit.id)) return false;
    const problem = this.problemOf(audit, stored);
    if (!problem) return false;
    this.count++;
    if (this.suspicions.length < NAMED_ROWS) this.suspicions.push({ row, problem });
    return true;
  }

  /**
   * After a direct COPY of the whole upload (no `prepare` ran): whether any inserted audit is suspected, by the
   * same rules, against the audits stored before it.
   */
  async foundAfterCopy(): Promise<boolean> {
    if (this.count > 0) return true;
    if (this.upToSeq === 0) return false;
    return someAuditPairAbove(
      this.db,
      this.upToSeq,
      ({ inserted, stored }) => this.problemOf(inserted, [stored]) !== undefined,
    );
  }

  private problemOf(audit: AuditKey, stored: readonly AuditKey[]): FieldProblem | undefined {
    const number = spreadsheetNumber(audit.id);
    if (number) {
      const source = stored.find((key) => mangledFrom(number, key.id));
      if (source) return problems.mangledId(audit.id, source.id);
      if (this.csv && E_NOTATION.test(audit.id)) return problems.mangledId(audit.id, "");
    }
    const same = stored.find(
      (key) => key.auditor === audit.auditor && (key.sampleId ?? null) === (audit.sampleId ?? null),
    );
    return same ? problems.sameAuditOtherId(audit.id, same.id, audit.auditor) : undefined;
  }

  /** The 409 naming the suspected rows, or undefined when there were none. */
  error(unit: string): DomainError | undefined {
    if (this.count === 0) return undefined;
    const first = this.suspicions[0];
    return new DomainError(
      "conflict",
      "suspected_duplicate",
      `${this.count} audit(s) look like copies of stored audits under other ids (first at ${unit} ${first.row}: ${first.problem.message}); nothing was stored. Send the file again with allowNewIds=true if they are new audits.`,
      this.suspicions.flatMap(({ row, problem }) => rowDetails(row, [problem])),
    );
  }
}
