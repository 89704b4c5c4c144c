import type { Alerting } from "../alerts/engine.ts";
import type { Config } from "../config.ts";
import type { ApiKey } from "../db/keys.ts";
import type { Db } from "../db/open.ts";

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface AppDeps {
  db: Db;
  config: Config;
  logger: Logger;
  /** Alerting runtime (issue 7). Optional: createApp makes an idle one (no timers, no worker) when absent. */
  alerts?: Alerting;
}

/** Hono's per-request variables: the dependencies, the caller's key (once authenticated) and the request id. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    apiKey: ApiKey | undefined;
    requestId: string;
  };
}
