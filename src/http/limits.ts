import { z } from "@hono/zod-openapi";

/*
 * Documented limits of the calculator inputs (docs/limits.md). They live in the zod schemas, so they are
 * checked before any statistics run, answered 400 `validation_failed` naming the field, and shown in
 * /openapi.json. Limits that depend on the data (discovered categories, exact-search cost) are checked by the
 * statistics, which are their source of truth.
 */

/** Largest count, trial number n, population N or sample total: far beyond any audit, exact in a double. */
export const MAX_COUNT = 1e12;

/** Largest magnitude of a measurement, centre or standard deviation given to a chart. */
export const MAX_MAGNITUDE = 1e12;

/** Most strata in one allocation (allocation is O(H log H), O(H²) at worst). */
export const MAX_STRATA = 10_000;

/** Longest label, key or name, in UTF-16 code units (as zod counts). */
export const MAX_LABEL_LENGTH = 200;

/** Longest stratum key (as the draw's stratum keys, `queue=hate|market=KR`). */
export const MAX_STRATUM_KEY_LENGTH = 2000;

/** A count: an integer from 0 to MAX_COUNT. */
export const countSchema = (description: string) =>
  z.number().int().min(0).max(MAX_COUNT).openapi({ description });

/** A number of trials or units: an integer from 1 to MAX_COUNT. */
export const sizeSchema = (description: string) =>
  z.number().int().min(1).max(MAX_COUNT).openapi({ description });
