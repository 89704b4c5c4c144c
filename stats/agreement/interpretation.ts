/** Landis & Koch (1977) strength-of-agreement bands. */
export type LandisKochBand = "poor" | "slight" | "fair" | "moderate" | "substantial" | "almost perfect";

/**
 * Landis & Koch band of an agreement coefficient: poor < 0, slight ≤ 0.2, fair ≤ 0.4, moderate ≤ 0.6,
 * substantial ≤ 0.8, almost perfect above (upper bounds inclusive). Null in, null out.
 *
 * Landis, J.R. & Koch, G.G. (1977) "The measurement of observer agreement for categorical data", Biometrics
 * 33, 159–174 (their table is for kappa; it is shown beside AC1 and alpha as a reading aid only).
 * Complexity: O(1).
 *
 * @example
 * landisKoch(0.4302) // => "moderate"
 */
export function landisKoch(value: number | null): LandisKochBand | null {
  if (value === null) return null;
  if (value < 0) return "poor";
  if (value <= 0.2) return "slight";
  if (value <= 0.4) return "fair";
  if (value <= 0.6) return "moderate";
  if (value <= 0.8) return "substantial";
  return "almost perfect";
}
