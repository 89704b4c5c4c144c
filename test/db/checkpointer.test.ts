import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Checkpointer } from "../../src/db/checkpointer.ts";
import { openDatabase } from "../../src/db/open.ts";
import { sqliteConnection } from "../../src/db/sqlite.ts";
import type { Logger } from "../../src/logger.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const silent: Logger = { info: () => {}, error: () => {} };

describe("Checkpointer (SQLite only: PostgreSQL checkpoints itself)", () => {
  it("commits no longer checkpoint; the worker copies committed pages into the database file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "modqc-test-"));
    dirs.push(dir);
    const db = await openDatabase({ dataDir: dir });
    const connection = sqliteConnection(db)!;
    const checkpointer = Checkpointer.start(db, silent)!;
    expect(connection.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    const file = join(dir, "modqc.sqlite");
    const before = statSync(file).size;
    connection.exec("CREATE TABLE filler (x BLOB NOT NULL) STRICT");
    const insert = connection.prepare("INSERT INTO filler VALUES (randomblob(4000))");
    connection
      .transaction(() => {
        for (let i = 0; i < 2000; i++) insert.run(); // ~8 MB: well past the 1,000-page autocheckpoint
      })
      .immediate();
    const deadline = Date.now() + 5000;
    const copied = () => statSync(file).size > before + 7_000_000;
    while (!copied() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(copied()).toBe(true);
    await checkpointer.stop();
    expect(connection.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    await db.close();
  });

  it("does nothing for an in-memory database", async () => {
    const db = await openDatabase({ dataDir: ":memory:" });
    expect(Checkpointer.start(db, silent)).toBeUndefined();
  });
});
