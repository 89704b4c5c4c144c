import { type AllocationMethod, type AllocationNotice, allocate } from "../../stats/allocation.ts";
import { sampleSizeEstimate } from "../../stats/sample-size-estimate.ts";
import { countByGroups, type GroupField } from "../db/audits.ts";
import type { Db } from "../db/database.ts";
import { DomainError } from "../errors.ts";
import { stratumKey } from "./strata.ts";

/** A draw request, as validated by the route. */
export interface DrawRequest {
  population: string;
  strata?: string[];
  allocation?: AllocationMethod;
  total?: number;
  confidence?: number;
  margin?: number;
  expectedRate?: number;
  perStratum?: { confidence?: number; margin: number; expectedRate?: number };
  minPerStratum?: number;
  expectedRates?: Record<string, number>;
  fromHistory?: { days: number };
  seed?: string;
  /** For people; default: the population's name (or id) and the draw's date in the service's time zone. */
  name?: string;
}

/** Attributes audits carry, so history can be matched to strata on them. */
export const HISTORY_ATTRIBUTES: readonly string[] = ["queue", "moderator", "policy", "market"];
/** The Neyman / per-stratum rate of a stratum without history: p(1 − p) is largest at 0.5 (conservative). */
export const NO_HISTORY_RATE = 0.5;
const DAY_MS = 86_400_000;

export interface StratumRate {
  rate: number;
  source: "expectedRates" | "history" | "default";
}

/**
 * Expected error rates per stratum: `expectedRates` (keys must be strata of this population) win; else,
 * with `fromHistory`, the stratum's error rate over audits of the last `days` days (audited at or after
 * now − days × 24 h) matched on the strata attributes (absent policy/market = ""); strata without history
 * get perStratum.expectedRate when given, else 0.5. Without either, no rates (allocate's default 0.5 applies
 * to Neyman).
 */
export async function strataRates(
  db: Db,
  request: DrawRequest,
  attributes: readonly string[],
  keys: readonly string[],
  now: number,
): Promise<Map<string, StratumRate> | undefined> {
  const known = new Set(keys);
  const explicit = request.expectedRates ?? {};
  const unknown = Object.keys(explicit).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new DomainError(
      "invalid",
      "validation_failed",
      `expectedRates names strata this population does not have: ${unknown.slice(0, 5).join(", ")}`,
      unknown.map((key) => ({
        path: `expectedRates.${key}`,
        message: `no stratum "${key}" (keys look like ${keys[0]})`,
      })),
    );
  }
  if (!request.fromHistory && Object.keys(explicit).length === 0) return undefined;

  const history = new Map<string, number>();
  if (request.fromHistory) {
    const bad = attributes.filter((a) => !HISTORY_ATTRIBUTES.includes(a));
    if (bad.length > 0) {
      throw new DomainError(
        "invalid",
        "validation_failed",
        `fromHistory matches strata to audits, which only have ${HISTORY_ATTRIBUTES.join(", ")}; not ${bad.join(", ")}`,
        [{ path: "fromHistory", message: `audits have no ${bad.join(", ")}` }],
      );
    }
    const groups = await countByGroups(
      db,
      { fromMs: now - request.fromHistory.days * DAY_MS },
      attributes as GroupField[],
    );
    for (const group of groups) {
      if (group.audited === 0) continue;
      const key = stratumKey(
        attributes,
        attributes.map((a) => group.key[a] ?? ""),
      );
      history.set(key, group.errors / group.audited);
    }
  }
  const rates = new Map<string, StratumRate>();
  const fallback = request.perStratum?.expectedRate ?? NO_HISTORY_RATE;
  for (const key of keys) {
    if (key in explicit) rates.set(key, { rate: explicit[key], source: "expectedRates" });
    else if (history.has(key)) rates.set(key, { rate: history.get(key)!, source: "history" });
    else if (request.fromHistory) rates.set(key, { rate: fallback, source: "default" });
  }
  return rates;
}

/** A note of a draw's plan: a stable code and its parameters for other languages, and the English text. */
export interface PlanNotice {
  code: AllocationNotice["code"] | "per_stratum_ignores_allocation" | "per_stratum_sized" | "rates_unused";
  params: Record<string, number | string>;
  message: string;
}

/**
 * n_h per stratum. `total`: {@link allocate} of the total. `margin` (+ confidence, expectedRate): allocate
 * with the total from {@link sampleSizeEstimate} over N = Σ N_h (Cochran with finite-population
 * correction). `perStratum`: each stratum sized on its own with sampleSizeEstimate at N = N_h (its own
 * finite-population correction, its own expected rate when one is known), raised to min(minPerStratum, N_h);
 * the total is the sum (no allocation step).
 */
export function sizeStrata(
  request: DrawRequest,
  strata: { key: string; size: number }[],
  rates: Map<string, StratumRate> | undefined,
): { n: number[]; total: number; notices: PlanNotice[] } {
  const minPerStratum = request.minPerStratum ?? 0;
  const notices: PlanNotice[] = [];
  const note = (code: PlanNotice["code"], params: PlanNotice["params"], message: string) =>
    notices.push({ code, params, message });
  const method = request.allocation ?? "proportional";
  if (request.perStratum) {
    const { confidence = 0.95, margin, expectedRate } = request.perStratum;
    if (request.allocation) {
      note(
        "per_stratum_ignores_allocation",
        {},
        "allocation is not used with perStratum: each stratum is sized alone",
      );
    }
    const n = strata.map((s, h) => {
      const rate = rates?.get(s.key)?.rate ?? expectedRate ?? 0.5;
      const estimate = sampleSizeEstimate({ confidence, margin, expectedRate: rate, population: s.size });
      if (estimate.note && h === 0) note("degenerate_rate", {}, estimate.note);
      return Math.max(estimate.n, Math.min(minPerStratum, s.size));
    });
    note(
      "per_stratum_sized",
      { margin, confidence },
      `each stratum sized for ±${margin} at ${confidence} confidence with its own finite-population ` +
        "correction (Cochran), then raised to minPerStratum where set",
    );
    return { n, total: n.reduce((a, b) => a + b, 0), notices };
  }
  if (rates && method !== "neyman") {
    note(
      "rates_unused",
      { method },
      `expected rates only shape Neyman allocation or perStratum sizing; with ${method} allocation they are not used`,
    );
  }
  const allocation = allocate({
    strata: strata.map((s) => ({ key: s.key, size: s.size, expectedRate: rates?.get(s.key)?.rate })),
    method,
    total: request.total,
    confidence: request.confidence,
    margin: request.margin,
    expectedRate: request.expectedRate,
    minPerStratum,
  });
  notices.push(...allocation.notices);
  return { n: allocation.strata.map((s) => s.n), total: allocation.total, notices };
}
