import { agreement, type WeightScheme } from "../../stats/agreement/index.ts";
import {
  type ChartInput,
  type CompareInput,
  chart,
  compare,
  type FunnelInput,
  funnel,
} from "../../stats/spc/index.ts";
import { type SampleSizeRequest, sampleSize } from "../calculators/sample-size.ts";
import { calibrationReport, itemTableCsv } from "../calibrations/report.ts";
import type { AuditFilter } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import { unreadFindings } from "../feedback/findings.ts";
import { type QualityQuery, qualityReport } from "../reports/quality.ts";
import { type StoredChartQuery, storedChart } from "../reports/stored-chart.ts";
import { type StoredFunnelQuery, storedFunnel } from "../reports/stored-funnel.ts";

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
  "unread-findings": (input: { filter: AuditFilter; limit: number }, db: () => Db) =>
    unreadFindings(db(), input.filter, input.limit),
  chart: (input: ChartInput) => chart(input),
  funnel: (input: FunnelInput) => funnel(input),
  compare: (input: CompareInput) => compare(input),
  agreement: (input: Parameters<typeof agreement>[0]) => agreement(input),
  "sample-size": (input: SampleSizeRequest) => sampleSize(input),
  "calibration-report": (input: { id: string; weights?: WeightScheme; confidence?: number }, db: () => Db) =>
    calibrationReport(db(), input.id, input),
  "calibration-items-csv": (input: { id: string }, db: () => Db) => itemTableCsv(db(), input.id),
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
