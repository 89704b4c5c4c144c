/**
 * Issue 20: reports at organisation scale. A synthetic year of MODQC_BENCH_ROLLUP_AUDITS audits (default
 * 30,000,000; bench/rollup-data.ts) filled straight into the database, the rollups rebuilt, then, through the
 * real server, the latency of wide reports (~2.5 M audits inside the filter at 30 M) and their narrow twins
 * (~30,000), on the rollups (default) and on the rows (MODQC_ROLLUPS=off); then the ingest cost of maintaining
 * the rollups (bulk NDJSON, single-audit POSTs) on fresh databases, against MODQC_BENCH_BEFORE=<checkout of the
 * previous commit> when given.
 *
 * SQLite under bench/out/rollups-<n>/ by default; PostgreSQL schema bench_rollups_<n> when
 * MODQC_BENCH_DATABASE_URL is set. Both are kept between runs and rebuilt only when the count differs.
 * MODQC_BENCH_ROLLUP_PARTS=build,reports,ingest (default all) picks the parts; MODQC_BENCH_ROLLUP_RUNS (20) the
 * timed requests per report (fewer when one takes over a second: at least 3, ~20 s per report);
 * MODQC_BENCH_ROLLUP_NARROW the narrow twins' target (30,000, at most n/1,000); MODQC_BENCH_ROLLUP_INGEST the
 * bulk upload's rows (1,000,000).
 */
import { createHash } from "node:crypto";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { toFilter } from "../src/audits/filters.ts";
import { lockAuditAppends } from "../src/db/audits.ts";
import { copyRows } from "../src/db/copy.ts";
import type { Db } from "../src/db/database.ts";
import { openDatabase } from "../src/db/open.ts";
import { PostgresTransaction } from "../src/db/postgres.ts";
import { Database, sqliteConnection, sqliteStatement } from "../src/db/sqlite.ts";
import { rebuildRollups } from "../src/rollups/rebuild.ts";
import { withSchema } from "../test/database.ts";
import { writeNdjson } from "./audits.bench.ts";
import { mib, onBenchDatabase, singleAuditLoad, startServer, table } from "./lib.ts";
import { DAY, ROLLUP_COLUMNS, ROLLUP_NOW, rollupNdjsonLines, rollupRows } from "./rollup-data.ts";

const out = fileURLToPath(new URL("./out/", import.meta.url));
const DATABASE_URL = process.env.MODQC_BENCH_DATABASE_URL || undefined;
const BEFORE = process.env.MODQC_BENCH_BEFORE || undefined;
const N = Number(process.env.MODQC_BENCH_ROLLUP_AUDITS ?? 30_000_000);
const RUNS = Number(process.env.MODQC_BENCH_ROLLUP_RUNS ?? 20);
const NARROW = Number(process.env.MODQC_BENCH_ROLLUP_NARROW ?? Math.min(30_000, Math.round(N / 1000)));
const INGEST_ROWS = Number(process.env.MODQC_BENCH_ROLLUP_INGEST ?? 1_000_000);
const PARTS = new Set((process.env.MODQC_BENCH_ROLLUP_PARTS ?? "build,reports,ingest").split(","));
/** Audits per fill transaction (and per COPY on PostgreSQL). */
const FILL_BATCH = 1_000_000;
/** Long enough for the row path over millions of audits (the default 15 s budget would answer 422). */
const SERVER_ENV = { MODQC_COMPUTE_TIMEOUT_MS: "600000" };

// --- 1. The database ---------------------------------------------------------------------------------------

interface BuildInfo {
  count: number;
  fillSeconds?: number;
  rebuild?: { seconds: number; cells: number; audits: number };
  sizes?: [string, number][];
}

