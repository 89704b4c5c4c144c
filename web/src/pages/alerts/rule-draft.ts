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
/** False-discovery control across groups (issue 16); "" = the service's default (bh with groupBy, else none). */
export const MULTIPLICITIES = ["", "none", "bh", "by"] as const;
export type ChartType = (typeof PROPORTION_CHART_TYPES)[number];

/** Run rules a chart condition may name, by chart type (the service's default when none is checked). */
export function runRulesOf(type: ChartType): string[] {
  if (type === "ewma") return ["ewma"];
  if (type === "cusum") return ["cusum-upper", "cusum-lower"];
  if (type === "bernoulli-cusum") return ["bernoulli-cusum"];
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
  /** Threshold and chart: the multiplicity ("" = default) and the FDR as a percentage. */
  multiplicity: (typeof MULTIPLICITIES)[number];
  fdr: string;
  timeZone: string;
  /** Bernoulli CUSUM design (issue 16): p₀ and p₁ as percentages, the target ARL₀ in audits; h kept as stored. */
  bernoulliP0: string;
  bernoulliP1: string;
  bernoulliTargetArl0: string;
  bernoulliH: string;
  /**
   * EWMA and CUSUM designs (issue 16), as typed; empty fields are left to the service (λ 0.2, L 3; k half the
   * shift, h 5; shift 1). `arlTarget` (in periods) replaces L or h; `shift` is the σ shift whose ARL₁ is reported.
   */
  lambda: string;
  limitL: string;
  cusumK: string;
  cusumH: string;
  arlTarget: string;
  shift: string;
  /** Auditor accuracy (issue 16): the limit as a percentage, the minimum gold verdicts, the window in days. */
  accuracyBelow: string;
  minGold: string;
  accuracyDays: string;
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
  multiplicity: "",
  fdr: "5",
  timeZone: "",
  bernoulliP0: "",
  bernoulliP1: "",
  bernoulliTargetArl0: "10000",
  bernoulliH: "",
  lambda: "",
  limitL: "",
  cusumK: "",
  cusumH: "",
  arlTarget: "",
  shift: "",
  accuracyBelow: "90",
  minGold: "20",
  accuracyDays: "30",
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
    multiplicity: (c.multiplicity as RuleDraft["multiplicity"] | undefined) ?? "",
    fdr: c.fdr === undefined ? NEW_DRAFT.fdr : percentText(c.fdr),
    ...bernoulliDraftOf(c.bernoulli as Record<string, number> | undefined),
    ...designDraftOf(c),
    ...(rule.condition.kind === "auditor-accuracy"
      ? {
          accuracyBelow: c.below === undefined ? NEW_DRAFT.accuracyBelow : percentText(c.below),
          minGold: text(c.minGold, NEW_DRAFT.minGold),
          accuracyDays: text((c.window as { days?: number } | undefined)?.days, NEW_DRAFT.accuracyDays),
        }
      : {}),
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

/** The draft fields of a stored Bernoulli CUSUM design (none: the new draft's). */
function bernoulliDraftOf(design: Record<string, number> | undefined) {
  if (!design) return {};
  return {
    bernoulliP0: percentText(design.p0),
    bernoulliP1: design.p1 === undefined ? "" : percentText(design.p1),
    bernoulliTargetArl0: text(design.targetArl0, ""),
    bernoulliH: design.targetArl0 === undefined ? text(design.h, "") : "",
  };
}

/** The draft fields of a stored EWMA or CUSUM design (L or h left empty when a target ARL₀ gave it). */
function designDraftOf(c: Record<string, unknown>): Partial<RuleDraft> {
  const ewma = c.ewma as Record<string, number | undefined> | undefined;
  const cusum = c.cusum as Record<string, number | undefined> | undefined;
  const design = ewma ?? cusum;
  if (!design) return {};
  const targeted = design.targetArl0 !== undefined;
  return {
    arlTarget: text(design.targetArl0, ""),
    shift: text(design.shift, ""),
    ...(ewma
      ? { lambda: text(ewma.lambda, ""), limitL: targeted ? "" : text(ewma.L, "") }
      : { cusumK: text(cusum?.k, ""), cusumH: targeted ? "" : text(cusum?.h, "") }),
  };
}

/** A typed number in [min, max] (or above min when `open`); undefined when empty; NaN when out of range. */
function optionalNumber(typed: string, min: number, max: number, open = false): number | undefined {
  if (!typed.trim()) return undefined;
  const x = parseNumber(typed);
  if (x === undefined || (open ? x <= min : x < min) || x > max) return Number.NaN;
  return x;
}

/**
 * The `ewma` or `cusum` design of a chart condition of that type (only the fields typed; undefined when none),
 * or a problem when a field is out of the service's range or both the limit and a target ARL₀ are given.
 */
function designOf(d: RuleDraft): { design?: Record<string, number> } | { problem: MessageKey } {
  if (d.chartType !== "ewma" && d.chartType !== "cusum") return {};
  const problem: MessageKey = d.chartType === "ewma" ? "rules.problem.ewma" : "rules.problem.cusum";
  const fields: Record<string, number | undefined> =
    d.chartType === "ewma"
      ? { lambda: optionalNumber(d.lambda, 0.01, 1), L: optionalNumber(d.limitL, 0, 6, true) }
      : { k: optionalNumber(d.cusumK, 0, 5), h: optionalNumber(d.cusumH, 0, 40, true) };
  fields.targetArl0 = optionalNumber(d.arlTarget, 2, 1_000_000);
  fields.shift = optionalNumber(d.shift, 0, 10, true);
  const given = Object.entries(fields).filter(([, x]) => x !== undefined) as [string, number][];
  if (given.some(([, x]) => Number.isNaN(x))) return { problem };
  if (fields.targetArl0 !== undefined && (fields.L ?? fields.h) !== undefined) return { problem };
  return given.length > 0 ? { design: Object.fromEntries(given) } : {};
}

/** The `bernoulli` design of the condition, or undefined when p₀, p₁ or the target ARL₀ is out of range. */
function bernoulliOf(d: RuleDraft): Record<string, number> | undefined {
  const p0 = parseNumber(d.bernoulliP0);
  const p1 = d.bernoulliP1.trim() ? parseNumber(d.bernoulliP1) : undefined;
  const target = d.bernoulliTargetArl0.trim() ? parseNumber(d.bernoulliTargetArl0) : undefined;
  const h = d.bernoulliH.trim() ? parseNumber(d.bernoulliH) : undefined;
  if (p0 === undefined || p0 <= 0 || p0 >= 100) return undefined;
  if (d.bernoulliP1.trim() && (p1 === undefined || p1 <= p0 || p1 >= 100)) return undefined;
  if (d.bernoulliTargetArl0.trim() && (target === undefined || target < 1 || target > 1e9)) return undefined;
  return {
    p0: p0 / 100,
    ...(p1 === undefined ? {} : { p1: p1 / 100 }),
    ...(target !== undefined ? { targetArl0: target } : h !== undefined ? { h } : {}),
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
    if (d.chartType === "bernoulli-cusum") {
      const design = bernoulliOf(d);
      if (!design) return { problem: "rules.problem.bernoulli" };
      condition.bernoulli = design;
    }
    const designed = designOf(d);
    if ("problem" in designed) return designed;
    if (designed.design) condition[d.chartType] = designed.design;
  } else if (d.kind === "auditor-accuracy") {
    const below = parseNumber(d.accuracyBelow);
    const minGold = parseNumber(d.minGold);
    const days = parseNumber(d.accuracyDays);
    const confidence = parseNumber(d.confidence);
    if (below === undefined || below <= 0 || below > 100) return { problem: "rules.problem.accuracyBelow" };
    if (!isWhole(minGold, 1, 100_000)) return { problem: "rules.problem.minGold" };
    if (days === undefined || days <= 0 || days > 3660) return { problem: "rules.problem.days" };
    if (confidence === undefined || confidence <= 0 || confidence >= 100)
      return { problem: "rules.problem.confidence" };
    condition = {
      kind: "auditor-accuracy",
      below: below / 100,
      minGold,
      window: { days },
      confidence: confidence / 100,
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
  if (rateRule) {
    const fdr = parseNumber(d.fdr);
    if (fdr === undefined || fdr <= 0 || fdr >= 100) return { problem: "rules.problem.fdr" };
    if (d.multiplicity) condition.multiplicity = d.multiplicity;
    condition.fdr = fdr / 100;
  }
  const scope: Record<string, string> = {};
  if (rateRule)
    for (const [field, value] of Object.entries(d.scope)) if (value.trim()) scope[field] = value.trim();
  // An auditor-accuracy rule is one alert per auditor, scoped to a queue at most.
  const accuracy = d.kind === "auditor-accuracy";
  if (accuracy && d.scope.queue.trim()) scope.queue = d.scope.queue.trim();
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
      groupBy: rateRule ? d.groupBy : accuracy ? ["auditor"] : [],
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
