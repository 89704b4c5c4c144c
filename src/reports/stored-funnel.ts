import { funnel } from "../../stats/spc/index.ts";
import { type FilterQuery, toFilter } from "../audits/filters.ts";
import { countByGroups } from "../db/audits.ts";
import type { Db } from "../db/database.ts";

export interface StoredFunnelQuery extends FilterQuery {
  by: "moderator" | "auditor" | "queue" | "policy" | "market";
  target?: number;
  method: "exact" | "normal";
  overdispersion: "none" | "multiplicative";
}

/** A funnel plot of the groups of `by` over the audits in the filter (the same result as POST /v1/funnel). */
export async function storedFunnel(db: Db, query: StoredFunnelQuery, timeZone: string) {
  const groups = await countByGroups(db, toFilter(query, timeZone), [query.by]);
  const units = groups.map((g) => ({ key: g.key[query.by] ?? "(none)", count: g.errors, n: g.audited }));
  if (units.length === 0) {
    return { by: query.by, units: [], curves: [], notes: ["no audits match the filters"] };
  }
  const result = funnel({
    units,
    target: query.target,
    method: query.method,
    overdispersion: query.overdispersion,
  });
  return { ...result, by: query.by, timeZone };
}
