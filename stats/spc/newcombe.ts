import { wilsonInterval } from "../proportion-interval.ts";

/**
 * Newcombe's hybrid score interval for a difference of two independent proportions
 * (Newcombe RG (1998) "Interval estimation for the difference between independent proportions:
 * comparison of eleven methods", Stat Med 17:873–890, method 10), built from the two Wilson intervals
 * (l₁, u₁) for p̂₁ = x₁/n₁ and (l₂, u₂) for p̂₂ = x₂/n₂, for δ = p̂₁ − p̂₂:
 *   lower = δ − √((p̂₁ − l₁)² + (u₂ − p̂₂)²),   upper = δ + √((u₁ − p̂₁)² + (p̂₂ − l₂)²).
 * It stays inside [−1, 1] and is defined for zero counts.
 *
 * Complexity O(1).
 *
 * @param z two-sided critical value, zCritical(confidence)
 * @example
 * newcombeDifferenceInterval(56, 70, 48, 80, 1.959963984540054)
 * // => { difference: 0.2, lower: 0.05243…, upper: 0.33387… } (Newcombe 1998 Table II: 0.0524 to 0.3339)
 */
export function newcombeDifferenceInterval(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  z: number,
): { difference: number; lower: number; upper: number } {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const first = wilsonInterval(x1, n1, z);
  const second = wilsonInterval(x2, n2, z);
  const difference = p1 - p2;
  return {
    difference,
    lower: difference - Math.hypot(p1 - first.lower, second.upper - p2),
    upper: difference + Math.hypot(first.upper - p1, p2 - second.lower),
  };
}
