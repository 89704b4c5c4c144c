/**
 * Laney's between-subgroup scale factor σ_z for p′ and u′ charts (Laney DB (2002) "Improved control
 * charts for attributes", Quality Engineering 14(4):531–537):
 * σ_z = mean |zᵢ − zᵢ₋₁| / 1.128 over consecutive baseline points, where zᵢ = (valueᵢ − centre)/σᵢ are the
 * classic p (or u) chart z-scores and 1.128 is d₂ for moving ranges of two. Limits become
 * centre ± L·σ_z·σᵢ. Like qicharts2's default (no screening of large moving ranges); "consecutive" means
 * consecutive in the baseline after excluded points are dropped, as qicharts2 does.
 *
 * Complexity O(m).
 *
 * @param z classic z-scores of the baseline points in series order (at least 2)
 * @returns the mean moving range of z and σ_z
 * @example
 * laneySigmaZ([1, -1, 2]) // => { meanMovingRange: 2.5, sigmaZ: 2.2163120567375887 }
 */
export function laneySigmaZ(z: readonly number[]): { meanMovingRange: number; sigmaZ: number } {
  let total = 0;
  for (let i = 1; i < z.length; i++) total += Math.abs(z[i] - z[i - 1]);
  const meanMovingRange = total / (z.length - 1);
  return { meanMovingRange, sigmaZ: meanMovingRange / LANEY_D2 };
}

/** d₂ for subgroups of two, as printed by Laney (2002) and used by qicharts2 and Minitab. */
export const LANEY_D2 = 1.128;
