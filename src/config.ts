import { resolve } from "node:path";

export interface Config {
  host: string;
  port: number;
  dataDir: string;
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
  version: string;
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

export function loadConfig(env: Env = process.env, version = "0.0.0"): Config {
  const synchronous = (env.MODQC_SYNCHRONOUS || "NORMAL").toUpperCase();
  if (synchronous !== "NORMAL" && synchronous !== "FULL") {
    throw new ConfigError(`MODQC_SYNCHRONOUS must be NORMAL or FULL, got "${env.MODQC_SYNCHRONOUS}"`);
  }
  return {
    host: env.HOST || "127.0.0.1",
    port: integer(env, "PORT", 8080, 0, 65535),
    dataDir: resolve(env.MODQC_DATA_DIR || "./data"),
    adminKey: env.MODQC_ADMIN_KEY || undefined,
    openCalculators: boolean(env, "MODQC_OPEN_CALCULATORS", true),
    bodyLimit: integer(env, "MODQC_BODY_LIMIT", 10 * 1024 * 1024, 1024, 2 ** 40),
    ingestBodyLimit: integer(env, "MODQC_INGEST_BODY_LIMIT", 1024 * 1024 * 1024, 1024, 2 ** 40),
    timeZone: timeZone(env),
    synchronous,
    version,
  };
}
