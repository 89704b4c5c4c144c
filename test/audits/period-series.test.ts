import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/database.ts";
import { periodSeries, periodSeriesByAudit } from "../../src/reports/stored-chart.ts";
import { openTestDatabase } from "../database.ts";
import { deleteAllAudits, storeAudits } from "../helpers.ts";

/** The database's audits replaced by ones at `times`. */
async function storeOnly(db: Db, times: number[]): Promise<void> {
  await deleteAllAudits(db);
  await storeAudits(
    db,
    times.map((ms, i) => ({ id: `a-${i}`, incorrect: i % 3 === 0, auditedAt: new Date(ms).toISOString() })),
  );
}

const ZONES = [
  "UTC",
  "Asia/Seoul",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "America/St_Johns",
  "Europe/London",
  "Australia/Lord_Howe",
];

describe("stored chart periods from quarter-hour counts", () => {
  it("equal the audit-by-audit series in every zone and interval, across DST changes (fast-check)", async () => {
    // From 1969 on: quarter hours before 1970 (negative epoch ms) must floor, not truncate toward zero.
    const from = Date.parse("1969-09-01T00:00:00Z");
    const span = 1000 * 86_400_000;
    const db = await openTestDatabase();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 0, max: span }), { minLength: 1, maxLength: 300 }),
          fc.constantFrom(...ZONES),
          fc.constantFrom("day" as const, "week" as const, "month" as const),
          async (offsets, zone, interval) => {
            await storeOnly(
              db,
              offsets.map((o) => from + o),
            );
            expect(await periodSeries(db, {}, interval, zone)).toEqual(
              await periodSeriesByAudit(db, {}, interval, zone),
            );
          },
        ),
        { numRuns: 60, seed: 20 },
      );
    } finally {
      await db.close();
    }
  });

  it("fall back to the audits one by one where a day starts inside a quarter hour (Monrovia at −0:44:30 in 1970)", async () => {
    const days = [0, 1, 2].map((d) => Date.parse("1970-06-01T00:00:00Z") + d * 86_400_000);
    const db = await openTestDatabase();
    try {
      await storeOnly(
        db,
        days.flatMap((ms) => [ms + 44 * 60_000, ms + 45 * 60_000, ms + 3_600_000]),
      );
      const series = await periodSeries(db, {}, "day", "Africa/Monrovia");
      expect(series).toEqual(await periodSeriesByAudit(db, {}, "day", "Africa/Monrovia"));
      expect(series.map((p) => p.n)).toEqual([1, 3, 3, 2]);
    } finally {
      await db.close();
    }
  });
});
