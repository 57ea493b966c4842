/**
 * Rank modulo a prime (src/linalg, recursive blocked elimination with delayed reduction) equals the
 * plain one-entry-at-a-time elimination (the former TypeScript routine) on random low-rank integer
 * matrices of every shape across the recursion's block sizes, for P = 65521, the largest prime
 * below 2^23 and the largest below 2^26; the pivot columns are the column rank profile; the
 * constants of the failure-probability argument (|S|, the prime counts) are recomputed here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawPrimes, exactFields, primeSetBounds, primesForFailureProbability, rankModPrime, rankProfileModPrime } from '../../src/linalg/exactRank.js';
import type { Matrix } from '../../src/numeric/matrix.js';
import { RandomStream } from '../../src/numeric/random.js';
import { isPrime, largestPrimesBelow, primeField } from '../../src/numeric/ring.js';
import { rankModPrime as referenceRank } from './reference/gaussianElimination.js';

const primes = [65521, largestPrimesBelow(2 ** 23, 1)[0]!, largestPrimesBelow(2 ** 26, 1)[0]!];

/** X Y mod P with X m × r, Y r × n integer entries in [−b, b] (rank ≤ r), as residues in [0, P). */
function lowRank(m: number, n: number, r: number, b: number, P: number, seed: number): Matrix {
  const stream = new RandomStream(seed);
  const X = stream.integerArray(m * r, b);
  const Y = stream.integerArray(r * n, b);
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += X[i * r + k]! * Y[k * n + j]!;
      data[i * n + j] = ((s % P) + P) % P;
    }
  }
  return { rows: m, cols: n, data };
}

describe('rank modulo P', () => {
  it('equals the entry-by-entry elimination on random low-rank integer matrices (m, n ≤ 140)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 140 }),
        fc.integer({ min: 1, max: 140 }),
        fc.integer({ min: 0, max: 140 }),
        fc.constantFrom(1, 3, 1000),
        fc.constantFrom(...primes),
        fc.integer(),
        (m, n, r, b, P, seed) => {
          const A = lowRank(m, n, Math.min(r, m, n), b, P, seed);
          const before = A.data.slice();
          expect(rankModPrime(A, primeField(P))).toBe(referenceRank(A, primeField(P)));
          expect(A.data).toEqual(before);
        },
      ),
      { numRuns: 120 },
    );
  });
  it('the pivot columns are the column rank profile: j is a pivot iff rank(A[:, 0..j]) > rank(A[:, 0..j−1])', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 8 }), fc.integer(), (m, n, r, seed) => {
        const P = 65521;
        const A = lowRank(m, n, Math.min(r, m, n), 2, P, seed);
        // zero out a few columns so that the profile has gaps
        for (let j = 0; j < n; j += 3) for (let i = 0; i < m; i++) A.data[i * n + j] = 0;
        const prefix = (c: number): Matrix => ({ rows: m, cols: c, data: Float64Array.from({ length: m * c }, (_, t) => A.data[Math.floor(t / c) * n + (t % c)]!) });
        const expected: number[] = [];
        let previous = 0;
        for (let c = 1; c <= n; c++) {
          const rank = referenceRank(prefix(c), primeField(P));
          if (rank > previous) expected.push(c - 1);
          previous = rank;
        }
        expect(rankProfileModPrime(A, P)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
  it('takes any integers below 2^52 in absolute value: the same rank as their residues in [0, P)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.constantFrom(...primes), fc.integer(), (m, n, r, P, seed) => {
        const A = lowRank(m, n, Math.min(r, m, n), 2, P, seed);
        // the same matrix modulo P, shifted by random multiples of P up to ±2^51 (negative entries included)
        const stream = new RandomStream(seed + 1);
        const shifted = { rows: m, cols: n, data: A.data.map((x) => x + P * stream.integer(-Math.floor(2 ** 51 / P), Math.floor(2 ** 51 / P) - 1)) };
        expect(rankModPrime(shifted, primeField(P))).toBe(referenceRank(A, primeField(P)));
      }),
      { numRuns: 60 },
    );
  });
  it('full rank at n = 300 (several recursion levels) and the zero matrix', () => {
    const P = exactFields[0]!.prime;
    const A = lowRank(300, 300, 300, 1000, P, 4);
    expect(rankModPrime(A, exactFields[0]!)).toBe(referenceRank(A, exactFields[0]!));
    expect(rankModPrime({ rows: 5, cols: 9, data: new Float64Array(45) }, exactFields[0]!)).toBe(0);
  });
});

describe('the failure-probability argument', () => {
  it('|S| = 268,216 primes in (2^22, 2^23) (sieve)', () => {
    const sieve = new Uint8Array(primeSetBounds.below + 1).fill(1);
    for (let i = 2; i * i <= primeSetBounds.below; i++) if (sieve[i]) for (let j = i * i; j <= primeSetBounds.below; j += i) sieve[j] = 0;
    let count = 0;
    for (let p = primeSetBounds.above + 1; p < primeSetBounds.below; p++) count += sieve[p]!;
    expect(count).toBe(primeSetBounds.count);
  });
  it('primes needed for P(wrong) ≤ 1e-9: 4, 6, 12 for log₂H = 10^4, 10^5, 10^6, and q^k ≤ 1e-9 < q^(k−1)', () => {
    expect([1e4, 1e5, 1e6].map((L) => primesForFailureProbability(L))).toEqual([4, 6, 12]);
    for (const L of [1e3, 1e4, 1e5, 1e6, 3e6]) {
      const k = primesForFailureProbability(L);
      const q = L / (22 * primeSetBounds.count);
      expect(q ** k).toBeLessThanOrEqual(1e-9);
      if (k > 1) expect(q ** (k - 1)).toBeGreaterThan(1e-9);
    }
  });
  it('drawPrimes: distinct primes of S, the same for the same seed', () => {
    const a = drawPrimes(6, 42);
    expect(new Set(a).size).toBe(6);
    for (const p of a) expect(isPrime(p) && p > 2 ** 22 && p < 2 ** 23).toBe(true);
    expect(drawPrimes(6, 42)).toEqual(a);
  });
});
