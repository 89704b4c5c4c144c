/** What the alerts page reads from the API (GET /v1/alerts, /v1/alert-rules, /v1/webhooks, the preview). */

export type Severity = "info" | "warning" | "critical";
export const SEVERITIES: readonly Severity[] = ["info", "warning", "critical"];

export interface Alert {
  id: string;
  ruleId: string;
  ruleName: string;
  severity: Severity;
  labels: Record<string, string | null>;
  state: "pending" | "firing" | "resolved";
  value: number | null;
  threshold: number | null;
  signal: string[] | null;
  /** The service's English summary (kept for API users; the page renders `evidence` instead). */
  summary: string;
  evidence: Record<string, unknown>;
  link: string | null;
  startsAt: string;
  firedAt: string | null;
  resolvedAt: string | null;
  resolution: string | null;
  acknowledged: boolean;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  ackNote: string | null;
}

export type ConditionKind = "chart" | "threshold" | "agreement" | "audit" | "auditor-accuracy";
export const CONDITION_KINDS: readonly ConditionKind[] = [
  "threshold",
  "chart",
  "agreement",
  "audit",
  "auditor-accuracy",
];

export interface Rule {
  id: string;
  name: string;
  scope: Record<string, string>;
  groupBy: string[];
  condition: { kind: ConditionKind; [field: string]: unknown };
  severity: Severity;
  pendingEvaluations: number;
  keepFiringEvaluations: number;
  repeatInterval: string | null;
  enabled: boolean;
  createdAt: string;
}

export interface Preview {
  days: number;
  evaluations: { date: string; firingCount: number }[];
  daysFiring: number;
  groupsFiring: number;
  alertsWouldOpen: number;
  note: "daily_evaluations" | "each_session" | "each_audit";
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  format: string;
  enabled: boolean;
  createdAt: string;
}

export interface Delivery {
  id: string;
  event: string;
  alertId: string | null;
  status: "pending" | "delivered" | "failed" | "dead";
  attemptCount: number;
  createdAt: string;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  redeliveryOf: string | null;
  attempts: {
    attempt: number;
    at: string;
    statusCode: number | null;
    latencyMs: number;
    error: string | null;
    outcome: string;
  }[];
}
