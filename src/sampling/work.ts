/**
 * The auditor's work queue (issue 13): an auditor's assigned items across samples, each with its decision's
 * values and context, its place among the auditor's items ("17 / 120"), its status and current verdict; and
 * per-sample counts. Who the caller is decides whose queue: an auditor key its own rater's, a lead or admin
 * key anyone's (`auditor` must then be named). Disputes' second reviews are listed by GET /v1/work/reviews
 * (src/feedback/disputes-review.ts); the summary counts them.
 */
import type { Db } from "../db/database.ts";
import { blindAuditIds } from "../db/disputes.ts";
import type { Role } from "../db/keys.ts";
import { parseContext } from "../db/populations.ts";
import {
  auditorPlaces,
  auditorSampleCounts,
  type SkipReason,
  type StoredVerdict,
  statusOf,
  type WorkRow,
  type WorkStatus,
  workPage,
} from "../db/work.ts";
import { DomainError, invalidField } from "../errors.ts";

/** The calling key, as far as the work queue cares. */
export interface Caller {
  role: Role;
  /** An auditor key's rater (its identity as an auditor); null for other roles. */
  rater: string | null;
  /** The key's name. */
  name: string;
}

/** An item's current verdict: the stored audit's latest revision, with its id. */
export interface Verdict extends StoredVerdict {
  auditId: string;
}

export interface WorkItem {
  sampleId: string;
  /** 1-based place among the items of the item's auditor in this sample (the whole sample when unassigned). */
  position: number;
  /** How many items of this sample the item's auditor has (the sample's size when unassigned). */
  auditorItems: number;
  /** 1-based place in the sample's draw order. */
  samplePosition: number;
  /** How many items the sample has. */
  sampleItems: number;
  decisionId: string;
  auditor: string | null;
  stratum: string;
  queue: string | null;
  moderator: string | null;
  label: string | null;
  policy: string | null;
  market: string | null;
  decidedAt: string | null;
  url: string | null;
  content: string | null;
  context: Record<string, string>;
  status: WorkStatus;
  skip: { reason: SkipReason; note: string | null; by: string | null; at: string | null } | null;
  verdict: Verdict | null;
}

/**
 * Rows as work items, numbered among their auditor's items: per (auditor, sample) in the rows, one count of
 * the auditor's items and one walk of the positions the rows span.
 */
export async function toWorkItems(db: Db, rows: readonly WorkRow[]): Promise<WorkItem[]> {
  const spans = new Map<string, { auditor: string; sampleId: string; from: number; to: number }>();
  for (const row of rows) {
    if (row.auditor === null) continue;
    const key = JSON.stringify([row.auditor, row.sampleId]);
    const span = spans.get(key);
    if (!span)
      spans.set(key, { auditor: row.auditor, sampleId: row.sampleId, from: row.position, to: row.position });
    else {
      span.from = Math.min(span.from, row.position);
      span.to = Math.max(span.to, row.position);
    }
  }
  const places = new Map<string, { total: number; ordinal: Map<number, number> }>();
  for (const [key, span] of spans) {
    const found = await auditorPlaces(db, span.auditor, span.sampleId, span.from, span.to);
    places.set(key, {
      total: found.total,
      ordinal: new Map(found.positions.map((position, i) => [position, found.before + i + 1])),
    });
  }
  return rows.map((row) => {
    const place = row.auditor === null ? undefined : places.get(JSON.stringify([row.auditor, row.sampleId]));
    return workItem(
      row,
      place?.ordinal.get(row.position) ?? row.position + 1,
      place?.total ?? row.sampleSize,
    );
  });
}

