import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { bootstrapAdmin } from "../../src/bootstrap.ts";
import { findActiveKeyBySecret } from "../../src/db/keys.ts";
import { assertConsecutive, migrations } from "../../src/db/migrations.ts";
import { migrate, openDatabase, schemaVersion } from "../../src/db/open.ts";
import { SqliteDb, sqliteConnection } from "../../src/db/sqlite.ts";
import { checkRollups, compactRollups, mismatchedDays, rebuildRollups } from "../../src/rollups/rebuild.ts";
import { onPostgres, openTestDatabase, testSchemaUrl } from "../database.ts";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "modqc-test-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A SQLite database at schema version `version`, without the later migrations. */
function sqliteAt(version: number): SqliteDb {
  const connection = new Database(":memory:");
  for (const migration of migrations.slice(0, version)) {
    connection.exec(migration.sqlite);
    connection.pragma(`user_version = ${migration.version}`);
  }
  return new SqliteDb(connection, { dialect: "sqlite", file: ":memory:", synchronous: "NORMAL" });
}

describe("migrations (both backends)", () => {
  it("carry consecutive version numbers from 1, and a gap or repeat is refused", () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(() => assertConsecutive(migrations)).not.toThrow();
    const gap = [migrations[0], { ...migrations[1], version: 3 }];
    expect(() => assertConsecutive(gap)).toThrow(/consecutive/);
  });

  it("bring a new database to the current version, and running them again changes nothing", async () => {
    const db = await openTestDatabase();
    expect(await schemaVersion(db)).toBe(migrations.length);
    await migrate(db);
    expect(await schemaVersion(db)).toBe(migrations.length);
    await db.close();
  });

  it("bootstrapAdmin run by instances starting together installs one admin key", async () => {
    const db = await openTestDatabase();
    const results = await Promise.all([1, 2, 3].map(() => bootstrapAdmin(db, "/nonexistent", "shared-key")));
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(await db.all("SELECT id FROM api_keys")).toHaveLength(1);
    await db.close();
  });

  it("bootstrapAdmin writes a generated key into the data directory, creating it (PostgreSQL needs no file)", async () => {
    const dir = join(tempDir(), "not-yet");
    const db = await openTestDatabase();
    const created = await bootstrapAdmin(db, dir, undefined);
    expect(created).toMatchObject({ created: true, source: "generated", file: join(dir, "admin.key") });
    if (created.created && created.source === "generated") {
      expect(readFileSync(created.file, "utf8").trim()).toBe(created.key);
      expect((await findActiveKeyBySecret(db, created.key))?.role).toBe("admin");
    }
    await db.close();
  });

  it("bootstrapAdmin installs MODQC_ADMIN_KEY when there is no admin", async () => {
    const db = await openTestDatabase();
    expect(await bootstrapAdmin(db, "/nonexistent", "my-chosen-admin-key")).toEqual({
      created: true,
      source: "environment",
    });
    expect((await findActiveKeyBySecret(db, "my-chosen-admin-key"))?.role).toBe("admin");
    await db.close();
  });
});

