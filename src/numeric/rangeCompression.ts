/**
 * Range compression for linear networks (any loss, with or without bias).
 *
 * In augmented form (x̃ = [x; 1], W̃_l as in linearNetworkHessian.ts), with A_m = W̃_{L:m+1} restricted
 * to the free rows of W̃_m, Z_{m-1} = W̃_{m-1:1} X̃ and G = [∂ℓ/∂f at each sample] (K × N):
 *   H_O's block row m has columns in  U_m ⊗ R^{M̃_{m-1}},            U_m = col(A_mᵀ)
 *   H_F's block row m has columns in (U'_m ⊗ R^{M̃_{m-1}}) + (R^{M_m} ⊗ V_m),
 *        U'_m = col(A_mᵀ G) ⊆ U_m,  V_m = col(Z_{m-1} Gᵀ)
 * (from the block formulas of linearNetworkHessian.ts: H_F's block (m, l), l < m, is C[b,c]·R[a,e] with
 * R = A_mᵀ G Z_{l-1}ᵀ). So the ranges of H, H_O and H_F all lie in S = ⊕_m S_m with
 *   S_m = (U_m ⊗ R^{M̃_{m-1}}) ⊕ (U_m^⊥ ⊗ V_m),   Q_m = [U_m ⊗ I, U_m^⊥ ⊗ V_m] orthonormal,
 * and the nonzero eigenvalues of a symmetric P with range(P) ⊆ S are those of Qᵀ P Q, of size dim S.
 * dim S_m = k_m M̃_{m-1} + (M_m − k_m) v_m with k_m, v_m ≤ K: for widths ≫ K this is far below p.
 * A second subspace holds the same ranges, from the input side ("inputs" layers below): with
 *   U'_m = col(A_mᵀ G X̃ᵀ) ⊇ col(A_mᵀ G Z_{l-1}ᵀ) for every l (Z_{l-1} = W̃_{l-1:1} X̃) and W_m = col(Z_{m-1}) ⊇ V_m,
 *   S'_m = (U'_m ⊗ R^{M̃_{m-1}}) ⊕ (U'_m^⊥ ⊗ W_m) ⊇ (U_m ⊗ W_m) + (U'_m ⊗ R^{M̃_{m-1}}) + (R^{M_m} ⊗ V_m),
 * which holds H_O's block row m (in U_m ⊗ W_m: J's rows restricted to layer m are A_m[k,:] ⊗ Z_{m-1}[:,i])
 * and H_F's; dim S'_m = k'_m M̃_{m-1} + (M_m − k'_m) w_m with k'_m ≤ min(K, N, M̃_0), w_m ≤ rank Z_{m-1}.
 * It is smaller where a narrow layer or few samples cap Z_{m-1} while K does not cap A_m. Each layer
 * takes the smaller of the two (float64); the exact path uses S. Both keep N_mᵀ R = 0 for
 * R = A_mᵀ G Z_{l-1}ᵀ, which is all the compressed H_F needs; only S has A_m N_m = 0, so H_O is
 * nonzero on the Η coordinates of an "inputs" layer.
 * The containment is certified on each compressed matrix by random probes (compressedLinearHessian.ts).
 */
import { rankModPrime, singularValueDecomposition, symmetricEigensystem } from '../linalg/index.js';
import { LinearNetworkHessian } from './linearNetworkHessian.js';
import { identity, multiply, multiplyTransposed, transpose, zeros, type Matrix } from './matrix.js';
import type { PrimeField } from './ring.js';

interface LayerBasis {
  /** where layer m's parameters start in θ, and M_m × M̃_{m-1} */
  offset: number;
  rows: number;
  cols: number;
  /** "outputs": S_m (U = col A_mᵀ, V = col Z_{m-1} Gᵀ, A_m N = 0); "inputs": S'_m (U = col A_mᵀ G X̃ᵀ, V = col Z_{m-1}) */
  kind: 'outputs' | 'inputs';
  /** orthonormal bases: U (M_m × k), U⊥ (M_m × (M_m − k)), V (M̃_{m-1} × v) */
  U: Matrix;
  complement: Matrix;
  V: Matrix;
  /** dim S_m = k·M̃ + (M_m − k)·v */
  dimension: number;
}

