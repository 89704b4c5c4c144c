import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { testContext } from "../helpers.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
/**
 * What CI runs on the served document: `npx redocly lint openapi.json --config redocly.yaml` (@redocly/cli's binary,
 * found in node_modules/.bin also when the test is not run by npm).
 */
const PATH = `${join(root, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`;

/** The one warning allowed (see redocly.yaml): GET /health, public and without input, has no 4xx answer. */
const HEALTH_HAS_NO_4XX = "operation-4xx-response at #/paths/~1health/get/responses";

describe("the OpenAPI document passes @redocly/cli lint (redocly.yaml: recommended ruleset)", () => {
  it("has no errors, and no warnings but GET /health's missing 4xx answer", async () => {
    const { call } = await testContext();
    const dir = mkdtempSync(join(tmpdir(), "modqc-openapi-"));
    try {
      const file = join(dir, "openapi.json");
      writeFileSync(file, (await call("GET", "/openapi.json")).text);
      // redocly exits non-zero on errors; its summary lists both errors and warnings, and `--max-problems`
      // keeps the output whole. (On Node 20 it prints a deprecation banner first: harmless.)
      const result = spawnSync(
        "redocly",
        ["lint", file, "--config", join(root, "redocly.yaml"), "--format", "json", "--max-problems", "1000"],
        {
          cwd: root,
          encoding: "utf8",
          env: { ...process.env, PATH, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
        },
      );
      const json = result.stdout.slice(result.stdout.indexOf("{"));
      const report = JSON.parse(json) as {
        totals: { errors: number; warnings: number };
        problems: { ruleId: string; message: string; location: { pointer?: string }[] }[];
      };
      const problems = report.problems
        .map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`)
        .filter((problem) => !problem.startsWith(HEALTH_HAS_NO_4XX));
      expect(problems).toEqual([]);
      expect(report.totals.errors).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
