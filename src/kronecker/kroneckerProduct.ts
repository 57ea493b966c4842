/**
 * Kronecker product A ⊗ B of an m × m' and an n × n' matrix, over a ring:
 *   (A ⊗ B)[a·n + b, c·n' + e] = A[a, c] · B[b, e].
 * This is the convention of the row-major θ layout: for W ∈ R^{out×in} stored row by row,
 * vec index a·in + b, the layer block Σ_i M_i ⊗ x_i x_iᵀ has A = M (out × out) first and the input
 * autocorrelation B = x xᵀ (in × in) second.
 */
import { zeros, type Matrix } from '../numeric/matrix.js';
import { float64Ring, type Ring } from '../numeric/ring.js';

export function kroneckerProduct(A: Matrix, B: Matrix, ring: Ring = float64Ring): Matrix {
  const out = zeros(A.rows * B.rows, A.cols * B.cols);
  const cols = out.cols;
  for (let a = 0; a < A.rows; a++) {
    for (let c = 0; c < A.cols; c++) {
      const acValue = A.data[a * A.cols + c]!;
      if (acValue === 0) continue;
      for (let b = 0; b < B.rows; b++) {
        const row = (a * B.rows + b) * cols + c * B.cols;
        const bRow = b * B.cols;
        for (let e = 0; e < B.cols; e++) out.data[row + e] = ring.mul(acValue, B.data[bRow + e]!);
      }
    }
  }
  return out;
}

/** out += M ⊗ (x xᵀ) in float64: one sample's term of a layer block (M square, x a vector). */
export function addKroneckerWithOuterProduct(out: Matrix, M: Matrix, x: ArrayLike<number>): void {
  const n = x.length;
  const cols = out.cols;
  for (let a = 0; a < M.rows; a++) {
    for (let c = 0; c < M.cols; c++) {
      const m = M.data[a * M.cols + c]!;
      if (m === 0) continue;
      for (let b = 0; b < n; b++) {
        const mb = m * x[b]!;
        if (mb === 0) continue;
        const row = (a * n + b) * cols + c * n;
        for (let e = 0; e < n; e++) out.data[row + e]! += mb * x[e]!;
      }
    }
  }
}
