import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvLine, guardFormula, unguardFormula } from "../../src/csv.ts";
import { testContext } from "../helpers.ts";

describe("csvLine, the one CSV writer", () => {
  it("quotes per RFC 4180 only where needed, and leaves empty cells for null", () => {
    expect(csvLine(["a", 'say "hi"', "x,y", "two\nlines", " edge", null, undefined, 3])).toBe(
      'a,"say ""hi""","x,y","two\nlines"," edge",,,3\r\n',
    );
  });

  it("neutralises text a spreadsheet would run as a formula with a leading apostrophe (OWASP CSV injection)", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) {
      const cell = csvLine([`${start}HYPERLINK("http://x")`]);
      expect(cell.replace(/^"/, "").startsWith(`'${start}`)).toBe(true);
    }
    expect(csvLine(["=1+2"])).toBe("'=1+2\r\n");
  });

  it("writes numbers as they are, negative ones included", () => {
    expect(csvLine([-0.5, -3, 0])).toBe("-0.5,-3,0\r\n");
  });

  it("a text already starting with apostrophes before a formula character gets one more apostrophe", () => {
    expect(csvLine(["'=x", "''-1", "'plain"])).toBe("''=x,'''-1,'plain\r\n");
  });

  it("reading a cell through unguardFormula gives back every text the guard wrote (round trip, fast-check)", () => {
    const formulaLike = fc
      .tuple(fc.stringMatching(/^'{0,3}$/), fc.constantFrom("", "=", "+", "-", "@", "\t", "\r"), fc.string())
      .map(([quotes, start, rest]) => quotes + start + rest);
    fc.assert(
      fc.property(fc.oneof(fc.string(), formulaLike), (text) => {
        expect(unguardFormula(guardFormula(text))).toBe(text);
      }),
    );
  });

  it("quotes every field with quoteAll", () => {
    expect(csvLine(["a", 1, null, "=x"], { quoteAll: true })).toBe('"a","1",,"\'=x"\r\n');
  });
});

describe("exports go through the guard", () => {
  it("the audits and quality CSV exports neutralise formula-like cells", async () => {
    const { call, keys } = await testContext();
    const audit = {
      id: "=cmd|' /C calc'!A0",
      decisionId: "d-1",
      queue: "@SUM(1+1)",
      moderator: "+mod",
      auditor: "alice",
      outcome: "incorrect",
      errorType: "false-positive",
      notes: "-2+3",
      auditedAt: "2026-11-24T09:30:00+09:00",
    };
    expect((await call("POST", "/v1/audits", { key: keys.lead, json: audit })).status).toBe(200);
    const audits = await call("GET", "/v1/audits?format=csv", { key: keys.viewer });
    const row = audits.text.split("\r\n")[1];
    expect(row).toContain(`'=cmd|`);
    expect(row).toContain("'@SUM(1+1)");
    expect(row).toContain("'+mod");
    expect(row).toContain("'-2+3");
    const quality = await call("GET", "/v1/quality?groupBy=queue&format=csv", { key: keys.viewer });
    expect(quality.text.split("\r\n")[1].startsWith("'@SUM(1+1),1,1,")).toBe(true);
  });
});
