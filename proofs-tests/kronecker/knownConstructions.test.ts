/**
 * On blocks that are exactly A ⊗ B every measure returns its exact value:
 *   nearest Kronecker product: relative error 0 and R(H) of rank 1 (σ₂/σ₁ = 0), and A ⊗ B recovered;
 *   the decoupling N·E[M] ⊗ E[x̃x̃ᵀ] of Σ_i M ⊗ x̃_i x̃_iᵀ (the same M for every sample): error 0;
 *   top eigenvectors reshaped to out × in: rank 1, rank-one energy 1;
 *   top-k eigenspace overlap of H with its nearest Kronecker product: 1;
 *   outliers: exactly K when A has K large eigenvalues and B one dominant eigenvalue.
 * A and B are random symmetric matrices with prescribed, well separated eigenvalues (so the top
 * eigenspaces are well defined); every tolerance is a small multiple of ε, stated where used.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decoupledApproximation } from '../../src/kronecker/decoupling.js';
import { subspaceOverlap } from '../../src/kronecker/eigenspaceOverlap.js';
import { kroneckerProduct } from '../../src/kronecker/kroneckerProduct.js';
import { kroneckerEigensystem, relativeKroneckerError } from '../../src/kronecker/kroneckerPair.js';
import type { LayerHessian } from '../../src/kronecker/layerHessian.js';
import { nearestKronecker } from '../../src/kronecker/nearestKronecker.js';
import { outlierCount } from '../../src/kronecker/outliers.js';
import { reshapedEigenvector } from '../../src/kronecker/reshapedEigenvector.js';
import { symmetricEigensystem } from '../../src/linalg/index.js';
import { addKroneckerWithOuterProduct } from '../../src/kronecker/kroneckerProduct.js';
import { instanceBounds } from '../../src/kronecker/instanceBounds.js';
import { zeros, type Matrix } from '../../src/numeric/matrix.js';
import { RandomStream } from '../../src/numeric/random.js';

/** Q diag(values) Qᵀ with Q a random orthogonal matrix (eigenvectors of a random symmetric matrix). */
function withEigenvalues(values: number[], stream: RandomStream): Matrix {
  const n = values.length;
  const G = { rows: n, cols: n, data: stream.gaussianArray(n * n) };
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) G.data[i * n + j] = G.data[j * n + i]!;
  const Q = symmetricEigensystem(G).vectors;
  const out = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += values[k]! * Q[k]![i]! * Q[k]![j]!;
      out.data[i * n + j] = s;
    }
  }
  return out;
}

/** α_i ∈ [10, 11] for i < K, [1, 1.1] after; β_1 ∈ [10, 11], β_j ∈ [1, 1.1] after (docs/kronecker.md#outliers). */
function outlierConstruction(K: number, out: number, inWidth: number, seed: number) {
  const stream = new RandomStream(seed);
  const alpha = Array.from({ length: out }, (_, i) => (i < K ? 10 : 1) * (1 + 0.1 * stream.uniform()));
  const beta = Array.from({ length: inWidth }, (_, j) => (j === 0 ? 10 : 1) * (1 + 0.1 * stream.uniform()));
  return { A: withEigenvalues(alpha, stream), B: withEigenvalues(beta, stream) };
}

const construction = fc.record({
  K: fc.integer({ min: 1, max: 4 }),
  extraOut: fc.integer({ min: 0, max: 3 }),
  inWidth: fc.integer({ min: 4, max: 7 }),
  seed: fc.integer({ min: 0, max: 10_000 }),
});