/** Fills `db` with the bench's `N` audits over the year before ROLLUP_NOW, FILL_BATCH per transaction. */
async function fill(db: Db): Promise<void> {
  const rows = rollupRows({
    count: N,
    fromMs: ROLLUP_NOW - 365 * DAY,
    toMs: ROLLUP_NOW,
    prefix: "a",
    ingestedMs: ROLLUP_NOW,
  })[Symbol.iterator]();
  let finished = false;
  function* batch() {
    for (let i = 0; i < FILL_BATCH; i++) {
      const next = rows.next();
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  }
  let written = 0;
  const started = performance.now();
  while (!finished) {
    const before = written;
    await db.transaction(async (tx) => {
      if (tx instanceof PostgresTransaction) {
        await lockAuditAppends(tx);
        written += await copyRows(tx.client, "audits", ROLLUP_COLUMNS, batch());
        return;
      }
      const insert = sqliteStatement(
        tx,
        `INSERT INTO audits (${ROLLUP_COLUMNS.join(", ")}) VALUES (${ROLLUP_COLUMNS.map(() => "?").join(", ")})`,
      );
      for (const row of batch()) {
        insert.run(...row);
        written++;
      }
    });
    if (written > before && (written % 5_000_000 === 0 || finished))
      console.log(
        `  (${written.toLocaleString("en-US")} audits, ${((performance.now() - started) / 1000).toFixed(0)} s)`,
      );
  }
  const sqlite = sqliteConnection(db);
  if (sqlite) sqlite.pragma("wal_checkpoint(TRUNCATE)");
  else await db.run("ANALYZE audits");
}

const SIZE_TABLES = ["audits", "audit_rollups", "audit_confusion_rollups", "audit_rollup_deltas"];

/** Bytes of each table and of its indexes, and of the whole file, from SQLite's dbstat (page counts without it). */
function sqliteSizes(sqlite: InstanceType<typeof Database>): [string, number][] {
  const pages = sqlite.pragma("page_count", { simple: true }) as number;
  const pageSize = sqlite.pragma("page_size", { simple: true }) as number;
  let rows: { tbl: string; type: string; bytes: number }[];
  try {
    rows = sqlite
      .prepare(
        `SELECT m.tbl_name AS tbl, m.type AS type, SUM(s.pgsize) AS bytes
         FROM dbstat AS s JOIN sqlite_master AS m ON m.name = s.name
         WHERE s.aggregate = TRUE GROUP BY m.tbl_name, m.type`,
      )
      .all() as typeof rows;
  } catch {
    return [["database (no dbstat)", pages * pageSize]];
  }
  const result: [string, number][] = [];
  for (const name of SIZE_TABLES) {
    const table = rows.find((r) => r.tbl === name && r.type === "table");
    if (!table) continue;
    result.push([`${name} table`, table.bytes]);
    const indexes = rows.find((r) => r.tbl === name && r.type === "index");
    if (indexes) result.push([`${name} indexes`, indexes.bytes]);
  }
  result.push(["whole database file", pages * pageSize]);
  return result;
}

/** The same on PostgreSQL (pg_table_size, pg_indexes_size) for the schema `url` selects. */
async function postgresSizes(url: string): Promise<[string, number][]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result: [string, number][] = [];
    for (const name of SIZE_TABLES) {
      const { rows } = await client.query(
        "SELECT pg_table_size(to_regclass($1))::float8 AS t, pg_indexes_size(to_regclass($1))::float8 AS i",
        [name],
      );
      if (rows[0].t === null) continue;
      result.push([`${name} table`, rows[0].t]);
      result.push([`${name} indexes`, rows[0].i ?? 0]);
    }
    const { rows } = await client.query(
      `SELECT SUM(pg_total_relation_size(c.oid))::float8 AS n FROM pg_class c
       WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'`,
    );
    result.push(["whole schema", rows[0].n ?? 0]);
    return result;
  } finally {
    await client.end();
  }
}

/** Sizes of the database of a server environment, opened without migrating it (a before-build's stays as is). */
async function sizesOf(env: Record<string, string>): Promise<[string, number][]> {
  if (env.MODQC_DATABASE_URL) return postgresSizes(env.MODQC_DATABASE_URL);
  const sqlite = new Database(join(env.MODQC_DATA_DIR, "modqc.sqlite"));
  try {
    return sqliteSizes(sqlite);
  } finally {
    sqlite.close();
  }
}

