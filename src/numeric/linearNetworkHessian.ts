/**
 * Hessian of a linear network with shared weights (fully connected, or a CNN through its Toeplitz
 * patterns) from partial products of its weight matrices, over float64 or Z/PZ.
 *
 * Augmented form (covers bias): x̃ = [x; 1], W̃_l = [[W_l, b_l], [0, 1]] for l < L, W̃_L = [W_L, b_L],
 * so f(x) = W̃_L ⋯ W̃_1 x̃, and W̃_l is linear in θ through its pattern (sharedWeightNetwork.ts):
 * W̃_l = Σ_e θ[param_e] E_{row_e, col_e} over the free rows (dense for a fully-connected layer:
 * parameter (l, a, b) = W̃_l[a, b]). With
 *   Z_l = W̃_{l:1} X̃ (layer outputs on all samples), A_l = W̃_{L:l+1} (K × M̃_l, A_L = I),
 *   G = [∂ℓ/∂f at each sample] (K × N; G = F − Y for mse), S_i with S_iᵀ S_i = ∇²ℓ at sample i (I for mse),
 *   C_{m,l} = W̃_{m-1:l+1},  R_{m,l} = A_mᵀ G Z_{l-1}ᵀ,
 * and e ranging over the entries of parameter j (layer l), e′ over those of j′ (layer m):
 *   J[(i,k), j]   = Σ_e A_l[k, row_e] · Z_{l-1}[col_e, i],      F = rows of S_i J_i,   H_O = Fᵀ F
 *   H_O[j, j′]    = Σ_{e, e′} (A_lᵀ A_m)[row_e, row_e′] · (Z_{l-1} Z_{m-1}ᵀ)[col_e, col_e′]   for mse
 *   H_F[j′, j]    = Σ_{e′, e} C_{m,l}[col_e′, row_e] · R_{m,l}[row_e′, col_e]   for l < m, 0 for l = m
 * ([SBH21]: for dense layers the H_O blocks are Kronecker products and H_F is "Z-like" with zero
 * diagonal blocks; a CNN's Hessian is the dense one pulled back by the linear map θ ↦ W̃, with no
 * second-order term.) For mse every entry is a sum of products of weights, data and targets, so the
 * same code builds the float64 Hessian and, for integer instances, the exact Hessian in Z/PZ.
 * Cross-entropy (float64 only) changes G and S_i; H_O is then Σ_i J_iᵀ S_iᵀ S_i J_i.
 * Cost: NK·nnz(W̃_l) for J; nnz(W̃_m)·nnz(W̃_l) at most per H_F block, far less when C is sparse.
 */
import type { Activation, Loss } from '../architecture/fullyConnected.js';
import { addGramInto, type HessianParts } from './hessianParts.js';
import { identity, intoRing, multiply, multiplyTransposed, subtract, transpose, zeros, type Matrix } from './matrix.js';
import { denseSharedWeightNetwork, type NetworkInstance } from './networkInstance.js';
import { lossDerivatives } from './lossFunction.js';
import { float64Ring, type Ring } from './ring.js';
import { workMatrix } from './workspace.js';
import { patternMatrix, type SharedWeightNetwork, type WeightPattern } from './sharedWeightNetwork.js';

/** A fully-connected instance, or a shared-weight one (a CNN's) with its activation and loss. */
export type LinearInstance = NetworkInstance | (SharedWeightNetwork & { readonly net: { readonly activation: Activation; readonly loss: Loss } });

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

export class LinearNetworkHessian {
  readonly L: number;
  readonly ring: Ring;
  readonly network: SharedWeightNetwork;
  /** W̃_l at index l − 1. */
  private readonly augmented: Matrix[] = [];
  /** Z_l at index l (Z_0 = X̃). */
  readonly outputs: Matrix[] = [];
  /** A_l at index l (A_L = I_K). */
  private readonly suffix: Matrix[] = [];
  /** G = [∂ℓ/∂f at each sample] (K × N): the residuals F − Y for mse. */
  readonly residuals: Matrix;
  /** S_i (K × K, row-major) with S_iᵀ S_i = ∇²ℓ at sample i; undefined for mse (S_i = I). */
  readonly lossFactors: Float64Array[] | undefined;
  /** where layer l's parameters start (index l − 1) */
  readonly offsets: readonly number[];
  readonly parameters: number;

