/*
 * The auditor's workbench: the work queue's shapes (`GET /v1/work`, `PUT …/verdict`) and the verdict form's
 * draft, with the pure pieces the page and its keyboard share.
 */

export const OUTCOMES = ["correct", "incorrect"] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** In the order their number keys choose them (1–4 after "incorrect"). */
export const ERROR_TYPES = ["false-positive", "false-negative", "wrong-policy", "other"] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];
export const SEVERITIES = [1, 2, 3, 4] as const;
/** In the order their number keys choose them (1–3 in the skip prompt). */
export const SKIP_REASONS = ["content-unavailable", "needs-specialist", "other"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
export type ItemStatus = "todo" | "done" | "skipped";

export interface Verdict {
  auditId: string;
  /** Whose verdict it is (the assigned auditor). */
  auditor: string;
  outcome: Outcome;
  errorType: ErrorType | null;
  severity: number | null;
  correctPolicy: string | null;
  notes: string | null;
  revision: number;
  auditedAt: string;
  /** Who entered it, when a lead recorded it for the auditor. */
  recordedBy: string | null;
}

export interface WorkItem {
  sampleId: string;
  /** 1-based position among the auditor's items in the sample: the 17 of `17 / 120`. */
  position: number;
  /** The auditor's items in the sample: the 120 of `17 / 120`. */
  auditorItems: number;
  /** 1-based position in the sample's draw order. */
  samplePosition: number;
  /** Items drawn in the sample. */
  sampleItems: number;
  decisionId: string;
  auditor: string | null;
  queue: string | null;
  moderator: string | null;
  /** The moderator's action. */
  label: string | null;
  policy: string | null;
  market: string | null;
  decidedAt: string | null;
  url: string | null;
  content: string | null;
  context: Record<string, string>;
  status: ItemStatus;
  skip: { reason: SkipReason; note: string | null; by: string | null; at: string | null } | null;
  verdict: Verdict | null;
}

export interface WorkPage {
  items: WorkItem[];
  nextCursor: string | null;
}

/** `GET /v1/work/summary`: per sample, the auditor's items. */
export interface SampleSummary {
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

/** What the form holds for one item until it is saved. */
export interface Draft {
  outcome: Outcome | null;
  errorType: ErrorType | null;
  severity: number | null;
  correctPolicy: string;
  notes: string;
}

export const EMPTY_DRAFT: Draft = {
  outcome: null,
  errorType: null,
  severity: null,
  correctPolicy: "",
  notes: "",
};

/** The verdict fields the API takes (`PUT …/verdict`), as the server holds them. */
export interface VerdictBody {
  outcome: Outcome;
  errorType?: ErrorType;
  severity?: number;
  correctPolicy?: string;
  notes?: string;
}

export function draftOf(verdict: Verdict | VerdictBody | null | undefined): Draft {
  if (!verdict) return EMPTY_DRAFT;
  return {
    outcome: verdict.outcome,
    errorType: verdict.errorType ?? null,
    severity: verdict.severity ?? null,
    correctPolicy: verdict.correctPolicy ?? "",
    notes: verdict.notes ?? "",
  };
}

/** The body of a saved verdict from the server's verdict (what undo goes back to). */
export function bodyOf(verdict: Verdict): VerdictBody {
  const body: VerdictBody = { outcome: verdict.outcome };
  if (verdict.errorType) body.errorType = verdict.errorType;
  if (verdict.severity) body.severity = verdict.severity;
  if (verdict.correctPolicy) body.correctPolicy = verdict.correctPolicy;
  if (verdict.notes) body.notes = verdict.notes;
  return body;
}

export type DraftProblem = "audit.invalid.outcome" | "audit.invalid.errorType";

/**
 * The request body for a draft, or what is missing. A correct verdict carries no error type, severity or
 * correct policy (the API refuses an error type on a correct verdict); empty texts are left out.
 */
export function verdictBody(draft: Draft): VerdictBody | DraftProblem {
  if (!draft.outcome) return "audit.invalid.outcome";
  if (draft.outcome === "correct") {
    const body: VerdictBody = { outcome: "correct" };
    if (draft.notes.trim()) body.notes = draft.notes;
    return body;
  }
  if (!draft.errorType) return "audit.invalid.errorType";
  const body: VerdictBody = { outcome: "incorrect", errorType: draft.errorType };
  if (draft.severity) body.severity = draft.severity;
  if (draft.correctPolicy.trim()) body.correctPolicy = draft.correctPolicy.trim();
  if (draft.notes.trim()) body.notes = draft.notes;
  return body;
}

/** Whether two verdict bodies say the same thing (a save that would change nothing). */
export function sameVerdict(a: VerdictBody | null, b: VerdictBody | null): boolean {
  if (!a || !b) return a === b;
  return (
    a.outcome === b.outcome &&
    (a.errorType ?? null) === (b.errorType ?? null) &&
    (a.severity ?? null) === (b.severity ?? null) &&
    (a.correctPolicy ?? "") === (b.correctPolicy ?? "") &&
    (a.notes ?? "") === (b.notes ?? "")
  );
}

/** A link is shown only for http and https addresses (never javascript:, data:, …). */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** `/v1/samples/{id}/items/{decisionId}` with both parts URL-encoded. */
export const itemPath = (sampleId: string, decisionId: string) =>
  `/v1/samples/${encodeURIComponent(sampleId)}/items/${encodeURIComponent(decisionId)}`;
