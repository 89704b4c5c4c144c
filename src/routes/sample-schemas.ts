import { z } from "@hono/zod-openapi";

/*
 * Answer schemas of the samples router (src/routes/samples.ts) that need no handler code: the estimate and the
 * draw explanation.
 */

/** A draw plan's notes with codes (the calculators' vocabulary, `note.<code>` in the dashboard). */
export const PlanNotices = z
  .array(
    z.object({
      code: z.string().openapi({ example: "total_derived" }),
      params: z.record(z.string(), z.union([z.number(), z.string()])),
      message: z.string(),
    }),
  )
  .openapi({
    description:
      "The plan's notes with a stable code and parameters (a client's own language), one for one with `notes`; empty for samples drawn before notes had codes",
  });

const RateFields = {
  rate: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
};
const EstimateStratum = z.object({
  key: z.string(),
  size: z.number().int(),
  drawn: z.number().int(),
  audited: z.number().int(),
  skipped: z.number().int().openapi({ description: "Skipped items, left out" }),
  errors: z.number().int(),
  ...RateFields,
  weight: z.number().nullable(),
  included: z.boolean(),
});
const TypeEstimate = z.object({
  errorType: z.string(),
  errors: z.number().int(),
  ...RateFields,
  standardError: z.number().nullable(),
  strata: z.array(z.object({ key: z.string(), errors: z.number().int(), ...RateFields })),
});
export const EstimateResult = z
  .object({
    sample: z.string(),
    population: z.string(),
    confidence: z.number(),
    method: z.string(),
    drawn: z.number().int(),
    audited: z.number().int(),
    skipped: z.number().int().openapi({
      description: "Skipped items (without an audit naming this sample): left out of the estimate",
    }),
    errors: z.number().int(),
    ...RateFields,
    standardError: z.number().nullable(),
    variance: z.number().nullable(),
    coverage: z.object({ size: z.number().int(), population: z.number().int(), share: z.number() }),
    strata: z.array(EstimateStratum),
    byErrorType: z.array(TypeEstimate),
    warnings: z.array(z.string()),
  })
  .openapi("SampleEstimate");

export const ExplainResult = z
  .object({
    sample: z.string(),
    decisionId: z.string(),
    hashInput: z.string(),
    sha256: z.string(),
    priority: z.string(),
    priorityDecimal: z.string(),
    stratum: z.string(),
    stratumSize: z.number().int(),
    stratumN: z.number().int(),
    cutoff: z.object({ priority: z.string(), decisionId: z.string() }).nullable(),
    drawn: z.boolean(),
    rank: z.number().int().nullable(),
    auditor: z.string().nullable(),
    explanation: z.string(),
  })
  .openapi("DrawExplanation");
