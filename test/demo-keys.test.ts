import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoResult, runDemo } from "../scripts/demo.ts";
import { adminApi, type ChildServer, startChildServer } from "./child-server.ts";

/**
 * `npm run demo` run again keeps the keys people signed in with (found by name); `--rotate-keys` revokes and
 * replaces them. Against the real service in a child process, a short dataset (7 days) to keep it quick.
 */

let server: ChildServer;
let first: DemoResult;
let second: DemoResult;
const lines: string[] = [];

const me = async (key: string) =>
  (await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } })).status;

interface Listed {
  name: string;
  role: string;
  revokedAt: string | null;
}
const activeDemoKeys = async () =>
  ((await adminApi(server, "GET", "/v1/keys")).body.keys as Listed[]).filter(
    (key) => !key.revokedAt && key.name.startsWith("demo"),
  );

describe("the demo keeps its keys across runs", () => {
  beforeAll(async () => {
    server = await startChildServer();
    const options = { url: server.url, adminKey: server.adminKey, days: 7 };
    first = await runDemo({ ...options, log: () => {} });
    second = await runDemo({ ...options, log: (line) => lines.push(line) });
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("creates every key on a fresh database, each one signing in", async () => {
    expect(first.keptKeys).toEqual([]);
    for (const key of [first.keys.lead, first.keys.viewer, first.keys.auditor, first.keys.moderator]) {
      expect(await me(key)).toBe(200);
    }
  });

  it("a second run keeps them: the first run's keys still sign in, and it says so", async () => {
    expect(second.keptKeys).toEqual(
      expect.arrayContaining([
        "demo: QA lead",
        "demo: viewer",
        "demo: auditor kim.minji",
        "demo: moderator mod-07",
      ]),
    );
    for (const key of [first.keys.lead, first.keys.viewer, first.keys.auditor, first.keys.moderator]) {
      expect(await me(key)).toBe(200);
    }
    for (const key of Object.values(first.auditorKeys)) expect(await me(key)).toBe(200);
    expect(lines.join("\n")).toMatch(/\d+ kept from an earlier run, 0 created/);
  });

  it("a kept key's secret is not known: reading it from the result fails by name", () => {
    expect(() => second.keys.lead).toThrow(/kept the key "demo: QA lead".*--rotate-keys/);
  });

  it("leaves one active key per person: the run's own keys are revoked when it ends", async () => {
    const active = await activeDemoKeys();
    expect(active.filter((key) => key.name.startsWith("demo run: "))).toEqual([]);
    const names = active.map((key) => key.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("a revoked key is created again on the next run; --rotate-keys replaces them all", async () => {
    const { body } = await adminApi(server, "GET", "/v1/keys");
    const viewer = (body.keys as (Listed & { id: string })[]).find(
      (k) => k.name === "demo: viewer" && !k.revokedAt,
    )!;
    await adminApi(server, "DELETE", `/v1/keys/${viewer.id}`);
    const options = { url: server.url, adminKey: server.adminKey, days: 7, log: () => {} };
    const third = await runDemo(options);
    expect(third.keptKeys).not.toContain("demo: viewer");
    expect(await me(third.keys.viewer)).toBe(200);
    expect(await me(first.keys.lead)).toBe(200);

    const rotated = await runDemo({ ...options, rotateKeys: true });
    expect(rotated.keptKeys).toEqual([]);
    expect(await me(first.keys.lead)).toBe(401);
    expect(await me(third.keys.viewer)).toBe(401);
    expect(await me(rotated.keys.lead)).toBe(200);
  }, 240_000);
});
