/**
 * The feedback loop (issue 14) at organisation scale, through the real server (a child process), on a database of
 * 1,000,000 audits over 90 days: 20 queues, 10 markets, 50 policies, 5,000 moderators (skewed: the busiest has
 * ~3,400 audits, the quietest ~130; each works three queues, one in a hundred every queue), 300 auditors, ~4 %
 * errors (each moderator its own rate between 1 % and 7 %) with error types and severities, wrong-policy errors
 * naming a correct policy after a confusion pattern (mostly the queue's next policy, then a policy of the sister
 * queue), ~80,000 findings read by their moderators
 * (finding_acks), 800 disputes in every state (the overturned ones a revision of their audit), targets for five
 * queues. Built directly through the repository functions once and kept under bench/out/feedback-1m (or in the
 * schema bench_feedback_1m when MODQC_BENCH_DATABASE_URL is set). Every report names its period (UTC dates), so
 * the kept data answers the same on any day.
 *
 * 1. Latency (sequential requests after warm-up, p50/p99) of the feedback routes: findings, unread findings,
 *    scorecards (one, a queue, all queues, CSV), disputes and their statistics, policy confusion, the weighted
 *    quality report, policy impact; and the lead's dashboard reads of issue 18: a drill-down page of audits, the
 *    funnel with its minimum volume, alert-rule previews over 30 days.
 * 2. Critical-error alerts: an audit rule and a webhook to a receiver in this process. Single-audit POST throughput
 *    (50 connections, autocannon) without and with the rule, three rounds in turns; single matching audits POSTed
 *    one at a time, the time from each 2xx to the receiver getting its alert (idle, and under the 50-connection
 *    load); a load where every audit matches (one alert and one delivery each) and how long the deliveries take.
 * 3. The server's RSS (now and peak) after each part.
 *
 * The audits, alerts, rules and webhooks the bench adds are deleted afterwards (and before, should a run have been
 * cut), so the kept database stays as built.
 */

import { mkdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Audit, ErrorType } from "../src/audits/validate.ts";
import { createBatchWriter } from "../src/db/audits.ts";
import type { Db } from "../src/db/database.ts";
import { createKey } from "../src/db/keys.ts";
import { sqliteConnection } from "../src/db/sqlite.ts";
import { mulberry32 as random } from "../test/seeded-random.ts";
import {
  keptDatabase,
  loadTest,
  mib,
  openKeptDatabase,
  QUEUE_NAMES,
  singleAuditLoad,
  startServer,
  table,
} from "./lib.ts";

const out = fileURLToPath(new URL("./out/", import.meta.url));
const DATABASE_URL = process.env.MODQC_BENCH_DATABASE_URL || undefined;
const SCHEMA = "bench_feedback_1m";

const AUDITS = 1_000_000;
const DAYS = 90;
const DAY_MS = 86_400_000;
/** The data ends here (exclusive): the last day is 2026-11-30 (UTC). */
const END_MS = Date.parse("2026-12-01T00:00:00.000Z");
const START_MS = END_MS - DAYS * DAY_MS;
const LAST_DAY = "2026-11-30";
const FROM_90 = "2026-09-02";
const FROM_30 = "2026-11-01";
const PERIOD_90 = `from=${FROM_90}&to=${LAST_DAY}&tz=UTC`;
const PERIOD_30 = `from=${FROM_30}&to=${LAST_DAY}&tz=UTC`;

const QUEUES = QUEUE_NAMES;
const MARKETS = ["KR", "US", "JP", "DE", "BR", "IN", "FR", "GB", "ID", "MX"];
const MARKET_WEIGHTS = [25, 20, 12, 8, 8, 8, 6, 5, 4, 4];
const POLICIES = 50;
const MODERATORS = 5_000;
const AUDITORS = 300;
/** Each queue applies five policies (queue q: policies 5q … 5q + 4 modulo 50, so queues q and q + 10 share them). */
const POLICY_WEIGHTS = [40, 25, 15, 12, 8];
const ERROR_TYPES: ErrorType[] = ["false-positive", "false-negative", "wrong-policy", "other"];
const ERROR_TYPE_WEIGHTS = [35, 35, 20, 10];
const SEVERITY_WEIGHTS = [40, 30, 20, 10];
const TARGETS: [string, number][] = [
  ["child-safety", 0.02],
  ["hate", 0.04],
  ["self-harm", 0.03],
  ["spam", 0.08],
  ["fraud", 0.06],
];
/** Disputes per state, in this order of state (16 in a cycle: 5 open, 3 escalated, 5 upheld, 3 overturned). */
const DISPUTES = 800;
const STATE_CYCLE = [...Array(5).fill("open"), ...Array(3).fill("escalated"), ...Array(5).fill("upheld")];
const stateOf = (k: number) => STATE_CYCLE[k % 16] ?? "overturned";

