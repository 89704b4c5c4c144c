import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fillDatabase, NOW } from "./audits.bench.ts";
import { startServer, table } from "./lib.ts";

/**
 * Issue 19: a mixed load at 50 connections over 1,000,000 stored audits, half single-audit writes and half
 * dashboard reports (a 24 h quality by queue and a 30-day daily chart over all queues), against reads alone.
 * MODQC_BENCH_BEFORE=<path of another checkout> also runs that checkout's server for a before/after table.
 */
const out = fileURLToPath(new URL("./out/", import.meta.url));
const DAY = 86_400_000;
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const REPORTS = [
  `/v1/quality?groupBy=queue&from=${new Date(NOW - DAY).toISOString()}&to=${new Date(NOW).toISOString()}`,
  `/v1/charts?type=p&interval=day&from=${date(NOW - 30 * DAY)}&to=${date(NOW - DAY)}`,
];
const WRITE = JSON.stringify({
  id: "mixed-[<id>]",
  decisionId: "d-[<id>]",
  queue: "hate",
  moderator: "mod-1",
  auditor: "auditor-1",
  outcome: "correct",
  auditedAt: "2026-11-23T09:30:00Z",
});

interface Summary {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
}

function load(server: { url: string; adminKey: string }, writers: number, readers: number, seconds = 15) {
  const args = JSON.stringify({
    url: server.url,
    key: server.adminKey,
    writers,
    readers,
    seconds,
    reports: REPORTS,
    write: WRITE,
  });
  return new Promise<{ writes?: Summary; reads?: Summary }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL("./mixed-load.mjs", import.meta.url)), args],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let text = "";
    child.stdout.on("data", (chunk) => (text += chunk));
    child.on("error", reject);
    child.on("exit", () => resolve(JSON.parse(text)));
  });
}

const row = (name: string, kind: string, s: Summary | undefined) =>
  s
    ? [name, kind, s.requestsPerSecond, s.p50, s.p99, s.max, s.errors]
    : [name, kind, "-", "-", "-", "-", "-"];

export async function run(): Promise<void> {
  const dir = join(out, "mixed-1m");
  if (!existsSync(join(dir, "modqc.sqlite"))) {
    rmSync(dir, { recursive: true, force: true });
    await fillDatabase(dir, 1_000_000, 0);
  }
  const builds: [string, string | undefined][] = [["this checkout", undefined]];
  if (process.env.MODQC_BENCH_BEFORE) builds.unshift(["before", process.env.MODQC_BENCH_BEFORE]);
  const rows: (string | number)[][] = [
    ["50 connections over 1,000,000 audits, 15 s", "kind", "req/s", "p50 ms", "p99 ms", "max ms", "errors"],
  ];
  for (const [name, root] of builds) {
    // A copy per run: the writes of one run must not change what the next one reads.
    const runDir = join(out, "mixed-run");
    rmSync(runDir, { recursive: true, force: true });
    await import("node:fs").then((fs) => fs.cpSync(dir, runDir, { recursive: true }));
    const server = await startServer({ MODQC_DATA_DIR: runDir }, { root });
    try {
      await load(server, 0, 4, 3); // warm the page cache and the compute threads
      const alone = await load(server, 0, 25);
      rows.push(row(name, "reads alone (25 conn.)", alone.reads));
      const mixed = await load(server, 25, 25);
      rows.push(row(name, "mixed: writes (25 conn.)", mixed.writes));
      rows.push(row(name, "mixed: reads (25 conn.)", mixed.reads));
    } finally {
      await server.stop();
    }
  }
  rmSync(join(out, "mixed-run"), { recursive: true, force: true });
  table(rows);
}