export interface RangeBasis {
  layers: LayerBasis[];
  /** dim S */
  dimension: number;
  parameters: number;
}

/**
 * Orthonormal basis of col(A), keeping every direction with σ > ε ‖A‖_F: only numerically exact
 * zeros are dropped (σ ≤ ε ‖A‖_F ≤ ε √k σ_max), so the basis may be larger than the generic rank,
 * never smaller. (One-sided Jacobi SVD of src/linalg, which always returns.) ε ‖A‖_F is the SVD's own
 * negligible size: rows below it are left unrotated there, so their singular vectors are rounding
 * noise, not orthogonal to the others (kept at σ_max · ε they broke the basis of, e.g., the bottleneck
 * 20-14-2-10-12, whose certificate then failed). Whatever a dropped direction carries is of relative
 * size ε and is covered by the certificate (compressedLinearHessian.ts).
 */
function columnSpaceBasis(a: Matrix): Matrix {
  if (a.cols === 0 || a.rows === 0) return zeros(a.rows, 0);
  const { values, left } = singularValueDecomposition(a);
  let frobenius = 0;
  for (const v of values) frobenius += v * v;
  const negligible = Number.EPSILON * Math.sqrt(frobenius);
  const keep = left.filter((_, i) => values[i]! > negligible);
  return fromColumns(a.rows, keep);
}

/** Orthonormal basis of the orthogonal complement of col(U) (U orthonormal, n × k). */
function complementBasis(U: Matrix): Matrix {
  const n = U.rows;
  if (U.cols === 0) return identity(n);
  if (U.cols >= n) return zeros(n, 0);
  const projector = identity(n);
  const UUt = multiplyTransposed(U, U);
  for (let i = 0; i < n * n; i++) projector.data[i]! -= UUt.data[i]!;
  const { values, vectors } = symmetricEigensystem(projector);
  return fromColumns(n, vectors.filter((_, j) => values[j]! > 0.5));
}

function fromColumns(rows: number, columns: Float64Array[]): Matrix {
  const out = zeros(rows, columns.length);
  columns.forEach((column, j) => column.forEach((v, i) => (out.data[i * columns.length + j] = v)));
  return out;
}

/** Orthonormal U_m, U_m^⊥ and V_m from a float64 linear-network builder, each layer S_m or S'_m, the smaller (S_m on a tie). */
export function floatRangeBasis(h: LinearNetworkHessian): RangeBasis {
  const layers: LayerBasis[] = [];
  let offset = 0;
  let dimension = 0;
  const inputsT = transpose(h.outputs[0]!);
  for (let m = 1; m <= h.L; m++) {
    const rows = h.outWidth(m);
    const cols = h.inWidth(m);
    const At = transpose(h.outputMap(m));
    const U = columnSpaceBasis(At);
    const V = columnSpaceBasis(multiplyTransposed(h.outputs[m - 1]!, h.residuals));
    const Ui = columnSpaceBasis(multiply(multiply(At, h.residuals), inputsT));
    const Vi = columnSpaceBasis(h.outputs[m - 1]!);
    const size = U.cols * cols + (rows - U.cols) * V.cols;
    const inputSize = Ui.cols * cols + (rows - Ui.cols) * Vi.cols;
    const kind = inputSize < size ? 'inputs' : 'outputs';
    const [u, v] = kind === 'inputs' ? [Ui, Vi] : [U, V];
    const complement = complementBasis(u);
    const chosen = u.cols * cols + complement.cols * v.cols;
    layers.push({ offset, rows, cols, kind, U: u, complement, V: v, dimension: chosen });
    offset += rows * cols;
    dimension += chosen;
  }
  return { layers, dimension, parameters: offset };
}

