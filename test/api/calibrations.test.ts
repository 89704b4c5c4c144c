import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auditorKey, type TestContext, testContext } from "../helpers.ts";

const KOREAN = ["위반 없음", "혐오 표현", "괴롭힘"];

type Ctx = TestContext & { bob: string; carol: string };

async function context(): Promise<Ctx> {
  const ctx = await testContext();
  return { ...ctx, bob: await auditorKey(ctx, "bob"), carol: await auditorKey(ctx, "carol") };
}

async function createSession(
  ctx: Ctx,
  overrides: Record<string, unknown> = {},
  items = 6,
): Promise<{ id: string; body: Record<string, unknown> }> {
  const res = await ctx.call("POST", "/v1/calibrations", {
    key: ctx.keys.lead,
    json: {
      name: "주간 보정 세션",
      categories: KOREAN,
      items: Array.from({ length: items }, (_, i) => ({ id: `post-${i + 1}`, gold: KOREAN[i % 3] })),
      raters: ["alice", "bob", "carol"],
      ...overrides,
    },
  });
  expect(res.status, res.text).toBe(201);
  return { id: res.body.id, body: res.body };
}

const ratingCount = async (ctx: Ctx, id: string) =>
  (await ctx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM calibration_ratings WHERE calibration_id = ?", [
    id,
  ]))!.n;

const csv = (rows: string[][]) =>
  `\uFEFF${rows.map((row) => row.map((f) => `"${f.replaceAll('"', '""')}"`).join(",")).join("\r\n")}\r\n`;

