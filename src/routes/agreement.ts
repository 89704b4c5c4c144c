import { z } from "@hono/zod-openapi";
import { MAX_CATEGORIES, MAX_LABEL_LENGTH } from "../../stats/agreement/encode.ts";
import type { RatingsMatrix } from "../../stats/agreement/index.ts";
import { route } from "../http/auth.ts";
import { computeOf } from "../http/env.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, openUnit } from "../http/schemas.ts";

/** Most raters (columns) accepted: the pairwise table grows with raters², so this bounds a request's cost. */
export const MAX_RATERS = 100;

export const LEVEL_VALUES = ["nominal", "ordinal", "interval", "ratio"] as const;
export const WEIGHT_VALUES = ["unweighted", "linear", "quadratic"] as const;

const LabelOut = z.union([z.string(), z.number()]);
const num = z.number().nullable();
const band = z.string().nullable().openapi({ description: "Landis & Koch band (a reading aid only)" });
const reason = z.string().nullable();

/**
 * A ratings row. Typed loosely on purpose: the statistics check each row and cell and name the first bad one
 * (`ratings.4.2`), so a huge malformed matrix yields one precise error instead of one issue per cell.
 */
export const RatingsRow = z.unknown().openapi({
  type: "array",
  items: { type: ["string", "number", "null"] },
  description: "One item: a label (string or number) per rater, null where that rater gave none",
});

/** The example matrix and the rater-names field, shared with POST /v1/latent-class. */
export const RATINGS_EXAMPLE = [
  ["ok", "ok", "hate"],
  ["hate", "hate", "hate"],
  ["ok", null, "ok"],
];
export const RaterNames = z
  .array(z.string().max(MAX_LABEL_LENGTH))
  .max(MAX_RATERS)
  .optional()
  .openapi({ description: "Rater names, one per column (default r1, r2, …)" });

const AgreementRequest = z
  .object({
    ratings: z.array(RatingsRow).openapi({
      description: `One row per item, one column per rater (null = not rated). At least two columns, at most ${MAX_RATERS}; at most ${MAX_CATEGORIES} distinct labels (checked while reading, naming the first label past the limit); string labels at most ${MAX_LABEL_LENGTH} characters.`,
      example: RATINGS_EXAMPLE,
    }),
    raters: RaterNames,
    categories: z
      .array(z.union([z.string().max(MAX_LABEL_LENGTH), z.number()]))
      .min(1)
      .max(MAX_CATEGORIES)
      .optional()
      .openapi({
        description: `Allowed labels in order, at most ${MAX_CATEGORIES} (default: the observed labels, sorted)`,
      }),
    level: z
      .enum(LEVEL_VALUES)
      .optional()
      .openapi({ description: "Krippendorff's alpha level, default nominal" }),
    weights: z
      .enum(WEIGHT_VALUES)
      .optional()
      .openapi({ description: "Weights for Cohen, Fleiss and Gwet (AC2 when weighted), default unweighted" }),
    confidence: openUnit("Confidence level of the intervals, default 0.95").optional(),
  })
  .superRefine((body, ctx) => {
    const first = body.ratings[0];
    if (Array.isArray(first) && first.length > MAX_RATERS) {
      ctx.addIssue({
        code: "custom",
        path: ["ratings", 0],
        message: `at most ${MAX_RATERS} raters (columns)`,
      });
    }
  })
  .openapi("AgreementRequest");

const Coefficient = {
  se: num.openapi({ description: "Standard error (non-null)" }),
  lower: num,
  upper: num,
  interpretation: band,
  confidence: z.number(),
  undefinedReason: reason,
};

export const AgreementResultSchema = z
  .object({
    items: z.number().int(),
    itemsRated: z.number().int(),
    itemsPairable: z.number().int(),
    raters: z.array(z.string()),
    categories: z.array(LabelOut),
    level: z.enum(LEVEL_VALUES),
    weights: z.enum(WEIGHT_VALUES),
    confidence: z.number(),
    percentAgreement: num,
    percentAgreementUndefinedReason: reason,
    cohen: z
      .object({
        kappa: num,
        ...Coefficient,
        se0: num.openapi({ description: "Standard error under H0 (kappa = 0)" }),
        z: num,
        p: num,
        weights: z.string(),
        items: z.number().int(),
        po: num,
        pe: num,
        seUndefinedReason: reason,
        se0UndefinedReason: reason,
      })
      .nullable()
      .openapi({ description: "Cohen's kappa: only with exactly two raters" }),
    fleiss: z.object({
      kappa: num,
      ...Coefficient,
      se0: num,
      z: num,
      p: num,
      weights: z.enum(WEIGHT_VALUES),
      pa: num,
      pe: num,
      itemsRated: z.number().int(),
      itemsPairable: z.number().int(),
      perCategory: z.array(
        z.object({ category: LabelOut, kappa: num, se0: num, z: num, p: num, undefinedReason: reason }),
      ),
      seUndefinedReason: reason,
      se0UndefinedReason: reason,
    }),
    krippendorff: z.object({
      alpha: num,
      level: z.enum(LEVEL_VALUES),
      interpretation: band,
      pairableValues: z.number(),
      pairableUnits: z.number().int(),
      observedDisagreement: num,
      expectedDisagreement: num,
      undefinedReason: reason,
      bootstrap: z.unknown().nullable(),
    }),
    gwet: z.object({
      ac1: num.openapi({ description: "AC1, or AC2 when weighted (see coefficient)" }),
      ...Coefficient,
      coefficient: z.enum(["AC1", "AC2"]),
      weights: z.enum(WEIGHT_VALUES),
      pa: num,
      pe: num,
      itemsRated: z.number().int(),
      itemsPairable: z.number().int(),
      seUndefinedReason: reason,
    }),
    pairwise: z.array(
      z.object({
        raters: z.tuple([z.string(), z.string()]),
        items: z.number().int(),
        percentAgreement: num,
        kappa: num,
        interpretation: band,
        undefinedReason: reason,
      }),
    ),
  })
  .openapi("AgreementResult");

export const agreementRouter = createRouter().openapi(
  route("calculator", {
    method: "post",
    path: "/v1/agreement",
    operationId: "computeAgreement",
    tags: ["calculators"],
    summary:
      "Inter-rater agreement: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha, Gwet's AC1",
    description:
      "Kappa and AC1 are both given on purpose: on lopsided moderation data (most items fine) kappa can be low while raters agree on nearly every item (the kappa paradox); AC1 is stable there. A label outside `categories`, a ragged row or fewer than two raters answer 400 naming `ratings.<row>.<column>`.",
    request: { body: jsonBody(AgreementRequest) },
    responses: {
      200: jsonResponse(
        AgreementResultSchema,
        "Every coefficient; null with an undefinedReason when undefined",
      ),
      ...errorResponses(400, 422),
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const input = { ...body, ratings: body.ratings as RatingsMatrix };
    return c.json(await computeOf(c.get("deps")).run("agreement", input), 200);
  },
);
