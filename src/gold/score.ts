/**
 * How a verdict on a gold item is scored against the gold's known answer (issue 16).
 *
 * Rule ("outcome, then error type"): a verdict is correct when its outcome equals the known outcome and, when
 * the known outcome is `incorrect`, its error type equals the known error type. Severity and correct policy
 * are stored with the verdict and reported, but not scored: severity scales are judged differently between
 * queues, and the correct policy is free text.
 * @example goldCorrect({ outcome: "incorrect", errorType: "false-negative" },
 *   { outcome: "incorrect", errorType: "false-positive" }) // false
 */
import type { ErrorType, Outcome } from "../audits/validate.ts";

export interface GoldAnswer {
  outcome: Outcome;
  errorType: ErrorType | null;
}

export function goldCorrect(expected: GoldAnswer, verdict: GoldAnswer): boolean {
  if (verdict.outcome !== expected.outcome) return false;
  return expected.outcome === "correct" || verdict.errorType === expected.errorType;
}
