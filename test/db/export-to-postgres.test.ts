import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Db } from "../../src/db/database.ts";
import { copySqliteToPostgres, tablesInCopyOrder } from "../../src/db/export-to-postgres.ts";
import { openDatabase } from "../../src/db/open.ts";
import { PostgresDb } from "../../src/db/postgres.ts";
import { rebuildRollups } from "../../src/rollups/rebuild.ts";
import { onPostgres, testSchemaUrl } from "../database.ts";
import { auditorKey, testContext } from "../helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "modqc-export-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every row of `table`, in the order of all its columns, as JSON text (numbers, text and bytes compared exactly). */
async function rowsOf(db: Db, table: string, columns: string[]): Promise<string[]> {
  const order = columns.map((c) => `${c} NULLS FIRST`).join(", ");
  const rows = await db.values(`SELECT ${columns.join(", ")} FROM ${table} ORDER BY ${order}`);
  return rows.map((row) =>
    JSON.stringify(
      row.map((value) => (value instanceof Uint8Array ? Buffer.from(value).toString("hex") : value)),
    ),
  );
}

/** A SQLite database with rows in every table, written through the API as users would. */
async function filledSqlite(): Promise<Db> {
  const sqlite = await openDatabase({ dataDir: dir });
  const ctx = await testContext({ MODQC_WEBHOOK_ALLOW_HOSTS: "127.0.0.1" }, undefined, sqlite);
  const call = async (method: string, path: string, key: string, json?: unknown, body?: string) => {
    const headers = body === undefined ? undefined : { "content-type": "text/csv" };
    const res = await ctx.call(method, path, { key, json, body, headers });
    expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
    return res.body;
  };
  const { admin, lead, auditor } = ctx.keys;
  const audits = Array.from({ length: 300 }, (_, i) => ({
    id: `a-${String(i).padStart(5, "0")}`,
    decisionId: `d-${i}`,
    queue: i % 2 ? "혐오" : "spam",
    moderator: `m${i % 7}`,
    auditor: "alice",
    outcome: i % 4 === 0 ? "incorrect" : "correct",
    ...(i % 4 === 0 ? { errorType: "false-negative", severity: 1 + (i % 4) } : {}),
    policy: i % 3 ? "hate/슬러" : undefined,
    auditedAt: new Date(Date.now() - i * 3_600_000).toISOString(),
    notes: i % 5 ? null : 'a "quoted", multi-line\nnote, with \\ and \t',
  }));
  await call("POST", "/v1/audits", auditor, audits);
  const session = await call("POST", "/v1/calibrations", lead, {
    name: "보정",
    categories: ["ok", "hate", 3],
    items: [{ id: "p1", gold: "ok" }, { id: "p2", gold: 3 }, { id: "p3" }],
    raters: ["alice", "bob"],
  });
  await call("PUT", `/v1/calibrations/${session.id}/ratings/alice`, auditor, {
    ratings: { p1: "ok", p2: 3 },
  });
  let csv = "id,queue,moderator,market,decidedAt\n";
  for (let i = 0; i < 500; i++)
    csv += `dec-${i},q${i % 4},mod-${i % 9},${i % 3 ? "KR" : ""},2026-11-23T09:00:00Z\n`;
  const population = await call("POST", "/v1/populations?name=export", lead, undefined, csv);
  const sample = await call("POST", "/v1/samples", lead, {
    population: population.id,
    strata: ["queue"],
    total: 40,
    seed: "export",
  });
  // Gold items (issue 16): registered, mixed into the assignment, one verdict on alice's.
  await call("POST", "/v1/gold", lead, {
    items: [0, 1, 2, 3].map((i) => ({
      decisionId: `gold-${i}`,
      queue: `q${i}`,
      moderator: "gold-mod",
      content: "골드",
      outcome: i % 2 ? "correct" : "incorrect",
      ...(i % 2 ? {} : { errorType: "wrong-policy", correctPolicy: "hate/슬러" }),
    })),
  });
  await call("POST", `/v1/samples/${sample.id}/assign`, lead, {
    auditors: ["alice", "bob"],
    gold: { share: 0, perAuditorMin: 1 },
  });
  const aliceGold = (await call("GET", `/v1/samples/${sample.id}/gold`, lead)).slots.find(
    (slot: { auditor: string }) => slot.auditor === "alice",
  );
  await call("PUT", `/v1/samples/${sample.id}/items/${aliceGold.decisionId}/verdict`, auditor, {
    outcome: "correct",
  });
  await call("POST", "/v1/webhooks", admin, { url: "http://127.0.0.1:9/hook" });
  await call("POST", "/v1/alert-rules", lead, {
    name: "spam error rate",
    scope: { queue: "spam" },
    condition: { kind: "threshold", maxRate: 0.1, window: { days: 30 }, minAudited: 10 },
    severity: "critical",
  });
  await call("POST", "/v1/alert-rules", lead, {
    name: "severe misses",
    condition: { kind: "audit", minSeverity: 3 },
    severity: "critical",
  });
  // The feedback loop's tables: a target, a finding read and a dispute of moderator mod-1 (the test key's).
  await call("PUT", "/v1/targets/spam", lead, { target: 0.02 });
  await call("POST", "/v1/audits", auditor, [
    ...["fb-1", "fb-2"].map((id) => ({
      id,
      decisionId: `d-${id}`,
      queue: "spam",
      moderator: "mod-1",
      auditor: "alice",
      outcome: "incorrect",
      errorType: "wrong-policy",
      correctPolicy: "스팸/2",
      severity: 4,
      auditedAt: new Date().toISOString(),
    })),
  ]);
  await auditorKey(ctx, "bob");
  await call("POST", "/v1/audits/fb-1/ack", ctx.keys.moderator);
  await call("POST", "/v1/audits/fb-2/disputes", ctx.keys.moderator, { reason: "정책 적용이 맞습니다" });
  await ctx.alerts.evaluateAll();
  await ctx.alerts.flush();
  return sqlite;
}

