/**
 * An independent reference for the tests: the Hessian of any fully-connected network (linear, relu,
 * tanh; mse, ce; bias), float64, with dense matrices. The library measures fully-connected networks
 * with the general shared-weight builder (src/numeric/sharedWeightHessian.ts on dense patterns); this
 * separate implementation checks it (proofs-tests/numeric/hessianOracle.test.ts).
 *
 *   F   = stacked rows of S_i J_i with S_iᵀ S_i = ∇²ℓ(f(x_i), y_i), so H_O = Fᵀ F
 *   H_F = Σ_i ∇²_θ ⟨g_i, f_θ(x_i)⟩ with g_i = ∂ℓ/∂f held fixed: its own sum, never H − H_O
 *
 * J_i comes from K backward passes per sample (seeds: the rows of S_i). The per-sample Hessian of
 * ⟨g_i, f⟩ is forward-over-reverse differentiation with all p tangent directions at once: tangents
 * of the pre-activations z_l and of the backward vectors δ_l are M_l × p matrices.
 */
import { depth, outputDimension } from '../../src/architecture/fullyConnected.js';
import { activationDerivatives } from '../../src/numeric/activation.js';
import type { HessianParts } from '../../src/numeric/hessianParts.js';
import { addGramInto } from '../../src/numeric/hessianParts.js';
import { lossDerivatives } from '../../src/numeric/lossFunction.js';
import { zeros, type Matrix } from '../../src/numeric/matrix.js';
import { parameterOffsets, type NetworkInstance } from '../../src/numeric/networkInstance.js';
import { float64Ring } from '../../src/numeric/ring.js';

interface ForwardPass {
  /** ã_{l} = [a_l; 1 if bias] at index l (ã_0 = x̃). */
  inputs: Float64Array[];
  /** z_l at index l (index 0 unused). */
  preActivations: Float64Array[];
  output: Float64Array;
}

export class NetworkHessian {
  readonly L: number;
  readonly offsets: number[];
  readonly parameters: number;
  private readonly sigma;

  constructor(readonly instance: NetworkInstance) {
    this.L = depth(instance.net);
    const layout = parameterOffsets(instance.net);
    this.offsets = layout.offsets;
    this.parameters = layout.total;
    this.sigma = activationDerivatives[instance.net.activation];
  }

  private sampleInput(i: number): Float64Array {
    const X = this.instance.inputs;
    const x = new Float64Array(X.rows + (this.instance.net.bias ? 1 : 0));
    for (let j = 0; j < X.rows; j++) x[j] = X.data[j * X.cols + i]!;
    if (this.instance.net.bias) x[X.rows] = 1;
    return x;
  }

  private sampleTarget(i: number): Float64Array {
    const Y = this.instance.targets;
    const y = new Float64Array(Y.rows);
    for (let k = 0; k < Y.rows; k++) y[k] = Y.data[k * Y.cols + i]!;
    return y;
  }

  forward(x: Float64Array): ForwardPass {
    const bias = this.instance.net.bias;
    const inputs = [x];
    const preActivations = [new Float64Array(0)];
    let output = new Float64Array(0);
    for (let l = 1; l <= this.L; l++) {
      const layer = this.instance.layers[l - 1]!;
      const a = inputs[l - 1]!;
      const z = new Float64Array(layer.rows);
      for (let r = 0; r < layer.rows; r++) {
        let s = 0;
        for (let c = 0; c < layer.cols; c++) s += layer.data[r * layer.cols + c]! * a[c]!;
        z[r] = s;
      }
      preActivations.push(z);
      if (l === this.L) {
        output = z;
      } else {
        const next = new Float64Array(layer.rows + (bias ? 1 : 0));
        for (let r = 0; r < layer.rows; r++) next[r] = this.sigma.value(z[r]!);
        if (bias) next[layer.rows] = 1;
        inputs.push(next);
      }
    }
    return { inputs, preActivations, output };
  }

  /** ℒ(θ) = Σ_i ℓ(f(x_i), y_i): used by the finite-difference checks. */
  loss(): number {
    let total = 0;
    for (let i = 0; i < this.instance.net.samples; i++) {
      const pass = this.forward(this.sampleInput(i));
      total += lossDerivatives(this.instance.net.loss, pass.output, this.sampleTarget(i)).value;
    }
    return total;
  }

  /** ∇_θ ⟨seed, f(x)⟩ added into `out` at `offset`, scaled by `scale`. */
  private backward(pass: ForwardPass, seed: Float64Array, out: Float64Array, offset: number): void {
    let delta = seed;
    for (let l = this.L; l >= 1; l--) {
      const layer = this.instance.layers[l - 1]!;
      const a = pass.inputs[l - 1]!;
      const base = offset + this.offsets[l - 1]!;
      for (let r = 0; r < layer.rows; r++) {
        const dr = delta[r]!;
        if (dr === 0) continue;
        for (let c = 0; c < layer.cols; c++) out[base + r * layer.cols + c]! += dr * a[c]!;
      }
      if (l > 1) {
        const z = pass.preActivations[l - 1]!;
        const next = new Float64Array(z.length);
        for (let c = 0; c < z.length; c++) {
          let s = 0;
          for (let r = 0; r < layer.rows; r++) s += layer.data[r * layer.cols + c]! * delta[r]!;
          next[c] = this.sigma.first(z[c]!) * s;
        }
        delta = next;
      }
    }
  }