  constructor(instance: LinearInstance, ring: Ring = float64Ring) {
    const { activation, loss } = instance.net;
    if (activation !== 'linear' || (loss !== 'mse' && ring !== float64Ring)) {
      throw new Error('LinearNetworkHessian needs a linear network (and mse loss over Z/PZ)');
    }
    const network = 'patterns' in instance ? instance : denseSharedWeightNetwork(instance);
    this.network = network;
    this.ring = ring;
    this.L = network.patterns.length;
    this.offsets = network.offsets;
    this.parameters = network.parameters;
    const lift = (m: Matrix): Matrix => (ring === float64Ring ? m : intoRing(m, ring));
    network.patterns.forEach((pattern, index) => {
      const layer = lift(patternMatrix(pattern, network.theta.subarray(network.offsets[index]!)));
      if (network.bias && index < this.L - 1) {
        const w = zeros(layer.rows + 1, layer.cols);
        w.data.set(layer.data);
        w.data[w.data.length - 1] = ring.fromInteger(1);
        this.augmented.push(w);
      } else this.augmented.push(layer);
    });
    const X = lift(network.inputs);
    let Z0 = X;
    if (network.bias) {
      Z0 = zeros(X.rows + 1, X.cols);
      Z0.data.set(X.data);
      Z0.data.fill(ring.fromInteger(1), X.rows * X.cols);
    }
    this.outputs.push(...this.outputsOn(Z0));
    this.suffix[this.L] = lift(identity(network.targets.rows));
    for (let l = this.L - 1; l >= 0; l--) this.suffix[l] = multiply(this.suffix[l + 1]!, this.augmented[l]!, ring);
    if (loss === 'mse') {
      this.residuals = subtract(this.outputs[this.L]!, lift(network.targets), ring);
      this.lossFactors = undefined;
    } else {
      const F = this.outputs[this.L]!;
      const K = F.rows;
      const N = F.cols;
      this.residuals = zeros(K, N);
      this.lossFactors = [];
      for (let i = 0; i < N; i++) {
        const f = Float64Array.from({ length: K }, (_, k) => F.data[k * N + i]!);
        const y = Float64Array.from({ length: K }, (_, k) => network.targets.data[k * N + i]!);
        const { gradient, hessianFactor } = lossDerivatives(loss, f, y);
        for (let k = 0; k < K; k++) this.residuals.data[k * N + i] = gradient[k]!;
        this.lossFactors.push(hessianFactor);
      }
    }
  }

  /** [Y, W̃_1 Y, W̃_2 W̃_1 Y, …, W̃_{L:1} Y] for augmented inputs Y (M̃_0 × n): Z_0 … Z_L on other samples. */
  outputsOn(Y: Matrix): Matrix[] {
    const out = [Y];
    for (let l = 1; l <= this.L; l++) out.push(multiply(this.augmented[l - 1]!, out[l - 1]!, this.ring));
    return out;
  }

  /** W̃_{m-1:l+1} (identity when m = l + 1), M̃_{m-1} × M̃_l. */
  between(m: number, l: number): Matrix {
    return this.remembered(`C${m},${l}`, () => {
      let product = identity(this.augmented[l - 1]!.rows);
      if (this.ring !== float64Ring) product = intoRing(product, this.ring);
      for (let j = l + 1; j <= m - 1; j++) product = multiply(this.augmented[j - 1]!, product, this.ring);
      return product;
    });
  }

  /** The factors below (C, R, A_l) are computed once per instance and shared: callers only read them. */
  private readonly factors = new Map<string, Matrix>();

  private remembered(key: string, compute: () => Matrix): Matrix {
    let value = this.factors.get(key);
    if (!value) {
      value = compute();
      this.factors.set(key, value);
    }
    return value;
  }

  /** Columns of layer l's weight pattern: M̃_{l-1}. */
  inWidth(l: number): number {
    return this.augmented[l - 1]!.cols;
  }

  /** M_l, the free rows of layer l's weight pattern. */
  outWidth(l: number): number {
    return this.network.patterns[l - 1]!.rows;
  }

  /** A_l restricted to its first M_l columns (the free rows of W̃_l). */
  outputMap(l: number): Matrix {
    return this.remembered(`A${l}`, () => {
      const a = this.suffix[l]!;
      const m = this.outWidth(l);
      const out = zeros(a.rows, m);
      for (let k = 0; k < a.rows; k++) out.data.set(a.data.subarray(k * a.cols, k * a.cols + m), k * m);
      return out;
    });
  }

