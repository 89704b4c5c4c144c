import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { ZodError } from "zod";
import { StatsInputError, StatsTooExpensiveError } from "../stats/errors.ts";
import { withAlerting } from "./alerts/index.ts";
import { isConnectionFailure, isUnstorableText } from "./db/database.ts";
import { writeGate } from "./db/write-gate.ts";
import { DomainError } from "./errors.ts";
import type { AppDeps } from "./http/env.ts";
import { ApiError, STATUS_OF, tooLargeBody } from "./http/errors.ts";
import { repairedDocument } from "./http/openapi-document.ts";
import { createRouter, validationError } from "./http/router.ts";
import { AppMetrics } from "./metrics/metrics.ts";
import { metricsRouter } from "./metrics/route.ts";
import { agreementRouter } from "./routes/agreement.ts";
import { alertsRouter } from "./routes/alerts.ts";
import { auditRevisionsRouter } from "./routes/audit-revisions.ts";
import { auditorsRouter } from "./routes/auditors.ts";
import { auditsRouter } from "./routes/audits.ts";
import { calculatorsRouter } from "./routes/calculators.ts";
import { calibrationsRouter } from "./routes/calibrations.ts";
import { chartDesignRouter } from "./routes/chart-design.ts";
import { disputesRouter } from "./routes/disputes.ts";
import { type docsPage, docsRouter } from "./routes/docs.ts";
import { findingsRouter } from "./routes/findings.ts";
import { goldRouter } from "./routes/gold.ts";
import { healthRouter } from "./routes/health.ts";
import { keysRouter } from "./routes/keys.ts";
import { latentClassRouter } from "./routes/latent-class.ts";
import { meRouter } from "./routes/me.ts";
import { policyRouter } from "./routes/policy.ts";
import { populationsRouter } from "./routes/populations.ts";
import { reportsRouter } from "./routes/reports.ts";
import { samplesRouter } from "./routes/samples.ts";
import { scorecardsRouter } from "./routes/scorecards.ts";
import { spcRouter } from "./routes/spc.ts";
import { targetsRouter } from "./routes/targets.ts";
import { webRouter } from "./routes/web.ts";
import { webhooksRouter } from "./routes/webhooks.ts";
import { workRouter } from "./routes/work.ts";

/** Routes whose bodies are streamed into the database and so get the separate, larger ingest limit. */
export const INGEST_ROUTE = /^\/v1\/(audits|populations)(\/|$)/;

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Routes that take their write-gate turn themselves (a shared turn held around them would deadlock). */
const OWN_WRITE_TURN = new Set(["POST /v1/audits", "POST /v1/populations", "POST /v1/samples"]);
/**
 * Routes that read their small JSON body themselves from the Node request stream (src/http/json-body.ts) and take
 * their write-gate turn themselves: the verdict PUT, the workbench's hot path, where building Hono's WHATWG
 * Request and web stream for the body would cost a third of the request (bench/work.bench.ts).
 */
const OWN_BODY_ROUTE = /^\/v1\/samples\/[^/]+\/items\/[^/]+\/verdict$/;

/** Reads the whole body into Hono's cache; a client that hung up mid-body gets 400 body_incomplete, not a 500. */
async function receiveBody(request: { arrayBuffer(): Promise<ArrayBuffer> }): Promise<void> {
  try {
    await request.arrayBuffer();
  } catch {
    // The body limit has already counted the body (chunked) or its declared length: only a hang-up is left.
    throw new ApiError(
      400,
      "body_incomplete",
      "the request body was cut off before its end; nothing was stored",
    );
  }
}

