import type { IncomingMessage, Server, ServerOptions, ServerResponse } from "node:http";
import type { TimeoutsConfig } from "../config.ts";

/**
 * Slow-client limits for the Node HTTP server. Node's defaults let a client hold a connection for 300 s
 * (requestTimeout) plus up to 30 s until the next connection check, however slowly it sends; uploads can be
 * gigabytes, so one server-wide request timeout cannot fit both ordinary requests and ingest. Instead:
 *
 * - headers: Node's own `headersTimeout`, checked every second (`connectionsCheckingInterval`);
 * - ordinary routes: the whole request (headers to the end of the body) within `requestMs`;
 * - every route, ingest included: while a body is arriving, each window of `bodyRateWindowMs` must bring at
 *   least `bodyMinBytes` (counted on the socket). Time when the server, not the client, is the slow side does
 *   not count: a body the handler has not read yet (the request's buffer is full) or a late timer tick (the
 *   event loop was busy, e.g. a large upload's transaction) restarts the window.
 *
 * A request cut by these limits is answered `408 request_timeout` (when nothing was answered yet) and its
 * connection is closed; its handler sees an aborted body and stores nothing.
 */

export interface SlowRequestGuard {
  /** Requests being watched (tests). */
  readonly watched: number;
  stop(): void;
}

interface Watched {
  req: IncomingMessage;
  res: ServerResponse;
  ordinary: boolean;
  arrivedAt: number;
  windowStart: number;
  windowBytes: number;
}

function timeoutResponse(message: string): string {
  const body = JSON.stringify({ error: { code: "request_timeout", message } });
  return [
    "HTTP/1.1 408 Request Timeout",
    "Connection: close",
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "",
    body,
  ].join("\r\n");
}

function cut(entry: Watched, message: string): void {
  const socket = entry.req.socket;
  // Written straight to the socket as Node itself does for its requestTimeout: the handler is still
  // waiting for the body, so the ServerResponse cannot be used.
  if (!entry.res.headersSent && socket.writable && !socket.destroyed) socket.write(timeoutResponse(message));
  socket.destroy();
}

/** Options for `http.createServer` (through `serve({ serverOptions })`): Node's own part of the limits. */
export function serverOptions(limits: TimeoutsConfig): ServerOptions {
  return {
    headersTimeout: limits.headersMs,
    // Node's requestTimeout is for the whole server; `guardSlowRequests` sets the per-route limits instead.
    requestTimeout: 0,
    // Node checks headersTimeout on this interval (default 30 s, which would stretch a 20 s limit to 50 s).
    connectionsCheckingInterval: 1000,
  };
}

/**
 * Applies the per-route limits to `server`'s requests (call before it serves). `isIngest(path)` names the
 * routes without an overall request limit. The check runs on an unref'd timer; `stop()` ends it.
 */
export function guardSlowRequests(
  server: Server,
  limits: TimeoutsConfig,
  isIngest: (path: string) => boolean,
  now: () => number = Date.now,
): SlowRequestGuard {
  const tickMs = Math.max(25, Math.min(1000, Math.floor(limits.bodyRateWindowMs / 10)));
  const watched = new Set<Watched>();
  server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
    // No body: the request is whole once its headers are (headersTimeout covers that part).
    if (
      req.complete ||
      ((req.headers["content-length"] ?? "0") === "0" && !req.headers["transfer-encoding"])
    ) {
      return;
    }
    const at = now();
    const entry: Watched = {
      req,
      res,
      ordinary: !isIngest((req.url ?? "/").split("?")[0]),
      arrivedAt: at,
      windowStart: at,
      windowBytes: req.socket.bytesRead,
    };
    watched.add(entry);
    // Forget the request as soon as it is answered: keeping thousands of finished requests until the next tick
    // moved them into the old generation of the heap and cost ~20 % of single-audit throughput.
    res.once("close", () => watched.delete(entry));
  });

  let lastTick = now();
  const timer = setInterval(() => {
    const at = now();
    const late = at - lastTick > 2 * tickMs + 100;
    lastTick = at;
    for (const entry of watched) {
      const { req } = entry;
      // Done once the body is in, the connection is gone or the answer is sent (Node drains what is left).
      if (req.complete || req.socket.destroyed || entry.res.writableEnded) {
        watched.delete(entry);
        continue;
      }
      const bytes = req.socket.bytesRead;
      if (entry.ordinary && at - entry.arrivedAt >= limits.requestMs) {
        watched.delete(entry);
        cut(entry, `the request was not received within ${limits.requestMs} ms`);
        continue;
      }
      // The server is the slow side: the handler has not taken what arrived, or this tick itself is late.
      const unread = req.readableLength >= req.readableHighWaterMark;
      if (late || unread) {
        entry.windowStart = at;
        entry.windowBytes = bytes;
        continue;
      }
      if (at - entry.windowStart < limits.bodyRateWindowMs) continue;
      if (bytes - entry.windowBytes < limits.bodyMinBytes) {
        watched.delete(entry);
        cut(
          entry,
          `the request body arrived slower than ${limits.bodyMinBytes} bytes per ${limits.bodyRateWindowMs} ms`,
        );
        continue;
      }
      entry.windowStart = at;
      entry.windowBytes = bytes;
    }
  }, tickMs);
  timer.unref();

  return {
    get watched() {
      return watched.size;
    },
    stop: () => clearInterval(timer),
  };
}
