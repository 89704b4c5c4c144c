import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createKey } from "../../src/db/keys.ts";
import { WriterThread } from "../../src/writer/writer.ts";
import { openTestDatabase } from "../database.ts";

/** Past the 8 MiB memory spool, so the upload is written by the writer thread. */
const ROWS = 40_000;
const audit = (i: number, extra: Record<string, unknown> = {}) => ({
  id: `bulk-${i}`,
  decisionId: `d-${i}`,
  queue: "hate",
  moderator: `mod-${i % 50}`,
  auditor: "alice",
  outcome: i % 10 === 0 ? "incorrect" : "correct",
  ...(i % 10 === 0 ? { errorType: "false-negative" } : {}),
  auditedAt: "2026-11-24T09:30:00+09:00",
  notes: "x".repeat(150),
  ...extra,
});
const ndjson = (rows: object[]) => rows.map((row) => JSON.stringify(row)).join("\n");

const dir = mkdtempSync(join(tmpdir(), "modqc-bulk-"));
const db = await openTestDatabase(dir);
const writer = new WriterThread(db);
const config = loadConfig({ MODQC_DATA_DIR: dir }, "test");
const logger = { info() {}, error() {} };
const app = createApp({ db, config, logger, writer });
const lead = (await createKey(db, { name: "lead", role: "lead" })).key;
const alice = (await createKey(db, { name: "alice", role: "auditor", rater: "alice" })).key;
const count = async () => (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM audits"))!.n;
const post = async (key: string, body: string) =>
  app.request("/v1/audits", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" },
    body,
  });

afterAll(async () => {
  await writer.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("audit uploads on the writer thread", () => {
  const rows = Array.from({ length: ROWS }, (_, i) => audit(i));
  const body = ndjson(rows);

  it("stores an upload past the memory spool in one commit, then counts its resend as duplicates", async () => {
    expect(Buffer.byteLength(body)).toBeGreaterThan(8 * 1024 * 1024);
    const first = await post(lead, body);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ inserted: ROWS, duplicates: 0 });
    expect(await count()).toBe(ROWS);
    const again = await post(lead, body);
    expect(await again.json()).toEqual({ inserted: 0, duplicates: ROWS });
    expect(readdirSync(join(dir, "tmp"))).toEqual([]);
  });

  it("rejects a bad row with its line number and stores nothing", async () => {
    const bad = rows.map((row, i) => ({ ...row, id: `bad-${i}` }));
    bad[30_000] = { ...bad[30_000], outcome: "maybe" };
    const answer = await post(lead, ndjson(bad));
    expect(answer.status).toBe(400);
    const { error } = (await answer.json()) as { error: { code: string; details: { row: number }[] } };
    expect(error.code).toBe("invalid_rows");
    expect(error.details[0].row).toBe(30_001);
    expect(await count()).toBe(ROWS);
  });

  it("answers 409 for a changed resend and 403 for an auditor writing someone else's audits", async () => {
    const changed = rows.map((row, i) => (i === 5 ? { ...row, queue: "spam" } : row));
    expect((await post(lead, ndjson(changed))).status).toBe(409);
    const others = rows.map((row, i) => ({ ...row, id: `other-${i}`, auditor: i === 7 ? "bob" : "alice" }));
    const forbidden = await post(alice, ndjson(others));
    expect(forbidden.status).toBe(403);
    expect(await count()).toBe(ROWS);
  });

  it("a small write sent during a bulk write waits for it instead of failing, and reads are answered meanwhile", async () => {
    // Other decisions: the same decisions and auditor under new ids would be suspected duplicates (409).
    const more = Array.from({ length: ROWS }, (_, i) =>
      audit(i, { id: `more-${i}`, decisionId: `more-d-${i}` }),
    );
    let bulkDone = false;
    const bulk = post(lead, ndjson(more)).then((answer) => {
      bulkDone = true;
      return answer;
    });
    // Let the bulk upload take the gate, then send a single audit and read the health and a report.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const single = post(lead, JSON.stringify(audit(0, { id: "single-1", decisionId: "single-d" })));
    const report = await app.request("/v1/quality", { headers: { authorization: `Bearer ${lead}` } });
    expect(report.status).toBe(200);
    expect(bulkDone).toBe(false); // the main thread answered while the bulk upload was being written
    const [bulkAnswer, singleAnswer] = await Promise.all([bulk, single]);
    expect(bulkAnswer.status).toBe(200);
    expect(singleAnswer.status).toBe(200);
    expect(await count()).toBe(2 * ROWS + 1);
  });
});

describe("population uploads and draws on the writer thread", () => {
  const decisions = 60_000;
  const csv = [
    "id,queue,moderator,market,note",
    ...Array.from(
      { length: decisions },
      (_, i) => `dec-${i},q${i % 4},m${i % 30},${i % 2 ? "KR" : "US"},${"n".repeat(120)}`,
    ),
  ].join("\n");
  const upload = (body: string) =>
    app.request("/v1/populations?name=week", {
      method: "POST",
      headers: { authorization: `Bearer ${lead}`, "content-type": "text/csv" },
      body,
    });

  it("stores a population past the memory spool, refuses a bad one whole, and draws from it", async () => {
    expect(Buffer.byteLength(csv)).toBeGreaterThan(8 * 1024 * 1024);
    const stored = await upload(csv);
    expect(stored.status).toBe(201);
    const population = (await stored.json()) as { id: string; count: number };
    expect(population.count).toBe(decisions);

    const bad = await upload(csv.replace("dec-59999,", "dec-0,"));
    expect(bad.status).toBe(400);
    const populations = (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM populations"))!.n;
    expect(populations).toBe(1);

    const draw = await app.request("/v1/samples", {
      method: "POST",
      headers: { authorization: `Bearer ${lead}`, "content-type": "application/json" },
      body: JSON.stringify({ population: population.id, strata: ["queue"], total: 400, seed: "s" }),
    });
    expect(draw.status).toBe(201);
    expect(((await draw.json()) as { n: number }).n).toBe(400);
    const missing = await app.request("/v1/samples", {
      method: "POST",
      headers: { authorization: `Bearer ${lead}`, "content-type": "application/json" },
      body: JSON.stringify({ population: "nope", strata: ["queue"], total: 10 }),
    });
    expect(missing.status).toBe(404);
  });
});
