/**
 * The cost of Prometheus metrics (issue 15) on the hottest write path: single-audit POSTs under 50 connections,
 * with MODQC_METRICS=off (no middleware, no route) against the default (loopback: every request counted and
 * timed) while a scraper reads GET /metrics every second (15 times Prometheus' usual rate). The two servers are
 * measured in alternation, three rounds each, so drift of a shared machine falls on both; the table shows each
 * round and the medians. Budget: the median with metrics at most 5 % below the median without.
 *
 * On a busy machine the socket figures swing by ±30 % between rounds, so a second table measures in-process
 * (`app.request`, no socket, no load generator): two apps over in-memory databases, one with metrics off, one
 * on, posting single audits sequentially in interleaved blocks; the medians of the blocks' CPU µs per request
 * (the process's CPU time, which other processes on the machine disturb far less than wall time). A third
 * table isolates the middleware: a trivial route with and without it, so its own cost per request is known
 * apart from the noise of a database write.
 */
import { Hono } from "hono";
import { Alerting } from "../src/alerts/index.ts";
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createKey } from "../src/db/keys.ts";
import { openDatabase } from "../src/db/open.ts";
import { AppMetrics } from "../src/metrics/metrics.ts";
import { singleAuditLoad, startServer, table } from "./lib.ts";

const ROUNDS = 3;
const SECONDS = 8;
const SCRAPE_EVERY_MS = 1_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const BLOCKS = 40;
const PER_BLOCK = 400;

async function inProcessApp(mode: string) {
  const db = await openDatabase({ dataDir: ":memory:" });
  const config = loadConfig({ MODQC_DATA_DIR: ":memory:", MODQC_METRICS: mode }, "bench");
  const app = createApp({ db, config, logger: { info: () => {}, error: () => {} } });
  const { key } = await createKey(db, { name: "bench", role: "admin" });
  let n = 0;
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const post = async () => {
    const id = `${mode}-${n++}`;
    const body = JSON.stringify({
      id,
      decisionId: `d-${id}`,
      queue: "hate",
      moderator: "mod-1",
      auditor: "auditor-1",
      outcome: "correct",
      auditedAt: "2026-11-24T09:30:00+09:00",
    });
    const res = await app.request("/v1/audits", { method: "POST", headers, body });
    if (res.status !== 200) throw new Error(`POST /v1/audits answered ${res.status}`);
    await res.arrayBuffer();
  };
  return { db, post };
}

async function inProcess(): Promise<void> {
  const apps = { off: await inProcessApp("off"), on: await inProcessApp("loopback") };
  const micros = { off: [] as number[], on: [] as number[] };
  for (let i = 0; i < 200; i++) for (const app of Object.values(apps)) await app.post(); // warm-up
  for (let block = 0; block < BLOCKS; block++) {
    // Alternate which goes first, so neither always follows a garbage collection of the other.
    const order = block % 2 === 0 ? (["off", "on"] as const) : (["on", "off"] as const);
    for (const mode of order) {
      const started = process.cpuUsage();
      for (let i = 0; i < PER_BLOCK; i++) await apps[mode].post();
      const used = process.cpuUsage(started);
      micros[mode].push((used.user + used.system) / PER_BLOCK);
    }
  }
  const [a, b] = [median(micros.off), median(micros.on)];
  table([
    [
      `in-process single-audit POST, ${BLOCKS} × ${PER_BLOCK} each`,
      "CPU µs/request (median block)",
      "req/s per core",
    ],
    ["metrics off", a, 1e6 / a],
    ["metrics on (loopback)", b, 1e6 / b],
  ]);
  console.log(
    `\nin-process: metrics cost ${(b - a).toFixed(1)} µs per request, ${(((b - a) / a) * 100).toFixed(1)} % of its time`,
  );
  await Promise.all([apps.off.db.close(), apps.on.db.close()]);
}

/** CPU µs per request of a trivial route, with and without the metrics middleware, interleaved. */
async function middlewareAlone(): Promise<void> {
  const db = await openDatabase({ dataDir: ":memory:" });
  const config = loadConfig({ MODQC_DATA_DIR: ":memory:" }, "bench");
  const metrics = new AppMetrics(
    db,
    new Alerting({ db, config, logger: { info: () => {}, error: () => {} } }),
    1_000,
  );
  const app = (measured: boolean) => {
    const hono = new Hono();
    // The app always has middleware (so Hono always composes): without one here, Hono would call the lone
    // handler directly and the comparison would charge the composition to the metrics.
    hono.use("*", (_c, next) => next());
    if (measured) hono.use("*", metrics.middleware);
    hono.post("/v1/audits", (c) => c.json({ inserted: 1 }));
    return hono;
  };
  const apps = { off: app(false), on: app(true) };
  const micros = { off: [] as number[], on: [] as number[] };
  for (let block = 0; block < BLOCKS; block++) {
    for (const mode of block % 2 === 0 ? (["off", "on"] as const) : (["on", "off"] as const)) {
      const started = process.cpuUsage();
      for (let i = 0; i < 2_000; i++)
        await (await apps[mode].request("/v1/audits", { method: "POST" })).arrayBuffer();
      const used = process.cpuUsage(started);
      micros[mode].push((used.user + used.system) / 2_000);
    }
  }
  const [a, b] = [median(micros.off), median(micros.on)];
  table([
    ["trivial route, 2,000 requests per block", "CPU µs/request (median block)"],
    ["without the middleware", a],
    ["with the metrics middleware", b],
  ]);
  console.log(`\nthe middleware alone: ${(b - a).toFixed(2)} µs per request`);
  await db.close();
}

export async function run(): Promise<void> {
  await middlewareAlone();
  await inProcess();
  const off = await startServer({ MODQC_METRICS: "off" });
  const on = await startServer({ MODQC_METRICS: "loopback" });
  try {
    const results = { off: [] as number[], on: [] as number[] };
    const rows: (string | number)[][] = [
      [`single-audit POST, 50 connections, ${SECONDS} s`, "req/s", "p50 ms", "p99 ms", "errors+non2xx"],
    ];
    let scrapes = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const base = await singleAuditLoad(off, 50, SECONDS, `off${round}`);
      results.off.push(base.requestsPerSecond);
      rows.push([
        `round ${round}: metrics off`,
        base.requestsPerSecond,
        base.p50,
        base.p99,
        base.errors + base.non2xx,
      ]);
      const scraper = setInterval(() => {
        fetch(`${on.url}/metrics`)
          .then((res) => res.text())
          .then(() => scrapes++)
          .catch(() => {});
      }, SCRAPE_EVERY_MS);
      const measured = await singleAuditLoad(on, 50, SECONDS, `on${round}`).finally(() =>
        clearInterval(scraper),
      );
      results.on.push(measured.requestsPerSecond);
      rows.push([
        `round ${round}: metrics on, scraped every ${SCRAPE_EVERY_MS / 1000} s`,
        measured.requestsPerSecond,
        measured.p50,
        measured.p99,
        measured.errors + measured.non2xx,
      ]);
    }
    table(rows);
    const [a, b] = [median(results.off), median(results.on)];
    console.log(
      `\nmedian req/s: off ${Math.round(a)}, on ${Math.round(b)} → ${(((b - a) / a) * 100).toFixed(1)} % (${scrapes} scrapes)`,
    );
    const scrape = await fetch(`${on.url}/metrics`);
    const text = await scrape.text();
    console.log(
      `one scrape: ${text.length} bytes, ${text.split("\n").filter((l) => l && !l.startsWith("#")).length} samples`,
    );
  } finally {
    await Promise.all([off.stop(), on.stop()]);
  }
}
