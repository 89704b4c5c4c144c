/**
 * Two-sided tabular CUSUM on standardised values (Page 1954; Montgomery ISQC §9.1, Table 9.2):
 * C⁺ₜ = max(0, C⁺ₜ₋₁ + zₜ − k), C⁻ₜ = max(0, C⁻ₜ₋₁ − zₜ − k), C⁺₀ = C⁻₀ = 0, in units of σ, so the
 * reference value k and decision interval h are in σ (Montgomery's K = kσ, H = hσ). Sums are not reset
 * after a signal, as in Montgomery's table. A NaN z (no defined standardised value) leaves both sums
 * unchanged.
 *
 * Complexity O(m).
 *
 * @example
 * tabularCusum([-0.55, -2.01, -0.71, 1.66], 0.5)
 * // => { upper: [0, 0, 0, 1.16], lower: [0.05, 1.56, 1.77, 0] } (up to rounding)
 */
export function tabularCusum(z: readonly number[], k: number): { upper: number[]; lower: number[] } {
  const upper: number[] = new Array(z.length);
  const lower: number[] = new Array(z.length);
  let high = 0;
  let low = 0;
  for (let t = 0; t < z.length; t++) {
    if (!Number.isNaN(z[t])) {
      high = Math.max(0, high + z[t] - k);
      low = Math.max(0, low - z[t] - k);
    }
    upper[t] = high;
    lower[t] = low;
  }
  return { upper, lower };
}