function printBuild(info: BuildInfo, backend: string, rebuilt: boolean): void {
  const rows: (string | number)[][] = [[`database (${backend})`, "value"]];
  rows.push(["audits", info.count]);
  if (info.fillSeconds !== undefined) {
    const how = backend === "SQLite" ? "prepared INSERTs, 1 M per transaction" : "COPY, 1 M per transaction";
    rows.push([`fill (${how}), s`, info.fillSeconds]);
  }
  if (info.rebuild) {
    rows.push([`rebuildRollups, s${rebuilt ? "" : " (when built)"}`, info.rebuild.seconds]);
    rows.push(["rollup cells", info.rebuild.cells]);
  }
  const audits = (info.sizes ?? []).filter(([n]) => n.startsWith("audits ")).reduce((s, [, b]) => s + b, 0);
  for (const [name, bytes] of info.sizes ?? []) rows.push([name, mib(bytes)]);
  const rollups = (info.sizes ?? []).filter(([n]) => n.includes("rollups")).reduce((s, [, b]) => s + b, 0);
  if (audits > 0 && rollups > 0)
    rows.push(["rollups / (audits + indexes)", `${((rollups / audits) * 100).toFixed(1)} %`]);
  table(rows);
}

/** The bench database (built or rebuilt as needed): the server's database environment. */
async function benchDatabase(): Promise<Record<string, string>> {
  const schema = `bench_rollups_${N}`;
  const url = DATABASE_URL ? withSchema(DATABASE_URL, schema) : undefined;
  const dir = join(out, url ? `rollups-pg-${N}` : `rollups-${N}`);
  const infoFile = join(dir, "build.json");
  let info: BuildInfo | undefined = existsSync(infoFile)
    ? (JSON.parse(readFileSync(infoFile, "utf8")) as BuildInfo)
    : undefined;
  if (url) {
    await onBenchDatabase(DATABASE_URL!, [`CREATE SCHEMA IF NOT EXISTS ${schema}`]);
    const db = await openDatabase({ dataDir: ":memory:", databaseUrl: url, poolSize: 1 });
    const stored = (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM audits"))!.n;
    await db.close();
    if (stored !== N) {
      info = undefined;
      await onBenchDatabase(DATABASE_URL!, [`DROP SCHEMA ${schema} CASCADE`, `CREATE SCHEMA ${schema}`]);
    } else info ??= { count: N };
  } else if (info?.count !== N || !existsSync(join(dir, "modqc.sqlite"))) info = undefined;
  let rebuilt = false;
  if (!info) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    console.log(`(filling ${N.toLocaleString("en-US")} audits…)`);
    const db = await openDatabase({ dataDir: dir, databaseUrl: url });
    try {
      const start = performance.now();
      await fill(db);
      info = { count: N, fillSeconds: (performance.now() - start) / 1000 };
    } finally {
      await db.close();
    }
    writeFileSync(infoFile, JSON.stringify(info));
  }
  if (!info.rebuild) {
    const db = await openDatabase({ dataDir: dir, databaseUrl: url });
    try {
      const start = performance.now();
      const result = await rebuildRollups(db);
      info.rebuild = { seconds: (performance.now() - start) / 1000, ...result };
      const sqlite = sqliteConnection(db);
      if (sqlite) sqlite.pragma("wal_checkpoint(TRUNCATE)");
      else {
        // The rebuild deleted what the triggers wrote during the COPY: measure the live rows, not dead ones.
        for (const name of SIZE_TABLES.slice(1)) {
          const found = await db.get<{ t: string | null }>("SELECT to_regclass(?)::text AS t", [name]);
          if (found?.t) await db.run(`VACUUM FULL ${name}`);
        }
        await db.run("ANALYZE");
      }
      rebuilt = true;
    } finally {
      await db.close();
    }
    writeFileSync(infoFile, JSON.stringify(info));
  }
  if (!info.sizes || rebuilt) {
    info.sizes = await sizesOf(url ? { MODQC_DATABASE_URL: url } : { MODQC_DATA_DIR: dir });
    writeFileSync(infoFile, JSON.stringify(info));
  }
  printBuild(info, url ? "PostgreSQL" : "SQLite", rebuilt);
  return url ? { MODQC_DATABASE_URL: url } : { MODQC_DATA_DIR: dir, MODQC_DATABASE_URL: "" };
}

// --- 2. Reports ----------------------------------------------------------------------------------------------

type Dim = "queue" | "market" | "policy";

interface Report {
  name: string;
  path: string;
  /** Query parameters other than from/to/tz and the narrowing filters. */
  params: Record<string, string>;
  tz: string | undefined;
  days: number;
  /** Filters of the wide report itself. */
  filter: Partial<Record<Dim, string>>;
  /** The filter shapes a narrow twin may add (each stays within one rollup cuboid with the report's grouping). */
  narrowShapes: Dim[][];
}

