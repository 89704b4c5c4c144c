import { describe, expect, it } from "vitest";
import { RollupCompactor } from "../../src/rollups/compactor.ts";
import { mismatchedDays } from "../../src/rollups/rebuild.ts";
import { rolledUpTo } from "../../src/rollups/watermark.ts";
import { InlineWriter } from "../../src/writer/writer.ts";
import { openTestDatabase } from "../database.ts";
import { storeAudits } from "../helpers.ts";

describe("the rollup compactor", () => {
  it("rolls up what was stored within about a second, moving the watermark to the last audit, and stops cleanly", async () => {
    const db = await openTestDatabase();
    const errors: string[] = [];
    const compactor = new RollupCompactor(db, new InlineWriter(db), {
      info: () => {},
      error: (message) => errors.push(message),
    }).start();
    try {
      await storeAudits(
        db,
        Array.from({ length: 300 }, (_, i) => ({
          id: `a-${i}`,
          incorrect: i % 7 === 0,
          auditedAt: new Date(Date.parse("2026-12-01T00:00:00Z") + i * 600_000).toISOString(),
        })),
      );
      const [[last]] = await db.values<[number]>("SELECT MAX(seq) FROM audits");
      expect(await rolledUpTo(db)).toBe(0);
      await expect.poll(() => rolledUpTo(db), { timeout: 5000, interval: 100 }).toBe(last);
      expect(await mismatchedDays(db)).toEqual([]);
      const [[cells]] = await db.values<[number]>(
        "SELECT SUM(n) FROM audit_rollups WHERE cuboid = 0 AND width = ?",
        [86_400_000],
      );
      expect(cells).toBe(300);
    } finally {
      await compactor.stop();
      await db.close();
    }
    expect(errors).toEqual([]);
  });
});
