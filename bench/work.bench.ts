/**
 * The auditor's work queue through the real server (a child process), on a database of 1,000,000 sampled items:
 * ten samples of 100,000 drawn from one population of 1,000,000 decisions, each dealt round-robin to the same
 * 2,000 auditors (500 items each, 50 per sample), 40 % of the items audited (audits naming the sample), 2 %
 * skipped. Built directly through the repository functions once and kept under bench/out/ (or in the schema
 * bench_work_1m when MODQC_BENCH_DATABASE_URL is set).
 *
 * 1. GET /v1/work (and its other pages, filters and the summary) for one auditor: sequential requests, p50/p99.
 * 2. Verdict PUTs by 50 auditors at once (50 connections, each request an auditor's verdict on one of their todo
 *    items with that auditor's key): req/s, p50/p99. The verdicts (ids `v-…`) are deleted afterwards (and before,
 *    should a run have been cut), so the kept database stays as built.
 */

import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Audit } from "../src/audits/validate.ts";
import { createBatchWriter } from "../src/db/audits.ts";
import type { Db } from "../src/db/database.ts";
import { createDecisionWriter } from "../src/db/decision-writer.ts";
import { createKey } from "../src/db/keys.ts";
import { insertPopulation } from "../src/db/populations.ts";
import { type Assignment, insertSample, type NewItem, saveAssignment } from "../src/db/samples.ts";
import { sqliteConnection } from "../src/db/sqlite.ts";
import { keptDatabase, openKeptDatabase, singleAuditLoad, startServer, table } from "./lib.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = fileURLToPath(new URL("./out/", import.meta.url));
const DATABASE_URL = process.env.MODQC_BENCH_DATABASE_URL || undefined;
const SCHEMA = "bench_work_1m";

const DECISIONS = 1_000_000;
const SAMPLES = 10;
const PER_SAMPLE = 100_000;
const AUDITORS = 2_000;
/** Auditors whose keys the bench makes (the first ones): the 50 concurrent ones and the queue's reader. */
const KEYED = 50;
const QUEUES = 10;
const MODERATORS = 300;
const LABELS = ["remove", "keep", "age-gate", "escalate"];
const MARKETS = ["KR", "US", "JP"];
const POLICIES = 7;

const auditorName = (k: number) => `auditor-${String(k).padStart(4, "0")}`;
const auditorSecret = (k: number) => `bench-work-${auditorName(k)}`;
/** The item at this position of a sample is the auditor's: round-robin over all auditors. */
const auditorOf = (position: number) => position % AUDITORS;
/** The j-th item of its auditor in a sample (j = 0 … 49). */
const turnOf = (position: number) => Math.floor(position / AUDITORS);
/** Audited items: 20 of each auditor's 50 per sample. (Skipped: the 8th, j = 7, never audited; set in SQL.) */
const isDone = (position: number) => turnOf(position) % 5 < 2;

/** A dictionary of `count` values ("" at code 0), with the counts of decision i → code 1 + (i % count). */
function dictionary(name: (k: number) => string, count: number) {
  const values = ["", ...Array.from({ length: count }, (_, k) => name(k))];
  const counts = [
    0,
    ...Array.from(
      { length: count },
      (_, k) => Math.floor(DECISIONS / count) + (k < DECISIONS % count ? 1 : 0),
    ),
  ];
  return { values, counts };
}