/** The last full day before ROLLUP_NOW in Asia/Seoul, and the first of the `days` days up to it. */
const TO_DATE = "2026-11-24";
const fromDate = (days: number) =>
  new Date(Date.parse(TO_DATE) - (days - 1) * DAY).toISOString().slice(0, 10);

const ALL: Dim[][] = [["queue"], ["market"], ["policy"], ["queue", "market"], ["queue", "market", "policy"]];
const REPORTS: Report[] = [
  {
    name: "quality by queue, 30 days",
    path: "/v1/quality",
    params: { groupBy: "queue" },
    tz: "Asia/Seoul",
    days: 30,
    filter: {},
    narrowShapes: [["market"], ["policy"], ["market", "policy"]],
  },
  {
    name: "daily p chart, all queues, 30 days, Seoul",
    path: "/v1/charts",
    params: { type: "p", interval: "day" },
    tz: "Asia/Seoul",
    days: 30,
    filter: {},
    narrowShapes: ALL,
  },
  {
    name: "weekly p chart, one market, 90 days",
    path: "/v1/charts",
    params: { type: "p", interval: "week" },
    tz: "Asia/Seoul",
    days: 90,
    filter: { market: "US" },
    narrowShapes: [
      ["market", "queue"],
      ["market", "queue", "policy"],
    ],
  },
  {
    name: "funnel by moderator, 30 days",
    path: "/v1/funnel",
    params: { by: "moderator" },
    tz: "Asia/Seoul",
    days: 30,
    filter: {},
    narrowShapes: [["queue"], ["market"], ["queue", "market"]],
  },
  {
    name: "policy confusion, 30 days",
    path: "/v1/policy-confusion",
    params: {},
    tz: "Asia/Seoul",
    days: 30,
    filter: {},
    narrowShapes: [["queue"], ["market"], ["queue", "market"]],
  },
  {
    name: "scorecards, all moderators, 30 days",
    path: "/v1/scorecards",
    params: {},
    tz: "Asia/Seoul",
    days: 30,
    filter: {},
    narrowShapes: [["queue"]],
  },
  {
    name: "daily p chart, all queues, 30 days, Kolkata",
    path: "/v1/charts",
    params: { type: "p", interval: "day" },
    tz: "Asia/Kolkata",
    days: 30,
    filter: {},
    narrowShapes: ALL,
  },
  {
    name: "daily p chart, all queues, 30 days, UTC",
    path: "/v1/charts",
    params: { type: "p", interval: "day" },
    tz: "UTC",
    days: 30,
    filter: {},
    narrowShapes: ALL,
  },
];

interface Cell {
  queue: string;
  market: string | null;
  policy: string | null;
  n: number;
}

/** Audits per (queue, market, policy) inside each report window, counted from the rows once and kept. */
async function windowCounts(env: Record<string, string>): Promise<Map<string, Cell[]>> {
  const file = env.MODQC_DATA_DIR
    ? join(env.MODQC_DATA_DIR, "windows.json")
    : join(out, `rollups-pg-${N}`, "windows.json");
  const kept: Record<string, Cell[]> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const db = await openDatabase({
    dataDir: env.MODQC_DATA_DIR ?? ":memory:",
    databaseUrl: env.MODQC_DATABASE_URL || undefined,
    poolSize: 1,
  });
  try {
    for (const report of REPORTS) {
      const key = windowKey(report);
      if (kept[key]) continue;
      const { fromMs, toMs } = bounds(report);
      kept[key] = await db.all<Cell>(
        `SELECT queue, market, policy, COUNT(*) AS n FROM audits WHERE audited_ms >= ? AND audited_ms < ?
         GROUP BY queue, market, policy`,
        [fromMs, toMs],
      );
    }
  } finally {
    await db.close();
  }
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, JSON.stringify(kept));
  return new Map(Object.entries(kept));
}

const windowKey = (r: Report) => `${r.tz}|${fromDate(r.days)}|${TO_DATE}`;

function bounds(report: Report): { fromMs: number; toMs: number } {
  const filter = toFilter({ from: fromDate(report.days), to: TO_DATE }, report.tz ?? "UTC");
  return { fromMs: filter.fromMs!, toMs: filter.toMs! };
}

