import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Audit, ErrorType } from "../../src/audits/validate.ts";
import { weightedErrorIndex } from "../../stats/weighted-error-index.ts";
import { storeAudits, testContext } from "../helpers.ts";

let next = 0;
function audit(
  queue: string,
  errorType: ErrorType | null,
  severity: number | null,
  extra: Partial<Audit> = {},
) {
  return {
    id: `w-${next++}`,
    auditedAt: "2026-03-05T12:00:00Z",
    queue,
    outcome: errorType ? ("incorrect" as const) : ("correct" as const),
    errorType,
    severity,
    ...extra,
  };
}

const times = <T>(count: number, make: () => T) => Array.from({ length: count }, make);

describe("GET /v1/quality?weights=", () => {
  it("adds the severity-weighted index to every row: hand-computed, a missing severity weighing as 1, correct audits 0", async () => {
    const { db, call, keys } = await testContext();
    await storeAudits(db, [
      // hate: 10 audited; errors of severity 1, (none → 1), 2, 4; a correct audit with a severity weighs 0.
      audit("hate", "false-negative", 1),
      audit("hate", "false-positive", null),
      audit("hate", "wrong-policy", 2),
      audit("hate", "other", 4),
      audit("hate", null, 4),
      ...times(5, () => audit("hate", null, null)),
      // spam: 4 audited, no errors.
      ...times(4, () => audit("spam", null, null)),
    ]);
    const res = await call("GET", "/v1/quality?groupBy=queue&weights=1,2,4,8", { key: keys.viewer });
    expect(res.status).toBe(200);
    expect(res.body.weights).toEqual([1, 2, 4, 8]);
    // hate: x = 1, 1, 2, 8 and six 0: I = 12/10 = 1.2; Σx² = 70, s² = (70 − 10·1.44)/9 = 55.6/9.
    const [hate, spam] = res.body.groups;
    expect(hate.weighted.index).toBeCloseTo(1.2, 14);
    expect(hate.weighted.standardError).toBeCloseTo(Math.sqrt(55.6 / 9 / 10), 14);
    expect(hate.weighted).toEqual(
      (({ confidence: _, ...rest }) => rest)(
        weightedErrorIndex({ audited: 10, errorsBySeverity: [2, 1, 0, 1], weights: [1, 2, 4, 8] }),
      ),
    );
    expect(spam.weighted).toEqual({ index: 0, standardError: 0, lower: 0, upper: 0 });
    expect(res.body.overall.weighted.index).toBeCloseTo(12 / 14, 14);
  });

  it("equals the error rate with weights 1,1,1,1 in every group, also under errorType (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            queue: fc.constantFrom("a", "b", "c"),
            type: fc.constantFrom<ErrorType | null>(null, null, "false-negative", "wrong-policy"),
            severity: fc.constantFrom(null, 1, 2, 3, 4),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.constantFrom("", "&errorType=false-negative"),
        async (list, only) => {
          const { db, call, keys } = await testContext();
          await storeAudits(
            db,
            list.map((r) => audit(r.queue, r.type, r.severity)),
          );
          const res = await call("GET", `/v1/quality?groupBy=queue&weights=1,1,1,1${only}`, {
            key: keys.viewer,
          });
          for (const row of [...res.body.groups, res.body.overall]) {
            expect(Math.abs(row.weighted.index - row.errors / row.audited)).toBeLessThan(1e-15);
          }
        },
      ),
      { numRuns: 10, seed: 14 },
    );
  });

  it("counts only errors of errorType when the filter names one", async () => {
    const { db, call, keys } = await testContext();
    await storeAudits(db, [
      audit("hate", "false-negative", 4),
      audit("hate", "false-positive", 4),
      audit("hate", null, null),
    ]);
    const res = await call("GET", "/v1/quality?weights=1,2,4,8&errorType=false-positive", {
      key: keys.viewer,
    });
    expect(res.body.overall.weighted.index).toBeCloseTo(8 / 3, 14);
  });

  it("leaves the answer unchanged without weights, and answers null for a row with nothing audited", async () => {
    const { db, call, keys } = await testContext();
    const empty = await call("GET", "/v1/quality?weights=1,2,4,8", { key: keys.viewer });
    expect(empty.body.overall.weighted).toBeNull();
    await storeAudits(db, [audit("hate", "false-negative", 3)]);
    const plain = await call("GET", "/v1/quality?groupBy=queue", { key: keys.viewer });
    expect(Object.keys(plain.body).sort()).toEqual(["confidence", "groups", "method", "overall", "timeZone"]);
    expect(Object.keys(plain.body.groups[0]).sort()).toEqual([
      "audited",
      "errors",
      "key",
      "lower",
      "rate",
      "upper",
    ]);
    expect(Object.keys(plain.body.overall).sort()).toEqual(["audited", "errors", "lower", "rate", "upper"]);
    const csv = await call("GET", "/v1/quality?groupBy=queue&format=csv", { key: keys.viewer });
    expect(csv.text.split("\r\n")[0]).toBe("\uFEFFqueue,audited,errors,rate,lower,upper");
  });

  it("adds the index and its interval as CSV columns when weights are given", async () => {
    const { db, call, keys } = await testContext();
    await storeAudits(db, [audit("=hate", "false-negative", 3), audit("=hate", null, null)]);
    const res = await call("GET", "/v1/quality?groupBy=queue&format=csv&weights=1,2,4,8", {
      key: keys.viewer,
    });
    const [header, row] = res.text.split("\r\n");
    expect(header).toBe(
      "\uFEFFqueue,audited,errors,rate,lower,upper,weightedIndex,weightedLower,weightedUpper",
    );
    const cells = row.split(",");
    expect(cells[0]).toBe("'=hate");
    expect(Number(cells[6])).toBe(2);
    const expected = weightedErrorIndex({
      audited: 2,
      errorsBySeverity: [0, 0, 1, 0],
      weights: [1, 2, 4, 8],
    });
    expect([Number(cells[7]), Number(cells[8])]).toEqual([expected.lower, expected.upper]);
  });

  it("refuses weights that are not four numbers > 0 and ≤ 1,000,000 with 400 naming weights", async () => {
    const { call, keys } = await testContext();
    for (const weights of [
      "1,2,3",
      "1,2,4,8,16",
      "1,-2,4,8",
      "0,1,2,3",
      "1,2,NaN,8",
      "1,2,Infinity,8",
      "1,,4,8",
      "1,2,4,",
      "0x10,2,4,8",
      "1,2,4,1e7",
      "a,b,c,d",
      "",
      "1".repeat(201),
    ]) {
      const res = await call("GET", `/v1/quality?weights=${encodeURIComponent(weights)}`, {
        key: keys.viewer,
      });
      expect(res.status, weights).toBe(400);
      expect(res.body.error.details[0].path, weights).toBe("weights");
    }
    const spaced = await call("GET", `/v1/quality?weights=${encodeURIComponent(" 1, 2.5, 4e0 ,8")}`, {
      key: keys.viewer,
    });
    expect(spaced.status).toBe(200);
    expect(spaced.body.weights).toEqual([1, 2.5, 4, 8]);
  });
});
