/**
 * Eigenpairs of a real symmetric matrix, largest eigenvalue first: H = Σ_j λ_j v_j v_jᵀ,
 * λ_1 ≥ λ_2 ≥ … ≥ λ_n, ‖v_j‖ = 1. WebAssembly (c/eigen.c): the blocked tridiagonalisation of
 * symmetricEigenvalues.ts, Q formed from the reflectors, implicit QL accumulating the rotations into Q
 * (EISPACK tql2); if QL runs out of sweeps, the cyclic Jacobi method on H, which always returns.
 * Backward stable: the pairs are exact for H + E, ‖E‖₂ ≈ n ε ‖H‖₂.
 * Eigenvalues are returned for all j; eigenvectors for the first `count` (all by default).
 */
import type { Matrix } from './denseMatrix.js';
import { Arena, kernels } from './wasm.js';
import { NonFiniteMatrixError } from './nonFinite.js';

export interface Eigensystem {
  /** λ_1 ≥ … ≥ λ_n */
  values: Float64Array;
  /** v_1, …, v_count (unit vectors) */
  vectors: Float64Array[];
}

export function symmetricEigensystem(m: Matrix, count = m.rows): Eigensystem {
  const n = m.rows;
  if (m.cols !== n) throw new Error(`symmetricEigensystem: matrix is ${m.rows}×${m.cols}, not square`);
  if (n === 0) return { values: new Float64Array(0), vectors: [] };
  const k = kernels();
  const arena = new Arena(k);
  const A = arena.put(m.data);
  const values = arena.allocate(n);
  const Z = arena.allocate(n * n);
  const work = arena.allocate(k.exports.symmetric_eigensystem_work(n));
  const status = k.exports.symmetric_eigensystem(n, A, values, Z, work);
  if (status < 0) throw new NonFiniteMatrixError();
  const raw = arena.take(values, n);
  const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => raw[b]! - raw[a]!);
  const vectors = arena.f64(Z, n * n);
  return {
    values: Float64Array.from(order, (j) => raw[j]!),
    vectors: order.slice(0, Math.min(count, n)).map((j) => vectors.slice(j * n, (j + 1) * n)),
  };
}
