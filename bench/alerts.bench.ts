import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Alerting } from "../src/alerts/index.ts";
import { loadConfig } from "../src/config.ts";
import { lockAuditAppends } from "../src/db/audits.ts";
import type { Db } from "../src/db/database.ts";
import { openDatabase } from "../src/db/open.ts";
import { sqliteConnection, sqliteStatement } from "../src/db/sqlite.ts";
import { withSchema } from "../test/database.ts";
import { loadTest, onBenchDatabase, QUEUE_NAMES, startServer, table } from "./lib.ts";

/**
 * Alerting cost: 1,000 enabled rules (threshold and chart, per queue, per moderator, per queue × moderator)
 * over a database of 200,000 audits from the last 60 days.
 * 1. evaluations of every rule in process: the first (scans built) and later ones (scans kept);
 * 2. ingest throughput (20-audit JSON batches, 10 connections) without rules and with the 1,000 rules;
 * 3. the time from an ingest answer to the arrival of the webhook it triggers (p50, p99), idle and under
 *    that ingest load.
 *
 * SQLite files by default (the seed is built once and copied); PostgreSQL when MODQC_BENCH_DATABASE_URL is
 * set: each database is a schema of its own in that database (modqc_bench_alerts_*, dropped and filled again).
 */

const DATABASE_URL = process.env.MODQC_BENCH_DATABASE_URL || undefined;

const out = fileURLToPath(new URL("./out/", import.meta.url));
const DAY = 86_400_000;
const QUEUES = QUEUE_NAMES.slice(0, 10);

const AUDIT_COLUMNS = [
  "id",
  "decision_id",
  "queue",
  "moderator",
  "auditor",
  "outcome",
  "error_type",
  "market",
  "audited_at",
  "audited_ms",
  "ingested_at",
];

/** Seed audit `i` of 200,000, as the values of AUDIT_COLUMNS. */
function seedAudit(i: number, now: number): unknown[] {
  const ms = now - (i % 60) * DAY - (i % 86_400) * 1000;
  const moderator = i % 40;
  const wrong = i % 17 === 0 || (moderator === 7 && i % 5 === 0);
  return [
    `seed-${i}`,
    `d-${i}`,
    QUEUES[i % 10],
    `mod-${moderator}`,
    `auditor-${i % 12}`,
    wrong ? "incorrect" : "correct",
    wrong ? "false-negative" : null,
    i % 3 ? "US" : "KR",
    new Date(ms).toISOString(),
    ms,
    now,
  ];
}

/** Stores the 200,000 seed audits: one prepared statement in a loop on SQLite, multi-row INSERTs on PostgreSQL. */
export async function fill(db: Db, now: number): Promise<void> {
  const COUNT = 200_000;
  const CHUNK = 1000;
  const row = `(${AUDIT_COLUMNS.map(() => "?").join(", ")})`;
  const insert = (rows: number) =>
    `INSERT INTO audits (${AUDIT_COLUMNS.join(", ")}) VALUES ${Array(rows).fill(row).join(", ")}`;
  await db.transaction(async (tx) => {
    await lockAuditAppends(tx);
    if (tx.dialect === "sqlite") {
      const statement = sqliteStatement(tx, insert(1));
      for (let i = 0; i < COUNT; i++) statement.run(...seedAudit(i, now));
      return;
    }
    for (let start = 0; start < COUNT; start += CHUNK) {
      const values = Array.from({ length: CHUNK }, (_, k) => seedAudit(start + k, now)).flat();
      await tx.run(insert(CHUNK), values);
    }
  });
  sqliteConnection(db)?.pragma("wal_checkpoint(TRUNCATE)");
}

const PARTS = ["eval", "none", "rules"] as const;
const schemaOf = (part: (typeof PARTS)[number]) => `modqc_bench_alerts_${part}`;

/**
 * A database holding the seed audits for one part of the bench, in `<out>/alerts-<name>`: a copy of the seed
 * file on SQLite, a schema of its own filled anew on PostgreSQL. Returns what opens it.
 */
