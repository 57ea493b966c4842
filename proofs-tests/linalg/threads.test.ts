/**
 * The two-thread shares (a GEMM's rows, a symmetric matrix–vector product's columns, split between
 * this thread and the helper) compute what one thread computes: the same exact ranks, the same
 * products and eigenvalues up to the rounding bound of the changed summation order.
 */
import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { awaitHelper, multiply, rankModPrime, symmetricEigenvalues, threadsActive, useThreads } from '../../src/linalg/index.js';
import { primeField } from '../../src/numeric/ring.js';
import { RandomStream } from '../../src/numeric/random.js';
import { gaussianMatrix, randomSymmetric, spectralNorm } from './matrices.js';

const twoCores = availableParallelism() >= 2 && process.env.HESSIAN_RANK_THREADS !== '1';

function both<T>(f: () => T): [T, T] {
  useThreads(false);
  try {
    const one = f();
    useThreads(true);
    expect(threadsActive()).toBe(true);
    return [one, f()];
  } finally {
    useThreads(true);
  }
}

describe.skipIf(!twoCores)('two threads = one thread', () => {
  it('the helper thread starts', () => {
    expect(awaitHelper(20)).toBe(true);
  });
  it('rank mod 65521 and mod the largest prime below 2^23 of 400 × 500 matrices: identical', () => {
    awaitHelper(20);
    const stream = new RandomStream(3);
    for (const P of [65521, 8388593]) {
      const X = stream.integerArray(400 * 350, 50);
      const Y = stream.integerArray(350 * 500, 50);
      const A = multiply({ rows: 400, cols: 350, data: X }, { rows: 350, cols: 500, data: Y });
      const residues = { rows: 400, cols: 500, data: A.data.map((v) => ((v % P) + P) % P) };
      const [one, two] = both(() => rankModPrime(residues, primeField(P)));
      expect(two).toBe(one);
      expect(one).toBe(350);
    }
  });
  it('eigenvalues of a 500 × 500 symmetric matrix and a 300 × 400 · 400 × 300 product: within 8 n ε of each other', () => {
    awaitHelper(20);
    const stream = new RandomStream(4);
    const S = randomSymmetric(500, stream);
    const [one, two] = both(() => symmetricEigenvalues(S));
    const bound = 8 * 500 * Number.EPSILON * spectralNorm(one);
    one.forEach((v, i) => expect(Math.abs(v - two[i]!)).toBeLessThanOrEqual(bound));
    const A = gaussianMatrix(300, 400, stream);
    const B = gaussianMatrix(400, 300, stream);
    const [p1, p2] = both(() => multiply(A, B));
    p1.data.forEach((v, i) => expect(Math.abs(v - p2.data[i]!)).toBeLessThanOrEqual(800 * Number.EPSILON * 400));
  });
});
