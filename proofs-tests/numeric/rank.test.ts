/**
 * Rank machinery: our symmetric eigenvalues agree with ml-matrix's (an independent implementation);
 * numerical rank recovers the rank of random low-rank products; exact rank mod P equals the rank of
 * integer matrices built with a known rank, and detects a planted dependency.
 */
import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { exactFields, rankModPrime } from '../../src/linalg/index.js';
import { intoRing, multiply, multiplyTransposed, type Matrix } from '../../src/numeric/matrix.js';
import { numericalRank } from '../../src/numeric/numericalRank.js';
import { RandomStream } from '../../src/numeric/random.js';
import { exactPrimes, isPrime } from '../../src/numeric/ring.js';
import { symmetricEigenvalues } from '../../src/linalg/index.js';

function gaussian(rows: number, cols: number, stream: RandomStream): Matrix {
  return { rows, cols, data: stream.gaussianArray(rows * cols) };
}

describe('symmetric eigenvalues', () => {
  it('agree with ml-matrix EigenvalueDecomposition on random symmetric matrices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer(), (n, seed) => {
        const stream = new RandomStream(seed);
        const B = gaussian(n, n, stream);
        const S = { rows: n, cols: n, data: B.data.map((_, k) => B.data[k]! + B.data[(k % n) * n + Math.floor(k / n)]!) };
        const ours = Array.from(symmetricEigenvalues(S)).sort((a, b) => a - b);
        const rows = Array.from({ length: n }, (_, i) => Array.from(S.data.subarray(i * n, (i + 1) * n)));
        const theirs = new EigenvalueDecomposition(new MlMatrix(rows), { assumeSymmetric: true }).realEigenvalues.sort((a, b) => a - b);
        const scale = Math.max(1, ...theirs.map(Math.abs));
        ours.forEach((v, i) => expect(Math.abs(v - theirs[i]!)).toBeLessThan(1e-10 * scale));
      }),
      { numRuns: 60 },
    );
  });
});

describe('numerical rank at τ = σ_max · n · ε', () => {
  it('rank(A Aᵀ) = k for A = n × k Gaussian, with a gap of many decades', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.integer(), (n, k0, seed) => {
        const k = Math.min(k0, n);
        const A = gaussian(n, k, new RandomStream(seed));
        const result = numericalRank(symmetricEigenvalues(multiplyTransposed(A, A)), n);
        expect(result.rank).toBe(k);
        if (k > 0 && k < n) expect(result.gap!.decades).toBeGreaterThan(8);
      }),
      { numRuns: 80 },
    );
  });
});

describe('exact rank over Z/PZ', () => {
  it('uses two primes below 2^23 (the delayed reduction accumulates at least 511 products of centered residues below 2^53)', () => {
    expect(exactPrimes).toHaveLength(2);
    for (const p of exactPrimes) expect(isPrime(p) && p < 2 ** 23).toBe(true);
  });

  it('rank(A B) = k for integer A (m × k), B (k × n) with large random entries', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 25 }), fc.integer({ min: 0, max: 25 }), fc.integer(), (m, n, k, seed) => {
        const stream = new RandomStream(seed);
        const A = { rows: m, cols: k, data: stream.integerArray(m * k, 2 ** 20) };
        const B = { rows: k, cols: n, data: stream.integerArray(k * n, 2 ** 20) };
        for (const field of exactFields) {
          const product = multiply(intoRing(A, field), intoRing(B, field), field);
          expect(rankModPrime(product, field)).toBe(Math.min(m, n, k));
        }
      }),
      { numRuns: 80 },
    );
  });

  it('sees a planted dependency: a row equal to the sum of two others', () => {
    const rows = [
      [3, 1, 4, 1],
      [5, 9, 2, 6],
      [8, 10, 6, 7],
    ];
    const M = { rows: 3, cols: 4, data: Float64Array.from(rows.flat()) };
    for (const field of exactFields) expect(rankModPrime(intoRing(M, field), field)).toBe(2);
  });
});