describe("calibration sessions: create", () => {
  it("a lead opens a session; the answer echoes it without any labels", async () => {
    const ctx = await context();
    const { body } = await createSession(ctx);
    expect(body).toMatchObject({
      name: "주간 보정 세션",
      categories: KOREAN,
      level: "nominal",
      status: "open",
      items: 6,
      goldItems: 6,
      raters: ["alice", "bob", "carol"],
      labelled: 0,
      expected: 18,
      closedAt: null,
    });
    expect(body.progress).toEqual([
      { rater: "alice", labelled: 0, remaining: 6 },
      { rater: "bob", labelled: 0, remaining: 6 },
      { rater: "carol", labelled: 0, remaining: 6 },
    ]);
    expect(typeof body.id).toBe("string");
    expect(Date.parse(String(body.createdAt))).not.toBeNaN();
    for (const role of ["viewer", "auditor"] as const) {
      const res = await ctx.call("POST", "/v1/calibrations", { key: ctx.keys[role], json: { name: "x" } });
      expect(res.status).toBe(403);
    }
  });

  it("duplicates, gold outside categories, one rater or no items answer 400 naming the field", async () => {
    const ctx = await context();
    const base = {
      name: "s",
      categories: ["ok", "spam"],
      items: [{ id: "a" }, { id: "b" }],
      raters: ["x", "y"],
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ items: [{ id: "a" }, { id: "a" }] }, "items.1.id"],
      [{ raters: ["x", "y", "x"] }, "raters.2"],
      [{ items: [{ id: "a", gold: "scam" }] }, "items.0.gold"],
      [{ items: [{ id: "a", gold: 1 }] }, "items.0.gold"],
      [{ raters: ["x"] }, "raters"],
      [{ items: [] }, "items"],
      [{ categories: [] }, "categories"],
      [{ categories: ["ok", "ok"] }, "categories.1"],
      [{ categories: [1, "1"] }, "categories.1"],
      [{ level: "ratio-ish" }, "level"],
      [{ name: " " }, "name"],
    ];
    for (const [override, path] of cases) {
      const res = await ctx.call("POST", "/v1/calibrations", {
        key: ctx.keys.lead,
        json: { ...base, ...override },
      });
      expect({ override, status: res.status }).toEqual({ override, status: 400 });
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect((await ctx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM calibrations"))!.n).toBe(0);
  });

  it("lists sessions with status and progress, newest first, filtered by status", async () => {
    const ctx = await context();
    const first = await createSession(ctx, { name: "first" });
    const second = await createSession(ctx, { name: "second" });
    await ctx.call("PUT", `/v1/calibrations/${first.id}/ratings/bob`, {
      key: ctx.bob,
      json: { ratings: { "post-1": "괴롭힘" } },
    });
    expect(
      (await ctx.call("POST", `/v1/calibrations/${second.id}/close`, { key: ctx.keys.lead })).status,
    ).toBe(200);
    const all = await ctx.call("GET", "/v1/calibrations", { key: ctx.keys.viewer });
    expect(all.status).toBe(200);
    expect(new Set(all.body.calibrations.map((s: { name: string }) => s.name))).toEqual(
      new Set(["first", "second"]),
    );
    const open = await ctx.call("GET", "/v1/calibrations?status=open", { key: ctx.keys.viewer });
    expect(open.body.calibrations).toHaveLength(1);
    expect(open.body.calibrations[0]).toMatchObject({ name: "first", status: "open", labelled: 1 });
    expect(open.body.calibrations[0].progress[1]).toEqual({ rater: "bob", labelled: 1, remaining: 5 });
    expect((await ctx.call("GET", "/v1/calibrations")).status).toBe(401);
    expect((await ctx.call("GET", "/v1/calibrations/nope", { key: ctx.keys.viewer })).status).toBe(404);
  });
});

describe("calibration sessions: blind rating", () => {
  it("while open no response shows another rater's labels or the gold, not even to the lead", async () => {
    const ctx = await context();
    const { id } = await createSession(ctx);
    const alice = ctx.keys.auditor;
    await ctx.call("PUT", `/v1/calibrations/${id}/ratings/alice`, {
      key: alice,
      json: { ratings: { "post-1": "위반 없음", "post-2": "위반 없음" } },
    });

    // Every GET a session has, as every role, with bob's labels set one way and then another: if no answer
    // changes, no answer can reveal bob's labels.
    const views = async () => {
      const out: string[] = [];
      for (const key of [alice, ctx.carol, ctx.keys.lead, ctx.keys.admin, ctx.keys.viewer]) {
        for (const path of [
          "/v1/calibrations",
          `/v1/calibrations/${id}`,
          `/v1/calibrations/${id}/ratings/alice`,
          `/v1/calibrations/${id}/ratings/bob`,
          `/v1/calibrations/${id}/report`,
          `/v1/calibrations/${id}/report?format=csv`,
        ]) {
          const res = await ctx.call("GET", path, { key });
          out.push(`${key.slice(0, 10)} ${path} ${res.status} ${res.text}`);
        }
      }
      return out;
    };
    const bobSays = async (labels: string[]) => {
      const ratings = Object.fromEntries(labels.map((label, i) => [`post-${i + 1}`, label]));
      const res = await ctx.call("PUT", `/v1/calibrations/${id}/ratings/bob`, {
        key: ctx.bob,
        json: { ratings },
      });
      expect(res.status).toBe(200);
      expect(res.text).not.toContain("괴롭힘");
    };
    await bobSays(["괴롭힘", "괴롭힘", "괴롭힘", "괴롭힘"]);
    const first = await views();
    await bobSays(["혐오 표현", "위반 없음", "혐오 표현", "위반 없음"]);
    const second = await views();
    expect(second).toEqual(first);

    const byPath = (path: string) => first.filter((line) => line.split(" ")[1] === path);
    // Only alice's own key sees alice's labels; nobody sees bob's; the report is refused to everyone.
    for (const line of byPath(`/v1/calibrations/${id}/ratings/bob`)) expect(line).toContain(" 403 ");
    for (const line of byPath(`/v1/calibrations/${id}/report`)) expect(line).toContain(" 409 ");
    for (const line of byPath(`/v1/calibrations/${id}/report?format=csv`)) expect(line).toContain(" 409 ");
    const aliceOwn = byPath(`/v1/calibrations/${id}/ratings/alice`);
    expect(aliceOwn[0]).toContain(" 200 ");
    expect(JSON.parse(aliceOwn[0].slice(aliceOwn[0].indexOf("{"))).ratings).toEqual({
      "post-1": "위반 없음",
      "post-2": "위반 없음",
    });
    for (const line of aliceOwn.slice(1)) expect(line).toContain(" 403 ");
    // The gold is an answer key: hidden while open.
    for (const line of first.filter((l) => l.includes(" 200 "))) expect(line).not.toContain('"gold"');
    const detail = await ctx.call("GET", `/v1/calibrations/${id}`, { key: ctx.keys.lead });
    expect(detail.body.itemList[0]).toEqual({ id: "post-1" });
    expect(detail.body.progress).toEqual([
      { rater: "alice", labelled: 2, remaining: 4 },
      { rater: "bob", labelled: 4, remaining: 2 },
      { rater: "carol", labelled: 0, remaining: 6 },
    ]);
  });

  it("an auditor writes only its own rater (403); lead and admin may write any rater", async () => {
    const ctx = await context();
    const { id } = await createSession(ctx);
    const asAlice = await ctx.call("PUT", `/v1/calibrations/${id}/ratings/bob`, {
      key: ctx.keys.auditor,
      json: { ratings: { "post-1": "괴롭힘" } },
    });
    expect(asAlice.status).toBe(403);
    expect(asAlice.body.error.code).toBe("forbidden");
    const csvAsAlice = await ctx.call("POST", `/v1/calibrations/${id}/ratings`, {
      key: ctx.keys.auditor,
      body: csv([
        ["item", "rater", "label"],
        ["post-1", "alice", "괴롭힘"],
        ["post-2", "bob", "괴롭힘"],
      ]),
      headers: { "content-type": "text/csv" },
    });
    expect(csvAsAlice.status).toBe(403);
    expect(csvAsAlice.body.error.details[0].path).toBe("rows.3.rater");
    expect(await ratingCount(ctx, id)).toBe(0);
    expect(
      (
        await ctx.call("PUT", `/v1/calibrations/${id}/ratings/bob`, {
          key: ctx.keys.viewer,
          json: { ratings: {} },
        })
      ).status,
    ).toBe(403);
    for (const key of [ctx.keys.lead, ctx.keys.admin]) {
      const res = await ctx.call("PUT", `/v1/calibrations/${id}/ratings/bob`, {
        key,
        json: { ratings: { "post-1": "괴롭힘" } },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        written: 1,
        cleared: 0,
        progress: [{ rater: "bob", labelled: 1, remaining: 5 }],
      });
    }
    const unknownRater = await ctx.call("PUT", `/v1/calibrations/${id}/ratings/dave`, {
      key: ctx.keys.lead,
      json: { ratings: { "post-1": "괴롭힘" } },
    });
    expect(unknownRater.status).toBe(400);
    expect(unknownRater.body.error.details[0].path).toBe("rater");
  });

  it("PUT merges, null clears, and one unknown item or label writes nothing", async () => {
    const ctx = await context();
    const { id } = await createSession(ctx);
    const put = (ratings: Record<string, unknown>) =>
      ctx.call("PUT", `/v1/calibrations/${id}/ratings/alice`, { key: ctx.keys.auditor, json: { ratings } });
    expect((await put({ "post-1": "위반 없음", "post-2": "괴롭힘" })).body.written).toBe(2);
    const merged = await put({ "post-3": "혐오 표현", "post-1": null, "post-6": null });
    expect(merged.body).toEqual({
      written: 1,
      cleared: 1,
      progress: [{ rater: "alice", labelled: 2, remaining: 4 }],
    });
    const bad = await put({ "post-4": "위반 없음", "post-99": "위반 없음", "post-5": "스팸" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      "ratings.post-99",
      "ratings.post-5",
    ]);
    expect(await ratingCount(ctx, id)).toBe(2);
    const own = await ctx.call("GET", `/v1/calibrations/${id}/ratings/alice`, { key: ctx.keys.auditor });
    expect(own.body.ratings).toEqual({ "post-2": "괴롭힘", "post-3": "혐오 표현" });
    expect((await put({ "post-1": 1 })).status).toBe(400);
    expect((await put({ "post-1": ["x"] })).status).toBe(400);
  });

  it("numeric labels keep their type: 2 is stored as the number 2, CSV text 2 means the category 2", async () => {
    const ctx = await context();
    const { id } = await createSession(ctx, {
      categories: [1, 2, 3],
      level: "ordinal",
      items: [{ id: "a", gold: 2 }, { id: "b" }],
    });
    const path = `/v1/calibrations/${id}/ratings/alice`;
    expect(
      (await ctx.call("PUT", path, { key: ctx.keys.auditor, json: { ratings: { a: "2" } } })).status,
    ).toBe(400);
    expect((await ctx.call("PUT", path, { key: ctx.keys.auditor, json: { ratings: { a: 2 } } })).status).toBe(
      200,
    );
    const imported = await ctx.call("POST", `/v1/calibrations/${id}/ratings`, {
      key: ctx.keys.auditor,
      body: "item,rater,label\nb,alice,3\n",
      headers: { "content-type": "text/csv" },
    });
    expect(imported.status, imported.text).toBe(200);
    const own = await ctx.call("GET", path, { key: ctx.keys.auditor });
    expect(own.body.ratings).toEqual({ a: 2, b: 3 });
    const stored = await ctx.db.all("SELECT label FROM calibration_ratings ORDER BY item_id");
    expect(stored).toEqual([{ label: "2" }, { label: "3" }]);
  });
});

describe("calibration sessions: CSV import", () => {
  it("imports Korean labels (BOM, CRLF, quoted fields) and they round-trip exactly", async () => {
    const ctx = await context();
    const { id } = await createSession(ctx, { raters: ["alice", "bob", "김민지"] });
    const body = csv([
      ["item", "rater", "label"],
      ["post-1", "alice", "혐오 표현"],
      ["post-1", "bob", "괴롭힘"],
      ["post-1", "김민지", "위반 없음"],
      ["post-2", "김민지", "혐오 표현"],
      ["post-3", "bob", ""],
    ]);
    const res = await ctx.call("POST", `/v1/calibrations/${id}/ratings`, {
      key: ctx.keys.lead,
      body,
      headers: { "content-type": "text/csv; charset=utf-8" },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      rows: 5,
      written: 4,
      cleared: 0,
      progress: [
        { rater: "alice", labelled: 1, remaining: 5 },
        { rater: "bob", labelled: 1, remaining: 5 },
        { rater: "김민지", labelled: 2, remaining: 4 },
      ],
    });
    const stored = await ctx.db.all(
      "SELECT rater, item_id, label FROM calibration_ratings WHERE rater = ? ORDER BY item_id",
      ["김민지"],
    );
    expect(stored).toEqual([
      { rater: "김민지", item_id: "post-1", label: JSON.stringify("위반 없음") },
      { rater: "김민지", item_id: "post-2", label: JSON.stringify("혐오 표현") },
    ]);

    // Header in another order, an extra column, LF endings, no BOM, an empty label clearing, NFD input.
    const nfd = "혐오 표현".normalize("NFD");
    expect(nfd).not.toBe("혐오 표현");
    const again = await ctx.call("POST", `/v1/calibrations/${id}/ratings`, {
      key: ctx.keys.lead,
      body: `Label,Note,Item,Rater\n,"a ""quoted"", note",post-1,bob\n${nfd},,post-3,bob\n\n`,
      headers: { "content-type": "text/csv" },
    });
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ rows: 2, written: 1, cleared: 1 });
    expect((await ctx.call("POST", `/v1/calibrations/${id}/close`, { key: ctx.keys.lead })).status).toBe(200);
    const bob = await ctx.call("GET", `/v1/calibrations/${id}/ratings/bob`, { key: ctx.keys.viewer });
    expect(bob.body.ratings).toEqual({ "post-3": "혐오 표현" });
    expect(bob.body.ratings["post-3"]).toBe("혐오 표현".normalize("NFC"));
  });

  it("a bad row answers 400 naming the row and field and writes nothing", async () => {
    const ctx = await context();
    const { id } = await createSession(ctx);
    const send = (text: string, type = "text/csv") =>
      ctx.call("POST", `/v1/calibrations/${id}/ratings`, {
        key: ctx.keys.lead,
        body: text,
        headers: { "content-type": type },
      });
    const bad = await send(
      csv([
        ["item", "rater", "label"],
        ["post-1", "alice", "괴롭힘"],
        ["post-2", "alice", "스팸"],
        ["post-9", "dave", "괴롭힘"],
        ["post-1", "alice", "위반 없음"],
      ]),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      "rows.3.label",
      "rows.4.item",
      "rows.4.rater",
      "rows.5.item",
    ]);
    expect(await ratingCount(ctx, id)).toBe(0);

    const cases: [string, string][] = [
      ["item,rater\npost-1,alice\n", "rows.1"],
      ['item,rater,label\npost-1,alice,"unterminated\n', "rows.2"],
      ["", "rows.1"],
    ];
    for (const [text, path] of cases) {
      const res = await send(text);
      expect({ text, status: res.status }).toEqual({ text, status: 400 });
      expect(res.body.error.details[0].path).toBe(path);
    }
    const notUtf8 = await ctx.call("POST", `/v1/calibrations/${id}/ratings`, {
      key: ctx.keys.lead,
      body: new Uint8Array([0x69, 0x74, 0x65, 0x6d, 0x0a, 0xc7, 0xd1, 0xb1, 0xdb]), // "item\n" + 한글 in CP949
      headers: { "content-type": "text/csv" },
    });
    expect(notUtf8.status).toBe(400);
    expect(notUtf8.body.error.message).toContain("UTF-8");
    const json = await send('{"ratings":{}}', "application/json");
    expect(json.status).toBe(415);
    expect(await ratingCount(ctx, id)).toBe(0);
  });
});

