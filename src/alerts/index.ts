import { metricsOf } from "../metrics/metrics.ts";
import { Alerting, type AlertingDeps, type AlertingOptions } from "./engine.ts";

/**
 * Alerting (issue 7): rules over audit data, the alert lifecycle, and signed webhooks delivered at least once.
 * The hooks below are what other modules call; they never evaluate anything in the caller's turn.
 */
export { Alerting, type AlertingOptions } from "./engine.ts";

/** The deps with an alerting runtime (a new, not started one when absent: timers and worker stay off). */
export function withAlerting<D extends AlertingDeps & { alerts?: Alerting }>(
  deps: D,
  options?: AlertingOptions,
): D & { alerts: Alerting } {
  return deps.alerts ? (deps as D & { alerts: Alerting }) : { ...deps, alerts: new Alerting(deps, options) };
}

/** Call after an audit ingest has committed (also counts them for GET /metrics). */
export function onAuditsIngested(deps: { alerts?: Alerting }, inserted: number): void {
  metricsOf(deps.alerts)?.auditsIngested(inserted);
  deps.alerts?.auditsIngested(inserted);
}

/** Call after a correction of audits (a revision) has committed: kept alert scans are stale. */
export function onAuditsRevised(deps: { alerts?: Alerting }): void {
  deps.alerts?.auditsRevised();
}

/** Call after a calibration session's close has committed. */
export function onCalibrationClosed(deps: { alerts?: Alerting }, sessionId: string): void {
  deps.alerts?.calibrationClosed(sessionId);
}