/**
 * The same subspace over Z/PZ, where orthonormal bases do not exist: U_m = the independent columns
 * of A_mᵀ, N_m = a basis of ker A_m (in place of U_m^⊥), V_m = the independent columns of
 * Z_{m-1} Gᵀ. Then N_mᵀ U_m = 0, and Qᵀ Q = ⊕_m (U_mᵀ U_m ⊗ I) ⊕ (N_mᵀ N_m ⊗ V_mᵀ V_m). When those
 * Gram matrices are invertible modulo P (checked; it fails with probability about 1/P per matrix),
 * U_m ⊕ N_m is the whole space, range(P) ⊆ S = col(Q) holds exactly (the containment argument uses
 * only A_m N_m = 0 and linear algebra valid over any field), and rank(Qᵀ P Q) = rank(P): P = Q K Qᵀ
 * for a unique K, and Qᵀ P Q = (Qᵀ Q) K (Qᵀ Q). Returns undefined when a check fails.
 */
export function exactRangeBasis(h: LinearNetworkHessian, field: PrimeField): RangeBasis | undefined {
  const layers: LayerBasis[] = [];
  let offset = 0;
  let dimension = 0;
  const invertibleGram = (B: Matrix): boolean => B.cols === 0 || rankModPrime(multiply(transpose(B), B, field), field) === B.cols;
  for (let m = 1; m <= h.L; m++) {
    const rows = h.outWidth(m);
    const cols = h.inWidth(m);
    const A = h.outputMap(m);
    const At = transpose(A);
    const U = selectColumns(At, reducedRowEchelon(At, field).pivots);
    const complement = kernelBasis(A, field);
    const ZG = multiplyTransposed(h.outputs[m - 1]!, h.residuals, field);
    const V = selectColumns(ZG, reducedRowEchelon(ZG, field).pivots);
    if (!invertibleGram(U) || !invertibleGram(complement) || !invertibleGram(V)) return undefined;
    const size = U.cols * cols + complement.cols * V.cols;
    layers.push({ offset, rows, cols, kind: 'outputs', U, complement, V, dimension: size });
    offset += rows * cols;
    dimension += size;
  }
  return { layers, dimension, parameters: offset };
}

function selectColumns(a: Matrix, columns: readonly number[]): Matrix {
  const out = zeros(a.rows, columns.length);
  for (let i = 0; i < a.rows; i++) columns.forEach((c, j) => (out.data[i * columns.length + j] = a.data[i * a.cols + c]!));
  return out;
}

/** Reduced row echelon form over Z/PZ and its pivot columns (small matrices: bases of S). */
function reducedRowEchelon(m: Matrix, field: PrimeField): { reduced: Matrix; pivots: number[] } {
  const { rows, cols } = m;
  const a = m.data.slice();
  const pivots: number[] = [];
  let rank = 0;
  for (let col = 0; col < cols && rank < rows; col++) {
    let pivot = -1;
    for (let r = rank; r < rows; r++) if (a[r * cols + col] !== 0) {
      pivot = r;
      break;
    }
    if (pivot < 0) continue;
    for (let j = 0; j < cols; j++) {
      const t = a[rank * cols + j]!;
      a[rank * cols + j] = a[pivot * cols + j]!;
      a[pivot * cols + j] = t;
    }
    const scale = field.inverse(a[rank * cols + col]!);
    for (let j = 0; j < cols; j++) a[rank * cols + j] = field.mul(a[rank * cols + j]!, scale);
    for (let r = 0; r < rows; r++) {
      const f = a[r * cols + col]!;
      if (r === rank || f === 0) continue;
      for (let j = 0; j < cols; j++) a[r * cols + j] = field.sub(a[r * cols + j]!, field.mul(f, a[rank * cols + j]!));
    }
    pivots.push(col);
    rank++;
  }
  return { reduced: { rows, cols, data: a }, pivots };
}

