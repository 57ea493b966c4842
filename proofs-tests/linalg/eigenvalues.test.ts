/**
 * Symmetric eigenvalues (src/linalg): backward stability means |λ̂_i − λ_i| ≤ c n ε ‖A‖₂ for the
 * sorted eigenvalues (Weyl). Every check below uses that bound with c = 4 (stated per test), against
 *   known spectra Q diag(λ) Qᵀ (degenerate ones: zero, rank one, 1×1, 2×2, clusters, tiny and huge
 *   scales, a dynamic range of 10^300), the former TypeScript solver, and the cyclic Jacobi method;
 * the bisection fallback gives the same eigenvalues as QL; the ReLU Hessians on which the former
 * solver stopped with 'tridiagonal QL did not converge' return, with trace and Frobenius norm intact.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullyConnected } from '../../src/architecture/fullyConnected.js';
import { symmetricEigensystem, symmetricEigenvalues, symmetricEigenvaluesWithMethod } from '../../src/linalg/index.js';
import { setQlSweeps, tridiagonalEigenvalues } from '../../src/linalg/symmetricEigenvalues.js';
import type { Matrix } from '../../src/numeric/matrix.js';
import { hessianParts } from '../../src/numeric/measure.js';
import { sampleInstance } from '../../src/numeric/networkInstance.js';
import { RandomStream } from '../../src/numeric/random.js';
import { randomSymmetric, spectralNorm, withSpectrum } from './matrices.js';
import { symmetricEigenvalues as householderQlReference } from './reference/householderQl.js';
import { jacobiEigenvalues } from './reference/jacobiEigenvalues.js';

const eps = Number.EPSILON;

/** max_i |a_i − b_i| over the sorted lists, and the bound 4 n ε max|λ| it must stay under */
function expectSpectrum(computed: Float64Array, expected: readonly number[], context: string): void {
  const n = expected.length;
  const sorted = [...expected].sort((a, b) => a - b);
  expect(computed.length, context).toBe(n);
  const bound = 4 * n * eps * spectralNorm(sorted);
  computed.forEach((v, i) => expect(Math.abs(v - sorted[i]!), `${context}: λ_${i} = ${v}, expected ${sorted[i]}`).toBeLessThanOrEqual(bound));
}

describe('known spectra, degenerate ones included', () => {
  const stream = new RandomStream(91);
  const cases: [string, number[]][] = [
    ['1×1', [-3.5]],
    ['2×2', [2, -7]],
    ['2×2 equal', [5, 5]],
    ['rank one, n = 30', [9, ...Array<number>(29).fill(0)]],
    ['a cluster 1 + k·1e-13', Array.from({ length: 40 }, (_, k) => 1 + k * 1e-13)],
    ['tiny scale 1e-200', Array.from({ length: 20 }, (_, k) => (k - 7) * 1e-200)],
    ['huge scale 1e280', Array.from({ length: 20 }, (_, k) => (k - 7) * 1e280)],
    ['tiny eigenvalues next to 1', [1, -1, ...Array.from({ length: 25 }, (_, k) => 1e-15 * (k + 1))]],
    ['dynamic range 1e-150 … 1e150', Array.from({ length: 31 }, (_, k) => 10 ** (10 * k - 150))],
    ['n = 150 (several panels)', Array.from({ length: 150 }, (_, k) => Math.sin(k) * 10)],
  ];
  for (const [name, lambda] of cases) {
    it(`${name}: within 4 n ε ‖A‖₂`, () => {
      expectSpectrum(symmetricEigenvalues(withSpectrum(lambda, stream)), lambda, name);
    });
  }
  it('the zero matrix, every order up to 70: all eigenvalues exactly 0', () => {
    for (let n = 0; n <= 70; n++) {
      const values = symmetricEigenvalues({ rows: n, cols: n, data: new Float64Array(n * n) });
      expect(Array.from(values)).toEqual(Array<number>(n).fill(0));
    }
  });
  it('diagonal matrices: the diagonal, exactly', () => {
    const d = [3, -1, 0, 7, 2, 2, -5];
    const A = new Float64Array(49);
    d.forEach((v, i) => (A[i * 7 + i] = v));
    expect(Array.from(symmetricEigenvalues({ rows: 7, cols: 7, data: A }))).toEqual([...d].sort((a, b) => a - b));
  });
  it('x xᵀ with x Gaussian: ‖x‖² once, the rest within 4 n ε ‖x‖²', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 90 }), fc.integer(), (n, seed) => {
        const x = new RandomStream(seed).gaussianArray(n);
        const A = new Float64Array(n * n);
        let norm2 = 0;
        for (let i = 0; i < n; i++) {
          norm2 += x[i]! * x[i]!;
          for (let j = 0; j < n; j++) A[i * n + j] = x[i]! * x[j]!;
        }
        expectSpectrum(symmetricEigenvalues({ rows: n, cols: n, data: A }), [norm2, ...Array<number>(n - 1).fill(0)], `n = ${n}`);
      }),
      { numRuns: 40 },
    );
  });
  it('a non-finite entry is refused with a clear message', () => {
    expect(() => symmetricEigenvalues({ rows: 2, cols: 2, data: Float64Array.from([1, NaN, NaN, 1]) })).toThrow(/non-finite/);
  });
});

