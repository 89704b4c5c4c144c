import { describe, expect, it } from "vitest";
import { testContext } from "../helpers.ts";

describe("GET /v1/me", () => {
  it("answers the calling key's id, name, role, rater and moderator for every role, never its secret", async () => {
    const { call, keys } = await testContext();
    for (const role of ["moderator", "viewer", "auditor", "lead", "admin"] as const) {
      const res = await call("GET", "/v1/me", { key: keys[role] });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(["id", "moderator", "name", "rater", "role"]);
      expect(res.body).toMatchObject({
        role,
        name: `${role} key`,
        rater: role === "auditor" ? "alice" : null,
        moderator: role === "moderator" ? "mod-1" : null,
      });
      expect(res.text).not.toContain(keys[role]);
    }
  });

  it("answers 401 without a key, with an unknown key and with a revoked key", async () => {
    const { call, keys } = await testContext();
    expect((await call("GET", "/v1/me")).status).toBe(401);
    const unknown = await call("GET", "/v1/me", { key: "mqc_not-a-key" });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe("unauthorized");
    const created = await call("POST", "/v1/keys", {
      key: keys.admin,
      json: { role: "viewer", name: "temp" },
    });
    expect((await call("GET", "/v1/me", { key: created.body.key })).body.id).toBe(created.body.id);
    await call("DELETE", `/v1/keys/${created.body.id}`, { key: keys.admin });
    expect((await call("GET", "/v1/me", { key: created.body.key })).status).toBe(401);
  });

  it("is listed in the OpenAPI document with its security requirement", async () => {
    const { call } = await testContext();
    const doc = (await call("GET", "/openapi.json")).body;
    expect(doc.paths["/v1/me"].get.security).toEqual([{ bearer: [] }]);
  });
});
