/**
 * GEMM, Gram matrices and the SVD of src/linalg against plain triple loops and the former
 * TypeScript one-sided Jacobi: |Σ_k a_ik b_kj computed − exact| ≤ K ε Σ_k |a_ik b_kj| (each entry's
 * rounding bound, γ_K); singular values within 4 max(m, n) ε σ_1 of the reference's; A = U Σ Vᵀ
 * reconstructed within the same bound; the SVD returns on exactly rank-deficient input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gramOfColumns, gramOfRows, multiply, singularValueDecomposition } from '../../src/linalg/index.js';
import type { Matrix } from '../../src/numeric/matrix.js';
import { RandomStream } from '../../src/numeric/random.js';
import { gaussianMatrix } from './matrices.js';
import { singularValueDecomposition as jacobiReference } from './reference/jacobiSvd.js';

const eps = Number.EPSILON;

/** C (m × n) against Σ_k A(i,k) B(k,j) with the entrywise bound K ε Σ |A(i,k) B(k,j)| */
function expectProduct(C: Matrix, a: (i: number, k: number) => number, b: (k: number, j: number) => number, K: number): void {
  for (let i = 0; i < C.rows; i++) {
    for (let j = 0; j < C.cols; j++) {
      let s = 0;
      let abs = 0;
      for (let k = 0; k < K; k++) {
        s += a(i, k) * b(k, j);
        abs += Math.abs(a(i, k) * b(k, j));
      }
      expect(Math.abs(C.data[i * C.cols + j]! - s), `entry (${i}, ${j})`).toBeLessThanOrEqual(2 * K * eps * abs);
    }
  }
}

const dims = fc.integer({ min: 1, max: 70 });

describe('GEMM and Gram', () => {
  it('A B within the rounding bound of each entry (shapes across the 4 × 4 blocking edges)', () => {
    fc.assert(
      fc.property(dims, dims, dims, fc.integer(), (m, K, n, seed) => {
        const stream = new RandomStream(seed);
        const A = gaussianMatrix(m, K, stream);
        const B = gaussianMatrix(K, n, stream);
        const C = multiply(A, B);
        expect([C.rows, C.cols]).toEqual([m, n]);
        expectProduct(C, (i, k) => A.data[i * K + k]!, (k, j) => B.data[k * n + j]!, K);
      }),
      { numRuns: 40 },
    );
  });
  it('A Aᵀ and Aᵀ A: within the rounding bound, and exactly symmetric', () => {
    fc.assert(
      fc.property(dims, dims, fc.integer(), (m, K, seed) => {
        const A = gaussianMatrix(m, K, new RandomStream(seed));
        const G = gramOfRows(A);
        expectProduct(G, (i, k) => A.data[i * K + k]!, (k, j) => A.data[j * K + k]!, K);
        const H = gramOfColumns(A);
        expectProduct(H, (i, k) => A.data[k * K + i]!, (k, j) => A.data[k * K + j]!, m);
        for (const S of [G, H]) for (let i = 0; i < S.rows; i++) for (let j = 0; j < i; j++) expect(S.data[i * S.rows + j]).toBe(S.data[j * S.rows + i]);
      }),
      { numRuns: 40 },
    );
  });
  it('a product over 600 terms (several K panels) stays within the bound', () => {
    const stream = new RandomStream(5);
    const A = gaussianMatrix(9, 600, stream);
    const B = gaussianMatrix(600, 7, stream);
    expectProduct(multiply(A, B), (i, k) => A.data[i * 600 + k]!, (k, j) => B.data[k * 7 + j]!, 600);
  });
});

describe('SVD (one-sided Jacobi)', () => {
  it('singular values agree with the former TypeScript Jacobi; U Σ Vᵀ = A; U, V orthonormal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.integer(), (m, n, r, seed) => {
        const stream = new RandomStream(seed);
        const k = Math.min(r, m, n);
        // rank ≤ k: A = X Y with X m × k, Y k × n (k = 0: the zero matrix)
        const A = k === 0 ? { rows: m, cols: n, data: new Float64Array(m * n) } : multiply(gaussianMatrix(m, k, stream), gaussianMatrix(k, n, stream));
        const ours = singularValueDecomposition(A);
        const theirs = jacobiReference(A);
        const bound = 4 * Math.max(m, n) * eps * Math.max(theirs.values[0] ?? 0, 1e-300);
        expect(ours.sweeps).toBeGreaterThanOrEqual(0);
        ours.values.forEach((s, i) => expect(Math.abs(s - theirs.values[i]!)).toBeLessThanOrEqual(bound));
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            ours.values.forEach((sigma, t) => (s += ours.left[t]![i]! * sigma * ours.right[t]![j]!));
            expect(Math.abs(s - A.data[i * n + j]!)).toBeLessThanOrEqual(4 * bound);
          }
        }
        ours.values.forEach((sigma, t) => {
          if (sigma <= bound) return;
          for (const vectors of [ours.left, ours.right]) {
            let norm = 0;
            for (const x of vectors[t]!) norm += x * x;
            expect(Math.abs(norm - 1)).toBeLessThanOrEqual(100 * Math.max(m, n) * eps);
          }
        });
      }),
      { numRuns: 40 },
    );
  });
});
