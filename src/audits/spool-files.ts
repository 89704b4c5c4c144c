import { lstatSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { spoolDirectory } from "./ingest.ts";

/**
 * The name `Spool` gives the temp file of a body past 8 MiB: `upload-<uuid>.tmp`
 * (`test/audits/spool-files.test.ts` checks a real spool's file against it).
 */
export const SPOOL_FILE_NAME = /^upload-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;

/**
 * Removes the spool files that uploads interrupted by a crash or kill left in `<data dir>/tmp`. Called by
 * `src/main.ts` at start, before the server listens, so no upload of this process is spooling yet. Only regular
 * files named like a spool file are removed; anything else in the folder is left alone. Returns their names.
 */
export function removeLeftoverSpoolFiles(dataDir: string): string[] {
  if (dataDir === ":memory:") return []; // spools then live in the OS temp dir, shared with other programs
  const dir = spoolDirectory(dataDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!SPOOL_FILE_NAME.test(name)) continue;
    const file = join(dir, name);
    try {
      if (!lstatSync(file).isFile()) continue;
      rmSync(file, { force: true });
      removed.push(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return removed;
}
