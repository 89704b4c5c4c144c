import { describe, expect, it } from "vitest";
import type { Db } from "../../src/db/database.ts";
import { groupCommit } from "../../src/db/group-commit.ts";
import { openTestDatabase } from "../database.ts";

async function database(): Promise<Db> {
  const db = await openTestDatabase();
  await db.run("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)");
  return db;
}
const values = async (db: Db) => (await db.values<[number]>("SELECT v FROM t ORDER BY v")).map(([v]) => v);
const insert = (v: number) => (tx: Db) => tx.run("INSERT INTO t VALUES (?)", [v]);

describe("groupCommit", () => {
  it("runs jobs submitted in one turn in a single transaction and settles them after it commits", async () => {
    const db = await database();
    const write = groupCommit(db);
    let committedWhenFirstSettled: number[] | undefined;
    const jobs = [1, 2, 3].map((v) =>
      write(async (tx) => {
        await insert(v)(tx);
        return v * 10;
      }),
    );
    void jobs[0].then(async () => {
      committedWhenFirstSettled = await values(db);
    });
    expect(await Promise.all(jobs)).toEqual([10, 20, 30]);
    expect(await values(db)).toEqual([1, 2, 3]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(committedWhenFirstSettled).toEqual([1, 2, 3]);
    await db.close();
  });

  it("a job that throws rolls back alone; the others in its group commit", async () => {
    const db = await database();
    const write = groupCommit(db);
    const outcomes = await Promise.allSettled([
      write(insert(1)),
      write(async (tx) => {
        await insert(2)(tx);
        await insert(1)(tx); // unique violation after a write: all of it undone
      }),
      write(insert(3)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await values(db)).toEqual([1, 3]);
    await db.close();
  });

  it("later jobs see the writes of earlier ones in the same group, as if run one after another", async () => {
    const db = await database();
    const write = groupCommit(db);
    const [, second] = await Promise.all([
      write(insert(7)),
      write(async (tx) => (await tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM t"))!.n),
    ]);
    expect(second).toBe(1);
    await db.close();
  });

  it("jobs of one group share its commit: when the commit fails, every job rejects and nothing is stored", async () => {
    const db = await database();
    await db.run("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
    await db.run("CREATE TABLE child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
    const write = groupCommit(db);
    const outcomes = await Promise.allSettled([
      write(insert(1)),
      // A deferred foreign key is checked only at COMMIT, after this job's savepoint was released.
      write((tx) => tx.run("INSERT INTO child VALUES (99)")),
      write(insert(3)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(await values(db)).toEqual([]);
    await db.close();
  });

  it("a job submitted after a group was flushed goes into the next transaction", async () => {
    const db = await database();
    const write = groupCommit(db);
    await write(insert(1));
    await write(insert(2));
    expect(await values(db)).toEqual([1, 2]);
    await db.close();
  });
});

describe("transactions", () => {
  it("a read outside a transaction never sees what the transaction has not committed", async () => {
    const db = await database();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = db.transaction(async (tx) => {
      await insert(1)(tx);
      await held;
      throw new Error("rolled back");
    });
    const read = values(db);
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await expect(transaction).rejects.toThrow("rolled back");
    expect(await read).toEqual([]);
    await db.close();
  });

  it("transactions on one database take turns and each sees the others' commits", async () => {
    const db = await database();
    const add = () =>
      db.transaction(async (tx) => {
        const n = (await tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM t"))!.n;
        await new Promise((resolve) => setTimeout(resolve, 1));
        await insert(n + 1)(tx);
      });
    await Promise.all(Array.from({ length: 10 }, add));
    expect(await values(db)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await db.close();
  });
});
