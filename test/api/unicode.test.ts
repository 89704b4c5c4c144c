import { describe, expect, it } from "vitest";
import { isWellFormed } from "../../src/unicode.ts";
import { testContext } from "../helpers.ts";

/** Lone UTF-16 surrogates (JSON "\ud800") have no UTF-8 form: every stored string refuses them with a 400. */
const LONE = ["\ud800", "x\udc00", "\udfff\ud800", "a\ud83d"];

function audit(overrides: Record<string, unknown> = {}) {
  return {
    id: "u-1",
    decisionId: "d-1",
    queue: "hate",
    moderator: "m1",
    auditor: "alice",
    outcome: "correct",
    auditedAt: "2026-11-24T09:30:00+09:00",
    ...overrides,
  };
}

describe("well-formed Unicode", () => {
  it("isWellFormed tells lone surrogates from pairs", () => {
    for (const text of LONE) expect({ text, ok: isWellFormed(text) }).toEqual({ text, ok: false });
    for (const text of ["", "plain", "혐오 표현", "\ud83d\ude00", "a\ud83d\ude00b"])
      expect({ text, ok: isWellFormed(text) }).toEqual({ text, ok: true });
  });

  it("audits: a lone surrogate in any text field is a 400 naming the row and field, and nothing is stored", async () => {
    const { call, keys, db } = await testContext();
    for (const field of ["id", "decisionId", "queue", "moderator", "policy", "market", "sampleId", "notes"]) {
      const rows = [audit({ id: "ok-1" }), audit({ id: `bad-${field}`, [field]: "pre\ud800post" })];
      const res = await call("POST", "/v1/audits", { key: keys.lead, json: rows });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.error.code).toBe("invalid_rows");
      expect(res.body.error.details).toEqual([expect.objectContaining({ row: 1, path: field })]);
      expect(res.body.error.details[0].message).toContain("well-formed Unicode");
    }
    // NDJSON with the escape as sent on the wire; the identical resend is the same 400, never a 409.
    const line = JSON.stringify(audit({ id: "\ud800" })); // JSON.stringify writes the escape \ud800
    expect(line).toContain("\\ud800");
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await call("POST", "/v1/audits", {
        key: keys.lead,
        body: `${JSON.stringify(audit({ id: "fine" }))}\n${line}\n`,
        headers: { "content-type": "application/x-ndjson" },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ row: 2, path: "id" })]);
    }
    // NUL has a UTF-8 form, but PostgreSQL text cannot hold it: refused alike on both backends.
    const nul = await call("POST", "/v1/audits", {
      key: keys.lead,
      json: [audit({ id: "n-1", notes: "a\u0000b" })],
    });
    expect(nul.status).toBe(400);
    expect(nul.body.error.details).toEqual([expect.objectContaining({ row: 0, path: "notes" })]);
    expect(await db.get("SELECT count(*) AS n FROM audits")).toEqual({ n: 0 });
    // A surrogate pair is fine and is stored and read back exactly.
    const emoji = await call("POST", "/v1/audits", {
      key: keys.lead,
      json: audit({ id: "emoji-\ud83d\ude00", notes: "\ud83d\ude00" }),
    });
    expect(emoji.status).toBe(200);
    const again = await call("POST", "/v1/audits", {
      key: keys.lead,
      json: audit({ id: "emoji-\ud83d\ude00", notes: "\ud83d\ude00" }),
    });
    expect(again.body).toEqual({ inserted: 0, duplicates: 1 });
  });

  it("populations: a lone surrogate in a value or a column name is a 400 naming the line and field", async () => {
    const { call, keys } = await testContext();
    const upload = (lines: unknown[]) =>
      call("POST", "/v1/populations", {
        key: keys.lead,
        body: lines.map((l) => JSON.stringify(l)).join("\n"),
        headers: { "content-type": "application/x-ndjson" },
      });
    const good = { id: "p-1", queue: "hate", moderator: "m1" };
    for (const field of ["id", "queue", "moderator", "label", "policy", "market", "region"]) {
      const res = await upload([good, { ...good, id: "p-2", [field]: "\udc00" }]);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.error.details).toEqual([expect.objectContaining({ row: 2, path: field })]);
    }
    const column = await upload([good, { ...good, id: "p-2", "col\ud800": "x" }]);
    expect(column.status).toBe(400);
    expect(column.body.error.details).toEqual([
      expect.objectContaining({ row: 2, path: "col\ud800", message: expect.stringContaining("column name") }),
    ]);
    expect((await upload([good, { ...good, id: "p-2", region: "\ud83d\ude00" }])).status).toBe(201);
  });

  it("report and listing filters refuse U+0000 (PostgreSQL text cannot hold it) with a 400 naming the parameter", async () => {
    const { call, keys } = await testContext();
    for (const path of ["/v1/quality", "/v1/charts", "/v1/funnel", "/v1/audits"]) {
      for (const [param, value] of [
        ["queue", "%00"],
        ["moderator", "a%00b"],
        ["sampleId", "%00"],
      ]) {
        const res = await call("GET", `${path}?${param}=${value}`, { key: keys.viewer });
        expect(res.status, `${path} ${param}: ${res.text}`).toBe(400);
        expect(res.body.error.details[0].path).toBe(param);
      }
    }
  });

  it("keys, calibrations, alert rules, acks, webhooks and samples refuse them naming the field", async () => {
    const { call, keys } = await testContext();
    const cases: { path: string; key: string; json: unknown; field: string; method?: string }[] = [
      { path: "/v1/keys", key: keys.admin, json: { role: "lead", name: "\ud800" }, field: "name" },
      {
        path: "/v1/keys",
        key: keys.admin,
        json: { role: "auditor", name: "n", rater: "r\udc00" },
        field: "rater",
      },
      ...(
        [
          [{ name: "s\ud800" }, "name"],
          [{ categories: ["a", "b\ud800"] }, "categories.1"],
          [{ items: [{ id: "i\ud800" }] }, "items.0.id"],
          [{ raters: ["r1", "r2\udfff"] }, "raters.1"],
        ] as const
      ).map(([patch, field]) => ({
        path: "/v1/calibrations",
        key: keys.lead,
        json: { name: "s", categories: ["a", "b"], items: [{ id: "i1" }], raters: ["r1", "r2"], ...patch },
        field,
      })),
      ...(
        [
          [{ name: "rule\ud800" }, "name"],
          [{ scope: { queue: "\ud800" } }, "scope.queue"],
        ] as const
      ).map(([patch, field]) => ({
        path: "/v1/alert-rules",
        key: keys.lead,
        json: {
          name: "rule",
          condition: { kind: "threshold", maxRate: 0.1, window: { days: 7 } },
          severity: "warning",
          ...patch,
        },
        field,
      })),
      { path: "/v1/alerts/no-such-alert/ack", key: keys.auditor, json: { note: "\ud800" }, field: "note" },
      { path: "/v1/webhooks", key: keys.admin, json: { url: "https://h.example/\ud800" }, field: "url" },
      {
        path: "/v1/webhooks",
        key: keys.admin,
        json: { url: "https://h.example/", secret: "0123456789abcdef\ud800" },
        field: "secret",
      },
      {
        path: "/v1/samples",
        key: keys.lead,
        json: { population: "p", total: 5, seed: "\ud800" },
        field: "seed",
      },
      {
        path: "/v1/samples",
        key: keys.lead,
        json: { population: "p", total: 5, expectedRates: { "queue=\ud800": 0.1 } },
        field: "expectedRates.queue=\ud800",
      },
      {
        path: "/v1/samples/no-such-sample/assign",
        key: keys.lead,
        json: { auditors: ["alice", "\ud800"] },
        field: "auditors.1",
      },
    ];
    for (const { path, key, json, field, method } of cases) {
      const res = await call(method ?? "POST", path, { key, json });
      expect({ path, field, status: res.status }).toEqual({ path, field, status: 400 });
      // zod reports a bad record key as "Invalid key in record" at the key's path.
      const message = field.startsWith("expectedRates.") ? "Invalid key" : "well-formed Unicode";
      expect(res.body.error.details).toContainEqual(
        expect.objectContaining({ path: field, message: expect.stringContaining(message) }),
      );
    }
    // Well-formed text (a surrogate pair included) still goes through.
    const ok = await call("POST", "/v1/keys", {
      key: keys.admin,
      json: { role: "lead", name: "\ud83d\ude00" },
    });
    expect(ok.status).toBe(201);
  });
});