const policyName = (k: number) => `POL-${String(k).padStart(2, "0")}`;
const moderatorName = (k: number) => `mod-${String(k).padStart(4, "0")}`;
const auditorName = (k: number) => `aud-${String(k).padStart(3, "0")}`;
const auditId = (i: number) => `fa-${String(i).padStart(7, "0")}`;

/** The busiest moderator (the moderator key's own), a generalist, and the queue the single-queue list reads. */
const READER = moderatorName(0);
const GENERALIST = moderatorName(1);
const LEAD_SECRET = "bench-feedback-lead";
const MODERATOR_SECRET = "bench-feedback-moderator";
const ONE_QUEUE = "hate";
/** Prefix of every audit the bench posts to the server (deleted afterwards). */
const LIVE = "fb-live-";

function picker(weights: number[]): (u: number) => number {
  const total = weights.reduce((a, b) => a + b, 0);
  let sum = 0;
  const bounds = weights.map((w) => (sum += w / total));
  return (u) => {
    const k = bounds.findIndex((b) => u < b);
    return k === -1 ? weights.length - 1 : k;
  };
}

/**
 * A moderator works its home queue (m mod 20) and two others (80 / 15 / 5 %); one in a hundred (m mod 100 = 1)
 * is a generalist whose audits spread over every queue (60 % home, 40 % any).
 */
function queueOf(m: number, u: number): number {
  const home = m % QUEUES.length;
  if (m % 100 === 1) return u < 0.6 ? home : Math.floor(((u - 0.6) / 0.4) * QUEUES.length);
  if (u < 0.8) return home;
  const other = (u < 0.95 ? m * 7 + 3 : m * 13 + 5) % QUEUES.length;
  return other === home ? (home + 1) % QUEUES.length : other;
}

interface ErrorAudit {
  i: number;
  ms: number;
  moderator: string;
  auditor: number;
  queue: string;
  errorType: ErrorType;
  severity: number | null;
  policy: string;
  correctPolicy: string | null;
  notes: string | null;
}

/** Inserts rows in multi-row INSERTs of `chunk` rows (portable SQL, both backends). */
async function insertRows(tx: Db, table: string, columns: string[], rows: unknown[][], chunk: number) {
  const row = `(${columns.map(() => "?").join(", ")})`;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    await tx.run(
      `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${part.map(() => row).join(", ")}`,
      part.flat(),
    );
  }
}

