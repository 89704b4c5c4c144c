import type { AlertsConfig } from "../config.ts";
import { getRule } from "../db/alert-rules.ts";
import { getAlert } from "../db/alerts.ts";
import type { Db } from "../db/database.ts";
import { firingAlertIds } from "../db/webhooks.ts";
import { postableAlert, ruleInfo } from "./payloads.ts";
import type { Rule } from "./rules.ts";

/**
 * What the delivery worker re-sends to `alertmanager-api` webhooks every MODQC_ALERTMANAGER_REFRESH_MS (see
 * src/alerts/worker.ts): every firing alert as it is now, with endsAt a few intervals ahead, so Alertmanager
 * keeps it active while modqc keeps refreshing it and ends it on its own if modqc stops.
 */

/** A refresh re-sends at most this many firing alerts, in bodies of at most REFRESH_BATCH alerts. */
const REFRESH_MAX_ALERTS = 10_000;
const REFRESH_BATCH = 500;
/** A refreshed alert ends this many refresh intervals ahead unless refreshed again (Prometheus uses 4). */
const REFRESH_HORIZON_INTERVALS = 4;

/** Alertmanager's alerts endpoint for a webhook URL that names it or the Alertmanager's base (which may have a path). */
export function alertmanagerAlertsUrl(url: string): URL {
  const target = new URL(url);
  if (!/\/api\/v2\/alerts\/?$/.test(target.pathname)) {
    target.pathname = `${target.pathname.replace(/\/+$/, "")}/api/v2/alerts`;
  }
  return target;
}

/** The JSON bodies (arrays of postable alerts) of one refresh; none when nothing fires. */
export async function firingAlertBodies(db: Db, config: AlertsConfig, now: number): Promise<string[]> {
  const endsAtMs = now + REFRESH_HORIZON_INTERVALS * config.alertmanagerRefreshMs;
  const rules = new Map<string, Rule | undefined>();
  const alerts: ReturnType<typeof postableAlert>[] = [];
  for (const id of await firingAlertIds(db, REFRESH_MAX_ALERTS)) {
    const alert = await getAlert(db, id);
    if (alert?.state !== "firing") continue;
    if (!rules.has(alert.ruleId)) rules.set(alert.ruleId, await getRule(db, alert.ruleId));
    const rule = rules.get(alert.ruleId);
    if (rule) alerts.push(postableAlert(alert, ruleInfo(rule), config.publicUrl, endsAtMs));
  }
  const bodies: string[] = [];
  for (let start = 0; start < alerts.length; start += REFRESH_BATCH) {
    bodies.push(JSON.stringify(alerts.slice(start, start + REFRESH_BATCH)));
  }
  return bodies;
}
