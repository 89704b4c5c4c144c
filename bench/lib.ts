import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import pg from "pg";
import type { Db } from "../src/db/database.ts";
import { openDatabase } from "../src/db/open.ts";
import { withSchema } from "../test/database.ts";

export { startChildServer as startServer } from "../test/child-server.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Runs statements on a PostgreSQL bench database itself (outside its schemas: creating and dropping them). */
export async function onBenchDatabase(url: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Prints rows as an aligned text table (first row = header). */
export function table(rows: (string | number)[][]): void {
  const text = rows.map((row) => row.map((cell) => (typeof cell === "number" ? format(cell) : cell)));
  const widths = text[0].map((_, i) => Math.max(...text.map((row) => row[i].length)));
  for (const [index, row] of text.entries()) {
    console.log(
      row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  "),
    );
    if (index === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
}

export function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toPrecision(3);
}

/** Calls fn repeatedly for at least `minMs` and returns calls per second. */
export function opsPerSecond(fn: () => unknown, minMs = 500): number {
  for (let i = 0; i < 100; i++) fn();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 100; i++) fn();
    calls += 100;
    elapsed = performance.now() - start;
  }
  return (calls / elapsed) * 1000;
}

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

/** Runs autocannon as a second process (so the load generator does not share the server's event loop). */
export async function loadTest(options: {
  url: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  connections?: number;
  seconds?: number;
  /** Replace `[<id>]` in the body with a unique id per request. */
  idReplacement?: boolean;
}): Promise<LoadResult> {
  const args = [
    join(root, "node_modules/autocannon/autocannon.js"),
    "--json",
    "-c",
    String(options.connections ?? 50),
    "-d",
    String(options.seconds ?? 10),
    "-m",
    options.method ?? "GET",
  ];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push("-H", `${name}=${value}`);
  if (options.body) args.push("-b", options.body);
  if (options.idReplacement) args.push("--idReplacement");
  args.push(options.url);
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("exit", () => resolve(out));
  });
  const result = JSON.parse(output);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

/** Single-audit POSTs for `seconds` over `connections`; autocannon makes each id unique (`<prefix>-[<id>]`). */
export function singleAuditLoad(
  server: { url: string; adminKey: string },
  connections: number,
  seconds: number,
  prefix: string,
): Promise<LoadResult> {
  return loadTest({
    url: `${server.url}/v1/audits`,
    method: "POST",
    connections,
    seconds,
    headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      id: `${prefix}-[<id>]`,
      decisionId: "d-[<id>]",
      queue: "hate",
      moderator: "mod-1",
      auditor: "auditor-1",
      outcome: "correct",
      auditedAt: "2026-11-24T09:30:00+09:00",
    }),
    idReplacement: true,
  });
}

/** The queues of the synthetic organisation the benches build (the first ten for the smaller benches). */
export const QUEUE_NAMES = [
  "hate",
  "bullying",
  "child-safety",
  "self-harm",
  "spam",
  "violence",
  "nudity",
  "fraud",
  "terror",
  "misinfo",
  "harassment",
  "impersonation",
  "ip-violation",
  "scams",
  "drugs",
  "weapons",
  "extremism",
  "privacy",
  "minors",
  "elections",
] as const;

/** Opens the database `keptDatabase` answered the environment of, with one connection (for clean-up and sizes). */
export function openKeptDatabase(env: Record<string, string>): Promise<Db> {
  return openDatabase({
    dataDir: env.MODQC_DATA_DIR ?? ":memory:",
    databaseUrl: env.MODQC_DATABASE_URL || undefined,
    poolSize: 1,
  });
}

/**
 * The server's database settings for a bench database kept between runs, built first when missing: a SQLite
 * file under `dir` (complete once its `complete` marker exists), or the PostgreSQL schema `schema` of
 * `databaseUrl` (complete when `isBuilt` says so; rebuilt from an empty schema otherwise).
 */
export async function keptDatabase(options: {
  name: string;
  dir: string;
  schema: string;
  databaseUrl: string | undefined;
  isBuilt: (db: Db) => Promise<boolean>;
  build: (db: Db) => Promise<void>;
}): Promise<Record<string, string>> {
  const { dir, schema, databaseUrl } = options;
  const url = databaseUrl ? withSchema(databaseUrl, schema) : undefined;
  const env: Record<string, string> = url
    ? { MODQC_DATABASE_URL: url }
    : { MODQC_DATA_DIR: dir, MODQC_DATABASE_URL: "" };
  let ready = false;
  if (url) {
    await onBenchDatabase(databaseUrl!, [`CREATE SCHEMA IF NOT EXISTS ${schema}`]);
    const db = await openDatabase({ dataDir: ":memory:", databaseUrl: url, poolSize: 1 });
    ready = await options.isBuilt(db);
    await db.close();
    if (!ready)
      await onBenchDatabase(databaseUrl!, [`DROP SCHEMA ${schema} CASCADE`, `CREATE SCHEMA ${schema}`]);
  } else {
    ready = existsSync(join(dir, "modqc.sqlite")) && existsSync(join(dir, "complete"));
    if (!ready) rmSync(dir, { recursive: true, force: true });
  }
  if (!ready) {
    const start = performance.now();
    mkdirSync(dir, { recursive: true });
    const db = await openDatabase({ dataDir: dir, databaseUrl: url });
    try {
      await options.build(db);
    } finally {
      await db.close();
    }
    if (!url) writeFileSync(join(dir, "complete"), "");
    console.log(
      `(built the ${options.name} database in ${((performance.now() - start) / 1000).toFixed(0)} s)`,
    );
  }
  return env;
}
