/**
 * Thrown by every function in `stats/` when its input cannot give a defined answer
 * (wrong shape, out-of-range values). The service maps it to a 400 response; `field`
 * names the offending input (a JSON path such as `points.3.count`) when known.
 */
export class StatsInputError extends Error {
  override readonly name = "StatsInputError";
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
