/**
 * Theorem (docs/theory.md#exact-rank-over-zpz): for an integer matrix A with rank_Q(A) ≤ u and every
 * nonzero minor of size ≤ u at most 2^log₂H in absolute value, exactRanks returns max_P rank_P(A)
 * over k = primesForFailureProbability(log₂H) primes drawn (seeded) from (2^22, 2^23); it is never
 * above rank_Q(A), it equals it unless every drawn prime divides a fixed nonzero minor, and it states
 * P(rank understated) ≤ q^k ≤ 1e-9 — or 0 when the rank reached u, where it is certain.
 * Checked against the rank over Q by BigInt elimination (no prime involved), on a matrix built so
 * that the first drawn prime understates the rank, and on the refusal of a bound no prime can give.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawPrimes, exactFailureProbability, exactRanks, log2MatrixMinorBound, primeSetBounds, primesForFailureProbability, rankModPrime } from '../../src/linalg/exactRank.js';
import { intoRing, type Matrix } from '../../src/numeric/matrix.js';
import { isPrime } from '../../src/numeric/ring.js';
import { TooLargeError } from '../../src/errors.js';
import { rankOverQ } from './reference/rationalRank.js';

/** B C with B (m × k) and C (k × n) of integers in [−2^20, 2^20]: rank ≤ k, products exact in float64. */
const lowRank = fc.record({ m: fc.integer({ min: 1, max: 9 }), n: fc.integer({ min: 1, max: 9 }), k: fc.integer({ min: 0, max: 6 }), seed: fc.nat(10_000) }).chain(({ m, n, k, seed }) =>
  fc.tuple(fc.array(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), { minLength: m * k, maxLength: m * k }), fc.array(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), { minLength: k * n, maxLength: k * n })).map(([b, c]) => {
    const data = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let t = 0; t < k; t++) data[i * n + j]! += b[i * k + t]! * c[t * n + j]!;
    return { matrix: { rows: m, cols: n, data } as Matrix, seed };
  }),
);

const single = (matrix: Matrix, seed: number, upperBound = Math.min(matrix.rows, matrix.cols)) =>
  exactRanks({ A: { log2H: log2MatrixMinorBound(matrix, upperBound), upperBound } }, seed, (field) => ({ A: rankModPrime(intoRing(matrix, field), field) })).A;

describe('exactRanks: the rank over Q, with its chance of being wrong stated', () => {
  it('equals the BigInt rank over Q; every prime is in (2^22, 2^23); P(wrong) ≤ 1e-9, or 0 exactly when the rank is the upper bound', () => {
    fc.assert(
      fc.property(lowRank, ({ matrix, seed }) => {
        const e = single(matrix, seed);
        expect(e.rank).toBe(rankOverQ(matrix));
        for (const P of e.primes) expect(isPrime(P) && P > primeSetBounds.above && P < primeSetBounds.below).toBe(true);
        expect(e.rank).toBe(Math.max(...e.ranksModPrimes));
        if (e.rank === e.upperBound) expect(e.wrongAtMost).toBe(0);
        else expect(e.wrongAtMost).toBeGreaterThan(0);
        expect(e.wrongAtMost).toBeLessThanOrEqual(exactFailureProbability);
      }),
      { numRuns: 150, seed: 909 },
    );
  });

  it('a prime that divides the maximal minor understates the rank, and the next drawn prime corrects it', () => {
    for (const seed of [0, 1, 2, 3]) {
      const [first] = drawPrimes(1, seed);
      // diag(1, 2, P₀): rank 3 over Q, 2 modulo P₀, the first prime exactRanks draws with this seed
      const matrix: Matrix = { rows: 3, cols: 3, data: Float64Array.from([1, 0, 0, 0, 2, 0, 0, 0, first!]) };
      const e = single(matrix, seed);
      expect(primesForFailureProbability(log2MatrixMinorBound(matrix))).toBeGreaterThan(1);
      expect(e.primes[0]).toBe(first);
      expect(e.ranksModPrimes[0]).toBe(2);
      expect(e.rank).toBe(3);
      expect(e.wrongAtMost).toBe(0);
    }
  });

  it('stops a matrix at its upper bound (one prime) and runs the others their full count', () => {
    const full: Matrix = { rows: 2, cols: 2, data: Float64Array.from([1, 2, 3, 4]) };
    const deficient: Matrix = { rows: 2, cols: 2, data: Float64Array.from([1, 2, 2, 4]) };
    const seen: string[][] = [];
    const got = exactRanks(
      { full: { log2H: log2MatrixMinorBound(full), upperBound: 2 }, deficient: { log2H: log2MatrixMinorBound(deficient), upperBound: 2 } },
      7,
      (field, todo) => {
        seen.push([...todo]);
        return Object.fromEntries(todo.map((q) => [q, rankModPrime(intoRing(q === 'full' ? full : deficient, field), field)]));
      },
    );
    const k = primesForFailureProbability(log2MatrixMinorBound(deficient));
    expect(got.full).toMatchObject({ rank: 2, wrongAtMost: 0 });
    expect(got.full.primes).toHaveLength(1);
    expect(got.deficient.rank).toBe(1);
    expect(got.deficient.primes).toHaveLength(k);
    expect(seen.slice(1).every((todo) => todo.length === 1 && todo[0] === 'deficient')).toBe(true);
  });

  it('the primes come from the seed alone', () => {
    const m: Matrix = { rows: 2, cols: 3, data: Float64Array.from([1, 2, 3, 2, 4, 6]) };
    expect(single(m, 11).primes).toEqual(single(m, 11).primes);
    expect(single(m, 11).primes).not.toEqual(single(m, 12).primes);
  });

  it('refuses a Hadamard bound for which primes below 2^23 give no bound', () => {
    expect(() => exactRanks({ A: { log2H: 22 * primeSetBounds.count, upperBound: 5 } }, 0, () => ({ A: 0 }))).toThrow(TooLargeError);
  });
});
