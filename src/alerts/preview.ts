import { sessionAgreement } from "../calibrations/report.ts";
import { auditedBetween, forEachMatchingError } from "../db/alert-preview.ts";
import { getRule } from "../db/alert-rules.ts";
import { listCalibrations } from "../db/calibrations.ts";
import type { Db } from "../db/database.ts";
import { notFound } from "../errors.ts";
import { type Period, periodOf } from "../time.ts";
import { designChartCondition, withChartDesign } from "./conditions/chart-designs.ts";
import {
  auditMatches,
  evaluateAgreement,
  evaluateAuditorAccuracy,
  evaluateChart,
  evaluateThreshold,
} from "./conditions/index.ts";
import { type GroupOutcome, scopeFilter } from "./conditions/shared.ts";
import { fingerprint } from "./lifecycle.ts";
import { type NewRule, normaliseRule, type Rule } from "./rules.ts";

/**
 * The alert-rule preview (issue 18): how often a rule would have fired over the last days. Each condition is
 * evaluated by its own evaluator "as of" the end of each local day, on the audits stored now that were audited
 * before that instant; a replay of the alert lifecycle (pending / keep-firing counters) counts the alerts
 * that would have opened. One evaluation per day is a simplification (the engine evaluates on every ingest
 * and every minute): the answer says so in `note`. Runs as a compute task (the pool's time budget bounds it).
 */

/** Most firing groups listed per day (the count is always exact). */
const MAX_FIRING_LISTED = 50;

/** What the compute task needs: plain data. */
export interface PreviewInput {
  rule: Rule;
  /** The stored rule's id; null for a rule not stored yet. */
  ruleId: string | null;
  days: number;
  /** The zone of the days (the chart condition's own, else MODQC_TZ). */
  timeZone: string;
  nowMs: number;
}

export interface PreviewFiring {
  labels: Record<string, string>;
  value: number | null;
  threshold: number | null;
  signal: string[] | null;
}

export interface PreviewEvaluation {
  /** The local day (YYYY-MM-DD) at whose end the rule is evaluated. */
  date: string;
  /** Groups breaching on that day (at most 50 listed: see `firingCount`). */
  firing: PreviewFiring[];
  firingCount: number;
}

/**
 * `daily_evaluations`: chart and threshold rules evaluated once at the end of each day (pending and
 * keep-firing counters count days); `each_session`: agreement rules evaluated on each session closed in the
 * days; `each_audit`: audit rules fire once per matching audit.
 */
export type PreviewNote = "daily_evaluations" | "each_session" | "each_audit";

export interface PreviewResult {
  ruleId: string | null;
  kind: Rule["condition"]["kind"];
  days: number;
  timeZone: string;
  /** The first instant of the first day and the end of the last one (the last complete day before now). */
  from: string;
  to: string;
  evaluations: PreviewEvaluation[];
  /** Days with at least one breaching group. */
  daysFiring: number;
  /** Distinct groups (label sets; for audit rules, audits) that breached on at least one day. */
  groupsFiring: number;
  /** Alerts that would have reached `firing` (none open at the start of the first day). */
  alertsWouldOpen: number;
  note: PreviewNote;
}

/**
 * What a preview request asks for, checked on the main thread: a stored rule (404 when unknown) or a new one
 * as POST /v1/alert-rules takes it (normalised the same way: 400 naming the field), the days and their zone.
 */
export async function previewInput(
  db: Db,
  request: ({ ruleId: string } | NewRule) & { days: number },
  defaultTimeZone: string,
  nowMs: number,
): Promise<PreviewInput> {
  let rule: Rule;
  if ("ruleId" in request) {
    const stored = await getRule(db, request.ruleId);
    if (!stored) throw notFound("alert rule");
    rule = stored;
  } else {
    const repeatInterval = request.repeatInterval ?? null;
    const { condition, repeatMs } = normaliseRule({ ...request, repeatInterval });
    const now = new Date(nowMs).toISOString();
    rule = {
      id: "",
      name: request.name,
      scope: request.scope,
      groupBy: request.groupBy,
      condition,
      severity: request.severity,
      pendingEvaluations: request.pendingEvaluations,
      keepFiringEvaluations: request.keepFiringEvaluations,
      repeatInterval,
      repeatMs,
      enabled: request.enabled,
      createdBy: null,
      createdAt: now,
      updatedAt: now,
    };
  }
  const timeZone = (rule.condition.kind === "chart" && rule.condition.timeZone) || defaultTimeZone;
  return { rule, ruleId: "ruleId" in request ? rule.id : null, days: request.days, timeZone, nowMs };
}

/** The `days` complete local days before the day holding `nowMs`, oldest first. */
function lastDays(nowMs: number, days: number, timeZone: string): Period[] {
  const periods: Period[] = [];
  let end = periodOf(nowMs, "day", timeZone).start;
  for (let i = 0; i < days; i++) {
    const day = periodOf(end - 1, "day", timeZone);
    periods.unshift(day);
    end = day.start;
  }
  return periods;
}

/**
 * The alert lifecycle (src/alerts/lifecycle.ts) replayed on outcomes, without storing anything: a breach opens
 * a pending alert (firing at once when pendingEvaluations is 1), `pendingEvaluations` consecutive breaches
 * fire it, a clear evaluation drops a pending one, `keepFiringEvaluations` consecutive clear ones resolve a
 * firing one. Open alerts whose group has no outcome count a clear evaluation, as in `applyOutcomes`.
 */