describe("calibration sessions: close", () => {
  it("a closed session refuses writes with 409; closing twice is 409; only a lead closes", async () => {
    const ctx = await context();
    const { id } = await createSession(ctx);
    expect((await ctx.call("POST", `/v1/calibrations/${id}/close`, { key: ctx.keys.auditor })).status).toBe(
      403,
    );
    const closed = await ctx.call("POST", `/v1/calibrations/${id}/close`, { key: ctx.keys.lead });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe("closed");
    expect(Date.parse(closed.body.closedAt)).not.toBeNaN();
    expect((await ctx.call("POST", `/v1/calibrations/${id}/close`, { key: ctx.keys.lead })).status).toBe(409);
    const put = await ctx.call("PUT", `/v1/calibrations/${id}/ratings/alice`, {
      key: ctx.keys.auditor,
      json: { ratings: { "post-1": "괴롭힘" } },
    });
    expect(put.status).toBe(409);
    expect(put.body.error.code).toBe("conflict");
    const imported = await ctx.call("POST", `/v1/calibrations/${id}/ratings`, {
      key: ctx.keys.lead,
      body: "item,rater,label\npost-1,alice,괴롭힘\n",
      headers: { "content-type": "text/csv" },
    });
    expect(imported.status).toBe(409);
    expect(await ratingCount(ctx, id)).toBe(0);
    expect((await ctx.call("POST", "/v1/calibrations/nope/close", { key: ctx.keys.lead })).status).toBe(404);
  });
});

