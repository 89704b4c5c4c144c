import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/open.ts";
import { startChildServer } from "../child-server.ts";
import { onPostgres, testSchemaUrl } from "../database.ts";

/**
 * Corrections are durable and all or nothing like every other write: a server killed with SIGKILL while
 * revisions are being posted keeps every acknowledged one, and never an audits row whose verdict is not its
 * latest history row, nor a gap in its revision numbers.
 */

const AUDITS = 40;
const ROUNDS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("durability of corrections", () => {
  it("every acknowledged revision survives SIGKILL, and each audit's row equals its latest revision", async () => {
    let server = await startChildServer();
    const dataDir = server.dataDir;
    const seed = await fetch(`${server.url}/v1/audits`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify(
        Array.from({ length: AUDITS }, (_, i) => ({
          id: `c${i}`,
          decisionId: `d${i}`,
          queue: "hate",
          moderator: "m",
          auditor: "alice",
          outcome: "correct",
          auditedAt: "2026-11-24T09:30:00+09:00",
        })),
      ),
    });
    expect(seed.status).toBe(200);
    /** The highest revision acknowledged per audit. */
    const acknowledged = new Map<string, number>();
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const current = server;
        let first!: () => void;
        const firstAcknowledged = new Promise<void>((resolve) => (first = resolve));
        const killer = Promise.race([firstAcknowledged, sleep(20_000)])
          .then(() => sleep(30 + round * 70))
          .then(() => current.kill());
        // Two clients correcting disjoint audits, each toggling its audits' outcome over and over.
        const clients = [0, 1].map(async (client) => {
          for (let n = 0; ; n++) {
            const id = `c${client + 2 * (n % (AUDITS / 2))}`;
            const incorrect = (acknowledged.get(id) ?? 1) % 2 === 1;
            try {
              const res = await fetch(`${current.url}/v1/audits/${id}/revisions`, {
                method: "POST",
                headers: { authorization: `Bearer ${current.adminKey}`, "content-type": "application/json" },
                body: JSON.stringify(
                  incorrect
                    ? { outcome: "incorrect", errorType: "other", reason: `round ${round}` }
                    : { outcome: "correct", reason: `round ${round}` },
                ),
              });
              if (res.status !== 200) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
              // (changed: false when a revision committed just before a kill was never acknowledged: the
              // client then asks for what is already there.)
              const body = (await res.json()) as { revision: number };
              acknowledged.set(id, Math.max(acknowledged.get(id) ?? 1, body.revision));
              first();
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
    const databaseUrl = onPostgres ? await testSchemaUrl(dataDir) : undefined;
    const db = await openDatabase({ dataDir, databaseUrl, poolSize: 1 });
    try {
      expect(acknowledged.size).toBeGreaterThan(0);
      const rows = await db.all<{ id: string; outcome: string; error_type: string | null; revision: number }>(
        "SELECT id, outcome, error_type, revision FROM audits ORDER BY id",
      );
      expect(rows).toHaveLength(AUDITS);
      for (const row of rows) {
        // A revision that was not acknowledged may or may not have committed; an acknowledged one has.
        expect(row.revision).toBeGreaterThanOrEqual(acknowledged.get(row.id) ?? 1);
        const history = await db.all<{ revision: number; content: string }>(
          "SELECT revision, content FROM audit_revisions WHERE audit_id = ? ORDER BY revision",
          [row.id],
        );
        if (row.revision === 1) {
          expect(history).toEqual([]);
          continue;
        }
        expect(history.map((h) => h.revision)).toEqual(Array.from({ length: row.revision }, (_, i) => i + 1));
        const latest = JSON.parse(history.at(-1)!.content) as { outcome: string; errorType: string | null };
        expect({ outcome: row.outcome, errorType: row.error_type }).toEqual({
          outcome: latest.outcome,
          errorType: latest.errorType,
        });
      }
    } finally {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
