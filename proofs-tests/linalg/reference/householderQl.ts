/**
 * Test reference (the project's former TypeScript solver, kept to check src/linalg against).
 * Eigenvalues of a real symmetric matrix: Householder reduction to tridiagonal form
 * (Golub & Van Loan, Matrix Computations, Alg. 8.3.1) followed by the implicit QL iteration
 * (EISPACK tql1). Eigenvalues only, no vectors: (4/3) n³ flops for the reduction, O(n²) after.
 * Only the lower triangle of the row-major input is read; the input is not modified.
 * Backward stable: the computed eigenvalues are exact for A + E with ‖E‖₂ ≈ ε‖A‖₂ · O(n).
 */
import type { Matrix } from '../../../src/numeric/matrix.js';

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
    // The reflector is built from x / max|x_i| (LAPACK dlarfg's scaling): on columns of size
    // 1e-150 and below, ‖x‖² underflows and 2 / vᵀv overflows, which once turned into NaN.
    let scale = 0;
    for (let i = k + 1; i < n; i++) scale = Math.max(scale, Math.abs(A[i * n + k]!));
    let tail = 0;
    for (let i = k + 2; i < n; i++) tail = Math.max(tail, Math.abs(A[i * n + k]!));
    if (tail === 0) {
      offDiagonal[k] = A[(k + 1) * n + k]!; // already tridiagonal in this column
      continue;
    }
    const x0 = A[(k + 1) * n + k]! / scale;
    let norm2 = x0 * x0;
    for (let i = k + 2; i < n; i++) norm2 += (A[i * n + k]! / scale) ** 2;
    const alpha = x0 >= 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    v[k + 1] = x0 - alpha;
    for (let i = k + 2; i < n; i++) v[i] = A[i * n + k]! / scale;
    const beta = 1 / (norm2 - x0 * alpha); // 2 / vᵀv, with 1 ≤ norm2 ≤ n
    offDiagonal[k] = alpha * scale;
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

/**
 * Eigenvalues of the symmetric tridiagonal (diagonal, offDiagonal), left in `diagonal`: implicit QL
 * with Wilkinson shifts; if an eigenvalue takes more than 300 QL steps, all of them are taken again
 * by bisection on Sturm counts (`tridiagonalBisection`), which always returns.
 */
export function tridiagonalEigenvalues(d: Float64Array, e: Float64Array): void {
  const n = d.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(d[i]!) || (i < n - 1 && !Number.isFinite(e[i]!))) {
      throw new Error('symmetricEigenvalues: the matrix has a non-finite entry');
    }
  }
  const diagonal = d.slice();
  const offDiagonal = e.slice();
  if (!tridiagonalQL(d, e)) d.set(tridiagonalBisection(diagonal, offDiagonal));
}

/**
 * Eigenvalues by bisection (Sturm sequence counts, Barth–Martin–Wilkinson; LAPACK dstebz): each
 * eigenvalue is bracketed in the Gershgorin interval and halved until the bracket is below
 * 2ε·max(|λ|, ‖T‖·ε). O(n) per count, about 100 counts per eigenvalue: a slow path that cannot fail.
 */
export function tridiagonalBisection(d: Float64Array, e: Float64Array): Float64Array {
  const n = d.length;
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < n; i++) {
    const radius = (i > 0 ? Math.abs(e[i - 1]!) : 0) + (i < n - 1 ? Math.abs(e[i]!) : 0);
    low = Math.min(low, d[i]! - radius);
    high = Math.max(high, d[i]! + radius);
  }
  const norm = Math.max(Math.abs(low), Math.abs(high));
  let largestCoupling = 1;
  for (let i = 0; i < n - 1; i++) largestCoupling = Math.max(largestCoupling, e[i]! * e[i]!);
  const pivotFloor = 2.2250738585072014e-308 * largestCoupling; // LAPACK's pivmin
  const countBelow = (x: number): number => {
    let count = 0;
    let q = 1;
    for (let i = 0; i < n; i++) {
      const coupling = i > 0 ? e[i - 1]! : 0;
      q = d[i]! - x - (i > 0 ? (coupling * coupling) / q : 0);
      if (Math.abs(q) < pivotFloor) q = -pivotFloor;
      if (q < 0) count++;
    }
    return count;
  };
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let a = low - Number.EPSILON * norm - pivotFloor;
    let b = high + Number.EPSILON * norm + pivotFloor;
    for (let step = 0; step < 2200 && b - a > 2 * Number.EPSILON * Math.max(Math.abs(a), Math.abs(b), Number.EPSILON * norm); step++) {
      const mid = 0.5 * (a + b);
      if (mid <= a || mid >= b) break;
      if (countBelow(mid) > k) b = mid;
      else a = mid;
    }
    out[k] = 0.5 * (a + b);
  }
  return out;
}

/** Implicit QL with Wilkinson shifts (EISPACK tql1); false when an eigenvalue takes over 300 steps. */
function tridiagonalQL(d: Float64Array, e: Float64Array): boolean {
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
        if (iterations++ === 300) return false;
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
  return true;
}