  /** Output-side factor of H_O's block (l, m): A_lᵀ A_m (free rows only); a Kronecker factor for dense layers. */
  outputFactor(l: number, m: number): Matrix {
    return multiply(transpose(this.outputMap(l)), this.outputMap(m), this.ring);
  }

  /** Input-side factor of H_O's block (l, m): Z_{l-1} Z_{m-1}ᵀ. */
  inputFactor(l: number, m: number): Matrix {
    return multiplyTransposed(this.outputs[l - 1]!, this.outputs[m - 1]!, this.ring);
  }

  /** F (NK × p): row (i, s) is Σ_k S_i[s,k] ∂f_k(x_i)/∂θ (for mse, S_i = I: the Jacobian J). */
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
      const offset = this.offsets[l - 1]!;
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
    if (!this.lossFactors) return J;
    const F = zeros(N * K, p);
    for (let i = 0; i < N; i++) {
      const S = this.lossFactors[i]!;
      for (let s = 0; s < K; s++) {
        const row = F.data.subarray((i * K + s) * p, (i * K + s + 1) * p);
        for (let k = 0; k < K; k++) {
          const sk = S[s * K + k]!;
          if (sk === 0) continue;
          const source = (i * K + k) * p;
          for (let j = 0; j < p; j++) row[j]! += sk * J.data[source + j]!;
        }
      }
    }
    return F;
  }

  /** Whether addOuterProduct goes entry pair by entry pair (mse, and cheaper than J's Gram: always for dense layers). */
  private outerFromFactors(): boolean {
    const p = this.parameters;
    const entries = this.network.patterns.reduce((total, pattern) => total + pattern.param.length, 0);
    return !this.lossFactors && entries * entries <= this.network.inputs.cols * this.network.targets.rows * p * p;
  }

  /**
   * Adds H_O into `out` (p × p): for mse from the factors A_lᵀ A_m and Z_{l-1} Z_{m-1}ᵀ, entry pair by
   * entry pair, when that costs less than the Gram matrix of J (always for dense layers); else Fᵀ F.
   */
  addOuterProduct(out: Matrix, jacobian?: Matrix): void {
    const p = this.parameters;
    if (!this.outerFromFactors()) {
      addGramInto(out, jacobian ?? this.jacobian(), this.ring);
      return;
    }
    const ring = this.ring;
    const float = ring === float64Ring;
    const d = out.data;
    for (let l = 1; l <= this.L; l++) {
      const inner = this.network.patterns[l - 1]!;
      for (let m = 1; m <= this.L; m++) {
        const outer = this.network.patterns[m - 1]!;
        const P = this.outputFactor(l, m);
        const Q = this.inputFactor(l, m);
        for (let e = 0; e < inner.param.length; e++) {
          const base = (this.offsets[l - 1]! + inner.param[e]!) * p + this.offsets[m - 1]!;
          const pRow = inner.row[e]! * P.cols;
          const qRow = inner.col[e]! * Q.cols;
          if (float) {
            for (let f = 0; f < outer.param.length; f++) d[base + outer.param[f]!]! += P.data[pRow + outer.row[f]!]! * Q.data[qRow + outer.col[f]!]!;
            continue;
          }
          for (let f = 0; f < outer.param.length; f++) {
            const pv = P.data[pRow + outer.row[f]!]!;
            if (pv === 0) continue;
            const index = base + outer.param[f]!;
            d[index] = ring.add(d[index]!, ring.mul(pv, Q.data[qRow + outer.col[f]!]!));
          }
        }
      }
    }
  }

  /** The factor A_mᵀ G Z_{l-1}ᵀ (M_m × M̃_{l-1}) of H_F's block (m, l). */
  residualFactor(m: number, l: number): Matrix {
    return this.remembered(`R${m},${l}`, () => {
      const G = multiplyTransposed(this.residuals, this.outputs[l - 1]!, this.ring);
      return multiply(transpose(this.outputMap(m)), G, this.ring);
    });
  }

  /**
   * Adds H_F into `out` (p × p): every block (m, l), l < m, is formed row by row in a scratch block,
   * then added at (m, l) and, transposed tile by tile, at (l, m).
   */
  addFunctional(out: Matrix): void {
    const ring = this.ring;
    const float = ring === float64Ring;
    const patterns = this.network.patterns;
    const offsets = this.offsets;
    const rowsOf = patterns.map(rowIndex);
    const largest = Math.max(0, ...patterns.map((pattern) => pattern.parameters));
    const block = workMatrix('block', largest, largest).data;
    for (let m = 2; m <= this.L; m++) {
      const outer = patterns[m - 1]!;
      const AmG = multiply(transpose(this.outputMap(m)), this.residuals, ring);
      for (let l = 1; l < m; l++) {
        const inner = patterns[l - 1]!;
        const width = inner.parameters;
        const C = this.between(m, l);
        const R = multiplyTransposed(AmG, this.outputs[l - 1]!, ring);
        const { start, entries } = rowsOf[l - 1]!;
        block.fill(0, 0, outer.parameters * width);
        for (let e = 0; e < outer.param.length; e++) {
          const row = outer.param[e]! * width;
          const cRow = outer.col[e]! * C.cols;
          const rRow = outer.row[e]! * R.cols;
          for (let c = 0; c < inner.rows; c++) {
            const coefficient = C.data[cRow + c]!;
            if (coefficient === 0) continue;
            if (float) {
              for (let s = start[c]!; s < start[c + 1]!; s++) {
                const f = entries[s]!;
                block[row + inner.param[f]!]! += coefficient * R.data[rRow + inner.col[f]!]!;
              }
              continue;
            }
            for (let s = start[c]!; s < start[c + 1]!; s++) {
              const f = entries[s]!;
              const j = row + inner.param[f]!;
              block[j] = ring.add(block[j]!, ring.mul(coefficient, R.data[rRow + inner.col[f]!]!));
            }
          }
        }
        addBlockAndTranspose(out, block, offsets[m - 1]!, offsets[l - 1]!, outer.parameters, width, ring);
      }
    }
  }

  /**
   * H_F, H = H_F + H_O, and F (built when first read, or when H_O is added as its Gram). `allocate`
   * gives the two p × p matrices, zero-filled or a copy (default: fresh ones; measure.ts passes
   * workspace.ts's).
   */
  parts(allocate: (part: 'functional' | 'hessian', rows: number, cols: number, copyOf?: Float64Array) => Matrix = (_, rows, cols, copyOf) => (copyOf ? { rows, cols, data: copyOf.slice() } : zeros(rows, cols))): HessianParts {
    const p = this.parameters;
    const functional = allocate('functional', p, p);
    this.addFunctional(functional);
    const hessian = allocate('hessian', p, p, functional.data);
    let jacobian: Matrix | undefined;
    const factor = (): Matrix => (jacobian ??= this.jacobian());
    this.addOuterProduct(hessian, this.outerFromFactors() ? undefined : factor());
    return {
      parameters: p,
      ring: this.ring,
      functional,
      hessian,
      get jacobian() {
        return factor();
      },
    };
  }
}

