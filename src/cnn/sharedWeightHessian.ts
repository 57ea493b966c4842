/**
 * Hessian of a network with shared weights (a CNN), any activation and loss, float64.
 *
 * Layer l computes z_l = W̃_l ã_{l-1} with W̃_l = Σ_e θ[param_e] E_{row_e, col_e} (src/cnn/toeplitz.ts),
 * ã_l = [σ(z_l); 1 if bias], f = z_L. Because W̃_l is linear in θ, the chain rule only ever meets
 * ∂W̃_l/∂θ_j = Σ_{e: param_e = j} E_{row_e, col_e}: weight sharing is exact, no averaging.
 *   F   = stacked rows S_i J_i with S_iᵀ S_i = ∇²ℓ(f(x_i), y_i), so H_O = Fᵀ F
 *   H_F = Σ_i ∇²_θ ⟨g_i, f_θ(x_i)⟩ with g_i = ∂ℓ/∂f held fixed: its own sum, never H − H_O
 * H_F is forward-over-reverse with all p tangent directions at once, as in
 * src/numeric/networkHessian.ts (the fully-connected case: every entry its own parameter), with the
 * dense products replaced by sums over pattern entries: O(N · Σ_l nnz(W̃_l) · p) per Hessian.
 */
import { activationDerivatives } from '../numeric/activation.js';
import { addGramInto, type HessianParts } from '../numeric/hessianParts.js';
import { lossDerivatives } from '../numeric/lossFunction.js';
import { zeros, type Matrix } from '../numeric/matrix.js';
import { float64Ring } from '../numeric/ring.js';
import type { Activation, Loss } from '../architecture/fullyConnected.js';
import type { SharedWeightNetwork } from './convolutionalInstance.js';

interface ForwardPass {
  /** ã_l at index l (ã_0 = x̃) for l < L */
  inputs: Float64Array[];
  /** z_l at index l (index 0 unused) */
  preActivations: Float64Array[];
  output: Float64Array;
}

export class SharedWeightHessian {
  readonly L: number;
  readonly parameters: number;
  private readonly sigma;

  constructor(
    readonly network: SharedWeightNetwork,
    readonly activation: Activation,
    readonly loss: Loss,
  ) {
    this.L = network.patterns.length;
    this.parameters = network.parameters;
    this.sigma = activationDerivatives[activation];
  }

  private get samples(): number {
    return this.network.inputs.cols;
  }

  private sampleInput(i: number): Float64Array {
    const X = this.network.inputs;
    const x = new Float64Array(X.rows + (this.network.bias ? 1 : 0));
    for (let j = 0; j < X.rows; j++) x[j] = X.data[j * X.cols + i]!;
    if (this.network.bias) x[X.rows] = 1;
    return x;
  }

  private sampleTarget(i: number): Float64Array {
    const Y = this.network.targets;
    const y = new Float64Array(Y.rows);
    for (let k = 0; k < Y.rows; k++) y[k] = Y.data[k * Y.cols + i]!;
    return y;
  }

  /** θ value of pattern entry e of layer l. */
  private weight(l: number, e: number): number {
    return this.network.theta[this.network.offsets[l - 1]! + this.network.patterns[l - 1]!.param[e]!]!;
  }

  forward(x: Float64Array): ForwardPass {
    const inputs = [x];
    const preActivations = [new Float64Array(0)];
    let output = new Float64Array(0);
    for (let l = 1; l <= this.L; l++) {
      const pattern = this.network.patterns[l - 1]!;
      const a = inputs[l - 1]!;
      const z = new Float64Array(pattern.rows);
      for (let e = 0; e < pattern.param.length; e++) z[pattern.row[e]!]! += this.weight(l, e) * a[pattern.col[e]!]!;
      preActivations.push(z);
      if (l === this.L) output = z;
      else {
        const next = new Float64Array(pattern.rows + (this.network.bias ? 1 : 0));
        for (let r = 0; r < pattern.rows; r++) next[r] = this.sigma.value(z[r]!);
        if (this.network.bias) next[pattern.rows] = 1;
        inputs.push(next);
      }
    }
    return { inputs, preActivations, output };
  }

