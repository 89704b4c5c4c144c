import { describe, expect, it } from "vitest";
import { startChildServer } from "../child-server.ts";

describe("sampling on the real server", () => {
  it("uploads a population larger than the memory spool, draws, assigns and estimates", async () => {
    const server = await startChildServer();
    try {
      const auth = { authorization: `Bearer ${server.adminKey}` };
      const rows = 200_000;
      let csv = "id,queue,moderator,market,decidedAt\n";
      for (let i = 0; i < rows; i++) {
        csv += `decision-${(i * 7919) % rows}-${i},q${i % 20},mod-${i % 50},${i % 3 ? "KR" : "US"},2026-11-23T${String(i % 24).padStart(2, "0")}:00:00+09:00\n`;
      }
      expect(Buffer.byteLength(csv)).toBeGreaterThan(8 * 1024 * 1024); // spooled to a file
      const upload = await fetch(`${server.url}/v1/populations?name=big`, {
        method: "POST",
        headers: { ...auth, "content-type": "text/csv" },
        body: csv,
      });
      expect(upload.status).toBe(201);
      const population = (await upload.json()) as {
        id: string;
        count: number;
        attributes: Record<string, number>;
      };
      expect(population.count).toBe(rows);
      expect(population.attributes).toEqual({ queue: 20, moderator: 50, market: 2 });

      const draw = await fetch(`${server.url}/v1/samples`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({
          population: population.id,
          strata: ["queue", "market"],
          total: 400,
          seed: "srv",
        }),
      });
      expect(draw.status).toBe(201);
      const sample = (await draw.json()) as { id: string; n: number; strata: unknown[] };
      expect(sample.n).toBe(400);
      expect(sample.strata).toHaveLength(40);

      const assign = await fetch(`${server.url}/v1/samples/${sample.id}/assign`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ auditors: ["mod-1", "mod-2", "mod-3"] }),
      });
      expect(assign.status).toBe(200);
      expect(((await assign.json()) as { balanced: boolean }).balanced).toBe(true);

      const csvItems = await fetch(`${server.url}/v1/samples/${sample.id}/items?format=csv`, {
        headers: auth,
      });
      const bytes = new Uint8Array(await csvItems.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(new TextDecoder().decode(bytes).split("\r\n").filter(Boolean)).toHaveLength(401);

      const estimate = await fetch(`${server.url}/v1/samples/${sample.id}/estimate`, { headers: auth });
      expect(estimate.status).toBe(200);
      expect(((await estimate.json()) as { rate: number | null }).rate).toBeNull();
    } finally {
      await server.stop();
    }
  }, 60_000);
});
