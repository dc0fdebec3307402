import { ValueError, describe } from './errors.js';

/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman and Vigna, 2018, public domain reference
 * at prng.di.unimi.it), seeded through splitmix32 so that nearby seeds give unrelated streams.
 * Its whole state is four 32-bit words, so checkpoints can save and restore it exactly.
 */
export class Random {
  private s = new Uint32Array(4);
  /** A cached second normal deviate from Box–Muller, or NaN when there is none. */
  private spareNormal = Number.NaN;

  constructor(seed = 1) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32 (Sebastiano Vigna) to expand the seed.
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  /** Next 32 random bits. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal deviate (Box–Muller). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const spare = this.spareNormal;
      this.spareNormal = Number.NaN;
      return spare;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[] | Uint32Array | Int32Array): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp as never;
    }
  }

  /**
   * The complete state, for checkpoints: the four xoshiro words, then the cached normal deviate
   * (NaN when there is none). `setState` of it continues the stream exactly.
   */
  getState(): number[] {
    return [...this.s, this.spareNormal];
  }

  setState(state: readonly number[]): void {
    const problem = randomStateProblem(state);
    if (problem !== null) throw new ValueError(`Random.setState: ${problem}`);
    for (let i = 0; i < 4; i++) this.s[i] = state[i]!;
    this.spareNormal = state[4]!;
  }
}

/**
 * Why `state` is not a Random state (null when it is one): five numbers, the first four unsigned
 * 32-bit integers not all zero (xoshiro's one forbidden state), the fifth finite or NaN.
 */
export function randomStateProblem(state: unknown): string | null {
  if (!Array.isArray(state) || state.length !== 5 || state.some((v) => typeof v !== 'number')) {
    return `expected 5 numbers (4 state words and a cached normal deviate), got ${describe(state)}`;
  }
  const words = state.slice(0, 4) as number[];
  if (words.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) return `the first 4 numbers must be integers in [0, 2^32), got ${describe(words)}`;
  if (words.every((w) => w === 0)) return 'the 4 state words must not all be 0';
  if (state[4] === Infinity || state[4] === -Infinity) return `the cached normal deviate must be finite or NaN, got ${state[4]}`;
  return null;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
