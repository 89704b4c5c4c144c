import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { withSchema } from "../test/database.ts";
import { mib, onBenchDatabase, startServer, table } from "./lib.ts";

/**
 * A population upload (one streamed CSV request of SAMPLING_BENCH_ROWS decisions, default 10,000,000) and three
 * draws over it, each on a fresh server process so that its peak memory is its own. On a SQLite file by default;
 * on PostgreSQL when MODQC_BENCH_DATABASE_URL is set, in a schema of its own (modqc_bench_sampling, dropped and
 * created again, dropped at the end). The RSS columns are the modqc process's, never the database server's.
 */

const DATABASE_URL = process.env.MODQC_BENCH_DATABASE_URL || undefined;
const SCHEMA = "modqc_bench_sampling";

const out = fileURLToPath(new URL("./out/", import.meta.url));
const ROWS = Number(process.env.SAMPLING_BENCH_ROWS ?? 10_000_000);
const QUEUES = 200;
const MARKETS = ["KR", "US", "JP", "DE", "BR", "IN", "FR", "GB", "MX", "ID"];
const LABELS = ["remove", "keep", "age-gate", "escalate"];

function peakRssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/VmHWM:\s+(\d+) kB/)![1]) * 1024;
}

/** A population CSV: id, queue (200), moderator (3,000), label, market, decidedAt. ~75 bytes per row. */
async function writeCsv(file: string, rows: number): Promise<number> {
  const stream = createWriteStream(file);
  let chunk = "id,queue,moderator,label,market,decidedAt\n";
  const day = Date.parse("2026-11-23T00:00:00Z");
  for (let i = 0; i < rows; i++) {
    // Ids in a scrambled order, as a warehouse export would give them.
    const id = (Math.imul(i, 0x9e3779b1) >>> 0).toString(36);
    const at = new Date(day + ((i * 7919) % 86_400) * 1000).toISOString().slice(0, 19);
    chunk += `d-${id}-${i % 97},q-${i % QUEUES},mod-${(i * 31) % 3000},${LABELS[i % 4]},${MARKETS[Math.floor(i / 7) % 10]},${at}Z\n`;
    if (chunk.length > 1 << 20) {
      if (!stream.write(chunk)) await new Promise<void>((r) => stream.once("drain", () => r()));
      chunk = "";
    }
  }
  stream.end(chunk);
  await new Promise<void>((r) => stream.once("finish", () => r()));
  return statSync(file).size;
}

async function post(url: string, key: string, body: string, type: string) {
  const start = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": type },
    body,
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return { json, seconds: (performance.now() - start) / 1000 };
}

/**
 * Streams a file as the request body WITH a Content-Length, as `curl --data-binary @file` does. (Without
 * one, i.e. chunked, Hono's bodyLimit middleware buffers the whole body in memory before the route runs.)
 */
function postFile(url: string, key: string, file: string, type: string) {
  const start = performance.now();
  return new Promise<{ json: Record<string, unknown>; seconds: number }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": type,
          "content-length": statSync(file).size,
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => {
          const json = JSON.parse(text) as Record<string, unknown>;
          if (res.statusCode !== 201) reject(new Error(`${url}: ${res.statusCode} ${text}`));
          else resolve({ json, seconds: (performance.now() - start) / 1000 });
        });
      },
    );
    req.on("error", reject);
    createReadStream(file, { highWaterMark: 1 << 20 }).pipe(req);
  });
}

/**
 * The servers' database settings: a fresh PostgreSQL schema, or (MODQC_DATABASE_URL empty, whatever the
 * environment says) the SQLite file in the data directory.
 */
async function databaseEnv(): Promise<Record<string, string>> {
  if (!DATABASE_URL) return { MODQC_DATABASE_URL: "" };
  await onBenchDatabase(DATABASE_URL, [`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`, `CREATE SCHEMA ${SCHEMA}`]);
  return { MODQC_DATABASE_URL: withSchema(DATABASE_URL, SCHEMA) };
}

export async function run(): Promise<void> {
  console.log(
    DATABASE_URL
      ? `backend: PostgreSQL (MODQC_BENCH_DATABASE_URL, schema ${SCHEMA})`
      : "backend: SQLite (file)",
  );
  mkdirSync(out, { recursive: true });
  const file = join(out, `population-${ROWS}.csv`);
  const bytes = existsSync(file) ? statSync(file).size : await writeCsv(file, ROWS);
  const dataDir = mkdtempSync(join(tmpdir(), "modqc-sampling-bench-"));
  const database = await databaseEnv();
  try {
    // 1. Upload the population in one streamed CSV request.
    let server = await startServer({
      MODQC_DATA_DIR: dataDir,
      MODQC_INGEST_BODY_LIMIT: String(2 ** 31),
      ...database,
    });
    let population: string;
    try {
      const before = peakRssOf(server.child.pid!);
      const upload = await postFile(
        `${server.url}/v1/populations?name=bench`,
        server.adminKey,
        file,
        "text/csv",
      );
      population = upload.json.id as string;
      table([
        [
          "population upload (one CSV request)",
          "rows",
          "body",
          "seconds",
          "rows/s",
          "server RSS before",
          "peak RSS",
        ],
        [
          `${Object.keys(upload.json.attributes as object).length} attributes`,
          upload.json.count as number,
          mib(bytes),
          upload.seconds,
          (upload.json.count as number) / upload.seconds,
          mib(before),
          mib(peakRssOf(server.child.pid!)),
        ],
      ]);
    } finally {
      await server.stop();
    }

    // 2. Draws on a fresh server process (so its peak memory is the draw's alone).
    const rows: (string | number)[][] = [
      ["draw", "decisions", "strata", "n", "seconds", "decisions/s", "server RSS before", "peak RSS"],
    ];
    const plans: [string, Record<string, unknown>][] = [
      ["strata=queue, total 20,000", { strata: ["queue"], total: 20_000 }],
      [
        "strata=queue,market, neyman, total for ±1%",
        { strata: ["queue", "market"], allocation: "neyman", margin: 0.01 },
      ],
      ["strata=moderator (3,000), total 30,000", { strata: ["moderator"], total: 30_000 }],
    ];
    for (const [name, plan] of plans) {
      server = await startServer({ MODQC_DATA_DIR: dataDir, ...database });
      try {
        const before = peakRssOf(server.child.pid!);
        const draw = await post(
          `${server.url}/v1/samples`,
          server.adminKey,
          JSON.stringify({ population, seed: "bench-seed", ...plan }),
          "application/json",
        );
        rows.push([
          name,
          ROWS,
          (draw.json.strata as unknown[]).length,
          draw.json.n as number,
          draw.seconds,
          ROWS / draw.seconds,
          mib(before),
          mib(peakRssOf(server.child.pid!)),
        ]);
      } finally {
        await server.stop();
      }
    }
    table(rows);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    if (DATABASE_URL) await onBenchDatabase(DATABASE_URL, [`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`]);
  }
}
