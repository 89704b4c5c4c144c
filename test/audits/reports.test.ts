import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { proportionInterval } from "../../stats/proportion-interval.ts";
import { chart } from "../../stats/spc/chart.ts";
import { funnel } from "../../stats/spc/funnel.ts";
import { testContext } from "../helpers.ts";

type Row = {
  id: string;
  decisionId: string;
  queue: string;
  moderator: string;
  auditor: string;
  outcome: string;
  errorType?: string;
  auditedAt: string;
};

function row(
  i: number,
  queue: string,
  moderator: string,
  wrong: boolean,
  auditedAt: string,
  errorType = "false-negative",
): Row {
  return {
    id: `a-${i}`,
    decisionId: `d-${i}`,
    queue,
    moderator,
    auditor: "alice",
    outcome: wrong ? "incorrect" : "correct",
    ...(wrong ? { errorType } : {}),
    auditedAt,
  };
}

describe("GET /v1/quality", () => {
  it("report numbers equal the stats functions on the same rows (property over random audit sets)", async () => {
    const audits = fc.array(
      fc.record({
        queue: fc.constantFrom("hate", "spam", "self-harm"),
        moderator: fc.constantFrom("m1", "m2", "m3", "m4"),
        wrong: fc.boolean(),
        errorType: fc.constantFrom("false-positive", "false-negative", "wrong-policy", "other"),
        minute: fc.integer({ min: 0, max: 60 * 24 * 20 }),
      }),
      { minLength: 1, maxLength: 60 },
    );
    await fc.assert(
      fc.asyncProperty(
        audits,
        fc.constantFrom("wilson", "jeffreys", "clopper-pearson"),
        async (list, method) => {
          const { call, keys } = await testContext();
          const rows = list.map((a, i) =>
            row(
              i,
              a.queue,
              a.moderator,
              a.wrong,
              new Date(Date.UTC(2026, 0, 1) + a.minute * 60_000).toISOString(),
              a.errorType,
            ),
          );
          await call("POST", "/v1/audits", { key: keys.lead, json: rows });
          const res = await call(
            "GET",
            `/v1/quality?groupBy=queue,moderator&method=${method}&confidence=0.9`,
            { key: keys.viewer },
          );
          expect(res.status).toBe(200);
          const expected = new Map<string, { audited: number; errors: number }>();
          for (const r of rows) {
            const key = `${r.queue}|${r.moderator}`;
            const e = expected.get(key) ?? { audited: 0, errors: 0 };
            e.audited++;
            if (r.outcome === "incorrect") e.errors++;
            expected.set(key, e);
          }
          expect(res.body.groups).toHaveLength(expected.size);
          for (const g of res.body.groups) {
            const e = expected.get(`${g.key.queue}|${g.key.moderator}`)!;
            const interval = proportionInterval(e.errors, e.audited, { confidence: 0.9, method });
            expect(g).toEqual({
              key: g.key,
              audited: e.audited,
              errors: e.errors,
              rate: interval.estimate,
              lower: interval.lower,
              upper: interval.upper,
            });
          }
          const wrong = rows.filter((r) => r.outcome === "incorrect").length;
          expect(res.body.overall.audited).toBe(rows.length);
          expect(res.body.overall.errors).toBe(wrong);

          const onlyFn = await call("GET", "/v1/quality?errorType=false-negative", { key: keys.viewer });
          expect(onlyFn.body.overall.errors).toBe(
            rows.filter((r) => r.errorType === "false-negative").length,
          );
          expect(onlyFn.body.overall.audited).toBe(rows.length);
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });

  it("filters by date range in the time zone and exports CSV with a BOM", async () => {
    const { call, keys } = await testContext();
    // 2026-03-01T20:00Z is already 2 March in Seoul (UTC+9).
    await call("POST", "/v1/audits", {
      key: keys.lead,
      json: [
        row(1, "hate", "m1", true, "2026-03-01T10:00:00Z"),
        row(2, "hate", "m1", false, "2026-03-01T20:00:00Z"),
      ],
    });
    const utc = await call("GET", "/v1/quality?from=2026-03-01&to=2026-03-01", { key: keys.viewer });
    expect(utc.body.overall.audited).toBe(2);
    const seoul = await call("GET", "/v1/quality?from=2026-03-01&to=2026-03-01&tz=Asia/Seoul", {
      key: keys.viewer,
    });
    expect(seoul.body.overall.audited).toBe(1);
    expect(seoul.body.timeZone).toBe("Asia/Seoul");
    const csv = await call("GET", "/v1/quality?groupBy=moderator&format=csv", { key: keys.viewer });
    expect(csv.text).toBe(
      "\uFEFFmoderator,audited,errors,rate,lower,upper\r\n" +
        `m1,2,1,0.5,${csv.text.split(",").at(-2)},${csv.text.split(",").at(-1)}`,
    );
    expect((await call("GET", "/v1/quality?groupBy=colour", { key: keys.viewer })).status).toBe(400);
    expect((await call("GET", "/v1/quality", {})).status).toBe(401);
  });

  it("lists groups in one order on every backend: an absent value first, then bytewise", async () => {
    const { call, keys } = await testContext();
    const policies = [null, "혐오", "b", "B", "é", "a", "Z", "aa", "z"];
    await call("POST", "/v1/audits", {
      key: keys.lead,
      json: policies.map((policy, i) => ({
        ...row(i, "hate", `m${i % 2}`, i % 3 === 0, "2026-03-01T10:00:00Z"),
        ...(policy === null ? {} : { policy }),
      })),
    });
    const res = await call("GET", "/v1/quality?groupBy=policy,moderator", { key: keys.viewer });
    expect(res.body.groups.map((g: { key: { policy: string | null } }) => g.key.policy)).toEqual([
      null,
      "B",
      "Z",
      "a",
      "aa",
      "b",
      "z",
      "é",
      "혐오",
    ]);
  });

  it("an empty selection gives null rates, not NaN", async () => {
    const { call, keys } = await testContext();
    const res = await call("GET", "/v1/quality?queue=none", { key: keys.viewer });
    expect(res.body.overall).toEqual({ audited: 0, errors: 0, rate: null, lower: null, upper: null });
  });
});

describe("GET /v1/charts", () => {
  it("day boundaries in Asia/Seoul differ from UTC exactly as they should", async () => {
    const { call, keys } = await testContext();
    // 14:59Z and 15:00Z on 1 March: the same UTC day, but 23:59 on 1 March and 00:00 on 2 March in Seoul.
    await call("POST", "/v1/audits", {
      key: keys.lead,
      json: [
        row(1, "hate", "m1", true, "2026-03-01T14:59:59Z"),
        row(2, "hate", "m1", false, "2026-03-01T15:00:00Z"),
        row(3, "hate", "m1", false, "2026-03-02T00:00:00+09:00"),
        row(4, "hate", "m1", false, "2026-03-03T12:00:00Z"),
      ],
    });
    const utc = await call("GET", "/v1/charts?type=p&interval=day", { key: keys.viewer });
    expect(utc.status).toBe(200);
    expect(utc.body.points.map((p: { label: string }) => p.label)).toEqual(["2026-03-01", "2026-03-03"]);
    expect(utc.body.points[0].value).toBeCloseTo(1 / 3, 12);
    const seoul = await call("GET", "/v1/charts?type=p&interval=day&tz=Asia/Seoul", { key: keys.viewer });
    expect(seoul.body.points.map((p: { label: string }) => p.label)).toEqual([
      "2026-03-01",
      "2026-03-02",
      "2026-03-03",
    ]);
    expect(seoul.body.points.map((p: { value: number }) => p.value)).toEqual([1, 0, 0]);
    const weeks = await call("GET", "/v1/charts?type=p&interval=week", { key: keys.viewer });
    expect(weeks.body.points.map((p: { label: string }) => p.label)).toEqual(["2026-02-23", "2026-03-02"]);
  });

  it("equals POST-style chart() on the same period counts, with phases given as dates", async () => {
    const { call, keys } = await testContext();
    const rows: Row[] = [];
    let i = 0;
    for (let day = 1; day <= 28; day++) {
      for (let k = 0; k < 20; k++) {
        const wrong = day > 20 ? k < 6 : k < 2;
        rows.push(
          row(
            i++,
            "hate",
            `m${k % 3}`,
            wrong,
            `2026-02-${String(day).padStart(2, "0")}T${String(k).padStart(2, "0")}:00:00Z`,
          ),
        );
      }
    }
    await call("POST", "/v1/audits", { key: keys.lead, json: rows });
    const res = await call("GET", "/v1/charts?type=p&rules=nelson&phases=2026-02-21&queue=hate", {
      key: keys.viewer,
    });
    expect(res.status).toBe(200);
    const points = Array.from({ length: 28 }, (_, d) => ({
      count: d + 1 > 20 ? 6 : 2,
      n: 20,
      label: `2026-02-${String(d + 1).padStart(2, "0")}`,
    }));
    const expected = chart({ type: "p", points, rules: "nelson", phases: [20] });
    expect(res.body.points).toEqual(expected.points);
    expect(res.body.signals).toEqual(expected.signals);
    const bad = await call("GET", "/v1/charts?type=p&baseline=5..99", { key: keys.viewer });
    expect(bad.status).toBe(400);
  });
});

describe("GET /v1/funnel", () => {
  it("equals funnel() over per-moderator counts", async () => {
    const { call, keys } = await testContext();
    const rows: Row[] = [];
    const spec = { m1: [2, 100], m2: [30, 120], m3: [1, 10] } as const;
    let i = 0;
    for (const [moderator, [errors, n]] of Object.entries(spec)) {
      for (let k = 0; k < n; k++) rows.push(row(i++, "hate", moderator, k < errors, "2026-02-01T10:00:00Z"));
    }
    await call("POST", "/v1/audits", { key: keys.lead, json: rows });
    const res = await call("GET", "/v1/funnel?by=moderator&minAudited=1", { key: keys.viewer });
    expect(res.status).toBe(200);
    const expected = funnel({
      units: [
        { key: "m1", count: 2, n: 100 },
        { key: "m2", count: 30, n: 120 },
        { key: "m3", count: 1, n: 10 },
      ],
    });
    expect(res.body.units).toEqual(expected.units.map((u) => ({ ...u, belowMinimum: false })));
    expect(res.body.units.find((u: { key: string }) => u.key === "m2").band).toMatch(/^above-/);
  });
});
