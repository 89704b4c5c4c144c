import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { type AllowList, parseAllowList } from "./alerts/address.ts";
import { parseDuration } from "./alerts/duration.ts";

export interface Config {
  host: string;
  port: number;
  /** SQLite's directory, and every instance's spool directory (`<dataDir>/tmp`). */
  dataDir: string;
  /** PostgreSQL instead of SQLite when set (MODQC_DATABASE_URL, `postgres://…`). */
  databaseUrl: string | undefined;
  /** Connections each instance keeps to PostgreSQL (MODQC_DATABASE_POOL, default 10). */
  databasePoolSize: number;
  /** A fixed admin key to install when the database has none (MODQC_ADMIN_KEY). */
  adminKey: string | undefined;
  /** Calculator routes (sample size, interval, allocation, agreement, charts) need no key unless false. */
  openCalculators: boolean;
  /** Largest request body accepted by ordinary routes, in bytes. */
  bodyLimit: number;
  /** Largest request body accepted by streaming ingest routes (audits, populations), in bytes. */
  ingestBodyLimit: number;
  /** IANA time zone that decides where a reporting day begins, unless a request names one. */
  timeZone: string;
  /** SQLite `synchronous` setting: NORMAL (WAL default, survives process crashes) or FULL (survives power cuts). */
  synchronous: "NORMAL" | "FULL";
  /** Serve the dashboard's source maps (`/assets/*.map`); 404 unless MODQC_SOURCE_MAPS=true. */
  sourceMaps: boolean;
  /** Slow-client limits of the HTTP server (`src/http/slow-requests.ts`). */
  timeouts: TimeoutsConfig;
  /** Worker threads for calculators and reports (MODQC_COMPUTE_THREADS, MODQC_COMPUTE_TIMEOUT_MS). */
  compute: { threads: number; timeoutMs: number };
  /** Alerting (issue 7): see README "Alerts and webhooks". */
  alerts: AlertsConfig;
  /** The feedback loop (issue 14): moderators, targets, disputes. */
  feedback: FeedbackConfig;
  /** `GET /metrics` (issue 15): see README "Prometheus metrics". */
  metrics: MetricsConfig;
  version: string;
}

export interface MetricsConfig {
  /**
   * Who may scrape `GET /metrics` (MODQC_METRICS): `off` (404, and no request is measured), `loopback` (only
   * from 127.0.0.0/8 or ::1, no token) or `token` (a bearer MODQC_METRICS_TOKEN from anywhere). Default: `token`
   * when MODQC_METRICS_TOKEN is set, else `loopback`.
   */
  mode: "off" | "loopback" | "token";
  /** The bearer token of mode `token` (MODQC_METRICS_TOKEN, at least 16 characters). */
  token: string | undefined;
  /** The longest a scrape waits for the database's figures before answering without them (MODQC_METRICS_TIMEOUT_MS). */
  scrapeTimeoutMs: number;
}

export interface FeedbackConfig {
  /** Moderator keys see the auditor's name on their findings (MODQC_SHOW_AUDITOR_TO_MODERATOR, default false). */
  showAuditorToModerator: boolean;
  /** The error-rate target of queues without one of their own (MODQC_TARGET_ERROR_RATE, default 0.05). */
  targetErrorRate: number;
  /** How long after an audit its moderator may dispute it (MODQC_DISPUTE_WINDOW: ISO 8601 duration or days, default P14D). */
  disputeWindowMs: number;
}

export interface TimeoutsConfig {
  /** Time to receive a request's headers (MODQC_HEADERS_TIMEOUT_MS, default 20 000; Node's headersTimeout). */
  headersMs: number;
  /**
   * Time to receive a whole request, body included, on routes other than the ingest routes
   * (MODQC_REQUEST_TIMEOUT_MS, default 60 000). Ingest routes have no overall limit, only the rate floor.
   */
  requestMs: number;
  /** A body must bring at least this many bytes per window, on every route (MODQC_BODY_MIN_BYTES, 65 536). */
  bodyMinBytes: number;
  /** The window of the body-rate floor (MODQC_BODY_RATE_WINDOW_MS, default 10 000). */
  bodyRateWindowMs: number;
}