async function seeded(
  part: (typeof PARTS)[number],
  seedDir: string,
  now: number,
): Promise<{ dataDir: string; databaseUrl?: string }> {
  const dataDir = join(out, `alerts-${part}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  if (!DATABASE_URL) {
    copyFileSync(join(seedDir, "modqc.sqlite"), join(dataDir, "modqc.sqlite"));
    return { dataDir };
  }
  const schema = schemaOf(part);
  await onBenchDatabase(DATABASE_URL, [`DROP SCHEMA IF EXISTS ${schema} CASCADE`, `CREATE SCHEMA ${schema}`]);
  const databaseUrl = withSchema(DATABASE_URL, schema);
  const db = await openDatabase({ dataDir, databaseUrl });
  try {
    await fill(db, now);
  } finally {
    await db.close();
  }
  return { dataDir, databaseUrl };
}

/** 1,000 rules: 400 per-moderator thresholds per queue, 400 queue × moderator thresholds, 200 charts. */
export function rules(): object[] {
  const list: object[] = [];
  const windows = [1, 7, 14, 30];
  for (const queue of QUEUES)
    for (const days of windows)
      for (let k = 0; k < 10; k++)
        list.push({
          name: `${queue} per moderator ${days}d #${k}`,
          scope: { queue },
          groupBy: ["moderator"],
          condition: {
            kind: "threshold",
            maxRate: 0.2 + k * 0.02,
            window: { days },
            minAudited: 20,
            evidence: "lower-bound",
          },
          severity: "warning",
        });
  for (const queue of QUEUES)
    for (let m = 0; m < 40; m++)
      list.push({
        name: `${queue} mod-${m}`,
        scope: { queue, moderator: `mod-${m}` },
        condition: { kind: "threshold", maxRate: 0.3, window: { days: 7 }, minAudited: 10 },
        severity: "info",
      });
  const charts = [
    { type: "p", interval: "day" },
    { type: "laney-p", interval: "day" },
    { type: "ewma", interval: "day" },
    { type: "cusum", interval: "day" },
    { type: "p", interval: "week" },
  ];
  for (const queue of QUEUES)
    for (const c of charts)
      for (const groupBy of [[], ["moderator"], ["auditor"], ["market"]])
        list.push({
          name: `${queue} ${c.type} ${c.interval} ${groupBy.join(",") || "all"}`,
          scope: { queue },
          groupBy,
          condition: { kind: "chart", ...c, baseline: { periods: 20 } },
          severity: "critical",
        });
  return list.slice(0, 1000);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

function batchBody(now: number): string {
  const at = new Date(now - 3_600_000).toISOString();
  return JSON.stringify(
    Array.from({ length: 20 }, (_, i) => ({
      id: `load-[<id>]-${i}`,
      decisionId: `d-[<id>]-${i}`,
      queue: QUEUES[i % 3],
      moderator: `mod-${i % 10}`,
      auditor: "auditor-1",
      outcome: i % 9 === 0 ? "incorrect" : "correct",
      ...(i % 9 === 0 ? { errorType: "other" } : {}),
      auditedAt: at,
    })),
  );
}

