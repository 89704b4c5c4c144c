import { describe, expect, it } from "vitest";
import { testContext } from "../helpers.ts";

/**
 * Which routes each role reaches, checked over every operation in /openapi.json (new routes are covered the day
 * they are added). A moderator key (issue 14) reads only its own feedback: every route outside the list below must
 * refuse it with 403 `forbidden` before looking at the request; the routes in the list let it through to their own
 * per-moderator checks.
 */
const MODERATOR_ROUTES = new Set([
  "GET /v1/me",
  "GET /v1/findings",
  "POST /v1/audits/{id}/ack",
  "GET /v1/scorecards/{moderator}",
  "GET /v1/targets",
  "POST /v1/audits/{id}/disputes",
  "GET /v1/disputes",
  "GET /v1/disputes/{id}",
]);

async function operations(ctx: Awaited<ReturnType<typeof testContext>>) {
  const doc = (await ctx.call("GET", "/openapi.json")).body as {
    paths: Record<string, Record<string, { security?: unknown[] }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      name: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      path,
      needsKey: (operation.security ?? []).length > 0,
    })),
  );
}

describe("role matrix", () => {
  it("a moderator key is refused with 403 forbidden on every keyed route except its own feedback routes", async () => {
    const ctx = await testContext();
    const refused: string[] = [];
    const admitted: string[] = [];
    for (const op of await operations(ctx)) {
      if (!op.needsKey) continue;
      const path = op.path.replace("{moderator}", "mod-1").replace(/\{[^}]+\}/g, "x");
      const res = await ctx.call(op.method, path, {
        key: ctx.keys.moderator,
        ...(op.method === "GET" ? {} : { json: {} }),
      });
      const forbidden = res.status === 403 && res.body?.error?.code === "forbidden";
      if (MODERATOR_ROUTES.has(op.name)) {
        expect(forbidden, `${op.name} must let a moderator key reach its own check`).toBe(false);
        expect(res.status, `${op.name}: ${res.text}`).toBeLessThan(500);
        admitted.push(op.name);
      } else {
        expect(res.status, `${op.name} must refuse a moderator key: ${res.text}`).toBe(403);
        expect(res.body.error.code).toBe("forbidden");
        refused.push(op.name);
      }
    }
    expect(refused.length).toBeGreaterThan(40);
    expect(admitted).toContain("GET /v1/findings");
  });

  it("every keyed route answers 401 without a key", async () => {
    const ctx = await testContext();
    for (const op of await operations(ctx)) {
      if (!op.needsKey) continue;
      const path = op.path.replace(/\{[^}]+\}/g, "x");
      const res = await ctx.call(op.method, path, op.method === "GET" ? {} : { json: {} });
      expect(res.status, `${op.name}: ${res.text}`).toBe(401);
    }
  });

  it("a moderator's feedback routes refuse viewer and auditor keys, and a moderator key naming another moderator", async () => {
    const { call, keys } = await testContext();
    for (const key of [keys.viewer, keys.auditor]) {
      const res = await call("GET", "/v1/findings?moderator=mod-1", { key });
      expect(res.status).toBe(403);
      expect((await call("GET", "/v1/findings/unread", { key })).status).toBe(403);
    }
    const other = await call("GET", "/v1/findings?moderator=mod-2", { key: keys.moderator });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe("not_own_moderator");
    expect((await call("GET", "/v1/findings/unread", { key: keys.moderator })).status).toBe(403);
  });
});
