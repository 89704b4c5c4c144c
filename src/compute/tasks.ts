import { type DawidSkeneInput, dawidSkene } from "../../stats/agreement/dawid-skene.ts";
import { agreement, type WeightScheme } from "../../stats/agreement/index.ts";
import { type ChartDesignInput, chartDesign } from "../../stats/spc/chart-design.ts";
import {
  type ChartInput,
  type CompareInput,
  chart,
  compare,
  type FunnelInput,
  funnel,
} from "../../stats/spc/index.ts";
import { type DesignedCondition, designChartCondition } from "../alerts/conditions/chart-designs.ts";
import { type PreviewInput, previewRule } from "../alerts/preview.ts";
import { type SampleSizeRequest, sampleSize } from "../calculators/sample-size.ts";
import { type GoldUse, sessionLatentClass } from "../calibrations/latent-class.ts";
import { calibrationReport, itemTableExport } from "../calibrations/report.ts";
import type { AuditFilter } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import type { AuditPeriod } from "../db/disputes.ts";
import { disputeStats } from "../feedback/dispute-stats.ts";
import { unreadFindings } from "../feedback/findings.ts";
import { scorecardList, scorecardListTable } from "../feedback/scorecard-list.ts";
import { moderatorScorecard, type ScorecardInput, type ScorecardListInput } from "../feedback/scorecards.ts";
import { type PolicyConfusionQuery, policyConfusion } from "../reports/policy-confusion.ts";
import { type PolicyImpactQuery, policyImpact } from "../reports/policy-impact.ts";
import { type QualityQuery, qualityReport } from "../reports/quality.ts";
import { type StoredChartQuery, storedChart } from "../reports/stored-chart.ts";
import { type StoredFunnelQuery, storedFunnel } from "../reports/stored-funnel.ts";
import { mismatchedDays } from "../rollups/rebuild.ts";

/**
 * The CPU-heavy work a request may hand off: calculators over the request body, and reports over stored
 * audits (`db()` opens the thread's own connection on first use: read-only on SQLite). Each runs the same in a pool thread
 * (src/compute/worker.ts) and inline (tests, in-memory databases). Inputs and results must survive a
 * structured clone: plain data only.
 */
const TASKS = {
  quality: (input: { query: QualityQuery; timeZone: string }, db: () => Db) =>
    qualityReport(db(), input.query, input.timeZone),
  "stored-chart": (input: { query: StoredChartQuery; timeZone: string }, db: () => Db) =>
    storedChart(db(), input.query, input.timeZone),
  "stored-funnel": (input: { query: StoredFunnelQuery; timeZone: string }, db: () => Db) =>
    storedFunnel(db(), input.query, input.timeZone),
  "policy-confusion": (input: { query: PolicyConfusionQuery; timeZone: string }, db: () => Db) =>
    policyConfusion(db(), input.query, input.timeZone),
  "policy-impact": (input: { query: PolicyImpactQuery; timeZone: string }, db: () => Db) =>
    policyImpact(db(), input.query, input.timeZone),
  "unread-findings": (input: { filter: AuditFilter; limit: number }, db: () => Db) =>
    unreadFindings(db(), input.filter, input.limit),
  "dispute-stats": (input: AuditPeriod, db: () => Db) => disputeStats(db(), input),
  scorecard: (input: ScorecardInput, db: () => Db) => moderatorScorecard(db(), input),
  scorecards: (input: ScorecardListInput, db: () => Db) => scorecardList(db(), input),
  "scorecards-table": async (input: ScorecardListInput, db: () => Db) =>
    scorecardListTable(await scorecardList(db(), input)),
  chart: (input: ChartInput) => chart(input),
  "chart-design": (input: ChartDesignInput) => chartDesign(input),
  funnel: (input: FunnelInput) => funnel(input),
  compare: (input: CompareInput) => compare(input),
  agreement: (input: Parameters<typeof agreement>[0]) => agreement(input),
  "sample-size": (input: SampleSizeRequest) => sampleSize(input),
  "calibration-report": (input: { id: string; weights?: WeightScheme; confidence?: number }, db: () => Db) =>
    calibrationReport(db(), input.id, input),
  "calibration-items-table": (input: { id: string }, db: () => Db) => itemTableExport(db(), input.id),
  "latent-class": (input: DawidSkeneInput) => dawidSkene(input),
  "calibration-latent-class": (input: { id: string; gold?: GoldUse }, db: () => Db) =>
    sessionLatentClass(db(), input.id, input),
  "alert-preview": (input: PreviewInput, db: () => Db) => previewRule(db(), input),
  "alert-rule-design": (input: DesignedCondition) => designChartCondition(input),
  "rollup-check": (input: { fromMs: number; toMs: number }, db: () => Db) => mismatchedDays(db(), input),
};

export type TaskKind = keyof typeof TASKS;
export type TaskInput<K extends TaskKind> = Parameters<(typeof TASKS)[K]>[0];
export type TaskResult<K extends TaskKind> = Awaited<ReturnType<(typeof TASKS)[K]>>;

export async function runTask<K extends TaskKind>(
  kind: K,
  input: TaskInput<K>,
  db: () => Db,
): Promise<TaskResult<K>> {
  const task = TASKS[kind] as (input: TaskInput<K>, db: () => Db) => TaskResult<K> | Promise<TaskResult<K>>;
  return task(input, db);
}