describe.skipIf(onPostgres)(
  "SQLite storage (SQLite only: the file, its pragmas and its table options)",
  () => {
    it("openDatabase creates the file in WAL mode with foreign keys on and the schema current", async () => {
      const dir = tempDir();
      const db = await openDatabase({ dataDir: join(dir, "nested") });
      const connection = sqliteConnection(db)!;
      expect(connection.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(connection.pragma("foreign_keys", { simple: true })).toBe(1);
      expect(connection.pragma("busy_timeout", { simple: true })).toBe(5000);
      expect(connection.pragma("user_version", { simple: true })).toBe(migrations.length);
      await db.close();
      expect(statSync(join(dir, "nested", "modqc.sqlite")).isFile()).toBe(true);
    });

    it("every table is STRICT", async () => {
      const db = await openDatabase({ dataDir: ":memory:" });
      const tables = await db.all<{ name: string; strict: number }>(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'",
      );
      expect(tables.length).toBeGreaterThan(0);
      for (const table of tables)
        expect({ table: table.name, strict: table.strict }).toEqual({ table: table.name, strict: 1 });
    });

    it("migration 6 rebuilds audits keeping every row, its seq, the indexes and the value checks", async () => {
      const db = sqliteAt(5);
      const insert =
        db.connection.prepare(`INSERT INTO audits (seq, id, decision_id, queue, moderator, auditor,
      outcome, error_type, audited_at, audited_ms, notes, ingested_at)
      VALUES (?, ?, 'd', 'q', 'm', 'a', ?, ?, 't', 0, ?, 0)`);
      insert.run(3, "a-3", "correct", null, "검수 메모");
      insert.run(10, "a-10", "incorrect", "wrong-policy", null);
      await migrate(db);
      expect(await db.all("SELECT seq, id, error_type, notes FROM audits ORDER BY seq")).toEqual([
        { seq: 3, id: "a-3", error_type: null, notes: "검수 메모" },
        { seq: 10, id: "a-10", error_type: "wrong-policy", notes: null },
      ]);
      const indexes = await db.values("SELECT name FROM pragma_index_list('audits') ORDER BY name");
      expect(indexes.flat()).toEqual([
        "audits_by_auditor",
        "audits_by_decision",
        "audits_by_moderator",
        "audits_by_queue",
        "audits_by_sample_item",
        "audits_by_time",
        "sqlite_autoindex_audits_1",
      ]);
      expect(() => insert.run(11, "a-11", "maybe", null, null)).toThrow(/CHECK constraint/);
      expect(() => insert.run(12, "a-12", "incorrect", "typo", null)).toThrow(/CHECK constraint/);
      expect(() => insert.run(13, "a-13", "correct", "other", null)).toThrow(/CHECK constraint/);
      expect(() => insert.run(14, "a-3", "correct", null, null)).toThrow(/UNIQUE constraint/);
    });

    it("migration 11 adds empty rollups below the audits stored before, which the compactor then rolls up; the check rebuilds damaged ones", async () => {
      const db = sqliteAt(10);
      const insert =
        db.connection.prepare(`INSERT INTO audits (id, decision_id, queue, moderator, auditor, outcome,
        error_type, market, audited_at, audited_ms, ingested_at) VALUES (?, 'd', 'hate', 'm', 'a', ?, ?, ?, 't', ?, 0)`);
      insert.run("a-1", "correct", null, "KR", Date.parse("2026-12-01T10:00:00Z"));
      insert.run("a-2", "incorrect", "other", null, Date.parse("2026-12-02T10:00:00Z"));
      await migrate(db);
      const logged: string[] = [];
      const logger = { info: (m: string) => logged.push(m), error: (m: string) => logged.push(m) };
      const runner = {
        extent: async () =>
          [Date.parse("2026-12-01T10:00:00Z"), Date.parse("2026-12-02T10:00:00Z")] as [number, number],
        check: (range: { fromMs: number; toMs: number }) => mismatchedDays(db, range),
        rebuild: () => rebuildRollups(db),
      };
      await checkRollups(runner, logger);
      expect(logged).toEqual(["rollups match the audits"]);
      expect(await compactRollups(db)).toBe(2);
      expect(await mismatchedDays(db)).toEqual([]);
      const byMarket =
        "SELECT market, SUM(n), SUM(errors) FROM audit_rollups WHERE cuboid = 2 AND width = ? GROUP BY market";
      expect(await db.values(byMarket, [86_400_000])).toEqual([
        ["", 1, 1],
        ["~KR", 1, 0],
      ]);
      await db.run("UPDATE audit_rollups SET n = 5 WHERE cuboid = 0 AND bucket = ?", [
        Date.parse("2026-12-02T00:00:00Z"),
      ]);
      expect(await mismatchedDays(db)).toEqual([{ day: "2026-12-02", audits: 1, rollups: 5 }]);
      await checkRollups(runner, logger);
      expect(logged.slice(1)).toEqual([
        "rollups differ from the audits: rebuilding them",
        "rebuilt the rollups",
      ]);
      expect(await mismatchedDays(db)).toEqual([]);
    });

    it("migration 9 names the samples drawn before it after their population and creation date", async () => {
      const db = sqliteAt(8);
      const population =
        db.connection.prepare(`INSERT INTO populations (id, name, row_count, first_seq, last_seq,
        attributes, extras, created_at) VALUES (?, ?, 1, ?, ?, '[]', '[]', '2026-12-01T00:00:00.000Z')`);
      population.run("p-named", "증오 KR", 1, 1);
      population.run("p-anonymous", null, 2, 2);
      const sample =
        db.connection.prepare(`INSERT INTO samples (id, population_id, seed, plan, strata_attributes,
        n, strata, notes, created_at) VALUES (?, ?, 's', '{}', '[]', 0, '[]', '[]', ?)`);
      sample.run("s-1", "p-named", "2026-12-06T23:59:59.000Z");
      sample.run("s-2", "p-anonymous", "2026-12-07T01:00:00.000Z");
      await migrate(db);
      expect(await db.all("SELECT id, name FROM samples ORDER BY id")).toEqual([
        { id: "s-1", name: "증오 KR 2026-12-06" },
        { id: "s-2", name: "p-anonymous 2026-12-07" },
      ]);
    });

    it("migration 12 leaves the items drawn before it drawn (gold_id NULL) and holds a gold once per sample", async () => {
      const db = sqliteAt(11);
      db.connection.exec(`INSERT INTO populations (id, name, row_count, first_seq, last_seq, attributes, extras,
        created_at) VALUES ('p', NULL, 1, 1, 1, '[]', '[]', 't');
        INSERT INTO samples (id, name, population_id, seed, plan, strata_attributes, n, strata, notes, created_at)
        VALUES ('s', 's', 'p', 's', '{}', '[]', 1, '[]', '[]', 't');
        INSERT INTO sample_items (sample_id, position, decision_id, decision_seq, stratum, rank, priority)
        VALUES ('s', 0, 'd-1', 1, 'all', 1, '0123456789abcdef');`);
      await migrate(db);
      expect(await db.all("SELECT decision_id, gold_id FROM sample_items")).toEqual([
        { decision_id: "d-1", gold_id: null },
      ]);
      await db.run(`INSERT INTO gold_items (id, decision_id, queue, moderator, outcome, error_type, source,
        created_at, created_ms) VALUES ('g-1', 'gd-1', 'q', 'm', 'incorrect', 'other', 'manual', 't', 0)`);
      const slot = (position: number, decisionId: string) =>
        db.run(
          `INSERT INTO sample_items (sample_id, position, decision_id, decision_seq, stratum, rank, priority,
          gold_id) VALUES ('s', ?, ?, 0, 'all', 0, '0123456789abcdef', 'g-1')`,
          [position, decisionId],
        );
      await slot(1, "gd-1");
      await expect(slot(2, "gd-2")).rejects.toThrow(/UNIQUE/);
      // An incorrect answer needs its error type; one active gold per decision id.
      await expect(
        db.run(`INSERT INTO gold_items (id, decision_id, queue, moderator, outcome, source, created_at, created_ms)
          VALUES ('g-2', 'gd-2', 'q', 'm', 'incorrect', 'manual', 't', 0)`),
      ).rejects.toThrow(/CHECK/);
      await expect(
        db.run(`INSERT INTO gold_items (id, decision_id, queue, moderator, outcome, source, created_at, created_ms)
          VALUES ('g-3', 'gd-1', 'q', 'm', 'correct', 'manual', 't', 0)`),
      ).rejects.toThrow(/UNIQUE/);
    });

    it("migration 13 keeps every alert rule and its index, and lets a rule be of kind auditor-accuracy", async () => {
      const db = sqliteAt(12);
      const insert = (id: string, kind: string) =>
        db.run(
          `INSERT INTO alert_rules (id, name, kind, scope, group_by, condition, severity, pending_evaluations,
            keep_firing_evaluations, enabled, created_ms, updated_ms)
           VALUES (?, ?, ?, '{}', '[]', '{}', 'warning', 1, 1, 1, 5, 6)`,
          [id, `rule ${id}`, kind],
        );
      await insert("r-1", "threshold");
      await expect(insert("r-x", "auditor-accuracy")).rejects.toThrow(/CHECK/);
      await migrate(db);
      expect(await db.all("SELECT id, kind, created_ms FROM alert_rules")).toEqual([
        { id: "r-1", kind: "threshold", created_ms: 5 },
      ]);
      await insert("r-2", "auditor-accuracy");
      await expect(insert("r-3", "other")).rejects.toThrow(/CHECK/);
      const indexes = await db.all<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE tbl_name = 'alert_rules' AND type = 'index' AND sql IS NOT NULL",
      );
      expect(indexes.map((i) => i.name)).toEqual(["alert_rules_by_kind"]);
    });

    it("migrate refuses a database from a newer modqc", async () => {
      const db = sqliteAt(0);
      db.connection.pragma(`user_version = ${migrations.length + 1}`);
      await expect(migrate(db)).rejects.toThrow(/newer than this modqc/);
    });

    it("bootstrapAdmin writes a generated key to admin.key with mode 0600, once", async () => {
      const dir = tempDir();
      const db = await openDatabase({ dataDir: dir });
      const first = await bootstrapAdmin(db, dir, undefined);
      expect(first.created).toBe(true);
      if (first.created && first.source === "generated") {
        expect(readFileSync(first.file, "utf8").trim()).toBe(first.key);
        expect(statSync(first.file).mode & 0o777).toBe(0o600);
        expect((await findActiveKeyBySecret(db, first.key))?.role).toBe("admin");
      }
      expect(await bootstrapAdmin(db, dir, undefined)).toEqual({ created: false });
      await db.close();
    });
  },
);

