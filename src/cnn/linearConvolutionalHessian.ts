/**
 * Hessian of a linear CNN with MSE loss from partial products of its Toeplitz matrices, over float64
 * or Z/PZ: the structured builder of src/numeric/linearNetworkHessian.ts lifted through the Toeplitz map.
 *
 * A linear CNN is the deep linear network f(x) = W̃_L ⋯ W̃_1 x̃ whose matrices are linear in θ,
 * W̃_l = Σ_e θ[param_e] E_{row_e, col_e}. Its Hessian is the fully-connected one pulled back by that
 * linear map Φ (θ_FC = Φθ, no second-order term): H = Φᵀ H^FC Φ, block by block. With
 *   Z_l = W̃_{l:1} X̃,  A_l = W̃_{L:l+1},  G = Z_L − Y,  C_{m,l} = W̃_{m-1:l+1},  R_{m,l} = A_mᵀ G Z_{l-1}ᵀ,
 * and e ranging over the entries of parameter j (layer l), e′ over those of j′:
 *   J[(i,k), j]  = Σ_e A_l[k, row_e] · Z_{l-1}[col_e, i]                          (H_O = JᵀJ)
 *   H_F[j′, j]   = Σ_{e′, e} C_{m,l}[col_e′, row_e] · R_{m,l}[row_e′, col_e]      (j′ in layer m > l)
 * and H_F's diagonal blocks are 0. Every entry is a sum of products of weights, data and targets, so
 * integer instances give the exact Hessian in Z/PZ. Cost: NK·nnz(W̃_l) for J; nnz(W̃_m)·nnz(W̃_l)
 * at most per H_F block, far less when C is sparse (C = I for adjacent layers).
 */
import { addGramInto, type HessianParts } from '../numeric/hessianParts.js';
import { identity, intoRing, multiply, subtract, transpose, zeros, type Matrix } from '../numeric/matrix.js';
import { float64Ring, type Ring } from '../numeric/ring.js';
import type { SharedWeightNetwork } from './convolutionalInstance.js';
import { patternMatrix, type WeightPattern } from './toeplitz.js';

/** Pattern entries grouped by row (CSR). */
interface RowIndex {
  start: Int32Array;
  entries: Int32Array;
}

function rowIndex(pattern: WeightPattern): RowIndex {
  const start = new Int32Array(pattern.rows + 1);
  for (let e = 0; e < pattern.row.length; e++) start[pattern.row[e]! + 1]!++;
  for (let r = 0; r < pattern.rows; r++) start[r + 1]! += start[r]!;
  const fill = start.slice(0, pattern.rows);
  const entries = new Int32Array(pattern.row.length);
  for (let e = 0; e < pattern.row.length; e++) entries[fill[pattern.row[e]!]!++] = e;
  return { start, entries };
}

export class LinearConvolutionalHessian {
  readonly L: number;
  readonly parameters: number;
  /** W̃_l at index l − 1 (augmented with the row [0 … 0 1] for l < L when there is bias) */
  private readonly augmented: Matrix[] = [];
  /** Z_l at index l */
  private readonly outputs: Matrix[] = [];
  /** A_l at index l */
  private readonly suffix: Matrix[] = [];
  private readonly residuals: Matrix;

  constructor(
    readonly network: SharedWeightNetwork,
    readonly ring: Ring = float64Ring,
  ) {
    const { patterns, bias } = network;
    this.L = patterns.length;
    this.parameters = network.parameters;
    const lift = (m: Matrix): Matrix => (ring === float64Ring ? m : intoRing(m, ring));
    patterns.forEach((pattern, index) => {
      const layer = lift(patternMatrix(pattern, network.theta.subarray(network.offsets[index]!)));
      if (bias && index < this.L - 1) {
        const w = zeros(layer.rows + 1, layer.cols);
        w.data.set(layer.data);
        w.data[w.data.length - 1] = ring.fromInteger(1);
        this.augmented.push(w);
      } else this.augmented.push(layer);
    });
    const X = lift(network.inputs);
    let Z0 = X;
    if (bias) {
      Z0 = zeros(X.rows + 1, X.cols);
      Z0.data.set(X.data);
      Z0.data.fill(ring.fromInteger(1), X.rows * X.cols);
    }
    this.outputs.push(Z0);
    for (let l = 1; l <= this.L; l++) this.outputs.push(multiply(this.augmented[l - 1]!, this.outputs[l - 1]!, ring));
    this.suffix[this.L] = lift(identity(network.targets.rows));
    for (let l = this.L - 1; l >= 0; l--) this.suffix[l] = multiply(this.suffix[l + 1]!, this.augmented[l]!, ring);
    this.residuals = subtract(this.outputs[this.L]!, lift(network.targets), ring);
  }

