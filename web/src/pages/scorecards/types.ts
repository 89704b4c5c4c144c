/* The scorecards' shapes as `GET /v1/scorecards` and `/v1/scorecards/{moderator}` answer (src/routes/scorecards.ts). */

export type Evidence = "above" | "below" | "across" | null;

export interface RateInterval {
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

export interface Shrunken {
  rate: number;
  lower: number;
  upper: number;
}

export interface Prior {
  alpha: number;
  beta: number;
  mean: number;
  method: "maximum-likelihood" | "jeffreys";
  bound: "none" | "no-overdispersion" | "extreme-overdispersion";
  groups: number;
  audits: number;
}

export interface Period {
  from: string;
  to: string;
  timeZone: string;
}

export interface Scorecard extends RateInterval {
  moderator: string;
  queue: string | null;
  period: Period;
  audited: number;
  errors: number;
  target: number;
  evidence: Evidence;
  shrunken: Shrunken | null;
  prior: (Prior & { queues: string[] }) | null;
  byType: {
    errorType: "false-positive" | "false-negative" | "wrong-policy" | "other";
    errors: number;
    share: number | null;
  }[];
  byPolicy: (RateInterval & { policy: string | null; audited: number; errors: number })[];
  byQueue: (RateInterval & {
    queue: string;
    audited: number;
    errors: number;
    target: number;
    evidence: Evidence;
    shrunken: Shrunken;
    prior: Prior;
  })[];
  trend: (RateInterval & { week: string; audited: number; errors: number })[];
  latestFindings: {
    auditId: string;
    decisionId: string;
    queue: string;
    policy: string | null;
    correctPolicy: string | null;
    errorType: "false-positive" | "false-negative" | "wrong-policy" | "other" | null;
    severity: number | null;
    notes: string | null;
    auditedAt: string;
    revision: number;
    auditor: string | null;
  }[];
}

export interface ScorecardRow extends RateInterval {
  moderator: string;
  audited: number;
  errors: number;
  target: number;
  evidence: Evidence;
  shrunken: Shrunken;
}

export interface ScorecardList {
  queue: string | null;
  period: Period;
  sort: "shrunken" | "raw";
  order: "asc" | "desc";
  prior: Prior | null;
  moderators: ScorecardRow[];
}

/** The period form's values as the API takes them (empty ones left out). */
export interface PeriodFilters {
  from: string;
  to: string;
  queue: string;
}

export const periodQuery = (filters: PeriodFilters): Record<string, string> =>
  Object.fromEntries(Object.entries(filters).filter(([, value]) => value.trim() !== "")) as Record<
    string,
    string
  >;
