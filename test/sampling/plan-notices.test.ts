import { describe, expect, it } from "vitest";
import { type TestContext, testContext } from "../helpers.ts";
import { decision } from "../work/fixture.ts";

const ndjson = { "content-type": "application/x-ndjson" };

async function upload(ctx: TestContext, rows = 12): Promise<string> {
  const res = await ctx.call("POST", "/v1/populations", {
    key: ctx.keys.lead,
    body: Array.from({ length: rows }, (_, i) => JSON.stringify(decision(i))).join("\n"),
    headers: ndjson,
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

const draw = (ctx: TestContext, json: Record<string, unknown>) =>
  ctx.call("POST", "/v1/samples", { key: ctx.keys.lead, json });

interface Notice {
  code: string;
  params: Record<string, number | string>;
  message: string;
}

describe("a draw's plan notes carry codes and parameters (notices), one for one with the English notes", () => {
  it("forwards the allocation's notices: a margin-sized total says how it was derived", async () => {
    const ctx = await testContext();
    const population = await upload(ctx);
    const drawn = await draw(ctx, { population, strata: ["queue"], margin: 0.2, confidence: 0.9 });
    expect(drawn.status, drawn.text).toBe(201);
    const notices: Notice[] = drawn.body.notices;
    expect(notices.map((n) => n.code)).toContain("total_derived");
    expect(notices.map((n) => n.message)).toEqual(drawn.body.notes);
    const derived = notices.find((n) => n.code === "total_derived")!;
    expect(derived.params).toMatchObject({ margin: 0.2, confidence: 0.9, population: 12 });
  });

  it("gives the plan's own notes codes: per-stratum sizing, an allocation it ignores, rates it does not use", async () => {
    const ctx = await testContext();
    const population = await upload(ctx);
    const perStratum = await draw(ctx, {
      population,
      strata: ["queue"],
      allocation: "equal",
      perStratum: { margin: 0.1, confidence: 0.95 },
    });
    expect(perStratum.status, perStratum.text).toBe(201);
    expect(perStratum.body.notices).toEqual([
      { code: "per_stratum_ignores_allocation", params: {}, message: perStratum.body.notes[0] },
      {
        code: "per_stratum_sized",
        params: { margin: 0.1, confidence: 0.95 },
        message: perStratum.body.notes[1],
      },
    ]);
    const unused = await draw(ctx, {
      population,
      strata: ["queue"],
      allocation: "equal",
      total: 4,
      expectedRates: { "queue=hate": 0.1 },
    });
    expect(unused.status, unused.text).toBe(201);
    expect(unused.body.notices).toContainEqual(
      expect.objectContaining({ code: "rates_unused", params: { method: "equal" } }),
    );
  });

  it("are stored with the sample: the list and the detail return the same notices", async () => {
    const ctx = await testContext();
    const population = await upload(ctx);
    const drawn = await draw(ctx, { population, strata: ["queue"], margin: 0.2 });
    const got = await ctx.call("GET", `/v1/samples/${drawn.body.id}`, { key: ctx.keys.viewer });
    expect(got.body.notices).toEqual(drawn.body.notices);
    expect(got.body.notes).toEqual(drawn.body.notes);
    const list = await ctx.call("GET", "/v1/samples", { key: ctx.keys.viewer });
    expect(list.body.samples[0].notices).toEqual(drawn.body.notices);
  });

  it("a sample stored with English notes only (drawn before notes had codes) keeps them, with no notices", async () => {
    const ctx = await testContext();
    const population = await upload(ctx);
    const drawn = await draw(ctx, { population, total: 4 });
    await ctx.db.run("UPDATE samples SET notes = ? WHERE id = ?", [
      JSON.stringify(["an old note in English"]),
      drawn.body.id,
    ]);
    const got = await ctx.call("GET", `/v1/samples/${drawn.body.id}`, { key: ctx.keys.viewer });
    expect(got.status).toBe(200);
    expect(got.body.notes).toEqual(["an old note in English"]);
    expect(got.body.notices).toEqual([]);
  });
});
