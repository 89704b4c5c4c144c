import type { Config } from "../config.ts";
import { enabledRules, getRule } from "../db/alert-rules.ts";
import { rulesWithOpenAlerts } from "../db/alerts.ts";
import { maxRevisionSeq } from "../db/audit-revisions.ts";
import { maxAuditSeq } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import { Leadership } from "../db/leadership.ts";
import { writeGate } from "../db/write-gate.ts";
import type { Logger } from "../logger.ts";
import type { ResolvedAddress } from "./address.ts";
import { AuditRuleRunner } from "./audit-rules.ts";
import { EvaluationBudget } from "./budget.ts";
import { announceClosedSession } from "./calibration-closed.ts";
import {
  ChartScanCache,
  chartScanKey,
  type QueryCache,
  ThresholdScanCache,
  thresholdScanKey,
} from "./conditions/index.ts";
import { evaluateTimedRule, TIMED_KINDS, type TimedKind } from "./conditions/timed.ts";
import { applyOutcomes, emitRepeats, type LifecycleContext } from "./lifecycle.ts";
import { type ConditionKind, isRuleOf, type Rule } from "./rules.ts";
import { rulesTouchedSince } from "./touched-rules.ts";
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
 * - Audit rules (one alert per audit) run apart, at once after ingests and corrections: src/alerts/audit-rules.ts.
 * - Reads of alerts and deliveries await `flush()` first, so an answer reflects every committed ingest.
 *
 * Evaluations run one at a time (they extend the kept scans in place): each chains on the one before. The
 * in-memory state (rule cache, kept scans, watermark) changes only outside transactions, after what it
 * reflects has committed.
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

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** What a follower instance tells the leader, as JSON on the leadership's channel. */
type Notice =
  | { kind: "audits"; inserted: number }
  | { kind: "revisions" }
  | { kind: "calibration"; sessionId: string }
  | { kind: "rule"; ruleId: string }
  | { kind: "rules" }
  | { kind: "deliveries" };

/** What the alerting runtime needs from the service. */
export interface AlertingDeps {
  db: Db;
  config: Config;
  logger: Logger;
}

export class Alerting {
  readonly worker: DeliveryWorker;
  readonly now: () => number;
  private readonly db: Db;
  private readonly config: Config;
  private readonly logger: Logger;
  readonly lifecycle: LifecycleContext;
  /**
   * The audit seq up to which ingests have been looked at; undefined until the first ingest-triggered
   * evaluation, which therefore evaluates every chart and threshold rule.
   */
  private watermark: number | undefined;
  /**
   * Per rule, the audit seq its last evaluation read up to. An evaluation that starts while an ingest
   * commits (a rule change's, the timer's) may already read that ingest's audits: the evaluation the ingest
   * triggers then skips the rule rather than count a second evaluation of the same audits.
   */
  private readonly evaluatedThrough = new Map<string, number>();
  private pendingInserted = 0;
  private ingestPending = false;
  /** A correction committed since the last run: evaluate every chart and threshold rule. */
  private revisedPending = false;
  /** The largest audit_revisions seq when the kept scans were last checked. */
  private revisionsSeen: number | undefined;
  private readonly changedRules = new Set<string>();
  private readonly closedSessions: string[] = [];
  private debounce: NodeJS.Timeout | undefined;
  private readonly budget: EvaluationBudget;
  private rulesCache: Rule[] | undefined;
  /** Bumped by every rule change, so that a rule list read across a change is not kept. */
  private rulesVersion = 0;
  private readonly chartScans = new ChartScanCache();
  private readonly thresholdScans = new ThresholdScanCache();
  /** Settles when the last evaluation queued has ended (never rejects). */
  private evaluations: Promise<unknown> = Promise.resolve();
  private interval: NodeJS.Timeout | undefined;
  private startup: NodeJS.Timeout | undefined;
  /** Set by `stop()`: nothing more is scheduled (the database is about to close). */
  private stopped = false;
  private started = false;
  private readonly leadership: Leadership;
  private readonly auditRules: AuditRuleRunner;

  constructor(deps: AlertingDeps, options: AlertingOptions = {}) {
    this.db = deps.db;
    this.config = deps.config;
    this.logger = deps.logger;
    this.now = options.now ?? Date.now;
    this.lifecycle = { db: deps.db, publicUrl: deps.config.alerts.publicUrl };
    this.budget = new EvaluationBudget(deps.config.alerts.evaluationBudget, deps.config.alerts.debounceMs);
    this.leadership = new Leadership(deps.db, deps.logger, {
      intervalMs: deps.config.alerts.leaderIntervalMs,
      channel: "modqc_alerting",
    });
    this.worker = new DeliveryWorker({
      db: deps.db,
      config: deps.config.alerts,
      logger: deps.logger,
      version: deps.config.version,
      now: this.now,
      random: options.random,
      resolve: options.resolve,
    });
    const evaluates = () => !this.stopped && !this.follower;
    this.auditRules = new AuditRuleRunner(this.lifecycle, deps, this.now, this.worker, evaluates);
  }

