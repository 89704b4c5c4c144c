import { describe, expect, it } from "vitest";
import { findActiveKeyBySecret, listKeys, revokeKey } from "../../src/db/keys.ts";
import { testContext } from "../helpers.ts";

describe("API keys and roles", () => {
  it("an admin creates a key whose secret is shown once and stored only as a hash", async () => {
    const { call, keys, db } = await testContext();
    const res = await call("POST", "/v1/keys", {
      key: keys.admin,
      json: { role: "lead", name: "Kim (QA lead)" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ role: "lead", name: "Kim (QA lead)", rater: null, revokedAt: null });
    expect(res.body.key).toMatch(/^mqc_[A-Za-z0-9_-]{43}$/);
    const stored = await db.get("SELECT * FROM api_keys WHERE id = ?", [res.body.id]);
    expect(JSON.stringify(stored)).not.toContain(res.body.key.slice(10));

    const list = await call("GET", "/v1/keys", { key: keys.admin });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(res.body.key);
    expect(list.body.keys.map((k: { id: string }) => k.id)).toContain(res.body.id);
    expect(list.body.keys.every((k: Record<string, unknown>) => !("key" in k) && !("secret_hash" in k))).toBe(
      true,
    );
  });

  it("an auditor key must name its rater, and other roles must not", async () => {
    const { call, keys } = await testContext();
    const noRater = await call("POST", "/v1/keys", { key: keys.admin, json: { role: "auditor", name: "x" } });
    expect(noRater.status).toBe(400);
    expect(noRater.body.error.details[0].path).toBe("rater");
    const withRater = await call("POST", "/v1/keys", {
      key: keys.admin,
      json: { role: "viewer", name: "x", rater: "y" },
    });
    expect(withRater.status).toBe(400);
    const ok = await call("POST", "/v1/keys", {
      key: keys.admin,
      json: { role: "auditor", name: "민지", rater: "minji" },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.rater).toBe("minji");
  });

  it("a moderator key must name its moderator, other roles must not, and it is shown in listings", async () => {
    const { call, keys } = await testContext();
    const none = await call("POST", "/v1/keys", { key: keys.admin, json: { role: "moderator", name: "x" } });
    expect(none.status).toBe(400);
    expect(none.body.error.details[0].path).toBe("moderator");
    const misplaced = await call("POST", "/v1/keys", {
      key: keys.admin,
      json: { role: "auditor", name: "x", rater: "r", moderator: "m" },
    });
    expect(misplaced.status).toBe(400);
    expect(misplaced.body.error.details[0].path).toBe("moderator");
    const ok = await call("POST", "/v1/keys", {
      key: keys.admin,
      json: { role: "moderator", name: "서연", moderator: "mod-07" },
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ role: "moderator", moderator: "mod-07", rater: null });
    const listed = await call("GET", "/v1/keys", { key: keys.admin });
    expect(listed.body.keys.find((k: { id: string }) => k.id === ok.body.id).moderator).toBe("mod-07");
    const lead = await call("POST", "/v1/keys", {
      key: keys.lead,
      json: { role: "moderator", name: "y", moderator: "mod-08" },
    });
    expect(lead.status).toBe(403);
  });

  it("no key or an unknown key answers 401; a lesser role answers 403", async () => {
    const { call, keys } = await testContext();
    expect((await call("GET", "/v1/keys")).status).toBe(401);
    expect((await call("GET", "/v1/keys", { key: "mqc_not-a-real-key" })).status).toBe(401);
    expect((await call("GET", "/v1/keys", { headers: { authorization: "Basic abc" } })).status).toBe(401);
    for (const role of ["lead", "auditor", "viewer"] as const) {
      const res = await call("GET", "/v1/keys", { key: keys[role] });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
    }
  });

  it("a revoked key stops working at once", async () => {
    const { call, keys, db } = await testContext();
    const created = await call("POST", "/v1/keys", {
      key: keys.admin,
      json: { role: "admin", name: "temp" },
    });
    expect((await call("GET", "/v1/keys", { key: created.body.key })).status).toBe(200);
    const revoked = await call("DELETE", `/v1/keys/${created.body.id}`, { key: keys.admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await call("GET", "/v1/keys", { key: created.body.key })).status).toBe(401);
    expect(await findActiveKeyBySecret(db, created.body.key)).toBeUndefined();
    expect((await call("DELETE", "/v1/keys/no-such-id", { key: keys.admin })).status).toBe(404);
  });

  it("the last active admin key cannot be revoked: 409, and it keeps working", async () => {
    const { call, keys, db } = await testContext();
    const adminId = (await call("GET", "/v1/me", { key: keys.admin })).body.id;
    const last = await call("DELETE", `/v1/keys/${adminId}`, { key: keys.admin });
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe("conflict");
    expect(last.body.error.message).toContain("last active admin key");
    expect((await call("GET", "/v1/keys", { key: keys.admin })).status).toBe(200);
    expect(await revokeKey(db, adminId)).toBe("last_admin");

    // With a second admin either may go, but not both: revoking each other at once leaves exactly one.
    const second = await call("POST", "/v1/keys", {
      key: keys.admin,
      json: { role: "admin", name: "second" },
    });
    const [a, b] = await Promise.all([
      call("DELETE", `/v1/keys/${second.body.id}`, { key: keys.admin }),
      call("DELETE", `/v1/keys/${adminId}`, { key: second.body.key }),
    ]);
    // The loser answers 409 when both were authenticated before either revoked (it lost inside the transaction),
    // or 401 when the winner's revocation committed before the loser's key was looked up (PostgreSQL's
    // asynchronous lookups allow that order; on SQLite both lookups run first).
    const [won, lost] = [a.status, b.status].sort();
    expect(won).toBe(200);
    expect([409, 401]).toContain(lost);
    const active = (await listKeys(db)).filter((k) => k.role === "admin" && k.revokedAt === null);
    expect(active).toHaveLength(1);
    // Revoking an already revoked admin key is still a 200 with the first revocation time.
    const revoked = (await listKeys(db)).find((k) => k.role === "admin" && k.revokedAt !== null)!;
    const activeKey = active[0].id === adminId ? keys.admin : second.body.key;
    const again = await call("DELETE", `/v1/keys/${revoked.id}`, { key: activeKey });
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(revoked.revokedAt);
  });

  it("calculator routes are open by default and need a key when MODQC_OPEN_CALCULATORS=false", async () => {
    const open = await testContext();
    expect((await open.call("POST", "/v1/interval", { json: { count: 1, n: 10 } })).status).toBe(200);
    const closed = await testContext({ MODQC_OPEN_CALCULATORS: "false" });
    expect((await closed.call("POST", "/v1/interval", { json: { count: 1, n: 10 } })).status).toBe(401);
    const withKey = await closed.call("POST", "/v1/interval", {
      key: closed.keys.viewer,
      json: { count: 1, n: 10 },
    });
    expect(withKey.status).toBe(200);
  });
});
