import type { Config } from "../config.ts";
import {
  type AuditMark,
  auditMark,
  auditsByIds,
  auditsRevisedBetween,
  candidateAudits,
  enabledAuditRuleMarks,
  type MarkedAudit,
  newestSeqs,
  revisionsOf,
  type StoredRevision,
  setAuditMark,
  startAuditMark,
} from "../db/alert-audit-marks.ts";
import { getRule } from "../db/alert-rules.ts";
import { openAlertOf } from "../db/alerts.ts";
import type { Logger } from "../logger.ts";
import { type AuditEvidence, auditMatches, auditOutcome } from "./conditions/index.ts";
import {
  backgroundTransaction,
  fingerprint,
  type LifecycleContext,
  openAlert,
  refreshAlert,
  resolveAlert,
} from "./lifecycle.ts";
import { isRuleOf } from "./rules.ts";
import type { DeliveryWorker } from "./worker.ts";

/**
 * Audit rules (critical-error escalation): one alert per audit that matches, fired within moments of the
 * audit's commit, resolved when a lead acknowledges it with a note (src/alerts/lifecycle.ts `acknowledge`) or
 * when a correction makes the audit stop matching.
 *
 * Each rule has a mark (src/db/alert-audit-marks.ts): the audits.seq and audit_revisions.seq up to which it has
 * evaluated. A pass reads what lies above the mark, fires and resolves alerts, queues their deliveries and moves
 * the mark, all in ONE transaction: a process killed between an audit's commit and its alert's delivery finds
 * the audit above the mark, or the delivery in the outbox, when it starts again. A re-sent audit (a duplicate)
 * gets no new seq and so never fires twice.
 *
 * An audit's state "as of" a revision seq S is its revision with the highest seq at most S (its original before
 * any). A pass from mark (a, r) to (a', r') compares, for each audit it touches (new with seq in (a, a'], or
 * revised with a revision seq in (r, r']), whether it matched as of r (never, for a new audit) with whether it
 * matches as of r': no → yes fires, yes → no resolves the open alert, yes → yes refreshes an open alert's
 * evidence. So however the passes cut the seqs, each change of an audit counts once.
 */

/** Seqs of audits (and of revisions) one pass reads at most: bounds the pass's transaction. */
const PASS_SEQS = 2_000;

interface PassResult {
  fired: number;
  resolved: number;
  deliveries: number;
  /** Whether the mark reached the newest audit and revision the pass saw. */
  caughtUp: boolean;
}

/** The audit as of revision seq `through`: `history` is every revision of it, in seq order (none if never corrected). */
function asOf(audit: MarkedAudit, history: readonly StoredRevision[], through: number): AuditEvidence {
  const { seq: _, ...latest } = audit;
  if (history.length === 0) return latest;
  const revision = history.findLast((r) => r.seq <= through) ?? history[0];
  return {
    ...latest,
    outcome: revision.outcome,
    errorType: revision.errorType,
    severity: revision.severity,
    correctPolicy: revision.correctPolicy,
    notes: revision.notes,
    revision: revision.revision,
  };
}

/** One pass of one audit rule (one transaction): from its mark up to at most PASS_SEQS further. */
export function auditRulePass(ctx: LifecycleContext, ruleId: string, now: number): Promise<PassResult> {
  return backgroundTransaction(ctx.db, async (tx) => {
    const result: PassResult = { fired: 0, resolved: 0, deliveries: 0, caughtUp: true };
    // Read inside the transaction: a rule changed or disabled meanwhile is evaluated as it now is, or not at all.
    const rule = await getRule(tx, ruleId);
    if (!rule?.enabled || !isRuleOf(rule, "audit")) return result;
    const mark = await auditMark(tx, ruleId);
    if (!mark) {
      // A rule stored without a mark (e.g. copied to another database): start now, as a new rule does.
      await startAuditMark(tx, ruleId);
      return result;
    }
    const newest = await newestSeqs(tx);
    const next: AuditMark = {
      auditSeq: Math.max(mark.auditSeq, Math.min(newest.auditSeq, mark.auditSeq + PASS_SEQS)),
      revisionSeq: mark.revisionSeq,
    };
    // Revisions only once the audits are caught up: every audit a revision names is then below the mark.
    if (next.auditSeq >= newest.auditSeq)
      next.revisionSeq = Math.max(
        mark.revisionSeq,
        Math.min(newest.revisionSeq, mark.revisionSeq + PASS_SEQS),
      );
    result.caughtUp = next.auditSeq >= newest.auditSeq && next.revisionSeq >= newest.revisionSeq;

    const touched = new Map<string, MarkedAudit>();
    for (const audit of await candidateAudits(tx, rule.condition, mark.auditSeq, next.auditSeq))
      touched.set(audit.id, audit);
    if (next.revisionSeq > mark.revisionSeq) {
      const revised = await auditsRevisedBetween(tx, mark.revisionSeq, next.revisionSeq);
      for (const audit of await auditsByIds(
        tx,
        revised.filter((id) => !touched.has(id)),
      ))
        touched.set(audit.id, audit);
    }
    const histories = new Map<string, StoredRevision[]>();
    const corrected = [...touched.values()].filter((a) => a.revision > 1).map((a) => a.id);
    for (const revision of await revisionsOf(tx, corrected)) {
      const history = histories.get(revision.auditId);
      if (history) history.push(revision);
      else histories.set(revision.auditId, [revision]);
    }
    const audits = [...touched.values()].sort((a, b) => a.seq - b.seq);
    for (const audit of audits) {
      const history = histories.get(audit.id) ?? [];
      const before =
        audit.seq <= mark.auditSeq && auditMatches(rule.condition, asOf(audit, history, mark.revisionSeq));
      const state = asOf(audit, history, next.revisionSeq);
      const after = auditMatches(rule.condition, state);
      if (!before && !after) continue;
      const key = fingerprint(rule.id, { audit: audit.id });
      const open = await openAlertOf(tx, key);
      if (after && !before) {
        if (open) continue;
        result.fired++;
        result.deliveries +=
          (await openAlert(tx, ctx.publicUrl, rule, key, auditOutcome(rule, state), now)) ?? 0;
      } else if (!after) {
        if (!open) continue;
        result.resolved++;
        const reason = `audit ${audit.id} corrected (revision ${state.revision}): it no longer matches the rule`;
        result.deliveries += await resolveAlert(tx, ctx.publicUrl, rule, open, reason, now);
      } else if (open && (open.evidence.audit as AuditEvidence | undefined)?.revision !== state.revision) {
        await refreshAlert(tx, rule, open, auditOutcome(rule, state), now);
      }
    }
    await setAuditMark(tx, rule.id, next);
    return result;
  });
}