  /**
   * Starts alerting: at once on SQLite (one instance per database file); on PostgreSQL whenever this instance
   * holds the leadership (src/db/leadership.ts), while the others forward what they see to it.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopped = false;
    this.leadership.onGained(() => this.lead());
    this.leadership.onLost(() => void this.follow());
    this.leadership.onNotice((payload) => this.noticed(payload));
    this.leadership.start();
    if (this.leadership.isLeader) this.lead();
  }

  /** Whether this instance evaluates and delivers now (started and holding the leadership). */
  get leading(): boolean {
    return this.started && this.leadership.isLeader;
  }

  /** Whether this instance only forwards to the leader (another instance, on PostgreSQL). */
  get follower(): boolean {
    return this.started && !this.leadership.isLeader;
  }

  /**
   * Becomes the instance that evaluates and delivers: the evaluation timer (with one evaluation of every rule
   * right away) and the delivery worker. What this process kept in memory from an earlier term (rules, kept
   * scans, watermark) may be stale after another instance led, so it starts afresh.
   */
  private lead(): void {
    if (this.interval || this.stopped) return;
    this.auditRules.schedule(0); // first: catch up on audits committed before a crash or under another leader
    this.rulesChanged();
    this.watermark = undefined;
    this.evaluatedThrough.clear();
    this.chartScans.clear();
    this.thresholdScans.clear();
    this.worker.start();
    this.startup = setTimeout(() => void this.periodicEvaluation(TIMED_KINDS), 0);
    this.interval = setInterval(
      () => void this.periodicEvaluation(),
      this.config.alerts.evaluationIntervalMs,
    );
    this.interval.unref?.();
  }

  /** Leadership went to another instance: stop the timers and the worker until it comes back. */
  private async follow(): Promise<void> {
    if (this.interval) clearInterval(this.interval);
    if (this.startup) clearTimeout(this.startup);
    if (this.debounce) clearTimeout(this.debounce);
    this.interval = this.startup = this.debounce = undefined;
    await Promise.all([this.worker.stop(), this.evaluations, this.auditRules.pause()]);
  }

  /** Stops the timers and the worker (attempts in flight are aborted and stay pending); waits for an evaluation underway. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.follow();
    await this.leadership.stop();
  }

  /** What a follower told the leader (`forward`), run here as if it had happened in this process. */
  private noticed(payload: string): void {
    let notice: Notice;
    try {
      notice = JSON.parse(payload) as Notice;
    } catch {
      this.logger.error("ignored a notice that is not JSON on the alerting channel", { payload });
      return;
    }
    if (notice.kind === "audits") this.auditsIngested(notice.inserted);
    else if (notice.kind === "revisions") this.auditsRevised();
    else if (notice.kind === "calibration") this.calibrationClosed(notice.sessionId);
    else if (notice.kind === "rule") this.ruleChanged(notice.ruleId);
    else if (notice.kind === "rules") this.rulesChanged();
    else this.deliveriesQueued();
  }

  /**
   * On a follower, sends `notice` to the leader and returns true; else false (handle it here). After `stop()`
   * nothing is sent (the database is closing): the next leader's first evaluation looks at every rule anyway,
   * as does this instance's own first one while it is still taking the leadership.
   */
  private forward(notice: Notice): boolean {
    if (this.stopped && this.started) return true;
    if (!this.follower) return false;
    this.leadership
      .notify(JSON.stringify(notice))
      .catch((error) =>
        this.logger.error("could not tell the leading instance", { notice, error: String(error) }),
      );
    return true;
  }

  /** An ingest committed `inserted` new audits: schedule an evaluation (never runs in the caller's turn). */
  auditsIngested(inserted: number): void {
    if (inserted <= 0 || this.forward({ kind: "audits", inserted })) return;
    this.auditRules.schedule();
    this.pendingInserted += inserted;
    this.ingestPending = true;
    this.scheduleRun();
  }

  /**
   * Audits were corrected (after the commit): every chart and threshold rule is evaluated afresh, without the
   * kept scans (`forgetScansIfRevised`), exactly as a fresh evaluation would.
   */
  auditsRevised(): void {
    if (this.forward({ kind: "revisions" })) return;
    this.auditRules.schedule();
    this.revisedPending = true;
    this.scheduleRun();
  }

