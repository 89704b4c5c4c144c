import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "../src/db/open.ts";
import { loadTest, mib, startServer, table } from "./lib.ts";

const out = fileURLToPath(new URL("./out/", import.meta.url));
const DAY = 86_400_000;
export const NOW = Date.parse("2026-11-24T00:00:00Z");
const QUEUES = [
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
];

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

async function writeNdjson(file: string, rows: number): Promise<number> {
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

/** Fills a database directly (not over HTTP): `recent` audits over the last year, `history` in the nine years before. */
export function fillDatabase(dir: string, recent: number, history: number): void {
  const db = openDatabase(dir);
  const insert =
    db.prepare(`INSERT INTO audits (id, decision_id, queue, moderator, auditor, outcome, error_type, severity,
    market, audited_at, audited_ms, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const add = (i: number, prefix: string, ms: number) => {
    const wrong = i % 17 === 0 || (ms > NOW - 60 * DAY && i % 11 === 0);
    insert.run(
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
    );
  };
  const batch = 200_000;
  for (let start = 0; start < history; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(start + batch, history); i++)
        add(i, "h", NOW - 366 * DAY - (i % (9 * 365)) * DAY - (i % 86_400) * 1000);
    })();
  }
  db.transaction(() => {
    for (let i = 0; i < recent; i++) add(i, "r", NOW - (i % 365) * DAY - (i % 86_400) * 1000);
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
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

/** autocannon replaces [<id>] with a unique id per request. */
async function singleAudits(server: { url: string; adminKey: string }): Promise<number[]> {
  const result = await loadTest({
    url: `${server.url}/v1/audits`,
    method: "POST",
    connections: 50,
    seconds: 10,
    headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      id: "single-[<id>]",
      decisionId: "d-[<id>]",
      queue: "hate",
      moderator: "mod-1",
      auditor: "auditor-1",
      outcome: "correct",
      auditedAt: "2026-11-24T09:30:00+09:00",
    }),
    idReplacement: true,
  });
  return [result.requestsPerSecond, result.p50, result.p99, result.errors + result.non2xx];
}

export async function run(): Promise<void> {
  mkdirSync(out, { recursive: true });

  // 1. Bulk NDJSON ingest of 1,000,000 audits in one request, and the server's peak memory.
  const file = join(out, "audits-1m-v2.ndjson");
  const bytes = existsSync(file) ? statSync(file).size : await writeNdjson(file, 1_000_000);
  const server = await startServer();
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

    // 2. Single-audit POSTs, 50 connections, as configured by default and with MODQC_SYNCHRONOUS=FULL.
    const single: (string | number)[][] = [
      ["single-audit POST /v1/audits, 50 connections, 10 s", "req/s", "p50 ms", "p99 ms", "errors+non2xx"],
    ];
    single.push(["synchronous=NORMAL (default)", ...(await singleAudits(server))]);
    const full = await startServer({ MODQC_SYNCHRONOUS: "FULL" });
    try {
      single.push(["synchronous=FULL (fsync per commit)", ...(await singleAudits(full))]);
    } finally {
      await full.stop();
    }
    table(single);
  } finally {
    await server.stop();
  }

  // 3. Reports whose cost must not grow with audits outside the filter: the same recent year of 100,000 audits,
  // alone and under 9,900,000 older ones.
  const rows: (string | number)[][] = [["report", "database", "p50 ms", "p99 ms"]];
  for (const [name, history] of [
    ["100,000 audits", 0],
    ["10,000,000 audits", 9_900_000],
  ] as const) {
    const dir = join(out, `reports-${history}`);
    if (!existsSync(join(dir, "modqc.sqlite"))) {
      rmSync(dir, { recursive: true, force: true });
      const start = performance.now();
      fillDatabase(dir, 100_000, history);
      console.log(`(built the ${name} database in ${((performance.now() - start) / 1000).toFixed(0)} s)`);
    }
    const s = await startServer({ MODQC_DATA_DIR: dir });
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
