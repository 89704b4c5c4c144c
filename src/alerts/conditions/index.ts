/**
 * Condition evaluation, one file per condition kind: chart.ts (control charts from day cells per scope and
 * zone), threshold.ts (error rates from cells by age in days), agreement.ts (a closed calibration's
 * coefficient), audit.ts (one audit that matches), auditor-accuracy.ts (auditors' accuracy on gold items); shared.ts (outcomes, labels, links) and scan-cache.ts
 * (scans kept between evaluations).
 */
export { evaluateAgreement } from "./agreement.ts";
export { type AuditEvidence, auditMatches, auditOutcome } from "./audit.ts";
export { evaluateAuditorAccuracy } from "./auditor-accuracy.ts";
export { type ChartScan, ChartScanCache, chartScanKey, evaluateChart, scanForCharts } from "./chart.ts";
export type { GroupOutcome, QueryCache } from "./shared.ts";
export { evaluateThreshold, scanForThresholds, ThresholdScanCache, thresholdScanKey } from "./threshold.ts";
