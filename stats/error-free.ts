/**
 * Error-free transformations: a + b = s + e and a·b = p + e exactly, with s = fl(a + b), p = fl(a·b).
 * Knuth's TwoSum (Knuth DE, The Art of Computer Programming vol. 2, §4.2.2) and Dekker's TwoProduct by
 * splitting (Dekker TJ (1971) "A floating-point technique for extending the available precision", Numer
 * Math 18:224–242; JavaScript has no fused multiply-add).
 *
 * Why: the incomplete beta at a + b = 10¹² depends on the count a − (a + b)x to its last digits, and
 * fl(a + b) and fl((a + b)x) each lose up to ~1e-4 of it; with the error terms the count is exact. O(1).
 */

/**
 * a + b = s + e exactly.
 * @example
 * twoSum(0.1, 0.2) // => [0.30000000000000004, -2.7755575615628914e-17]
 */
export function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bVirtual = s - a;
  const aVirtual = s - bVirtual;
  return [s, a - aVirtual + (b - bVirtual)];
}

/**
 * a·b = p + e exactly, for |a|, |b| < 2^996 (the split multiplies by 2^27 + 1).
 * @example
 * twoProduct(0.1, 3) // => [0.30000000000000004, -2.7755575615628914e-17]
 */
export function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  const [aHigh, aLow] = split(a);
  const [bHigh, bLow] = split(b);
  return [p, aHigh * bHigh - p + aHigh * bLow + aLow * bHigh + aLow * bLow];
}

const SPLITTER = 134_217_729; // 2^27 + 1

function split(a: number): [number, number] {
  const c = SPLITTER * a;
  const high = c - (c - a);
  return [high, a - high];
}
