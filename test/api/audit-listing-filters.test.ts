import { describe, expect, it } from "vitest";
import { funnel } from "../../stats/spc/funnel.ts";
import { type TestContext, testContext } from "../helpers.ts";
import { verdictPath, workContext } from "../work/fixture.ts";

/**
 * Issue 18, the drill-down from a report to the audits behind it: GET /v1/audits's `outcome`, `minSeverity` and
 * `id` filters with the report filters, and GET /v1/funnel's minimum volume (`minAudited`).
 */

interface Spec {
  id: string;
  queue?: string;
  moderator?: string;
  errorType?: string;
  severity?: number;
  auditedAt?: string;
}

const audit = (s: Spec) => ({
  id: s.id,
  decisionId: `d-${s.id}`,
  queue: s.queue ?? "hate",
  moderator: s.moderator ?? "m1",
  auditor: "alice",
  outcome: s.errorType ? "incorrect" : "correct",
  ...(s.errorType ? { errorType: s.errorType } : {}),
  ...(s.severity ? { severity: s.severity } : {}),
  auditedAt: s.auditedAt ?? "2026-11-10T10:00:00Z",
});

/** Six audits: three errors of different types and severities, in two queues, on two days. */
const AUDITS: Spec[] = [
  { id: "c1" },
  { id: "c2", queue: "spam", auditedAt: "2026-11-11T10:00:00Z" },
  { id: "e1", errorType: "false-negative", severity: 4 },
  { id: "e2", errorType: "false-positive", severity: 2, queue: "spam" },
  { id: "e3", errorType: "false-negative", moderator: "m2", auditedAt: "2026-11-11T10:00:00Z" },
  { id: "c3", moderator: "m2", severity: 1 },
];

async function stored(): Promise<TestContext> {
  const ctx = await testContext();
  const res = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: AUDITS.map(audit) });
  expect(res.status).toBe(200);
  return ctx;
}

async function ids(ctx: TestContext, query: string): Promise<string[]> {
  const res = await ctx.call("GET", `/v1/audits?${query}`, { key: ctx.keys.viewer });
  expect(res.status, res.text).toBe(200);
  return (res.body.audits as { id: string }[]).map((a) => a.id);
}