/** Builds the database (see the module comment) on `db`. */
async function build(db: Db): Promise<void> {
  const next = random(14);
  const pickMarket = picker(MARKET_WEIGHTS);
  const pickPolicy = picker(POLICY_WEIGHTS);
  const pickType = picker(ERROR_TYPE_WEIGHTS);
  const pickSeverity = picker(SEVERITY_WEIGHTS);
  const rateOf = Array.from({ length: MODERATORS }, () => 0.01 + 0.06 * next());
  const errors: ErrorAudit[] = [];
  const acks: unknown[][] = [];
  const step = (DAYS * DAY_MS) / AUDITS;
  await db.transaction(async (tx) => {
    const writer = createBatchWriter(tx, END_MS, { directCopy: tx.dialect === "postgres" });
    for (let i = 0; i < AUDITS; i++) {
      const ms = Math.floor(START_MS + (i + next()) * step);
      const m = Math.min(MODERATORS - 1, Math.floor(MODERATORS * next() ** 1.5));
      const q = queueOf(m, next());
      const k = pickPolicy(next());
      const policy = policyName((q * 5 + k) % POLICIES);
      const auditor = Math.floor(next() * AUDITORS);
      const wrong = next() < rateOf[m];
      let error: ErrorAudit | undefined;
      if (wrong) {
        const errorType = ERROR_TYPES[pickType(next())];
        let correctPolicy: string | null = null;
        if (errorType === "wrong-policy" && next() < 0.9) {
          const u = next();
          correctPolicy =
            u < 0.55
              ? policyName((q * 5 + ((k + 1) % 5)) % POLICIES) // the queue's next policy
              : u < 0.8
                ? policyName((q * 5 + k + 25) % POLICIES) // the sister queue's counterpart
                : policyName(Math.floor(next() * POLICIES));
        }
        error = {
          i,
          ms,
          moderator: moderatorName(m),
          auditor,
          queue: QUEUES[q],
          errorType,
          severity: next() < 0.05 ? null : 1 + pickSeverity(next()),
          policy,
          correctPolicy,
          notes:
            next() < 0.6 ? `Auditor note on decision d-${i}: see policy ${policy}, section ${k + 1}.` : null,
        };
        errors.push(error);
      }
      const audit: Audit = {
        id: auditId(i),
        decisionId: `d-${i}`,
        queue: QUEUES[q],
        moderator: moderatorName(m),
        auditor: auditorName(auditor),
        outcome: wrong ? "incorrect" : "correct",
        errorType: error?.errorType ?? null,
        severity: error?.severity ?? null,
        policy,
        market: MARKETS[pickMarket(next())],
        decidedAt: new Date(ms - Math.floor(next() * 2 * DAY_MS)).toISOString(),
        auditedAt: new Date(ms).toISOString(),
        sampleId: null,
        notes: error?.notes ?? null,
        correctPolicy: error?.correctPolicy ?? null,
        recordedBy: null,
      };
      writer.write(i + 1, audit, ms);
      // Moderators read most of their older errors, fewer of the last days', and a few of their correct verdicts.
      const age = END_MS - ms;
      const readChance = wrong ? (age > 14 * DAY_MS ? 0.8 : age > 3 * DAY_MS ? 0.5 : 0.15) : 0.05;
      if (next() < readChance) {
        const at = Math.min(END_MS - 1, ms + Math.floor(next() * 3 * DAY_MS));
        acks.push([audit.id, audit.moderator, new Date(at).toISOString(), at]);
      }
      if (i % 20_000 === 0) await writer.flush();
    }
    const outcome = await writer.finish();
    if (outcome.inserted !== AUDITS) throw new Error(`inserted ${outcome.inserted} audits`);
  });
  await db.transaction((tx) =>
    insertRows(tx, "finding_acks", ["audit_id", "acked_by", "acked_at", "acked_ms"], acks, 500),
  );

  // Disputes of errors audited in the last 28 days, spread evenly over them; every state.
  const recent = errors.filter((e) => e.ms >= END_MS - 28 * DAY_MS);
  const spacing = Math.floor(recent.length / DISPUTES);
  const disputes: unknown[][] = [];
  const overturned: ErrorAudit[] = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  for (let k = 0; k < DISPUTES; k++) {
    const e = recent[k * spacing];
    const state = stateOf(k);
    const opened = Math.min(END_MS - 3_600_000, e.ms + Math.floor(next() * 3 * DAY_MS));
    const reviewed = state === "open" ? null : opened + Math.floor(next() * 2 * DAY_MS);
    const agreed = state === "upheld";
    const verdict = {
      outcome: agreed ? "incorrect" : "correct",
      errorType: agreed ? e.errorType : null,
      severity: agreed ? e.severity : null,
      correctPolicy: agreed ? e.correctPolicy : null,
      notes: agreed
        ? "Same call: the decision broke the policy."
        : "The decision was right under the policy.",
    };
    const review = reviewed === null ? null : JSON.stringify({ ...verdict, againstRevision: 1, agreed });
    const resolved =
      state === "upheld" ? reviewed : state === "overturned" ? reviewed! + Math.floor(next() * DAY_MS) : null;
    const decided = state === "overturned";
    if (decided) overturned.push(e);
    disputes.push([
      `dsp-${String(k).padStart(4, "0")}`,
      auditId(e.i),
      1,
      e.moderator,
      e.queue,
      auditorName(e.auditor),
      state,
      `The policy allows this (dispute ${k}).`,
      k % 7 === 0 ? "lead" : e.moderator,
      iso(opened),
      opened,
      auditorName((e.auditor + 1 + (k % (AUDITORS - 1))) % AUDITORS),
      review,
      reviewed === null ? null : iso(reviewed),
      reviewed,
      decided ? "lead" : null,
      decided ? "Second review is right." : null,
      resolved === null ? null : iso(resolved),
      resolved,
    ]);
  }
  await db.transaction(async (tx) => {
    await insertRows(
      tx,
      "disputes",
      [
        "id",
        "audit_id",
        "audit_revision",
        "moderator",
        "queue",
        "auditor",
        "state",
        "reason",
        "opened_by",
        "opened_at",
        "opened_ms",
        "reviewer",
        "review",
        "reviewed_at",
        "reviewed_ms",
        "decided_by",
        "decision_note",
        "resolved_at",
        "resolved_ms",
      ],
      disputes,
      100,
    );
    // An overturn is a revision: the audits row holds the second reviewer's verdict, audit_revisions both.
    for (const e of overturned) {
      await tx.run(
        `UPDATE audits SET outcome = 'correct', error_type = NULL, severity = NULL, correct_policy = NULL,
           notes = ?, revision = 2 WHERE id = ?`,
        ["The decision was right under the policy.", auditId(e.i)],
      );
      const original = {
        outcome: "incorrect",
        errorType: e.errorType,
        severity: e.severity,
        correctPolicy: e.correctPolicy,
        notes: e.notes,
      };
      const revised = {
        outcome: "correct",
        errorType: null,
        severity: null,
        correctPolicy: null,
        notes: "The decision was right under the policy.",
      };
      await insertRows(
        tx,
        "audit_revisions",
        ["audit_id", "revision", "content", "changed_by", "changed_at", "reason"],
        [
          [auditId(e.i), 1, JSON.stringify(original), auditorName(e.auditor), iso(e.ms), null],
          [auditId(e.i), 2, JSON.stringify(revised), "lead", iso(END_MS - 1), "dispute overturned"],
        ],
        2,
      );
    }
    await insertRows(
      tx,
      "queue_targets",
      ["queue", "target", "set_by", "set_at"],
      TARGETS.map(([queue, target]) => [queue, target, "lead", iso(START_MS)]),
      10,
    );
  });
  await createKey(db, {
    name: "bench-moderator",
    role: "moderator",
    moderator: READER,
    secret: MODERATOR_SECRET,
  });
  // The lead key last: its presence says the build is complete (PostgreSQL).
  await createKey(db, { name: "lead", role: "lead", secret: LEAD_SECRET });
  const sqlite = sqliteConnection(db);
  if (sqlite) sqlite.pragma("wal_checkpoint(TRUNCATE)");
  else await db.run("ANALYZE"); // autovacuum would have analysed the tables by now
}

