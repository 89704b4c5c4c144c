/**
 * Running compensated sum (Neumaier's improvement of Kahan summation), for loops that produce terms one
 * at a time and should not allocate an array of them.
 *
 * Neumaier, A. (1974) "Rundungsfehleranalyse einiger Verfahren zur Summation endlicher Summen",
 * ZAMM 54, 39-51. Error bound independent of the number of terms for well-conditioned sums.
 *
 * Complexity: O(1) per term.
 *
 * @example
 * const sum = new NeumaierSum(); sum.add(1e100); sum.add(1); sum.add(-1e100); sum.value() // => 1
 */
export class NeumaierSum {
  private sum = 0;
  private compensation = 0;

  add(term: number): void {
    const t = this.sum + term;
    this.compensation += Math.abs(this.sum) >= Math.abs(term) ? this.sum - t + term : term - t + this.sum;
    this.sum = t;
  }

  value(): number {
    return this.sum + this.compensation;
  }
}

/**
 * Compensated sum of an array (see NeumaierSum).
 *
 * Complexity: O(n) time, O(1) memory.
 *
 * @example
 * compensatedSum([1e100, 1, -1e100]) // => 1
 */
export function compensatedSum(values: ArrayLike<number>): number {
  const sum = new NeumaierSum();
  for (let i = 0; i < values.length; i++) sum.add(values[i]);
  return sum.value();
}
