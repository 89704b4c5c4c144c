import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Audit, ErrorType } from "../../src/audits/validate.ts";
import { proportionInterval } from "../../stats/proportion-interval.ts";
import { storeAudits, testContext } from "../helpers.ts";

type Row = Partial<Audit> & { id: string; auditedAt: string; incorrect?: boolean };

let next = 0;
/** `count` audits of applied policy `policy`: an error of `errorType` (with `correctPolicy`) or correct. */
function audits(
  count: number,
  policy: string | null,
  errorType: ErrorType | null,
  correctPolicy: string | null = null,
  extra: Partial<Audit> = {},
): Row[] {
  return Array.from({ length: count }, () => ({
    id: `a-${next++}`,
    auditedAt: "2026-03-05T12:00:00Z",
    policy,
    outcome: errorType ? "incorrect" : "correct",
    errorType,
    correctPolicy,
    ...extra,
  }));
}

/** The fixed data set of the exact-count tests. */
const FIXED: Row[] = [
  ...audits(3, "hate", "wrong-policy", "harassment"),
  ...audits(1, "hate", "wrong-policy", "violence"),
  ...audits(2, "harassment", "wrong-policy", "hate"),
  ...audits(1, null, "wrong-policy", "spam"),
  ...audits(2, "hate", "wrong-policy"),
  ...audits(1, "hate", "false-positive"),
  ...audits(1, "harassment", "false-negative"),
  ...audits(5, "hate", null),
  ...audits(4, "harassment", null),
  ...audits(2, "spam", null),
];

