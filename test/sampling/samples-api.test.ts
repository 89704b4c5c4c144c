import { describe, expect, it } from "vitest";
import { type TestContext, testContext } from "../helpers.ts";
import { decision, skipPath, verdictPath, workContext } from "../work/fixture.ts";

const ndjson = { "content-type": "application/x-ndjson" };

async function upload(ctx: TestContext, name?: string, rows = 12): Promise<string> {
  const res = await ctx.call("POST", `/v1/populations${name ? `?name=${encodeURIComponent(name)}` : ""}`, {
    key: ctx.keys.lead,
    body: Array.from({ length: rows }, (_, i) => JSON.stringify(decision(i))).join("\n"),
    headers: ndjson,
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

const draw = (ctx: TestContext, json: Record<string, unknown>) =>
  ctx.call("POST", "/v1/samples", { key: ctx.keys.lead, json: { total: 4, ...json } });

/** Today's date in a zone, YYYY-MM-DD (en-CA formats dates that way). */
const today = (timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date());

describe("sample names", () => {
  it("default to the population's name and the draw's date in MODQC_TZ", async () => {
    const ctx = await testContext({ MODQC_TZ: "Asia/Seoul" });
    const population = await upload(ctx, "증오 KR");
    const before = today("Asia/Seoul");
    const drawn = await draw(ctx, { population });
    expect(drawn.status, drawn.text).toBe(201);
    // A draw across midnight may name either day.
    expect([`증오 KR ${before}`, `증오 KR ${today("Asia/Seoul")}`]).toContain(drawn.body.name);
    const got = await ctx.call("GET", `/v1/samples/${drawn.body.id}`, { key: ctx.keys.viewer });
    expect(got.body.name).toBe(drawn.body.name);
  });

  it("default to the population's id when the population has no name", async () => {
    const ctx = await testContext();
    const population = await upload(ctx);
    const drawn = await draw(ctx, { population });
    expect(drawn.body.name).toMatch(new RegExp(`^${population} \\d{4}-\\d{2}-\\d{2}$`));
  });

  it("are taken as given, trimmed, and kept by the list and the detail", async () => {
    const ctx = await testContext();
    const population = await upload(ctx, "spam");
    const drawn = await draw(ctx, { population, name: "  12월 첫 주 점검  " });
    expect(drawn.status).toBe(201);
    expect(drawn.body.name).toBe("12월 첫 주 점검");
    const list = await ctx.call("GET", "/v1/samples", { key: ctx.keys.viewer });
    expect(list.body.samples.map((s: { name: string }) => s.name)).toEqual(["12월 첫 주 점검"]);
  });

  it("refuse an empty, blank, too long or ill-formed name with 400 naming the field, and store nothing", async () => {
    const ctx = await testContext();
    const population = await upload(ctx, "spam");
    for (const name of ["", "   ", "x".repeat(201), "bad \ud800 name", "nul \u0000", 42]) {
      const res = await draw(ctx, { population, name });
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
      expect(res.body.error.details[0].path).toBe("name");
    }
    expect((await draw(ctx, { population, name: "x".repeat(200) })).status).toBe(201);
    expect((await ctx.call("GET", "/v1/samples", { key: ctx.keys.viewer })).body.samples).toHaveLength(1);
  });
});

describe("GET /v1/samples and /v1/samples/{id}", () => {
  it("list each sample with its population's name and upload time, creator and progress, filtered by population and q", async () => {
    const ctx = await workContext(12);
    // A second upload under the same name: the listing tells them apart by id and upload time.
    const second = await ctx.call("POST", "/v1/populations?name=same", {
      key: ctx.keys.lead,
      body: [decision(0), decision(1)].map((d) => JSON.stringify(d)).join("\n"),
      headers: ndjson,
    });
    const other = await draw(ctx, { population: second.body.id, total: 2, name: "Second one" });
    const mine = ctx.itemsOf("alice");
    await ctx.call("PUT", verdictPath(ctx.sample, mine[0].id), {
      key: ctx.keys.auditor,
      json: { outcome: "correct" },
    });
    await ctx.call("POST", skipPath(ctx.sample, mine[1].id), {
      key: ctx.keys.auditor,
      json: { reason: "needs-specialist" },
    });

    const list = await ctx.call("GET", "/v1/samples", { key: ctx.keys.viewer });
    expect(list.status).toBe(200);
    const populations = (await ctx.call("GET", "/v1/populations", { key: ctx.keys.viewer })).body.populations;
    const first = populations.find((p: { id: string }) => p.id === ctx.population);
    expect(list.body.samples).toHaveLength(2);
    expect(list.body.samples[0]).toMatchObject({
      id: ctx.sample,
      population: ctx.population,
      populationName: null,
      populationCreatedAt: first.createdAt,
      seed: "work",
      n: 12,
      createdBy: "lead key",
      progress: { assigned: 12, done: 1, skipped: 1, todo: 10, unassigned: 0 },
    });
    expect(list.body.samples[0].plan).toMatchObject({ total: 12 });
    expect(list.body.samples[1]).toMatchObject({
      id: other.body.id,
      name: "Second one",
      populationName: "same",
      progress: { assigned: 0, done: 0, skipped: 0, todo: 2, unassigned: 2 },
    });

    const byPopulation = await ctx.call("GET", `/v1/samples?population=${second.body.id}`, {
      key: ctx.keys.viewer,
    });
    expect(byPopulation.body.samples.map((s: { id: string }) => s.id)).toEqual([other.body.id]);
    const byName = await ctx.call("GET", "/v1/samples?q=SECOND", { key: ctx.keys.viewer });
    expect(byName.body.samples.map((s: { id: string }) => s.id)).toEqual([other.body.id]);
    expect((await ctx.call("GET", "/v1/samples?q=nothing", { key: ctx.keys.viewer })).body.samples).toEqual(
      [],
    );
    expect((await ctx.call("GET", `/v1/samples?q=${"x".repeat(201)}`, { key: ctx.keys.viewer })).status).toBe(
      400,
    );

    const detail = await ctx.call("GET", `/v1/samples/${ctx.sample}`, { key: ctx.keys.viewer });
    expect(detail.body).toMatchObject({
      name: list.body.samples[0].name,
      population: ctx.population,
      populationName: null,
      populationCreatedAt: first.createdAt,
      createdBy: "lead key",
      progress: { done: 1, skipped: 1, todo: 10 },
    });
  });
});

describe("POST /v1/samples/{id}/assign again", () => {
  it("answers 409 already_assigned with each auditor's done, skipped and todo, and changes nothing", async () => {
    const ctx = await workContext(12);
    const alice = ctx.itemsOf("alice");
    await ctx.call("PUT", verdictPath(ctx.sample, alice[0].id), {
      key: ctx.keys.auditor,
      json: { outcome: "correct" },
    });
    await ctx.call("POST", skipPath(ctx.sample, alice[1].id), {
      key: ctx.keys.auditor,
      json: { reason: "needs-specialist" },
    });
    const again = await ctx.call("POST", `/v1/samples/${ctx.sample}/assign`, {
      key: ctx.keys.lead,
      json: { auditors: ["carol"] },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("already_assigned");
    expect(again.body.error.details).toEqual([
      expect.objectContaining({
        path: "auditors",
        auditor: "alice",
        assigned: alice.length,
        done: 1,
        skipped: 1,
        todo: alice.length - 2,
      }),
      expect.objectContaining({ auditor: "bob", done: 0, skipped: 0, todo: ctx.itemsOf("bob").length }),
    ]);
    const items = await ctx.call("GET", `/v1/samples/${ctx.sample}/items`, { key: ctx.keys.viewer });
    expect(items.body.items.map((i: { auditor: string }) => i.auditor)).toEqual(
      ctx.items.map((i) => i.auditor),
    );
    expect(
      (
        await ctx.call("POST", `/v1/samples/${ctx.sample}/assign`, {
          key: ctx.keys.lead,
          json: { auditors: ["carol"], replace: false },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await ctx.call("POST", `/v1/samples/${ctx.sample}/assign`, {
          key: ctx.keys.lead,
          json: { auditors: ["carol"], replace: "yes" },
        })
      ).status,
    ).toBe(400);
  });

  it('replaces every item\'s auditor with "replace": true, keeping verdicts as done', async () => {
    const ctx = await workContext(12);
    const alice = ctx.itemsOf("alice");
    await ctx.call("PUT", verdictPath(ctx.sample, alice[0].id), {
      key: ctx.keys.auditor,
      json: { outcome: "correct" },
    });
    const replaced = await ctx.call("POST", `/v1/samples/${ctx.sample}/assign`, {
      key: ctx.keys.lead,
      json: { auditors: ["carol"], replace: true },
    });
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.body.loads).toEqual([{ auditor: "carol", items: 12 }]);
    const detail = await ctx.call("GET", `/v1/samples/${ctx.sample}`, { key: ctx.keys.viewer });
    expect(detail.body.progress).toMatchObject({ done: 1, todo: 11 });
    expect(detail.body.progress.byAuditor).toEqual([
      { auditor: "carol", assigned: 12, done: 1, skipped: 0, todo: 11 },
    ]);
  });

  it("assigns a never-assigned sample without replace", async () => {
    const ctx = await workContext(6, null);
    const res = await ctx.call("POST", `/v1/samples/${ctx.sample}/assign`, {
      key: ctx.keys.lead,
      json: { auditors: ["alice"] },
    });
    expect(res.status, res.text).toBe(200);
  });
});

describe("DELETE /v1/samples/{id}", () => {
  it("answers 409 sample_has_audits while audits name the sample, and deletes one without", async () => {
    const ctx = await workContext(6);
    const item = ctx.itemsOf("alice")[0];
    await ctx.call("PUT", verdictPath(ctx.sample, item.id), {
      key: ctx.keys.auditor,
      json: { outcome: "correct" },
    });
    const refused = await ctx.call("DELETE", `/v1/samples/${ctx.sample}`, { key: ctx.keys.lead });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("sample_has_audits");
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: "id", audits: 1 })]);
    expect((await ctx.call("GET", `/v1/samples/${ctx.sample}`, { key: ctx.keys.viewer })).status).toBe(200);

    const unused = await draw(ctx, { population: ctx.population, total: 2 });
    expect((await ctx.call("DELETE", `/v1/samples/${unused.body.id}`, { key: ctx.keys.viewer })).status).toBe(
      403,
    );
    const deleted = await ctx.call("DELETE", `/v1/samples/${unused.body.id}`, { key: ctx.keys.lead });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id: unused.body.id, deleted: true });
    expect((await ctx.call("DELETE", `/v1/samples/${unused.body.id}`, { key: ctx.keys.lead })).status).toBe(
      404,
    );
  });
});
