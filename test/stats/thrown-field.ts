import { expect } from "vitest";
import { StatsInputError } from "../../stats/errors.ts";

/** The `field` of the StatsInputError that `run` throws; fails the test when it throws something else or nothing. */
export function thrownField(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StatsInputError);
    return (error as StatsInputError).field;
  }
  throw new Error("expected a StatsInputError");
}