function workItem(row: WorkRow, position: number, auditorItems: number): WorkItem {
  return {
    sampleId: row.sampleId,
    position,
    auditorItems,
    samplePosition: row.position + 1,
    sampleItems: row.sampleSize,
    decisionId: row.decisionId,
    auditor: row.auditor,
    stratum: row.stratum,
    queue: row.queue,
    moderator: row.moderator,
    label: row.label,
    policy: row.policy,
    market: row.market,
    decidedAt: row.decidedAt,
    ...parseContext(row.context),
    status: statusOf(row),
    skip:
      row.skipReason === null
        ? null
        : { reason: row.skipReason, note: row.skipNote, by: row.skippedBy, at: row.skippedAt },
    verdict:
      row.auditId === null
        ? null
        : {
            auditId: row.auditId,
            auditor: row.verdictAuditor!,
            outcome: row.outcome!,
            errorType: row.errorType,
            severity: row.severity,
            correctPolicy: row.correctPolicy,
            notes: row.notes,
            revision: row.revision!,
            auditedAt: row.auditedAt!,
            recordedBy: row.recordedBy,
          },
  };
}

/**
 * Whose work the caller asks for: an auditor key's own (naming another auditor → 403); a lead or admin key
 * must name the auditor (400 otherwise).
 */
export function workOwner(caller: Caller, requested: string | undefined): string {
  if (caller.role === "auditor") {
    if (requested !== undefined && requested !== caller.rater) {
      throw new DomainError("forbidden", "forbidden", "an auditor key sees its own work only");
    }
    return caller.rater!;
  }
  if (requested === undefined) {
    throw invalidField("auditor", "is required for lead and admin keys: whose work?");
  }
  return requested;
}

interface Cursor {
  sampleId: string;
  position: number;
}

const encodeCursor = (row: Cursor) =>
  Buffer.from(JSON.stringify([row.sampleId, row.position]), "utf8").toString("base64url");

function decodeCursor(cursor: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === "string" &&
      Number.isSafeInteger(value[1]) &&
      value[1] >= 0
    ) {
      return { sampleId: value[0], position: value[1] };
    }
  } catch {
    // answered below
  }
  throw invalidField("cursor", "not a cursor from this API");
}

export interface WorkQuery {
  auditor?: string;
  sample?: string;
  status: WorkStatus | "all";
  cursor?: string;
  limit: number;
}

/** One page of the auditor's items, by sample then position, and the cursor of the next page (null: the last). */
export async function workQueue(
  db: Db,
  caller: Caller,
  query: WorkQuery,
): Promise<{ auditor: string; items: WorkItem[]; nextCursor: string | null }> {
  const auditor = workOwner(caller, query.auditor);
  const rows = await workPage(db, {
    auditor,
    sampleId: query.sample,
    status: query.status === "all" ? undefined : query.status,
    after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    limit: query.limit + 1,
  });
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const items = await toWorkItems(db, page);
  // An auditor key never sees a verdict it reviews blind as a dispute's second reviewer (issue 14).
  if (caller.role === "auditor") {
    const blind = await blindAuditIds(db, auditor);
    for (const item of items) if (item.verdict && blind.has(item.verdict.auditId)) item.verdict = null;
  }
  return { auditor, items, nextCursor: more ? encodeCursor(page[page.length - 1]) : null };
}

export interface SampleWork {
  sampleId: string;
  population: string;
  createdAt: string;
  /** The sample's size. */
  drawn: number;
  assigned: number;
  done: number;
  skipped: number;
  todo: number;
}

/** Per sample (by id), the auditor's items: assigned, done, skipped, todo; and their totals. */
export async function workSummary(
  db: Db,
  caller: Caller,
  requested: string | undefined,
): Promise<{
  auditor: string;
  samples: SampleWork[];
  totals: Omit<SampleWork, "sampleId" | "population" | "createdAt" | "drawn">;
  pendingReviews: number;
}> {
  const auditor = workOwner(caller, requested);
  const samples = (await auditorSampleCounts(db, auditor)).map((s) => ({
    sampleId: s.sampleId,
    population: s.population,
    createdAt: s.createdAt,
    drawn: s.drawn,
    assigned: s.assigned,
    done: s.done,
    skipped: s.skipped,
    todo: s.assigned - s.done - s.skipped,
  }));
  const sum = (field: "assigned" | "done" | "skipped" | "todo") => samples.reduce((n, s) => n + s[field], 0);
  return {
    auditor,
    samples,
    totals: { assigned: sum("assigned"), done: sum("done"), skipped: sum("skipped"), todo: sum("todo") },
    pendingReviews: (await blindAuditIds(db, auditor)).size,
  };
}