/** Builds the database (see the module comment) on `db`, one transaction per part. */
async function build(db: Db): Promise<void> {
  const population = randomUUID();
  const createdAt = "2026-11-23T00:00:00.000Z";
  const moderatorOf = (i: number) => i % MODERATORS;
  let firstSeq = 0;
  await db.transaction(async (tx) => {
    const writer = await createDecisionWriter(tx);
    firstSeq = writer.firstSeq;
    for (let i = 0; i < DECISIONS; i++) {
      writer.add(
        `dec-${String(i).padStart(7, "0")}`,
        1 + (i % QUEUES),
        1 + moderatorOf(i),
        1 + (i % LABELS.length),
        1 + (i % POLICIES),
        1 + (i % MARKETS.length),
        new Date(Date.parse(createdAt) - (i % 86_400) * 1000).toISOString(),
        null,
        JSON.stringify({ url: `https://mod.example.com/d/${i}`, content: `excerpt of decision ${i}` }),
      );
      if (i % 65_536 === 0) await writer.flush();
    }
    await writer.end();
    await insertPopulation(tx, {
      id: population,
      name: "bench work",
      count: DECISIONS,
      firstSeq,
      attributes: ["queue", "moderator", "label", "policy", "market"],
      extras: [],
      createdBy: "bench",
      createdAt,
      values: new Map([
        ["queue", dictionary((k) => `q-${k}`, QUEUES)],
        ["moderator", dictionary((k) => `mod-${k}`, MODERATORS)],
        ["label", dictionary((k) => LABELS[k], LABELS.length)],
        ["policy", dictionary((k) => `P${k}`, POLICIES)],
        ["market", dictionary((k) => MARKETS[k], MARKETS.length)],
      ]),
      context: [
        { column: "url", count: DECISIONS },
        { column: "content", count: DECISIONS },
      ],
    });
  });
  const auditors = Array.from({ length: AUDITORS }, (_, k) => auditorName(k));
  for (let s = 0; s < SAMPLES; s++) {
    const id = randomUUID();
    // Sample s holds decisions s·100,000 … (s+1)·100,000 − 1, in that order.
    const decisionOf = (position: number) => s * PER_SAMPLE + position;
    await db.transaction(async (tx) => {
      const items: NewItem[] = Array.from({ length: PER_SAMPLE }, (_, p) => ({
        decisionId: `dec-${String(decisionOf(p)).padStart(7, "0")}`,
        decisionSeq: firstSeq + decisionOf(p),
        stratum: "all",
        rank: p + 1,
        priority: p.toString(16).padStart(16, "0"),
      }));
      await insertSample(
        tx,
        {
          id,
          name: `bench ${s}`,
          population,
          seed: `bench-${s}`,
          plan: { population, total: PER_SAMPLE },
          strataAttributes: [],
          n: PER_SAMPLE,
          strata: [{ key: "all", values: {}, size: DECISIONS, n: PER_SAMPLE }],
          notes: [],
          assignment: null,
          createdBy: "bench",
          createdAt,
        },
        items,
      );
      const assignment: Assignment = {
        method: "balanced",
        auditors,
        loads: auditors.map((auditor) => ({ auditor, items: PER_SAMPLE / AUDITORS })),
        balanced: true,
        notes: [],
        assignedAt: createdAt,
        assignedBy: "bench",
      };
      await saveAssignment(
        tx,
        id,
        items.map((_, p) => ({ position: p, auditor: auditors[auditorOf(p)] })),
        assignment,
      );
      const writer = createBatchWriter(tx, Date.parse(createdAt));
      let row = 0;
      for (let p = 0; p < PER_SAMPLE; p++) {
        if (!isDone(p)) continue;
        const i = decisionOf(p);
        const wrong = p % 13 === 0;
        const audit: Audit = {
          id: `bench-${s}-${p}`,
          decisionId: items[p].decisionId,
          queue: `q-${i % QUEUES}`,
          moderator: `mod-${moderatorOf(i)}`,
          auditor: auditors[auditorOf(p)],
          outcome: wrong ? "incorrect" : "correct",
          errorType: wrong ? "false-negative" : null,
          severity: null,
          policy: `P${i % POLICIES}`,
          market: MARKETS[i % MARKETS.length],
          decidedAt: null,
          auditedAt: "2026-11-23T12:00:00.000Z",
          sampleId: id,
          notes: null,
          correctPolicy: null,
          recordedBy: auditors[auditorOf(p)],
        };
        writer.write(++row, audit, Date.parse(audit.auditedAt));
        if (row % 10_000 === 0) await writer.flush();
      }
      await writer.finish();
      await tx.run(
        `UPDATE sample_items SET skip_reason = 'other', skip_note = 'bench', skipped_by = 'bench', skipped_at = ?
         WHERE sample_id = ? AND position / ${AUDITORS} = 7`,
        [createdAt, id],
      );
    });
  }
  for (let k = 0; k < KEYED; k++) {
    await createKey(db, {
      name: auditorName(k),
      role: "auditor",
      rater: auditorName(k),
      secret: auditorSecret(k),
    });
  }
  const sqlite = sqliteConnection(db);
  if (sqlite) {
    sqlite.pragma("optimize");
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
  } else await db.run("ANALYZE");
}

