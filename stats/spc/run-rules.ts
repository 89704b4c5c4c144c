import { StatsInputError } from "../errors.ts";

/** Zone and run rules evaluated on standardised values of a Shewhart chart. */
export const WESTERN_ELECTRIC_RULES = ["we-1", "we-2", "we-3", "we-4"] as const;
export const NELSON_RULES = [
  "nelson-1",
  "nelson-2",
  "nelson-3",
  "nelson-4",
  "nelson-5",
  "nelson-6",
  "nelson-7",
  "nelson-8",
] as const;
/** Signals of the time-weighted charts; they are not zone rules and apply only to their own chart type. */
export const EWMA_RULES = ["ewma"] as const;
export const CUSUM_RULES = ["cusum-upper", "cusum-lower"] as const;
/** The Bernoulli CUSUM's signal: B ≥ h. */
export const BERNOULLI_CUSUM_RULES = ["bernoulli-cusum"] as const;

export type ZoneRuleId = (typeof WESTERN_ELECTRIC_RULES)[number] | (typeof NELSON_RULES)[number];
export type RuleId =
  | ZoneRuleId
  | (typeof EWMA_RULES)[number]
  | (typeof CUSUM_RULES)[number]
  | (typeof BERNOULLI_CUSUM_RULES)[number];
export type RulePreset = "western-electric" | "nelson" | "none";

const ZONE_RULES: readonly ZoneRuleId[] = [...WESTERN_ELECTRIC_RULES, ...NELSON_RULES];
const ALL_RULES: readonly RuleId[] = [...ZONE_RULES, ...EWMA_RULES, ...CUSUM_RULES, ...BERNOULLI_CUSUM_RULES];

/**
 * Resolves the `rules` option of a chart into the list of rule ids to evaluate, in canonical order
 * (the order of the lists above).
 *
 * Shewhart charts (p, np, c, u, laney-p, laney-u) accept "western-electric" (default), "nelson", "none"
 * or an array of zone-rule ids (Western Electric and Nelson ids may be mixed). EWMA and CUSUM values are
 * autocorrelated, so zone rules do not apply to them: their default is their own signal ("ewma", or
 * "cusum-upper" and "cusum-lower", or "bernoulli-cusum"), "none" turns it off and an array may name only those ids.
 *
 * Complexity O(r) for r listed ids.
 *
 * @throws {StatsInputError} field "rules" for an unknown preset or a preset that does not apply, "rules.<i>"
 *   for an unknown id, a non-string entry or an id that does not apply to the chart type
 * @example
 * resolveRules(["nelson-2", "we-1"], "shewhart") // => ["we-1", "nelson-2"]
 */
export function resolveRules(
  rules: unknown,
  chartFamily: "shewhart" | "ewma" | "cusum" | "bernoulli-cusum",
): RuleId[] {
  const applicable: readonly RuleId[] =
    chartFamily === "shewhart"
      ? ZONE_RULES
      : chartFamily === "ewma"
        ? EWMA_RULES
        : chartFamily === "cusum"
          ? CUSUM_RULES
          : BERNOULLI_CUSUM_RULES;
  if (rules === undefined) return chartFamily === "shewhart" ? [...WESTERN_ELECTRIC_RULES] : [...applicable];
  if (rules === "none") return [];
  if (typeof rules === "string") {
    if (chartFamily === "shewhart" && rules === "western-electric") return [...WESTERN_ELECTRIC_RULES];
    if (chartFamily === "shewhart" && rules === "nelson") return [...NELSON_RULES];
    const presets = chartFamily === "shewhart" ? '"western-electric", "nelson", "none"' : '"none"';
    throw new StatsInputError(`rules must be ${presets} or an array of rule ids`, "rules");
  }
  if (!Array.isArray(rules))
    throw new StatsInputError("rules must be a preset name or an array of rule ids", "rules");
  const chosen = new Set<RuleId>();
  rules.forEach((rule, i) => {
    const field = `rules.${i}`;
    if (typeof rule !== "string" || !ALL_RULES.includes(rule as RuleId)) {
      throw new StatsInputError(`${field} is not a known rule id (known: ${ALL_RULES.join(", ")})`, field);
    }
    if (!applicable.includes(rule as RuleId)) {
      throw new StatsInputError(
        `${field} (${rule}) does not apply to this chart type (applicable: ${applicable.join(", ")})`,
        field,
      );
    }
    chosen.add(rule as RuleId);
  });
  return applicable.filter((rule) => chosen.has(rule));
}

/**
 * Western Electric (1956) and Nelson (1984, J. Qual. Technol. 16:237–239) run rules on standardised values
 * zᵢ = (valueᵢ − centreᵢ)/σᵢ, where σᵢ is the point's own standard error (so 1σ, 2σ, 3σ are literal and
 * stepped limits are handled naturally).
 *
 * - `we-1`, `nelson-1`: |z| > limitSigma (the chart's `sigma` option, default 3: beyond the control limits).
 * - `we-2`, `nelson-5`: 2 of the last 3 points beyond 2σ on one side, the flagged point among them.
 * - `we-3`, `nelson-6`: 4 of the last 5 points beyond 1σ on one side, the flagged point among them.
 * - `we-4`: 8 in a row on one side; `nelson-2`: 9 in a row on one side.
 * - `nelson-3`: 6 in a row steadily increasing or decreasing (5 strict rises or falls of z).
 * - `nelson-4`: 14 in a row alternating up and down (13 differences of alternating sign).
 * - `nelson-7`: 15 in a row within 1σ (|z| ≤ 1); `nelson-8`: 8 in a row with none within 1σ (|z| > 1, either side).
 *
 * Conventions: "beyond kσ" is strict (|z| > k); z = 0 is on neither side and breaks a side run; equal
 * consecutive values break trends and alternation. A point is flagged by every rule whose window ends at it.
 * The "k of w" windows are cut at the start of a segment, so 2 points beyond 2σ at the very start of a
 * phase qualify. No window spans two segments (phases): every counter restarts at each segment start.
 * z = NaN marks a point without a defined standardised value (σᵢ = 0 and value = centre): it is on no side,
 * neither within nor beyond any zone, and breaks every run, trend and alternation. z = ±Infinity (σᵢ = 0,
 * value ≠ centre) is beyond every zone on its side.
 *
 * Complexity O(n) time (sliding-window counters, no rescans), O(n) memory for the result.
 *
 * @param z standardised values, NaN where undefined
 * @param segmentStarts sorted indices where a new segment (phase) begins; 0 is implied
 * @param rules zone-rule ids to evaluate (see resolveRules)
 * @param limitSigma the multiplier of rule 1 (> 0)
 * @returns per point, the ids of the rules that flag it, in the order of `rules`
 * @example
 * zoneRuleSignals([0, 3.2, 0.5], [], ["we-1"], 3) // => [[], ["we-1"], []]
 */
