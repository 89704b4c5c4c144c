import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/open.ts";
import { startChildServer } from "../child-server.ts";
import { onPostgres, testSchemaUrl } from "../database.ts";

/** A batch held in memory (group commit on the main thread) and one spooled to disk (the writer thread). */
const SIZES = [
  { name: "5,000-audit batches (group commit)", batch: 5_000, rounds: 4 },
  { name: "45,000-audit batches past the memory spool (writer thread)", batch: 45_000, rounds: 3 },
];

function batchBody(batch: number, BATCH: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    async pull(controller) {
      // Send the batch in slices with pauses, so a kill can land while the body is still arriving.
      let text = "";
      for (const end = Math.min(i + BATCH / 10, BATCH); i < end; i++) {
        text += `${JSON.stringify({
          id: `b${batch}-${i}`,
          decisionId: `d${batch}-${i}`,
          queue: "hate",
          moderator: `m${i % 40}`,
          auditor: "alice",
          outcome: i % 10 === 0 ? "incorrect" : "correct",
          ...(i % 10 === 0 ? { errorType: "false-negative" } : {}),
          auditedAt: "2026-11-24T09:30:00+09:00",
          notes: "검토 완료",
        })}\n`;
      }
      controller.enqueue(encoder.encode(text));
      if (i >= BATCH) controller.close();
      else await new Promise((r) => setTimeout(r, 2));
    },
  });
}

describe.each(SIZES)("durability with $name", ({ batch: BATCH, rounds }) => {
  it("every acknowledged audit survives SIGKILL mid-stream, exactly once, and no batch is partly stored", async () => {
    let server = await startChildServer();
    const dataDir = server.dataDir;
    const acknowledged = new Set<number>();
    const attempted: number[] = [];
    let batch = 0;
    try {
      for (let kill = 0; kill < rounds; kill++) {
        const current = server;
        // Kill at a moment that varies from round to round, while uploads are in flight: after the round's
        // first acknowledged batch (so every round has some, however loaded the machine), plus a delay.
        let firstAcknowledged!: () => void;
        const acknowledgedThisRound = new Promise<void>((resolve) => (firstAcknowledged = resolve));
        const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
        const killer = Promise.race([acknowledgedThisRound, sleep(20_000)])
          .then(() => sleep(40 + kill * 110))
          .then(() => current.kill());
        const clients = [0, 1].map(async () => {
          for (;;) {
            const mine = batch++;
            attempted.push(mine);
            try {
              const res = await fetch(`${current.url}/v1/audits`, {
                method: "POST",
                headers: {
                  authorization: `Bearer ${current.adminKey}`,
                  "content-type": "application/x-ndjson",
                },
                body: batchBody(mine, BATCH),
                duplex: "half",
              } as RequestInit);
              if (res.status !== 200) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
              const body = (await res.json()) as { inserted: number };
              expect(body.inserted).toBe(BATCH);
              acknowledged.add(mine);
              firstAcknowledged();
            } catch (error) {
              if (String(error).includes("unexpected")) throw error;
              return; // the server died under this request: it was never acknowledged
            }
          }
        });
        await Promise.all(clients);
        await killer;
        server = await startChildServer({ MODQC_DATA_DIR: dataDir });
      }
    } finally {
      await server.stop();
    }
    // The server's database after its last stop: the SQLite file in its data directory, or (PostgreSQL) the
    // schema the child server helper gives that directory.
    const databaseUrl = onPostgres ? await testSchemaUrl(dataDir) : undefined;
    const db = await openDatabase({ dataDir, databaseUrl, poolSize: 1 });
    try {
      const counts = new Map<number, number>();
      await db.each<[string]>("SELECT id FROM audits", [], ([id]) => {
        const b = Number(id.slice(1, id.indexOf("-")));
        counts.set(b, (counts.get(b) ?? 0) + 1);
      });
      expect(acknowledged.size).toBeGreaterThan(0);
      for (const b of acknowledged)
        expect({ batch: b, stored: counts.get(b) }).toEqual({ batch: b, stored: BATCH });
      for (const b of attempted) expect([0, BATCH]).toContain(counts.get(b) ?? 0);
      const total = await db.get<{ n: number; d: number }>(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM audits",
      );
      expect(total!.n).toBe(total!.d);
    } finally {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
