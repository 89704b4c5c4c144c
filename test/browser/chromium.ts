import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Where Debian's `chromium` package puts the browser (playwright-core never downloads one here). */
export const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** Set MODQC_SKIP_BROWSER=1 to skip the browser tests (e.g. on a machine where Chromium cannot be installed). */
export const skipBrowser = process.env.MODQC_SKIP_BROWSER === "1";
if (skipBrowser) {
  console.warn("MODQC_SKIP_BROWSER=1: the dashboard's browser tests are skipped.");
}

/** The Chromium executable: MODQC_CHROMIUM, else Debian's package. Throws naming the package when missing. */
export function findChromium(): string {
  const candidates = process.env.MODQC_CHROMIUM ? [process.env.MODQC_CHROMIUM] : CHROMIUM_CANDIDATES;
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `Chromium is missing (looked for ${candidates.join(", ")}). The dashboard's browser tests drive Debian's ` +
        "Chromium headless: install it with `apt-get update && apt-get install -y chromium` (.ci/run does this), " +
        "point MODQC_CHROMIUM at another Chromium, or set MODQC_SKIP_BROWSER=1 to skip these tests.",
    );
  }
  return found;
}

/**
 * Headless Chromium. playwright-core starts it with a fresh temporary profile (its own --user-data-dir) and
 * removes it on close. The background-networking flags matter on a closed network: without them Chromium's
 * own connections (updates, sync, field trials) are refused many at a time.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the dashboard when web/dist is missing or older than its sources (npm ci builds it through prepare). */
export function ensureDashboardBuilt(): void {
  const index = join(root, "web", "dist", "index.html");
  const sources = Math.max(
    newestMtime(join(root, "web", "src")),
    statSync(join(root, "web", "index.html")).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(root, "scripts", "build-web.mjs")], { cwd: root, stdio: "pipe" });
}