  /**
   * Kept scans count audits by seq and assume a counted audit never changes; a correction (a new row in
   * audit_revisions, seen by its growing maximum seq, whichever instance made it) drops them.
   */
  private async forgetScansIfRevised(): Promise<void> {
    const revisions = await maxRevisionSeq(this.db);
    if (revisions === this.revisionsSeen) return;
    this.chartScans.clear();
    this.thresholdScans.clear();
    this.revisionsSeen = revisions;
  }

  /** A calibration session closed (after its commit): evaluate agreement rules, emit calibration.closed. */
  calibrationClosed(sessionId: string): void {
    if (this.forward({ kind: "calibration", sessionId })) return;
    this.closedSessions.push(sessionId);
    this.scheduleRun();
  }

  /** A rule was created or changed (after its commit): evaluate it soon. */
  ruleChanged(ruleId: string): void {
    if (this.forward({ kind: "rule", ruleId })) return;
    this.rulesChanged();
    this.changedRules.add(ruleId);
    this.scheduleRun();
  }

  /** A rule was deleted, or changed without needing an evaluation (after its commit). */
  rulesChanged(): void {
    if (this.forward({ kind: "rules" })) return;
    this.rulesCache = undefined;
    this.rulesVersion++;
  }

  /**
   * Enabled rules of the given kinds, parsed once and kept until a rule changes through this process's API.
   * (A change made through another instance is not seen until then: to be handled with several instances.)
   */
  private async enabledRules<K extends ConditionKind>(kinds: readonly K[]): Promise<Rule<K>[]> {
    let rules = this.rulesCache;
    if (!rules) {
      const version = this.rulesVersion;
      rules = await enabledRules(this.db, [...TIMED_KINDS, "agreement"]);
      if (version === this.rulesVersion) this.rulesCache = rules; // else a rule changed meanwhile: read again next time
    }
    return rules.filter((rule) => isRuleOf(rule, ...kinds));
  }

  /** New deliveries were queued outside an evaluation (acknowledgements, redeliveries, rule changes). */
  deliveriesQueued(): void {
    if (this.forward({ kind: "deliveries" })) return;
    this.worker.kick();
  }

  /** Runs any scheduled evaluation now; resolves when it (and the one underway, if any) has ended. */
  async flush(): Promise<void> {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = undefined;
    await this.auditRules.flush();
    await this.serially(() => this.runPending());
  }