describe("GET /v1/audits: outcome, minSeverity and id filters", () => {
  it("outcome lists exactly the audits with that verdict, in arrival order", async () => {
    const ctx = await stored();
    expect(await ids(ctx, "outcome=incorrect")).toEqual(["e1", "e2", "e3"]);
    expect(await ids(ctx, "outcome=correct")).toEqual(["c1", "c2", "c3"]);
    expect(await ids(ctx, "")).toEqual(AUDITS.map((a) => a.id));
  });

  it("outcome combines with the report filters by AND (queue, moderator, dates in tz, errorType)", async () => {
    const ctx = await stored();
    expect(await ids(ctx, "outcome=incorrect&queue=hate")).toEqual(["e1", "e3"]);
    expect(await ids(ctx, "outcome=correct&moderator=m2")).toEqual(["c3"]);
    expect(await ids(ctx, "outcome=incorrect&from=2026-11-11&to=2026-11-11&tz=Asia/Seoul")).toEqual(["e3"]);
    expect(await ids(ctx, "outcome=incorrect&errorType=false-negative")).toEqual(["e1", "e3"]);
    // errorType already lists only errors of that type: no correct audit is one.
    expect(await ids(ctx, "outcome=correct&errorType=false-negative")).toEqual([]);
  });

  it("the errors a quality row counts are the audits listed with outcome=incorrect under the same filters", async () => {
    const ctx = await stored();
    const quality = await ctx.call("GET", "/v1/quality?groupBy=queue,moderator", { key: ctx.keys.viewer });
    for (const group of quality.body.groups as {
      key: Record<string, string>;
      audited: number;
      errors: number;
    }[]) {
      const filter = `queue=${group.key.queue}&moderator=${group.key.moderator}`;
      expect(await ids(ctx, filter)).toHaveLength(group.audited);
      expect(await ids(ctx, `${filter}&outcome=incorrect`)).toHaveLength(group.errors);
    }
  });

  it("minSeverity lists the audits with a severity at least that high; audits without one are left out", async () => {
    const ctx = await stored();
    expect(await ids(ctx, "minSeverity=1")).toEqual(["e1", "e2", "c3"]);
    expect(await ids(ctx, "minSeverity=2")).toEqual(["e1", "e2"]);
    expect(await ids(ctx, "minSeverity=4")).toEqual(["e1"]);
    expect(await ids(ctx, "minSeverity=3&outcome=incorrect&queue=spam")).toEqual([]);
    expect(await ids(ctx, "minSeverity=2&queue=spam")).toEqual(["e2"]);
  });

  it("id lists that one audit (with the other filters still applied), or none", async () => {
    const ctx = await stored();
    expect(await ids(ctx, "id=e2")).toEqual(["e2"]);
    expect(await ids(ctx, "id=e2&outcome=correct")).toEqual([]);
    expect(await ids(ctx, "id=nope")).toEqual([]);
    expect(await ids(ctx, `id=${encodeURIComponent("e1' OR '1'='1")}`)).toEqual([]);
  });

  it("keyset pages under a filter cover exactly the filtered audits", async () => {
    const ctx = await stored();
    const first = await ctx.call("GET", "/v1/audits?outcome=incorrect&limit=2", { key: ctx.keys.viewer });
    expect(first.body.audits.map((a: { id: string }) => a.id)).toEqual(["e1", "e2"]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = `outcome=incorrect&limit=2&cursor=${first.body.nextCursor}`;
    expect(await ids(ctx, next)).toEqual(["e3"]);
  });

  it("the CSV export of a filtered selection has the same rows as the JSON pages", async () => {
    const ctx = await stored();
    const csv = await ctx.call("GET", "/v1/audits?outcome=incorrect&minSeverity=2&format=csv", {
      key: ctx.keys.viewer,
    });
    expect(csv.status).toBe(200);
    const lines = csv.text
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual(["e1", "e2"]);
    expect(lines[0]).not.toContain("decisionUrl");
  });

  it.each([
    ["outcome=wrong", "outcome"],
    ["outcome=", "outcome"],
    ["outcome=INCORRECT", "outcome"],
    ["minSeverity=0", "minSeverity"],
    ["minSeverity=5", "minSeverity"],
    ["minSeverity=2.5", "minSeverity"],
    ["minSeverity=high", "minSeverity"],
    [`id=${"x".repeat(501)}`, "id"],
    ["id=", "id"],
  ])("%s → 400 validation_failed naming the field", async (query, field) => {
    const ctx = await stored();
    const res = await ctx.call("GET", `/v1/audits?${query}`, { key: ctx.keys.viewer });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it("an audit of a drawn item links to its decision's url; without a url or a sample, decisionUrl is null", async () => {
    const ctx = await workContext(4);
    for (const item of ctx.items) {
      const res = await ctx.call("PUT", verdictPath(ctx.sample, item.id), {
        key: ctx.keys.lead,
        json: { outcome: "correct" },
      });
      expect(res.status, res.text).toBeLessThan(300);
    }
    await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: [audit({ id: "plain" })] });
    const res = await ctx.call("GET", "/v1/audits", { key: ctx.keys.viewer });
    const urls = Object.fromEntries(
      (res.body.audits as { decisionId: string; decisionUrl: string | null }[]).map((a) => [
        a.decisionId,
        a.decisionUrl,
      ]),
    );
    // The fixture gives the even decisions a url (https://mod.example.com/d/<i>).
    expect(urls).toEqual({
      "d-000": "https://mod.example.com/d/0",
      "d-001": null,
      "d-002": "https://mod.example.com/d/2",
      "d-003": null,
      "d-plain": null,
    });
  });
});

describe("GET /v1/funnel: minimum volume", () => {
  /** m-big: 2 errors in 100; m-mid: 30 in 120; m-one: 1 in 1 (a 100 % rate on one audit); m-ten: 9 in 10. */
  async function funnelContext(): Promise<TestContext> {
    const ctx = await testContext();
    const rows: ReturnType<typeof audit>[] = [];
    const spec = { "m-big": [2, 100], "m-mid": [30, 120], "m-one": [1, 1], "m-ten": [9, 10] } as const;
    for (const [moderator, [errors, n]] of Object.entries(spec)) {
      for (let k = 0; k < n; k++) {
        rows.push(
          audit({ id: `${moderator}-${k}`, moderator, errorType: k < errors ? "false-negative" : undefined }),
        );
      }
    }
    const res = await ctx.call("POST", "/v1/audits", { key: ctx.keys.lead, json: rows });
    expect(res.status).toBe(200);
    return ctx;
  }
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers read field by field
  const byKey = (units: any[]): Record<string, any> => Object.fromEntries(units.map((u) => [u.key, u]));

  it("by default (20) the units with fewer audits are listed below the minimum, unflagged, outside the statistics", async () => {
    const ctx = await funnelContext();
    const res = await ctx.call("GET", "/v1/funnel", { key: ctx.keys.viewer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ minAudited: 20, unitsBelowMinimum: 2, by: "moderator" });
    const units = byKey(res.body.units);
    expect(units["m-one"]).toMatchObject({
      belowMinimum: true,
      band: "inside",
      z: null,
      rate: 1,
      n: 1,
      count: 1,
    });
    expect(units["m-ten"]).toMatchObject({ belowMinimum: true, band: "inside", rate: 0.9 });
    expect(units["m-big"].belowMinimum).toBe(false);
    expect(units["m-mid"].band).toMatch(/^above-/);
    // The statistics are those of the units at or above the minimum alone.
    const expected = funnel({
      units: [
        { key: "m-big", count: 2, n: 100 },
        { key: "m-mid", count: 30, n: 120 },
      ],
    });
    expect(res.body.target).toBe(expected.target);
    expect(units["m-mid"]).toEqual({ ...expected.units[1], belowMinimum: false });
    expect(res.body.curves).toEqual(expected.curves);
  });

  it("minAudited=1 flags on every unit (the previous behaviour); a unit at exactly the minimum is in", async () => {
    const ctx = await funnelContext();
    const all = await ctx.call("GET", "/v1/funnel?minAudited=1", { key: ctx.keys.viewer });
    expect(all.body.unitsBelowMinimum).toBe(0);
    expect(all.body.units.every((u: { belowMinimum: boolean }) => !u.belowMinimum)).toBe(true);
    const ten = await ctx.call("GET", "/v1/funnel?minAudited=10", { key: ctx.keys.viewer });
    expect(byKey(ten.body.units)["m-ten"].belowMinimum).toBe(false);
    expect(byKey(ten.body.units)["m-one"].belowMinimum).toBe(true);
  });

  it("with no unit at the minimum: every unit listed below it, no limits, the pooled rate as target", async () => {
    const ctx = await funnelContext();
    const res = await ctx.call("GET", "/v1/funnel?minAudited=1000000", { key: ctx.keys.viewer });
    expect(res.status).toBe(200);
    expect(res.body.unitsBelowMinimum).toBe(4);
    expect(res.body.curves).toEqual([]);
    expect(res.body.target).toBeCloseTo(42 / 231, 12);
    expect(res.body.units.every((u: { band: string }) => u.band === "inside")).toBe(true);
  });

  it("no audits: an empty funnel with a null target", async () => {
    const ctx = await testContext();
    const res = await ctx.call("GET", "/v1/funnel", { key: ctx.keys.viewer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ units: [], curves: [], target: null, unitsBelowMinimum: 0 });
  });

  it.each(["0", "-1", "1000001", "2.5", "twenty", ""])(
    "minAudited=%s → 400 naming minAudited",
    async (value) => {
      const ctx = await testContext();
      const res = await ctx.call("GET", `/v1/funnel?minAudited=${value}`, { key: ctx.keys.viewer });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain("minAudited");
    },
  );
});
