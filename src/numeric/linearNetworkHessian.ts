/**
 * Hessian of a deep linear network, from partial products of the weights.
 *
 * Augmented form (covers bias): x̃ = [x; 1], W̃_l = [[W_l, b_l], [0, 1]] for l < L, W̃_L = [W_L, b_L],
 * so f(x) = W̃_L ⋯ W̃_1 x̃ and θ holds the first M_l rows of each W̃_l. With
 *   Z_l = W̃_{l:1} X̃ (layer outputs on all samples), A_l = W̃_{L:l+1} (K × M̃_l),
 *   G = [∂ℓ/∂f at each sample] (K × N; G = F − Y for mse), S_i with S_iᵀ S_i = ∇²ℓ at sample i (I for mse),
 * the parts are, for parameter (l, a, b) = W̃_l[a, b]:
 *   J[(i,k), (l,a,b)]        = A_l[k,a] · Z_{l-1}[b,i],      F = rows of S_i J_i, H_O = Fᵀ F
 *   H_O[(l,a,b), (m,c,e)]    = (A_lᵀ A_m)[a,c] · (Z_{l-1} Z_{m-1}ᵀ)[b,e]   for mse (a Kronecker product)
 *   H_F[(m,a,b), (l,c,e)]    = (W̃_{m-1:l+1})[b,c] · (A_mᵀ G Z_{l-1}ᵀ)[a,e]   for l < m, 0 for l = m
 * ([SBH21]: H_O blocks are Kronecker products, H_F is "Z-like" with zero diagonal blocks.)
 * For mse every entry is a sum of products of weights, data and targets, so the same code builds the
 * float64 Hessian and, for integer instances, the exact Hessian in Z/PZ. Cross-entropy (float64
 * only) changes G and S_i; H_O is then Σ_i J_iᵀ S_iᵀ S_i J_i.
 */
import { depth, outputDimension } from '../architecture/fullyConnected.js';
import { addGramInto, type HessianParts } from './hessianParts.js';
import { identity, intoRing, multiply, multiplyTransposed, subtract, transpose, zeros, type Matrix } from './matrix.js';
import { parameterOffsets, type NetworkInstance } from './networkInstance.js';
import { lossDerivatives } from './lossFunction.js';
import { float64Ring, type Ring } from './ring.js';

export class LinearNetworkHessian {
  readonly L: number;
  readonly ring: Ring;
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
  readonly offsets: number[];
  readonly parameters: number;
  /** M_l, the free rows of W̃_l, at index l − 1. */
  private readonly freeRows: number[] = [];

  constructor(
    readonly instance: NetworkInstance,
    ring: Ring = float64Ring,
  ) {
    const net = instance.net;
    if (net.activation !== 'linear' || (net.loss !== 'mse' && ring !== float64Ring)) {
      throw new Error('LinearNetworkHessian needs a linear network (and mse loss over Z/PZ)');
    }
    this.ring = ring;
    this.L = depth(net);
    const lift = (m: Matrix): Matrix => (ring === float64Ring ? m : intoRing(m, ring));
    for (let l = 1; l <= this.L; l++) {
      const layer = lift(instance.layers[l - 1]!);
      this.freeRows.push(layer.rows);
      if (net.bias && l < this.L) {
        const w = zeros(layer.rows + 1, layer.cols);
        w.data.set(layer.data);
        w.data[layer.rows * layer.cols + layer.cols - 1] = ring.fromInteger(1);
        this.augmented.push(w);
      } else {
        this.augmented.push(layer);
      }
    }
    const X = lift(instance.inputs);
    let Z0 = X;
    if (net.bias) {
      Z0 = zeros(X.rows + 1, X.cols);
      Z0.data.set(X.data);
      Z0.data.fill(ring.fromInteger(1), X.rows * X.cols);
    }
    this.outputs.push(Z0);
    for (let l = 1; l <= this.L; l++) this.outputs.push(multiply(this.augmented[l - 1]!, this.outputs[l - 1]!, ring));
    this.suffix[this.L] = identity(outputDimension(net));
    if (ring !== float64Ring) this.suffix[this.L] = intoRing(this.suffix[this.L]!, ring);
    for (let l = this.L - 1; l >= 0; l--) this.suffix[l] = multiply(this.suffix[l + 1]!, this.augmented[l]!, ring);
    if (net.loss === 'mse') {
      this.residuals = subtract(this.outputs[this.L]!, lift(instance.targets), ring);
      this.lossFactors = undefined;
    } else {
      const F = this.outputs[this.L]!;
      const K = F.rows;
      const N = F.cols;
      this.residuals = zeros(K, N);
      this.lossFactors = [];
      for (let i = 0; i < N; i++) {
        const f = Float64Array.from({ length: K }, (_, k) => F.data[k * N + i]!);
        const y = Float64Array.from({ length: K }, (_, k) => instance.targets.data[k * N + i]!);
        const { gradient, hessianFactor } = lossDerivatives(net.loss, f, y);
        for (let k = 0; k < K; k++) this.residuals.data[k * N + i] = gradient[k]!;
        this.lossFactors.push(hessianFactor);
      }
    }
    const layout = parameterOffsets(net);
    this.offsets = layout.offsets;
    this.parameters = layout.total;
  }

  /** W̃_{m-1:l+1} (identity when m = l + 1), M̃_{m-1} × M̃_l. */
  between(m: number, l: number): Matrix {
    let product = identity(this.augmented[l - 1]!.rows);
    if (this.ring !== float64Ring) product = intoRing(product, this.ring);
    for (let j = l + 1; j <= m - 1; j++) product = multiply(this.augmented[j - 1]!, product, this.ring);
    return product;
  }