export async function run(): Promise<void> {
  console.log(DATABASE_URL ? "backend: PostgreSQL (MODQC_BENCH_DATABASE_URL)" : "backend: SQLite (files)");
  mkdirSync(out, { recursive: true });
  const now = Date.now();
  const seed = join(out, "alerts-seed");
  rmSync(seed, { recursive: true, force: true });
  if (!DATABASE_URL) {
    const db = await openDatabase({ dataDir: seed });
    await fill(db, now);
    await db.close();
  }
  const ruleList = rules();

  // 1. One evaluation of every rule, in process.
  {
    const location = await seeded("eval", seed, now);
    const db = await openDatabase(location);
    const config = loadConfig({ MODQC_DATA_DIR: location.dataDir }, "bench");
    const logger = { info() {}, error() {} };
    const alerting = new Alerting({ db, config, logger });
    const { NewRuleSchema, normaliseRule } = await import("../src/alerts/rules.ts");
    await db.transaction(async (tx) => {
      for (const [i, raw] of ruleList.entries()) {
        const rule = NewRuleSchema.parse(raw);
        const { condition } = normaliseRule({ ...rule, repeatInterval: null });
        await tx.run(
          `INSERT INTO alert_rules (id, name, kind, scope, group_by, condition, severity, pending_evaluations,
             keep_firing_evaluations, enabled, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 1, 1, ?, ?)`,
          [
            `r${i}`,
            rule.name,
            condition.kind,
            JSON.stringify(rule.scope),
            JSON.stringify(rule.groupBy),
            JSON.stringify(condition),
            rule.severity,
            i,
            i,
          ],
        );
      }
    });
    const cold = performance.now();
    const coldRules = (await alerting.evaluateAll(["chart", "threshold"])).rules;
    const coldMs = performance.now() - cold;
    const timed = async (kinds: ("chart" | "threshold")[]) => {
      const times: number[] = [];
      let rules = 0;
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        rules = (await alerting.evaluateAll(kinds)).rules;
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      return [rules, percentile(times, 0.5), times.at(-1)!];
    };
    const every = await timed(["chart", "threshold"]);
    const timer = await timed(["threshold"]);
    const firing = (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM alerts WHERE state = 'firing'"))!
      .n;
    table([
      ["evaluation in process (200,000 audits)", "rules", "median ms", "max ms"],
      ["every rule, first (scans built)", coldRules, coldMs, coldMs],
      ["every rule again (scans kept)", ...every],
      ["timer: threshold rules (scans kept)", ...timer],
    ]);
    console.log(`(${firing} alerts firing after the evaluations)`);
    await alerting.stop();
    await db.close();
  }

  // A receiver that timestamps arrivals.
  const arrivals = new Map<string, number>();
  const receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const at = performance.now();
      const payload = JSON.parse(body) as { alert?: { labels?: Record<string, string> } };
      const moderator = payload.alert?.labels?.moderator;
      if (moderator && !arrivals.has(moderator)) arrivals.set(moderator, at);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;

  const throughput: (string | number)[][] = [
    [
      "ingest, 20-audit batches, 10 connections",
      "rounds × s",
      "batches/s",
      "audits/s",
      "p50 ms",
      "p99 ms",
      "errors+non2xx",
    ],
  ];
  const latency: (string | number)[][] = [
    ["ingest answer → webhook arrival", "samples", "p50 ms", "p99 ms", "max ms"],
  ];
  const servers: { server: Awaited<ReturnType<typeof startServer>>; dir: string }[] = [];
  try {
    for (const name of ["none", "rules"] as const) {
      const { dataDir, databaseUrl } = await seeded(name, seed, now);
      const env: Record<string, string> = { MODQC_DATA_DIR: dataDir, MODQC_WEBHOOK_ALLOW_HOSTS: "127.0.0.1" };
      if (databaseUrl) env.MODQC_DATABASE_URL = databaseUrl;
      servers.push({ server: await startServer(env), dir: dataDir });
    }
    const [plain, ruled] = servers.map((s) => s.server);
    const api = (method: string, path: string, json?: unknown) =>
      fetch(`${ruled.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${ruled.adminKey}`, "content-type": "application/json" },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
    for (const rule of ruleList) {
      const res = await api("POST", "/v1/alert-rules", rule);
      if (res.status !== 201) throw new Error(`rule: ${res.status} ${await res.text()}`);
    }
    const spikeRule = await api("POST", "/v1/alert-rules", {
      name: "bench spike",
      scope: { queue: "bench" },
      groupBy: ["moderator"],
      condition: { kind: "threshold", maxRate: 0.1, window: { days: 1 }, minAudited: 10 },
      severity: "critical",
    });
    if (spikeRule.status !== 201) throw new Error(await spikeRule.text());
    await api("POST", "/v1/webhooks", { url: hookUrl, events: ["alert.firing"] });
    await (await api("GET", "/v1/alerts?limit=1")).arrayBuffer(); // evaluates the new rules now
    // That evaluation of every rule is charged to the evaluation budget: let it recover (10× its duration).
    await new Promise((r) => setTimeout(r, 15_000));

    const load = (server: typeof plain, seconds: number) =>
      loadTest({
        url: `${server.url}/v1/audits`,
        method: "POST",
        connections: 10,
        seconds,
        headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" },
        body: batchBody(now),
        idReplacement: true,
      });
    const sample = async (label: string, count: number) => {
      const waits: number[] = [];
      for (let i = 0; i < count; i++) {
        const moderator = `${label}-${i}`;
        const rows = Array.from({ length: 12 }, (_, j) => ({
          id: `${moderator}-${j}`,
          decisionId: `d-${moderator}-${j}`,
          queue: "bench",
          moderator,
          auditor: "auditor-1",
          outcome: j < 6 ? "incorrect" : "correct",
          ...(j < 6 ? { errorType: "other" } : {}),
          auditedAt: new Date(Date.now() - 60_000).toISOString(),
        }));
        const res = await api("POST", "/v1/audits", rows);
        const answered = performance.now();
        if (res.status !== 200) throw new Error(`ingest ${res.status}`);
        await res.arrayBuffer();
        const deadline = answered + 60_000;
        while (!arrivals.has(moderator) && performance.now() < deadline)
          await new Promise((r) => setTimeout(r, 1));
        waits.push(arrivals.has(moderator) ? arrivals.get(moderator)! - answered : Number.POSITIVE_INFINITY);
        await new Promise((r) => setTimeout(r, 200));
      }
      waits.sort((a, b) => a - b);
      return waits;
    };
    const slowest = (label: string, waits: number[]) =>
      console.log(
        `(${label}: slowest three ${waits
          .slice(-3)
          .map((ms) => ms.toFixed(0))
          .join(", ")} ms)`,
      );

    // 1. Idle: the server with its 1,000 rules and 200,000 audits, nothing else going on.
    const idle = await sample("idle", 50);
    slowest("idle", idle);
    latency.push(["idle server", idle.length, percentile(idle, 0.5), percentile(idle, 0.99), idle.at(-1)!]);

    // 2. A steady background ingest of 400 audits/s (20-audit batches every 50 ms) into the rules' queues.
    let steady = true;
    const paced = (async () => {
      let sent = 0;
      const start = performance.now();
      while (steady) {
        const body = batchBody(now).replaceAll("[<id>]", `steady-${sent++}`);
        await (
          await fetch(`${ruled.url}/v1/audits`, {
            method: "POST",
            headers: { authorization: `Bearer ${ruled.adminKey}`, "content-type": "application/json" },
            body,
          })
        ).arrayBuffer();
        const due = start + sent * 50 - performance.now();
        if (due > 0) await new Promise((r) => setTimeout(r, due));
      }
    })();
    await new Promise((r) => setTimeout(r, 2000));
    const moderate = await sample("steady", 25);
    steady = false;
    await paced;
    slowest("steady ingest", moderate);
    latency.push([
      "steady ingest of 400 audits/s",
      moderate.length,
      percentile(moderate, 0.5),
      percentile(moderate, 0.99),
      moderate.at(-1)!,
    ]);

    // 3. Throughput under a flood of ingest, with and without the rules.
    // Warm both up, then alternate them (the machine is shared and noisy): 7 rounds of 5 s each, medians.
    await load(plain, 3);
    await load(ruled, 3);
    const rounds: Record<"none" | "rules", Awaited<ReturnType<typeof load>>[]> = { none: [], rules: [] };
    for (let round = 0; round < 7; round++) {
      const order = round % 2 === 0 ? (["none", "rules"] as const) : (["rules", "none"] as const);
      for (const name of order) rounds[name].push(await load(name === "none" ? plain : ruled, 5));
    }
    const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
    for (const [name, results] of Object.entries(rounds)) {
      const rps = median(results.map((r) => r.requestsPerSecond));
      throughput.push([
        name === "none" ? "no rules" : "with 1,000 enabled rules",
        "7 × 5",
        rps,
        rps * 20,
        median(results.map((r) => r.p50)),
        median(results.map((r) => r.p99)),
        results.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
      ]);
    }

    // 4. Latency during that flood (the audits inside the rules' windows have grown by millions by now).
    const background = load(ruled, 20);
    await new Promise((r) => setTimeout(r, 1000));
    const busy = await sample("busy", 25);
    await background;
    slowest("flood", busy);
    latency.push([
      "during the ingest flood above",
      busy.length,
      percentile(busy, 0.5),
      percentile(busy, 0.99),
      busy.at(-1)!,
    ]);
  } finally {
    for (const { server, dir } of servers) {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    receiver.close();
    rmSync(seed, { recursive: true, force: true });
    rmSync(join(out, "alerts-eval"), { recursive: true, force: true });
    if (DATABASE_URL)
      await onBenchDatabase(
        DATABASE_URL,
        PARTS.map((part) => `DROP SCHEMA IF EXISTS ${schemaOf(part)} CASCADE`),
      );
  }
  table(throughput);
  const [, none, rulesRow] = throughput;
  console.log(
    `rules cost ${(100 * (1 - (rulesRow[2] as number) / (none[2] as number))).toFixed(1)} % of ingest throughput (target < 20 %)`,
  );
  table(latency);
}
