/** An audit as a JSON page of GET /v1/audits lists it (the latest revision, and its drawn decision's page). */
export interface ListedAudit {
  id: string;
  decisionId: string;
  queue: string;
  moderator: string;
  auditor: string;
  outcome: "correct" | "incorrect";
  errorType: string | null;
  severity: number | null;
  policy: string | null;
  market: string | null;
  decidedAt: string | null;
  auditedAt: string;
  sampleId: string | null;
  notes: string | null;
  correctPolicy: string | null;
  recordedBy: string | null;
  revision: number;
  decisionUrl: string | null;
}

export interface AuditsPage {
  audits: ListedAudit[];
  nextCursor: string | null;
}

/** One revision of GET /v1/audits/{id}/history. */
export interface Revision {
  revision: number;
  outcome: "correct" | "incorrect";
  errorType: string | null;
  severity: number | null;
  correctPolicy: string | null;
  notes: string | null;
  changedBy: string | null;
  changedAt: string;
  reason: string | null;
}

/** The verdict fields a revision may change, in the order the history shows them. */
export const VERDICT_FIELDS = ["outcome", "errorType", "severity", "correctPolicy", "notes"] as const;
export type VerdictField = (typeof VERDICT_FIELDS)[number];
