/**
 * The symmetric eigenvalue routine always returns, and returns the right spectrum, on the inputs
 * that used to break it: columns whose entries fall to 1e-150 and below (the Householder norm
 * underflowed and produced NaN, reported as "tridiagonal QL did not converge" on ReLU Hessians),
 * zero, rank-1, 1×1 and 2×2 matrices, clustered and tiny eigenvalues. Bisection on Sturm counts,
 * the fallback when QL takes too long, agrees with QL on random tridiagonals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomStream } from '../../src/numeric/random.js';
import { symmetricEigenvalues } from '../../src/linalg/index.js';
import { tridiagonalEigenvalues } from '../../src/linalg/symmetricEigenvalues.js';
import type { Matrix } from '../../src/numeric/matrix.js';

/** Q diag(λ) Qᵀ with Q a random orthogonal matrix (Gram–Schmidt of a Gaussian matrix). */
function withSpectrum(lambda: number[], seed: number): Matrix {
  const n = lambda.length;
  const stream = new RandomStream(seed);
  const q = Array.from({ length: n }, () => Array.from(stream.gaussianArray(n)));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const dot = q[i]!.reduce((s, v, k) => s + v * q[j]![k]!, 0);
      q[i] = q[i]!.map((v, k) => v - dot * q[j]![k]!);
    }
    const norm = Math.hypot(...q[i]!);
    q[i] = q[i]!.map((v) => v / norm);
  }
  const data = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) data[a * n + b] = lambda.reduce((s, l, i) => s + l * q[i]![a]! * q[i]![b]!, 0);
  return { rows: n, cols: n, data };
}

const sorted = (x: Float64Array | number[]) => Array.from(x).sort((a, b) => a - b);

function expectSpectrum(m: Matrix, lambda: number[], label: string): void {
  const got = sorted(symmetricEigenvalues(m));
  const want = sorted(lambda);
  const scale = Math.max(1e-300, ...want.map(Math.abs));
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `${label}: eigenvalue ${i} is ${g}, expected ${want[i]}`).toBeLessThanOrEqual(1e-12 * scale * m.rows));
}

describe('symmetric eigenvalues never fail and stay accurate on degenerate spectra', () => {
  it('1×1, 2×2, the zero matrix and a rank-1 matrix', () => {
    expectSpectrum({ rows: 1, cols: 1, data: Float64Array.of(-3) }, [-3], '1×1');
    expectSpectrum({ rows: 2, cols: 2, data: Float64Array.of(2, 1, 1, 2) }, [1, 3], '2×2');
    expectSpectrum({ rows: 2, cols: 2, data: Float64Array.of(0, 1e-200, 1e-200, 0) }, [-1e-200, 1e-200], '2×2 tiny');
    expectSpectrum({ rows: 7, cols: 7, data: new Float64Array(49) }, new Array(7).fill(0), 'zero 7×7');
    const u = [1, -2, 3, 0, 5];
    const rank1 = { rows: 5, cols: 5, data: Float64Array.from({ length: 25 }, (_, k) => u[Math.floor(k / 5)]! * u[k % 5]!) };
    expectSpectrum(rank1, [0, 0, 0, 0, 39], 'rank 1');
  });

  it('blocks of size 1e-150 to 1e-200 (whose squared norms underflow: the ReLU-Hessian case that produced NaN) keep their eigenvalues', () => {
    // A = B ⊕ 1e-150·B ⊕ 1e-170·B ⊕ 1e-200·B with B = diag(1, 2, 3) rotated: λ(A) is known exactly.
    const block = sorted([1, 2, 3]);
    const b = withSpectrum(block, 7);
    for (const scales of [[1, 1e-150, 1e-170, 1e-200], [1e-160, 1e-180]]) {
      const n = 3 * scales.length;
      const data = new Float64Array(n * n);
      scales.forEach((s, t) => {
        for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) data[(3 * t + i) * n + 3 * t + j] = s * b.data[i * 3 + j]!;
      });
      const values = sorted(symmetricEigenvalues({ rows: n, cols: n, data }));
      expect(values.every(Number.isFinite), `scales ${scales}: a non-finite eigenvalue`).toBe(true);
      const want = sorted(scales.flatMap((s) => block.map((l) => s * l)));
      want.forEach((w, i) => expect(Math.abs(values[i]! - w), `scales ${scales}: eigenvalue ${i} is ${values[i]}, expected ${w}`).toBeLessThanOrEqual(1e-12 * Math.max(...scales) * n));
    }
  });

  it('clustered eigenvalues (1 ± 1e-14) and tiny ones (1e-200) next to order 1', () => {
    expectSpectrum(withSpectrum([1, 1 + 1e-14, 1 - 1e-14, 1, 2, 0, 0, 0], 4), [1, 1 + 1e-14, 1 - 1e-14, 1, 2, 0, 0, 0], 'cluster');
    expectSpectrum(withSpectrum([1e-200, -1e-200, 1, 3, 0, 0], 5), [1e-200, -1e-200, 1, 3, 0, 0], 'tiny');
  });

  it('bisection on Sturm counts equals QL on random tridiagonals, zeros and repeated entries included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: -1e3, max: 1e3, noNaN: true })), { minLength: 1, maxLength: 30 }),
        fc.array(fc.oneof(fc.constant(0), fc.constant(1e-170), fc.double({ min: -1e3, max: 1e3, noNaN: true })), { minLength: 30, maxLength: 30 }),
        (diagonal, couplings) => {
          const n = diagonal.length;
          const d = Float64Array.from(diagonal);
          const e = Float64Array.from(couplings.slice(0, n));
          const byBisection = sorted(tridiagonalEigenvalues(d, e, 'bisection')!);
          const byQL = sorted(tridiagonalEigenvalues(d, e, 'ql')!);
          const scale = Math.max(1, ...byQL.map(Math.abs));
          byQL.forEach((v, i) => {
            if (Math.abs(v - byBisection[i]!) > 1e-11 * scale * n) throw new Error(`eigenvalue ${i}: QL ${v}, bisection ${byBisection[i]} on d = [${diagonal}], e = [${couplings.slice(0, n)}]`);
          });
        },
      ),
      { seed: 9, numRuns: 300 },
    );
  });
});
