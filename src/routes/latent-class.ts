import { z } from "@hono/zod-openapi";
import { DS_MAX_ITERATIONS, DS_MAX_WORK_PER_ITERATION } from "../../stats/agreement/dawid-skene.ts";
import { MAX_CATEGORIES, MAX_LABEL_LENGTH } from "../../stats/agreement/encode.ts";
import type { RatingsMatrix } from "../../stats/agreement/index.ts";
import { GOLD_USES } from "../calibrations/latent-class.ts";
import { route } from "../http/auth.ts";
import { computeOf } from "../http/env.ts";
import { createRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse } from "../http/schemas.ts";
import { MAX_RATERS, RATINGS_EXAMPLE, RaterNames, RatingsRow } from "./agreement.ts";

/** Most items (rows) of one POST /v1/latent-class: 200,000 (the bench runs 100,000 × 5 raters × 4 classes). */
export const MAX_LATENT_CLASS_ITEMS = 200_000;

const LabelOut = z.union([z.string(), z.number()]);

const GoldCell = z.unknown().openapi({
  type: ["string", "number", "null"],
  description: "The item's known class (one of the categories), or null when unknown",
});

const LatentClassRequest = z
  .object({
    ratings: z
      .array(RatingsRow)
      .max(MAX_LATENT_CLASS_ITEMS)
      .openapi({
        description: `One row per item, one column per rater (null = not rated), as in POST /v1/agreement. At least two columns, at most ${MAX_RATERS}; at most ${MAX_LATENT_CLASS_ITEMS} rows and ${MAX_CATEGORIES} distinct labels; string labels at most ${MAX_LABEL_LENGTH} characters. One EM iteration may cost at most ${DS_MAX_WORK_PER_ITERATION} units (ratings × classes + items × classes + raters × classes²), else 422 too_expensive.`,
        example: RATINGS_EXAMPLE,
      }),
    raters: RaterNames,
    categories: z
      .array(z.union([z.string().max(MAX_LABEL_LENGTH), z.number()]))
      .min(1)
      .max(MAX_CATEGORIES)
      .optional()
      .openapi({
        description: `The classes, in order, at most ${MAX_CATEGORIES} (default: the observed labels, sorted); at least two`,
      }),
    gold: z.array(GoldCell).max(MAX_LATENT_CLASS_ITEMS).optional().openapi({
      description:
        "One entry per item: its known class, fixed during the fit (its posterior is one-hot and never updated), or null",
    }),
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
  .openapi("LatentClassRequest");

const fitFields = {
  method: z.literal("dawid-skene-em"),
  classes: z.array(LabelOut).openapi({ description: "The classes, in the order of every vector and matrix" }),
  priors: z
    .array(z.number())
    .openapi({ description: "Class priors π_j: the estimated share of each true class" }),
  raters: z.array(
    z
      .object({
        rater: z.string(),
        ratings: z.number().openapi({ description: "Ratings this rater gave" }),
        confusion: z.array(z.array(z.number())).openapi({
          description: "θ: rows = true class, columns = the label given, in `classes` order; rows sum to 1",
        }),
        estimatedAccuracy: z.number().openapi({
          description: "Σ_j π_j θ_jj: the chance this rater's label is the true class of a random item",
        }),
      })
      .openapi("LatentClassRater"),
  ),
  goldItems: z.number().int().openapi({ description: "Items whose class was fixed by gold" }),
  converged: z.boolean().openapi({
    description: `True when the log-likelihood changed by less than the tolerance; false after ${DS_MAX_ITERATIONS} iterations`,
  }),
  iterations: z.number().int(),
  logLikelihood: z.number().openapi({ description: "Observed-data log-likelihood at the estimates" }),
  pseudoCount: z.number().openapi({ description: "Added to every confusion cell in each M-step (0.01)" }),
  tolerance: z.number(),
  maxIterations: z.number().int(),
};

const posteriorFields = {
  posterior: z.array(z.number()).openapi({ description: "P(true class | ratings), in `classes` order" }),
  mostProbable: LabelOut.openapi({
    description: "The class with the highest posterior (the first when tied)",
  }),
};

const LatentClassResult = z
  .object({
    ...fitFields,
    items: z.array(
      z.object({
        item: z.number().int().openapi({ description: "Row index in `ratings`" }),
        ...posteriorFields,
        gold: z.boolean().openapi({ description: "True when the class was fixed by `gold`" }),
      }),
    ),
  })
  .openapi("LatentClassResult");

const SessionLatentClass = z
  .object({
    id: z.string(),
    gold: z.enum(GOLD_USES).openapi({ description: "How the session's gold labels were used" }),
    ...fitFields,
    items: z.array(
      z.object({
        id: z.string(),
        gold: LabelOut.nullable().openapi({ description: "The session's gold label" }),
        goldFixed: z
          .boolean()
          .openapi({ description: "True when the gold label was fixed as the item's class" }),
        ...posteriorFields,
      }),
    ),
  })
  .openapi("CalibrationLatentClass");

const method =
  "Dawid & Skene (1979) EM: started from each item's vote shares (majority vote, ties split evenly), a pseudo-count of 0.01 on every confusion cell, E-step in log space, stopped when the log-likelihood changes by less than 1e-10 or after 1,000 iterations (`converged` says which).";

export const latentClassRouter = createRouter()
  .openapi(
    route("calculator", {
      method: "post",
      path: "/v1/latent-class",
      operationId: "computeLatentClass",
      tags: ["calculators"],
      summary: "Rater quality without gold: Dawid–Skene confusion matrices, class priors and item posteriors",
      description: `${method} Ratings as in POST /v1/agreement (missing allowed); \`gold\` fixes known classes. A bad cell answers 400 naming \`ratings.<row>.<column>\` or \`gold.<row>\`.`,
      request: { body: jsonBody(LatentClassRequest) },
      responses: {
        200: jsonResponse(LatentClassResult, "The fit"),
        ...errorResponses(400, 422),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const input = { ...body, ratings: body.ratings as RatingsMatrix, gold: body.gold as never };
      return c.json(await computeOf(c.get("deps")).run("latent-class", input), 200);
    },
  )
  .openapi(
    route("viewer", {
      method: "get",
      path: "/v1/calibrations/{id}/latent-class",
      operationId: "getCalibrationLatentClass",
      tags: ["calibration"],
      summary:
        "Dawid–Skene over a closed calibration session: each rater's estimated accuracy and confusion matrix",
      description: `${method} The session's categories are the classes; its gold labels are fixed as known classes (\`gold=fixed\`, the default) or left out (\`gold=ignored\`, to compare with the gold-based report). 409 while the session is open: it is blind, as for the report.`,
      request: {
        params: z.object({ id: z.string().min(1).max(100) }),
        query: z.object({
          gold: z.enum(GOLD_USES).optional().openapi({ description: "fixed (default) or ignored" }),
        }),
      },
      responses: {
        200: jsonResponse(SessionLatentClass, "The fit over the session"),
        ...errorResponses(400, 401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { gold } = c.req.valid("query");
      return c.json(await computeOf(c.get("deps")).run("calibration-latent-class", { id, gold }), 200);
    },
  );