  /** Runs `work` after every evaluation queued before it has ended. */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.evaluations.then(work);
    this.evaluations = run.catch(() => {});
    return run;
  }

  private scheduleRun(): void {
    if (this.debounce || this.stopped) return;
    const wait = this.budget.waitMs();
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.serially(() => this.runPending());
    }, wait);
    this.debounce.unref?.();
  }

  private async runPending(): Promise<void> {
    const gate = writeGate(this.db);
    // While the writer thread holds the database, evaluation waits for it (reads of alerts answer from what is
    // committed, which does not include that write yet).
    if (gate.busy) {
      void gate.idle().then(() => this.scheduleRun());
      return;
    }
    const started = performance.now();
    try {
      while (this.closedSessions.length > 0) await this.evaluateCalibration(this.closedSessions.shift()!);
      const selected = new Map<string, Rule>();
      if (this.ingestPending) {
        for (const rule of await this.rulesTouchedByIngest()) selected.set(rule.id, rule);
      }
      if (this.revisedPending) {
        this.revisedPending = false;
        for (const rule of await this.enabledRules(["chart", "threshold"])) selected.set(rule.id, rule);
      }
      // Taken before the reads: a rule changed meanwhile stays queued for the next run.
      const changed = [...this.changedRules];
      this.changedRules.clear();
      for (const id of changed) {
        const rule = await getRule(this.db, id);
        if (rule?.enabled && isRuleOf(rule, ...TIMED_KINDS)) selected.set(id, rule);
      }
      if (selected.size > 0) await this.evaluateRules([...selected.values()]);
    } catch (error) {
      this.logger.error("alert evaluation failed", {
        error: error instanceof Error ? error.stack : String(error),
      });
    } finally {
      this.budget.charge(performance.now() - started, Date.now(), true);
    }
  }

  /** Chart and threshold rules whose scope the audits stored since the last evaluation touch. */
  private async rulesTouchedByIngest(): Promise<Rule[]> {
    const inserted = this.pendingInserted;
    this.ingestPending = false;
    this.pendingInserted = 0;
    const since = this.watermark;
    const through = await maxAuditSeq(this.db);
    this.watermark = through;
    const rules = (await this.enabledRules(["chart", "threshold"])).filter(
      (rule) => (this.evaluatedThrough.get(rule.id) ?? -1) < through,
    );
    return rulesTouchedSince(this.db, rules, since, inserted);
  }

  /**
   * The timer's evaluation: every enabled threshold and auditor-accuracy rule (their windows slide with the
   * clock; gold verdicts reach the latter only this way), then due
   * repeat notifications. Chart rules depend on the stored audits only (the latest period is the one holding
   * the most recent audit), so they are evaluated when an ingest touches their scope, when they are created
   * or changed, and once at start — not on the timer. `kinds` widens the set (start, tests, tools).
   */
  evaluateAll(kinds: readonly TimedKind[] = ["threshold", "auditor-accuracy"]): Promise<EvaluationSummary> {
    return this.serially(async () => {
      const summary = await this.evaluateRules(await this.enabledRules(kinds));
      const repeats = await emitRepeats(this.lifecycle, this.now());
      summary.deliveries += repeats;
      if (repeats > 0) this.worker.kick();
      return summary;
    });
  }

  /**
   * The periodic evaluation, the one entry point of the timers (at start and every interval): what ingests
   * left pending, then `evaluateAll`. Skipped while a bulk upload is being written (the next tick evaluates).
   */
  private async periodicEvaluation(kinds?: readonly TimedKind[]): Promise<void> {
    if (writeGate(this.db).busy) return;
    let started = performance.now();
    try {
      await this.flush(); // charges its own time
      started = performance.now();
      await this.evaluateAll(kinds);
    } catch (error) {
      this.logger.error("timer evaluation failed", {
        error: error instanceof Error ? error.stack : String(error),
      });
    } finally {
      this.budget.charge(performance.now() - started);
    }
  }

  /**
   * Evaluates the given rules: the scans outside any transaction, then one transaction per rule that has
   * something to change. Runs inside `serially`.
   */
  private async evaluateRules(rules: readonly Rule[]): Promise<EvaluationSummary> {
    const summary: EvaluationSummary = { rules: 0, fired: 0, resolved: 0, deliveries: 0, errors: 0 };
    const now = this.now();
    const cache: QueryCache = new Map();
    const withOpen = await rulesWithOpenAlerts(this.db);
    // Chart rules with the same scope and zone share one scan covering all their windows.
    const charts = new Map<string, Rule<"chart">[]>();
    for (const rule of rules) {
      if (!isRuleOf(rule, "chart")) continue;
      const key = chartScanKey(rule, this.config.timeZone);
      charts.set(key, [...(charts.get(key) ?? []), rule]);
    }
    await this.forgetScansIfRevised();
    const maxSeq = await maxAuditSeq(this.db);
    // Threshold rules with whole-day windows and the same scan filter share one grouped query.
    const thresholds = new Map<string, Rule<"threshold">[]>();
    for (const rule of rules) {
      if (!isRuleOf(rule, "threshold")) continue;
      const key = thresholdScanKey(rule);
      if (key !== undefined) thresholds.set(key, [...(thresholds.get(key) ?? []), rule]);
    }
    for (const [key, group] of thresholds) {
      try {
        cache.set(key, await this.thresholdScans.scan(this.db, group, now, maxSeq));
      } catch (error) {
        this.logger.error("alert threshold scan failed", { error: messageOf(error) });
      }
    }
    for (const [key, group] of charts) {
      try {
        cache.set(key, await this.chartScans.scan(this.db, group, this.config.timeZone, maxSeq));
      } catch (error) {
        this.logger.error("alert chart scan failed", { error: messageOf(error) });
      }
    }
    for (const rule of rules) {
      try {
        const outcomes = await evaluateTimedRule(this.db, rule, this.config.timeZone, now, cache);
        summary.rules++;
        this.evaluatedThrough.set(rule.id, maxSeq);
        if (!withOpen.has(rule.id) && !outcomes.some((o) => o.breach)) continue;
        const applied = await applyOutcomes(this.lifecycle, rule, outcomes, now);
        summary.fired += applied.fired;
        summary.resolved += applied.resolved;
        summary.deliveries += applied.deliveries;
      } catch (error) {
        summary.errors++;
        this.logger.error("alert rule evaluation failed", { rule: rule.id, error: messageOf(error) });
      }
    }
    this.chartScans.sweep();
    this.thresholdScans.sweep();
    if (summary.deliveries > 0) this.worker.kick();
    return summary;
  }

  /** Agreement rules and the calibration.closed event for a session that has just closed (inside `serially`). */
  private async evaluateCalibration(sessionId: string): Promise<void> {
    const rules = await this.enabledRules(["agreement"]);
    const deliveries = await announceClosedSession(this.lifecycle, sessionId, rules, this.now());
    if (deliveries > 0) this.worker.kick();
  }
}
