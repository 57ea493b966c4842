/**
 * Eigenpairs of a real symmetric matrix, largest eigenvalue first: H = Σ_j λ_j v_j v_jᵀ,
 * λ_1 ≥ λ_2 ≥ … ≥ λ_n, ‖v_j‖ = 1. Computed by ml-matrix's EigenvalueDecomposition (Householder
 * tridiagonalisation + implicit QL, backward stable: the pairs are exact for H + E, ‖E‖₂ ≈ n ε ‖H‖₂).
 * Eigenvalues are returned for all j; eigenvectors for the first `count` (all by default).
 */
import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import type { Matrix } from '../numeric/matrix.js';

export interface Eigensystem {
  /** λ_1 ≥ … ≥ λ_n */
  values: Float64Array;
  /** v_1, …, v_count (unit vectors) */
  vectors: Float64Array[];
}

export function toMlMatrix(m: Matrix): MlMatrix {
  const out = new MlMatrix(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out.set(i, j, m.data[i * m.cols + j]!);
  return out;
}

export function symmetricEigensystem(m: Matrix, count = m.rows): Eigensystem {
  if (m.rows !== m.cols) throw new Error('symmetricEigensystem: matrix is not square');
  const n = m.rows;
  if (n === 0) return { values: new Float64Array(0), vectors: [] };
  const evd = new EigenvalueDecomposition(toMlMatrix(m), { assumeSymmetric: true });
  const raw = evd.realEigenvalues;
  const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => raw[b]! - raw[a]!);
  const V = evd.eigenvectorMatrix;
  const values = Float64Array.from(order, (j) => raw[j]!);
  const vectors = order.slice(0, Math.min(count, n)).map((j) => {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = V.get(i, j);
    return v;
  });
  return { values, vectors };
}
