import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  closeCalibration,
  createCalibration,
  getCalibration,
  type Label,
  listCalibrations,
  listItems,
  raterLabels,
  ratingsMatrix,
  writeRatings,
} from "../../src/db/calibrations.ts";
import type { Db } from "../../src/db/database.ts";
import { openTestDatabase } from "../database.ts";

/**
 * The calibration store on the backend under test (SQLite, or PostgreSQL with MODQC_TEST_DATABASE_URL): bulk
 * writes larger than one multi-row statement, labels kept byte for byte, session order in every read.
 */

let db: Db;
beforeEach(async () => {
  db = await openTestDatabase();
});
afterEach(async () => {
  await db.close();
});

const CATEGORIES: Label[] = [1, "1", "혐오 표현", "혐오 표현".normalize("NFD"), 'a "quoted",\\ label\n'];

/** Item ids whose session order is not their bytewise order. */
const itemIds = (n: number) => Array.from({ length: n }, (_, i) => `${n - i}-항목`);

function session(items: number, raters = ["alice", "bob", "carol"]) {
  return createCalibration(db, {
    name: "bulk",
    categories: CATEGORIES,
    level: "nominal",
    items: itemIds(items).map((id, i) => ({
      id,
      gold: i % 4 === 0 ? null : CATEGORIES[i % CATEGORIES.length],
    })),
    raters,
    createdBy: null,
  });
}

describe("calibration store", () => {
  it("writes and clears more ratings than one statement holds, all or nothing, labels byte for byte", async () => {
    const items = itemIds(1_234);
    const created = await session(items.length);
    expect(created).toMatchObject({ items: 1_234, goldItems: 925, labelled: 0, expected: 3 * 1_234 });
    const { id } = created;
    const labelOf = (i: number, j: number) => CATEGORIES[(i + j) % CATEGORIES.length];
    const writes = ["alice", "bob"].flatMap((rater, j) =>
      items.map((item, i) => ({ rater, item, label: labelOf(i, j) })),
    );
    const result = await writeRatings(db, id, writes, "key-1", ["bob", "alice"]);
    expect(result).toEqual({
      written: 2_468,
      cleared: 0,
      progress: [
        { rater: "bob", labelled: 1_234, remaining: 0 },
        { rater: "alice", labelled: 1_234, remaining: 0 },
      ],
    });
    const stored = await db.all<{ label: string }>(
      "SELECT label FROM calibration_ratings WHERE calibration_id = ? AND rater = ? AND item_id = ?",
      [id, "alice", items[3]],
    );
    expect(stored).toEqual([{ label: JSON.stringify(labelOf(3, 0)) }]);

    // Re-sent and changed labels count as written; clearing 700 of bob's (and 600 carol never gave) removes 700.
    const again = await writeRatings(
      db,
      id,
      [
        ...items.slice(0, 10).map((item) => ({ rater: "alice", item, label: "1" as Label })),
        ...items.slice(0, 700).map((item) => ({ rater: "bob", item, label: null })),
        ...items.slice(0, 600).map((item) => ({ rater: "carol", item, label: null })),
      ],
      "key-2",
      ["alice", "bob", "carol"],
    );
    expect(again).toMatchObject({ written: 10, cleared: 700 });
    expect((await getCalibration(db, id))!.progress).toEqual([
      { rater: "alice", labelled: 1_234, remaining: 0 },
      { rater: "bob", labelled: 534, remaining: 700 },
      { rater: "carol", labelled: 0, remaining: 1_234 },
    ]);

    const alice = await raterLabels(db, id, "alice");
    expect(alice.map((entry) => entry.item)).toEqual(items);
    expect(alice.slice(0, 12).map((entry) => entry.label)).toEqual([
      ...Array.from({ length: 10 }, () => "1"),
      labelOf(10, 0),
      labelOf(11, 0),
    ]);

    expect(await closeCalibration(db, id)).toMatchObject({ status: "closed", labelled: 1_768 });
    const matrix = await ratingsMatrix(db, id);
    expect(matrix.raters).toEqual(["alice", "bob", "carol"]);
    expect(matrix.items.map((item) => item.id)).toEqual(items);
    expect(matrix.items.slice(0, 3).map((item) => item.gold)).toEqual([null, CATEGORIES[1], CATEGORIES[2]]);
    expect(matrix.ratings).toEqual(
      items.map((_, i) => [i < 10 ? "1" : labelOf(i, 0), i < 700 ? null : labelOf(i, 1), null]),
    );
    // Types and code points survive: the number 1 and the string "1", NFC and NFD spellings are all distinct.
    expect(new Set(matrix.ratings.flat().filter((label) => label !== null))).toEqual(new Set(CATEGORIES));
  });

  it("refuses writes to a missing or closed session and changes nothing", async () => {
    const { id } = await session(3);
    const [first] = await listItems(db, id);
    const write = [{ rater: "alice", item: first.id, label: 1 as Label }];
    expect(await writeRatings(db, "nope", write, null, ["alice"])).toBe("not_found");
    expect(await closeCalibration(db, id)).toMatchObject({ status: "closed" });
    expect(await writeRatings(db, id, write, null, ["alice"])).toBe("closed");
    expect(await closeCalibration(db, id)).toBe("already_closed");
    expect(await closeCalibration(db, "nope")).toBe("not_found");
    expect((await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM calibration_ratings"))!.n).toBe(0);
  });

  it("a write racing a close either lands before it (and is counted) or is refused", async () => {
    for (let round = 0; round < 5; round++) {
      const { id } = await session(600);
      const items = await listItems(db, id);
      const writes = items.map((item) => ({ rater: "alice", item: item.id, label: "1" as Label }));
      const [written, closed] = await Promise.all([
        writeRatings(db, id, writes, null, ["alice"]),
        closeCalibration(db, id),
      ]);
      if (closed === "not_found" || closed === "already_closed") throw new Error(closed);
      const stored = (await db.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM calibration_ratings WHERE calibration_id = ?",
        [id],
      ))!.n;
      expect(closed.labelled).toBe(stored);
      expect(stored).toBe(written === "closed" ? 0 : 600);
    }
  });

  it("lists sessions, filtered by status", async () => {
    const first = await session(2);
    const second = await session(2);
    await closeCalibration(db, first.id);
    const all = await listCalibrations(db);
    expect(new Set(all.map((entry) => entry.id))).toEqual(new Set([first.id, second.id]));
    expect((await listCalibrations(db, "closed")).map((entry) => entry.id)).toEqual([first.id]);
    expect((await listCalibrations(db, "open")).map((entry) => entry.id)).toEqual([second.id]);
  });
});
