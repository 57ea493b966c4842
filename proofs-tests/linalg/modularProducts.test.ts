/**
 * Products over Z/PZ through the float64 GEMM with delayed reduction equal products reduced entry by
 * entry (BigInt), for P = 65521 and the largest primes below 2^23 and 2^26, inner dimensions across
 * the reduction interval (kmax = 512 for P ≈ 2^23, 8 for P ≈ 2^26); A Bᵀ likewise; and an integer array reduced in
 * one pass (residues) equals its entries reduced one by one (primeField's fromInteger and BigInt).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addGramOfColumnsInto, multiplyTransposedModulo } from '../../src/linalg/gemm.js';
import { multiply } from '../../src/numeric/matrix.js';
import { RandomStream } from '../../src/numeric/random.js';
import { largestPrimesBelow, primeField, residues as reduceAll } from '../../src/numeric/ring.js';

const primes = [65521, largestPrimesBelow(2 ** 23, 1)[0]!, largestPrimesBelow(2 ** 26, 1)[0]!];

function residues(rows: number, cols: number, P: number, stream: RandomStream) {
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, () => stream.integer(0, P - 1)) };
}

describe('A B and out + Fᵀ F over Z/PZ', () => {
  it('equal the BigInt products reduced mod P', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 700 }), fc.integer({ min: 1, max: 30 }), fc.constantFrom(...primes), fc.integer(), (m, K, n, P, seed) => {
        const stream = new RandomStream(seed);
        const A = residues(m, K, P, stream);
        const B = residues(K, n, P, stream);
        const C = multiply(A, B, primeField(P));
        const p = BigInt(P);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0n;
            for (let k = 0; k < K; k++) s += BigInt(A.data[i * K + k]!) * BigInt(B.data[k * n + j]!);
            expect(C.data[i * n + j], `entry (${i}, ${j})`).toBe(Number(s % p));
          }
        }
        const out = residues(n, n, P, stream);
        const expected = out.data.map((v, t) => {
          const i = Math.floor(t / n);
          const j = t % n;
          let s = BigInt(v);
          for (let k = 0; k < K; k++) s += BigInt(B.data[k * n + i]!) * BigInt(B.data[k * n + j]!);
          return Number(s % p);
        });
        addGramOfColumnsInto(out, B, P);
        expect(Array.from(out.data)).toEqual(Array.from(expected));
      }),
      { numRuns: 40 },
    );
  });
});

describe('A Bᵀ over Z/PZ', () => {
  it('equals the BigInt product reduced mod P', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 700 }), fc.integer({ min: 1, max: 30 }), fc.constantFrom(...primes), fc.integer(), (m, K, n, P, seed) => {
        const stream = new RandomStream(seed);
        const A = residues(m, K, P, stream);
        const B = residues(n, K, P, stream);
        const C = multiplyTransposedModulo(A, B, P);
        expect([C.rows, C.cols]).toEqual([m, n]);
        const p = BigInt(P);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0n;
            for (let k = 0; k < K; k++) s += BigInt(A.data[i * K + k]!) * BigInt(B.data[j * K + k]!);
            expect(C.data[i * n + j], `entry (${i}, ${j})`).toBe(Number(s % p));
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('an integer array reduced mod P in one pass', () => {
  it('equals each entry reduced (fromInteger, and BigInt), for integers up to 2^53', () => {
    fc.assert(
      fc.property(fc.array(fc.maxSafeNat(), { minLength: 1, maxLength: 200 }), fc.constantFrom(...primes, 2, 3), (values, P) => {
        const field = primeField(P);
        const all = reduceAll(values, P);
        values.forEach((v, i) => {
          expect(all[i], `entry ${i} (${v})`).toBe(field.fromInteger(v));
          expect(all[i], `entry ${i} (${v})`).toBe(Number(BigInt(v) % BigInt(P)));
        });
      }),
      { numRuns: 200 },
    );
  });
});