/** Builds the HTTP application. It never listens: `src/main.ts` does, and tests call `app.request()`. */
export function createApp(deps: AppDeps) {
  deps = withAlerting(deps);
  const app = createRouter();
  // Prometheus metrics (issue 15): first, so a request's time includes every other middleware.
  const { metrics: metricsConfig } = deps.config;
  const metrics =
    metricsConfig.mode === "off"
      ? undefined
      : new AppMetrics(deps.db, deps.alerts!, metricsConfig.scrapeTimeoutMs);
  if (metrics) app.use("*", metrics.middleware);

  app.use("*", async (c, next) => {
    c.set("deps", deps);
    c.set("requestId", c.req.header("x-request-id")?.slice(0, 100) || randomUUID());
    c.header("X-Request-Id", c.get("requestId"));
    await next();
  });

  const ordinaryLimit = bodyLimit({
    maxSize: deps.config.bodyLimit,
    onError: (c) => c.json(tooLargeBody(deps.config.bodyLimit), 413),
  });
  // Ingest bodies are streamed into a Spool, which enforces the ingest limit as bytes arrive; Hono's
  // bodyLimit would buffer a chunked body whole in memory to count it. A declared length is checked here.
  // (The same for the routes that read their body themselves, within the ordinary limit.)
  const declaredLimit =
    (limit: number): MiddlewareHandler =>
    async (c, next) => {
      const declared = c.req.header("content-length");
      if (declared !== undefined && !c.req.header("transfer-encoding") && Number(declared) > limit) {
        return c.json(tooLargeBody(limit), 413);
      }
      await next();
    };
  const ingestLimit = declaredLimit(deps.config.ingestBodyLimit);
  const ownBodyLimit = declaredLimit(deps.config.bodyLimit);
  app.use("*", (c, next) =>
    (INGEST_ROUTE.test(c.req.path)
      ? ingestLimit
      : OWN_BODY_ROUTE.test(c.req.path)
        ? ownBodyLimit
        : ordinaryLimit)(c, next),
  );

  // Requests that may write take a shared turn of the write gate, so they never write (and block the event
  // loop on SQLite's lock) while a long write runs on the writer thread. The body is received first (Hono
  // keeps it for the validators): a client sending slowly must not hold a turn, since shared turns asked for
  // after a waiting writer-thread turn wait for it. Uploads and draws take their turn themselves, after their
  // body has arrived (src/audits/upload.ts, src/sampling/store.ts).
  const gate = writeGate(deps.db);
  app.use("*", async (c, next) => {
    if (
      READ_METHODS.has(c.req.method) ||
      OWN_WRITE_TURN.has(`${c.req.method} ${c.req.path}`) ||
      OWN_BODY_ROUTE.test(c.req.path)
    ) {
      return next();
    }
    await receiveBody(c.req);
    return gate.shared(next);
  });

  app.route("/", healthRouter);
  app.route("/", keysRouter);
  app.route("/", meRouter);
  app.route("/", calculatorsRouter);
  app.route("/", auditsRouter);
  app.route("/", auditRevisionsRouter);
  app.route("/", disputesRouter);
  app.route("/", findingsRouter);
  app.route("/", scorecardsRouter);
  app.route("/", targetsRouter);
  app.route("/", goldRouter);
  app.route("/", auditorsRouter);
  app.route("/", reportsRouter);
  app.route("/", policyRouter);
  app.route("/", spcRouter);
  app.route("/", chartDesignRouter);
  app.route("/", agreementRouter);
  app.route("/", calibrationsRouter);
  app.route("/", latentClassRouter);
  app.route("/", populationsRouter);
  app.route("/", samplesRouter);
  app.route("/", workRouter);
  app.route("/", alertsRouter);
  app.route("/", webhooksRouter);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An API key created with POST /v1/keys (the first admin key is bootstrapped on start).",
  });
  const openApiConfig = {
    openapi: "3.1.0",
    info: {
      title: "modqc",
      version: deps.config.version,
      description:
        "Statistical quality control and calibration for Trust & Safety QA: sample sizes, intervals, agreement, control charts, audits.",
    },
  };
  let openApiDocument: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  const document = () => (openApiDocument ??= repairedDocument(app.getOpenAPI31Document(openApiConfig)));
  // `servers`: MODQC_PUBLIC_URL (config's public URL); when that is only the default bound to every interface
  // (HOST=0.0.0.0 or ::) it is no address a client can use, so the request's own origin instead.
  const configured = new URL(deps.config.alerts.publicUrl);
  const unspecifiedHost = configured.hostname === "0.0.0.0" || configured.hostname === "[::]";
  app.get("/openapi.json", (c) => {
    const url = unspecifiedHost ? new URL(c.req.url).origin : deps.config.alerts.publicUrl;
    const { openapi, info, ...rest } = document();
    return c.json({ openapi, info, servers: [{ url }], ...rest });
  });
  if (metrics) app.route("/", metricsRouter(metrics, metricsConfig));
  app.route("/", docsRouter(document as () => Parameters<typeof docsPage>[0]));
  // The dashboard (web/dist) last: it serves only its page paths and /assets, never /v1/*.
  app.route("/", webRouter);

  app.notFound((c) =>
    c.json({ error: { code: "not_found", message: `no route for ${c.req.method} ${c.req.path}` } }, 404),
  );

  app.onError((err, c) => {
    if (err instanceof ApiError || err instanceof DomainError) {
      const status = err instanceof ApiError ? err.status : STATUS_OF[err.kind];
      if (status === 503) c.header("Retry-After", "1");
      return c.json({ error: { code: err.code, message: err.message, details: err.details } }, status);
    }
    if (err instanceof StatsTooExpensiveError) {
      // Valid input whose answer would cost more than the statistics allow: the details say what would fit.
      const detail = {
        path: err.field,
        message: err.message,
        limit: err.limit,
        alternatives: err.alternatives,
      };
      return c.json({ error: { code: "too_expensive", message: err.message, details: [detail] } }, 422);
    }
    if (err instanceof StatsInputError) {
      const details = [{ path: err.field ?? "", message: err.message }];
      return c.json({ error: { code: "invalid_input", message: err.message, details } }, 400);
    }
    if (err instanceof ZodError) {
      const apiError = validationError(err, "input");
      return c.json(
        { error: { code: apiError.code, message: apiError.message, details: apiError.details } },
        400,
      );
    }
    if (err instanceof HTTPException && err.status < 500) {
      // Hono raises these itself, e.g. for a JSON body that does not parse.
      const code = err.status === 400 ? "malformed_request" : "http_error";
      return c.json({ error: { code, message: err.message || "bad request" } }, err.status);
    }
    if ((err as { code?: unknown }).code === "SQLITE_BUSY") {
      // A safety net: every writer takes the write gate first, so the lock should never be found held.
      c.header("Retry-After", "1");
      return c.json(
        { error: { code: "database_busy", message: "the database is busy; retry shortly" } },
        503,
      );
    }
    if (isUnstorableText(err)) {
      return c.json(
        {
          error: {
            code: "invalid_text",
            message: "the request holds text that cannot be stored (such as U+0000)",
          },
        },
        400,
      );
    }
    if (isConnectionFailure(err)) {
      c.header("Retry-After", "1");
      return c.json(
        { error: { code: "database_unavailable", message: "the database cannot be reached; retry shortly" } },
        503,
      );
    }
    const requestId = c.get("requestId");
    deps.logger.error("unhandled error", {
      requestId,
      method: c.req.method,
      path: c.req.path,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
    return c.json({ error: { code: "internal_error", message: "internal server error", requestId } }, 500);
  });

  return app;
}
