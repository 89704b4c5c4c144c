import type { FunnelResult, FunnelUnitResult } from "../../stats/spc/funnel.ts";
import { funnel } from "../../stats/spc/index.ts";
import { type FilterQuery, toFilter } from "../audits/filters.ts";
import { countByGroups } from "../db/audits.ts";
import type { Db } from "../db/database.ts";

export interface StoredFunnelQuery extends FilterQuery {
  by: "moderator" | "auditor" | "queue" | "policy" | "market";
  target?: number;
  method: "exact" | "normal";
  overdispersion: "none" | "multiplicative";
  /** Units with fewer audits than this are listed but neither flagged nor part of the statistics. */
  minAudited: number;
}

/** A unit of the stored funnel: `belowMinimum` ones carry their counts only (no z, no limits, band "inside"). */
export type StoredFunnelUnit = FunnelUnitResult & { belowMinimum: boolean };

export interface StoredFunnel extends Omit<FunnelResult, "units" | "target"> {
  by: StoredFunnelQuery["by"];
  timeZone: string;
  minAudited: number;
  /** How many units have fewer than `minAudited` audits. */
  unitsBelowMinimum: number;
  /** Null only when no audit matches the filters. */
  target: number | null;
  units: StoredFunnelUnit[];
}

/**
 * A funnel plot of the groups of `by` over the audits in the filter (POST /v1/funnel's statistics). Units with
 * fewer than `minAudited` audits (issue 18: one wrong audit of one is not a signal) are listed with their counts and
 * `belowMinimum: true` but left out of the target, the limits and the overdispersion, so they are never flagged and
 * do not move the others' limits (many one-audit units would inflate the overdispersion estimate); with none at or
 * above the minimum there are no limits at all.
 */
export async function storedFunnel(
  db: Db,
  query: StoredFunnelQuery,
  timeZone: string,
): Promise<StoredFunnel> {
  const groups = await countByGroups(db, toFilter(query, timeZone), [query.by]);
  const units = groups.map((g) => ({ key: g.key[query.by] ?? "(none)", count: g.errors, n: g.audited }));
  const eligible = units.filter((u) => u.n >= query.minAudited);
  const below = units.length - eligible.length;
  const base = { by: query.by, timeZone, minAudited: query.minAudited, unitsBelowMinimum: below };
  const notes = below > 0 ? [`units with fewer than ${query.minAudited} audits, not flagged: ${below}`] : [];
  const result: Omit<FunnelResult, "target"> & { target: number | null } =
    eligible.length > 0
      ? funnel({
          units: eligible,
          target: query.target,
          method: query.method,
          overdispersion: query.overdispersion,
        })
      : {
          target: query.target ?? pooledRate(units),
          targetSource: query.target === undefined ? "pooled" : "given",
          method: query.method,
          limits: [],
          units: [],
          curves: [],
          overdispersion: null,
          notes: [
            units.length === 0
              ? "no audits match the filters"
              : `no unit has at least ${query.minAudited} audits`,
          ],
        };
  const flagged = new Map(result.units.map((u) => [u.key, u]));
  return {
    ...result,
    ...base,
    notes: [...result.notes, ...notes],
    units: units.map((u) => {
      const unit = flagged.get(u.key);
      if (unit) return { ...unit, belowMinimum: false };
      return { ...u, rate: u.count / u.n, z: null, band: "inside", limits: [], belowMinimum: true };
    }),
  };
}

/** Σ errors / Σ audited, or null without audits. */
function pooledRate(units: readonly { count: number; n: number }[]): number | null {
  const n = units.reduce((sum, u) => sum + u.n, 0);
  return n === 0 ? null : units.reduce((sum, u) => sum + u.count, 0) / n;
}