export interface AlertsConfig {
  /** Absolute base URL of this service, used in links sent to webhooks (MODQC_PUBLIC_URL). */
  publicUrl: string;
  /** Period of the timer evaluation of chart and threshold rules (MODQC_ALERT_INTERVAL_MS, default 60 000). */
  evaluationIntervalMs: number;
  /**
   * With several instances on PostgreSQL: how often a follower tries to take the leadership and the leader
   * checks its connection (MODQC_LEADER_INTERVAL_MS, default 2 000): a dead leader is replaced within it.
   */
  leaderIntervalMs: number;
  /** Minimum gap between two ingest-triggered evaluations; ingests in between coalesce (MODQC_ALERT_DEBOUNCE_MS). */
  debounceMs: number;
  /** Share of the process's time evaluations may use (MODQC_ALERT_BUDGET_PERCENT, default 10 → 0.1). */
  evaluationBudget: number;
  /** Hosts and CIDRs webhooks may reach even though they are loopback/private/link-local. */
  allowHosts: AllowList;
  /** Per-attempt timeout (MODQC_WEBHOOK_TIMEOUT_MS, default 10 000). */
  webhookTimeoutMs: number;
  /** Base of the exponential backoff: attempt k waits uniform(0, min(cap, base·2^(k−1))) (MODQC_WEBHOOK_BACKOFF_MS). */
  webhookBackoffMs: number;
  /** Cap of one backoff wait (MODQC_WEBHOOK_BACKOFF_CAP_MS, default 10 min). */
  webhookBackoffCapMs: number;
  /** A delivery still failing this long after it was created is marked dead (MODQC_WEBHOOK_MAX_AGE_MS, default 24 h). */
  webhookMaxAgeMs: number;
  /**
   * How often firing alerts are re-sent to `alertmanager-api` webhooks, each with endsAt four intervals ahead, so
   * Alertmanager never expires an alert that still fires (MODQC_ALERTMANAGER_REFRESH_MS, default 60 000; keep it
   * well under Alertmanager's resolve_timeout, 5 min by default).
   */
  alertmanagerRefreshMs: number;
}

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (["true", "1", "yes", "on"].includes(raw)) return true;
  if (["false", "0", "no", "off"].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function timeZone(env: Env): string {
  const zone = env.MODQC_TZ || "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    throw new ConfigError(`MODQC_TZ must be an IANA time zone such as Asia/Seoul, got "${zone}"`);
  }
  return zone;
}

function databaseUrl(env: Env): string | undefined {
  const url = env.MODQC_DATABASE_URL?.trim();
  if (!url) return undefined;
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError(
      "MODQC_DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:port/db)",
    );
  }
  return url;
}

export function loadConfig(env: Env = process.env, version = "0.0.0"): Config {
  const synchronous = (env.MODQC_SYNCHRONOUS || "NORMAL").toUpperCase();
  if (synchronous !== "NORMAL" && synchronous !== "FULL") {
    throw new ConfigError(`MODQC_SYNCHRONOUS must be NORMAL or FULL, got "${env.MODQC_SYNCHRONOUS}"`);
  }
  return {
    host: env.HOST || "127.0.0.1",
    port: integer(env, "PORT", 8080, 0, 65535),
    dataDir: resolve(env.MODQC_DATA_DIR || "./data"),
    databaseUrl: databaseUrl(env),
    databasePoolSize: integer(env, "MODQC_DATABASE_POOL", 10, 1, 1000),
    adminKey: env.MODQC_ADMIN_KEY || undefined,
    openCalculators: boolean(env, "MODQC_OPEN_CALCULATORS", true),
    bodyLimit: integer(env, "MODQC_BODY_LIMIT", 10 * 1024 * 1024, 1024, 2 ** 40),
    ingestBodyLimit: integer(env, "MODQC_INGEST_BODY_LIMIT", 1024 * 1024 * 1024, 1024, 2 ** 40),
    timeZone: timeZone(env),
    synchronous,
    sourceMaps: boolean(env, "MODQC_SOURCE_MAPS", false),
    timeouts: {
      headersMs: integer(env, "MODQC_HEADERS_TIMEOUT_MS", 20_000, 100, 3_600_000),
      requestMs: integer(env, "MODQC_REQUEST_TIMEOUT_MS", 60_000, 100, 86_400_000),
      bodyMinBytes: integer(env, "MODQC_BODY_MIN_BYTES", 65_536, 0, 2 ** 30),
      bodyRateWindowMs: integer(env, "MODQC_BODY_RATE_WINDOW_MS", 10_000, 100, 3_600_000),
    },
    compute: {
      threads: integer(env, "MODQC_COMPUTE_THREADS", availableParallelism(), 1, 64),
      timeoutMs: integer(env, "MODQC_COMPUTE_TIMEOUT_MS", 15_000, 100, 3_600_000),
    },
    alerts: alertsConfig(env),
    feedback: feedbackConfig(env),
    metrics: metricsConfig(env),
    version,
  };
}

