/**
 * A Kronecker-structured approximation A ⊗ B of a layer block (A: out × out, output side;
 * B: in × in, input side), and what can be read off the factors without forming the product:
 *   ‖H − A ⊗ B‖_F / ‖H‖_F                                relative Frobenius error
 *   eig(A ⊗ B) = { α_i β_j, u_i ⊗ w_j }                    top eigenpairs from the factors' eigenpairs
 */
import type { Matrix } from '../numeric/matrix.js';
import { frobeniusNorm } from '../numeric/matrix.js';
import { symmetricEigensystem, type Eigensystem } from '../linalg/index.js';

export interface KroneckerPair {
  /** output-side factor (out × out) */
  A: Matrix;
  /** input-side factor (in × in) */
  B: Matrix;
}

/** ‖H − A ⊗ B‖_F / ‖H‖_F (0 when H = 0 and A ⊗ B = 0). */
export function relativeKroneckerError(H: Matrix, pair: KroneckerPair): number {
  const { A, B } = pair;
  const n = B.rows;
  let residual = 0;
  for (let a = 0; a < A.rows; a++) {
    for (let b = 0; b < n; b++) {
      const row = (a * n + b) * H.cols;
      for (let c = 0; c < A.rows; c++) {
        const ac = A.data[a * A.rows + c]!;
        for (let e = 0; e < n; e++) {
          const d = H.data[row + c * n + e]! - ac * B.data[b * n + e]!;
          residual += d * d;
        }
      }
    }
  }
  const norm = frobeniusNorm(H);
  return norm === 0 ? Math.sqrt(residual) : Math.sqrt(residual) / norm;
}

/** (M + Mᵀ)/2: removes the rounding asymmetry of a computed factor. */
function symmetricPart(m: Matrix): Matrix {
  const n = m.rows;
  const out = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.data[i * n + j] = 0.5 * (m.data[i * n + j]! + m.data[j * n + i]!);
  return out;
}

/**
 * The top `count` eigenpairs of A ⊗ B, from the eigenpairs of A and B (both taken symmetric: the
 * factors of a symmetric H's approximations are symmetric up to rounding).
 */
export function kroneckerEigensystem(pair: KroneckerPair, count: number): Eigensystem {
  const ea = symmetricEigensystem(symmetricPart(pair.A));
  const eb = symmetricEigensystem(symmetricPart(pair.B));
  const products: { value: number; i: number; j: number }[] = [];
  ea.values.forEach((alpha, i) => eb.values.forEach((beta, j) => products.push({ value: alpha * beta, i, j })));
  products.sort((x, y) => y.value - x.value);
  const values = Float64Array.from(products, (t) => t.value);
  const vectors = products.slice(0, count).map(({ i, j }) => {
    const u = ea.vectors[i]!;
    const w = eb.vectors[j]!;
    const v = new Float64Array(u.length * w.length);
    for (let a = 0; a < u.length; a++) for (let b = 0; b < w.length; b++) v[a * w.length + b] = u[a]! * w[b]!;
    return v;
  });
  return { values, vectors };
}
