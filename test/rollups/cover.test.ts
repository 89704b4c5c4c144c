import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketOf, CUBOIDS, DAY, HOUR, WEEK } from "../../src/rollups/cells.ts";
import { coverRange, emptyCover, mergedCover } from "../../src/rollups/cover.ts";

const instant = fc.integer({ min: -400 * 86_400_000, max: 400 * 86_400_000 });

describe("time covers of the rollups", () => {
  it("split a range into aligned whole buckets and row parts that tile it exactly (fast-check)", () => {
    fc.assert(
      fc.property(instant, instant, fc.constantFrom(...CUBOIDS.map((c) => c.levels)), (a, b, levels) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const cover = mergedCover(
          (() => {
            const c = emptyCover();
            coverRange(from, to, levels, c);
            return c;
          })(),
        );
        const pieces: [number, number][] = [...cover.rows];
        for (const range of cover.buckets) {
          const level = levels.find((l) => l.width === range.width)!;
          expect(bucketOf(range.from, level)).toBe(range.from);
          expect(bucketOf(range.to, level)).toBe(range.to);
          pieces.push([range.from, range.to]);
        }
        pieces.sort((x, y) => x[0] - y[0]);
        let at = from;
        for (const [start, end] of pieces) {
          expect(start).toBe(at);
          expect(end).toBeGreaterThan(start);
          at = end;
        }
        expect(at).toBe(to === from ? from : to);
        // Rows only for what is shorter than the finest bucket at either end.
        const rowTime = cover.rows.reduce((sum, [s, e]) => sum + (e - s), 0);
        expect(rowTime).toBeLessThan(2 * levels[0].width);
      }),
    );
  });

  it("read a local day of Asia/Seoul as 24 hours and a UTC week as one week bucket", () => {
    const seoulDay = emptyCover();
    coverRange(
      Date.parse("2026-12-01T15:00:00Z"),
      Date.parse("2026-12-02T15:00:00Z"),
      [HOUR, DAY, WEEK],
      seoulDay,
    );
    expect(mergedCover(seoulDay)).toEqual({
      buckets: [
        {
          width: HOUR.width,
          from: Date.parse("2026-12-01T15:00:00Z"),
          to: Date.parse("2026-12-02T15:00:00Z"),
        },
      ],
      rows: [],
    });
    const week = emptyCover();
    coverRange(
      Date.parse("2026-11-30T00:00:00Z"),
      Date.parse("2026-12-07T00:00:00Z"),
      [HOUR, DAY, WEEK],
      week,
    );
    expect(week).toEqual({
      buckets: [
        {
          width: WEEK.width,
          from: Date.parse("2026-11-30T00:00:00Z"),
          to: Date.parse("2026-12-07T00:00:00Z"),
        },
      ],
      rows: [],
    });
    const kolkata = emptyCover();
    coverRange(
      Date.parse("2026-12-01T18:30:00Z"),
      Date.parse("2026-12-02T18:30:00Z"),
      [HOUR, DAY, WEEK],
      kolkata,
    );
    expect(kolkata.rows).toEqual([
      [Date.parse("2026-12-01T18:30:00Z"), Date.parse("2026-12-01T19:00:00Z")],
      [Date.parse("2026-12-02T18:00:00Z"), Date.parse("2026-12-02T18:30:00Z")],
    ]);
  });

  it("floor buckets before 1970 and start weeks on Monday 00:00 UTC", () => {
    expect(bucketOf(-1, HOUR)).toBe(-HOUR.width);
    expect(new Date(bucketOf(Date.parse("2026-12-06T23:59:59Z"), WEEK)).toISOString()).toBe(
      "2026-11-30T00:00:00.000Z",
    );
    expect(new Date(bucketOf(Date.parse("1969-12-31T12:00:00Z"), WEEK)).toISOString()).toBe(
      "1969-12-29T00:00:00.000Z",
    );
  });
});