/** The server's database settings for the kept database, built first when missing. */
function feedbackDatabase(): Promise<Record<string, string>> {
  return keptDatabase({
    name: "feedback",
    dir: join(out, "feedback-1m"),
    schema: SCHEMA,
    databaseUrl: DATABASE_URL,
    isBuilt: async (db) =>
      (await db.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM api_keys WHERE name = 'lead' AND role = 'lead'",
      ))!.n === 1,
    build,
  });
}

/** Removes what the bench adds to the kept database: its audits, alerts, rules, webhooks and deliveries. */
async function removeLiveData(env: Record<string, string>): Promise<void> {
  const db = await openKeptDatabase(env);
  try {
    await db.transaction(async (tx) => {
      await tx.run(`DELETE FROM audits WHERE id LIKE '${LIVE}%'`);
      for (const table of [
        "webhook_attempts",
        "webhook_deliveries",
        "webhooks",
        "alerts",
        "alert_audit_marks",
        "alert_rules",
      ]) {
        await tx.run(`DELETE FROM ${table}`);
      }
    });
    const sqlite = sqliteConnection(db);
    // The freed pages would be reused in the middle of the indexes by the next run's ingest: rewrite the file so
    // that every run reads the database as built.
    if (sqlite && (sqlite.pragma("freelist_count", { simple: true }) as number) > 1000) sqlite.exec("VACUUM");
    sqlite?.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    await db.close();
  }
}

async function databaseSize(env: Record<string, string>): Promise<string> {
  if (env.MODQC_DATA_DIR) return mib(statSync(join(env.MODQC_DATA_DIR, "modqc.sqlite")).size);
  const db = await openKeptDatabase(env);
  try {
    const row = await db.get<{ bytes: number }>(
      `SELECT SUM(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind = 'r'`,
      [SCHEMA],
    );
    return mib(row!.bytes);
  } finally {
    await db.close();
  }
}

function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(status.match(new RegExp(`${name}:\\s+(\\d+) kB`))![1]) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

interface Timed {
  runs: number;
  p50: number;
  p99: number;
  max: number;
  bytes: number;
  // biome-ignore lint/suspicious/noExplicitAny: the JSON answers the bench reads counts and cursors from
  body: any;
}

