/*
 * Helpers for the forms of several pages: numbers typed by a person, the checks the calculators make before
 * they ask the server, and the order the interval methods are offered in.
 */
import { INTERVAL_METHODS, type IntervalMethod } from "../../stats/methods.ts";

/** A number typed by a person, or undefined when the text is empty or not a number. */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** True when the value is given and strictly between low and high. */
export const inOpen = (value: number | undefined, low: number, high: number) =>
  value !== undefined && value > low && value < high;

/** True when the value is a safe integer of at least `min`. */
export const isCount = (value: number | undefined, min = 0) =>
  value !== undefined && Number.isSafeInteger(value) && value >= min;

/** The interval methods as the forms offer them: Wilson (the default) first, then the API's order. */
export const INTERVAL_METHOD_CHOICES: readonly IntervalMethod[] = [
  "wilson",
  ...INTERVAL_METHODS.filter((method) => method !== "wilson"),
];
