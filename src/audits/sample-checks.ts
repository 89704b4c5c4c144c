/**
 * Audits that name a sample are checked against it, whichever way they arrive (an upload in any format, or a
 * verdict on the workbench): the sample must exist, the decision must have been drawn in it, and the decision's
 * facts (queue, moderator, policy, market) must be the drawn decision's: filled from it when absent, refused
 * naming the field when they differ. An auditor key may not record on an item assigned to someone else, and
 * nobody audits a decision they moderated.
 */
import type { Db } from "../db/database.ts";
import { type DrawnDecision, drawnDecisions, existingSamples } from "../db/drawn-decisions.ts";
import { problems } from "../problems.ts";
import { isWellFormed } from "../unicode.ts";
import type { FieldError } from "./validate.ts";

/** Why a row naming a sample is refused: 400 (`invalid`) or 403 (`forbidden`). */
export type SampleRefusal =
  | { kind: "invalid"; errors: FieldError[] }
  | { kind: "forbidden"; auditor: string; problem: FieldError };

/** The decision's facts a row must agree with, filled from the drawn decision when the row leaves them empty. */
const FACTS = ["queue", "moderator", "policy", "market"] as const;

const absent = (value: unknown) => value === undefined || value === null || value === "";
/** A field's text when it is usable as a key: non-empty, well-formed (else validation names the field). */
const textOf = (value: unknown) =>
  typeof value === "string" && value !== "" && isWellFormed(value) ? value : undefined;

/**
 * One upload's checks. Records are looked at a chunk at a time: `prepare` loads what the chunk's records name
 * (sample existence is kept for the whole upload, drawn decisions for the chunk only, so memory stays bounded
 * whatever the upload's size), then `check` runs synchronously on each record in the reader's order.
 */
export class SampleChecks {
  private readonly samples = new Map<string, boolean>();
  private drawn = new Map<string, Map<string, DrawnDecision>>();

  /** `rater`: an auditor key's rater name (undefined for leads and admins, who may record for anyone). */
  constructor(
    private readonly db: Db,
    private readonly rater: string | undefined,
  ) {}

  /** Loads the samples and drawn decisions that `records` name. */
  async prepare(records: readonly unknown[]): Promise<void> {
    const wanted = new Map<string, Set<string>>();
    for (const record of records) {
      const named = sampleRef(record);
      if (!named) continue;
      let ids = wanted.get(named.sampleId);
      if (!ids) wanted.set(named.sampleId, (ids = new Set()));
      ids.add(named.decisionId);
    }
    this.drawn = new Map();
    if (wanted.size === 0) return;
    const unknown = [...wanted.keys()].filter((id) => !this.samples.has(id));
    const found = await existingSamples(this.db, unknown);
    for (const id of unknown) this.samples.set(id, found.has(id));
    for (const [sampleId, ids] of wanted) {
      if (this.samples.get(sampleId))
        this.drawn.set(sampleId, await drawnDecisions(this.db, sampleId, [...ids]));
    }
  }

  /**
   * Checks one record (of the chunk last prepared) and fills its absent facts from the drawn decision; returns
   * the refusal, or undefined when the record may go on to validation. Records naming no sample pass as they are.
   */
  check(record: unknown): SampleRefusal | undefined {
    const named = sampleRef(record);
    if (!named) return undefined;
    const row = record as Record<string, unknown>;
    if (!this.samples.get(named.sampleId)) {
      return invalid(problems.sampleNotFound(named.sampleId));
    }
    const drawn = this.drawn.get(named.sampleId)?.get(named.decisionId);
    if (!drawn) return invalid(problems.notDrawn(named.decisionId, named.sampleId));
    const errors: FieldError[] = [];
    for (const fact of FACTS) {
      const expected = drawn[fact];
      if (absent(row[fact])) {
        if (expected !== null) row[fact] = expected;
      } else if (row[fact] !== expected) {
        errors.push(problems.differsFromDrawn(fact, expected));
      }
    }
    if (absent(row.decidedAt) && drawn.decidedAt !== null) row.decidedAt = drawn.decidedAt;
    if (errors.length > 0) return { kind: "invalid", errors };
    const auditor = textOf(row.auditor);
    if (auditor === undefined) return undefined; // validation names the missing auditor
    if (this.rater !== undefined && drawn.auditor !== null && drawn.auditor !== this.rater) {
      return {
        kind: "forbidden",
        auditor,
        problem: problems.assignedToOther(named.decisionId, drawn.auditor),
      };
    }
    if (auditor === drawn.moderator) {
      return { kind: "forbidden", auditor, problem: problems.ownDecision(auditor) };
    }
    return undefined;
  }
}

function invalid(problem: FieldError): SampleRefusal {
  return { kind: "invalid", errors: [problem] };
}

/** The sample and decision a record names, when it names both as text. */
function sampleRef(record: unknown): { sampleId: string; decisionId: string } | undefined {
  if (record === null || typeof record !== "object") return undefined;
  const row = record as Record<string, unknown>;
  const sampleId = textOf(row.sampleId);
  const decisionId = textOf(row.decisionId);
  return sampleId !== undefined && decisionId !== undefined ? { sampleId, decisionId } : undefined;
}
