import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Spool, spoolDirectory } from "../../src/audits/ingest.ts";
import { removeLeftoverSpoolFiles, SPOOL_FILE_NAME } from "../../src/audits/spool-files.ts";
import { startChildServer } from "../child-server.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "modqc-spool-"));
  dirs.push(dir);
  return dir;
}

/** A body past the 8 MiB memory spool, so the Spool writes a temp file. */
async function* bigBody(): AsyncGenerator<Uint8Array> {
  const chunk = new Uint8Array(1024 * 1024).fill(0x20);
  for (let i = 0; i < 9; i++) yield chunk;
}

/** What an interrupted upload leaves behind, next to files that are not ours. */
function leftovers(dir: string) {
  const tmp = spoolDirectory(dir);
  mkdirSync(tmp, { recursive: true });
  const ours = [`upload-${randomUUID()}.tmp`, `upload-${randomUUID()}.tmp`];
  for (const name of ours) writeFileSync(join(tmp, name), "half a body");
  const others = [
    "notes.txt",
    "upload-.tmp",
    "upload-not-a-uuid.tmp",
    `upload-${randomUUID()}.tmp.bak`,
    `x-upload-${randomUUID()}.tmp`,
    `upload-${randomUUID().toUpperCase()}.tmp`,
  ];
  for (const name of others) writeFileSync(join(tmp, name), "keep me");
  // A directory and a symbolic link named like a spool file are not files the spool made.
  const directory = `upload-${randomUUID()}.tmp`;
  mkdirSync(join(tmp, directory));
  const target = join(dir, "elsewhere.txt");
  writeFileSync(target, "keep me too");
  const link = `upload-${randomUUID()}.tmp`;
  symlinkSync(target, join(tmp, link));
  return { tmp, ours, kept: [...others, directory, link].sort(), target };
}

describe("spool files of interrupted uploads", () => {
  it("the name pattern is the one a real Spool gives its temp file", async () => {
    const dir = dataDir();
    const spool = await Spool.fromStream(bigBody(), spoolDirectory(dir), 1024 ** 3);
    try {
      const files = readdirSync(spoolDirectory(dir));
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(SPOOL_FILE_NAME);
    } finally {
      spool.dispose();
    }
    expect(readdirSync(spoolDirectory(dir))).toEqual([]);
  });

  it("removeLeftoverSpoolFiles removes only regular files named like a spool file", () => {
    const dir = dataDir();
    const { tmp, ours, kept, target } = leftovers(dir);
    expect(removeLeftoverSpoolFiles(dir).sort()).toEqual([...ours].sort());
    expect(readdirSync(tmp).sort()).toEqual(kept);
    expect(existsSync(target)).toBe(true);
    expect(removeLeftoverSpoolFiles(dir)).toEqual([]);
  });

  it("a data directory without a tmp folder, or :memory:, is fine", () => {
    expect(removeLeftoverSpoolFiles(dataDir())).toEqual([]);
    expect(removeLeftoverSpoolFiles(":memory:")).toEqual([]);
  });

  it("the service removes them when it starts", async () => {
    const dir = dataDir();
    const { tmp, ours, kept } = leftovers(dir);
    const server = await startChildServer({ MODQC_DATA_DIR: dir });
    try {
      const names = readdirSync(tmp);
      for (const name of ours) expect(names).not.toContain(name);
      expect(names.sort()).toEqual(kept);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