  /** Gradient of ℒ (finite-difference checks, tests). */
  gradient(): Float64Array {
    const g = new Float64Array(this.parameters);
    for (let i = 0; i < this.instance.net.samples; i++) {
      const pass = this.forward(this.sampleInput(i));
      const { gradient } = lossDerivatives(this.instance.net.loss, pass.output, this.sampleTarget(i));
      this.backward(pass, gradient, g, 0);
    }
    return g;
  }

  /** F (NK × p): rows S_i J_i. */
  jacobian(): Matrix {
    const K = outputDimension(this.instance.net);
    const N = this.instance.net.samples;
    const F = zeros(N * K, this.parameters);
    for (let i = 0; i < N; i++) {
      const pass = this.forward(this.sampleInput(i));
      const { hessianFactor } = lossDerivatives(this.instance.net.loss, pass.output, this.sampleTarget(i));
      for (let k = 0; k < K; k++) {
        this.backward(pass, hessianFactor.subarray(k * K, (k + 1) * K), F.data, (i * K + k) * this.parameters);
      }
    }
    return F;
  }

  /** Adds ∇²_θ ⟨g, f(x)⟩ (g fixed) into `out` (p × p). */
  private addSampleFunctional(pass: ForwardPass, g: Float64Array, out: Float64Array): void {
    const p = this.parameters;
    const L = this.L;
    const layers = this.instance.layers;
    const sigma = this.sigma;
    // Forward tangents: Tz[l] = ∂z_l/∂θ, Ta[l] = ∂a_l/∂θ (M_l × p); only columns < offsets[l] + block are nonzero.
    const Tz: Float64Array[] = [new Float64Array(0)];
    const Ta: Float64Array[] = [new Float64Array(0)];
    for (let l = 1; l <= L; l++) {
      const layer = layers[l - 1]!;
      const width = layer.cols;
      const hidden = pass.inputs[l - 1]!.length - (this.instance.net.bias ? 1 : 0);
      const tz = new Float64Array(layer.rows * p);
      const prev = Ta[l - 1]!;
      const reach = this.offsets[l - 1]!; // columns of earlier layers
      if (l > 1) {
        for (let r = 0; r < layer.rows; r++) {
          const row = r * p;
          for (let c = 0; c < hidden; c++) {
            const w = layer.data[r * width + c]!;
            if (w === 0) continue;
            const pr = c * p;
            for (let j = 0; j < reach; j++) tz[row + j]! += w * prev[pr + j]!;
          }
        }
      }
      const a = pass.inputs[l - 1]!;
      for (let r = 0; r < layer.rows; r++) {
        const base = r * p + this.offsets[l - 1]! + r * width;
        for (let c = 0; c < width; c++) tz[base + c]! += a[c]!;
      }
      Tz.push(tz);
      if (l < L) {
        const z = pass.preActivations[l]!;
        const ta = new Float64Array(layer.rows * p);
        for (let r = 0; r < layer.rows; r++) {
          const s = sigma.first(z[r]!);
          for (let j = 0; j < p; j++) ta[r * p + j] = s * tz[r * p + j]!;
        }
        Ta.push(ta);
      }
    }
    // Backward with tangents: delta = ∂⟨g,f⟩/∂z_l, Td = its derivative along θ.
    let delta = g;
    let Td = new Float64Array(g.length * p);
    for (let l = L; l >= 1; l--) {
      const layer = layers[l - 1]!;
      const width = layer.cols;
      const a = pass.inputs[l - 1]!;
      const hidden = a.length - (this.instance.net.bias ? 1 : 0);
      const prevTa = Ta[l - 1]!;
      // Rows of the Hessian for W̃_l[r, c]: Td[r]·ã[c] + δ[r]·∂ã[c]/∂θ.
      for (let r = 0; r < layer.rows; r++) {
        const tdr = r * p;
        const dr = delta[r]!;
        for (let c = 0; c < width; c++) {
          const row = (this.offsets[l - 1]! + r * width + c) * p;
          const ac = a[c]!;
          if (ac !== 0) for (let j = 0; j < p; j++) out[row + j]! += ac * Td[tdr + j]!;
          if (l > 1 && c < hidden && dr !== 0) {
            const tc = c * p;
            for (let j = 0; j < p; j++) out[row + j]! += dr * prevTa[tc + j]!;
          }
        }
      }
      if (l === 1) break;
      // u = W_lᵀ δ, Tu = W_lᵀ Td + (∂W_l/∂θ)ᵀ δ
      const u = new Float64Array(hidden);
      const Tu = new Float64Array(hidden * p);
      for (let r = 0; r < layer.rows; r++) {
        const dr = delta[r]!;
        for (let c = 0; c < hidden; c++) {
          const w = layer.data[r * width + c]!;
          u[c]! += w * dr;
          if (w !== 0) {
            const tc = c * p;
            const tdr = r * p;
            for (let j = 0; j < p; j++) Tu[tc + j]! += w * Td[tdr + j]!;
          }
          Tu[c * p + this.offsets[l - 1]! + r * width + c]! += dr;
        }
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
        for (let j = 0; j < p; j++) nextTd[tc + j] = s1 * Tu[tc + j]! + s2 * tz[tc + j]!;
      }
      delta = nextDelta;
      Td = nextTd;
    }
  }

  /** H_F (p × p), as its own sum over samples; symmetrised to remove rounding asymmetry. */
  functional(): Matrix {
    const p = this.parameters;
    const H = zeros(p, p);
    for (let i = 0; i < this.instance.net.samples; i++) {
      const pass = this.forward(this.sampleInput(i));
      const { gradient } = lossDerivatives(this.instance.net.loss, pass.output, this.sampleTarget(i));
      this.addSampleFunctional(pass, gradient, H.data);
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
