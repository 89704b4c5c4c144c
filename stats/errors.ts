/**
 * Thrown by every function in `stats/` when its input cannot give a defined answer
 * (wrong shape, out-of-range values). The service maps it to a 400 response; `field`
 * names the offending input (a JSON path such as `points.3.count`) when known.
 */
export class StatsInputError extends Error {
  override readonly name: string = "StatsInputError";
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * Thrown when an input is valid but answering it would cost more than the function's budget (e.g. an exact
 * sample-size search at a tiny margin). Functions decide this before the expensive work where a cost estimate
 * allows, so the refusal itself is cheap. The service maps it to 422 `too_expensive`.
 *
 * - `field`: the input to change (a JSON path, like StatsInputError's).
 * - `limit`: when known, the nearest value of `field` that fits the budget (e.g. the smallest margin).
 * - `alternatives`: other inputs that make the same request cheap, e.g. `[{ method: "wald" }]`.
 *
 * It extends StatsInputError so that code treating any StatsInputError as "the statistics cannot use this
 * input" (and anything that only knows that class) still handles it as a client error, never as a crash.
 */
export class StatsTooExpensiveError extends StatsInputError {
  override readonly name: string = "StatsTooExpensiveError";
  constructor(
    message: string,
    override readonly field: string,
    readonly limit?: number,
    readonly alternatives?: readonly Record<string, unknown>[],
  ) {
    super(message, field);
  }
}