export function zoneRuleSignals(
  z: ArrayLike<number>,
  segmentStarts: readonly number[],
  rules: readonly ZoneRuleId[],
  limitSigma: number,
): ZoneRuleId[][] {
  const n = z.length;
  const result: ZoneRuleId[][] = new Array(n);
  const zoneFlags = new Uint8Array(n);
  const ABOVE_2 = 1;
  const BELOW_2 = 2;
  const ABOVE_1 = 4;
  const BELOW_1 = 8;

  let segmentStart = 0;
  let nextSegment = 0;
  let above2 = 0;
  let below2 = 0;
  let above1 = 0;
  let below1 = 0;
  let aboveRun = 0;
  let belowRun = 0;
  let withinRun = 0;
  let outsideRun = 0;
  let risingRun = 0;
  let fallingRun = 0;
  let alternatingRun = 0;
  let previousStep = 0;

  for (let i = 0; i < n; i++) {
    if (i === 0 || (nextSegment < segmentStarts.length && segmentStarts[nextSegment] === i)) {
      while (nextSegment < segmentStarts.length && segmentStarts[nextSegment] <= i) nextSegment++;
      segmentStart = i;
      above2 = below2 = above1 = below1 = 0;
      aboveRun = belowRun = withinRun = outsideRun = 0;
      risingRun = fallingRun = alternatingRun = 0;
      previousStep = 0;
    }
    const zi = z[i];
    const defined = !Number.isNaN(zi);
    const flags =
      (zi > 2 ? ABOVE_2 : 0) | (zi < -2 ? BELOW_2 : 0) | (zi > 1 ? ABOVE_1 : 0) | (zi < -1 ? BELOW_1 : 0);
    zoneFlags[i] = flags;
    if (flags & ABOVE_2) above2++;
    if (flags & BELOW_2) below2++;
    if (flags & ABOVE_1) above1++;
    if (flags & BELOW_1) below1++;
    if (i - 3 >= segmentStart) {
      const leaving = zoneFlags[i - 3];
      if (leaving & ABOVE_2) above2--;
      if (leaving & BELOW_2) below2--;
    }
    if (i - 5 >= segmentStart) {
      const leaving = zoneFlags[i - 5];
      if (leaving & ABOVE_1) above1--;
      if (leaving & BELOW_1) below1--;
    }

    aboveRun = zi > 0 ? aboveRun + 1 : 0;
    belowRun = zi < 0 ? belowRun + 1 : 0;
    withinRun = defined && Math.abs(zi) <= 1 ? withinRun + 1 : 0;
    outsideRun = defined && Math.abs(zi) > 1 ? outsideRun + 1 : 0;

    // A step is +1 / −1 for a strict rise / fall from the previous point of the segment, 0 for a tie or an
    // undefined neighbour (NaN, or ∞ − ∞); a 0 step restarts trends and alternation at this point.
    const step = i > segmentStart ? Math.sign(zi - z[i - 1]) || 0 : 0;
    const pointsIfRestarted = defined ? 1 : 0;
    risingRun = step > 0 ? risingRun + 1 : pointsIfRestarted;
    fallingRun = step < 0 ? fallingRun + 1 : pointsIfRestarted;
    if (step === 0) alternatingRun = pointsIfRestarted;
    else alternatingRun = previousStep === -step ? alternatingRun + 1 : 2;
    previousStep = step;

    const signals: ZoneRuleId[] = [];
    for (const rule of rules) {
      let fires: boolean;
      switch (rule) {
        case "we-1":
        case "nelson-1":
          fires = Math.abs(zi) > limitSigma;
          break;
        case "we-2":
        case "nelson-5":
          fires = (zi > 2 && above2 >= 2) || (zi < -2 && below2 >= 2);
          break;
        case "we-3":
        case "nelson-6":
          fires = (zi > 1 && above1 >= 4) || (zi < -1 && below1 >= 4);
          break;
        case "we-4":
          fires = aboveRun >= 8 || belowRun >= 8;
          break;
        case "nelson-2":
          fires = aboveRun >= 9 || belowRun >= 9;
          break;
        case "nelson-3":
          fires = risingRun >= 6 || fallingRun >= 6;
          break;
        case "nelson-4":
          fires = alternatingRun >= 14;
          break;
        case "nelson-7":
          fires = withinRun >= 15;
          break;
        case "nelson-8":
          fires = outsideRun >= 8;
          break;
      }
      if (fires) signals.push(rule);
    }
    result[i] = signals;
  }
  return result;
}
