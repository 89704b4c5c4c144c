import { createApp } from "../src/app.ts";
import { type Config, loadConfig } from "../src/config.ts";
import { createKey, type Role } from "../src/db/keys.ts";
import { type Db, openDatabase } from "../src/db/open.ts";
import type { Logger } from "../src/http/env.ts";

export interface TestContext {
  app: ReturnType<typeof createApp>;
  db: Db;
  config: Config;
  logged: { level: string; message: string; fields?: Record<string, unknown> }[];
  keys: Record<"admin" | "lead" | "auditor" | "viewer", string>;
  /** Sends a request with an optional key and JSON body; returns status, parsed JSON (or text) and headers. */
  call(
    method: string,
    path: string,
    options?: {
      key?: string;
      json?: unknown;
      body?: string | Uint8Array | ReadableStream;
      headers?: Record<string, string>;
    },
    // biome-ignore lint/suspicious/noExplicitAny: response bodies are arbitrary JSON that tests assert on
  ): Promise<{ status: number; body: any; headers: Headers; text: string }>;
}

/** An app over a fresh in-memory database with one key of each role (the auditor's rater is "alice"). */
export function testContext(env: Record<string, string> = {}): TestContext {
  const config = loadConfig({ MODQC_DATA_DIR: ":memory:", ...env }, "test");
  const db = openDatabase(":memory:");
  const logged: TestContext["logged"] = [];
  const logger: Logger = {
    info: (message, fields) => logged.push({ level: "info", message, fields }),
    error: (message, fields) => logged.push({ level: "error", message, fields }),
  };
  const app = createApp({ db, config, logger });
  const key = (role: Role, rater?: string) => createKey(db, { name: `${role} key`, role, rater }).key;
  const keys = {
    admin: key("admin"),
    lead: key("lead"),
    auditor: key("auditor", "alice"),
    viewer: key("viewer"),
  };
  const call: TestContext["call"] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let body = options.body;
    if (options.json !== undefined) {
      headers["content-type"] ??= "application/json";
      body = JSON.stringify(options.json);
    }
    const response = await app.request(path, { method, headers, body });
    // Keep a byte-order mark visible: CSV exports must start with one.
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
    let parsed: unknown = text;
    if (response.headers.get("content-type")?.startsWith("application/json")) parsed = JSON.parse(text);
    return { status: response.status, body: parsed, headers: response.headers, text };
  };
  return { app, db, config, logged, keys, call };
}

/** Another auditor key on the context's database, bound to `rater`. */
export function auditorKey(ctx: Pick<TestContext, "db">, rater: string): string {
  return createKey(ctx.db, { name: `auditor ${rater}`, role: "auditor", rater }).key;
}