/** The server's database settings for the kept work database, built first when missing. */
function workDatabase(): Promise<Record<string, string>> {
  return keptDatabase({
    name: "work",
    dir: join(out, "work-1m"),
    schema: SCHEMA,
    databaseUrl: DATABASE_URL,
    isBuilt: async (db) =>
      (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM sample_items"))!.n === SAMPLES * PER_SAMPLE,
    build,
  });
}

/** Removes the bench's verdicts (ids v-…, with their revisions) and reference audits: the database as built. */
async function removeVerdicts(env: Record<string, string>): Promise<void> {
  const db = await openKeptDatabase(env);
  try {
    await db.transaction(async (tx) => {
      await tx.run("DELETE FROM audit_revisions WHERE audit_id LIKE 'v-%'");
      await tx.run("DELETE FROM audits WHERE id LIKE 'v-%' OR id LIKE 'workbench-%'");
    });
    sqliteConnection(db)?.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    await db.close();
  }
}

async function timeGets(url: string, key: string, runs: number) {
  const times: number[] = [];
  let body: unknown;
  for (let i = 0; i < runs + 5; i++) {
    const start = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    body = await res.json();
    if (i >= 5) times.push(performance.now() - start); // the first few warm the server up
  }
  times.sort((a, b) => a - b);
  return {
    body: body as { items?: unknown[]; nextCursor?: string | null },
    p50: times[Math.floor(runs * 0.5)],
    p99: times[Math.min(runs - 1, Math.floor(runs * 0.99))],
  };
}

async function verdictLoad(url: string, file: string, connections: number, seconds: number) {
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, "bench/work-load.mjs"), JSON.stringify({ url, file, connections, seconds })],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let text = "";
    child.stdout.on("data", (chunk) => (text += chunk));
    child.on("error", reject);
    child.on("exit", () => resolve(text));
  });
  return JSON.parse(output) as {
    requestsPerSecond: number;
    p50: number;
    p99: number;
    max: number;
    total: number;
    errors: number;
    non2xx: number;
    created: number;
    unchanged: number;
    listed: number;
  };
}

export async function run(): Promise<void> {
  mkdirSync(out, { recursive: true });
  console.log(
    DATABASE_URL ? `backend: PostgreSQL (schema ${SCHEMA})` : "backend: SQLite (bench/out/work-1m)",
  );
  const env = await workDatabase();
  await removeVerdicts(env);
  const server = await startServer(env);
  try {
    // A server just started is still loading its compute threads (seconds of CPU on 2 cores): let it settle.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    // 1. The queue of one auditor with 500 items among 1,000,000.
    const reader = auditorSecret(7);
    const rows: (string | number)[][] = [
      ["GET, one auditor (500 items among 1,000,000)", "items", "p50 ms", "p99 ms"],
    ];
    const first = await timeGets(`${server.url}/v1/work`, reader, 500);
    rows.push(["/v1/work (todo, first page of 100)", first.body.items!.length, first.p50, first.p99]);
    const cursor = encodeURIComponent(first.body.nextCursor ?? "");
    const next = await timeGets(`${server.url}/v1/work?cursor=${cursor}`, reader, 500);
    rows.push(["/v1/work (todo, next page)", next.body.items!.length, next.p50, next.p99]);
    const all = await timeGets(`${server.url}/v1/work?status=all&limit=500`, reader, 500);
    rows.push(["/v1/work?status=all&limit=500", all.body.items!.length, all.p50, all.p99]);
    const skipped = await timeGets(`${server.url}/v1/work?status=skipped`, reader, 500);
    rows.push(["/v1/work?status=skipped", skipped.body.items!.length, skipped.p50, skipped.p99]);
    const summary = await timeGets(`${server.url}/v1/work/summary`, reader, 500);
    rows.push([
      "/v1/work/summary",
      (summary.body as { samples: unknown[] }).samples.length,
      summary.p50,
      summary.p99,
    ]);
    table(rows);

    // 2. Verdict PUTs by 50 auditors at once, on their todo items (interleaved: each request another auditor's).
    const work: [string, string][] = [];
    const queues: string[][] = [];
    for (let k = 0; k < KEYED; k++) {
      const page = await fetch(`${server.url}/v1/work?limit=500`, {
        headers: { authorization: `Bearer ${auditorSecret(k)}` },
      });
      const items = ((await page.json()) as { items: { sampleId: string; decisionId: string }[] }).items;
      queues.push(
        items.map((i) => `/v1/samples/${i.sampleId}/items/${encodeURIComponent(i.decisionId)}/verdict`),
      );
    }
    for (let j = 0; queues.some((q) => j < q.length); j++) {
      queues.forEach((q, k) => {
        if (j < q.length) work.push([auditorSecret(k), q[j]]);
      });
    }
    const file = join(out, "work-verdicts.json");
    writeFileSync(file, JSON.stringify(work));
    const load = await verdictLoad(server.url, file, 50, 5);
    // For reference on the same machine and database: the cheapest authenticated write, a one-audit POST.
    const single = await singleAuditLoad(server, 50, 5, "workbench");
    table([
      ["50 connections, 5 s", "req/s", "p50 ms", "p99 ms", "201", "200", "errors+non2xx"],
      [
        `verdict PUTs by 50 auditors (${load.listed} todo items)`,
        load.requestsPerSecond,
        load.p50,
        load.p99,
        load.created,
        load.unchanged,
        load.errors + load.non2xx,
      ],
      [
        "reference: one-audit POST /v1/audits",
        single.requestsPerSecond,
        single.p50,
        single.p99,
        0,
        single.total,
        single.errors + single.non2xx,
      ],
    ]);
  } finally {
    await server.stop();
    await removeVerdicts(env);
  }
}
