import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import { Hono } from "hono";
import type { MetricsConfig } from "../config.ts";
import type { AppEnv } from "../http/env.ts";
import type { AppMetrics } from "./metrics.ts";

/**
 * `GET /metrics`: the Prometheus text exposition, outside the OpenAPI document (like the dashboard's routes).
 * Access (MODQC_METRICS): `token` needs `Authorization: Bearer <MODQC_METRICS_TOKEN>`, compared in constant time
 * (both sides hashed first, so their lengths leak nothing either); `loopback` admits only connections from the
 * loopback interface that carry no proxy header (behind a reverse proxy on the same host every request comes
 * from loopback: a Forwarded or X-Forwarded-For header shows it was relayed, and is refused).
 */

const digest = (text: string) => createHash("sha256").update(text).digest();

function loopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith("::ffff:") ? address.slice(7) : address;
  if (isIP(plain) === 4) return plain.startsWith("127.");
  return plain === "::1";
}

function refuse(status: 401 | 403, message: string) {
  const code = status === 401 ? "unauthorized" : "forbidden";
  return Response.json(
    { error: { code, message } },
    { status, headers: status === 401 ? { "www-authenticate": 'Bearer realm="metrics"' } : {} },
  );
}

export function metricsRouter(metrics: AppMetrics, config: MetricsConfig) {
  const expected = config.token === undefined ? undefined : digest(config.token);
  return new Hono<AppEnv>().get("/metrics", async (c) => {
    if (config.mode === "token") {
      const header = c.req.header("authorization") ?? "";
      const given = /^Bearer (.+)$/i.exec(header)?.[1];
      if (!given || !expected || !timingSafeEqual(digest(given), expected)) {
        return refuse(401, "send Authorization: Bearer <MODQC_METRICS_TOKEN>");
      }
    } else {
      const relayed = c.req.header("forwarded") ?? c.req.header("x-forwarded-for");
      if (relayed !== undefined || !loopback(c.env?.incoming?.socket.remoteAddress)) {
        return refuse(403, "metrics are served to loopback connections only (MODQC_METRICS=loopback)");
      }
    }
    const body = await metrics.exposition();
    return c.body(body, 200, { "content-type": metrics.contentType, "cache-control": "no-store" });
  });
}
