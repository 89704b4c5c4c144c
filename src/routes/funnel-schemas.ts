import { z } from "@hono/zod-openapi";

/**
 * The funnel plot's answer pieces, shared by the calculator (`POST /v1/funnel`, src/routes/spc.ts) and the
 * report over stored audits (`GET /v1/funnel`, src/routes/reports.ts), which adds its own fields around them.
 */
const FunnelLimits = z.array(z.object({ level: z.number(), lower: z.number(), upper: z.number() }));

export const funnelUnitFields = {
  key: z.union([z.string(), z.number()]),
  count: z.number().int(),
  n: z.number().int(),
  rate: z.number(),
  z: z.number().nullable().openapi({ description: "Null when the target is 0 or 1" }),
  zAdjusted: z.number().nullable().optional().openapi({
    description: "z/√φ when a multiplicative overdispersion factor was applied",
  }),
  band: z.string().openapi({ description: '"inside", or the most extreme band crossed ("above-99.8")' }),
  limits: FunnelLimits,
};

export const funnelShapeFields = {
  targetSource: z.enum(["pooled", "given"]),
  method: z.enum(["exact", "normal"]),
  limits: z.array(z.object({ level: z.number(), name: z.string() })),
  curves: z.array(
    z.object({
      level: z.number(),
      name: z.string(),
      points: z.array(z.object({ n: z.number(), lower: z.number(), upper: z.number() })),
    }),
  ),
  overdispersion: z
    .object({
      method: z.literal("multiplicative"),
      phiEstimate: z.number().nullable(),
      phi: z.number(),
      applied: z.boolean(),
      statistic: z.number().nullable(),
      df: z.number(),
      p: z.number().nullable(),
      winsorisedAt: z.object({ lower: z.number(), upper: z.number() }).nullable(),
    })
    .nullable(),
  notes: z.array(z.string()),
};
