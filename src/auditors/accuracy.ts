import { proportionInterval } from "../../stats/proportion-interval.ts";

/**
 * Auditors' accuracy on gold items (issue 16): the share of their scored verdicts on gold slots that matched
 * the known answer, overall, by the gold's expected error type ("none" for a decision that was right) and by
 * queue, each with a two-sided Wilson score interval. Only the latest verdict of each gold slot counts (a
 * corrected verdict replaces the first one, as everywhere else).
 */

/** One scored verdict on a gold slot (the latest of its slot), as `goldScores` reads it. */
export interface ScoredGoldVerdict {
  auditor: string;
  queue: string | null;
  expectedOutcome: "correct" | "incorrect";
  expectedErrorType: string | null;
  correct: boolean;
  recordedMs: number;
}

export interface AccuracyCell {
  gold: number;
  correct: number;
  accuracy: number;
  lower: number;
  upper: number;
}

export interface AuditorAccuracy extends AccuracyCell {
  auditor: string;
  byErrorType: ({ errorType: string } & AccuracyCell)[];
  byQueue: ({ queue: string | null } & AccuracyCell)[];
}

/** What a gold item's expected answer is called in `byErrorType`: its error type, or "none" when it was right. */
export const expectedKind = (verdict: Pick<ScoredGoldVerdict, "expectedOutcome" | "expectedErrorType">) =>
  verdict.expectedOutcome === "correct" ? "none" : (verdict.expectedErrorType ?? "unspecified");

function cell(gold: number, correct: number, confidence: number): AccuracyCell {
  const interval = proportionInterval(correct, gold, { confidence, method: "wilson" });
  return { gold, correct, accuracy: correct / gold, lower: interval.lower, upper: interval.upper };
}

type Counts = [gold: number, correct: number];

function add<K>(map: Map<K, Counts>, key: K, correct: boolean) {
  const counts = map.get(key);
  if (counts) {
    counts[0]++;
    if (correct) counts[1]++;
  } else map.set(key, [1, correct ? 1 : 0]);
}

const byKey = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

/**
 * Each auditor's accuracy on the verdicts given, sorted by auditor (code-point order).
 * @param confidence of the Wilson intervals, in (0, 1)
 */
export function accuracyByAuditor(
  verdicts: Iterable<ScoredGoldVerdict>,
  confidence: number,
): AuditorAccuracy[] {
  const auditors = new Map<
    string,
    { all: Counts; types: Map<string, Counts>; queues: Map<string | null, Counts> }
  >();
  for (const verdict of verdicts) {
    let entry = auditors.get(verdict.auditor);
    if (!entry) auditors.set(verdict.auditor, (entry = { all: [0, 0], types: new Map(), queues: new Map() }));
    entry.all[0]++;
    if (verdict.correct) entry.all[1]++;
    add(entry.types, expectedKind(verdict), verdict.correct);
    add(entry.queues, verdict.queue, verdict.correct);
  }
  return [...auditors]
    .sort(([a], [b]) => byKey(a, b))
    .map(([auditor, { all, types, queues }]) => ({
      auditor,
      ...cell(all[0], all[1], confidence),
      byErrorType: [...types]
        .sort(([a], [b]) => byKey(a, b))
        .map(([errorType, [gold, correct]]) => ({ errorType, ...cell(gold, correct, confidence) })),
      byQueue: [...queues]
        .sort(([a], [b]) => byKey(a, b))
        .map(([queue, [gold, correct]]) => ({ queue, ...cell(gold, correct, confidence) })),
    }));
}
