import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { bootstrapAdmin } from "../../src/bootstrap.ts";
import { findActiveKeyBySecret } from "../../src/db/keys.ts";
import { assertConsecutive, migrations } from "../../src/db/migrations.ts";
import { migrate, openDatabase } from "../../src/db/open.ts";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "modqc-test-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("database", () => {
  it("openDatabase creates the file in WAL mode with foreign keys on and the schema current", () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, "nested"));
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(db.pragma("user_version", { simple: true })).toBe(migrations.length);
    db.close();
    expect(statSync(join(dir, "nested", "modqc.sqlite")).isFile()).toBe(true);
  });

  it("migrate is idempotent and every table is STRICT", () => {
    const db = openDatabase(":memory:");
    migrate(db);
    expect(db.pragma("user_version", { simple: true })).toBe(migrations.length);
    const tables = db
      .prepare(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'",
      )
      .all() as { name: string; strict: number }[];
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables)
      expect({ table: table.name, strict: table.strict }).toEqual({ table: table.name, strict: 1 });
  });

  it("migrations carry consecutive version numbers from 1, and a gap or repeat is refused", () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(() => assertConsecutive(migrations)).not.toThrow();
    const gap = [migrations[0], { ...migrations[1], version: 3 }];
    expect(() => assertConsecutive(gap)).toThrow(/consecutive/);
  });

  it("migration 6 rebuilds audits keeping every row, its seq, the indexes and the value checks", () => {
    const db = new Database(":memory:");
    for (const { version, sql } of migrations.slice(0, 5)) {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    }
    const insert = db.prepare(`INSERT INTO audits (seq, id, decision_id, queue, moderator, auditor, outcome,
      error_type, audited_at, audited_ms, notes, ingested_at) VALUES (?, ?, 'd', 'q', 'm', 'a', ?, ?, 't', 0, ?, 0)`);
    insert.run(3, "a-3", "correct", null, "검수 메모");
    insert.run(10, "a-10", "incorrect", "wrong-policy", null);
    migrate(db);
    expect(db.prepare("SELECT seq, id, error_type, notes FROM audits ORDER BY seq").all()).toEqual([
      { seq: 3, id: "a-3", error_type: null, notes: "검수 메모" },
      { seq: 10, id: "a-10", error_type: "wrong-policy", notes: null },
    ]);
    const indexes = db.prepare("SELECT name FROM pragma_index_list('audits') ORDER BY name").pluck().all();
    expect(indexes).toEqual([
      "audits_by_auditor",
      "audits_by_decision",
      "audits_by_moderator",
      "audits_by_queue",
      "audits_by_sample",
      "audits_by_time",
      "sqlite_autoindex_audits_1",
    ]);
    expect(() => insert.run(11, "a-11", "maybe", null, null)).toThrow(/CHECK constraint/);
    expect(() => insert.run(12, "a-12", "incorrect", "typo", null)).toThrow(/CHECK constraint/);
    expect(() => insert.run(13, "a-13", "correct", "other", null)).toThrow(/CHECK constraint/);
    expect(() => insert.run(14, "a-3", "correct", null, null)).toThrow(/UNIQUE constraint/);
  });

  it("migrate refuses a database from a newer modqc", () => {
    const db = new Database(":memory:");
    db.pragma(`user_version = ${migrations.length + 1}`);
    expect(() => migrate(db)).toThrow(/newer than this modqc/);
  });

  it("bootstrapAdmin writes a generated key to admin.key with mode 0600, once", () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const first = bootstrapAdmin(db, dir, undefined);
    expect(first.created).toBe(true);
    if (first.created && first.source === "generated") {
      expect(readFileSync(first.file, "utf8").trim()).toBe(first.key);
      expect(statSync(first.file).mode & 0o777).toBe(0o600);
      expect(findActiveKeyBySecret(db, first.key)?.role).toBe("admin");
    }
    expect(bootstrapAdmin(db, dir, undefined)).toEqual({ created: false });
  });

  it("bootstrapAdmin installs MODQC_ADMIN_KEY when there is no admin", () => {
    const db = openDatabase(":memory:");
    expect(bootstrapAdmin(db, "/nonexistent", "my-chosen-admin-key")).toEqual({
      created: true,
      source: "environment",
    });
    expect(findActiveKeyBySecret(db, "my-chosen-admin-key")?.role).toBe("admin");
  });
});