const countOf = (cells: Cell[], filter: Partial<Record<Dim, string>>) =>
  cells
    .filter((c) => Object.entries(filter).every(([dim, value]) => c[dim as Dim] === value))
    .reduce((sum, c) => sum + c.n, 0);

/** The narrow twin's filter: of every filter of the report's shapes, the one whose count is nearest NARROW. */
function narrowFilter(
  report: Report,
  cells: Cell[],
): { filter: Partial<Record<Dim, string>>; count: number } {
  let best = {
    filter: report.filter,
    count: countOf(cells, report.filter),
    distance: Number.POSITIVE_INFINITY,
  };
  for (const shape of report.narrowShapes) {
    const seen = new Set<string>();
    for (const cell of cells) {
      const filter: Partial<Record<Dim, string>> = { ...report.filter };
      let usable = true;
      for (const dim of shape) {
        if (report.filter[dim] !== undefined) continue;
        const value = cell[dim];
        if (value === null) usable = false;
        else filter[dim] = value;
      }
      const key = JSON.stringify(filter);
      if (!usable || seen.has(key)) continue;
      seen.add(key);
      const count = countOf(cells, filter);
      const distance = Math.abs(Math.log(count / NARROW));
      if (distance < best.distance) best = { filter, count, distance };
    }
  }
  return { filter: best.filter, count: best.count };
}

function reportUrl(report: Report, filter: Partial<Record<Dim, string>>): string {
  const query = new URLSearchParams({
    ...report.params,
    ...filter,
    from: fromDate(report.days),
    to: TO_DATE,
    ...(report.tz ? { tz: report.tz } : {}),
  });
  return `${report.path}?${query}`;
}

interface Timing {
  p50: number;
  p99: number;
  runs: number;
  /** SHA-256 of the last answer's body, to compare the two paths' answers. */
  digest: string;
}

async function timedGet(url: string, key: string): Promise<{ ms: number; body: Buffer }> {
  const start = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  const body = Buffer.from(await res.arrayBuffer());
  if (!res.ok) throw new Error(`${url}: ${res.status} ${body.toString().slice(0, 500)}`);
  return { ms: performance.now() - start, body };
}

/** One untimed request, then RUNS timed ones (fewer, at least 3, when the first timed one takes over a second). */
async function timeRequests(url: string, key: string): Promise<Timing> {
  await timedGet(url, key);
  const first = await timedGet(url, key);
  const runs = first.ms > 1000 ? Math.max(3, Math.min(RUNS, Math.floor(20_000 / first.ms))) : RUNS;
  const times = [first.ms];
  let body = first.body;
  for (let i = 1; i < runs; i++) {
    const result = await timedGet(url, key);
    times.push(result.ms);
    body = result.body;
  }
  times.sort((a, b) => a - b);
  return {
    p50: times[Math.floor(runs * 0.5)],
    p99: times[Math.min(runs - 1, Math.floor(runs * 0.99))],
    runs,
    digest: createHash("sha256").update(body).digest("hex"),
  };
}