  /** J (NK × p): row (i, k) is ∂f_k(x_i)/∂θ. */
  jacobian(): Matrix {
    const ring = this.ring;
    const N = this.network.inputs.cols;
    const K = this.network.targets.rows;
    const p = this.parameters;
    const J = zeros(N * K, p);
    for (let l = 1; l <= this.L; l++) {
      const pattern = this.network.patterns[l - 1]!;
      const A = this.suffix[l]!;
      const Z = this.outputs[l - 1]!;
      const offset = this.network.offsets[l - 1]!;
      for (let e = 0; e < pattern.param.length; e++) {
        const a = pattern.row[e]!;
        const zRow = pattern.col[e]! * N;
        const column = offset + pattern.param[e]!;
        for (let k = 0; k < K; k++) {
          const akA = A.data[k * A.cols + a]!;
          if (akA === 0) continue;
          for (let i = 0; i < N; i++) {
            const index = (i * K + k) * p + column;
            J.data[index] = ring.add(J.data[index]!, ring.mul(akA, Z.data[zRow + i]!));
          }
        }
      }
    }
    return J;
  }

  /** W̃_{m-1:l+1} (identity when m = l + 1). */
  private between(m: number, l: number): Matrix {
    let product = identity(this.augmented[l - 1]!.rows);
    if (this.ring !== float64Ring) product = intoRing(product, this.ring);
    for (let j = l + 1; j <= m - 1; j++) product = multiply(this.augmented[j - 1]!, product, this.ring);
    return product;
  }

  /** Adds H_F into `out` (p × p): both off-diagonal blocks (m, l) and (l, m) for every l < m. */
  addFunctional(out: Matrix): void {
    const ring = this.ring;
    const p = this.parameters;
    const { patterns, offsets } = this.network;
    const rowsOf = patterns.map(rowIndex);
    for (let m = 2; m <= this.L; m++) {
      const outer = patterns[m - 1]!;
      const A = this.suffix[m]!;
      // A_m restricted to the rows W̃_m's pattern writes (its first `outer.rows` columns)
      const Am = zeros(A.rows, outer.rows);
      for (let k = 0; k < A.rows; k++) Am.data.set(A.data.subarray(k * A.cols, k * A.cols + outer.rows), k * outer.rows);
      const AmG = multiply(transpose(Am), this.residuals, ring);
      for (let l = 1; l < m; l++) {
        const inner = patterns[l - 1]!;
        const C = this.between(m, l);
        const R = multiply(AmG, transpose(this.outputs[l - 1]!), ring);
        const { start, entries } = rowsOf[l - 1]!;
        for (let e = 0; e < outer.param.length; e++) {
          const i = offsets[m - 1]! + outer.param[e]!;
          const cRow = outer.col[e]! * C.cols;
          const rRow = outer.row[e]! * R.cols;
          for (let c = 0; c < inner.rows; c++) {
            const coefficient = C.data[cRow + c]!;
            if (coefficient === 0) continue;
            for (let s = start[c]!; s < start[c + 1]!; s++) {
              const f = entries[s]!;
              const j = offsets[l - 1]! + inner.param[f]!;
              const v = ring.mul(coefficient, R.data[rRow + inner.col[f]!]!);
              out.data[i * p + j] = ring.add(out.data[i * p + j]!, v);
              out.data[j * p + i] = ring.add(out.data[j * p + i]!, v);
            }
          }
        }
      }
    }
  }

  functional(): Matrix {
    const H = zeros(this.parameters, this.parameters);
    this.addFunctional(H);
    return H;
  }

  parts(): HessianParts {
    const jacobian = this.jacobian();
    const functional = this.functional();
    const hessian = { rows: functional.rows, cols: functional.cols, data: functional.data.slice() };
    addGramInto(hessian, jacobian, this.ring);
    return { parameters: this.parameters, ring: this.ring, jacobian, functional, hessian };
  }
}
