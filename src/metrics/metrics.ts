import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { Counter, collectDefaultMetrics, Registry } from "prom-client";
import type { Alerting } from "../alerts/engine.ts";
import type { Db } from "../db/database.ts";
import { type DatabaseFigures, databaseFigures } from "./collectors.ts";

/**
 * Prometheus metrics of one app (issue 15). Each `createApp` has its own registry, so several apps in one
 * process (tests) never share counters; Node's process metrics live in one registry per process (they describe
 * the process, and each default collector starts an event-loop monitor). Request metrics are recorded by a
 * middleware, labelled by the matched route template (never the raw URL: bounded cardinality); database
 * figures are read at scrape time, under a timeout.
 */

/** Latency buckets in seconds: single-audit POSTs and verdict PUTs sit in the first ones, uploads in the last. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The route label of requests that matched no route (404s of unknown paths): one series, not one per URL. */
const UNMATCHED = "unmatched";

/** The verdict PUT's template: its 2xx answers count as recorded verdicts. */
const VERDICT_ROUTE = /\/verdict$/;

let processRegistry: Registry | undefined;

/** The process-wide registry of Node's default metrics (process_cpu_seconds_total, nodejs_heap_size_*, …). */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** The app's metrics registered per Alerting runtime, so hooks that only see `deps.alerts` can reach them. */
const byRuntime = new WeakMap<Alerting, AppMetrics>();

/** The metrics of the app whose alerting runtime is `alerts`, if it measures. */
export function metricsOf(alerts: Alerting | undefined): AppMetrics | undefined {
  return alerts && byRuntime.get(alerts);
}

/** The route template a request matched: the last matched handler that is not a `*` middleware. */
function routeTemplate(c: Parameters<MiddlewareHandler>[0]): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i];
    if (route.method !== "ALL") return route.path;
  }
  return UNMATCHED;
}

type RequestLabels = { method: string; route: string; status: string };

/** One series of request metrics: its count, latency sum, and per-bucket (not yet cumulative) counts. */
interface RequestSeries {
  labels: RequestLabels;
  count: number;
  sum: number;
  buckets: Float64Array;
}

/**
 * Request counts and latencies, aggregated in plain numbers on the hot path (a Map lookup and a few additions:
 * prom-client's own counters hash their label object on every call, which cost several µs per request) and
 * handed to the registry at scrape time as prom-client metric values (`registerMetric` takes any object that
 * answers `get()` like its metrics do).
 */
class RequestMetrics {
  private readonly series = new Map<string, RequestSeries>();

  record(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let series = this.series.get(key);
    if (!series) {
      const labels = { method, route, status: String(status) };
      series = { labels, count: 0, sum: 0, buckets: new Float64Array(LATENCY_BUCKETS.length) };
      this.series.set(key, series);
    }
    series.count++;
    series.sum += seconds;
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
      if (seconds <= LATENCY_BUCKETS[i]) {
        series.buckets[i]++;
        break;
      }
    }
  }

  register(registry: Registry): void {
    const counterName = "modqc_http_requests_total";
    const counterHelp = "HTTP requests answered, by method, route template and status";
    const histogramName = "modqc_http_request_duration_seconds";
    const histogramHelp =
      "Time from a request's arrival to its answer's headers, by method, route template and status";
    const all = () => [...this.series.values()];
    const metric = (name: string, help: string, type: "counter" | "histogram", values: () => object[]) =>
      ({
        name,
        help,
        type,
        aggregator: "sum",
        get: async () => ({ name, help, type, aggregator: "sum", values: values() }),
      }) as unknown as Counter;
    registry.registerMetric(
      metric(counterName, counterHelp, "counter", () =>
        all().map((s) => ({ labels: s.labels, value: s.count })),
      ),
    );
    registry.registerMetric(
      metric(histogramName, histogramHelp, "histogram", () =>
        all().flatMap((s) => {
          let cumulative = 0;
          const buckets = LATENCY_BUCKETS.map((le, i) => {
            cumulative += s.buckets[i];
            return { metricName: `${histogramName}_bucket`, labels: { ...s.labels, le }, value: cumulative };
          });
          return [
            ...buckets,
            { metricName: `${histogramName}_bucket`, labels: { ...s.labels, le: "+Inf" }, value: s.count },
            { metricName: `${histogramName}_sum`, labels: s.labels, value: s.sum },
            { metricName: `${histogramName}_count`, labels: s.labels, value: s.count },
          ];
        }),
      ),
    );
  }
}

export class AppMetrics {
  readonly registry = new Registry();
  private readonly requests = new RequestMetrics();
  private readonly ingested = new Counter({
    name: "modqc_audits_ingested_total",
    help: "Audits newly stored through this instance (uploads and verdicts; duplicates not counted)",
    registers: [this.registry],
  });
  private readonly verdicts = new Counter({
    name: "modqc_verdicts_recorded_total",
    help: "Verdict PUTs this instance answered with 2xx (new, changed or unchanged verdicts)",
    registers: [this.registry],
  });
  private readonly figures: DatabaseFigures;

  constructor(
    db: Db,
    alerts: Alerting,
    private readonly scrapeTimeoutMs: number,
  ) {
    byRuntime.set(alerts, this);
    this.requests.register(this.registry);
    this.figures = databaseFigures(this.registry, db, alerts);
  }

  /** Counts and times every request; registered first, so its time includes every other middleware. */
  readonly middleware: MiddlewareHandler = async (c, next) => {
    const started = performance.now();
    await next();
    const route = routeTemplate(c);
    const { status } = c.res;
    this.requests.record(c.req.method, route, status, (performance.now() - started) / 1000);
    if (status < 300 && c.req.method === "PUT" && VERDICT_ROUTE.test(route)) this.verdicts.inc();
  };

  /** An upload or verdict committed `inserted` new audits. */
  auditsIngested(inserted: number): void {
    if (inserted > 0) this.ingested.inc(inserted);
  }

  /** The text exposition of this app's metrics and the process's, with the database figures read now. */
  async exposition(): Promise<string> {
    const database = await this.figures.refresh(this.scrapeTimeoutMs);
    const own = await this.registry.metrics();
    return [own, database, await processMetrics().metrics()].filter((part) => part !== "").join("\n");
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
