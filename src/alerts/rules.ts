import { z } from "@hono/zod-openapi";
import { StatsInputError } from "../../stats/errors.ts";
import { PROPORTION_CHART_TYPES } from "../../stats/spc/chart-types.ts";
import { resolveRules } from "../../stats/spc/run-rules.ts";
import { ERROR_TYPES } from "../audits/validate.ts";
import { invalidField } from "../errors.ts";
import { assertTimeZone } from "../time.ts";
import { wellFormed } from "../unicode.ts";
import { parseDuration } from "./duration.ts";

/** Audit fields a rule may be scoped to (an audit filter) and fields it may group by (one alert per group). */
export const SCOPE_FIELDS = ["queue", "moderator", "policy", "market"] as const;
export const GROUP_BY_FIELDS = ["queue", "moderator", "auditor", "policy", "market"] as const;
export type ScopeField = (typeof SCOPE_FIELDS)[number];
export type GroupByField = (typeof GROUP_BY_FIELDS)[number];

export const SEVERITIES = ["info", "warning", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CHART_CONDITION_TYPES = PROPORTION_CHART_TYPES;
export const AGREEMENT_STATISTICS = ["fleiss", "ac1", "alpha"] as const;

const label = wellFormed(z.string().min(1).max(500));

export const ScopeSchema = z
  .object({
    queue: label.optional(),
    moderator: label.optional(),
    policy: label.optional(),
    market: label.optional(),
    errorType: z
      .enum(ERROR_TYPES)
      .optional()
      .openapi({ description: "Only errors of this type count as errors (as in GET /v1/quality)" }),
  })
  .strict()
  .openapi("AlertScope", { description: "Audit filter: only audits matching every field are evaluated" });
export type Scope = z.infer<typeof ScopeSchema>;

const ChartCondition = z
  .object({
    kind: z.literal("chart"),
    type: z.enum(CHART_CONDITION_TYPES),
    interval: z.enum(["day", "week"]),
    rules: z
      .array(wellFormed(z.string().max(40)))
      .max(20)
      .optional()
      .openapi({
        description:
          "Rule ids (we-1…we-4, nelson-1…nelson-8 for p and laney-p; ewma; cusum-upper, cusum-lower). Default: Western Electric for p and laney-p, the chart's own signal for ewma and cusum.",
        example: ["we-1", "we-2"],
      }),
    baseline: z
      .object({
        periods: z.number().int().min(2).max(366).openapi({
          description:
            "Calendar periods before the latest one whose audits estimate the centre and limits (periods without audits are skipped, not zero)",
        }),
      })
      .strict()
      .default({ periods: 20 }),
    timeZone: wellFormed(z.string().max(64))
      .optional()
      .openapi({ description: "Where a day begins; default MODQC_TZ" }),
  })
  .strict();

const ThresholdCondition = z
  .object({
    kind: z.literal("threshold"),
    maxRate: z.number().min(0).lt(1).openapi({ description: "Highest acceptable error rate" }),
    window: z
      .object({
        days: z.number().gt(0).max(3660).openapi({ description: "Audits of the last `days` × 24 h" }),
      })
      .strict(),
    minAudited: z.number().int().min(1).max(1_000_000_000).default(1).openapi({
      description: "Groups with fewer audits in the window are not evaluated (they count as clear)",
    }),
    evidence: z.enum(["point", "lower-bound"]).default("point").openapi({
      description:
        "point: fires when errors/audited > maxRate. lower-bound: fires only when the lower end of the two-sided Wilson interval is above maxRate.",
    }),
    confidence: z.number().gt(0).lt(1).default(0.95).openapi({ description: "Of the Wilson interval" }),
  })
  .strict();

const AgreementCondition = z
  .object({
    kind: z.literal("agreement"),
    statistic: z.enum(AGREEMENT_STATISTICS).openapi({
      description:
        "fleiss: Fleiss' kappa; ac1: Gwet's AC1; alpha: Krippendorff's alpha (at the session's level)",
    }),
    below: z.number().min(-1).max(1).openapi({ description: "Fires when the coefficient is below this" }),
  })
  .strict();

/** Most values an audit condition's list may name (queues, policies). */
const MAX_AUDIT_CRITERION_VALUES = 100;
const distinct = <T>(list: readonly T[]) => new Set(list).size === list.length;
const labelList = (what: string) =>
  z.array(label).min(1).max(MAX_AUDIT_CRITERION_VALUES).refine(distinct, `lists a ${what} twice`).optional();

const AuditCondition = z
  .object({
    kind: z.literal("audit"),
    minSeverity: z.number().int().min(1).max(4).optional().openapi({
      description:
        "Only errors of at least this severity (1–4); an audit without a severity does not meet it",
    }),
    errorTypes: z
      .array(z.enum(ERROR_TYPES))
      .min(1)
      .max(ERROR_TYPES.length)
      .refine(distinct, "lists an error type twice")
      .optional()
      .openapi({ description: "Only errors of one of these types" }),
    policies: labelList("policy").openapi({
      description: "Only audits whose (applied) policy is one of these",
    }),
    queues: labelList("queue").openapi({ description: "Only audits of one of these queues" }),
  })
  .strict()
  .openapi({
    description:
      "Fires on every single audit that is an error (outcome incorrect) and meets every criterion given (at least one): one alert per audit, evaluated within about a second of the audit's commit. Audits stored before the rule was created (or re-enabled, or its condition changed) never fire; a later correction that makes one match does.",
  });

export const ConditionSchema = z
  .discriminatedUnion("kind", [ChartCondition, ThresholdCondition, AgreementCondition, AuditCondition])
  .openapi("AlertCondition");
/** A condition as a client sends it (chart run rules may be left to their default). */
export type Condition = z.infer<typeof ConditionSchema>;
export type ChartConditionT = z.infer<typeof ChartCondition> & { rules: string[] };
export type ThresholdConditionT = z.infer<typeof ThresholdCondition>;
export type AgreementConditionT = z.infer<typeof AgreementCondition>;
export type AuditConditionT = z.infer<typeof AuditCondition>;

/** The stored (normalised) condition of each kind. */
export interface ConditionByKind {
  chart: ChartConditionT;
  threshold: ThresholdConditionT;
  agreement: AgreementConditionT;
  audit: AuditConditionT;
}
export type ConditionKind = keyof ConditionByKind;
/** A normalised condition of any kind (what `normaliseRule` returns and rules carry). */
export type RuleCondition = ConditionByKind[ConditionKind];

const name = wellFormed(z.string().trim().min(1).max(200));
const groupBy = z
  .array(z.enum(GROUP_BY_FIELDS))
  .max(GROUP_BY_FIELDS.length)
  .refine((list) => new Set(list).size === list.length, "groupBy lists a field twice");
const counter = (description: string) => z.number().int().min(1).max(1000).openapi({ description });
const repeatInterval = wellFormed(z.string().max(40)).nullable().openapi({
  description: "ISO 8601 duration (PnW, PnDTnHnMnS) between re-notifications while firing; null: never",
  example: "PT4H",
});

export const NewRuleSchema = z
  .object({
    name,
    scope: ScopeSchema.default({}),
    groupBy: groupBy.default([]).openapi({ description: 'One alert per group, e.g. ["moderator"]' }),
    condition: ConditionSchema,
    severity: z.enum(SEVERITIES),
    pendingEvaluations: counter("Consecutive breaching evaluations before firing").default(1),
    keepFiringEvaluations: counter("Consecutive clear evaluations before resolving").default(1),
    repeatInterval: repeatInterval.optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .openapi("NewAlertRule");
export type NewRule = z.infer<typeof NewRuleSchema>;

export const RulePatchSchema = z
  .object({
    name: name.optional(),
    scope: ScopeSchema.optional(),
    groupBy: groupBy.optional(),
    condition: ConditionSchema.optional(),
    severity: z.enum(SEVERITIES).optional(),
    pendingEvaluations: counter("Consecutive breaching evaluations before firing").optional(),
    keepFiringEvaluations: counter("Consecutive clear evaluations before resolving").optional(),
    repeatInterval: repeatInterval.optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .openapi("AlertRulePatch", { description: "Fields to change; a condition is replaced whole" });
export type RulePatch = z.infer<typeof RulePatchSchema>;

export const RuleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scope: ScopeSchema,
    groupBy: z.array(z.enum(GROUP_BY_FIELDS)),
    // The condition with defaults filled in (normaliseRule): the same schema as a new rule's.
    condition: ConditionSchema,
    severity: z.enum(SEVERITIES),
    pendingEvaluations: z.number().int(),
    keepFiringEvaluations: z.number().int(),
    repeatInterval: z.string().nullable(),
    enabled: z.boolean(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("AlertRule");

/**
 * A rule as the engine and the API see it (condition normalised, defaults filled in). `Rule<"chart">` is a
 * rule whose condition is a chart condition; plain `Rule` may hold any kind (narrow it with `isRuleOf`).
 */
export interface Rule<K extends ConditionKind = ConditionKind> {
  id: string;
  name: string;
  scope: Scope;
  groupBy: GroupByField[];
  condition: ConditionByKind[K];
  severity: Severity;
  pendingEvaluations: number;
  keepFiringEvaluations: number;
  repeatInterval: string | null;
  repeatMs: number | null;
  enabled: boolean;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Whether the rule's condition is of one of the kinds (narrows the rule to `Rule<K>`). */
export function isRuleOf<K extends ConditionKind>(rule: Rule, ...kinds: readonly K[]): rule is Rule<K> {
  return kinds.some((kind) => kind === rule.condition.kind);
}

const MAX_REPEAT_MS = 366 * 86_400_000;

/**
 * Checks what the schema cannot (run-rule ids against the chart type, the time zone, the duration, scope and
 * grouping of agreement rules) and fills in defaults that depend on other fields. Returns the stored form.
 * @throws {DomainError} 400 validation_failed naming the field
 */
export function normaliseRule(input: {
  scope: Scope;
  groupBy: GroupByField[];
  condition: Condition;
  repeatInterval: string | null | undefined;
  pendingEvaluations?: number;
  keepFiringEvaluations?: number;
}): { condition: RuleCondition; repeatMs: number | null } {
  let condition: RuleCondition;
  if (input.condition.kind === "chart") {
    const chart = input.condition;
    const family = chart.type === "ewma" ? "ewma" : chart.type === "cusum" ? "cusum" : "shewhart";
    let rules: string[];
    try {
      rules = resolveRules(chart.rules, family);
    } catch (error) {
      if (error instanceof StatsInputError)
        throw invalidField(`condition.${error.field ?? "rules"}`, error.message);
      throw error;
    }
    if (rules.length === 0) throw invalidField("condition.rules", "at least one rule is needed to signal");
    if (chart.timeZone !== undefined) {
      try {
        assertTimeZone(chart.timeZone);
      } catch {
        throw invalidField("condition.timeZone", "must be an IANA time zone such as Asia/Seoul or UTC");
      }
    }
    condition = { ...chart, rules };
  } else condition = input.condition;
  if (condition.kind === "agreement") {
    if (Object.keys(input.scope).length > 0)
      throw invalidField(
        "scope",
        "agreement rules are evaluated on calibration sessions, which have no audit scope",
      );
    if (input.groupBy.length > 0)
      throw invalidField(
        "groupBy",
        "agreement rules give one alert per rule (sessions have no audit groups)",
      );
  }
  if (condition.kind === "audit") checkAuditRule(input, condition);
  let repeatMs: number | null = null;
  if (input.repeatInterval != null) {
    const ms = parseDuration(input.repeatInterval);
    if (ms === undefined || ms < 1000 || ms > MAX_REPEAT_MS)
      throw invalidField(
        "repeatInterval",
        "must be an ISO 8601 duration of weeks, days, hours, minutes or seconds between PT1S and P366D, e.g. PT4H",
      );
    repeatMs = ms;
  }
  return { condition, repeatMs };
}

/**
 * An audit rule names at least one criterion (else every error would page), and has none of the evaluation
 * counters or groups of the rate rules: it fires on one audit, one alert per audit.
 * @throws {DomainError} 400 validation_failed naming the field
 */
function checkAuditRule(rule: Parameters<typeof normaliseRule>[0], condition: AuditConditionT): void {
  const { minSeverity, errorTypes, policies, queues } = condition;
  if (minSeverity === undefined && !errorTypes && !policies && !queues)
    throw invalidField(
      "condition",
      "an audit condition needs at least one criterion: minSeverity, errorTypes, policies or queues",
    );
  if (Object.keys(rule.scope).length > 0)
    throw invalidField(
      "scope",
      "audit rules select audits with their condition (queues, policies, …), not a scope",
    );
  if (rule.groupBy.length > 0)
    throw invalidField("groupBy", "audit rules give one alert per audit (labelled with the audit id)");
  for (const field of ["pendingEvaluations", "keepFiringEvaluations"] as const) {
    if ((rule[field] ?? 1) !== 1)
      throw invalidField(
        field,
        "audit rules fire on the audit itself, with no evaluations to count: must be 1",
      );
  }
}
