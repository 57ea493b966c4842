/**
 * Seeded random streams. Every random choice in the engine draws from one of these, so a seed
 * reproduces a measurement exactly. Generator: xoroshiro128+ from pure-rand (fast-check's own).
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export class RandomStream {
  private readonly rng: RandomGenerator;
  private spare: number | undefined;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed | 0);
  }

  /** Uniform on [0, 1). */
  uniform(): number {
    return uniformFloat64(this.rng);
  }

  /** Uniform integer in [from, to]. */
  integer(from: number, to: number): number {
    return uniformInt(this.rng, from, to);
  }

  /** Standard normal (Box–Muller). */
  gaussian(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  gaussianArray(length: number, scale = 1): Float64Array {
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) out[i] = scale * this.gaussian();
    return out;
  }

  integerArray(length: number, bound: number): Float64Array {
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) out[i] = this.integer(-bound, bound);
    return out;
  }
}