describe.skipIf(!onPostgres)(
  "PostgreSQL storage (PostgreSQL only: its schema version, locks and collation)",
  () => {
    it("instances that start together migrate one after the other and end at the same version", async () => {
      const url = await testSchemaUrl();
      const dbs = await Promise.all(
        [1, 2, 3].map(() => openDatabase({ dataDir: ":memory:", databaseUrl: url })),
      );
      for (const db of dbs) expect(await schemaVersion(db)).toBe(migrations.length);
      expect(await dbs[0].all("SELECT version FROM modqc_schema")).toEqual([{ version: migrations.length }]);
      await Promise.all(dbs.map((db) => db.close()));
    });

    it("migrate refuses a database from a newer modqc", async () => {
      const db = await openTestDatabase();
      await db.run("UPDATE modqc_schema SET version = ?", [migrations.length + 1]);
      await expect(migrate(db)).rejects.toThrow(/newer than this modqc/);
      await db.close();
    });

    it("migration 9's update names samples drawn before it after their population and creation date", async () => {
      const db = await openTestDatabase();
      await db.run(`INSERT INTO populations (id, name, row_count, first_seq, last_seq, attributes, extras, created_at)
        VALUES ('p-named', '증오 KR', 1, 1, 1, '[]', '[]', 't'), ('p-anonymous', NULL, 1, 2, 2, '[]', '[]', 't')`);
      await db.run(`INSERT INTO samples (id, population_id, seed, plan, strata_attributes, n, strata, notes, created_at)
        VALUES ('s-1', 'p-named', 's', '{}', '[]', 0, '[]', '[]', '2026-12-06T23:59:59.000Z'),
          ('s-2', 'p-anonymous', 's', '{}', '[]', 0, '[]', '[]', '2026-12-07T01:00:00.000Z')`);
      const update = migrations[8].postgres.split(";").find((statement) => statement.includes("UPDATE"))!;
      await db.run(update);
      expect(await db.all("SELECT id, name FROM samples ORDER BY id")).toEqual([
        { id: "s-1", name: "증오 KR 2026-12-06" },
        { id: "s-2", name: "p-anonymous 2026-12-07" },
      ]);
      await db.close();
    });

    it("has the tables and columns of the SQLite schema, every text column collating bytewise", async () => {
      const db = await openTestDatabase();
      const sqlite = await openDatabase({ dataDir: ":memory:" });
      const sqliteColumns = await sqlite.values<[string, string]>(
        `SELECT t.name, c.name FROM pragma_table_list t, pragma_table_info(t.name) c
       WHERE t.schema = 'main' AND t.name NOT LIKE 'sqlite_%' ORDER BY 1, 2`,
      );
      const postgresColumns = await db.values<[string, string]>(
        `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name <> 'modqc_schema' ORDER BY 1, 2`,
      );
      expect(postgresColumns).toEqual(sqliteColumns);
      const notBytewise = await db.values(
        `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND data_type = 'text' AND collation_name IS DISTINCT FROM 'C'`,
      );
      expect(notBytewise).toEqual([]);
      expect(
        await db.values("SELECT x FROM (VALUES ('b'), ('B'), ('가'), ('a')) v(x) ORDER BY x COLLATE \"C\""),
      ).toEqual(await sqlite.values("SELECT column1 FROM (VALUES ('b'), ('B'), ('가'), ('a')) ORDER BY 1"));
      await Promise.all([db.close(), sqlite.close()]);
    });
  },
);
