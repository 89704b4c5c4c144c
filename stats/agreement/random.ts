import { StatsInputError } from "../errors.ts";

/**
 * Seeded pseudo-random generator xoshiro128** (Blackman & Vigna 2018, "Scrambled linear pseudorandom number
 * generators"), state seeded from a 32-bit seed with splitmix32. Period 2^128 − 1; the same seed gives the
 * same stream on every platform (32-bit integer arithmetic only), which makes bootstrap results reproducible.
 *
 * @throws {StatsInputError} when the seed is not an integer in [0, 2^32) (field `seed`)
 * @example
 * new Xoshiro128StarStar(42).nextBelow(10) // => 4 (then 7, 2, … on every platform)
 */
export class Xoshiro128StarStar {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
      throw new StatsInputError("seed must be an integer in [0, 4294967295]", "seed");
    }
    let state = seed | 0;
    const splitmix32 = () => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = splitmix32();
    this.s1 = splitmix32();
    this.s2 = splitmix32();
    this.s3 = splitmix32();
    // The all-zero state is the one fixed point of xoshiro; splitmix32 cannot produce it from four draws, but
    // guard anyway.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next uniform integer in [0, 2^32). */
  nextUint32(): number {
    const result = Math.imul(rotateLeft(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotateLeft(this.s3, 11);
    return result;
  }

  /** Uniform integer in [0, bound) without modulo bias (rejection of the top partial block); bound ≤ 2^32. */
  nextBelow(bound: number): number {
    const limit = 0x100000000 - (0x100000000 % bound);
    for (;;) {
      const draw = this.nextUint32();
      if (draw < limit) return draw % bound;
    }
  }
}

function rotateLeft(x: number, bits: number): number {
  return (x << bits) | (x >>> (32 - bits));
}
