import { sampleSizeDemonstrate } from "../../stats/sample-size-demonstrate.ts";
import { type EstimateMethod, sampleSizeEstimate } from "../../stats/sample-size-estimate.ts";

export interface SampleSizeRequest {
  goal: "estimate" | "demonstrate";
  confidence?: number;
  margin?: number;
  expectedRate?: number;
  method?: EstimateMethod;
  population?: number;
  maxRate?: number;
  allowedErrors?: number;
}

/**
 * `POST /v1/sample-size`: a sample that estimates a rate within ±margin, or one that demonstrates the rate is
 * below `maxRate` when at most `allowedErrors` are found. The request schema guarantees margin (estimate) and
 * maxRate (demonstrate).
 */
export function sampleSize(request: SampleSizeRequest) {
  if (request.goal === "demonstrate") {
    const result = sampleSizeDemonstrate({
      confidence: request.confidence,
      maxRate: request.maxRate!,
      allowedErrors: request.allowedErrors,
      population: request.population,
    });
    return { goal: "demonstrate" as const, method: result.distribution, ...result };
  }
  const result = sampleSizeEstimate({
    confidence: request.confidence,
    margin: request.margin!,
    expectedRate: request.expectedRate,
    method: request.method,
    population: request.population,
  });
  // The one caveat of an estimate: a rate of 0 or 1 under Wald (see sampleSizeEstimate).
  const noteCode = result.note === undefined ? undefined : ("degenerate_rate" as const);
  return { goal: "estimate" as const, ...result, ...(noteCode && { noteCode }) };
}
