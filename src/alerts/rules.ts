import { z } from "@hono/zod-openapi";
import { StatsInputError } from "../../stats/errors.ts";
import { PROPORTION_CHART_TYPES } from "../../stats/spc/chart-types.ts";
import { resolveRules } from "../../stats/spc/run-rules.ts";
import { ERROR_TYPES } from "../audits/validate.ts";
import { invalidField } from "../errors.ts";
import { assertTimeZone } from "../time.ts";
import { wellFormed } from "../unicode.ts";
import { BernoulliRuleDesign } from "./conditions/bernoulli.ts";
import { CusumRuleDesign, EwmaRuleDesign } from "./conditions/time-weighted-design.ts";
import { parseDuration } from "./duration.ts";

/** Audit fields a rule may be scoped to (an audit filter) and fields it may group by (one alert per group). */
export const SCOPE_FIELDS = ["queue", "moderator", "policy", "market"] as const;
export const GROUP_BY_FIELDS = ["queue", "moderator", "auditor", "policy", "market"] as const;
export type ScopeField = (typeof SCOPE_FIELDS)[number];
export type GroupByField = (typeof GROUP_BY_FIELDS)[number];

export const SEVERITIES = ["info", "warning", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CHART_CONDITION_TYPES = PROPORTION_CHART_TYPES;
/** Multiple-testing control across a rule's groups (see src/alerts/conditions/fdr.ts). */
const MULTIPLICITY_METHODS = ["none", "bh", "by"] as const;
export type Multiplicity = (typeof MULTIPLICITY_METHODS)[number];
/** The FDR level of rules that name none (and of rules stored before the field existed). */
const DEFAULT_FDR = 0.05;
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

/**
 * False-discovery control across the groups of a threshold or chart rule (issue 16). The p-value of each
 * condition is described in its `multiplicity` text.
 */
const multiplicityFields = (pValue: string) => ({
  multiplicity: z
    .enum(MULTIPLICITY_METHODS)
    .optional()
    .openapi({
      description: `False-discovery control across the rule's groups in one evaluation. Each evaluated group (one with an outcome) gets a one-sided p-value: ${pValue}. bh: Benjamini–Hochberg (1995) q-values across the m groups evaluated; by: Benjamini–Yekutieli (2001, c(m) = Σ 1/i, any dependence); as R's p.adjust. A group breaches only when its own condition breaches AND its q-value ≤ fdr. none: each group's own condition alone (p is still reported). Default: bh when the rule has a groupBy, else none (a rule with one group has m = 1, q = p). Rules stored before this field existed read as none; a PATCH without a condition keeps the stored value, also when it changes groupBy; a condition sent without it gets the default for the rule's (new) groupBy.`,
    }),
  fdr: z.number().gt(0).lt(1).default(DEFAULT_FDR).openapi({
    description: "The false discovery rate a group's q-value must not exceed (with bh or by)",
  }),
});

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
          "Rule ids (we-1…we-4, nelson-1…nelson-8 for p and laney-p; ewma; cusum-upper, cusum-lower; bernoulli-cusum). Default: Western Electric for p and laney-p, the chart's own signal for ewma, cusum and bernoulli-cusum.",
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
    ewma: EwmaRuleDesign.optional(),
    cusum: CusumRuleDesign.optional(),
    bernoulli: BernoulliRuleDesign.optional(),
    ...multiplicityFields(
      "p, ewma, cusum: the latest period's exact binomial tail P(X ≥ count | n, p̄) against the baseline centre p̄; bernoulli-cusum: the same against the design's p₀; laney-p: the normal upper tail of Laney's z = (p − p̄)/(σ_z·σᵢ)",
    ),
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
    ...multiplicityFields("the exact binomial tail P(X ≥ errors | audited, maxRate) of the window's audits"),
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

const AuditorAccuracyCondition = z
  .object({
    kind: z.literal("auditor-accuracy"),
    below: z.number().gt(0).max(1).openapi({
      description:
        "Fires for an auditor when the upper end of the two-sided Wilson interval of its accuracy on gold items is below this",
    }),
    minGold: z.number().int().min(1).max(100_000).default(20).openapi({
      description:
        "Auditors with fewer scored gold verdicts in the window are not evaluated (they count as clear)",
    }),
    window: z
      .object({
        days: z
          .number()
          .gt(0)
          .max(3660)
          .openapi({ description: "Gold verdicts recorded in the last `days` × 24 h" }),
      })
      .strict()
      .default({ days: 30 }),
    confidence: z.number().gt(0).lt(1).default(0.95).openapi({ description: "Of the Wilson interval" }),
  })
  .strict()
  .openapi({
    description:
      'One alert per auditor (groupBy is ["auditor"]): its accuracy on the gold items mixed into its queues (as GET /v1/auditors), evaluated on the timer. scope may name a queue (only gold items of that queue).',
  });

export const ConditionSchema = z
  .discriminatedUnion("kind", [
    ChartCondition,
    ThresholdCondition,
    AgreementCondition,
    AuditCondition,
    AuditorAccuracyCondition,
  ])
  .openapi("AlertCondition");
/** A condition as a client sends it (chart run rules may be left to their default). */
export type Condition = z.infer<typeof ConditionSchema>;
/** Stored conditions always name their multiplicity (normaliseRule, storedCondition). */
interface MultiplicityT {
  multiplicity: Multiplicity;
  fdr: number;
}
export type ChartConditionT = z.infer<typeof ChartCondition> & { rules: string[] } & MultiplicityT;
export type ThresholdConditionT = z.infer<typeof ThresholdCondition> & MultiplicityT;
export type AgreementConditionT = z.infer<typeof AgreementCondition>;
export type AuditConditionT = z.infer<typeof AuditCondition>;
export type AuditorAccuracyConditionT = z.infer<typeof AuditorAccuracyCondition>;

/** The stored (normalised) condition of each kind. */
export interface ConditionByKind {
  chart: ChartConditionT;
  threshold: ThresholdConditionT;
  agreement: AgreementConditionT;
  audit: AuditConditionT;
  "auditor-accuracy": AuditorAccuracyConditionT;
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
 * grouping of agreement rules) and fills in defaults that depend on other fields. Returns the stored form but
 * for a chart condition's EWMA, CUSUM or Bernoulli design, whose ARLs are CPU work for the compute pool
 * (designChartCondition, src/alerts/conditions/chart-designs.ts).
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
    const family =
      chart.type === "ewma" || chart.type === "cusum" || chart.type === "bernoulli-cusum"
        ? chart.type
        : "shewhart";
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
    condition = { ...chart, rules, ...multiplicityOf(chart, input.groupBy) };
  } else if (input.condition.kind === "threshold")
    condition = { ...input.condition, ...multiplicityOf(input.condition, input.groupBy) };
  else condition = input.condition;
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
  if (condition.kind === "auditor-accuracy") checkAuditorAccuracyRule(input);
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
 * An auditor-accuracy rule gives one alert per auditor (groupBy exactly ["auditor"]) and may be scoped to a
 * queue only: gold items have no moderator, policy or market filter of their own, and no error rate.
 * @throws {DomainError} 400 validation_failed naming the field
 */