describe('H = A ⊗ B exactly: every measure returns its exact value', () => {
  it('nearest Kronecker product: error 0, rank-one rearrangement, A ⊗ B recovered', () => {
    fc.assert(
      fc.property(construction, ({ K, extraOut, inWidth, seed }) => {
        const { A, B } = outlierConstruction(K, K + extraOut, inWidth, seed);
        const H = kroneckerProduct(A, B);
        const shape = { out: A.rows, in: B.rows };
        const nearest = nearestKronecker(H, shape);
        // backward-stable SVD of R(H): residual ≤ c·n·ε‖H‖; 1e-13 leaves a factor ~100 for n ≤ 49
        expect(relativeKroneckerError(H, nearest)).toBeLessThan(1e-13);
        // out = 1 or in = 1: R(H) has a single singular value, trivially of rank 1
        const [s1, s2 = 0] = nearest.rearrangedSingularValues;
        expect(s2 / s1!).toBeLessThan(1e-13);
        // the product, not the split of scale between the factors, is determined
        const recovered = kroneckerProduct(nearest.A, nearest.B);
        const scale = H.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        expect(recovered.data.every((v, i) => Math.abs(v - H.data[i]!) < 1e-12 * scale)).toBe(true);
      }),
      { numRuns: 25, seed: 5 },
    );
  });

  it('decoupling of Σ_i M ⊗ x̃_i x̃_iᵀ with one M for all samples: error 0', () => {
    fc.assert(
      fc.property(construction, fc.integer({ min: 1, max: 12 }), ({ K, extraOut, inWidth, seed }, N) => {
        const { A: M } = outlierConstruction(K, K + extraOut, inWidth, seed);
        const stream = new RandomStream(seed + 1);
        const inputs = Array.from({ length: N }, () => stream.gaussianArray(inWidth));
        const size = M.rows * inWidth;
        const block = zeros(size, size);
        const inputMoment = zeros(inWidth, inWidth);
        for (const x of inputs) {
          addKroneckerWithOuterProduct(block, M, x);
          for (let b = 0; b < inWidth; b++) for (let e = 0; e < inWidth; e++) inputMoment.data[b * inWidth + e]! += (x[b]! * x[e]!) / N;
        }
        const samples = { outputHessians: inputs.map(() => M), inputs };
        const layer: LayerHessian = {
          shape: { layer: 1, out: M.rows, in: inWidth, offset: 0, size },
          part: 'HO',
          block,
          outputMoment: M,
          inputMoment,
          samples: N,
          bounds: instanceBounds(samples),
        };
        // N rounded additions on each side: 1e-14 relative
        expect(relativeKroneckerError(block, decoupledApproximation(layer))).toBeLessThan(1e-14);
      }),
      { numRuns: 25, seed: 6 },
    );
  });

  it('top eigenvectors reshaped to out × in have rank 1; top-k eigenspaces of H and of its nearest product coincide; K outliers', () => {
    fc.assert(
      fc.property(construction, ({ K, extraOut, inWidth, seed }) => {
        const { A, B } = outlierConstruction(K, K + extraOut, inWidth, seed);
        const H = kroneckerProduct(A, B);
        const shape = { out: A.rows, in: B.rows };
        const eig = symmetricEigensystem(H, K);
        for (let j = 0; j < K; j++) {
          const reshaped = reshapedEigenvector(eig.vectors[j]!, shape, eig.values, j);
          expect(reshaped.rank, `eigenvector ${j + 1}: σ = ${Array.from(reshaped.singularValues)}, τ = ${reshaped.tolerance}`).toBe(1);
          expect(reshaped.rankOneEnergy).toBeGreaterThan(1 - 1e-12);
        }
        // eigenvectors of a backward-stable solver: overlap 1 − O((nε‖H‖/gap)²); 1e-10 is generous
        expect(subspaceOverlap(eig.vectors, kroneckerEigensystem(nearestKronecker(H, shape), K).vectors)).toBeGreaterThan(1 - 1e-10);
        expect(subspaceOverlap(eig.vectors, kroneckerEigensystem({ A, B }, K).vectors)).toBeGreaterThan(1 - 1e-10);
        expect(outlierCount(eig.values, 3 * K).count).toBe(K);
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});

describe('a K-fold top eigenvalue (H = I_K ⊗ B, the MSE last layer): the top eigenspace is {c ⊗ w_1}', () => {
  it('every computed top eigenvector reshapes to rank 1, and the K outliers are found', () => {
    fc.assert(
      fc.property(construction, ({ K, inWidth, seed }) => {
        const { B } = outlierConstruction(K, K, inWidth, seed);
        const I = zeros(K, K);
        for (let a = 0; a < K; a++) I.data[a * K + a] = 1;
        const H = kroneckerProduct(I, B);
        const eig = symmetricEigensystem(H, K);
        for (let j = 0; j < K; j++) expect(reshapedEigenvector(eig.vectors[j]!, { out: K, in: inWidth }, eig.values, j).rank).toBe(1);
        expect(outlierCount(eig.values, 3 * K).count).toBe(K);
      }),
      { numRuns: 25, seed: 8 },
    );
  });
});

describe('the outlier rule on explicit spectra', () => {
  it('the largest ratio λ_k/λ_{k+1} within the window, eigenvalues ≤ τ excluded', () => {
    expect(outlierCount(Float64Array.of(100, 90, 80, 1, 0.9, 0.8), 5)).toMatchObject({ count: 3, gapRatio: 80 });
    // the cut at the rank (1 → 0) is not an outlier gap
    expect(outlierCount(Float64Array.of(100, 50, 49, 0, 0), 4)).toMatchObject({ count: 1, gapRatio: 2, positive: 3 });
    // a window smaller than the gap's position sees only what is inside it
    expect(outlierCount(Float64Array.of(8, 4, 2, 1, 0.001), 2).count).toBe(1);
    expect(outlierCount(Float64Array.of(5, 0, 0), 3)).toMatchObject({ count: 1, gapRatio: null });
  });

  it('overlap of a subspace with itself (in another basis order) is 1, with an orthogonal one 0', () => {
    const e = (i: number, n: number) => Float64Array.from({ length: n }, (_, j) => (j === i ? 1 : 0));
    expect(subspaceOverlap([e(0, 4), e(1, 4)], [e(1, 4), e(0, 4)])).toBe(1);
    expect(subspaceOverlap([e(0, 4)], [e(3, 4)])).toBe(0);
  });
});