  /** Columns of the parameter block of layer l: M̃_{l-1}. */
  inWidth(l: number): number {
    return this.augmented[l - 1]!.cols;
  }

  /** M_l, the rows of layer l's parameter block. */
  outWidth(l: number): number {
    return this.freeRows[l - 1]!;
  }

  /** A_l restricted to its first M_l columns (the free rows of W̃_l). */
  outputMap(l: number): Matrix {
    const a = this.suffix[l]!;
    const m = this.freeRows[l - 1]!;
    const out = zeros(a.rows, m);
    for (let k = 0; k < a.rows; k++) out.data.set(a.data.subarray(k * a.cols, k * a.cols + m), k * m);
    return out;
  }

  /** Output-side Kronecker factor of H_O's block (l, m): A_lᵀ A_m (free rows only). */
  outputFactor(l: number, m: number): Matrix {
    return multiply(transpose(this.outputMap(l)), this.outputMap(m), this.ring);
  }

  /** Input-side Kronecker factor of H_O's block (l, m): Z_{l-1} Z_{m-1}ᵀ. */
  inputFactor(l: number, m: number): Matrix {
    return multiplyTransposed(this.outputs[l - 1]!, this.outputs[m - 1]!, this.ring);
  }

  /** F (NK × p): row (i, s) is Σ_k S_i[s,k] ∂f_k(x_i)/∂θ (for mse, S_i = I: the Jacobian J). */
  jacobian(): Matrix {
    const N = this.instance.net.samples;
    const K = outputDimension(this.instance.net);
    const J = zeros(N * K, this.parameters);
    for (let l = 1; l <= this.L; l++) {
      const A = this.outputMap(l);
      const Z = this.outputs[l - 1]!;
      const width = this.inWidth(l);
      const rows = this.freeRows[l - 1]!;
      for (let i = 0; i < N; i++) {
        for (let k = 0; k < K; k++) {
          const base = (i * K + k) * this.parameters + this.offsets[l - 1]!;
          for (let a = 0; a < rows; a++) {
            const akA = A.data[k * rows + a]!;
            for (let b = 0; b < width; b++) J.data[base + a * width + b] = this.ring.mul(akA, Z.data[b * N + i]!);
          }
        }
      }
    }
    if (!this.lossFactors) return J;
    const F = zeros(N * K, this.parameters);
    const p = this.parameters;
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

  /** Adds H_O into `out` (p × p). */
  addOuterProduct(out: Matrix): void {
    const p = this.parameters;
    if (this.lossFactors) {
      addGramInto(out, this.jacobian(), this.ring);
      return;
    }
    for (let l = 1; l <= this.L; l++) {
      for (let m = 1; m <= this.L; m++) {
        const P = this.outputFactor(l, m);
        const Q = this.inputFactor(l, m);
        const wl = this.inWidth(l);
        const wm = this.inWidth(m);
        for (let a = 0; a < P.rows; a++) {
          for (let b = 0; b < wl; b++) {
            const row = (this.offsets[l - 1]! + a * wl + b) * p + this.offsets[m - 1]!;
            for (let c = 0; c < P.cols; c++) {
              const pac = P.data[a * P.cols + c]!;
              for (let e = 0; e < wm; e++) {
                const idx = row + c * wm + e;
                out.data[idx] = this.ring.add(out.data[idx]!, this.ring.mul(pac, Q.data[b * wm + e]!));
              }
            }
          }
        }
      }
    }
  }

  /** The factor A_mᵀ G Z_{l-1}ᵀ (M_m × M̃_{l-1}) of H_F's block (m, l). */
  residualFactor(m: number, l: number): Matrix {
    const G = multiplyTransposed(this.residuals, this.outputs[l - 1]!, this.ring);
    return multiply(transpose(this.outputMap(m)), G, this.ring);
  }

  /** Adds H_F into `out` (p × p): both off-diagonal blocks (m, l) and (l, m) for every l < m. */
  addFunctional(out: Matrix): void {
    const p = this.parameters;
    for (let m = 2; m <= this.L; m++) {
      for (let l = 1; l < m; l++) {
        const C = this.between(m, l);
        const R = this.residualFactor(m, l);
        const wm = this.inWidth(m);
        const wl = this.inWidth(l);
        const rowsM = this.freeRows[m - 1]!;
        const rowsL = this.freeRows[l - 1]!;
        for (let a = 0; a < rowsM; a++) {
          for (let b = 0; b < wm; b++) {
            const i = this.offsets[m - 1]! + a * wm + b;
            for (let c = 0; c < rowsL; c++) {
              const cbc = C.data[b * C.cols + c]!;
              if (cbc === 0) continue;
              for (let e = 0; e < wl; e++) {
                const j = this.offsets[l - 1]! + c * wl + e;
                const v = this.ring.mul(cbc, R.data[a * wl + e]!);
                out.data[i * p + j] = this.ring.add(out.data[i * p + j]!, v);
                out.data[j * p + i] = this.ring.add(out.data[j * p + i]!, v);
              }
            }
          }
        }
      }
    }
  }

  parts(): HessianParts {
    const p = this.parameters;
    const functional = zeros(p, p);
    this.addFunctional(functional);
    const hessian = { rows: p, cols: p, data: functional.data.slice() };
    this.addOuterProduct(hessian);
    return { parameters: p, ring: this.ring, jacobian: this.jacobian(), functional, hessian };
  }
}
