/**
 * Seeded random streams. Every random choice in the engine draws from one of these, so a seed
 * reproduces a measurement exactly. Generator: xoroshiro128+ from pure-rand (fast-check's own).
 *
 * Seeding: the seed is an integer in [−2^53, 2^53]; it is expanded by SplitMix64 (Steele, Lea &
 * Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014; the seeding Vigna
 * recommends for the xoroshiro family) into the 128-bit state
 *   s_0 = mix(seed + γ), s_1 = mix(seed + 2γ),  γ = 0x9E3779B97F4A7C15,
 *   mix(z) = z' ⊕ (z' ≫ 31), z' = ((z ⊕ (z ≫ 30))·0xBF58476D1CE4E5B9 ⊕ …)·0x94D049BB133111EB.
 * Seeding xoroshiro128+ with the small integer itself (as pure-rand's `xoroshiro128plus(seed)`
 * does) leaves the state almost all zero bits, and its first outputs for seeds 0, 1, 2, … are then
 * far from uniform (seed 0's first Gaussian weights were 1.8e−13 and −3.8e−6).
 */
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { InputError } from '../errors.js';

const mask64 = (1n << 64n) - 1n;
const golden = 0x9e3779b97f4a7c15n;

function splitMix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask64;
  return z ^ (z >> 31n);
}

/** The xoroshiro128+ state [s01, s00, s11, s10] (pure-rand's order: high, low word of s_0, then s_1). */
export function expandSeed(seed: number): number[] {
  if (!Number.isSafeInteger(seed)) throw new InputError(`seed must be an integer in [-2^53, 2^53], got ${seed}`);
  const base = BigInt.asUintN(64, BigInt(seed));
  const s0 = splitMix64((base + golden) & mask64);
  const s1 = splitMix64((base + 2n * golden) & mask64);
  const words = (s: bigint) => [Number(BigInt.asIntN(32, s >> 32n)), Number(BigInt.asIntN(32, s))];
  return [...words(s0), ...words(s1)];
}

export class RandomStream {
  private readonly rng: RandomGenerator;
  private spare: number | undefined;

  constructor(seed: number) {
    this.rng = xoroshiro128plusFromState(expandSeed(seed));
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
