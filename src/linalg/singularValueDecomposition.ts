/**
 * Singular value decomposition A = Σ_k σ_k u_k v_kᵀ (σ_1 ≥ σ_2 ≥ … ≥ 0) by one-sided Jacobi
 * (Hestenes 1958; Demmel & Veselić 1992), in WebAssembly (c/svd.c): plane rotations orthogonalise the
 * rows of A (of Aᵀ when A has more rows than columns) until every pair satisfies
 * |⟨a_i, a_j⟩| ≤ n ε ‖a_i‖ ‖a_j‖ (n the row length), rows of norm ≤ ε ‖A‖_F being rounding noise left
 * alone; then the row norms are the singular values, the normalised rows the right singular vectors,
 * and the accumulated rotations the left ones. Singular values come out with small relative error, so
 * a tiny σ_2 of an exactly rank-one matrix is computed as ≈ ε σ_1, not √ε σ_1 as through a Gram matrix.
 * At most 80 sweeps; the factorisation is exact (orthogonal rotations) whenever it stops, so it always
 * returns. (ml-matrix's Golub–Kahan SVD has no iteration cap and never returns on some exactly
 * rank-deficient inputs, e.g. the rearrangement of I ⊗ x xᵀ: mljs/matrix issue #70.)
 */
import type { Matrix } from './denseMatrix.js';
import { Arena, kernels } from './wasm.js';

export interface SingularValueDecomposition {
  /** σ_1 ≥ … ≥ σ_min(m,n) */
  values: Float64Array;
  /** u_k ∈ R^m */
  left: Float64Array[];
  /** v_k ∈ R^n */
  right: Float64Array[];
  /** Jacobi sweeps used; −1 when the cap was reached (rows orthogonal only to the tolerance reached) */
  sweeps: number;
}

export function singularValueDecomposition(a: Matrix): SingularValueDecomposition {
  const wide = a.rows <= a.cols;
  // Work on the rows of B (k × n, k ≤ n): B = A if wide, Aᵀ otherwise.
  const k = wide ? a.rows : a.cols;
  const n = wide ? a.cols : a.rows;
  if (k === 0) return { values: new Float64Array(0), left: [], right: [], sweeps: 0 };
  const kernel = kernels();
  const arena = new Arena(kernel);
  const B = arena.allocate(k * n);
  const view = arena.f64(B, k * n);
  if (wide) view.set(a.data);
  else for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) view[j * n + i] = a.data[i * a.cols + j]!;
  const Q = arena.allocate(k * k);
  const sweeps = kernel.exports.one_sided_jacobi(k, n, B, Q);
  const rows = arena.take(B, k * n);
  const q = arena.take(Q, k * k);
  const norms = Array.from({ length: k }, (_, i) => {
    let s = 0;
    for (let t = i * n; t < (i + 1) * n; t++) s += rows[t]! * rows[t]!;
    return Math.sqrt(s);
  });
  const order = norms.map((_, i) => i).sort((x, y) => norms[y]! - norms[x]!);
  const values = Float64Array.from(order, (i) => norms[i]!);
  // rotated row i = σ_i v_iᵀ and B = Qᵀ · rotated rows, so B = Σ_i (Q row i)ᵀ σ_i v_iᵀ: u_i = Q row i.
  const rowVectors = order.map((i) => {
    const sigma = norms[i]!;
    return sigma > 0 ? rows.slice(i * n, (i + 1) * n).map((v) => v / sigma) : new Float64Array(n);
  });
  const combiners = order.map((i) => q.slice(i * k, (i + 1) * k));
  return wide ? { values, left: combiners, right: rowVectors, sweeps } : { values, left: rowVectors, right: combiners, sweeps };
}

/** Singular values only, descending. */
export function singularValues(a: Matrix): Float64Array {
  return singularValueDecomposition(a).values;
}
