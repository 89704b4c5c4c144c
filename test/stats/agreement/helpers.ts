import { expect } from "vitest";
import { tCritical } from "../../../stats/critical.ts";

/** |actual − expected| ≤ tolerance·max(|expected|, 1e-300): the 1e-9 relative check for recomputed values. */
export function expectRelative(actual: number | null | undefined, expected: number, tolerance = 1e-9): void {
  expect(actual).toBeTypeOf("number");
  const scale = Math.max(Math.abs(expected), 1e-300);
  expect(Math.abs((actual as number) - expected) / scale).toBeLessThanOrEqual(tolerance);
}

/**
 * Agrees with a value printed to `decimals` decimal places (half a unit in the last place, plus rounding
 * slack).
 */
export function expectDecimals(actual: number | null | undefined, printed: number, decimals: number): void {
  expect(actual).toBeTypeOf("number");
  expect(Math.abs((actual as number) - printed)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
}

/** Agrees with a value printed to `digits` significant digits (R's default print uses 7). */
export function expectSignificant(actual: number | null | undefined, printed: number, digits = 7): void {
  expect(actual).toBeTypeOf("number");
  const exponent = Math.floor(Math.log10(Math.abs(printed)));
  expect(Math.abs((actual as number) - printed)).toBeLessThanOrEqual(
    0.5 * 10 ** (exponent - digits + 1) + 1e-15,
  );
}

/**
 * Interval bounds built from tCritical (stats/critical.ts), whose jStat Student-t quantile is accurate to
 * about 1e-8 (e.g. t(0.975; 11) = 2.2009851427 vs exact 2.2009851593): an error of se·1.7e-8 ≤ 3e-9 in the
 * bound, above the 1e-9 relative check. Bounds using t are therefore compared to 1e-8 absolute.
 */
export function expectTBound(actual: number | null | undefined, expected: number): void {
  expect(actual).toBeTypeOf("number");
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(1e-8);
}

/**
 * The interval irrCAC prints for a coefficient and standard error: coeff ± t(n − 1)·se, upper clipped at 1.
 */
export function irrcacTInterval(
  coefficient: number,
  se: number,
  n: number,
  confidence = 0.95,
): [number, number] {
  const half = tCritical(confidence, n - 1) * se;
  return [coefficient - half, Math.min(1, coefficient + half)];
}

/** Parses an irrCAC printed interval such as "(0.68,0.913)". */
export function parseInterval(printed: string): [number, number] {
  const [lower, upper] = printed.replace(/[()]/g, "").split(",").map(Number);
  return [lower, upper];
}

/** Raw two-rater ratings from a q × q contingency table (rows = rater 1), labelled by `labels`. */
export function expandTable<L>(table: readonly (readonly number[])[], labels: readonly L[]): L[][] {
  const rows: L[][] = [];
  table.forEach((row, i) => {
    row.forEach((count, j) => {
      for (let c = 0; c < count; c++) rows.push([labels[i], labels[j]]);
    });
  });
  return rows;
}

/** Transposes coders × units reliability data into the items × raters layout. */
export function unitsByCoder<T>(coderRows: readonly (readonly T[])[]): T[][] {
  return coderRows[0].map((_, unit) => coderRows.map((row) => row[unit]));
}

/** Every number reachable in a result, with its path (to check that nothing is NaN or infinite). */
export function numbersIn(value: unknown, path = "$"): [string, number][] {
  if (typeof value === "number") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => numbersIn(item, `${path}.${i}`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => numbersIn(item, `${path}.${key}`));
  }
  return [];
}