/**
 * Sequential GETs after three warm-up requests: at least 30 and at most `maxRuns`, stopping after ~15 s past the
 * 30th (the slow reports get 30, the fast routes a few hundred).
 */
async function timeGets(url: string, key: string, maxRuns = 300): Promise<Timed> {
  const times: number[] = [];
  let text = "";
  let started = 0;
  for (let i = 0; ; i++) {
    if (i === 3) started = performance.now();
    if (i >= 3 && (times.length >= maxRuns || (times.length >= 30 && performance.now() - started > 15_000)))
      break;
    const start = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    text = await res.text();
    if (!res.ok) throw new Error(`${url}: ${res.status} ${text.slice(0, 500)}`);
    if (i >= 3) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {}
  return {
    runs: times.length,
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    max: times.at(-1)!,
    bytes: Buffer.byteLength(text),
    body,
  };
}

const kib = (bytes: number) => (bytes < 10_240 ? `${bytes} B` : `${Math.round(bytes / 1024)} KiB`);

/** A receiver that timestamps each alert's arrival by its audit id. */
async function startAlertReceiver() {
  const arrivals = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const at = performance.now();
      res.writeHead(204).end();
      const id = (JSON.parse(body) as { alert?: { evidence?: { audit?: { id?: string } } } }).alert?.evidence
        ?.audit?.id;
      if (id === undefined || arrivals.has(id)) return;
      arrivals.set(id, at);
      waiters.get(id)?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`,
    arrivals,
    /** Resolves with the arrival time of the audit's alert, or Infinity after `timeoutMs`. */
    arrival(id: string, timeoutMs = 30_000): Promise<number> {
      const known = arrivals.get(id);
      if (known !== undefined) return Promise.resolve(known);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiters.delete(id);
          resolve(Number.POSITIVE_INFINITY);
        }, timeoutMs);
        waiters.set(id, () => {
          clearTimeout(timer);
          waiters.delete(id);
          resolve(arrivals.get(id)!);
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const RULE = {
  name: "Severity-4 false negative in child safety",
  condition: { kind: "audit", minSeverity: 4, errorTypes: ["false-negative"], queues: ["child-safety"] },
  severity: "critical",
};

function criticalAudit(id: string) {
  return {
    id,
    decisionId: `dec-${id}`,
    queue: "child-safety",
    moderator: moderatorName(2),
    auditor: auditorName(7),
    outcome: "incorrect",
    errorType: "false-negative",
    severity: 4,
    policy: policyName(10),
    auditedAt: new Date().toISOString(),
  };
}

export async function run(): Promise<void> {
  mkdirSync(out, { recursive: true });
  console.log(
    DATABASE_URL
      ? `backend: PostgreSQL (schema ${SCHEMA})`
      : "backend: SQLite (bench/out/feedback-1m, synchronous=NORMAL)",
  );
  const env = await feedbackDatabase();
  await removeLiveData(env);
  console.log(`(database: ${await databaseSize(env)})`);
  const receiver = await startAlertReceiver();
  const server = await startServer({ ...env, MODQC_WEBHOOK_ALLOW_HOSTS: "127.0.0.1" });
  server.child.once("exit", (code, signal) => {
    if (!stopping) console.error(`(the server exited: code ${code}, signal ${signal})`);
  });
  let stopping = false;
  const memory: (string | number)[][] = [["server memory", "RSS", "peak RSS"]];
  const noteMemory = (label: string) => {
    const { rss, peak } = memoryOf(server.child.pid!);
    memory.push([label, mib(rss), mib(peak)]);
  };
  try {
    // A server just started is still loading its compute threads (seconds of CPU on 2 cores): let it settle.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    noteMemory("started (idle)");

    // 1. The feedback routes, one request at a time.
    const api = (path: string) => `${server.url}${path}`;
    const rows: (string | number)[][] = [
      ["GET (1,000,000 audits, 5,000 moderators)", "answer", "size", "runs", "p50 ms", "p99 ms", "max ms"],
    ];
    const measure = async (
      label: string,
      path: string,
      key: string,
      describe: (t: Timed) => string | number,
    ) => {
      const timed = await timeGets(api(path), key);
      console.error(`  ${label}: p50 ${timed.p50.toFixed(1)} ms (${timed.runs} runs)`);
      rows.push([
        label,
        describe(timed),
        kib(timed.bytes),
        String(timed.runs),
        timed.p50,
        timed.p99,
        timed.max,
      ]);
      return timed;
    };
    const findings = (t: Timed) => `${t.body.findings.length} findings`;
    const first = await measure(
      "/v1/findings (own, errors, 1st page)",
      "/v1/findings",
      MODERATOR_SECRET,
      findings,
    );
    // A later page: the third of the errors, and the 20th of every verdict.
    const cursorAfter = async (query: string, pages: number) => {
      let cursor: string | null = null;
      for (let p = 1; p < pages; p++) {
        const res = await fetch(api(`/v1/findings?${query}${cursor ? `&cursor=${cursor}` : ""}`), {
          headers: { authorization: `Bearer ${MODERATOR_SECRET}` },
        });
        cursor = encodeURIComponent(((await res.json()) as { nextCursor: string }).nextCursor);
      }
      return cursor!;
    };
    if (first.body.nextCursor)
      await measure(
        "/v1/findings (own, errors, 3rd page)",
        `/v1/findings?outcome=incorrect&cursor=${await cursorAfter("outcome=incorrect", 3)}`,
        MODERATOR_SECRET,
        findings,
      );
    await measure(
      "/v1/findings?outcome=all (1st page)",
      "/v1/findings?outcome=all",
      MODERATOR_SECRET,
      findings,
    );
    await measure(
      "/v1/findings?outcome=all (20th page)",
      `/v1/findings?outcome=all&cursor=${await cursorAfter("outcome=all", 20)}`,
      MODERATOR_SECRET,
      findings,
    );
    await measure(
      "/v1/findings?read=false (unread errors)",
      "/v1/findings?read=false",
      MODERATOR_SECRET,
      findings,
    );
    await measure(
      "/v1/findings/unread (lead, no period: as the dashboard)",
      "/v1/findings/unread",
      LEAD_SECRET,
      (t) => `${t.body.unread} unread, ${t.body.moderatorsWithUnread} mods`,
    );
    await measure(
      "/v1/findings/unread (lead, 30 days)",
      `/v1/findings/unread?${PERIOD_30}`,
      LEAD_SECRET,
      (t) => `${t.body.unread} unread, ${t.body.moderatorsWithUnread} mods`,
    );
    await measure(
      "/v1/scorecards/{own} (moderator, 90 days)",
      `/v1/scorecards/${READER}?${PERIOD_90}`,
      MODERATOR_SECRET,
      (t) => `${t.body.audited} audited, ${t.body.byQueue.length} queues`,
    );
    await measure(
      "/v1/scorecards/{generalist} (lead, 90 days)",
      `/v1/scorecards/${GENERALIST}?${PERIOD_90}`,
      LEAD_SECRET,
      (t) => `${t.body.audited} audited, ${t.body.byQueue.length} queues`,
    );
    await measure(
      `/v1/scorecards?queue=${ONE_QUEUE} (90 days)`,
      `/v1/scorecards?queue=${ONE_QUEUE}&${PERIOD_90}`,
      LEAD_SECRET,
      (t) => `${t.body.moderators.length} moderators`,
    );
    await measure(
      "/v1/scorecards (all queues, 90 days)",
      `/v1/scorecards?${PERIOD_90}`,
      LEAD_SECRET,
      (t) => `${t.body.moderators.length} moderators`,
    );
    await measure(
      "/v1/scorecards?format=csv (all queues)",
      `/v1/scorecards?format=csv&${PERIOD_90}`,
      LEAD_SECRET,
      () => "CSV",
    );
    const disputes = (t: Timed) => `${t.body.disputes.length} disputes`;
    await measure("/v1/disputes (lead, default)", "/v1/disputes", LEAD_SECRET, disputes);
    await measure(
      "/v1/disputes?state=escalated&limit=100 (dashboard)",
      "/v1/disputes?state=escalated&limit=100",
      LEAD_SECRET,
      disputes,
    );
    await measure(`/v1/disputes (lead, 30 days)`, `/v1/disputes?${PERIOD_30}`, LEAD_SECRET, disputes);
    await measure("/v1/disputes (moderator's own)", "/v1/disputes", MODERATOR_SECRET, disputes);
    const stats = (t: Timed) => `${Object.values(t.body.states as Record<string, number>).join("/")} o/e/u/o`;
    await measure("/v1/disputes/stats (default: all audits)", "/v1/disputes/stats", LEAD_SECRET, stats);
    await measure("/v1/disputes/stats (30 days)", `/v1/disputes/stats?${PERIOD_30}`, LEAD_SECRET, stats);
    await measure(
      "/v1/policy-confusion (30 days, all queues)",
      `/v1/policy-confusion?${PERIOD_30}`,
      LEAD_SECRET,
      (t) => `${t.body.matrix.total} in ${t.body.matrix.rows.length}×${t.body.matrix.columns.length}`,
    );
    await measure(
      "/v1/quality?groupBy=queue&weights=1,2,4,8 (30 d)",
      `/v1/quality?groupBy=queue&weights=1,2,4,8&${PERIOD_30}`,
      LEAD_SECRET,
      (t) => `${t.body.groups.length} groups`,
    );
    await measure(
      "/v1/quality?groupBy=queue (30 d, no weights)",
      `/v1/quality?groupBy=queue&${PERIOD_30}`,
      LEAD_SECRET,
      (t) => `${t.body.groups.length} groups`,
    );
    await measure(
      "/v1/policy-impact (POL-00, 28 + 28 days)",
      `/v1/policy-impact?policy=${policyName(0)}&at=2026-11-03&days=28&tz=UTC`,
      LEAD_SECRET,
      (t) => `${t.body.before.audited} | ${t.body.after.audited} audited`,
    );
    // The lead's dashboard (issue 18): a drill-down list, the funnel with its minimum volume, rule previews.
    await measure(
      "/v1/audits (hate errors, 30 d, 1st page of 100)",
      `/v1/audits?queue=hate&outcome=incorrect&${PERIOD_30}`,
      LEAD_SECRET,
      (t) => `${t.body.audits.length} audits`,
    );
    await measure(
      "/v1/funnel?by=moderator (all queues, 30 d)",
      `/v1/funnel?by=moderator&${PERIOD_30}`,
      LEAD_SECRET,
      (t) => `${t.body.units.length} units, ${t.body.unitsBelowMinimum} below 20`,
    );
    // A preview over 30 days is one long task: timed once; a wide rule may exceed the compute budget (422).
    const preview = async (label: string, condition: unknown, groupBy: string[] = [], scope = {}) => {
      const started = performance.now();
      const res = await fetch(api("/v1/alert-rules/preview"), {
        method: "POST",
        headers: { authorization: `Bearer ${LEAD_SECRET}`, "content-type": "application/json" },
        body: JSON.stringify({
          name: "bench preview",
          severity: "warning",
          scope,
          groupBy,
          condition,
          days: 30,
        }),
      });
      const body = (await res.json()) as { daysFiring?: number; alertsWouldOpen?: number };
      const ms = performance.now() - started;
      const answer = res.ok ? `${body.daysFiring} days, ${body.alertsWouldOpen} alerts` : `${res.status}`;
      console.error(`  ${label}: ${answer} in ${ms.toFixed(0)} ms`);
      rows.push([label, answer, "", "1", ms, ms, ms]);
    };
    await preview(
      "POST /v1/alert-rules/preview (threshold, hate, 1-day window)",
      { kind: "threshold", maxRate: 0.05, window: { days: 1 } },
      [],
      { queue: "hate" },
    );
    await preview(
      "POST /v1/alert-rules/preview (threshold per queue, 7-day window)",
      { kind: "threshold", maxRate: 0.05, window: { days: 7 } },
      ["queue"],
    );
    await preview("POST /v1/alert-rules/preview (p chart of every queue)", {
      kind: "chart",
      type: "p",
      interval: "day",
    });
    table(rows);
    noteMemory("after the reads");

    // 2. Critical-error alerts and ingest with and without an audit rule.
    const admin = (method: string, path: string, json?: unknown) =>
      fetch(api(path), {
        method,
        headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
    let posted = 0;
    /** POSTs one matching audit; the time from its 2xx to the arrival of its alert. */
    const alertLatency = async () => {
      const audit = criticalAudit(`${LIVE}crit-${posted++}`);
      const res = await admin("POST", "/v1/audits", [audit]);
      const answered = performance.now();
      if (res.status !== 200) throw new Error(`ingest ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      return (await receiver.arrival(audit.id)) - answered;
    };
    const latencyRow = (label: string, waits: number[]) => {
      waits.sort((a, b) => a - b);
      const lost = waits.filter((w) => !Number.isFinite(w)).length;
      return [
        label,
        String(waits.length),
        percentile(waits, 0.5),
        percentile(waits, 0.99),
        waits.at(-1)!,
        String(lost),
      ];
    };
    const ingestRow = (label: string, r: Awaited<ReturnType<typeof loadTest>>) => [
      label,
      r.requestsPerSecond,
      r.p50,
      r.p99,
      String(r.total),
      String(r.errors + r.non2xx),
    ];
    const ingest: (string | number)[][] = [
      [
        "single-audit POST /v1/audits, 50 connections, 8 s",
        "req/s",
        "p50 ms",
        "p99 ms",
        "2xx",
        "errors+non2xx",
      ],
    ];
    const hook = await admin("POST", "/v1/webhooks", { url: receiver.url });
    if (hook.status !== 201) throw new Error(`webhook: ${hook.status} ${await hook.text()}`);
    const createRule = async () => {
      const rule = await admin("POST", "/v1/alert-rules", RULE);
      if (rule.status !== 201) throw new Error(`rule: ${rule.status} ${await rule.text()}`);
      return ((await rule.json()) as { id: string }).id;
    };
    const deleteRule = async (id: string) => {
      const res = await admin("DELETE", `/v1/alert-rules/${id}`);
      if (res.status >= 300) throw new Error(`rule delete: ${res.status}`);
    };
    // Without and with the rule in turns: the machine is shared, so a drift shows as a difference between rounds.
    for (let round = 1; round <= 3; round++) {
      const none = await singleAuditLoad(server, 50, 8, `${LIVE}none-${round}`);
      ingest.push(ingestRow(`round ${round}: no alert rule`, none));
      const id = await createRule();
      const ruled = await singleAuditLoad(server, 50, 8, `${LIVE}rule-${round}`);
      ingest.push(ingestRow(`round ${round}: audit rule (audits do not match it)`, ruled));
      await deleteRule(id);
    }
    await createRule();
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const latency: (string | number)[][] = [
      [
        "2xx of one matching audit → its alert at the receiver",
        "audits",
        "p50 ms",
        "p99 ms",
        "max ms",
        "lost",
      ],
    ];
    for (let i = 0; i < 5; i++) await alertLatency(); // warm-up
    const idle: number[] = [];
    for (let i = 0; i < 200; i++) {
      idle.push(await alertLatency());
      await new Promise((resolve) => setTimeout(resolve, 10 + (i % 7) * 7)); // not in step with the 20 ms timer
    }
    latency.push(latencyRow("idle server, one at a time", idle));

    // A critical audit while 50 connections keep posting ordinary ones.
    const background = singleAuditLoad(server, 50, 12, `${LIVE}busy`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const busy: number[] = [];
    for (let i = 0; i < 40; i++) {
      busy.push(await alertLatency());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    ingest.push(ingestRow("audit rule, 40 critical POSTs among them (12 s)", await background));
    latency.push(latencyRow("under the 50-connection ingest load", busy));

    // Every audit matching: one alert and one webhook delivery per audit.
    const stormStart = performance.now();
    const storm = await loadTest({
      url: api("/v1/audits"),
      method: "POST",
      connections: 50,
      seconds: 8,
      headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ ...criticalAudit(`${LIVE}storm-[<id>]`), decisionId: "d-storm-[<id>]" }),
      idReplacement: true,
    });
    const stormEnd = performance.now();
    ingest.push(ingestRow("audit rule, every audit matching it", storm));
    const stormArrivals = () =>
      [...receiver.arrivals].filter(([id]) => id.startsWith(`${LIVE}storm-`)).map(([, at]) => at);
    // Wait until the deliveries stop (nothing new for 3 s) or two minutes have passed.
    let seen = -1;
    while (stormArrivals().length !== seen && performance.now() - stormEnd < 120_000) {
      seen = stormArrivals().length;
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
    const arrivals = stormArrivals();
    const lastArrival = Math.max(...arrivals);
    noteMemory("after the alert storm");
    table(ingest);
    table(latency);
    console.log(
      `(every audit matching: ${arrivals.length} alerts at the receiver for ${storm.total} 2xx counted by autocannon; the last ${((lastArrival - stormEnd) / 1000).toFixed(1)} s after the load ended: ${Math.round(arrivals.length / ((lastArrival - stormStart) / 1000))} deliveries/s)`,
    );
    noteMemory("end");
    table(memory);
  } finally {
    stopping = true;
    await server.stop();
    await receiver.close();
    await removeLiveData(env);
  }
}
