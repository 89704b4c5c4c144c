/* The shapes of `GET /v1/auditors` (src/routes/auditors.ts) and the gold registry (src/routes/gold.ts). */

export const OUTCOMES = ["correct", "incorrect"] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const ERROR_TYPES = ["false-positive", "false-negative", "wrong-policy", "other"] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

/** Verdicts on gold slots and how many matched the known answer, with the two-sided Wilson interval. */
export interface AccuracyCell {
  gold: number;
  correct: number;
  accuracy: number;
  lower: number;
  upper: number;
}

export interface AuditorAccuracy extends AccuracyCell {
  auditor: string;
  /** By the gold's known error type; "none" when the decision was right. */
  byErrorType: ({ errorType: string } & AccuracyCell)[];
  byQueue: ({ queue: string | null } & AccuracyCell)[];
}

export interface AuditorAccuracyReport {
  period: { from: string; to: string; timeZone: string };
  confidence: number;
  method: "wilson";
  auditors: AuditorAccuracy[];
}

export interface GoldAnswer {
  outcome: Outcome;
  errorType: ErrorType | null;
  severity: number | null;
  correctPolicy: string | null;
}

export interface GoldItem {
  id: string;
  decisionId: string;
  queue: string;
  moderator: string;
  label: string | null;
  policy: string | null;
  market: string | null;
  decidedAt: string | null;
  url: string | null;
  content: string | null;
  context: Record<string, string>;
  answer: GoldAnswer;
  source: "manual" | "calibration";
  calibrationId: string | null;
  calibrationItem: string | null;
  notes: string | null;
  createdBy: string | null;
  createdAt: string;
  retiredAt: string | null;
  retiredBy: string | null;
  /** Samples it was placed in. */
  slots: number;
  /** Verdicts recorded on it (latest revisions). */
  verdicts: number;
  correct: number;
}

export interface GoldPage {
  items: GoldItem[];
  nextCursor: string | null;
}

/** A calibration session as `GET /v1/calibrations` lists it (no labels). */
export interface CalibrationSummary {
  id: string;
  name: string;
  status: "open" | "closed";
  items: number;
  goldItems: number;
  closedAt: string | null;
}

export type Label = string | number;

/** `GET /v1/calibrations/{id}`: the item ids, with their gold labels once closed. */
export interface CalibrationDetail extends CalibrationSummary {
  itemList: { id: string; gold?: Label | null }[];
}

/** A gold label as `POST /v1/gold` keys its answers: its text (as a CSV cell spells it), NFC-normalised. */
export const labelText = (label: Label): string =>
  typeof label === "number" ? String(label) : label.normalize("NFC");

/** What `POST /v1/samples/{id}/assign` answers about the gold it mixed in (leads only). */
export interface GoldPlacement {
  share: number;
  perAuditorMin: number;
  items: number;
  kept: number;
  byAuditor: { auditor: string; items: number }[];
}
