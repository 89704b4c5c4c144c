import { describe, expect, it } from "vitest";
import { encodeRatings, MAX_CATEGORIES, MAX_LABEL_LENGTH } from "../../../stats/agreement/encode.ts";
import { thrownField } from "../thrown-field.ts";

describe("encodeRatings limits (issue 19: bounded cost)", () => {
  it("refuses the first discovered label past MAX_CATEGORIES where it is read, before the count table", () => {
    expect(MAX_CATEGORIES).toBe(200);
    // Row i holds labels 3i, 3i + 1, 3i + 2: label 200 is the third cell of row 66.
    const ratings = Array.from({ length: 100_000 }, (_, i) => [3 * i, 3 * i + 1, 3 * i + 2]);
    const start = performance.now();
    expect(thrownField(() => encodeRatings(ratings))).toBe("ratings.66.2");
    expect(performance.now() - start).toBeLessThan(500);
    // Repeating known labels never counts against the limit.
    const known = Array.from({ length: 1000 }, (_, i) => [i % 200, (i * 7) % 200]);
    expect(encodeRatings(known).categories).toHaveLength(200);
  });

  it("refuses more than MAX_CATEGORIES declared categories and labels longer than MAX_LABEL_LENGTH", () => {
    const declared = Array.from({ length: MAX_CATEGORIES + 1 }, (_, k) => `c${k}`);
    expect(thrownField(() => encodeRatings([["c0", "c1"]], { categories: declared }))).toBe("categories");
    expect(
      encodeRatings([["c0", "c1"]], { categories: declared.slice(0, MAX_CATEGORIES) }).categories,
    ).toHaveLength(200);
    const long = "x".repeat(MAX_LABEL_LENGTH + 1);
    expect(
      thrownField(() =>
        encodeRatings([
          ["ok", "ok"],
          ["ok", long],
        ]),
      ),
    ).toBe("ratings.1.1");
    expect(thrownField(() => encodeRatings([["ok", "ok"]], { categories: ["ok", long] }))).toBe(
      "categories.1",
    );
    expect(encodeRatings([["x".repeat(MAX_LABEL_LENGTH), "ok"]]).categories).toHaveLength(2);
  });
});