/** The longest an ingest or a correction waits for audit rules (less with a shorter MODQC_ALERT_DEBOUNCE_MS). */
const AUDIT_RULE_DELAY_MS = 20;

/**
 * Runs audit rules' passes: soon after an ingest or a correction (a short coalescing delay, never the chart and
 * threshold rules' budget and debounce), at start and on a new leader term (catching up whatever was committed
 * before a crash), and whenever the engine flushes (its timer too, as a safety net). Passes run one at a time;
 * each rule's passes loop until its mark reaches the newest seqs, yielding to other work between passes.
 */
export class AuditRuleRunner {
  private timer: NodeJS.Timeout | undefined;
  private requested = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly delayMs: number;
  private readonly logger: Logger;

  constructor(
    private readonly ctx: LifecycleContext,
    deps: { logger: Logger; config: Config },
    private readonly now: () => number,
    /** Woken when deliveries were queued. */
    private readonly worker: Pick<DeliveryWorker, "kick">,
    /** Whether this process evaluates now (not on a follower instance, nor once stopped). */
    private readonly evaluates: () => boolean,
  ) {
    this.logger = deps.logger;
    this.delayMs = Math.min(deps.config.alerts.debounceMs, AUDIT_RULE_DELAY_MS);
  }

  /** Run passes after `delayMs` (coalescing everything asked for meanwhile). */
  schedule(delayMs = this.delayMs): void {
    this.requested = true;
    if (this.timer || !this.evaluates()) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delayMs);
    this.timer.unref?.();
  }

  /** Runs passes now; resolves when every rule is caught up (or could not be: logged). */
  flush(): Promise<void> {
    this.cancel();
    this.requested = true;
    return this.run();
  }

  /** Drops a scheduled run; resolves when the one underway (if any) has ended. */
  async pause(): Promise<void> {
    this.cancel();
    await this.chain;
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One catch-up, after the one underway; what arrives meanwhile waits for its own (coalescing) timer. */
  private run(): Promise<void> {
    const run = this.chain.then(async () => {
      if (!this.requested || !this.evaluates()) return;
      this.requested = false;
      await this.catchUp();
    });
    this.chain = run.catch(() => {});
    return run;
  }

  private async catchUp(): Promise<void> {
    const { ctx, logger } = this;
    let rules: Awaited<ReturnType<typeof enabledAuditRuleMarks>>;
    let newest: AuditMark;
    try {
      [rules, newest] = await Promise.all([enabledAuditRuleMarks(ctx.db), newestSeqs(ctx.db)]);
    } catch (error) {
      logger.error("audit rules: reading the marks failed", { error: String(error) });
      return;
    }
    for (const { ruleId, mark } of rules) {
      if (mark && mark.auditSeq >= newest.auditSeq && mark.revisionSeq >= newest.revisionSeq) continue;
      try {
        for (;;) {
          const pass = await auditRulePass(ctx, ruleId, this.now());
          if (pass.deliveries > 0) this.worker.kick();
          if (pass.caughtUp || !this.evaluates()) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
      } catch (error) {
        // Left at its mark: the next ingest, correction or timer tick tries again.
        logger.error("audit rule evaluation failed", {
          rule: ruleId,
          error: error instanceof Error ? error.stack : String(error),
        });
      }
    }
  }
}
