import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/open.ts";
import { periodSeries, periodSeriesByAudit } from "../../src/reports/stored-chart.ts";
import { storeAudits } from "../helpers.ts";

function databaseWith(times: number[]) {
  const db = openDatabase(":memory:");
  storeAudits(
    db,
    times.map((ms, i) => ({ id: `a-${i}`, incorrect: i % 3 === 0, auditedAt: new Date(ms).toISOString() })),
  );
  return db;
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
  it("equal the audit-by-audit series in every zone and interval, across DST changes (fast-check)", () => {
    const from = Date.parse("2025-01-01T00:00:00Z");
    const span = 400 * 86_400_000;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: span }), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(...ZONES),
        fc.constantFrom("day" as const, "week" as const, "month" as const),
        (offsets, zone, interval) => {
          const db = databaseWith(offsets.map((o) => from + o));
          expect(periodSeries(db, {}, interval, zone)).toEqual(periodSeriesByAudit(db, {}, interval, zone));
          db.close();
        },
      ),
      { numRuns: 60, seed: 20 },
    );
  });

  it("fall back to the audits one by one where a day starts inside a quarter hour (Monrovia at −0:44:30 in 1970)", () => {
    const days = [0, 1, 2].map((d) => Date.parse("1970-06-01T00:00:00Z") + d * 86_400_000);
    const db = databaseWith(days.flatMap((ms) => [ms + 44 * 60_000, ms + 45 * 60_000, ms + 3_600_000]));
    const series = periodSeries(db, {}, "day", "Africa/Monrovia");
    expect(series).toEqual(periodSeriesByAudit(db, {}, "day", "Africa/Monrovia"));
    expect(series.map((p) => p.n)).toEqual([1, 3, 3, 2]);
  });
});
