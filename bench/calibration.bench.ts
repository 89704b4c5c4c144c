/**
 * Calibration sessions end to end through the app (in-process `app.request()`): CSV import of every rating (one
 * sheet per rater), then the report (JSON and CSV) of the closed session, for a typical session and for the largest
 * one the API accepts (10,000 items × 100 raters). Labels are Korean, lopsided as moderation data (80 % "위반 없음").
 * Median of several runs; the report is recomputed on every request (nothing is cached).
 *
 * In-memory SQLite by default; PostgreSQL when MODQC_BENCH_DATABASE_URL is set: point it at a scratch database,
 * as the sessions (up to a million ratings each) and a lead key are left there.
 */
import { createApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createKey } from "../src/db/keys.ts";
import { openDatabase } from "../src/db/open.ts";
import { table } from "./lib.ts";

const DATABASE_URL = process.env.MODQC_BENCH_DATABASE_URL || undefined;

const CATEGORIES = ["위반 없음", "혐오 표현", "괴롭힘", "스팸"];

function label(i: number, j: number): string {
  const x = (Math.imul(i + 1, 2654435761) ^ Math.imul(j + 7, 40503)) >>> 0;
  const truth = i % 10 < 8 ? 0 : 1 + (i % 3);
  return CATEGORIES[x % 100 < 85 ? truth : x % CATEGORIES.length];
}

async function medianMs(fn: () => Promise<unknown>, runs: number): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function session(items: number, raters: number, runs: number): Promise<(string | number)[]> {
  const db = await openDatabase({ dataDir: ":memory:", databaseUrl: DATABASE_URL });
  const app = createApp({
    db,
    config: loadConfig({ MODQC_DATA_DIR: ":memory:" }, "bench"),
    logger: { info() {}, error() {} },
  });
  const lead = (await createKey(db, { name: "lead", role: "lead" })).key;
  const auth = { authorization: `Bearer ${lead}` };
  const raterNames = Array.from({ length: raters }, (_, j) => `검수자-${j + 1}`);
  const created = await app.request("/v1/calibrations", {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({
      name: "bench",
      categories: CATEGORIES,
      items: Array.from({ length: items }, (_, i) => ({ id: `post-${i}`, gold: label(i, -1) })),
      raters: raterNames,
    }),
  });
  const { id } = (await created.json()) as { id: string };
  // One CSV per rater, as each auditor would send its own sheet (the whole session can exceed the body limit).
  const sheets = raterNames.map((rater, j) => {
    const lines = ["item,rater,label"];
    for (let i = 0; i < items; i++) lines.push(`post-${i},${rater},${label(i, j)}`);
    return `\uFEFF${lines.join("\r\n")}\r\n`;
  });
  const importMs = await medianMs(async () => {
    for (const sheet of sheets) {
      const res = await app.request(`/v1/calibrations/${id}/ratings`, {
        method: "POST",
        headers: { ...auth, "content-type": "text/csv" },
        body: sheet,
      });
      if (res.status !== 200) throw new Error(`import answered ${res.status}: ${await res.text()}`);
    }
  }, runs);
  await app.request(`/v1/calibrations/${id}/close`, { method: "POST", headers: auth });
  const report = (query: string) => async () => {
    const res = await app.request(`/v1/calibrations/${id}/report${query}`, { headers: auth });
    if (res.status !== 200) throw new Error(`report answered ${res.status}`);
    await res.arrayBuffer();
  };
  const jsonMs = await medianMs(report(""), runs);
  const csvMs = await medianMs(report("?format=csv"), runs);
  await db.close();
  return [`${items.toLocaleString("en-US")} × ${raters}`, items * raters, importMs, jsonMs, csvMs];
}

export async function run(): Promise<void> {
  console.log(
    DATABASE_URL ? "backend: PostgreSQL (MODQC_BENCH_DATABASE_URL)" : "backend: SQLite (in memory)",
  );
  const rows: (string | number)[][] = [
    ["items × raters", "ratings", "CSV import ms (all raters)", "report JSON ms", "report CSV ms"],
  ];
  rows.push(await session(200, 8, 9));
  rows.push(await session(1_000, 20, 5));
  rows.push(await session(10_000, 100, 3));
  table(rows);
}
