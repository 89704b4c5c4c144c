import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Audit, ErrorType } from "../../src/audits/validate.ts";
import { proportionInterval } from "../../stats/proportion-interval.ts";
import { compare } from "../../stats/spc/compare.ts";
import { storeAudits, testContext } from "../helpers.ts";

type Row = Partial<Audit> & { id: string; auditedAt: string };

let next = 0;
function audit(
  auditedAt: string,
  policy: string | null,
  errorType: ErrorType | null = null,
  extra: Partial<Audit> = {},
): Row {
  return {
    id: `i-${next++}`,
    auditedAt,
    policy,
    outcome: errorType ? "incorrect" : "correct",
    errorType,
    ...extra,
  };
}

const times = (count: number, make: () => Row) => Array.from({ length: count }, make);

describe("GET /v1/policy-impact", () => {
  it("compares the N days before `at` with the N days from it (edges exact), with compare()'s statistics", async () => {
    const { db, call, keys } = await testContext();
    await storeAudits(db, [
      // Outside both sides: the day before "before" starts, and the day after "after" ends.
      audit("2026-03-02T23:59:59.999Z", "hate", "false-negative"),
      audit("2026-03-17T00:00:00Z", "hate", "false-negative"),
      // Before (2026-03-03 … 03-09): 4 audited, 3 errors.
      audit("2026-03-03T00:00:00Z", "hate", "false-negative"),
      audit("2026-03-05T10:00:00Z", "hate", "wrong-policy", { correctPolicy: "harassment" }),
      audit("2026-03-09T23:59:59.999Z", "hate", "false-positive"),
      audit("2026-03-06T10:00:00Z", "hate"),
      // After (2026-03-10 … 03-16): 5 audited, 1 error.
      audit("2026-03-10T00:00:00Z", "hate", "false-negative"),
      ...times(3, () => audit("2026-03-12T10:00:00Z", "hate")),
      audit("2026-03-16T23:59:59.999Z", "hate"),
      // Another policy: not in the rates.
      audit("2026-03-05T10:00:00Z", "spam", "false-negative"),
    ]);
    const res = await call("GET", "/v1/policy-impact?policy=hate&at=2026-03-10&days=7", { key: keys.viewer });
    expect(res.status).toBe(200);
    const wilson = (errors: number, n: number) => {
      const { lower, upper } = proportionInterval(errors, n, { method: "wilson" });
      return { rate: errors / n, lower, upper };
    };
    expect(res.body.before).toMatchObject({
      from: "2026-03-03",
      to: "2026-03-09",
      start: "2026-03-03T00:00:00.000Z",
      end: "2026-03-10T00:00:00.000Z",
      audited: 4,
      errors: 3,
      ...wilson(3, 4),
    });
    expect(res.body.after).toMatchObject({
      from: "2026-03-10",
      to: "2026-03-16",
      start: "2026-03-10T00:00:00.000Z",
      end: "2026-03-17T00:00:00.000Z",
      audited: 5,
      errors: 1,
      ...wilson(1, 5),
    });
    expect(res.body.comparison).toEqual(compare({ a: { count: 3, n: 4 }, b: { count: 1, n: 5 } }));
    expect(res.body.comparison.difference).toBeCloseTo(0.2 - 0.75, 12);
    expect(res.body).toMatchObject({ policy: "hate", at: "2026-03-10", days: 7, timeZone: "UTC" });
  });

  it("counts only errors of errorType when given, as the other reports do", async () => {
    const { db, call, keys } = await testContext();
    await storeAudits(db, [
      audit("2026-03-05T10:00:00Z", "hate", "false-negative"),
      audit("2026-03-05T10:00:00Z", "hate", "wrong-policy"),
      audit("2026-03-12T10:00:00Z", "hate", "false-negative"),
      audit("2026-03-12T10:00:00Z", "hate"),
    ]);
    const res = await call(
      "GET",
      "/v1/policy-impact?policy=hate&at=2026-03-10&days=7&errorType=wrong-policy",
      {
        key: keys.viewer,
      },
    );
    expect([res.body.before.errors, res.body.after.errors]).toEqual([1, 0]);
    expect([res.body.before.audited, res.body.after.audited]).toEqual([2, 2]);
  });

  it("gives each side the confusion matrix of the wrong-policy errors involving the policy, both ways", async () => {
    const { db, call, keys } = await testContext();
    await storeAudits(db, [
      ...times(3, () =>
        audit("2026-03-05T10:00:00Z", "hate", "wrong-policy", { correctPolicy: "harassment" }),
      ),
      audit("2026-03-05T10:00:00Z", "harassment", "wrong-policy", { correctPolicy: "hate" }),
      audit("2026-03-05T10:00:00Z", "spam", "wrong-policy", { correctPolicy: "violence" }),
      audit("2026-03-05T10:00:00Z", "hate", "wrong-policy"),
      audit("2026-03-12T10:00:00Z", "hate", "wrong-policy", { correctPolicy: "violence" }),
      audit("2026-03-12T10:00:00Z", "hate", "wrong-policy", { correctPolicy: "harassment", queue: "other" }),
    ]);
    const res = await call("GET", "/v1/policy-impact?policy=hate&at=2026-03-10&days=7&queue=hate", {
      key: keys.viewer,
    });
    expect(res.body.before.matrix).toEqual({
      columns: ["harassment", "hate"],
      rows: [
        { applied: "harassment", total: 1, cells: [{ correct: "hate", count: 1, rowShare: 1 }] },
        { applied: "hate", total: 3, cells: [{ correct: "harassment", count: 3, rowShare: 1 }] },
      ],
      total: 4,
      withoutCorrectPolicy: 1,
    });
    expect(res.body.after.matrix).toEqual({
      columns: ["violence"],
      rows: [{ applied: "hate", total: 1, cells: [{ correct: "violence", count: 1, rowShare: 1 }] }],
      total: 1,
      withoutCorrectPolicy: 0,
    });
  });

  it("answers a side without audits with no comparison and a reason, not an error", async () => {
    const { db, call, keys } = await testContext();
    await storeAudits(db, [audit("2026-03-12T10:00:00Z", "hate", "false-negative")]);
    const res = await call("GET", "/v1/policy-impact?policy=hate&at=2026-03-10", { key: keys.viewer });
    expect(res.status).toBe(200);
    expect(res.body.days).toBe(28);
    expect(res.body.before).toMatchObject({ from: "2026-02-10", to: "2026-03-09", audited: 0, rate: null });
    expect(res.body.before.matrix).toEqual({ columns: [], rows: [], total: 0, withoutCorrectPolicy: 0 });
    expect(res.body.comparison).toBeNull();
    expect(res.body.comparisonUndefinedReason).toMatch(/before 2026-03-10/);
    const nothing = await call("GET", "/v1/policy-impact?policy=nobody&at=2026-03-10", { key: keys.viewer });
    expect(nothing.body.comparisonUndefinedReason).toMatch(/before and after/);
  });

  it("takes days in tz: Seoul's 10 March starts at 15:00 UTC on the 9th", async () => {
    const { db, call, keys } = await testContext();
    await storeAudits(db, [
      audit("2026-03-09T14:59:59Z", "hate", "false-negative"), // 9 March 23:59:59 in Seoul: before
      audit("2026-03-09T15:00:00Z", "hate"), // 10 March 00:00 in Seoul: after
    ]);
    const seoul = await call("GET", "/v1/policy-impact?policy=hate&at=2026-03-10&days=1&tz=Asia/Seoul", {
      key: keys.viewer,
    });
    expect(seoul.body.before).toMatchObject({ start: "2026-03-08T15:00:00.000Z", audited: 1, errors: 1 });
    expect(seoul.body.after).toMatchObject({ end: "2026-03-10T15:00:00.000Z", audited: 1, errors: 0 });
    const utc = await call("GET", "/v1/policy-impact?policy=hate&at=2026-03-10&days=1", { key: keys.viewer });
    expect([utc.body.before.audited, utc.body.after.audited]).toEqual([2, 0]);
  });

  it("counts calendar days across a daylight-saving change (New York's 23-hour 8 March 2026)", async () => {
    const { call, keys } = await testContext();
    const res = await call("GET", "/v1/policy-impact?policy=hate&at=2026-03-08&days=1&tz=America/New_York", {
      key: keys.viewer,
    });
    expect(res.body.before).toMatchObject({
      start: "2026-03-07T05:00:00.000Z",
      end: "2026-03-08T05:00:00.000Z",
    });
    expect(res.body.after).toMatchObject({
      start: "2026-03-08T05:00:00.000Z",
      end: "2026-03-09T04:00:00.000Z",
    });
  });

  it("accepts the documented range of dates and days (leap day, 366 days, 9999-12-31)", async () => {
    const { call, keys } = await testContext();
    const leap = await call("GET", "/v1/policy-impact?policy=p&at=2028-02-29&days=366", { key: keys.viewer });
    expect(leap.status).toBe(200);
    expect(leap.body.before.from).toBe("2027-02-28");
    expect(leap.body.after.to).toBe("2029-02-28");
    const late = await call("GET", "/v1/policy-impact?policy=p&at=9999-12-31&days=366", { key: keys.viewer });
    expect(late.status).toBe(200);
    const early = await call("GET", "/v1/policy-impact?policy=p&at=1900-01-01&days=366", {
      key: keys.viewer,
    });
    expect(early.status).toBe(200);
    expect(early.body.before.from).toBe("1898-12-31"); // 1899 has 365 days
  });

  it("refuses bad input with 400 naming the field, and admits viewers and up only", async () => {
    const { call, keys } = await testContext();
    for (const [query, field] of [
      ["at=2026-03-10", "policy"],
      ["policy=", "policy"],
      [`policy=${"p".repeat(501)}&at=2026-03-10`, "policy"],
      ["policy=p", "at"],
      ["policy=p&at=soon", "at"],
      ["policy=p&at=2026-02-30", "at"],
      ["policy=p&at=2026-13-01", "at"],
      ["policy=p&at=1899-12-31", "at"],
      ["policy=p&at=2026-03-10T00:00:00Z", "at"],
      ["policy=p&at=2026-03-10&days=0", "days"],
      ["policy=p&at=2026-03-10&days=367", "days"],
      ["policy=p&at=2026-03-10&days=1.5", "days"],
      ["policy=p&at=2026-03-10&days=x", "days"],
      ["policy=p&at=2026-03-10&confidence=0", "confidence"],
      ["policy=p&at=2026-03-10&tz=Nowhere/City", "tz"],
      ["policy=p&at=2026-03-10&errorType=typo", "errorType"],
    ]) {
      const res = await call("GET", `/v1/policy-impact?${query}`, { key: keys.viewer });
      expect(res.status, query).toBe(400);
      expect(
        res.body.error.details.map((d: { path: string }) => d.path),
        query,
      ).toContain(field);
    }
    const ok = "/v1/policy-impact?policy=p&at=2026-03-10";
    expect((await call("GET", ok)).status).toBe(401);
    expect((await call("GET", ok, { key: keys.moderator })).status).toBe(403);
    for (const key of [keys.viewer, keys.auditor, keys.lead, keys.admin]) {
      expect((await call("GET", ok, { key })).status).toBe(200);
    }
  });

  it("never answers 5xx to hostile query strings on the policy reports and the weights (NUL refused as 400)", async () => {
    const { db, call, keys } = await testContext();
    await storeAudits(db, [audit("2026-03-05T10:00:00Z", "hate", "wrong-policy", { correctPolicy: "spam" })]);
    for (const path of ["/v1/policy-confusion?queue=%00", "/v1/policy-impact?policy=%00&at=2026-03-10"]) {
      const res = await call("GET", path, { key: keys.viewer });
      expect(res.status, path).toBe(400);
      expect(res.body.error.details[0].path).toBe(path.includes("queue") ? "queue" : "policy");
    }
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom("%00", "%FF", "-1", "1e309", "0", "9999-99-99", "x".repeat(600), "2026-03-10"),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/v1/policy-confusion", "/v1/policy-impact", "/v1/quality"),
        fc.dictionary(
          fc.constantFrom(
            "policy",
            "at",
            "days",
            "tz",
            "from",
            "to",
            "queue",
            "weights",
            "confidence",
            "format",
          ),
          value,
        ),
        async (path, params) => {
          const query = Object.entries(params)
            .map(([k, v]) => `${k}=${v.startsWith("%") ? v : encodeURIComponent(v)}`)
            .join("&");
          const res = await call("GET", `${path}?${query}`, { key: keys.viewer });
          expect(res.status, `${path}?${query}`).toBeLessThan(500);
          if (res.status >= 400) expect(res.body.error.code).toEqual(expect.any(String));
        },
      ),
      { numRuns: 150, seed: 1414 },
    );
  });
});