describe.skipIf(!onPostgres)("npm run export-sqlite-to-pg (PostgreSQL only: its target)", () => {
  it("copies every row of every table, byte for byte, and new rows continue after the copied ones", async () => {
    const sqlite = await filledSqlite();
    const target = await openDatabase({ dataDir: dir, databaseUrl: await testSchemaUrl() });
    if (!(target instanceof PostgresDb)) throw new Error("expected PostgreSQL");
    const copies = await copySqliteToPostgres(sqlite, target);
    const tables = await tablesInCopyOrder(sqlite);
    expect(copies.map((c) => c.table)).toEqual(tables);
    for (const table of tables) {
      const columns = (await sqlite.values<[string]>("SELECT name FROM pragma_table_info(?)", [table])).map(
        ([c]) => c,
      );
      const expected = await rowsOf(sqlite, table, columns);
      expect({ table, rows: await rowsOf(target, table, columns) }).toEqual({ table, rows: expected });
      if (
        [
          "audits",
          "webhook_deliveries",
          "api_keys",
          "alerts",
          "calibration_ratings",
          "sample_items",
          "finding_acks",
          "disputes",
          "queue_targets",
          "alert_audit_marks",
          "gold_items",
          "gold_slots",
          "gold_verdicts",
        ].includes(table)
      )
        expect({ table, copied: expected.length > 0 }).toEqual({ table, copied: true });
    }
    // The rollups are not copied but rolled up again from the copied audits (by the compactor): the same cells.
    const key = "cuboid, width, bucket, queue, market, policy, person";
    const rollups = (db: typeof sqlite, tables: string[]) =>
      db.values(
        `SELECT ${key}, SUM(n), SUM(errors), SUM(wrong_policy_4) FROM (${tables.map((t) => `SELECT ${key}, n, errors, wrong_policy_4 FROM ${t}`).join(" UNION ALL ")}) AS cells
         GROUP BY ${key} ORDER BY ${key}`,
      );
    await rebuildRollups(sqlite); // every SQLite audit rolled up, to compare cell by cell
    await rebuildRollups(target);
    const copied = await rollups(target, ["audit_rollups"]);
    expect(copied.length).toBeGreaterThan(0);
    expect(copied).toEqual(await rollups(sqlite, ["audit_rollups"]));
    // The service goes on where SQLite stopped: a new audit gets the next seq.
    const ctx = await testContext({}, undefined, target);
    const res = await ctx.call("POST", "/v1/audits", {
      key: ctx.keys.auditor,
      json: {
        id: "after-export",
        decisionId: "d",
        queue: "spam",
        moderator: "m",
        auditor: "alice",
        outcome: "correct",
        auditedAt: new Date().toISOString(),
      },
    });
    expect(res.body).toEqual({ inserted: 1, duplicates: 0 });
    const seqs = await target.get<{ last: number; max: number }>(
      "SELECT (SELECT seq FROM audits WHERE id = 'after-export') AS last, (SELECT MAX(seq) FROM audits WHERE id <> 'after-export') AS max",
    );
    expect(seqs!.last).toBeGreaterThan(seqs!.max);
    // A second export into a database that holds rows is refused, and changes nothing.
    await expect(copySqliteToPostgres(sqlite, target)).rejects.toThrow(/already holds rows/);
    await Promise.all([sqlite.close(), target.close()]);
  });
});