describe("GET /v1/policy-confusion", () => {
  it("counts the applied × correct matrix, its row shares and the per-policy rates exactly", async () => {
    const { db, call, keys } = await testContext();
    await storeAudits(db, FIXED);
    const res = await call("GET", "/v1/policy-confusion", { key: keys.viewer });
    expect(res.status).toBe(200);
    expect(res.body.matrix).toEqual({
      columns: ["harassment", "hate", "spam", "violence"],
      rows: [
        { applied: null, total: 1, cells: [{ correct: "spam", count: 1, rowShare: 1 }] },
        { applied: "harassment", total: 2, cells: [{ correct: "hate", count: 2, rowShare: 1 }] },
        {
          applied: "hate",
          total: 4,
          cells: [
            { correct: "harassment", count: 3, rowShare: 0.75 },
            { correct: "violence", count: 1, rowShare: 0.25 },
          ],
        },
      ],
      total: 7,
      withoutCorrectPolicy: 2,
    });
    const wilson = (errors: number, audited: number) => {
      const { lower, upper } = proportionInterval(errors, audited, { method: "wilson" });
      return { rate: errors / audited, lower, upper };
    };
    const byType = (counts: number[], audited: number) =>
      Object.fromEntries(
        (["false-positive", "false-negative", "wrong-policy", "other"] as const).map((type, i) => [
          type,
          { errors: counts[i], rate: counts[i] / audited },
        ]),
      );
    expect(res.body.policies).toEqual([
      {
        policy: null,
        audited: 1,
        errors: 1,
        ...wilson(1, 1),
        byType: byType([0, 0, 1, 0], 1),
        wrongPolicyWithoutCorrect: 0,
      },
      {
        policy: "harassment",
        audited: 7,
        errors: 3,
        ...wilson(3, 7),
        byType: byType([0, 1, 2, 0], 7),
        wrongPolicyWithoutCorrect: 0,
      },
      {
        policy: "hate",
        audited: 12,
        errors: 7,
        ...wilson(7, 12),
        byType: byType([1, 0, 6, 0], 12),
        wrongPolicyWithoutCorrect: 2,
      },
      {
        policy: "spam",
        audited: 2,
        errors: 0,
        ...wilson(0, 2),
        byType: byType([0, 0, 0, 0], 2),
        wrongPolicyWithoutCorrect: 0,
      },
    ]);
    expect(res.body.confidence).toBe(0.95);
  });

  it("applies the filters: queue, market and the confidence of the intervals", async () => {
    const { db, call, keys } = await testContext();
    await storeAudits(db, [
      ...audits(2, "hate", "wrong-policy", "harassment", { queue: "q1", market: "KR" }),
      ...audits(3, "hate", "wrong-policy", "violence", { queue: "q2", market: "KR" }),
      ...audits(4, "hate", "wrong-policy", "spam", { queue: "q1", market: "US" }),
    ]);
    const q1kr = await call("GET", "/v1/policy-confusion?queue=q1&market=KR&confidence=0.8", {
      key: keys.viewer,
    });
    expect(q1kr.body.matrix.rows).toEqual([
      { applied: "hate", total: 2, cells: [{ correct: "harassment", count: 2, rowShare: 1 }] },
    ]);
    expect(q1kr.body.confidence).toBe(0.8);
    const { lower } = proportionInterval(2, 2, { method: "wilson", confidence: 0.8 });
    expect(q1kr.body.policies[0].lower).toBe(lower);
    const kr = await call("GET", "/v1/policy-confusion?market=KR", { key: keys.viewer });
    expect(kr.body.matrix.columns).toEqual(["harassment", "violence"]);
    expect(kr.body.matrix.total).toBe(5);
  });

  it("shares sum to 1 in every row and cells equal a count of the rows themselves (property)", async () => {
    const policies = ["a", "b", "c", "d", null] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            applied: fc.constantFrom(...policies),
            correct: fc.constantFrom(...policies),
            type: fc.constantFrom<ErrorType | null>("wrong-policy", "wrong-policy", "other", null),
          }),
          { maxLength: 60 },
        ),
        async (list) => {
          const { db, call, keys } = await testContext();
          const rows = list.flatMap((r) => audits(1, r.applied, r.type, r.correct));
          if (rows.length > 0) await storeAudits(db, rows);
          const res = await call("GET", "/v1/policy-confusion", { key: keys.viewer });
          expect(res.status).toBe(200);
          const expected = new Map<string, number>();
          let without = 0;
          for (const r of list) {
            if (r.type !== "wrong-policy") continue;
            if (r.correct === null) without++;
            else {
              const key = JSON.stringify([r.applied, r.correct]);
              expected.set(key, (expected.get(key) ?? 0) + 1);
            }
          }
          const seen = new Map<string, number>();
          for (const row of res.body.matrix.rows) {
            const shares = row.cells.reduce((s: number, c: { rowShare: number }) => s + c.rowShare, 0);
            expect(Math.abs(shares - 1)).toBeLessThan(1e-12);
            expect(row.total).toBe(row.cells.reduce((s: number, c: { count: number }) => s + c.count, 0));
            for (const cell of row.cells) seen.set(JSON.stringify([row.applied, cell.correct]), cell.count);
          }
          expect(seen).toEqual(expected);
          expect(res.body.matrix.withoutCorrectPolicy).toBe(without);
          expect(res.body.policies.reduce((s: number, p: { audited: number }) => s + p.audited, 0)).toBe(
            list.length,
          );
        },
      ),
      { numRuns: 12, seed: 14 },
    );
  });

  it("answers an empty matrix, not an error, when there are no wrong-policy errors or no audits at all", async () => {
    const { db, call, keys } = await testContext();
    const empty = { columns: [], rows: [], total: 0, withoutCorrectPolicy: 0 };
    const none = await call("GET", "/v1/policy-confusion", { key: keys.viewer });
    expect(none.status).toBe(200);
    expect(none.body.matrix).toEqual(empty);
    expect(none.body.policies).toEqual([]);
    await storeAudits(db, [...audits(2, "hate", "false-positive"), ...audits(3, "hate", null)]);
    const noWrongPolicy = await call("GET", "/v1/policy-confusion", { key: keys.viewer });
    expect(noWrongPolicy.body.matrix).toEqual(empty);
    expect(noWrongPolicy.body.policies).toMatchObject([{ policy: "hate", audited: 5, errors: 2 }]);
    const csv = await call("GET", "/v1/policy-confusion?format=csv", { key: keys.viewer });
    expect(csv.text).toBe("\uFEFFapplied,correct,count,rowShare\r\n");
  });

  it("reads from and to as days in tz", async () => {
    const { db, call, keys } = await testContext();
    // 2026-03-01T20:00Z is already 2 March in Seoul (UTC+9).
    await storeAudits(db, audits(1, "hate", "wrong-policy", "spam", { auditedAt: "2026-03-01T20:00:00Z" }));
    const utc = await call("GET", "/v1/policy-confusion?from=2026-03-02&to=2026-03-02", { key: keys.viewer });
    expect(utc.body.matrix.total).toBe(0);
    expect(utc.body.timeZone).toBe("UTC");
    const seoul = await call("GET", "/v1/policy-confusion?from=2026-03-02&to=2026-03-02&tz=Asia/Seoul", {
      key: keys.viewer,
    });
    expect(seoul.body.matrix.total).toBe(1);
    const seoulDayBefore = await call("GET", "/v1/policy-confusion?to=2026-03-01&tz=Asia/Seoul", {
      key: keys.viewer,
    });
    expect(seoulDayBefore.body.matrix.total).toBe(0);
  });

  it("exports the matrix in long form as CSV with a BOM, formula-like policies guarded", async () => {
    const { db, call, keys } = await testContext();
    await storeAudits(db, [
      ...audits(3, "=cmd", "wrong-policy", "+sum"),
      ...audits(1, "=cmd", "wrong-policy", "hate, speech"),
      ...audits(1, null, "wrong-policy", "spam"),
    ]);
    const res = await call("GET", "/v1/policy-confusion?format=csv", { key: keys.viewer });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.text).toBe(
      "\uFEFFapplied,correct,count,rowShare\r\n" +
        ",spam,1,1\r\n" +
        "'=cmd,'+sum,3,0.75\r\n" +
        '\'=cmd,"hate, speech",1,0.25\r\n',
    );
  });

  it("refuses a matrix over 500 applied policies with 422 too_expensive instead of cutting it short", async () => {
    const { db, call, keys } = await testContext();
    await storeAudits(
      db,
      Array.from({ length: 501 }, (_, i) => audits(1, `p${i}`, "wrong-policy", "hate")[0]),
    );
    const res = await call("GET", "/v1/policy-confusion", { key: keys.viewer });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("too_expensive");
    expect(res.body.error.details[0].limit).toBe(500);
    const narrowed = await call("GET", "/v1/policy-confusion?policy=p7", { key: keys.viewer });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.matrix.total).toBe(1);
  });

  it("refuses over 500 applied policies in the per-policy table too, even without wrong-policy errors", async () => {
    const { db, call, keys } = await testContext();
    await storeAudits(
      db,
      Array.from({ length: 501 }, (_, i) => audits(1, `p${i}`, null)[0]),
    );
    const res = await call("GET", "/v1/policy-confusion", { key: keys.viewer });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("too_expensive");
  });

  it("orders rows and columns bytewise (UTF-8), as both backends sort text", async () => {
    const { db, call, keys } = await testContext();
    // UTF-16 code units would put the astral 😀 (D83D …) before U+E000; UTF-8 bytes put it after (F0 > EE).
    await storeAudits(db, [
      ...audits(1, "😀", "wrong-policy", "\uE000"),
      ...audits(1, "\uE000", "wrong-policy", "😀"),
      ...audits(1, "Z", "wrong-policy", "a"),
    ]);
    const res = await call("GET", "/v1/policy-confusion", { key: keys.viewer });
    expect(res.body.matrix.columns).toEqual(["a", "\uE000", "😀"]);
    expect(res.body.matrix.rows.map((r: { applied: string }) => r.applied)).toEqual(["Z", "\uE000", "😀"]);
  });

  it("refuses over 500 correct policies (columns) and over 10,000 cells", async () => {
    const { db, call, keys } = await testContext();
    await storeAudits(
      db,
      Array.from({ length: 501 }, (_, i) => audits(1, "hate", "wrong-policy", `c${i}`)[0]),
    );
    const columns = await call("GET", "/v1/policy-confusion", { key: keys.viewer });
    expect(columns.status).toBe(422);
    expect(columns.body.error.message).toMatch(/correct policies/);

    const many = await testContext();
    const rows: Row[] = [];
    for (let a = 0; a < 101; a++) {
      for (let c = 0; c < 100; c++) rows.push(audits(1, `a${a}`, "wrong-policy", `c${c}`)[0]);
    }
    await storeAudits(many.db, rows);
    const cells = await many.call("GET", "/v1/policy-confusion", { key: many.keys.viewer });
    expect(cells.status).toBe(422);
    expect(cells.body.error.details[0].limit).toBe(10_000);
  }, 60_000);

  it("refuses bad input with 400 naming the field, and admits viewers and up only", async () => {
    const { call, keys } = await testContext();
    for (const [query, field] of [
      ["confidence=1", "confidence"],
      ["confidence=abc", "confidence"],
      ["format=xml", "format"],
      ["from=2026-02-30", "from"],
      ["tz=Mars/Olympus", "tz"],
      [`queue=${"q".repeat(501)}`, "queue"],
    ]) {
      const res = await call("GET", `/v1/policy-confusion?${query}`, { key: keys.viewer });
      expect(res.status, query).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
    expect((await call("GET", "/v1/policy-confusion")).status).toBe(401);
    expect((await call("GET", "/v1/policy-confusion", { key: keys.moderator })).status).toBe(403);
    for (const key of [keys.viewer, keys.auditor, keys.lead, keys.admin]) {
      expect((await call("GET", "/v1/policy-confusion", { key })).status).toBe(200);
    }
  });
});
