/**
 * Several instances on one PostgreSQL database (issue 17): single-audit POSTs under 50 connections against one
 * instance, then against two instances sharing the database (25 connections each, two load generators), on
 * the same machine. Needs MODQC_BENCH_DATABASE_URL (a schema of its own is created and dropped); skipped on
 * SQLite, which has one instance per database file.
 */
import { availableParallelism } from "node:os";
import { withSchema } from "../test/database.ts";
import { type LoadResult, onBenchDatabase, singleAuditLoad, startServer, table } from "./lib.ts";

const DATABASE_URL = process.env.MODQC_BENCH_DATABASE_URL || undefined;
const SCHEMA = "modqc_bench_instances";
const SECONDS = 10;

const singleAudits = (server: { url: string; adminKey: string }, connections: number, prefix: string) =>
  singleAuditLoad(server, connections, SECONDS, prefix);

const row = (label: string, results: LoadResult[]) => [
  label,
  results.reduce((sum, r) => sum + r.requestsPerSecond, 0),
  Math.max(...results.map((r) => r.p50)),
  Math.max(...results.map((r) => r.p99)),
  results.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
];

export async function run(): Promise<void> {
  if (!DATABASE_URL) {
    console.log("skipped: set MODQC_BENCH_DATABASE_URL to a PostgreSQL database");
    return;
  }
  await onBenchDatabase(DATABASE_URL, [`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`, `CREATE SCHEMA ${SCHEMA}`]);
  const env = { MODQC_DATABASE_URL: withSchema(DATABASE_URL, SCHEMA) };
  const rows: (string | number)[][] = [
    [
      `single-audit POST, 50 connections, ${SECONDS} s, ${availableParallelism()} cores`,
      "req/s",
      "p50 ms",
      "p99 ms",
      "errors",
    ],
  ];
  try {
    const first = await startServer(env);
    try {
      rows.push(row("one instance", [await singleAudits(first, 50, "one")]));
      const second = await startServer(env);
      try {
        const both = await Promise.all([singleAudits(first, 25, "a"), singleAudits(second, 25, "b")]);
        rows.push(row("two instances (sum)", both));
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
    }
    table(rows);
  } finally {
    await onBenchDatabase(DATABASE_URL, [`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`]);
  }
}
