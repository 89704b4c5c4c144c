import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

/**
 * LibreOffice headless (Debian package `libreoffice-calc-nogui`, installed by .ci/run where missing) as the real
 * spreadsheet engine of the round-trip tests: `soffice --convert-to xlsx` opens a file the way Calc does and saves
 * it again. Each test file uses a private profile (`-env:UserInstallation`) in a temp dir, so runs never share or
 * lock the user's profile; several files go through one start (each start takes seconds).
 */

const run = promisify(execFile);

function findSoffice(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    const candidate = join(dir, "soffice");
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export const SOFFICE = findSoffice();
export const SOFFICE_MISSING =
  "LibreOffice is not installed: install the Debian package libreoffice-calc-nogui (soffice) to run the spreadsheet round trips";

/** CSV import as Calc does it for a user: comma, double quote, UTF-8, from line 1, formulas evaluated. */
const CSV_FILTER = "CSV Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1,true";

export class LibreOffice {
  private readonly profile = mkdtempSync(join(tmpdir(), "modqc-soffice-"));

  /** Opens each file (CSV: as text import with CSV_FILTER) and saves it as .xlsx into `outDir`; the new paths. */
  async toXlsx(files: string[], outDir: string, kind: "csv" | "xlsx"): Promise<string[]> {
    const args = [
      `-env:UserInstallation=${pathToFileURL(this.profile).href}`,
      "--headless",
      "--norestore",
      ...(kind === "csv" ? [`--infilter=${CSV_FILTER}`] : []),
      "--convert-to",
      "xlsx",
      "--outdir",
      outDir,
      ...files,
    ];
    await run(SOFFICE!, args, { timeout: 180_000 });
    return files.map((file) => join(outDir, basename(file).replace(/\.[^.]+$/, ".xlsx")));
  }

  dispose(): void {
    rmSync(this.profile, { recursive: true, force: true });
  }
}
