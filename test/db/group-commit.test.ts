import { describe, expect, it } from "vitest";
import { groupCommit } from "../../src/db/group-commit.ts";
import { openDatabase } from "../../src/db/open.ts";

function database() {
  const db = openDatabase(":memory:");
  db.exec("CREATE TABLE t (v INTEGER NOT NULL UNIQUE) STRICT");
  return db;
}
const values = (db: ReturnType<typeof database>) =>
  db.prepare("SELECT v FROM t ORDER BY v").pluck().all() as number[];

describe("groupCommit", () => {
  it("runs jobs submitted in one turn in a single transaction and settles them after it commits", async () => {
    const db = database();
    const inTransaction: boolean[] = [];
    const write = groupCommit(db);
    const results = await Promise.all(
      [1, 2, 3].map((v) =>
        write(() => {
          inTransaction.push(db.inTransaction);
          db.prepare("INSERT INTO t VALUES (?)").run(v);
          return v * 10;
        }),
      ),
    );
    expect(results).toEqual([10, 20, 30]);
    expect(inTransaction).toEqual([true, true, true]);
    expect(db.inTransaction).toBe(false);
    expect(values(db)).toEqual([1, 2, 3]);
  });

  it("a job that throws rolls back alone; the others in its group commit", async () => {
    const db = database();
    const write = groupCommit(db);
    const outcomes = await Promise.allSettled([
      write(() => db.prepare("INSERT INTO t VALUES (1)").run()),
      write(() => {
        db.prepare("INSERT INTO t VALUES (2)").run();
        db.prepare("INSERT INTO t VALUES (1)").run(); // unique violation after a write: all of it undone
      }),
      write(() => db.prepare("INSERT INTO t VALUES (3)").run()),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(values(db)).toEqual([1, 3]);
  });

  it("later jobs see the writes of earlier ones in the same group, as if run one after another", async () => {
    const db = database();
    const write = groupCommit(db);
    const [, second] = await Promise.all([
      write(() => db.prepare("INSERT INTO t VALUES (7)").run()),
      write(() => db.prepare("SELECT COUNT(*) FROM t").pluck().get()),
    ]);
    expect(second).toBe(1);
  });

  it("jobs of one group share its commit: when the commit fails, every job rejects and nothing is stored", async () => {
    const db = database();
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY) STRICT;
      CREATE TABLE child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED) STRICT`);
    const write = groupCommit(db);
    const outcomes = await Promise.allSettled([
      write(() => db.prepare("INSERT INTO t VALUES (1)").run()),
      // A deferred foreign key is checked only at COMMIT, after this job's savepoint was released.
      write(() => db.prepare("INSERT INTO child VALUES (99)").run()),
      write(() => db.prepare("INSERT INTO t VALUES (3)").run()),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(values(db)).toEqual([]);
    expect(db.inTransaction).toBe(false);
  });

  it("a job submitted after a group was flushed goes into the next transaction", async () => {
    const db = database();
    const write = groupCommit(db);
    await write(() => db.prepare("INSERT INTO t VALUES (1)").run());
    await write(() => db.prepare("INSERT INTO t VALUES (2)").run());
    expect(values(db)).toEqual([1, 2]);
  });
});