describe("calibration sessions: report", () => {
  async function closedSession(ctx: Ctx) {
    const { id } = await createSession(ctx, {}, 5);
    // post-1 unanimous, post-2 two of three, post-3 all different, post-4 two ratings agreeing, post-5 one rating.
    const rows = [
      ["item", "rater", "label"],
      ["post-1", "alice", "위반 없음"],
      ["post-1", "bob", "위반 없음"],
      ["post-1", "carol", "위반 없음"],
      ["post-2", "alice", "혐오 표현"],
      ["post-2", "bob", "혐오 표현"],
      ["post-2", "carol", "괴롭힘"],
      ["post-3", "alice", "위반 없음"],
      ["post-3", "bob", "혐오 표현"],
      ["post-3", "carol", "괴롭힘"],
      ["post-4", "alice", "괴롭힘"],
      ["post-4", "bob", "괴롭힘"],
      ["post-5", "carol", "혐오 표현"],
    ];
    const imported = await ctx.call("POST", `/v1/calibrations/${id}/ratings`, {
      key: ctx.keys.lead,
      body: csv(rows),
      headers: { "content-type": "text/csv" },
    });
    expect(imported.status, imported.text).toBe(200);
    expect((await ctx.call("POST", `/v1/calibrations/${id}/close`, { key: ctx.keys.lead })).status).toBe(200);
    return id;
  }

  it("after close: the agreement fields, each rater vs gold and consensus, items by least agreement", async () => {
    const ctx = await context();
    const id = await closedSession(ctx);
    const res = await ctx.call("GET", `/v1/calibrations/${id}/report`, { key: ctx.keys.viewer });
    expect(res.status, res.text).toBe(200);
    const report = res.body;
    expect(report).toMatchObject({
      calibration: { id, name: "주간 보정 세션" },
      itemCount: 5,
      raters: ["alice", "bob", "carol"],
      categories: KOREAN,
      level: "nominal",
      weights: "unweighted",
      confidence: 0.95,
      cohen: null,
    });
    for (const field of ["percentAgreement", "fleiss", "krippendorff", "gwet", "pairwise"]) {
      expect(report).toHaveProperty(field);
    }
    expect(report.fleiss).toEqual(
      expect.objectContaining({ kappa: expect.any(Number), perCategory: expect.any(Array) }),
    );
    expect(report.krippendorff).toEqual(
      expect.objectContaining({ alpha: expect.any(Number), level: "nominal" }),
    );
    expect(report.gwet).toEqual(expect.objectContaining({ ac1: expect.any(Number) }));
    expect(report.pairwise).toHaveLength(3);

    // Same numbers as POST /v1/agreement on the same matrix.
    const direct = await ctx.call("POST", "/v1/agreement", {
      json: {
        ratings: [
          ["위반 없음", "위반 없음", "위반 없음"],
          ["혐오 표현", "혐오 표현", "괴롭힘"],
          ["위반 없음", "혐오 표현", "괴롭힘"],
          ["괴롭힘", "괴롭힘", null],
          [null, null, "혐오 표현"],
        ],
        raters: ["alice", "bob", "carol"],
        categories: KOREAN,
      },
    });
    expect(direct.status).toBe(200);
    expect(report.fleiss).toEqual(direct.body.fleiss);
    expect(report.gwet).toEqual(direct.body.gwet);

    expect(report.items.map((row: { id: string }) => row.id)).toEqual([
      "post-3",
      "post-2",
      "post-1",
      "post-4",
      "post-5",
    ]);
    const agreements = report.items.map((row: { agreement: number | null }) => row.agreement);
    expect(agreements.slice(0, 4)).toEqual([0, 1 / 3, 1, 1]);
    expect(agreements[4]).toBeNull();
    expect(report.items[1]).toEqual({
      id: "post-2",
      gold: KOREAN[1],
      consensus: "혐오 표현",
      tie: false,
      agreement: 1 / 3,
      ratings: 3,
      labels: { alice: "혐오 표현", bob: "혐오 표현", carol: "괴롭힘" },
    });
    expect(report.items[0]).toMatchObject({ consensus: null, tie: true });

    const alice = report.raterReport.find((entry: { rater: string }) => entry.rater === "alice");
    expect(alice.rated).toBe(4);
    // Gold: post-1 위반 없음 ✓, post-2 혐오 표현 ✓, post-3 괴롭힘 ✗ (said 위반 없음), post-4 위반 없음 ✗ (said 괴롭힘).
    expect(alice.gold).toMatchObject({ items: 4, accuracy: 0.5 });
    expect(alice.gold.confusion).toEqual([
      [1, 0, 1],
      [0, 1, 0],
      [1, 0, 0],
    ]);
    expect(alice.gold.perCategory[0]).toMatchObject({ category: "위반 없음", recall: 0.5, precision: 0.5 });
    expect(alice.gold).toHaveProperty("kappa");
    // Consensus excludes alice herself: on post-2 and post-3 bob and carol split, so those are ties.
    expect(alice.consensus).toMatchObject({
      items: 2,
      accuracy: 1,
      ties: 2,
      tiedItems: ["post-2", "post-3"],
    });

    const weighted = await ctx.call("GET", `/v1/calibrations/${id}/report?weights=quadratic&confidence=0.9`, {
      key: ctx.keys.auditor,
    });
    expect(weighted.status).toBe(200);
    expect(weighted.body).toMatchObject({
      weights: "quadratic",
      confidence: 0.9,
      gwet: { coefficient: "AC2" },
    });
    for (const query of ["weights=cubic", "confidence=1", "confidence=abc", "format=xml"]) {
      const bad = await ctx.call("GET", `/v1/calibrations/${id}/report?${query}`, { key: ctx.keys.viewer });
      expect({ query, status: bad.status }).toEqual({ query, status: 400 });
    }
    const detail = await ctx.call("GET", `/v1/calibrations/${id}`, { key: ctx.keys.viewer });
    expect(detail.body.itemList[0]).toEqual({ id: "post-1", gold: "위반 없음" });
    const bob = await ctx.call("GET", `/v1/calibrations/${id}/ratings/bob`, { key: ctx.keys.auditor });
    expect(bob.status).toBe(200);
    expect(bob.body.ratings).toEqual({
      "post-1": "위반 없음",
      "post-2": "혐오 표현",
      "post-3": "혐오 표현",
      "post-4": "괴롭힘",
    });
  });

  it("?format=csv gives the item table as UTF-8 CSV with a BOM, fields quoted per RFC 4180", async () => {
    const ctx = await context();
    const { id } = await createSession(ctx, { items: [{ id: 'post "1", 첫째' }, { id: "=cmd|x" }] });
    await ctx.call("PUT", `/v1/calibrations/${id}/ratings/alice`, {
      key: ctx.keys.auditor,
      json: { ratings: { 'post "1", 첫째': "혐오 표현", "=cmd|x": "괴롭힘" } },
    });
    await ctx.call("PUT", `/v1/calibrations/${id}/ratings/bob`, {
      key: ctx.bob,
      json: { ratings: { 'post "1", 첫째': "괴롭힘", "=cmd|x": "괴롭힘" } },
    });
    await ctx.call("POST", `/v1/calibrations/${id}/close`, { key: ctx.keys.lead });
    const res = await ctx.app.request(`/v1/calibrations/${id}/report?format=csv`, {
      headers: { authorization: `Bearer ${ctx.keys.viewer}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith("\uFEFF")).toBe(true);
    const lines = text.slice(1).split("\r\n");
    expect(lines[0]).toBe('"item","gold","consensus","agreement","ratings","alice","bob","carol"');
    expect(lines[1]).toBe('"post ""1"", 첫째",,,"0","2","혐오 표현","괴롭힘",');
    // A cell a spreadsheet would run as a formula is neutralised.
    expect(lines[2]).toBe('"\'=cmd|x",,"괴롭힘","1","2","괴롭힘","괴롭힘",');
    expect(lines[3]).toBe("");
  });

  it("a closed session with no ratings still reports (coefficients null, with reasons)", async () => {
    const ctx = await context();
    const { id } = await createSession(ctx);
    await ctx.call("POST", `/v1/calibrations/${id}/close`, { key: ctx.keys.lead });
    const res = await ctx.call("GET", `/v1/calibrations/${id}/report`, { key: ctx.keys.viewer });
    expect(res.status).toBe(200);
    expect(res.body.fleiss.kappa).toBeNull();
    expect(res.body.fleiss.undefinedReason).toEqual(expect.any(String));
    expect(res.body.items).toHaveLength(6);
  });
});

describe("calibration sessions: robustness", () => {
  it("random CSV bodies and PUT bodies never 5xx, and a refused write changes nothing", async () => {
    const ctx = await context();
    const { id } = await createSession(ctx, { categories: [...KOREAN, 1, "2"] });
    const field = fc.oneof(
      fc.constantFrom(
        "post-1",
        "post-2",
        "alice",
        "bob",
        "dave",
        ...KOREAN,
        "1",
        "2",
        "",
        '"',
        ",",
        "\n",
        "\r\n",
      ),
      fc.string({ maxLength: 6 }),
    );
    const csvText = fc
      .array(fc.array(field, { maxLength: 4 }), { maxLength: 6 })
      .map((rows) => ["item,rater,label", ...rows.map((r) => r.join(","))].join("\n"));
    const label = fc.oneof(fc.constantFrom(...KOREAN, 1, "1", 2, "2", null), fc.anything());
    const ratings = fc.dictionary(
      fc.constantFrom("post-1", "post-2", "post-9", "__proto__", "constructor"),
      label,
    );
    await fc.assert(
      fc.asyncProperty(csvText, ratings, fc.boolean(), async (text, json, asLead) => {
        const allRatings = () =>
          ctx.db.all("SELECT rater, item_id, label FROM calibration_ratings ORDER BY 1, 2");
        const before = await allRatings();
        const key = asLead ? ctx.keys.lead : ctx.keys.auditor;
        const imported = await ctx.call("POST", `/v1/calibrations/${id}/ratings`, {
          key,
          body: text,
          headers: { "content-type": "text/csv" },
        });
        expect(imported.status, imported.text).toBeLessThan(500);
        if (imported.status >= 400) {
          expect(await allRatings()).toEqual(before);
        }
        const put = await ctx.call("PUT", `/v1/calibrations/${id}/ratings/alice`, {
          key,
          json: { ratings: json },
        });
        expect(put.status, put.text).toBeLessThan(500);
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
