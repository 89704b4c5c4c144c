import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import type { Alerting } from "../alerts/engine.ts";
import { type Compute, InlineCompute } from "../compute/pool.ts";
import type { Config } from "../config.ts";
import type { ApiKey } from "../db/keys.ts";
import type { Db } from "../db/open.ts";
import type { Logger } from "../logger.ts";
import type { WriterThread } from "../writer/writer.ts";

export interface AppDeps {
  db: Db;
  config: Config;
  logger: Logger;
  /** Alerting runtime (issue 7). Optional: createApp makes an idle one (no timers, no worker) when absent. */
  alerts?: Alerting;
  /** Long writes on their own thread (src/main.ts makes one for a database file; absent in tests: inline). */
  writer?: WriterThread;
  /** Worker threads for calculators and reports (src/main.ts makes them; absent: the same work runs inline). */
  compute?: Compute;
}

const inline = new WeakMap<AppDeps["db"], Compute>();

/** Where CPU-heavy calculators and reports run: the deployment's thread pool, else inline on this thread. */
export function computeOf(deps: AppDeps): Compute {
  if (deps.compute) return deps.compute;
  let compute = inline.get(deps.db);
  if (!compute) inline.set(deps.db, (compute = new InlineCompute(deps.db)));
  return compute;
}

/** Hono's per-request variables: the dependencies, the caller's key (once authenticated) and the request id. */
export interface AppEnv {
  /** Set by @hono/node-server (`src/main.ts`); absent under `app.request()` in tests. */
  Bindings: { incoming?: IncomingMessage };
  Variables: {
    deps: AppDeps;
    apiKey: ApiKey | undefined;
    requestId: string;
  };
}

/**
 * The request body as a stream of bytes. Served by @hono/node-server, the Node request is read directly:
 * `c.req.raw.body` would first build a WHATWG Request and a web stream around the socket, which costs more
 * than the rest of a one-audit POST. Under `app.request()` (tests) it is the standard body.
 */
export function requestBody(c: Context<AppEnv>): AsyncIterable<Uint8Array> | null {
  return c.env?.incoming ?? c.req.raw.body;
}
