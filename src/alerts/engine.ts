import { type SessionAgreement, sessionAgreement } from "../calibrations/report.ts";
import type { Config } from "../config.ts";
import { enabledRules, getRule } from "../db/alert-rules.ts";
import { touchedValues } from "../db/alert-scans.ts";
import { rulesWithOpenAlerts } from "../db/alerts.ts";
import { maxAuditSeq } from "../db/audits.ts";
import type { Db } from "../db/open.ts";
import { writeGate } from "../db/write-gate.ts";
import { DomainError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { ResolvedAddress } from "./address.ts";
import {
  ChartScanCache,
  chartScanKey,
  evaluateAgreement,
  evaluateChart,
  evaluateThreshold,
  type GroupOutcome,
  type QueryCache,
  ThresholdScanCache,
  thresholdScanKey,
} from "./conditions/index.ts";
import { applyOutcomes, emitRepeats, type LifecycleContext, queueEvent } from "./lifecycle.ts";
import { type CalibrationEvent, renderCalibrationClosed } from "./payloads.ts";
import { type ConditionKind, isRuleOf, type Rule, SCOPE_FIELDS, type ScopeField } from "./rules.ts";
import { DeliveryWorker } from "./worker.ts";

/**
 * The alerting runtime of one process: evaluates rules and feeds the delivery worker.
 *
 * - After an ingest commits, the route calls `auditsIngested` (nothing is evaluated in the request). The
 *   evaluation runs on a later turn of the event loop, coalescing every ingest since the previous one and at
 *   most once per MODQC_ALERT_DEBOUNCE_MS; it evaluates only the chart and threshold rules whose scope the new
 *   audits touch (by queue, moderator, policy and market values).
 * - A timer (MODQC_ALERT_INTERVAL_MS, default every minute) evaluates every enabled chart and threshold rule
 *   (time windows slide even without new audits) and sends repeat notifications.
 * - A closed calibration session evaluates the agreement rules and emits calibration.closed.
 * - Reads of alerts and deliveries call `flush()` first, so an answer reflects every committed ingest.
 */

export interface AlertingOptions {
  /** The clock of evaluations and deliveries (epoch ms); tests inject one. */
  now?: () => number;
  random?: () => number;
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
}

export interface EvaluationSummary {
  rules: number;
  fired: number;
  resolved: number;
  deliveries: number;
  errors: number;
}

/** Above this many new audits since the last evaluation, every rule is evaluated instead of scanning what was touched. */
const TOUCH_SCAN_LIMIT = 200_000;
/** What the alerting runtime needs from the service. */
export interface AlertingDeps {
  db: Db;
  config: Config;
  logger: Logger;
}

/**
 * Evaluations may use at most a share (MODQC_ALERT_BUDGET_PERCENT, default 10 %) of the process's time: a
 * budget that refills at that share per ms (never above zero: no credit is saved up while idle) and is charged
 * each evaluation's duration, the timer's included. An ingest-triggered evaluation runs as soon as the budget is
 * not in debt — at once after a quiet spell — else when the debt is paid: after a run of d ms the next waits
 * about (1/share − 1)·d.
 */
const BURST_MS = 0;

export class Alerting {
  readonly worker: DeliveryWorker;
  readonly now: () => number;
  private readonly db: Db;
  private readonly config: Config;
  private readonly logger: Logger;
  private readonly ctx: LifecycleContext;
  private watermark: number;
  private pendingInserted = 0;
  private ingestPending = false;
  private readonly changedRules = new Set<string>();
  private readonly closedSessions: string[] = [];
  private debounce: NodeJS.Timeout | undefined;
  private lastRunEnd = 0;
  private tokens = BURST_MS;
  private tokensAt = Date.now();
  private rulesCache: Rule[] | undefined;
  private readonly chartScans = new ChartScanCache();
  private readonly thresholdScans = new ThresholdScanCache();
  private interval: NodeJS.Timeout | undefined;
  private startup: NodeJS.Timeout | undefined;

  constructor(deps: AlertingDeps, options: AlertingOptions = {}) {
    this.db = deps.db;
    this.config = deps.config;
    this.logger = deps.logger;
    this.now = options.now ?? Date.now;
    this.ctx = { db: deps.db, publicUrl: deps.config.alerts.publicUrl };
    this.watermark = maxAuditSeq(deps.db);
    this.worker = new DeliveryWorker({
      db: deps.db,
      config: deps.config.alerts,
      logger: deps.logger,
      version: deps.config.version,
      now: this.now,
      random: options.random,
      resolve: options.resolve,
    });
  }

  get lifecycle(): LifecycleContext {
    return this.ctx;
  }

  /** Starts the evaluation timer (with one evaluation right away) and the delivery worker. */
  start(): void {
    if (this.interval) return;
    this.worker.start();
    this.startup = setTimeout(() => this.evaluateAllSafely(["chart", "threshold"]), 0);
    this.interval = setInterval(() => this.evaluateAllSafely(), this.config.alerts.evaluationIntervalMs);
    this.interval.unref?.();
  }

  /** Stops the timers and the worker (attempts in flight are aborted and stay pending). */
  async stop(): Promise<void> {
    if (this.interval) clearInterval(this.interval);
    if (this.startup) clearTimeout(this.startup);
    if (this.debounce) clearTimeout(this.debounce);
    this.interval = this.startup = this.debounce = undefined;
    await this.worker.stop();
  }

  /** An ingest committed `inserted` new audits: schedule an evaluation (never runs in the caller's turn). */
  auditsIngested(inserted: number): void {
    if (inserted <= 0) return;
    this.pendingInserted += inserted;
    this.ingestPending = true;
    this.scheduleRun();
  }

  /** A calibration session closed (after its commit): evaluate agreement rules, emit calibration.closed. */
  calibrationClosed(sessionId: string): void {
    this.closedSessions.push(sessionId);
    this.scheduleRun();
  }

  /** A rule was created or changed: evaluate it soon. */
  ruleChanged(ruleId: string): void {
    this.rulesCache = undefined;
    this.changedRules.add(ruleId);
    this.scheduleRun();
  }

  /** A rule was deleted (or changed without needing an evaluation). */
  rulesChanged(): void {
    this.rulesCache = undefined;
  }

  /** Enabled rules of the given kinds, parsed once and kept until a rule changes (rules change only through the API). */
  private enabledRules<K extends ConditionKind>(kinds: readonly K[]): Rule<K>[] {
    this.rulesCache ??= enabledRules(this.db, ["chart", "threshold", "agreement"]);
    return this.rulesCache.filter((rule) => isRuleOf(rule, ...kinds));
  }

  /** New deliveries were queued outside an evaluation (acknowledgements, redeliveries, rule changes). */
  deliveriesQueued(): void {
    this.worker.kick();
  }

  /** Runs any scheduled evaluation now, synchronously. */
  flush(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = undefined;
    this.runPending();
  }

  private scheduleRun(): void {
    if (this.debounce) return;
    const now = Date.now();
    this.refill(now);
    const budgetWait = this.tokens >= 0 ? 0 : -this.tokens / this.config.alerts.evaluationBudget;
    const debounceWait = this.lastRunEnd + this.config.alerts.debounceMs - now;
    const wait = Math.max(0, budgetWait, debounceWait);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.runPending();
    }, wait);
    this.debounce.unref?.();
  }

  private refill(now: number): void {
    this.tokens = Math.min(
      BURST_MS,
      this.tokens + (now - this.tokensAt) * this.config.alerts.evaluationBudget,
    );
    this.tokensAt = now;
  }

  private runPending(): void {
    const gate = writeGate(this.db);
    // While the writer thread holds the database, evaluation waits for it (reads of alerts answer from what is
    // committed, which does not include that write yet).
    if (gate.busy) {
      void gate.idle().then(() => this.scheduleRun());
      return;
    }
    const started = performance.now();
    try {
      while (this.closedSessions.length > 0) this.evaluateCalibration(this.closedSessions.shift()!);
      const selected = new Map<string, Rule>();
      if (this.ingestPending) {
        for (const rule of this.rulesTouchedByIngest()) selected.set(rule.id, rule);
      }
      for (const id of this.changedRules) {
        const rule = getRule(this.db, id);
        if (rule?.enabled && rule.condition.kind !== "agreement") selected.set(id, rule);
      }
      this.changedRules.clear();
      if (selected.size > 0) this.evaluateRules([...selected.values()]);
    } catch (error) {
      this.logger.error("alert evaluation failed", {
        error: error instanceof Error ? error.stack : String(error),
      });
    } finally {
      this.lastRunEnd = Date.now();
      this.refill(this.lastRunEnd);
      this.tokens -= performance.now() - started;
    }
  }

  /** Chart and threshold rules whose scope the audits stored since the last evaluation touch. */
  private rulesTouchedByIngest(): Rule[] {
    const inserted = this.pendingInserted;
    this.ingestPending = false;
    this.pendingInserted = 0;
    const since = this.watermark;
    this.watermark = maxAuditSeq(this.db);
    const rules = this.enabledRules(["chart", "threshold"]);
    if (rules.length === 0 || inserted > TOUCH_SCAN_LIMIT) return rules;
    const used = new Set<ScopeField>();
    for (const rule of rules)
      for (const field of SCOPE_FIELDS) if (rule.scope[field] !== undefined) used.add(field);
    const touched = new Map<ScopeField, Set<string | null>>();
    for (const field of used) touched.set(field, touchedValues(this.db, field, since));
    return rules.filter((rule) =>
      SCOPE_FIELDS.every(
        (field) => rule.scope[field] === undefined || touched.get(field)!.has(rule.scope[field]!),
      ),
    );
  }

  /**
   * The timer's evaluation: every enabled threshold rule (their windows slide with the clock), then due
   * repeat notifications. Chart rules depend on the stored audits only (the latest period is the one holding
   * the most recent audit), so they are evaluated when an ingest touches their scope, when they are created
   * or changed, and once at start — not on the timer. `kinds` widens the set (start, tests, tools).
   */
  evaluateAll(kinds: readonly ("chart" | "threshold")[] = ["threshold"]): EvaluationSummary {
    const summary = this.evaluateRules(this.enabledRules(kinds));
    const repeats = emitRepeats(this.ctx, this.now());
    summary.deliveries += repeats;
    if (repeats > 0) this.worker.kick();
    return summary;
  }

  private evaluateAllSafely(kinds?: readonly ("chart" | "threshold")[]): void {
    if (writeGate(this.db).busy) return; // the next tick evaluates; a bulk upload is being written
    let started = performance.now();
    try {
      this.flush(); // charges its own time
      started = performance.now();
      this.evaluateAll(kinds);
    } catch (error) {
      this.logger.error("timer evaluation failed", {
        error: error instanceof Error ? error.stack : String(error),
      });
    } finally {
      this.refill(Date.now());
      this.tokens -= performance.now() - started;
    }
  }

  /** Evaluates the given rules (one transaction per rule that has something to change). */
  evaluateRules(rules: readonly Rule[]): EvaluationSummary {
    const summary: EvaluationSummary = { rules: 0, fired: 0, resolved: 0, deliveries: 0, errors: 0 };
    const now = this.now();
    const cache: QueryCache = new Map();
    const withOpen = rulesWithOpenAlerts(this.db);
    // Chart rules with the same scope and zone share one scan covering all their windows.
    const charts = new Map<string, Rule<"chart">[]>();
    for (const rule of rules) {
      if (!isRuleOf(rule, "chart")) continue;
      const key = chartScanKey(rule, this.config.timeZone);
      charts.set(key, [...(charts.get(key) ?? []), rule]);
    }
    const maxSeq = maxAuditSeq(this.db);
    // Threshold rules with whole-day windows and the same scan filter share one grouped query.
    const thresholds = new Map<string, Rule<"threshold">[]>();
    for (const rule of rules) {
      if (!isRuleOf(rule, "threshold")) continue;
      const key = thresholdScanKey(rule);
      if (key !== undefined) thresholds.set(key, [...(thresholds.get(key) ?? []), rule]);
    }
    for (const [key, group] of thresholds) {
      try {
        cache.set(key, this.thresholdScans.scan(this.db, group, now, maxSeq));
      } catch (error) {
        this.logger.error("alert threshold scan failed", {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    for (const [key, group] of charts) {
      try {
        cache.set(key, this.chartScans.scan(this.db, group, this.config.timeZone, maxSeq));
      } catch (error) {
        this.logger.error("alert chart scan failed", {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    for (const rule of rules) {
      let outcomes: GroupOutcome[];
      try {
        outcomes = isRuleOf(rule, "chart")
          ? evaluateChart(this.db, rule, this.config.timeZone, cache)
          : isRuleOf(rule, "threshold")
            ? evaluateThreshold(this.db, rule, now, cache)
            : [];
      } catch (error) {
        summary.errors++;
        this.logger.error("alert rule evaluation failed", {
          rule: rule.id,
          error: error instanceof Error ? error.message : String(error),
        });
        continue;
      }
      summary.rules++;
      if (!withOpen.has(rule.id) && !outcomes.some((o) => o.breach)) continue;
      const applied = applyOutcomes(this.ctx, rule, outcomes, now);
      summary.fired += applied.fired;
      summary.resolved += applied.resolved;
      summary.deliveries += applied.deliveries;
    }
    this.chartScans.sweep();
    this.thresholdScans.sweep();
    if (summary.deliveries > 0) this.worker.kick();
    return summary;
  }

  /** Agreement rules and the calibration.closed event for a session that has just closed. */
  evaluateCalibration(sessionId: string): EvaluationSummary {
    const summary: EvaluationSummary = { rules: 0, fired: 0, resolved: 0, deliveries: 0, errors: 0 };
    let analysed: SessionAgreement;
    try {
      analysed = sessionAgreement(this.db, sessionId);
    } catch (error) {
      if (error instanceof DomainError) return summary; // no such session, or not closed: nothing to announce
      throw error;
    }
    const { session, items, raters, result, unusable: note } = analysed;
    const now = this.now();
    const info = { id: session.id, name: session.name, closedAt: session.closedAt };
    if (result) {
      for (const rule of this.enabledRules(["agreement"])) {
        const outcomes = evaluateAgreement(rule, info, result);
        if (outcomes === null) continue;
        summary.rules++;
        const applied = applyOutcomes(this.ctx, rule, outcomes, now);
        summary.fired += applied.fired;
        summary.resolved += applied.resolved;
        summary.deliveries += applied.deliveries;
      }
    }
    const data: CalibrationEvent = {
      calibration: { ...info, items: items.length, raters },
      agreement: result
        ? {
            fleiss: result.fleiss.kappa,
            ac1: result.gwet.ac1,
            alpha: result.krippendorff.alpha,
            percentAgreement: result.percentAgreement,
          }
        : null,
      ...(note ? { note } : {}),
    };
    this.db
      .transaction(() => {
        summary.deliveries += queueEvent(
          this.db,
          "calibration.closed",
          (format) => renderCalibrationClosed(format, data, this.ctx.publicUrl, now),
          null,
          now,
        );
      })
      .immediate();
    if (summary.deliveries > 0) this.worker.kick();
    return summary;
  }
}
