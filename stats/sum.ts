/**
 * Compensated summation (Neumaier's improvement of Kahan summation).
 *
 * Neumaier, A. (1974) "Rundungsfehleranalyse einiger Verfahren zur Summation endlicher Summen",
 * ZAMM 54, 39-51. Error bound independent of n for well-conditioned sums.
 *
 * Complexity: O(n) time, O(1) memory.
 *
 * @example
 * compensatedSum([1e100, 1, -1e100]) // => 1
 */
export function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}