  /** f(x) for one input x (without the bias 1), for tests. */
  evaluate(x: ArrayLike<number>): Float64Array {
    const input = new Float64Array(x.length + (this.network.bias ? 1 : 0));
    input.set(Array.from(x));
    if (this.network.bias) input[x.length] = 1;
    return this.forward(input).output;
  }

  /** ℒ(θ) = Σ_i ℓ(f(x_i), y_i). */
  lossValue(): number {
    let total = 0;
    for (let i = 0; i < this.samples; i++) {
      total += lossDerivatives(this.loss, this.forward(this.sampleInput(i)).output, this.sampleTarget(i)).value;
    }
    return total;
  }

  /** ∇_θ ⟨seed, f(x)⟩ added into `out` at `offset`. */
  private backward(pass: ForwardPass, seed: Float64Array, out: Float64Array, offset: number): void {
    let delta = seed;
    for (let l = this.L; l >= 1; l--) {
      const pattern = this.network.patterns[l - 1]!;
      const a = pass.inputs[l - 1]!;
      const base = offset + this.network.offsets[l - 1]!;
      for (let e = 0; e < pattern.param.length; e++) out[base + pattern.param[e]!]! += delta[pattern.row[e]!]! * a[pattern.col[e]!]!;
      if (l > 1) {
        const z = pass.preActivations[l - 1]!;
        const u = new Float64Array(z.length);
        for (let e = 0; e < pattern.param.length; e++) {
          const c = pattern.col[e]!;
          if (c < z.length) u[c]! += this.weight(l, e) * delta[pattern.row[e]!]!;
        }
        for (let c = 0; c < z.length; c++) u[c] = this.sigma.first(z[c]!) * u[c]!;
        delta = u;
      }
    }
  }

  gradient(): Float64Array {
    const g = new Float64Array(this.parameters);
    for (let i = 0; i < this.samples; i++) {
      const pass = this.forward(this.sampleInput(i));
      this.backward(pass, lossDerivatives(this.loss, pass.output, this.sampleTarget(i)).gradient, g, 0);
    }
    return g;
  }

  /** F (NK × p): rows S_i J_i. */
  jacobian(): Matrix {
    const K = this.network.targets.rows;
    const F = zeros(this.samples * K, this.parameters);
    for (let i = 0; i < this.samples; i++) {
      const pass = this.forward(this.sampleInput(i));
      const { hessianFactor } = lossDerivatives(this.loss, pass.output, this.sampleTarget(i));
      for (let k = 0; k < K; k++) this.backward(pass, hessianFactor.subarray(k * K, (k + 1) * K), F.data, (i * K + k) * this.parameters);
    }
    return F;
  }

