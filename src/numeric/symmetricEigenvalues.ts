/**
 * Eigenvalues of a real symmetric matrix: Householder reduction to tridiagonal form
 * (Golub & Van Loan, Matrix Computations, Alg. 8.3.1) followed by the implicit QL iteration
 * (EISPACK tql1). Eigenvalues only, no vectors: (4/3) n³ flops for the reduction, O(n²) after.
 * Only the lower triangle of the row-major input is read; the input is not modified.
 * Backward stable: the computed eigenvalues are exact for A + E with ‖E‖₂ ≈ ε‖A‖₂ · O(n).
 */
import type { Matrix } from './matrix.js';

export function symmetricEigenvalues(matrix: Matrix): Float64Array {
  const n = matrix.rows;
  if (matrix.cols !== n) throw new Error('symmetricEigenvalues: matrix is not square');
  const A = matrix.data.slice();
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(n); // offDiagonal[k] couples k and k + 1
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    diagonal[k] = A[k * n + k]!;
    let norm2 = 0;
    for (let i = k + 2; i < n; i++) norm2 += A[i * n + k]! * A[i * n + k]!;
    const x0 = A[(k + 1) * n + k]!;
    if (norm2 === 0) {
      offDiagonal[k] = x0; // already tridiagonal in this column
      continue;
    }
    norm2 += x0 * x0;
    const alpha = x0 >= 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    v[k + 1] = x0 - alpha;
    for (let i = k + 2; i < n; i++) v[i] = A[i * n + k]!;
    const beta = 1 / (norm2 - x0 * alpha); // 2 / vᵀv
    offDiagonal[k] = alpha;
    // w = β A₂₂ v, reading the lower triangle once.
    w.fill(0, k + 1);
    for (let i = k + 1; i < n; i++) {
      const row = i * n;
      const vi = v[i]!;
      let s = 0;
      for (let j = k + 1; j < i; j++) {
        const aij = A[row + j]!;
        s += aij * v[j]!;
        w[j]! += aij * vi;
      }
      w[i]! += s + A[row + i]! * vi;
    }
    let wv = 0;
    for (let i = k + 1; i < n; i++) {
      w[i]! *= beta;
      wv += w[i]! * v[i]!;
    }
    const half = 0.5 * beta * wv;
    for (let i = k + 1; i < n; i++) w[i]! -= half * v[i]!;
    // A₂₂ ← A₂₂ − v wᵀ − w vᵀ (lower triangle)
    for (let i = k + 1; i < n; i++) {
      const row = i * n;
      const vi = v[i]!;
      const wi = w[i]!;
      for (let j = k + 1; j <= i; j++) A[row + j]! -= vi * w[j]! + wi * v[j]!;
    }
  }
  if (n >= 2) {
    diagonal[n - 2] = A[(n - 2) * n + n - 2]!;
    offDiagonal[n - 2] = A[(n - 1) * n + n - 2]!;
  }
  if (n >= 1) diagonal[n - 1] = A[n * n - 1]!;
  tridiagonalEigenvalues(diagonal, offDiagonal);
  return diagonal;
}

/** Implicit QL with Wilkinson shifts on (diagonal, offDiagonal); eigenvalues left in `diagonal`. */
export function tridiagonalEigenvalues(d: Float64Array, e: Float64Array): void {
  const n = d.length;
  if (n > 0) e[n - 1] = 0;
  // Deflate when e[m] is negligible next to its neighbours or next to ε‖T‖: a perturbation of
  // size ε‖T‖ is within the backward error of the reduction, and without the absolute test
  // clusters of numerically zero eigenvalues (rank-deficient Hessians) converge very slowly.
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]!) + Math.abs(e[i]!) + (i > 0 ? Math.abs(e[i - 1]!) : 0));
  const negligible = Number.EPSILON * norm;
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    let m: number;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * dd || Math.abs(e[m]!) <= negligible) break;
      }
      if (m !== l) {
        if (iterations++ === 300) throw new Error('tridiagonal QL did not converge');
        let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
        let r = Math.hypot(g, 1);
        g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
        let s = 1;
        let c = 1;
        let p = 0;
        let i: number;
        for (i = m - 1; i >= l; i--) {
          const f = s * e[i]!;
          const b = c * e[i]!;
          r = Math.hypot(f, g);
          e[i + 1] = r;
          if (r === 0) {
            d[i + 1]! -= p;
            e[m] = 0;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1]! - p;
          r = (d[i]! - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
        }
        if (r === 0 && i >= l) continue;
        d[l]! -= p;
        e[l] = g;
        e[m] = 0;
      }
    } while (m !== l);
  }
}
