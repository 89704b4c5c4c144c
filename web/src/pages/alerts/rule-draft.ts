import type { PROPORTION_CHART_TYPES } from "../../../../stats/spc/chart-types.ts";
import { parseNumber } from "../../forms.ts";
import type { MessageKey } from "../../i18n/en.ts";
import type { ConditionKind, Rule, Severity } from "./types.ts";

/**
 * The rule editor's form state (text as typed) and its conversion to and from the API's rule (the fields of
 * POST /v1/alert-rules; PATCH takes the same, the condition replaced whole). Pure: no Preact here.
 */

export const SCOPE_FIELDS = ["queue", "market", "policy", "moderator"] as const;
export const GROUP_BY_FIELDS = ["queue", "moderator", "auditor", "policy", "market"] as const;
export const AGREEMENT_STATISTICS = ["fleiss", "ac1", "alpha"] as const;
export type ChartType = (typeof PROPORTION_CHART_TYPES)[number];

/** Run rules a chart condition may name, by chart type (the service's default when none is checked). */
export function runRulesOf(type: ChartType): string[] {
  if (type === "ewma") return ["ewma"];
  if (type === "cusum") return ["cusum-upper", "cusum-lower"];
  return [...[1, 2, 3, 4].map((i) => `we-${i}`), ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => `nelson-${i}`)];
}

export interface RuleDraft {
  name: string;
  kind: ConditionKind;
  severity: Severity;
  scope: Record<(typeof SCOPE_FIELDS)[number] | "errorType", string>;
  groupBy: string[];
  /** Threshold: the limit and the confidence as percentages. */
  maxRate: string;
  days: string;
  minAudited: string;
  evidence: "point" | "lower-bound";
  confidence: string;
  chartType: ChartType;
  interval: "day" | "week";
  runRules: string[];
  baselinePeriods: string;
  timeZone: string;
  statistic: (typeof AGREEMENT_STATISTICS)[number];
  below: string;
  minSeverity: "" | "1" | "2" | "3" | "4";
  errorTypes: string[];
  policies: string;
  queues: string;
  pendingEvaluations: string;
  keepFiringEvaluations: string;
  repeatInterval: string;
  enabled: boolean;
}

export const NEW_DRAFT: RuleDraft = {
  name: "",
  kind: "threshold",
  severity: "warning",
  scope: { queue: "", market: "", policy: "", moderator: "", errorType: "" },
  groupBy: [],
  maxRate: "5",
  days: "7",
  minAudited: "30",
  evidence: "point",
  confidence: "95",
  chartType: "p",
  interval: "day",
  runRules: [],
  baselinePeriods: "20",
  timeZone: "",
  statistic: "fleiss",
  below: "0.6",
  minSeverity: "4",
  errorTypes: [],
  policies: "",
  queues: "",
  pendingEvaluations: "1",
  keepFiringEvaluations: "1",
  repeatInterval: "",
  enabled: true,
};

const percentText = (x: unknown) => (typeof x === "number" ? String(Math.round(x * 1e6) / 1e4) : "");
const text = (x: unknown, fallback: string) => (x === undefined || x === null ? fallback : String(x));
const list = (x: unknown) => (Array.isArray(x) ? (x as string[]) : []);

/** The form state of a stored rule (to edit it). */
export function draftOf(rule: Rule): RuleDraft {
  const c = rule.condition as Record<string, unknown>;
  return {
    ...NEW_DRAFT,
    name: rule.name,
    kind: rule.condition.kind,
    severity: rule.severity,
    scope: { ...NEW_DRAFT.scope, ...rule.scope },
    groupBy: rule.groupBy,
    maxRate: c.maxRate === undefined ? NEW_DRAFT.maxRate : percentText(c.maxRate),
    days: text((c.window as { days?: number } | undefined)?.days, NEW_DRAFT.days),
    minAudited: text(c.minAudited, NEW_DRAFT.minAudited),
    evidence: c.evidence === "lower-bound" ? "lower-bound" : "point",
    confidence: c.confidence === undefined ? NEW_DRAFT.confidence : percentText(c.confidence),
    chartType: (c.type as ChartType | undefined) ?? NEW_DRAFT.chartType,
    interval: c.interval === "week" ? "week" : "day",
    runRules: list(c.rules),
    baselinePeriods: text(
      (c.baseline as { periods?: number } | undefined)?.periods,
      NEW_DRAFT.baselinePeriods,
    ),
    timeZone: text(c.timeZone, ""),
    statistic: (c.statistic as RuleDraft["statistic"] | undefined) ?? NEW_DRAFT.statistic,
    below: text(c.below, NEW_DRAFT.below),
    minSeverity: c.minSeverity === undefined ? "" : (String(c.minSeverity) as RuleDraft["minSeverity"]),
    errorTypes: list(c.errorTypes),
    policies: list(c.policies).join(", "),
    queues: list(c.queues).join(", "),
    pendingEvaluations: String(rule.pendingEvaluations),
    keepFiringEvaluations: String(rule.keepFiringEvaluations),
    repeatInterval: rule.repeatInterval ?? "",
    enabled: rule.enabled,
  };
}

