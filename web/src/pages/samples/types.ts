import type { Notice } from "../planner/notices.tsx";

/** The parts of the samples API (GET /v1/samples, /v1/samples/{id}, /estimate) the samples pages read. */

/** Items of a sample or of one part of it: with an auditor, done, skipped, neither. */
export interface WorkCounts {
  assigned: number;
  done: number;
  skipped: number;
  todo: number;
}

interface SampleBase {
  id: string;
  name: string;
  population: string;
  populationName: string | null;
  populationCreatedAt: string;
  seed: string;
  n: number;
  plan: Record<string, unknown>;
  createdBy: string | null;
  createdAt: string;
}

export interface SampleSummary extends SampleBase {
  progress: WorkCounts & { unassigned: number };
}

export interface SampleDetail extends SampleBase {
  strata: ({
    key: string;
    size: number;
    n: number;
    expectedRate?: number;
    rateSource?: "expectedRates" | "history" | "default";
    audited: number;
  } & WorkCounts)[];
  notes: string[];
  notices: Notice[];
  progress: WorkCounts & {
    drawn: number;
    unassigned: number;
    unmatchedAudits: number;
    byAuditor: ({ auditor: string } & WorkCounts)[];
  };
  assignment: { auditors: string[]; assignedAt: string; assignedBy: string | null } | null;
}

interface Rate {
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

export interface SampleEstimate extends Rate {
  confidence: number;
  variance: number | null;
  drawn: number;
  audited: number;
  skipped: number;
  errors: number;
  coverage: { size: number; population: number; share: number };
  strata: ({
    key: string;
    size: number;
    drawn: number;
    audited: number;
    skipped: number;
    errors: number;
    weight: number | null;
    included: boolean;
  } & Rate)[];
  warnings: string[];
}

export const samplePath = (id: string) => `/v1/samples/${encodeURIComponent(id)}`;
export const sampleHref = (id: string) => `/samples/${encodeURIComponent(id)}`;
