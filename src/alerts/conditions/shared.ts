import type { AuditFilter } from "../../db/audits.ts";
import type { Rule } from "../rules.ts";

/**
 * Condition evaluation: turns a rule and the stored audits (or a closed calibration's agreement) into one
 * outcome per group. Groups without an outcome (no data, too few audits, no audits in the latest period)
 * count as clear evaluations for their open alerts. One file per condition kind (chart.ts, threshold.ts,
 * agreement.ts); this one holds what they share.
 */

export const DAY_MS = 86_400_000;

/** The group fields of a scan cell's values, in the order the evaluator's audit queries return them. */
export const CELL_FIELDS = ["queue", "moderator", "auditor", "policy", "market"] as const;
export const CELL_INDEX = new Map<string, number>(CELL_FIELDS.map((f, i) => [f, i]));

/** A map key for a tuple of group values (null kept apart from every string). */
export const cellKey = (values: readonly (string | null)[]) =>
  values.map((v) => (v === null ? "\u0001" : v)).join("\u0000");

export interface GroupOutcome {
  /** The group's labels (the rule's groupBy fields with this group's values), in groupBy order. */
  labels: Record<string, string>;
  breach: boolean;
  value: number | null;
  threshold: number | null;
  signal: string[] | null;
  evidence: Record<string, unknown>;
  /** The matching `/v1/charts`, `/v1/quality` or calibration report query (relative to the service). */
  link: string | null;
  summary: string;
}

/** Per-evaluation cache: rules with the same query share its result. */
export type QueryCache = Map<string, unknown>;

export async function cached<T>(cache: QueryCache, key: string, compute: () => Promise<T>): Promise<T> {
  if (cache.has(key)) return cache.get(key) as T;
  const value = await compute();
  cache.set(key, value);
  return value;
}

export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function scopeFilter(rule: Rule): AuditFilter {
  const { queue, moderator, policy, market, errorType } = rule.scope;
  return { queue, moderator, policy, market, errorType };
}

/** Query parameters of the rule's scope plus the group's labels (all of them equality filters). */
export function filterParams(rule: Rule, labels: Record<string, string>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [field, value] of Object.entries(rule.scope)) if (value !== undefined) params.set(field, value);
  for (const [field, value] of Object.entries(labels)) params.set(field, value);
  return params;
}

export function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return parts.length > 0 ? ` [${parts.join(", ")}]` : "";
}

/** Group values → labels; a group with a missing (null) value is not evaluated (no filter can select it). */
export function toLabels(rule: Rule, values: readonly (string | null)[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (let i = 0; i < rule.groupBy.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) return undefined;
    labels[rule.groupBy[i]] = value;
  }
  return labels;
}
