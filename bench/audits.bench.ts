/**
 * Audit ingest and stored reports through the real server (a child process): one bulk NDJSON upload and the
 * server's peak memory, single-audit POSTs under 50 connections, and reports whose cost must follow the rows
 * they select, not the size of the table.
 *
 * SQLite (a data directory per server) by default; PostgreSQL when MODQC_BENCH_DATABASE_URL is set (a schema
 * per database: emptied for the upload, kept for the report databases like SQLite's directories).
 * AUDITS_BENCH_ROWS sets the upload's size (default 1,000,000); the report databases scale with it
 * (100,000 recent audits alone and under 9,900,000 older ones at the default).
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { lockAuditAppends } from "../src/db/audits.ts";
import { copyRows } from "../src/db/copy.ts";
import type { Db } from "../src/db/database.ts";
import { openDatabase } from "../src/db/open.ts";
import { PostgresTransaction } from "../src/db/postgres.ts";
import { sqliteConnection, sqliteStatement } from "../src/db/sqlite.ts";
import { withSchema } from "../test/database.ts";
import { format, mib, QUEUE_NAMES, singleAuditLoad, startServer, table } from "./lib.ts";

const out = fileURLToPath(new URL("./out/", import.meta.url));
const DATABASE_URL = process.env.MODQC_BENCH_DATABASE_URL || undefined;
const ROWS = Number(process.env.AUDITS_BENCH_ROWS ?? 1_000_000);
const DAY = 86_400_000;
export const NOW = Date.parse("2026-11-24T00:00:00Z");
const QUEUES = QUEUE_NAMES.slice(0, 10);

function peakRssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/VmHWM:\s+(\d+) kB/)![1]) * 1024;
}

function auditLine(i: number, ms: number): string {
  const wrong = i % 17 === 0;
  const serial = String(i).padStart(9, "0");
  return JSON.stringify({
    id: `audit-${serial}`,
    decisionId: `decision-${serial}`,
    queue: QUEUES[i % QUEUES.length],
    moderator: `mod-${i % 40}`,
    auditor: `auditor-${i % 12}`,
    outcome: wrong ? "incorrect" : "correct",
    ...(wrong ? { errorType: "false-negative", severity: 2 } : {}),
    market: i % 3 === 0 ? "KR" : "US",
    auditedAt: new Date(ms).toISOString(),
  });
}

export async function writeNdjson(file: string, rows: number): Promise<number> {
  const stream = createWriteStream(file);
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    // A month of a QA team's exports: audits in the order they were done, ids from the exporting system.
    chunk += `${auditLine(i, NOW - 30 * DAY + Math.floor((i / rows) * 30 * DAY))}\n`;
    if (chunk.length > 1 << 20) {
      if (!stream.write(chunk)) await new Promise<void>((r) => stream.once("drain", () => r()));
      chunk = "";
    }
  }
  stream.end(chunk);
  await new Promise<void>((r) => stream.once("finish", () => r()));
  return statSync(file).size;
}

const FILL_COLUMNS = [
  "id",
  "decision_id",
  "queue",
  "moderator",
  "auditor",
  "outcome",
  "error_type",
  "severity",
  "market",
  "audited_at",
  "audited_ms",
  "ingested_at",
] as const;

/** The audits `fillDatabase` writes, `count` of them from `start`, as values in FILL_COLUMNS order. */
function* fillRows(start: number, count: number, prefix: string, msOf: (i: number) => number) {
  for (let i = start; i < start + count; i++) {
    const ms = msOf(i);
    const wrong = i % 17 === 0 || (ms > NOW - 60 * DAY && i % 11 === 0);
    yield [
      `${prefix}${i}`,
      `d${i}`,
      QUEUES[i % QUEUES.length],
      `mod-${i % 40}`,
      `auditor-${i % 12}`,
      wrong ? "incorrect" : "correct",
      wrong ? "false-negative" : null,
      wrong ? 2 : null,
      i % 3 ? "US" : "KR",
      new Date(ms).toISOString(),
      ms,
      NOW,
    ];
  }
}

/** Writes rows in one transaction: prepared statements in a loop on SQLite, COPY on PostgreSQL. */
async function appendAudits(db: Db, rows: Iterable<unknown[]>): Promise<void> {
  await db.transaction(async (tx) => {
    if (tx instanceof PostgresTransaction) {
      await lockAuditAppends(tx);
      await copyRows(tx.client, "audits", FILL_COLUMNS, rows);
      return;
    }
    const insert = sqliteStatement(
      tx,
      `INSERT INTO audits (${FILL_COLUMNS.join(", ")}) VALUES (${FILL_COLUMNS.map(() => "?").join(", ")})`,
    );
    for (const row of rows) insert.run(...row);
  });
}

/**
 * Fills a database directly (not over HTTP): `recent` audits over the last year, `history` in the nine years
 * before. The SQLite database in `dir`, or the PostgreSQL one at `databaseUrl`.
 */
export async function fillDatabase(dir: string, recent: number, history: number, databaseUrl?: string) {
  const db = await openDatabase({ dataDir: dir, databaseUrl });
  try {
    const batch = 200_000;
    for (let start = 0; start < history; start += batch) {
      const ms = (i: number) => NOW - 366 * DAY - (i % (9 * 365)) * DAY - (i % 86_400) * 1000;
      await appendAudits(db, fillRows(start, Math.min(batch, history - start), "h", ms));
    }
    await appendAudits(
      db,
      fillRows(0, recent, "r", (i) => NOW - (i % 365) * DAY - (i % 86_400) * 1000),
    );
    const sqlite = sqliteConnection(db);
    if (sqlite) sqlite.pragma("wal_checkpoint(TRUNCATE)");
    else await db.run("ANALYZE audits"); // the planner's statistics now rather than at autovacuum's next pass
  } finally {
    await db.close();
  }
}

