import { Alerting, type AlertingOptions } from "../src/alerts/index.ts";
import { createApp } from "../src/app.ts";
import type { Audit } from "../src/audits/validate.ts";
import { type Config, loadConfig } from "../src/config.ts";
import { createBatchWriter } from "../src/db/audits.ts";
import type { Db } from "../src/db/database.ts";
import { createKey, type Role } from "../src/db/keys.ts";
import type { Logger } from "../src/logger.ts";
import { openTestDatabase } from "./database.ts";

export interface TestContext {
  app: ReturnType<typeof createApp>;
  db: Db;
  config: Config;
  logged: { level: string; message: string; fields?: Record<string, unknown> }[];
  /** One key per role; the auditor's rater is "alice", the moderator key is bound to moderator "mod-1". */
  keys: Record<"admin" | "lead" | "auditor" | "viewer" | "moderator", string>;
  /** The app's alerting runtime (not started: tests drive evaluations and deliveries themselves). */
  alerts: Alerting;
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

/**
 * An app over a fresh database (in memory, or a schema of its own on PostgreSQL: test/database.ts) with one
 * key of each role (the auditor's rater is "alice", the moderator key's moderator "mod-1").
 */
export async function testContext(
  env: Record<string, string> = {},
  alerting?: AlertingOptions,
  /** A database of the caller's instead of a fresh one on the backend under test. */
  database?: Db,
): Promise<TestContext> {
  const config = loadConfig({ MODQC_DATA_DIR: ":memory:", ...env }, "test");
  const db = database ?? (await openTestDatabase());
  const logged: TestContext["logged"] = [];
  const logger: Logger = {
    info: (message, fields) => logged.push({ level: "info", message, fields }),
    error: (message, fields) => logged.push({ level: "error", message, fields }),
  };
  const alerts = new Alerting({ db, config, logger }, alerting);
  const app = createApp({ db, config, logger, alerts });
  const key = async (role: Role, rater?: string, moderator?: string) =>
    (await createKey(db, { name: `${role} key`, role, rater, moderator })).key;
  const keys = {
    admin: await key("admin"),
    lead: await key("lead"),
    auditor: await key("auditor", "alice"),
    viewer: await key("viewer"),
    moderator: await key("moderator", undefined, "mod-1"),
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
  return { app, db, config, logged, keys, call, alerts };
}

/** Another auditor key on the context's database, bound to `rater`. */
export async function auditorKey(ctx: Pick<TestContext, "db">, rater: string): Promise<string> {
  return (await createKey(ctx.db, { name: `auditor ${rater}`, role: "auditor", rater })).key;
}

/** One request received by a `startReceiver` webhook receiver. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  at: number;
}

/**
 * A real HTTP receiver on 127.0.0.1 for webhook tests. `respond` decides each answer (default 200); every
 * request is recorded (also the ones answered with an error or left to time out).
 */
export async function startReceiver(
  respond: (
    request: ReceivedRequest,
    index: number,
  ) => { status: number; headers?: Record<string, string>; delayMs?: number } = () => ({
    status: 200,
  }),
) {
  const { createServer } = await import("node:http");
  const requests: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let handler = respond;
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const request = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body,
        at: Date.now(),
      };
      requests.push(request);
      const answer = handler(request, requests.length - 1);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, answer.headers);
        res.end(answer.status >= 400 ? "receiver says no" : "ok");
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
      for (const waiter of waiters.splice(0)) {
        if (requests.length >= waiter.count) waiter.resolve();
        else waiters.push(waiter);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/hook`,
    requests,
    setHandler(next: typeof respond) {
      handler = next;
    },
    /** Resolves once `count` requests have arrived. */
    waitFor(count: number, timeoutMs = 20_000): Promise<void> {
      if (requests.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${requests.length} of ${count} requests arrived`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Stores audits straight through the batch writer (no HTTP), in one transaction: each row's fields over
 * defaults (queue "hate", moderator "m", auditor "alice", correct), `incorrect: true` adding a false negative.
 */
/**
 * Deletes every audit, its revisions and its rollup counts, and sets the watermark back (seq values may be used
 * again once the largest is deleted). The service never deletes audits.
 */
export async function deleteAllAudits(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run("DELETE FROM audit_revisions");
    await tx.run("DELETE FROM audits");
    await tx.run("DELETE FROM audit_rollups");
    await tx.run("UPDATE rollup_watermark SET upto = 0");
  });
}

export async function storeAudits(
  db: Db,
  rows: (Partial<Audit> & { id: string; auditedAt: string; incorrect?: boolean })[],
): Promise<void> {
  await db.transaction(async (tx) => {
    const writer = createBatchWriter(tx);
    rows.forEach(({ incorrect, ...row }, i) => {
      const audit: Audit = {
        decisionId: `d-${row.id}`,
        queue: "hate",
        moderator: "m",
        auditor: "alice",
        outcome: incorrect ? "incorrect" : "correct",
        errorType: incorrect ? "false-negative" : null,
        severity: null,
        policy: null,
        market: null,
        decidedAt: null,
        sampleId: null,
        notes: null,
        correctPolicy: null,
        recordedBy: null,
        ...row,
      };
      writer.write(i + 1, audit, Date.parse(audit.auditedAt));
    });
    await writer.finish();
  });
}