/** A basis of ker m = {u : m u = 0} over Z/PZ (one vector per free column of the echelon form). */
function kernelBasis(m: Matrix, field: PrimeField): Matrix {
  const { reduced, pivots } = reducedRowEchelon(m, field);
  const free = Array.from({ length: m.cols }, (_, j) => j).filter((j) => !pivots.includes(j));
  const out = zeros(m.cols, free.length);
  free.forEach((f, t) => {
    out.data[f * free.length + t] = 1;
    pivots.forEach((c, r) => (out.data[c * free.length + t] = field.sub(0, reduced.data[r * m.cols + f]!)));
  });
  return out;
}

/** out = Qᵀ x for one vector x of length p. */
export function applyBasisTranspose(basis: RangeBasis, x: Float64Array, out: Float64Array): void {
  let position = 0;
  for (const layer of basis.layers) {
    const { offset, rows, cols, U, complement, V } = layer;
    // part 1: Uᵀ X (k × M̃), X = x[offset ..] reshaped rows × cols
    for (let i = 0; i < U.cols; i++) {
      const base = position + i * cols;
      for (let j = 0; j < cols; j++) out[base + j] = 0;
      for (let a = 0; a < rows; a++) {
        const u = U.data[a * U.cols + i]!;
        if (u === 0) continue;
        const xa = offset + a * cols;
        for (let j = 0; j < cols; j++) out[base + j]! += u * x[xa + j]!;
      }
    }
    position += U.cols * cols;
    // part 2: U⊥ᵀ (X V) ((M − k) × v): X V first, (M·M̃ + (M−k)·M)·v products instead of (M−k)·M·(M̃ + v)
    const XV = new Float64Array(rows * V.cols);
    for (let a = 0; a < rows; a++) {
      const xa = offset + a * cols;
      for (let c = 0; c < V.cols; c++) {
        let s = 0;
        for (let j = 0; j < cols; j++) s += x[xa + j]! * V.data[j * V.cols + c]!;
        XV[a * V.cols + c] = s;
      }
    }
    for (let i = 0; i < complement.cols; i++) {
      const base = position + i * V.cols;
      for (let c = 0; c < V.cols; c++) out[base + c] = 0;
      for (let a = 0; a < rows; a++) {
        const u = complement.data[a * complement.cols + i]!;
        if (u === 0) continue;
        for (let c = 0; c < V.cols; c++) out[base + c]! += u * XV[a * V.cols + c]!;
      }
    }
    position += complement.cols * V.cols;
  }
}

/** out = Q c for coordinates c of length dim S. */
export function applyBasis(basis: RangeBasis, c: Float64Array, out: Float64Array): void {
  out.fill(0);
  let position = 0;
  for (const layer of basis.layers) {
    const { offset, rows, cols, U, complement, V } = layer;
    for (let i = 0; i < U.cols; i++) {
      const base = position + i * cols;
      for (let a = 0; a < rows; a++) {
        const u = U.data[a * U.cols + i]!;
        const xa = offset + a * cols;
        for (let j = 0; j < cols; j++) out[xa + j]! += u * c[base + j]!;
      }
    }
    position += U.cols * cols;
    const T = new Float64Array(cols);
    for (let i = 0; i < complement.cols; i++) {
      T.fill(0);
      const base = position + i * V.cols;
      for (let j = 0; j < cols; j++) {
        let s = 0;
        for (let v = 0; v < V.cols; v++) s += V.data[j * V.cols + v]! * c[base + v]!;
        T[j] = s;
      }
      for (let a = 0; a < rows; a++) {
        const u = complement.data[a * complement.cols + i]!;
        const xa = offset + a * cols;
        for (let j = 0; j < cols; j++) out[xa + j]! += u * T[j]!;
      }
    }
    position += complement.cols * V.cols;
  }
}
