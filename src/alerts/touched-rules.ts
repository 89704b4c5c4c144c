import { touchedValues } from "../db/alert-scans.ts";
import type { Db } from "../db/database.ts";
import { type Rule, SCOPE_FIELDS, type ScopeField } from "./rules.ts";

/** Above this many new audits since the last evaluation, every rule is evaluated instead of scanning what was touched. */
const TOUCH_SCAN_LIMIT = 200_000;

/**
 * The rules among `rules` whose scope (queue, moderator, policy, market) the audits stored after seq `since`
 * touch: one DISTINCT read per scope field in use. All of them when `since` is unknown (the first evaluation)
 * or more than TOUCH_SCAN_LIMIT audits arrived (reading what they touched would cost more than evaluating).
 */
export async function rulesTouchedSince(
  db: Db,
  rules: Rule[],
  since: number | undefined,
  inserted: number,
): Promise<Rule[]> {
  if (since === undefined || rules.length === 0 || inserted > TOUCH_SCAN_LIMIT) return rules;
  const used = new Set<ScopeField>();
  for (const rule of rules)
    for (const field of SCOPE_FIELDS) if (rule.scope[field] !== undefined) used.add(field);
  const touched = new Map<ScopeField, Set<string | null>>();
  for (const field of used) touched.set(field, await touchedValues(db, field, since));
  return rules.filter((rule) =>
    SCOPE_FIELDS.every(
      (field) => rule.scope[field] === undefined || touched.get(field)!.has(rule.scope[field]!),
    ),
  );
}
