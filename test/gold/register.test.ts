import { describe, expect, it } from "vitest";
import { testContext } from "../helpers.ts";
import { goldContext, manualGold } from "./fixture.ts";

describe("POST /v1/gold, GET /v1/gold, DELETE /v1/gold/:id", () => {
  it("registers gold by hand, lists it newest first a page at a time, and retires it", async () => {
    const ctx = await testContext();
    const first = await ctx.call("POST", "/v1/gold", {
      key: ctx.keys.lead,
      json: { items: [manualGold(0), manualGold(1)] },
    });
    expect(first.status, first.text).toBe(201);
    expect(first.body.items[0]).toMatchObject({
      id: expect.stringMatching(/^g-[0-9a-f]{32}$/),
      decisionId: "gold-0000",
      queue: "hate",
      moderator: "gm0",
      url: "https://mod.example.com/d/g0",
      content: "골드 0",
      context: { reporter: "user-g0" },
      answer: { outcome: "incorrect", errorType: "false-negative", severity: 3, correctPolicy: null },
      source: "manual",
      createdBy: "lead key",
      retiredAt: null,
      slots: 0,
      verdicts: 0,
    });
    const second = await ctx.call("POST", "/v1/gold", {
      key: ctx.keys.admin,
      json: { items: [manualGold(2)] },
    });
    expect(second.status).toBe(201);
    const page1 = await ctx.call("GET", "/v1/gold?limit=2", { key: ctx.keys.lead });
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.items[0].decisionId).toBe("gold-0002");
    const page2 = await ctx.call("GET", `/v1/gold?limit=2&cursor=${page1.body.nextCursor}`, {
      key: ctx.keys.lead,
    });
    expect(page2.body).toMatchObject({ nextCursor: null });
    expect(
      [...page1.body.items, ...page2.body.items].map((g: { decisionId: string }) => g.decisionId).sort(),
    ).toEqual(["gold-0000", "gold-0001", "gold-0002"]);
    expect((await ctx.call("GET", "/v1/gold?cursor=nonsense", { key: ctx.keys.lead })).status).toBe(400);

    const id = first.body.items[0].id;
    const retired = await ctx.call("DELETE", `/v1/gold/${id}`, { key: ctx.keys.lead });
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ id, retiredAt: expect.any(String), retiredBy: "lead key" });
    expect((await ctx.call("DELETE", "/v1/gold/g-unknown", { key: ctx.keys.lead })).status).toBe(404);
    const active = await ctx.call("GET", "/v1/gold", { key: ctx.keys.lead });
    expect(active.body.items.map((g: { id: string }) => g.id)).not.toContain(id);
    const all = await ctx.call("GET", "/v1/gold?retired=true", { key: ctx.keys.lead });
    expect(all.body.items).toHaveLength(3);
    // A retired decision may be registered again (one active gold per decision id).
    expect(
      (await ctx.call("POST", "/v1/gold", { key: ctx.keys.lead, json: { items: [manualGold(0)] } })).status,
    ).toBe(201);
    const again = await ctx.call("POST", "/v1/gold", {
      key: ctx.keys.lead,
      json: { items: [manualGold(5), manualGold(1)] },
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: "gold_exists",
      details: [expect.objectContaining({ path: "items.1.decisionId" })],
    });
    // All or nothing: gold-0005 was not stored either.
    expect((await ctx.call("GET", "/v1/gold", { key: ctx.keys.lead })).body.items).toHaveLength(3);
  });

  it("refuses hostile input naming every bad field, and stores nothing", async () => {
    const ctx = await testContext();
    const bad = [
      { ...manualGold(0), errorType: undefined },
      { ...manualGold(1), errorType: "false-positive" },
      { ...manualGold(2), url: "javascript:alert(1)", decidedAt: "2026-02-30T10:00:00Z" },
      { ...manualGold(3), queue: "   ", context: { "": "x" } },
      { ...manualGold(5), decisionId: "gold-0001" },
    ];
    const res = await ctx.call("POST", "/v1/gold", { key: ctx.keys.lead, json: { items: bad } });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "items.0.errorType",
        "items.1.errorType",
        "items.2.url",
        "items.2.decidedAt",
        "items.3.queue",
        "items.3.context",
        "items.4.decisionId",
      ]),
    );
    // zod limits: unknown fields, oversize text, too many items, both or neither source.
    for (const body of [
      { items: [{ ...manualGold(0), extra: 1 }] },
      { items: [{ ...manualGold(0), notes: "x".repeat(2001) }] },
      { items: [{ ...manualGold(0), queue: "q".repeat(501) }] },
      { items: [{ ...manualGold(0), severity: 5 }] },
      { items: [{ ...manualGold(0), decisionId: "\ud800" }] },
      { items: Array.from({ length: 1001 }, (_, i) => manualGold(i)) },
      { items: [] },
      {},
      { items: [manualGold(0)], calibration: { id: "c", answers: {} } },
    ]) {
      const refused = await ctx.call("POST", "/v1/gold", { key: ctx.keys.lead, json: body });
      expect(refused.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    expect((await ctx.call("GET", "/v1/gold", { key: ctx.keys.lead })).body.items).toEqual([]);
  });

  it("registers a closed calibration session's gold: answers per gold label, values from decisions or a sample", async () => {
    const ctx = await goldContext(10, []);
    const session = await ctx.call("POST", "/v1/calibrations", {
      key: ctx.keys.lead,
      json: {
        name: "골드 보정",
        categories: ["ok", "hate-miss", 3],
        items: [
          { id: "d-0001", gold: "ok" },
          { id: "c-2", gold: "hate-miss" },
          { id: "c-3", gold: 3 },
          { id: "c-4" },
        ],
        raters: ["alice", "bob"],
      },
    });
    expect(session.status, session.text).toBe(201);
    const answers = {
      ok: { outcome: "correct" },
      "hate-miss": { outcome: "incorrect", errorType: "false-negative", severity: 4 },
      "3": { outcome: "incorrect", errorType: "wrong-policy", correctPolicy: "P9" },
    };
    const decisions = {
      "c-2": {
        queue: "hate",
        moderator: "m9",
        decidedAt: "2026-11-20T10:00:00+09:00",
        url: "https://x.example/2",
      },
      "c-3": { queue: "spam", moderator: "m8", context: { reporter: "u" } },
    };
    const body = { calibration: { id: session.body.id, answers, decisions, sampleId: ctx.sample } };
    const open = await ctx.call("POST", "/v1/gold", { key: ctx.keys.lead, json: body });
    expect(open.status).toBe(409);
    expect(open.body.error.code).toBe("calibration_open");
    expect(
      (await ctx.call("POST", `/v1/calibrations/${session.body.id}/close`, { key: ctx.keys.lead })).status,
    ).toBe(200);

    // Every problem at once: a label without an answer, an item without values, a bad answer.
    const missing = await ctx.call("POST", "/v1/gold", {
      key: ctx.keys.lead,
      json: {
        calibration: {
          id: session.body.id,
          answers: { ok: { outcome: "incorrect" }, "3": answers["3"] },
          decisions: { "c-3": decisions["c-3"] },
        },
      },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(
      [
        "calibration.answers.hate-miss",
        "calibration.answers.ok.errorType",
        "calibration.decisions.d-0001",
      ].sort(),
    );

    const res = await ctx.call("POST", "/v1/gold", { key: ctx.keys.lead, json: body });
    expect(res.status, res.text).toBe(201);
    const byDecision = new Map(res.body.items.map((g: { decisionId: string }) => [g.decisionId, g]));
    expect(byDecision.size).toBe(3);
    // d-0001 took its values from the sample's drawn item.
    expect(byDecision.get("d-0001")).toMatchObject({
      queue: "spam",
      moderator: "m1",
      label: "keep",
      url: "https://mod.example.com/d/1",
      context: { reporter: "user-1" },
      answer: { outcome: "correct", errorType: null },
      source: "calibration",
      calibrationId: session.body.id,
      calibrationItem: "d-0001",
    });
    expect(byDecision.get("c-2")).toMatchObject({
      answer: { outcome: "incorrect", errorType: "false-negative", severity: 4 },
    });
    expect(byDecision.get("c-3")).toMatchObject({
      answer: { errorType: "wrong-policy", correctPolicy: "P9" },
    });
    expect((await ctx.call("POST", "/v1/gold", { key: ctx.keys.lead, json: body })).status).toBe(409);
    expect(
      (
        await ctx.call("POST", "/v1/gold", {
          key: ctx.keys.lead,
          json: { calibration: { id: "nope", answers } },
        })
      ).status,
    ).toBe(404);
  });
});
