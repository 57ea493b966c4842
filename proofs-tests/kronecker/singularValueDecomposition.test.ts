/**
 * The one-sided Jacobi SVD is an SVD: A = Σ_k σ_k u_k v_kᵀ with orthonormal u's and v's and
 * σ_1 ≥ σ_2 ≥ … ≥ 0, on random wide, tall and rank-deficient matrices; an exactly rank-one matrix has
 * σ_2 ≤ a few ε σ_1 (relative accuracy); and it returns on the rank-deficient input on which
 * ml-matrix's SVD never does (the rearrangement of I ⊗ x xᵀ).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kroneckerProduct } from '../../src/kronecker/kroneckerProduct.js';
import { rearrange } from '../../src/kronecker/nearestKronecker.js';
import { singularValueDecomposition } from '../../src/linalg/index.js';
import { frobeniusNorm, type Matrix } from '../../src/numeric/matrix.js';
import { RandomStream } from '../../src/numeric/random.js';

/** m × n of rank ≤ rank: a product of Gaussian m × rank and rank × n matrices. */
function randomMatrix(m: number, n: number, rank: number, seed: number): Matrix {
  const stream = new RandomStream(seed);
  const left = stream.gaussianArray(m * rank);
  const right = stream.gaussianArray(rank * n);
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let t = 0; t < rank; t++) data[i * n + j]! += left[i * rank + t]! * right[t * n + j]!;
  return { rows: m, cols: n, data };
}

describe('one-sided Jacobi SVD', () => {
  it('reconstructs A with orthonormal singular vectors and sorted singular values', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 1e6 }), (m, n, rank, seed) => {
        const A = randomMatrix(m, n, rank, seed);
        const { values, left, right } = singularValueDecomposition(A);
        const r = Math.min(m, n);
        expect(values.length).toBe(r);
        for (let k = 1; k < r; k++) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]!);
        const scale = Math.max(frobeniusNorm(A), 1);
        // backward-stable rotations: ‖A − UΣVᵀ‖ ≤ c·n·ε‖A‖, c·n ≤ 500 here
        let residual = 0;
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let k = 0; k < r; k++) s += values[k]! * left[k]![i]! * right[k]![j]!;
            residual = Math.max(residual, Math.abs(s - A.data[i * n + j]!));
          }
        }
        expect(residual).toBeLessThan(1e-13 * scale);
        // the singular vectors of nonzero singular values are orthonormal
        const nonzero = values.filter((s) => s > 1e-12 * scale).length;
        for (const vectors of [left, right]) {
          for (let a = 0; a < nonzero; a++) {
            for (let b = 0; b < nonzero; b++) {
              const dot = vectors[a]!.reduce((s, v, t) => s + v * vectors[b]![t]!, 0);
              expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-13);
            }
          }
        }
      }),
      { numRuns: 100, seed: 9 },
    );
  });

  it('a rank-one matrix has σ_2 ≤ 8 ε σ_1 · max(m, n)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 12 }), fc.integer({ min: 0, max: 1e6 }), (m, n, seed) => {
        const { values } = singularValueDecomposition(randomMatrix(m, n, 1, seed));
        expect(values[1]!).toBeLessThanOrEqual(8 * Number.EPSILON * values[0]! * Math.max(m, n));
      }),
      { numRuns: 100, seed: 10 },
    );
  });

  it('returns on R(I_8 ⊗ x xᵀ), where ml-matrix 6.15 loops forever', () => {
    const stream = new RandomStream(6);
    const x = { rows: 7, cols: 1, data: stream.gaussianArray(7) };
    const xxT = { rows: 7, cols: 7, data: Float64Array.from({ length: 49 }, (_, i) => x.data[Math.floor(i / 7)]! * x.data[i % 7]!) };
    const I = { rows: 8, cols: 8, data: Float64Array.from({ length: 64 }, (_, i) => (i % 9 === 0 ? 1 : 0)) };
    const { values } = singularValueDecomposition(rearrange(kroneckerProduct(I, xxT), { out: 8, in: 7 }));
    expect(values[1]! / values[0]!).toBeLessThan(1e-14);
  });
});
