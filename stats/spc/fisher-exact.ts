/**
 * Fisher's exact test for a 2×2 table, two-sided: the total probability of all tables with the observed
 * margins that are no more probable than the observed one (Fisher 1935; the definition of R's
 * fisher.test and scipy.stats.fisher_exact). "No more probable" uses R's relative tolerance:
 * d ≤ d_obs·(1 + 1e-7), so tables tied with the observed one up to rounding are included.
 *
 * Table:           | success | failure |
 *        group a   |   xa    | na − xa |
 *        group b   |   xb    | nb − xb |
 * Under H0 (margins fixed) xa is hypergeometric: P(xa = x) ∝ C(K, x)·C(N − K, na − x), K = xa + xb,
 * N = na + nb, x from max(0, na − (N − K)) to min(na, K).
 *
 * Log probabilities are accumulated from the lowest x by the exact ratio
 * P(x+1)/P(x) = (K − x)(na − x)/((x + 1)(N − K − na + x + 1)), so no log-gamma of large arguments is
 * involved and N up to ~10⁷ works; the sum is done by log-sum-exp, so p-values far below 1e-300 are
 * exact down to the smallest double (and 0 only beyond it).
 *
 * Complexity O(min(na, K)) time and memory.
 *
 * @param xa successes in group a (integer in [0, na]); na ≥ 1; likewise xb, nb (not validated here)
 * @returns the two-sided p-value in [0, 1]
 * @example
 * fisherExactTwoSided(3, 4, 1, 4) // => 0.4857142857142857 (R: fisher.test(matrix(c(3,1,1,3),2)) 0.4857)
 */
export function fisherExactTwoSided(xa: number, na: number, xb: number, nb: number): number {
  const total = na + nb;
  const successes = xa + xb;
  const lowest = Math.max(0, na - (total - successes));
  const highest = Math.min(na, successes);
  const size = highest - lowest + 1;
  if (size === 1) return 1;
  const logProbability = new Float64Array(size);
  let maxLog = 0;
  // Neumaier-compensated running sum: the log values reach ~10⁶ in magnitude for N ~ 10⁶, where plain
  // accumulation would drift by ~1e-7, the size of the tie tolerance.
  let sum = 0;
  let compensation = 0;
  for (let j = 1; j < size; j++) {
    const x = lowest + j - 1;
    const step = Math.log(((successes - x) * (na - x)) / ((x + 1) * (total - successes - na + x + 1)));
    const next = sum + step;
    compensation += Math.abs(sum) >= Math.abs(step) ? sum - next + step : step - next + sum;
    sum = next;
    logProbability[j] = sum + compensation;
    if (logProbability[j] > maxLog) maxLog = logProbability[j];
  }
  const threshold = logProbability[xa - lowest] + Math.log1p(RELATIVE_TOLERANCE);
  let selectedMax = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < size; j++) {
    if (logProbability[j] <= threshold && logProbability[j] > selectedMax) selectedMax = logProbability[j];
  }
  let all = 0;
  let selected = 0;
  for (let j = 0; j < size; j++) {
    all += Math.exp(logProbability[j] - maxLog);
    if (logProbability[j] <= threshold) selected += Math.exp(logProbability[j] - selectedMax);
  }
  return Math.min(1, Math.exp(selectedMax - maxLog + Math.log(selected) - Math.log(all)));
}

/** R fisher.test's relErr − 1: tables within this relative distance of the observed probability tie with it. */
const RELATIVE_TOLERANCE = 1e-7;
