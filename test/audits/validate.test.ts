import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTimestamp, validateAudit } from "../../src/audits/validate.ts";
import { AuditSchema } from "../../src/routes/audits.ts";

describe("audit validation", () => {
  it("parseTimestamp accepts real dates with an offset only", () => {
    expect(parseTimestamp("2024-02-29T10:00:00Z")).toBe(Date.UTC(2024, 1, 29, 10));
    expect(parseTimestamp("2026-11-24T09:30:00+09:00")).toBe(Date.UTC(2026, 10, 24, 0, 30));
    expect(parseTimestamp("2026-11-24T09:30+09:00")).toBe(Date.UTC(2026, 10, 24, 0, 30));
    expect(parseTimestamp("2026-11-24T09:30:00.123456Z")).toBe(Date.UTC(2026, 10, 24, 9, 30, 0, 123));
    for (const bad of [
      "2026-02-29T10:00:00Z",
      "2100-02-29T00:00:00Z",
      "2026-04-31T00:00:00Z",
      "2026-13-01T00:00:00Z",
      "2026-11-24T09:30:00",
      "2026-11-24",
      "2026-11-24 09:30:00Z",
      "2026-11-24T25:00:00Z",
      "",
    ]) {
      expect({ bad, ms: parseTimestamp(bad) }).toEqual({ bad, ms: undefined });
    }
  });

  it("the documented zod schema and the fast validator accept exactly the same records", () => {
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    // Lone surrogates (high, low, reversed pair) are refused by both; a real pair (😀) is accepted by both.
    const text = fc.constantFrom(
      "q",
      "mod-7",
      " ",
      "",
      "혐오",
      "x".repeat(501),
      "\ud800",
      "a\udc00b",
      "\ude00\ud83d",
      "ok \ud83d\ude00",
    );
    const record = fc.record(
      {
        id: maybe(text),
        decisionId: maybe(text),
        queue: maybe(text),
        moderator: maybe(text),
        auditor: maybe(text),
        outcome: maybe(fc.constantFrom("correct", "incorrect", "wrong")),
        errorType: maybe(fc.constantFrom("false-positive", "other", "bogus", null)),
        severity: maybe(fc.constantFrom(1, 4, 0, 5, 2.5, "3", null)),
        policy: maybe(fc.constantFrom("P1", 5, null, "P\ud800")),
        auditedAt: maybe(
          fc.constantFrom("2026-11-24T09:30:00+09:00", "2026-02-30T00:00:00Z", "yesterday", 7),
        ),
        decidedAt: maybe(fc.constantFrom("2026-11-24T09:00:00Z", "2026-11-24", null, "\ud800")),
        notes: maybe(fc.constantFrom("노트", 3, null, "\udfff", "\ud83d\ude00")),
        extra: maybe(fc.constant("x")),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(record, (raw) => {
        const clean = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
        const fast = validateAudit(clean);
        const documented = AuditSchema.safeParse(clean);
        expect({ clean, fast: fast.errors === undefined }).toEqual({ clean, fast: documented.success });
      }),
      { numRuns: 2000, seed: 11 },
    );
  });
});
