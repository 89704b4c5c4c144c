/**
 * Evaluations may use at most a share (MODQC_ALERT_BUDGET_PERCENT, default 10 %) of the process's time: a
 * budget that refills at that share per ms (never above zero: no credit is saved up while idle) and is charged
 * each evaluation's duration, the timer's included. An ingest-triggered evaluation runs as soon as the budget is
 * not in debt — at once after a quiet spell — else when the debt is paid: after a run of d ms the next waits
 * about (1/share − 1)·d.
 */
export class EvaluationBudget {
  private tokens = 0;
  private tokensAt = Date.now();
  private lastRunEnd = 0;

  /** `share`: the fraction of time evaluations may use; `debounceMs`: the least time between two runs. */
  constructor(
    private readonly share: number,
    private readonly debounceMs: number,
  ) {}

  /** How long a run asked for now must wait: until the debt is paid and the debounce has passed. */
  waitMs(now = Date.now()): number {
    this.refill(now);
    const budgetWait = this.tokens >= 0 ? 0 : -this.tokens / this.share;
    return Math.max(0, budgetWait, this.lastRunEnd + this.debounceMs - now);
  }

  /** Charges a run that took `ms` and ended at `end`; `triggered` runs also start the debounce. */
  charge(ms: number, end = Date.now(), triggered = false): void {
    if (triggered) this.lastRunEnd = end;
    this.refill(end);
    this.tokens -= ms;
  }

  private refill(now: number): void {
    this.tokens = Math.min(0, this.tokens + (now - this.tokensAt) * this.share);
    this.tokensAt = now;
  }
}