/** Names typed as a comma-separated list, or undefined when none. */
function nameList(typed: string): string[] | undefined {
  const names = [
    ...new Set(
      typed
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  ];
  return names.length > 0 ? names : undefined;
}

const isWhole = (x: number | undefined, min: number, max: number) =>
  x !== undefined && Number.isInteger(x) && x >= min && x <= max;

/**
 * The rule the form describes, as the API takes it, or the first problem (a message key) that keeps it from
 * being one. The service checks again (run rules against the chart type, the zone, the duration) and names
 * the field in its 400.
 */
export function ruleOf(d: RuleDraft): { rule: Record<string, unknown> } | { problem: MessageKey } {
  if (!d.name.trim()) return { problem: "rules.problem.name" };
  let condition: Record<string, unknown>;
  if (d.kind === "threshold") {
    const maxRate = parseNumber(d.maxRate);
    const days = parseNumber(d.days);
    const minAudited = parseNumber(d.minAudited);
    const confidence = parseNumber(d.confidence);
    if (maxRate === undefined || maxRate < 0 || maxRate >= 100) return { problem: "rules.problem.maxRate" };
    if (days === undefined || days <= 0 || days > 3660) return { problem: "rules.problem.days" };
    if (!isWhole(minAudited, 1, 1_000_000_000)) return { problem: "rules.problem.minAudited" };
    if (confidence === undefined || confidence <= 0 || confidence >= 100)
      return { problem: "rules.problem.confidence" };
    condition = {
      kind: "threshold",
      maxRate: maxRate / 100,
      window: { days },
      minAudited,
      evidence: d.evidence,
      confidence: confidence / 100,
    };
  } else if (d.kind === "chart") {
    const periods = parseNumber(d.baselinePeriods);
    if (!isWhole(periods, 2, 366)) return { problem: "rules.problem.baseline" };
    const allowed = runRulesOf(d.chartType);
    const rules = d.runRules.filter((r) => allowed.includes(r));
    condition = {
      kind: "chart",
      type: d.chartType,
      interval: d.interval,
      ...(rules.length > 0 ? { rules } : {}),
      baseline: { periods },
      ...(d.timeZone.trim() ? { timeZone: d.timeZone.trim() } : {}),
    };
  } else if (d.kind === "agreement") {
    const below = parseNumber(d.below);
    if (below === undefined || below < -1 || below > 1) return { problem: "rules.problem.below" };
    condition = { kind: "agreement", statistic: d.statistic, below };
  } else {
    condition = {
      kind: "audit",
      ...(d.minSeverity ? { minSeverity: Number(d.minSeverity) } : {}),
      ...(d.errorTypes.length > 0 ? { errorTypes: d.errorTypes } : {}),
      ...(nameList(d.policies) ? { policies: nameList(d.policies) } : {}),
      ...(nameList(d.queues) ? { queues: nameList(d.queues) } : {}),
    };
    if (Object.keys(condition).length === 1) return { problem: "alerts.audit.needCriterion" };
  }
  const rateRule = d.kind === "threshold" || d.kind === "chart";
  const scope: Record<string, string> = {};
  if (rateRule)
    for (const [field, value] of Object.entries(d.scope)) if (value.trim()) scope[field] = value.trim();
  const counters: Record<string, number> = {};
  if (d.kind !== "audit") {
    const pending = parseNumber(d.pendingEvaluations);
    const keep = parseNumber(d.keepFiringEvaluations);
    if (!isWhole(pending, 1, 1000) || !isWhole(keep, 1, 1000)) return { problem: "rules.problem.counters" };
    counters.pendingEvaluations = pending!;
    counters.keepFiringEvaluations = keep!;
  }
  return {
    rule: {
      name: d.name.trim(),
      scope,
      groupBy: rateRule ? d.groupBy : [],
      condition,
      severity: d.severity,
      ...counters,
      repeatInterval: d.repeatInterval.trim() || null,
      enabled: d.enabled,
    },
  };
}

/**
 * The fields of the edited rule that differ from the stored one (both read through the form, so unchanged
 * fields compare equal): a name-only edit must not send the condition, which would resolve the rule's alerts.
 */
export function changedFields(rule: Rule, edited: Record<string, unknown>): Record<string, unknown> {
  const stored = ruleOf(draftOf(rule));
  if (!("rule" in stored)) return edited;
  return Object.fromEntries(
    Object.entries(edited).filter(
      ([field, value]) => JSON.stringify(stored.rule[field]) !== JSON.stringify(value),
    ),
  );
}
