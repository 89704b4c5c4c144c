/**
 * What the design panel (chart-design.tsx) needs of a stored EWMA or CUSUM chart's answer (GET /v1/charts): its
 * parameters, each phase's centre, and each point's σ. Plain TypeScript without JSX, so the server's tests can
 * check it against stats/spc/chart.ts.
 */
export interface DesignableChart {
  ewma?: { lambda: number; L: number; base: string };
  cusum?: { k: number; h: number; base: string };
  phases?: { phase: number; center: number }[];
  points: { phase: number; sigma: number; baseSigma?: number }[];
}

/**
 * The in-control rate p₀ (the last phase's centre) and the typical subgroup size n (the median over that phase)
 * of a p-based EWMA or CUSUM chart. n comes from each point's σᵢ = √(p₀(1 − p₀)/nᵢ): CUSUM points carry it
 * (`baseSigma`); an EWMA point's σ is its statistic's, √Vₜ, with Vₜ = (1 − λ)²Vₜ₋₁ + λ²σₜ² from the phase's start
 * (stats/spc/ewma.ts), so σₜ² = (Vₜ − (1 − λ)²Vₜ₋₁)/λ².
 */
export function chartBasis(data: DesignableChart): { p0: number; n: number } | undefined {
  const phase = data.phases?.at(-1);
  if (!phase) return undefined;
  const p0 = phase.center;
  if (!(p0 > 0 && p0 < 1)) return undefined;
  const sizes: number[] = [];
  const points = data.points.filter((p) => p.phase === phase.phase);
  if (data.cusum) {
    for (const p of points)
      if (p.baseSigma && p.baseSigma > 0) sizes.push((p0 * (1 - p0)) / p.baseSigma ** 2);
  } else if (data.ewma) {
    const keep = (1 - data.ewma.lambda) ** 2;
    let previous = 0;
    for (const p of points) {
      const variance = p.sigma ** 2;
      const base = (variance - keep * previous) / data.ewma.lambda ** 2;
      if (base > 0) sizes.push((p0 * (1 - p0)) / base);
      previous = variance;
    }
  }
  if (sizes.length === 0) return undefined;
  sizes.sort((a, b) => a - b);
  const n = Math.round(sizes[Math.floor(sizes.length / 2)]);
  return n >= 1 && n <= 1_000_000 ? { p0, n } : undefined;
}
