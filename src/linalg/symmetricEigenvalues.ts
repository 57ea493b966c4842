/**
 * Eigenvalues of a real symmetric matrix, in WebAssembly (c/eigen.c):
 *   exact power-of-two scaling; blocked Householder tridiagonalisation Qᵀ A Q = T (LAPACK dsytrd:
 *   panels of 32 columns, then the trailing update C ← C − V Wᵀ − W Vᵀ as one GEMM); the root-free
 *   QL/QR iteration on T (Pal–Walker–Kahan, LAPACK dsterf: no square root per rotation), at most
 *   30 n iterations in all; if that budget runs out, bisection on
 *   Sturm counts of T, which always terminates (|λ̂ − λ| ≤ 2 ε max|λ| + pivmin for each eigenvalue).
 * Backward stable: the eigenvalues are exact for A + E with ‖E‖₂ ≤ c(n) ε ‖A‖₂. Only one triangle of
 * the (symmetric) input is read; the input is not modified. Values ascending.
 */
import type { Matrix } from './denseMatrix.js';
import { symmetricEigensystem } from './symmetricEigensystem.js';
import { Arena, kernels } from './wasm.js';
import { NonFiniteMatrixError } from './nonFinite.js';

export type EigenvalueMethod = 'ql' | 'bisection' | 'jacobi';

export interface SymmetricEigenvalues {
  /** ascending */
  values: Float64Array;
  /** 'bisection' when QL ran out of sweeps and the Sturm-count fallback produced the values;
   *  'jacobi' when the reduction itself came out non-finite and the eigensystem path (QL, else Jacobi) ran */
  method: EigenvalueMethod;
}

export function symmetricEigenvaluesWithMethod(matrix: Matrix): SymmetricEigenvalues {
  const n = matrix.rows;
  if (matrix.cols !== n) throw new Error(`symmetricEigenvalues: matrix is ${matrix.rows}×${matrix.cols}, not square`);
  if (n === 0) return { values: new Float64Array(0), method: 'ql' };
  const k = kernels();
  const arena = new Arena(k);
  const A = arena.put(matrix.data);
  const values = arena.allocate(n);
  const work = arena.allocate(k.exports.symmetric_eigenvalues_work(n));
  const status = k.exports.symmetric_eigenvalues(n, A, values, work);
  if (status === -1) throw new NonFiniteMatrixError();
  if (status === -2) return { values: symmetricEigensystem(matrix, 0).values.reverse(), method: 'jacobi' };
  return { values: arena.take(values, n).sort(), method: status === 1 ? 'bisection' : 'ql' };
}

/** Eigenvalues, ascending. */
export function symmetricEigenvalues(matrix: Matrix): Float64Array {
  return symmetricEigenvaluesWithMethod(matrix).values;
}

/** x · 2^k, exact while the result is a normal number (two steps: 2^k alone overflows for k > 1023). */
const timesPowerOfTwo = (x: number, k: number): number => x * 2 ** Math.trunc(k / 2) * 2 ** (k - Math.trunc(k / 2));

/**
 * Test hooks: the two tridiagonal stages alone, on T = (d, e) with e[k] coupling k and k + 1. QL sees T
 * as symmetricEigenvalues' QL does: scaled by a power of two to max |t_ij| ∈ [1/2, 1) (there the whole
 * matrix is scaled before the reduction), the values scaled back; unscaled, a T of subnormal entries
 * stalls QL's deflation test. Bisection scales T itself.
 */
export function tridiagonalEigenvalues(d: Float64Array, e: Float64Array, method: 'ql' | 'bisection'): Float64Array | null {
  const n = d.length;
  const k = kernels();
  const arena = new Arena(k);
  const couplings = Float64Array.from({ length: n }, (_, i) => (i < n - 1 ? (e[i] ?? 0) : 0));
  if (method === 'ql') {
    const big = Math.max(0, ...d.map(Math.abs), ...couplings.map(Math.abs));
    const ex = big === 0 ? 0 : Math.floor(Math.log2(big)) + 1;
    const D = arena.put(d.map((x) => timesPowerOfTwo(x, -ex)));
    const E = arena.put(couplings.map((x) => timesPowerOfTwo(x, -ex)));
    return k.exports.tridiagonal_ql_only(n, D, E) === 0 ? arena.take(D, n).map((x) => timesPowerOfTwo(x, ex)).sort() : null;
  }
  const D = arena.put(d);
  const E = arena.put(Float64Array.from({ length: n }, (_, i) => e[i] ?? 0));
  const values = arena.allocate(n);
  k.exports.tridiagonal_bisection_only(n, D, E, arena.allocate(2 * n), values);
  return arena.take(values, n);
}

/** Test hook: the QL sweep budget per eigenvalue (30 by default; the eigenvalues-only iteration gets 30 n in all); 0 forces the bisection fallback on any T larger than 2 × 2. */
export function setQlSweeps(sweeps: number): void {
  kernels().exports.set_ql_sweeps(sweeps);
}
