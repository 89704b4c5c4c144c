import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildServer, startChildServer } from "../child-server.ts";

/**
 * A client generated from /openapi.json as the README says (openapi-typescript, default options, + openapi-fetch):
 * the README's example (test/client/readme-client.ts, the same text) type-checks against it with tsc --strict and
 * runs against the real service.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const here = fileURLToPath(new URL(".", import.meta.url));
const run = promisify(execFile);

/** The generated types as biome formats them: the copy kept next to the example (for `npm run check`). */
function formatted(source: string): string {
  const biome = join(root, "node_modules", ".bin", "biome");
  return execFileSync(biome, ["format", `--stdin-file-path=${join(here, "modqc-api.ts")}`], {
    cwd: root,
    input: source,
    encoding: "utf8",
  });
}

describe("a client generated from /openapi.json runs the README's example", () => {
  let server: ChildServer;
  let dir: string;

  beforeAll(async () => {
    server = await startChildServer();
    dir = mkdtempSync(join(tmpdir(), "modqc-client-"));
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("generates, type-checks with tsc --strict and runs ten routes without a cast", async () => {
    const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as OpenAPI3;
    expect(document.servers).toEqual([{ url: server.url }]);
    const types = astToString(await openapiTS(document));
    writeFileSync(join(dir, "modqc-api.ts"), types);
    copyFileSync(join(here, "readme-client.ts"), join(dir, "readme-client.ts"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          allowImportingTsExtensions: true,
          types: ["node"],
        },
        files: ["readme-client.ts"],
      }),
    );
    const tsc = join(root, "node_modules", ".bin", "tsc");
    const checked = await run(tsc, ["-p", dir], { cwd: dir }).catch((e: { stdout: string }) => e);
    expect(checked.stdout).toBe("");

    // The copy next to the example follows the document (like the browser tests' screenshots), so that
    // `npm run check` type-checks the README's example too.
    const kept = join(here, "modqc-api.ts");
    const fresh = formatted(types);
    let previous = "";
    try {
      previous = readFileSync(kept, "utf8");
    } catch {}
    if (fresh !== previous) writeFileSync(kept, fresh);

    const { stdout } = await run(process.execPath, ["--import", "tsx", join(here, "readme-client.ts")], {
      cwd: root,
      env: { ...process.env, MODQC_URL: server.url, MODQC_KEY: server.adminKey },
    });
    const lines = stdout.trim().split("\n");
    expect(lines).toEqual([
      "signed in as bootstrap admin (MODQC_ADMIN_KEY) (admin)",
      expect.stringMatching(/^sample [0-9a-f-]{36}: 2 of 4 decisions; 1 samples$/),
      "1 new audit(s); spam: a-1",
      expect.stringMatching(/^spam 1 0\.2065\d+ 1$/), // one error in one audit: Wilson's 95 % lower bound
      "1 weeks, 0 signals",
      "target 1; outside: 0",
      expect.stringMatching(/^audit 1068; Fleiss' kappa 0\.5499\d*$/),
    ]);
  }, 60_000);
});
