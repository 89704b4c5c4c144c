import { describe, expect, it } from "vitest";
import {
  assertMayReadLabels,
  assertMayWrite,
  assertOpen,
  assertReportable,
  type Caller,
  visibleItems,
} from "../../src/calibrations/blind.ts";
import { DomainError } from "../../src/errors.ts";

const open = { id: "s1", status: "open" } as const;
const closed = { id: "s1", status: "closed" } as const;
const alice: Caller = { role: "auditor", rater: "alice" };
const unbound: Caller = { role: "auditor", rater: null };
const others: Caller[] = [
  { role: "viewer", rater: null },
  { role: "lead", rater: null },
  { role: "admin", rater: null },
  // A lead bound to a rater name is still not that rater's auditor key.
  { role: "lead", rater: "alice" },
];

/** The kind and code of the DomainError `fn` throws, or "allowed". */
function outcome(fn: () => void): string {
  try {
    fn();
    return "allowed";
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return `${error.kind}/${error.code}`;
  }
}

describe("the blind rule of calibration sessions", () => {
  it("while open, a rater's labels are shown only to that rater's own auditor key", () => {
    expect(outcome(() => assertMayReadLabels(open, alice, "alice"))).toBe("allowed");
    expect(outcome(() => assertMayReadLabels(open, alice, "bob"))).toBe("forbidden/forbidden");
    expect(outcome(() => assertMayReadLabels(open, unbound, "alice"))).toBe("forbidden/forbidden");
    for (const caller of others) {
      expect(outcome(() => assertMayReadLabels(open, caller, "alice"))).toBe("forbidden/forbidden");
    }
  });

  it("after close, every reader sees every rater's labels", () => {
    for (const caller of [alice, unbound, ...others]) {
      for (const rater of ["alice", "bob"]) {
        expect(outcome(() => assertMayReadLabels(closed, caller, rater))).toBe("allowed");
      }
    }
  });

  it("the report (everyone's labels and the gold) is refused while open, to everyone", () => {
    expect(outcome(() => assertReportable(open))).toBe("conflict/conflict");
    expect(outcome(() => assertReportable(closed))).toBe("allowed");
  });

  it("gold labels are left out of the item list while open", () => {
    const items = [
      { id: "post-1", gold: "spam" },
      { id: "post-2", gold: null },
    ];
    expect(visibleItems(open, items)).toEqual([{ id: "post-1" }, { id: "post-2" }]);
    expect(JSON.stringify(visibleItems(open, items))).not.toContain("gold");
    expect(visibleItems(closed, items)).toEqual(items);
  });

  it("an auditor key writes only its own rater, naming the row that tried; lead and admin write any", () => {
    expect(outcome(() => assertMayWrite(alice, "alice"))).toBe("allowed");
    expect(outcome(() => assertMayWrite(unbound, "alice"))).toBe("forbidden/forbidden");
    try {
      assertMayWrite(alice, "bob", "rows.3.rater");
      expect.unreachable();
    } catch (error) {
      expect((error as DomainError).details).toEqual([{ path: "rows.3.rater", message: "another rater" }]);
    }
    for (const role of ["lead", "admin"] as const) {
      expect(outcome(() => assertMayWrite({ role, rater: null }, "bob"))).toBe("allowed");
    }
  });

  it("ratings change only while the session is open", () => {
    expect(outcome(() => assertOpen(open))).toBe("allowed");
    expect(outcome(() => assertOpen(closed))).toBe("conflict/conflict");
  });
});