/** On PostgreSQL, the URL of schema `name`, emptied first when `fresh`; undefined on SQLite. */
async function benchSchema(name: string, fresh: boolean): Promise<string | undefined> {
  if (!DATABASE_URL) return undefined;
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    if (fresh) await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${name}`);
  } finally {
    await client.end();
  }
  return withSchema(DATABASE_URL, name);
}

/** The report database of `recent` + `history` audits, built once and kept between runs; the server's env. */
async function reportDatabase(
  recent: number,
  history: number,
  name: string,
): Promise<Record<string, string>> {
  const built = async (build: () => Promise<void>) => {
    const start = performance.now();
    await build();
    console.log(`(built the ${name} database in ${((performance.now() - start) / 1000).toFixed(0)} s)`);
  };
  const dir = join(out, `reports-${recent}-${history}`);
  const url = await benchSchema(`bench_audits_reports_${recent}_${history}`, false);
  if (url) {
    const db = await openDatabase({ dataDir: ":memory:", databaseUrl: url, poolSize: 1 });
    const stored = await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM audits");
    await db.close();
    if (stored!.n !== recent + history) {
      await benchSchema(`bench_audits_reports_${recent}_${history}`, true);
      await built(() => fillDatabase(dir, recent, history, url));
    }
    return { MODQC_DATABASE_URL: url };
  }
  if (!existsSync(join(dir, "modqc.sqlite"))) {
    rmSync(dir, { recursive: true, force: true });
    await built(() => fillDatabase(dir, recent, history));
  }
  return { MODQC_DATA_DIR: dir };
}

async function timeRequests(
  url: string,
  key: string,
  runs: number,
): Promise<{ p50: number; p99: number; max: number }> {
  const times: number[] = [];
  // One untimed request first: a server just started is still loading its compute threads.
  await (await fetch(url, { headers: { authorization: `Bearer ${key}` } })).arrayBuffer();
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    p50: times[Math.floor(runs * 0.5)],
    p99: times[Math.min(runs - 1, Math.floor(runs * 0.99))],
    max: times[runs - 1],
  };
}

async function singleAudits(server: { url: string; adminKey: string }): Promise<number[]> {
  const result = await singleAuditLoad(server, 50, 10, "single");
  return [result.requestsPerSecond, result.p50, result.p99, result.errors + result.non2xx];
}

export async function run(): Promise<void> {
  mkdirSync(out, { recursive: true });
  console.log(
    DATABASE_URL
      ? "backend: PostgreSQL (MODQC_BENCH_DATABASE_URL)"
      : "backend: SQLite (a data directory per server)",
  );

  // 1. Bulk NDJSON ingest of ROWS audits in one request, and the server's peak memory.
  const file = join(out, `audits-${ROWS}-v2.ndjson`);
  const bytes = existsSync(file) ? statSync(file).size : await writeNdjson(file, ROWS);
  const ingestUrl = await benchSchema("bench_audits_ingest", true);
  const server = await startServer(ingestUrl ? { MODQC_DATABASE_URL: ingestUrl } : {});
  try {
    const before = peakRssOf(server.child.pid!);
    const start = performance.now();
    const res = await fetch(`${server.url}/v1/audits`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/x-ndjson" },
      body: readFileSync(file),
    });
    const seconds = (performance.now() - start) / 1000;
    const body = (await res.json()) as { inserted: number };
    table([
      ["bulk ingest (one NDJSON request)", "rows", "body", "seconds", "audits/s", "server peak RSS"],
      [
        `status ${res.status}`,
        body.inserted,
        mib(bytes),
        seconds,
        body.inserted / seconds,
        mib(Math.max(before, peakRssOf(server.child.pid!))),
      ],
    ]);

    // 2. Single-audit POSTs, 50 connections: on SQLite as configured by default and with MODQC_SYNCHRONOUS=FULL.
    const single: (string | number)[][] = [
      ["single-audit POST /v1/audits, 50 connections, 10 s", "req/s", "p50 ms", "p99 ms", "errors+non2xx"],
    ];
    if (ingestUrl) {
      single.push(["PostgreSQL (group commit)", ...(await singleAudits(server))]);
    } else {
      single.push(["synchronous=NORMAL (default)", ...(await singleAudits(server))]);
      const full = await startServer({ MODQC_SYNCHRONOUS: "FULL" });
      try {
        single.push(["synchronous=FULL (fsync per commit)", ...(await singleAudits(full))]);
      } finally {
        await full.stop();
      }
    }
    table(single);
  } finally {
    await server.stop();
  }

  // 3. Reports whose cost must not grow with audits outside the filter: the same recent year of audits,
  // alone and under 99 times as many older ones.
  const recent = Math.round(ROWS / 10);
  const rows: (string | number)[][] = [["report", "database", "p50 ms", "p99 ms"]];
  for (const history of [0, recent * 99]) {
    const name = `${format(recent + history)} audits`;
    const s = await startServer(await reportDatabase(recent, history, name));
    try {
      const year = await timeRequests(
        `${s.url}/v1/charts?type=p&interval=day&queue=hate&from=2025-11-25&to=2026-11-24&rules=nelson`,
        s.adminKey,
        30,
      );
      rows.push(["one-year daily p chart, one queue", name, year.p50, year.p99]);
      const month = await timeRequests(
        `${s.url}/v1/quality?groupBy=moderator&from=2026-10-01&to=2026-10-31`,
        s.adminKey,
        30,
      );
      rows.push(["one-month quality groupBy=moderator", name, month.p50, month.p99]);
    } finally {
      await s.stop();
    }
  }
  table(rows);
}