class LifecycleReplay {
  private readonly open = new Map<string, { firing: boolean; breaching: number; clear: number }>();
  fired = 0;

  constructor(private readonly rule: Rule) {}

  evaluate(outcomes: readonly GroupOutcome[]): void {
    const seen = new Set<string>();
    for (const outcome of outcomes) {
      const key = fingerprint(this.rule.id, outcome.labels);
      seen.add(key);
      this.step(key, outcome.breach);
    }
    for (const key of [...this.open.keys()]) if (!seen.has(key)) this.step(key, false);
  }

  private step(key: string, breach: boolean): void {
    const alert = this.open.get(key);
    const { pendingEvaluations: pending, keepFiringEvaluations: keep } = this.rule;
    if (!alert) {
      if (!breach) return;
      const firing = pending <= 1;
      this.open.set(key, { firing, breaching: 1, clear: 0 });
      if (firing) this.fired++;
    } else if (breach) {
      alert.clear = 0;
      alert.breaching++;
      if (!alert.firing && alert.breaching >= pending) {
        alert.firing = true;
        this.fired++;
      }
    } else if (!alert.firing) this.open.delete(key);
    else if (++alert.clear >= keep) this.open.delete(key);
  }
}

/** Day-by-day firing, the distinct groups and the days with any, from each day's breaching outcomes. */
function tally(
  days: readonly Period[],
  firingByDay: readonly PreviewFiring[][],
): Pick<PreviewResult, "evaluations" | "daysFiring" | "groupsFiring"> {
  const groups = new Set<string>();
  const evaluations = days.map((day, i) => {
    const firing = firingByDay[i];
    for (const f of firing) groups.add(JSON.stringify(Object.entries(f.labels).sort()));
    return { date: day.label, firing: firing.slice(0, MAX_FIRING_LISTED), firingCount: firing.length };
  });
  return {
    evaluations,
    daysFiring: evaluations.filter((e) => e.firingCount > 0).length,
    groupsFiring: groups.size,
  };
}

const firingOf = (outcomes: readonly GroupOutcome[]): PreviewFiring[] =>
  outcomes
    .filter((o) => o.breach)
    .map(({ labels, value, threshold, signal }) => ({ labels, value, threshold, signal }));

/** Evaluates the rule at the end of each of the last `days` days (see the module comment). */
export async function previewRule(db: Db, input: PreviewInput): Promise<PreviewResult> {
  const { timeZone } = input;
  // A rule not stored yet has no chart design yet (a stored one keeps the design it was stored with).
  const rule =
    input.ruleId === null
      ? { ...input.rule, condition: await withChartDesign(input.rule.condition, designChartCondition) }
      : input.rule;
  const days = lastDays(input.nowMs, input.days, timeZone);
  const fromMs = days[0].start;
  const toMs = days.at(-1)!.end;
  const replay = new LifecycleReplay(rule);
  const firingByDay: PreviewFiring[][] = days.map(() => []);
  let note: PreviewNote = "daily_evaluations";
  let opened: number | undefined;
  const { condition } = rule;
  if (condition.kind === "audit") {
    note = "each_audit";
    let day = 0;
    let matched = 0;
    await forEachMatchingError(db, condition, fromMs, toMs, (audit) => {
      if (!auditMatches(condition, audit)) return;
      while (audit.auditedMs >= days[day].end) day++;
      matched++;
      firingByDay[day].push({
        labels: { audit: audit.id, queue: audit.queue },
        value: null,
        threshold: null,
        signal: null,
      });
    });
    opened = matched;
  } else if (condition.kind === "agreement") {
    note = "each_session";
    const closed = (await listCalibrations(db, "closed"))
      .map((session) => ({ session, closedMs: Date.parse(session.closedAt ?? "") }))
      .filter(({ closedMs }) => closedMs >= fromMs && closedMs < toMs)
      .sort((a, b) => a.closedMs - b.closedMs);
    for (const { session, closedMs } of closed) {
      const { result } = await sessionAgreement(db, session.id);
      const info = { id: session.id, name: session.name, closedAt: session.closedAt };
      const outcomes = result ? evaluateAgreement(rule as Rule<"agreement">, info, result) : null;
      if (outcomes === null) continue; // undefined coefficient: not evaluated, as in the engine
      replay.evaluate(outcomes);
      const day = days.findIndex((d) => closedMs < d.end);
      firingByDay[day].push(...firingOf(outcomes));
    }
  } else {
    for (const [i, day] of days.entries()) {
      // The engine evaluates a chart rule when an ingest touches its scope: a day without audits in the scope
      // is no evaluation (its latest point would be an earlier day's again).
      if (condition.kind === "chart" && !(await auditedBetween(db, scopeFilter(rule), day.start, day.end)))
        continue;
      const outcomes =
        condition.kind === "chart"
          ? await evaluateChart(db, rule as Rule<"chart">, timeZone, new Map(), day.end)
          : condition.kind === "auditor-accuracy"
            ? await evaluateAuditorAccuracy(db, rule as Rule<"auditor-accuracy">, day.end, true)
            : await evaluateThreshold(db, rule as Rule<"threshold">, day.end, new Map(), true);
      replay.evaluate(outcomes);
      firingByDay[i] = firingOf(outcomes);
    }
  }
  return {
    ruleId: input.ruleId,
    kind: condition.kind,
    days: input.days,
    timeZone,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    ...tally(days, firingByDay),
    alertsWouldOpen: opened ?? replay.fired,
    note,
  };
}
