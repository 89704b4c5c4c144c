import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatters, MAX_RATE_DECIMALS, plural, rateDecimals } from "../src/i18n/index.ts";

/**
 * The dashboard's one rule for rates side by side: an interval's bounds (and its rate) share one number of
 * decimals, chosen so the interval's width shows with two significant digits; plurals by Intl.PluralRules.
 */

const decimalsOf = (text: string) => /[.,](\d+)\s*%/.exec(text)?.[1].length ?? 0;
const en = formatters("en");
const ko = formatters("ko");

describe("rateDecimals and rateInterval", () => {
  it("shows 4.16% – 4.60%, never 4.16% – 4.6%", () => {
    expect(rateDecimals(0.0416, 0.046)).toBe(2);
    expect(en.rateInterval(0.0416, 0.046)).toBe("4.16% – 4.60%");
    expect(ko.rateInterval(0.0416, 0.046)).toBe("4.16% ~ 4.60%");
  });

  it("takes fewer decimals for wide intervals and more for narrow ones, within 0 and the cap", () => {
    expect(rateDecimals(0.03, 0.18)).toBe(0);
    expect(en.rateInterval(0.03, 0.18)).toBe("3% – 18%");
    expect(rateDecimals(0.041, 0.056)).toBe(1);
    expect(rateDecimals(0.04161, 0.04163)).toBe(MAX_RATE_DECIMALS);
    expect(rateDecimals(0, 1)).toBe(0);
  });

  it("falls back to one decimal for an empty or missing interval, and a dash for missing bounds", () => {
    expect(rateDecimals(0.05, 0.05)).toBe(1);
    expect(rateDecimals(null, 0.05)).toBe(1);
    expect(rateDecimals(Number.NaN, 0.05)).toBe(1);
    expect(en.rateInterval(null, 0.05)).toBe("–");
    expect(en.rate(undefined)).toBe("–");
    expect(en.rate(0.05, 2)).toBe("5.00%");
  });

  const interval = fc
    .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]));

  it("gives both bounds the same number of decimals, in both languages (property)", () => {
    fc.assert(
      fc.property(interval, ([lower, upper]) => {
        for (const fmt of [en, ko]) {
          const [low, high] = fmt.rateInterval(lower, upper).split(/ [–~] /);
          expect(decimalsOf(low)).toBe(decimalsOf(high));
          expect(decimalsOf(low)).toBe(rateDecimals(lower, upper));
        }
      }),
    );
  });

  it("keeps the width visible: bounds at least 0.001 points apart never print the same (property)", () => {
    fc.assert(
      fc.property(
        interval.filter(([lower, upper]) => (upper - lower) * 100 >= 10 ** -MAX_RATE_DECIMALS),
        ([lower, upper]) => {
          const [low, high] = en.rateInterval(lower, upper).split(" – ");
          expect(low).not.toBe(high);
        },
      ),
    );
  });

  it("formats the rate with its interval's decimals", () => {
    const decimals = rateDecimals(0.0416, 0.046);
    expect(en.rate(0.0438, decimals)).toBe("4.38%");
    expect(en.rate(0.044, decimals)).toBe("4.40%");
  });
});

describe("plural and counts", () => {
  it("says 1 attempt and 2 attempts in English, one form in Korean", () => {
    expect(plural("en", "format.attempts", 1)).toBe("1 attempt");
    expect(plural("en", "format.attempts", 2)).toBe("2 attempts");
    expect(plural("en", "format.attempts", 1234)).toBe("1,234 attempts");
    expect(plural("ko", "format.attempts", 1)).toBe("1회 시도");
    expect(plural("ko", "format.attempts", 2)).toBe("2회 시도");
  });

  it("groups counts with separators", () => {
    expect(en.count(1234567)).toBe("1,234,567");
    expect(ko.count(1234567)).toBe("1,234,567");
  });

  it("keeps dates on one line: no plain spaces in a formatted date-time", () => {
    expect(en.dateTime("2026-12-06T09:30:00Z")).not.toMatch(/ /);
    expect(ko.dateTime("2026-12-06T09:30:00Z")).not.toMatch(/ /);
    expect(ko.day("2026-12-06")).not.toMatch(/ /);
  });
});