  /** Adds ∇²_θ ⟨g, f(x)⟩ (g fixed) into `out` (p × p). */
  private addSampleFunctional(pass: ForwardPass, g: Float64Array, out: Float64Array): void {
    const p = this.parameters;
    const { patterns, offsets } = this.network;
    const sigma = this.sigma;
    // Forward tangents Tz[l] = ∂z_l/∂θ, Ta[l] = ∂a_l/∂θ (rows × p); only columns of layers ≤ l are nonzero.
    const Tz: Float64Array[] = [new Float64Array(0)];
    const Ta: Float64Array[] = [new Float64Array(0)];
    for (let l = 1; l <= this.L; l++) {
      const pattern = patterns[l - 1]!;
      const tz = new Float64Array(pattern.rows * p);
      const prev = Ta[l - 1]!;
      const hidden = l > 1 ? patterns[l - 2]!.rows : 0;
      const reach = offsets[l - 1]!;
      const a = pass.inputs[l - 1]!;
      for (let e = 0; e < pattern.param.length; e++) {
        const r = pattern.row[e]! * p;
        const c = pattern.col[e]!;
        if (c < hidden) {
          const w = this.weight(l, e);
          const pc = c * p;
          for (let j = 0; j < reach; j++) tz[r + j]! += w * prev[pc + j]!;
        }
        tz[r + offsets[l - 1]! + pattern.param[e]!]! += a[c]!;
      }
      Tz.push(tz);
      if (l < this.L) {
        const z = pass.preActivations[l]!;
        const ta = new Float64Array(pattern.rows * p);
        // only the columns of layers ≤ l are nonzero
        const width = offsets[l - 1]! + pattern.parameters;
        for (let r = 0; r < pattern.rows; r++) {
          const s = sigma.first(z[r]!);
          for (let j = 0; j < width; j++) ta[r * p + j] = s * tz[r * p + j]!;
        }
        Ta.push(ta);
      }
    }
    // Backward with tangents: δ = ∂⟨g,f⟩/∂z_l and Td = ∂δ/∂θ.
    let delta = g;
    let Td = new Float64Array(g.length * p);
    for (let l = this.L; l >= 1; l--) {
      const pattern = patterns[l - 1]!;
      const a = pass.inputs[l - 1]!;
      const hidden = l > 1 ? patterns[l - 2]!.rows : 0;
      const prevTa = Ta[l - 1]!;
      // row of θ_j: Σ_{e: param_e = j} ( ã[col_e] · Td[row_e] + δ[row_e] · ∂ã[col_e]/∂θ )
      for (let e = 0; e < pattern.param.length; e++) {
        const row = (offsets[l - 1]! + pattern.param[e]!) * p;
        const r = pattern.row[e]!;
        const c = pattern.col[e]!;
        const ac = a[c]!;
        const tdr = r * p;
        if (ac !== 0) for (let j = 0; j < p; j++) out[row + j]! += ac * Td[tdr + j]!;
        const dr = delta[r]!;
        if (c < hidden && dr !== 0) {
          // ∂ã_{l-1}/∂θ lives on the columns of layers < l
          const tc = c * p;
          const width = offsets[l - 1]!;
          for (let j = 0; j < width; j++) out[row + j]! += dr * prevTa[tc + j]!;
        }
      }
      if (l === 1) break;
      // u = W̃ᵀ δ on the hidden units, Tu = W̃ᵀ Td + (∂W̃/∂θ)ᵀ δ
      const u = new Float64Array(hidden);
      const Tu = new Float64Array(hidden * p);
      for (let e = 0; e < pattern.param.length; e++) {
        const c = pattern.col[e]!;
        if (c >= hidden) continue;
        const r = pattern.row[e]!;
        const w = this.weight(l, e);
        u[c]! += w * delta[r]!;
        const tc = c * p;
        const tdr = r * p;
        if (w !== 0) for (let j = 0; j < p; j++) Tu[tc + j]! += w * Td[tdr + j]!;
        Tu[tc + offsets[l - 1]! + pattern.param[e]!]! += delta[r]!;
      }
      const z = pass.preActivations[l - 1]!;
      const tz = Tz[l - 1]!;
      const nextDelta = new Float64Array(hidden);
      const nextTd = new Float64Array(hidden * p);
      for (let c = 0; c < hidden; c++) {
        const s1 = sigma.first(z[c]!);
        const s2 = sigma.second(z[c]!) * u[c]!;
        nextDelta[c] = s1 * u[c]!;
        const tc = c * p;
        const width = offsets[l - 1]!; // ∂z_{l-1}/∂θ: the columns of layers < l
        for (let j = 0; j < p; j++) nextTd[tc + j] = s1 * Tu[tc + j]!;
        if (s2 !== 0) for (let j = 0; j < width; j++) nextTd[tc + j]! += s2 * tz[tc + j]!;
      }
      delta = nextDelta;
      Td = nextTd;
    }
  }

  /** H_F (p × p), its own sum over samples; symmetrised to remove rounding asymmetry. */
  functional(): Matrix {
    const p = this.parameters;
    const H = zeros(p, p);
    for (let i = 0; i < this.samples; i++) {
      const pass = this.forward(this.sampleInput(i));
      this.addSampleFunctional(pass, lossDerivatives(this.loss, pass.output, this.sampleTarget(i)).gradient, H.data);
    }
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < i; j++) {
        const s = 0.5 * (H.data[i * p + j]! + H.data[j * p + i]!);
        H.data[i * p + j] = s;
        H.data[j * p + i] = s;
      }
    }
    return H;
  }

  parts(): HessianParts {
    const jacobian = this.jacobian();
    const functional = this.functional();
    const hessian = { rows: functional.rows, cols: functional.cols, data: functional.data.slice() };
    addGramInto(hessian, jacobian, float64Ring);
    return { parameters: this.parameters, ring: float64Ring, jacobian, functional, hessian };
  }
}