/**
 * out[r0 + i, c0 + j] += block[i, j] and out[c0 + j, r0 + i] += block[i, j] (block rows × cols,
 * row-major), in tiles of 32 × 32 so that the transposed writes stay in cache.
 */
function addBlockAndTranspose(out: Matrix, block: Float64Array, r0: number, c0: number, rows: number, cols: number, ring: Ring): void {
  const p = out.cols;
  const d = out.data;
  const float = ring === float64Ring;
  const tile = 32;
  for (let i0 = 0; i0 < rows; i0 += tile) {
    const i1 = Math.min(i0 + tile, rows);
    for (let j0 = 0; j0 < cols; j0 += tile) {
      const j1 = Math.min(j0 + tile, cols);
      for (let i = i0; i < i1; i++) {
        const source = i * cols;
        const lower = (r0 + i) * p + c0;
        const upper = r0 + i;
        for (let j = j0; j < j1; j++) {
          const v = block[source + j]!;
          if (float) {
            d[lower + j]! += v;
            d[(c0 + j) * p + upper]! += v;
          } else {
            d[lower + j] = ring.add(d[lower + j]!, v);
            d[(c0 + j) * p + upper] = ring.add(d[(c0 + j) * p + upper]!, v);
          }
        }
      }
    }
  }
}