function alertsConfig(env: Env): AlertsConfig {
  let allowHosts: AllowList;
  try {
    allowHosts = parseAllowList(env.MODQC_WEBHOOK_ALLOW_HOSTS);
  } catch (error) {
    throw new ConfigError(`MODQC_WEBHOOK_ALLOW_HOSTS: ${(error as Error).message}`);
  }
  const host = env.HOST || "127.0.0.1";
  const publicUrl = (
    env.MODQC_PUBLIC_URL || `http://${host.includes(":") ? `[${host}]` : host}:${env.PORT || 8080}`
  ).replace(/\/+$/, "");
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(`MODQC_PUBLIC_URL must be an absolute URL, got "${env.MODQC_PUBLIC_URL}"`);
  }
  return {
    publicUrl,
    evaluationIntervalMs: integer(env, "MODQC_ALERT_INTERVAL_MS", 60_000, 10, 86_400_000),
    debounceMs: integer(env, "MODQC_ALERT_DEBOUNCE_MS", 250, 0, 3_600_000),
    leaderIntervalMs: integer(env, "MODQC_LEADER_INTERVAL_MS", 2_000, 100, 600_000),
    evaluationBudget: integer(env, "MODQC_ALERT_BUDGET_PERCENT", 10, 1, 100) / 100,
    allowHosts,
    webhookTimeoutMs: integer(env, "MODQC_WEBHOOK_TIMEOUT_MS", 10_000, 10, 600_000),
    webhookBackoffMs: integer(env, "MODQC_WEBHOOK_BACKOFF_MS", 1_000, 1, 3_600_000),
    webhookBackoffCapMs: integer(env, "MODQC_WEBHOOK_BACKOFF_CAP_MS", 600_000, 1, 86_400_000),
    webhookMaxAgeMs: integer(env, "MODQC_WEBHOOK_MAX_AGE_MS", 86_400_000, 1_000, 30 * 86_400_000),
    alertmanagerRefreshMs: integer(env, "MODQC_ALERTMANAGER_REFRESH_MS", 60_000, 100, 3_600_000),
  };
}

function metricsConfig(env: Env): MetricsConfig {
  const token = env.MODQC_METRICS_TOKEN || undefined;
  if (token !== undefined && token.length < 16) {
    throw new ConfigError("MODQC_METRICS_TOKEN must be at least 16 characters long");
  }
  const mode = (env.MODQC_METRICS?.trim().toLowerCase() ||
    (token ? "token" : "loopback")) as MetricsConfig["mode"];
  if (mode !== "off" && mode !== "loopback" && mode !== "token") {
    throw new ConfigError(`MODQC_METRICS must be off, loopback or token, got "${env.MODQC_METRICS}"`);
  }
  if (mode === "token" && !token) throw new ConfigError("MODQC_METRICS=token needs MODQC_METRICS_TOKEN");
  return { mode, token, scrapeTimeoutMs: integer(env, "MODQC_METRICS_TIMEOUT_MS", 2_000, 10, 60_000) };
}

function feedbackConfig(env: Env): FeedbackConfig {
  const rawTarget = env.MODQC_TARGET_ERROR_RATE?.trim();
  const targetErrorRate = rawTarget ? Number(rawTarget) : 0.05;
  if (!(targetErrorRate > 0 && targetErrorRate < 1)) {
    throw new ConfigError(
      `MODQC_TARGET_ERROR_RATE must be a rate between 0 and 1 (exclusive), got "${rawTarget}"`,
    );
  }
  const rawWindow = env.MODQC_DISPUTE_WINDOW?.trim() || "P14D";
  const windowMs = /^\d+$/.test(rawWindow) ? Number(rawWindow) * 86_400_000 : parseDuration(rawWindow);
  if (windowMs === undefined || windowMs <= 0 || windowMs > 3_650 * 86_400_000) {
    throw new ConfigError(
      `MODQC_DISPUTE_WINDOW must be an ISO 8601 duration (P14D, P2W, PT36H) or a number of days up to 3650, got "${rawWindow}"`,
    );
  }
  return {
    showAuditorToModerator: boolean(env, "MODQC_SHOW_AUDITOR_TO_MODERATOR", false),
    targetErrorRate,
    disputeWindowMs: windowMs,
  };
}
