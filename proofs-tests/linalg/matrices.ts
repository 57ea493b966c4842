/** Test matrices with known spectra: Q diag(λ) Qᵀ with Q a random orthogonal matrix (seeded). */
import type { Matrix } from '../../src/numeric/matrix.js';
import { RandomStream } from '../../src/numeric/random.js';

/** A random orthogonal n × n matrix: a product of n Householder reflections of Gaussian vectors. */
export function randomOrthogonal(n: number, stream: RandomStream): Matrix {
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Q[i * n + i] = 1;
  for (let r = 0; r < n; r++) {
    const v = stream.gaussianArray(n);
    let norm2 = 0;
    for (const x of v) norm2 += x * x;
    if (norm2 === 0) continue;
    // Q ← Q (I − 2 v vᵀ / vᵀv)
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += Q[i * n + k]! * v[k]!;
      const f = (2 * s) / norm2;
      for (let k = 0; k < n; k++) Q[i * n + k]! -= f * v[k]!;
    }
  }
  return { rows: n, cols: n, data: Q };
}

/** Q diag(λ) Qᵀ, symmetrised exactly (entry (i, j) computed once). */
export function withSpectrum(lambda: readonly number[], stream: RandomStream): Matrix {
  const n = lambda.length;
  const Q = randomOrthogonal(n, stream).data;
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += Q[i * n + k]! * lambda[k]! * Q[j * n + k]!;
      A[i * n + j] = s;
      A[j * n + i] = s;
    }
  }
  return { rows: n, cols: n, data: A };
}

export function randomSymmetric(n: number, stream: RandomStream): Matrix {
  const B = stream.gaussianArray(n * n);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = B[i * n + j]! + B[j * n + i]!;
  return { rows: n, cols: n, data: A };
}

export function gaussianMatrix(rows: number, cols: number, stream: RandomStream): Matrix {
  return { rows, cols, data: stream.gaussianArray(rows * cols) };
}

export function spectralNorm(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]!));
  return m;
}