describe('agreement with independent solvers', () => {
  it('the former TypeScript Householder + QL solver, within 8 n ε ‖A‖₂ (two backward-stable results)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer(), (n, seed) => {
        const S = randomSymmetric(n, new RandomStream(seed));
        const ours = symmetricEigenvalues(S);
        const theirs = householderQlReference(S).sort();
        const bound = 8 * n * eps * spectralNorm(theirs);
        ours.forEach((v, i) => expect(Math.abs(v - theirs[i]!)).toBeLessThanOrEqual(bound));
      }),
      { numRuns: 60 },
    );
  });
  it('cyclic Jacobi, within 8 n ε ‖A‖₂', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer(), (n, seed) => {
        const S = randomSymmetric(n, new RandomStream(seed));
        const ours = symmetricEigenvalues(S);
        const theirs = jacobiEigenvalues(S);
        const bound = 8 * n * eps * spectralNorm(theirs);
        ours.forEach((v, i) => expect(Math.abs(v - theirs[i]!)).toBeLessThanOrEqual(bound));
      }),
      { numRuns: 30 },
    );
  });
});

describe('the bisection fallback', () => {
  // n ≥ 3: a 2 × 2 block is solved in closed form (LAPACK dlae2), without a sweep
  it('with QL given no sweeps at all, the driver falls back to bisection and gets the same eigenvalues', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 120 }), fc.integer(), (n, seed) => {
        const S = randomSymmetric(n, new RandomStream(seed));
        const ql = symmetricEigenvaluesWithMethod(S);
        setQlSweeps(0);
        let fallback;
        try {
          fallback = symmetricEigenvaluesWithMethod(S);
        } finally {
          setQlSweeps(30);
        }
        expect(ql.method).toBe('ql');
        expect(fallback.method).toBe('bisection');
        const bound = 8 * n * eps * spectralNorm(ql.values);
        fallback.values.forEach((v, i) => expect(Math.abs(v - ql.values[i]!)).toBeLessThanOrEqual(bound));
      }),
      { numRuns: 30 },
    );
  });
  it('QL on a tridiagonal of subnormal entries (d = 0, e = 11·2^-1074, 3·2^-1074: once a shrunk counterexample) returns 0 and ±√130·2^-1074', () => {
    const u = Number.MIN_VALUE;
    const ql = tridiagonalEigenvalues(Float64Array.from([0, 0, 0]), Float64Array.from([11 * u, 3 * u, 0]), 'ql');
    expect(ql).not.toBeNull();
    const exact = [-Math.sqrt(130) * u, 0, Math.sqrt(130) * u];
    ql!.forEach((v, i) => expect(Math.abs(v - exact[i]!)).toBeLessThanOrEqual(8 * u));
  });
  it('bisection on tridiagonals with exact zeros, tiny couplings and repeated diagonals agrees with QL', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: -10, max: 10, noNaN: true })), { minLength: 1, maxLength: 60 }),
        fc.array(fc.oneof(fc.constant(0), fc.constant(1e-160), fc.double({ min: -10, max: 10, noNaN: true })), { minLength: 60, maxLength: 60 }),
        (d, e) => {
          const D = Float64Array.from(d);
          const E = Float64Array.from(e.slice(0, d.length));
          const ql = tridiagonalEigenvalues(D, E, 'ql');
          const bisection = tridiagonalEigenvalues(D, E, 'bisection')!;
          expect(ql).not.toBeNull();
          // bisection's own guarantee: 2 ε max|λ| + pivmin, pivmin ≤ 2^-1022 (on T scaled to max|t| < 1);
          // scaled back, 2^-1020 · max|t| underflows when every entry is subnormal, so the absolute term
          // never goes below a few units of the subnormal spacing (Number.MIN_VALUE = 2^-1074)
          const scale = Math.max(...D.map(Math.abs), ...E.map(Math.abs));
          const bound = 8 * d.length * eps * spectralNorm(ql!) + Math.max(2 ** -1020 * scale, 8 * Number.MIN_VALUE);
          bisection.forEach((v, i) => expect(Math.abs(v - ql![i]!)).toBeLessThanOrEqual(bound));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('ReLU Hessians that stopped the former solver (issue 9) return', () => {
  const cases: [number[], number, number][] = [
    [[8, 6, 4], 1, 23],
    [[30, 50, 1], 10, 0],
    [[1, 8, 5, 8, 6], 1, 1],
    [[7, 1, 10, 6], 14, 2],
  ];
  for (const [widths, samples, seed] of cases) {
    it(`${widths.join('-')}, N = ${samples}, seed ${seed}: H and H_F, Σλ = trace, Σλ² = ‖·‖_F², and Jacobi agrees (p ≤ 200)`, () => {
      const net = fullyConnected({ widths, samples, activation: 'relu' });
      const parts = hessianParts(sampleInstance(net, { seed }));
      for (const M of [parts.hessian, parts.functional]) {
        const n = M.rows;
        const values = symmetricEigenvalues(M);
        const norm = spectralNorm(values);
        let trace = 0;
        let frobenius2 = 0;
        for (let i = 0; i < n; i++) trace += M.data[i * n + i]!;
        for (const v of M.data) frobenius2 += v * v;
        expect(Math.abs(values.reduce((s, v) => s + v, 0) - trace)).toBeLessThanOrEqual(4 * n * n * eps * norm);
        expect(Math.abs(values.reduce((s, v) => s + v * v, 0) - frobenius2)).toBeLessThanOrEqual(4 * n * n * eps * norm * norm);
        if (n <= 200) {
          const reference = jacobiEigenvalues(M);
          values.forEach((v, i) => expect(Math.abs(v - reference[i]!)).toBeLessThanOrEqual(8 * n * eps * norm));
        }
      }
    });
  }
});

describe('eigenpairs (symmetricEigensystem)', () => {
  function residual(A: Matrix, lambda: number, v: Float64Array): number {
    const n = A.rows;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += A.data[i * n + k]! * v[k]!;
      worst = Math.max(worst, Math.abs(s - lambda * v[i]!));
    }
    return worst;
  }
  it('‖A v − λ v‖∞ ≤ 4 n ε ‖A‖₂, vectors orthonormal, values descending and equal to symmetricEigenvalues', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer(), fc.boolean(), (n, seed, lowRank) => {
        const stream = new RandomStream(seed);
        const A = lowRank ? withSpectrum(Array.from({ length: n }, (_, k) => (k < 3 ? k + 1 : 0)), stream) : randomSymmetric(n, stream);
        const { values, vectors } = symmetricEigensystem(A);
        const norm = spectralNorm(values);
        for (let j = 1; j < n; j++) expect(values[j]!).toBeLessThanOrEqual(values[j - 1]!);
        const plain = symmetricEigenvalues(A);
        values.forEach((v, j) => expect(Math.abs(v - plain[n - 1 - j]!)).toBeLessThanOrEqual(8 * n * eps * Math.max(norm, 1e-300)));
        vectors.forEach((v, j) => {
          expect(residual(A, values[j]!, v)).toBeLessThanOrEqual(4 * n * eps * Math.max(norm, 1e-300));
          for (let k = 0; k <= j; k++) {
            let s = 0;
            for (let i = 0; i < n; i++) s += v[i]! * vectors[k]![i]!;
            expect(Math.abs(s - (k === j ? 1 : 0))).toBeLessThanOrEqual(4 * n * eps);
          }
        });
      }),
      { numRuns: 40 },
    );
  });
});
