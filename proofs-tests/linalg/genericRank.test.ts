/**
 * Theorem (src/linalg/genericRank.ts): for a matrix M(w) of polynomials in w with integer coefficients, a draw of a
 * prime P from (2^22, 2^23) and a point w̄ uniform in (Z/PZ)^n gives rank_P M(w̄) ≤ the generic rank r over Q, and
 * falls below r with probability ≤ q = log₂C / (22 |S|) + d u / 2^22 (C bounds a coefficient of a nonzero r × r minor,
 * d the degree, u a proven bound on r). genericRank and genericPolynomialRank draw until a rank reaches u (then it is
 * certain) or until q^k ≤ 1e-9, and return the largest rank drawn.
 *
 * Checked on matrices whose generic rank is known by construction (M = [X | X S], M = A(w) B(w) with inner dimension
 * r), with the number of draws the bound asks for; on a matrix every entry of which is a multiple of the first prime
 * drawn (that draw gives rank 0: the others must find the rank).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawFailure, genericPolynomialRank, genericRank } from '../../src/linalg/genericRank.js';
import { drawPrimes, exactFailureProbability, primeSeed, primeSetBounds } from '../../src/linalg/exactRank.js';
import { zeros, type Matrix } from '../../src/numeric/matrix.js';
import { isPrime } from '../../src/numeric/ring.js';

/** M = [X | X S]: X (m × k) a generic matrix (one parameter per entry), S (k × j) 0/1: every entry a sum of at most k parameters. */
function repeatedColumns(m: number, k: number, S: number[][]): (w: number[]) => Matrix {
  const j = S[0]?.length ?? 0;
  return (w) => {
    const M = zeros(m, k + j);
    for (let i = 0; i < m; i++) {
      for (let a = 0; a < k; a++) M.data[i * (k + j) + a] = w[i * k + a]!;
      for (let b = 0; b < j; b++) for (let a = 0; a < k; a++) if (S[a]![b]) M.data[i * (k + j) + k + b]! += w[i * k + a]!;
    }
    return M;
  };
}

const shapes = fc.record({ m: fc.integer({ min: 1, max: 12 }), k: fc.integer({ min: 1, max: 8 }), j: fc.integer({ min: 1, max: 6 }), seed: fc.nat(100_000) }).chain(({ m, k, j, seed }) =>
  fc.array(fc.array(fc.boolean(), { minLength: j, maxLength: j }), { minLength: k, maxLength: k }).map((S) => ({ m, k, seed, S: S.map((row, a) => row.map((x, b) => (x && (a + b) % 2 === 0 ? 1 : 0))) })),
);

describe('genericRank: the generic rank of a matrix whose entries are sums of parameters', () => {
  it('[X | X S] has generic rank min(m, k): found, never above it, with the draws q^k ≤ 1e-9 asks for when below the bound', () => {
    fc.assert(
      fc.property(shapes, ({ m, k, seed, S }) => {
        const cols = k + S[0]!.length;
        const got = genericRank(m * k, k, repeatedColumns(m, k, S), seed);
        const r = Math.min(m, k);
        expect(got.rank, `m = ${m}, k = ${k}, S = ${JSON.stringify(S)}`).toBe(r);
        for (const { prime } of got.draws) expect(isPrime(prime) && prime > primeSetBounds.above && prime < primeSetBounds.below).toBe(true);
        expect(new Set(got.draws.map((d) => d.prime)).size).toBe(got.draws.length);
        if (got.rank === got.upperBound) {
          expect(got.wrongAtMost).toBe(0);
          expect(got.draws).toHaveLength(1);
        } else {
          // the rank is below u = min(m, cols): every draw is made, as many as the bound needs
          const u = Math.min(m, cols);
          const q = drawFailure(u * Math.log2(k * Math.min(m, cols)), 1, u);
          expect(got.draws).toHaveLength(Math.ceil(Math.log(exactFailureProbability) / Math.log(q)));
          expect(got.wrongAtMost).toBeGreaterThan(0);
          expect(got.wrongAtMost).toBeLessThanOrEqual(exactFailureProbability);
        }
      }),
      { numRuns: 80, seed: 5 },
    );
  });

  it('a proven bound the first draw reaches ends the draws: the rank is certain', () => {
    const got = genericRank(6 * 3, 2, repeatedColumns(6, 3, [[1], [0], [1]]), 17, 3);
    expect(got).toMatchObject({ rank: 3, upperBound: 3, wrongAtMost: 0 });
    expect(got.draws).toHaveLength(1);
  });
});

/** A(w) B(w): A (m × r) and B (r × n) generic (one parameter per entry); degree 2, nonnegative coefficients; every entry times `factor`. */
function product(m: number, r: number, n: number, factor = 1) {
  const evaluate = (w: number[], p: number): Matrix => {
    const M = zeros(m, n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let t = 0; t < r; t++) s = (s + ((w[i * r + t]! % p) * (w[m * r + t * n + j]! % p)) % p) % p;
        M.data[i * n + j] = (s * (factor % p)) % p;
      }
    return M;
  };
  return { parameters: m * r + r * n, modular: (field: { prime: number }, w: number[]) => evaluate(w, field.prime), magnitude: (w: number[]) => evaluate(w, Infinity) };
}

describe('genericPolynomialRank: the generic rank of a matrix of polynomials with nonnegative coefficients', () => {
  it('A(w) B(w) with inner dimension r has generic rank min(m, r, n)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }), fc.nat(100_000), (m, r, n, seed) => {
        const M = product(m, r, n);
        const got = genericPolynomialRank(M.parameters, 2, M, seed);
        expect(got.rank, `${m} × ${r} times ${r} × ${n}`).toBe(Math.min(m, r, n));
        expect(got.wrongAtMost).toBeLessThanOrEqual(exactFailureProbability);
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('every entry a multiple of the first prime drawn: that draw gives rank 0, and the next draws find the rank', () => {
    const seed = 41;
    const [first] = drawPrimes(1, primeSeed(seed));
    const M = product(5, 3, 4, first!);
    // rank ≤ 3, the inner dimension: a proven bound
    const got = genericPolynomialRank(M.parameters, 2, M, seed, 3);
    expect(got.draws[0]).toEqual({ prime: first, rank: 0 });
    // the second prime does not divide the coefficients: its draw reaches u = 3, and the rank is certain
    expect(got).toMatchObject({ rank: 3, upperBound: 3, wrongAtMost: 0 });
    expect(got.draws).toHaveLength(2);
  });

  it('with lowerBoundOnly, the first draw alone: the first draw of the full computation, never above the generic rank', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.nat(100_000), (m, r, n, seed) => {
        const M = product(m, r, n);
        const got = genericPolynomialRank(M.parameters, 2, M, seed, undefined, true);
        const full = genericPolynomialRank(M.parameters, 2, M, seed);
        expect(got.draws).toEqual([full.draws[0]]);
        expect(got.rank).toBeLessThanOrEqual(Math.min(m, r, n));
      }),
      { numRuns: 40, seed: 9 },
    );
  });
});