function checkAuditorAccuracyRule(rule: Parameters<typeof normaliseRule>[0]): void {
  if (rule.groupBy.length !== 1 || rule.groupBy[0] !== "auditor")
    throw invalidField("groupBy", 'auditor-accuracy rules give one alert per auditor: must be ["auditor"]');
  const fields = Object.keys(rule.scope).filter((f) => f !== "queue");
  if (fields.length > 0)
    throw invalidField(`scope.${fields[0]}`, "auditor-accuracy rules may be scoped to a queue only");
}

/** A condition's multiplicity and fdr, or their defaults: bh with a groupBy, else none; fdr 0.05. */
function multiplicityOf(
  condition: { multiplicity?: Multiplicity; fdr?: number },
  groupBy: readonly GroupByField[],
): MultiplicityT {
  return {
    multiplicity: condition.multiplicity ?? (groupBy.length > 0 ? "bh" : "none"),
    fdr: condition.fdr ?? DEFAULT_FDR,
  };
}

/**
 * A condition as read from storage: threshold and chart conditions stored before issue 16 have no multiplicity
 * and read as none (fdr 0.05), so existing rules keep their behaviour, and a PATCH that does not send a condition
 * stores it back with multiplicity none (normaliseRule keeps a multiplicity that is present).
 */
export function storedCondition(condition: RuleCondition): RuleCondition {
  if ((condition.kind === "threshold" || condition.kind === "chart") && condition.multiplicity === undefined)
    return { ...condition, multiplicity: "none", fdr: condition.fdr ?? DEFAULT_FDR };
  return condition;
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