async function reports(env: Record<string, string>): Promise<void> {
  const counts = await windowCounts(env);
  const requests = REPORTS.flatMap((report) => {
    const cells = counts.get(windowKey(report))!;
    const narrow = narrowFilter(report, cells);
    return [
      { report, variant: "wide", filter: report.filter, count: countOf(cells, report.filter) },
      { report, variant: "narrow", filter: narrow.filter, count: narrow.count },
    ];
  });
  const timings: Record<string, Timing[]> = { rows: [], rollups: [] };
  for (const [path, extra] of [
    ["rollups", {}],
    ["rows", { MODQC_ROLLUPS: "off" }],
  ] as const) {
    const started = performance.now();
    const server = await startServer({ ...env, ...SERVER_ENV, ...extra });
    console.log(`(${path} server started in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    try {
      for (const request of requests) {
        timings[path].push(
          await timeRequests(`${server.url}${reportUrl(request.report, request.filter)}`, server.adminKey),
        );
      }
    } finally {
      await server.stop();
    }
  }
  const rows: (string | number)[][] = [
    [
      "report",
      "filter",
      "audits inside",
      "rows p50",
      "rows p99",
      "rollups p50",
      "rollups p99",
      "runs rows/rollups",
      "rows/rollups p50",
      "wide/narrow (rollups p50)",
      "same answer",
    ],
  ];
  for (const [i, request] of requests.entries()) {
    const rowsTiming = timings.rows[i];
    const rollups = timings.rollups[i];
    const twin = request.variant === "wide" ? timings.rollups[i + 1] : undefined;
    rows.push([
      request.variant === "wide" ? request.report.name : "  narrow twin",
      Object.entries(request.filter)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ") || "-",
      request.count,
      rowsTiming.p50,
      rowsTiming.p99,
      rollups.p50,
      rollups.p99,
      `${rowsTiming.runs}/${rollups.runs}`,
      `${(rowsTiming.p50 / rollups.p50).toFixed(1)}×`,
      twin ? `${(rollups.p50 / twin.p50).toFixed(1)}×` : "",
      rowsTiming.digest === rollups.digest ? "yes" : "DIFFERS",
    ]);
  }
  console.log("latency in ms, sequential requests after one untimed warm-up, each path on its own server");
  table(rows);
}

// --- 3. Ingest cost ------------------------------------------------------------------------------------------

function peakRssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/VmHWM:\s+(\d+) kB/)![1]) * 1024;
}

/** NDJSON of INGEST_ROWS audits of the bench's organisation over the 30 days before ROLLUP_NOW, kept. */
async function organisationNdjson(): Promise<string> {
  const file = join(out, `rollups-ingest-${INGEST_ROWS}.ndjson`);
  if (existsSync(file)) return file;
  const stream = createWriteStream(`${file}.tmp`);
  let chunk = "";
  for (const line of rollupNdjsonLines({
    count: INGEST_ROWS,
    fromMs: ROLLUP_NOW - 30 * DAY,
    toMs: ROLLUP_NOW,
    prefix: "i",
    ingestedMs: ROLLUP_NOW,
  })) {
    chunk += `${line}\n`;
    if (chunk.length > 1 << 20) {
      if (!stream.write(chunk)) await new Promise<void>((r) => stream.once("drain", () => r()));
      chunk = "";
    }
  }
  stream.end(chunk);
  await new Promise<void>((r) => stream.once("finish", () => r()));
  const { renameSync } = await import("node:fs");
  renameSync(`${file}.tmp`, file);
  return file;
}

/**
 * When the rollups are kept behind a watermark (audits above it are read as rows until the compactor rolls them
 * up), waits until it reaches the last stored audit and resolves to that instant (performance.now()); undefined
 * when the database has no watermark (a build that keeps the rollups inside the writing transaction, or none).
 */
async function rolledUp(env: Record<string, string>): Promise<number | undefined> {
  const sql =
    "SELECT (SELECT upto FROM rollup_watermark) >= (SELECT COALESCE(MAX(seq), 0) FROM audits) AS done";
  let check: () => Promise<boolean>;
  let close: () => Promise<void>;
  if (env.MODQC_DATABASE_URL) {
    const client = new pg.Client({ connectionString: env.MODQC_DATABASE_URL });
    await client.connect();
    close = () => client.end();
    const { rows } = await client.query("SELECT to_regclass('rollup_watermark') IS NOT NULL AS found");
    if (!rows[0].found) {
      await close();
      return undefined;
    }
    check = async () => (await client.query(sql)).rows[0].done === true;
  } else {
    const sqlite = new Database(join(env.MODQC_DATA_DIR, "modqc.sqlite"), { readonly: true });
    close = async () => void sqlite.close();
    const found = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'rollup_watermark'").get();
    if (!found) {
      await close();
      return undefined;
    }
    const statement = sqlite.prepare(sql);
    check = async () => (statement.get() as { done: number }).done === 1;
  }
  try {
    for (const deadline = performance.now() + 600_000; performance.now() < deadline; ) {
      if (await check()) return performance.now();
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("the rollups did not catch up with the audits within 600 s");
  } finally {
    await close();
  }
}

/** A fresh database for one ingest server: a schema emptied first, or a new data directory. */
async function freshDatabase(name: string): Promise<Record<string, string>> {
  if (DATABASE_URL) {
    const schema = `bench_rollups_ingest_${name.replaceAll("-", "_")}`;
    await onBenchDatabase(DATABASE_URL, [
      `DROP SCHEMA IF EXISTS ${schema} CASCADE`,
      `CREATE SCHEMA ${schema}`,
    ]);
    return { MODQC_DATABASE_URL: withSchema(DATABASE_URL, schema) };
  }
  const dir = join(out, `rollups-ingest-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return { MODQC_DATA_DIR: dir, MODQC_DATABASE_URL: "" };
}

async function ingest(): Promise<void> {
  const files: [string, string][] = [
    [
      "audits bench NDJSON (10 queues, 40 moderators)",
      await (async () => {
        const file = join(out, `audits-${INGEST_ROWS}-v2.ndjson`);
        if (!existsSync(file)) await writeNdjson(file, INGEST_ROWS);
        return file;
      })(),
    ],
    ["organisation NDJSON (20 queues, 5,000 moderators, 50 policies)", await organisationNdjson()],
  ];
  const builds: [string, string | undefined][] = [["this checkout", undefined]];
  if (BEFORE) builds.unshift(["before", BEFORE]);
  const bulk: (string | number)[][] = [
    [
      "bulk ingest (one NDJSON request)",
      "build",
      "rows",
      "body",
      "seconds",
      "audits/s",
      "rolled up after, s",
      "peak RSS",
      "change (audits/s)",
    ],
  ];
  const single: (string | number)[][] = [
    [
      "single-audit POST, 50 connections, 10 s",
      "build",
      "req/s",
      "p50 ms",
      "p99 ms",
      "errors+non2xx",
      "change",
    ],
  ];
  const sizeRows: (string | number)[][] = [["database after the organisation NDJSON", "build", "bytes"]];
  const change = (value: number, base: number | undefined) =>
    base === undefined ? "" : `${(((value - base) / base) * 100).toFixed(1)} %`;
  for (const [fileIndex, [label, file]] of files.entries()) {
    let base: number | undefined;
    let singleBase: number | undefined;
    for (const [build, root] of builds) {
      const env = await freshDatabase(`${build === "before" ? "before" : "after"}-${fileIndex}`);
      const server = await startServer({ ...env, ...SERVER_ENV }, { root });
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
        if (!res.ok) throw new Error(`bulk ingest: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
        const rate = body.inserted / seconds;
        const caughtUp = await rolledUp(env);
        bulk.push([
          label,
          build,
          body.inserted,
          mib(statSync(file).size),
          seconds,
          rate,
          caughtUp === undefined ? "-" : (caughtUp - start) / 1000,
          mib(Math.max(before, peakRssOf(server.child.pid!))),
          change(rate, base),
        ]);
        base ??= rate;
        if (fileIndex === 1) {
          // Single POSTs onto the 1,000,000 audits just stored, as audits.bench.ts does.
          const load = await singleAuditLoad(server, 50, 10, `single-${build === "before" ? "b" : "a"}`);
          single.push([
            "onto the organisation NDJSON's audits",
            build,
            load.requestsPerSecond,
            load.p50,
            load.p99,
            load.errors + load.non2xx,
            change(load.requestsPerSecond, singleBase),
          ]);
          singleBase ??= load.requestsPerSecond;
        }
      } finally {
        await server.stop();
      }
      if (fileIndex === 1) {
        for (const [name, bytes] of await sizesOf(env)) sizeRows.push([name, build, mib(bytes)]);
      }
      if (env.MODQC_DATA_DIR) rmSync(env.MODQC_DATA_DIR, { recursive: true, force: true });
    }
  }
  if (!BEFORE) console.log("(MODQC_BENCH_BEFORE not set: this checkout only)");
  table(bulk);
  table(single);
  table(sizeRows);
}

export async function run(): Promise<void> {
  mkdirSync(out, { recursive: true });
  console.log(
    `backend: ${DATABASE_URL ? "PostgreSQL (MODQC_BENCH_DATABASE_URL)" : "SQLite"}; ${N.toLocaleString("en-US")} audits; narrow target ${NARROW.toLocaleString("en-US")}`,
  );
  if (PARTS.has("build") || PARTS.has("reports")) {
    const env = await benchDatabase();
    if (PARTS.has("reports")) await reports(env);
  }
  if (PARTS.has("ingest")) await ingest();
}
