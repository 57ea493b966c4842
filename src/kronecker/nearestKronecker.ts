/**
 * Nearest Kronecker product (Van Loan & Pitsianis 1993): the A ⊗ B minimising ‖H − A ⊗ B‖_F.
 * The rearrangement
 *   R(H)[a·out + c, b·in + e] = H[a·in + b, c·in + e]          (out² × in²)
 * maps A ⊗ B to vec(A) vec(B)ᵀ and preserves the Frobenius norm, so the optimum is the top singular
 * pair of R(H): A = σ_1 · mat(u_1), B = mat(v_1), and ‖H − A ⊗ B‖_F² = Σ_{k≥2} σ_k².
 * H is exactly a Kronecker product iff R(H) has rank 1. The sign is chosen with trace(B) ≥ 0
 * (for a positive semi-definite H both factors are then positive semi-definite).
 * SVD: one-sided Jacobi (src/linalg/singularValueDecomposition.ts).
 */
import { zeros, type Matrix } from '../numeric/matrix.js';
import type { KroneckerPair } from './kroneckerPair.js';
import type { LayerShape } from './layerBlock.js';
import { singularValueDecomposition } from '../linalg/index.js';

export interface NearestKronecker extends KroneckerPair {
  /** singular values of R(H), largest first */
  rearrangedSingularValues: Float64Array;
}

export function rearrange(H: Matrix, shape: Pick<LayerShape, 'out' | 'in'>): Matrix {
  const { out, in: n } = shape;
  const R = zeros(out * out, n * n);
  for (let a = 0; a < out; a++) {
    for (let c = 0; c < out; c++) {
      const row = (a * out + c) * R.cols;
      for (let b = 0; b < n; b++) {
        const from = (a * n + b) * H.cols + c * n;
        R.data.set(H.data.subarray(from, from + n), row + b * n);
      }
    }
  }
  return R;
}

export function nearestKronecker(H: Matrix, shape: Pick<LayerShape, 'out' | 'in'>): NearestKronecker {
  const { out, in: n } = shape;
  const svd = singularValueDecomposition(rearrange(H, shape));
  const sigma = svd.values;
  const u = svd.left[0]!;
  const v = svd.right[0]!;
  let traceB = 0;
  for (let b = 0; b < n; b++) traceB += v[b * n + b]!;
  const scale = (traceB < 0 ? -1 : 1) * sigma[0]!;
  const A = { rows: out, cols: out, data: u.map((x) => scale * x) };
  const B = { rows: n, cols: n, data: v.map((x) => (traceB < 0 ? -x : x)) };
  return { A, B, rearrangedSingularValues: sigma };
}
