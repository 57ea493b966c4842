/**
 * Test reference (the project's former TypeScript SVD, kept to check src/linalg against).
 * Singular value decomposition A = Σ_k σ_k u_k v_kᵀ (σ_1 ≥ σ_2 ≥ … ≥ 0) by one-sided Jacobi
 * (Hestenes 1958; Demmel & Veselić 1992): plane rotations orthogonalise the rows of A (of Aᵀ when A has
 * more rows than columns) until every pair satisfies |⟨a_i, a_j⟩| ≤ n ε ‖a_i‖ ‖a_j‖ (n the row length),
 * rows of norm ≤ ε ‖A‖_F being rounding noise that is left alone; then the row norms
 * are the singular values, the normalised rows the right singular vectors, and the accumulated
 * rotations the left ones. Singular values come out with small relative error, so a tiny σ_2 of an
 * exactly rank-one matrix is computed as ≈ ε σ_1, not √ε σ_1 as through a Gram matrix.
 * Why not ml-matrix's SVD: its Golub–Kahan sweep has no iteration cap (svd.js `while (p > 0)`) and
 * never returns on some exactly rank-deficient inputs, e.g. the rearrangement of I ⊗ x xᵀ
 * (mljs/matrix issue #70). Here at most `maxSweeps` sweeps run, and non-convergence throws.
 */
import type { Matrix } from '../../../src/numeric/matrix.js';

export interface SingularValueDecomposition {
  /** σ_1 ≥ … ≥ σ_min(m,n) */
  values: Float64Array;
  /** u_k ∈ R^m */
  left: Float64Array[];
  /** v_k ∈ R^n */
  right: Float64Array[];
}

const maxSweeps = 60;

export function singularValueDecomposition(a: Matrix): SingularValueDecomposition {
  const wide = a.rows <= a.cols;
  // Work on the rows of B (k × n, k ≤ n): B = A if wide, Aᵀ otherwise.
  const k = wide ? a.rows : a.cols;
  const n = wide ? a.cols : a.rows;
  const rows: Float64Array[] = Array.from({ length: k }, (_, i) =>
    wide ? a.data.slice(i * a.cols, (i + 1) * a.cols) : Float64Array.from({ length: n }, (_, j) => a.data[j * a.cols + i]!),
  );
  // Q (k × k) accumulates the rotations: B = Qᵀ · (rotated rows), Q orthogonal.
  const Q: Float64Array[] = Array.from({ length: k }, (_, i) => Float64Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)));
  let total = 0;
  for (const r of rows) for (const v of r) total += v * v;
  const negligible = Number.EPSILON * Number.EPSILON * total;
  const tolerance = n * Number.EPSILON;
  let converged = k < 2;
  for (let sweep = 0; sweep < maxSweeps && !converged; sweep++) {
    converged = true;
    for (let i = 0; i < k - 1; i++) {
      for (let j = i + 1; j < k; j++) {
        const x = rows[i]!;
        const y = rows[j]!;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let t = 0; t < n; t++) {
          alpha += x[t]! * x[t]!;
          beta += y[t]! * y[t]!;
          gamma += x[t]! * y[t]!;
        }
        if (alpha <= negligible || beta <= negligible || Math.abs(gamma) <= tolerance * Math.sqrt(alpha * beta)) continue;
        converged = false;
        const zeta = (beta - alpha) / (2 * gamma);
        const tangent = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + tangent * tangent);
        const s = c * tangent;
        for (let t = 0; t < n; t++) {
          const xt = x[t]!;
          const yt = y[t]!;
          x[t] = c * xt - s * yt;
          y[t] = s * xt + c * yt;
        }
        const qx = Q[i]!;
        const qy = Q[j]!;
        for (let t = 0; t < k; t++) {
          const xt = qx[t]!;
          const yt = qy[t]!;
          qx[t] = c * xt - s * yt;
          qy[t] = s * xt + c * yt;
        }
      }
    }
  }
  if (!converged) throw new Error(`one-sided Jacobi SVD did not converge in ${maxSweeps} sweeps`);
  const norms = rows.map((r) => Math.sqrt(r.reduce((sum, v) => sum + v * v, 0)));
  const order = norms.map((_, i) => i).sort((x, y) => norms[y]! - norms[x]!);
  const values = Float64Array.from(order, (i) => norms[i]!);
  // rotated row i = σ_i v_iᵀ and B = Qᵀ · rotated rows, so B = Σ_i (Q row i)ᵀ σ_i v_iᵀ: u_i = Q row i.
  const rowVectors = order.map((i) => {
    const sigma = norms[i]!;
    return sigma > 0 ? rows[i]!.map((v) => v / sigma) : new Float64Array(n);
  });
  const combiners = order.map((i) => Q[i]!.slice());
  return wide ? { values, left: combiners, right: rowVectors } : { values, left: rowVectors, right: combiners };
}
