/**
 * Hessian of a network with shared weights (a CNN, or a fully-connected network as dense patterns),
 * any activation and loss, float64; or, for a ReLU (or linear) mse network on an integer instance,
 * exactly in Z/PZ with the instance's exact activation pattern (σ' ∈ {0, 1}, σ'' = 0;
 * src/numeric/activationPattern.ts): every step is then a sum of products of integers.
 *
 * Layer l computes z_l = W̃_l ã_{l-1} with W̃_l = Σ_e θ[param_e] E_{row_e, col_e} (sharedWeightNetwork.ts),
 * ã_l = [σ(z_l); 1 if bias], f = z_L. Because W̃_l is linear in θ, the chain rule only ever meets
 * ∂W̃_l/∂θ_j = Σ_{e: param_e = j} E_{row_e, col_e}: weight sharing is exact, no averaging.
 *   F   = stacked rows S_i J_i with S_iᵀ S_i = ∇²ℓ(f(x_i), y_i), so H_O = Fᵀ F
 *   H_F = Σ_i ∇²_θ ⟨g_i, f_θ(x_i)⟩ with g_i = ∂ℓ/∂f held fixed: its own sum, never H − H_O
 * H_F is forward-over-reverse with all p tangent directions at once, as in the dense reference
 * proofs-tests/numeric/referenceNetworkHessian.ts (every entry its own parameter), with the
 * dense products replaced by sums over pattern entries: O(N · Σ_l nnz(W̃_l) · p) per Hessian.
 */
import { activationDerivatives } from './activation.js';
import { addGramInto, type HessianParts } from './hessianParts.js';
import { lossDerivatives } from './lossFunction.js';
import { zeros, type Matrix } from './matrix.js';
import { float64Ring, type PrimeField, type Ring } from './ring.js';
import type { ActivationPattern } from './activationPattern.js';
import type { Activation, Loss } from '../architecture/fullyConnected.js';
import type { SharedWeightNetwork } from './sharedWeightNetwork.js';

interface ForwardPass {
  /** ã_l at index l (ã_0 = x̃) for l < L */
  inputs: Float64Array[];
  /** z_l at index l (index 0 unused) */
  preActivations: Float64Array[];
  /** σ'(z_l), σ''(z_l) at index l < L */
  slopes: Float64Array[];
  curvatures: Float64Array[];
  output: Float64Array;
}

export class SharedWeightHessian {
  readonly L: number;
  readonly parameters: number;
  readonly ring: Ring;
  private readonly sigma;
  private readonly theta: Float64Array;
  private readonly X: Matrix;
  private readonly Y: Matrix;
  private readonly pattern?: ActivationPattern;

  /** float64 (default), or over a prime field for an integer relu/linear mse instance with its exact activation pattern. */
  constructor(
    readonly network: SharedWeightNetwork,
    readonly activation: Activation,
    readonly loss: Loss,
    field?: { field: PrimeField; pattern: ActivationPattern },
  ) {
    this.L = network.patterns.length;
    this.parameters = network.parameters;
    this.sigma = activationDerivatives[activation];
    if (field) {
      if (loss !== 'mse' || activation === 'tanh') throw new Error('SharedWeightHessian over Z/PZ needs a linear or relu network with mse loss');
      const F = field.field;
      this.ring = F;
      this.pattern = field.pattern;
      this.theta = network.theta.map((v) => F.fromInteger(v));
      this.X = { ...network.inputs, data: network.inputs.data.map((v) => F.fromInteger(v)) };
      this.Y = { ...network.targets, data: network.targets.data.map((v) => F.fromInteger(v)) };
    } else {
      this.ring = float64Ring;
      this.theta = network.theta;
      this.X = network.inputs;
      this.Y = network.targets;
    }
  }

  private get samples(): number {
    return this.network.inputs.cols;
  }

  private sampleInput(i: number): Float64Array {
    const X = this.X;
    const x = new Float64Array(X.rows + (this.network.bias ? 1 : 0));
    for (let j = 0; j < X.rows; j++) x[j] = X.data[j * X.cols + i]!;
    if (this.network.bias) x[X.rows] = this.ring.fromInteger(1);
    return x;
  }

  private sampleTarget(i: number): Float64Array {
    const Y = this.Y;
    const y = new Float64Array(Y.rows);
    for (let k = 0; k < Y.rows; k++) y[k] = Y.data[k * Y.cols + i]!;
    return y;
  }

  /** θ value of pattern entry e of layer l. */
  private weight(l: number, e: number): number {
    return this.theta[this.network.offsets[l - 1]! + this.network.patterns[l - 1]!.param[e]!]!;
  }

  /** The forward pass on x̃ (float64), or on sample `sample` (needed over Z/PZ: its activation pattern). */
  forward(x: Float64Array, sample?: number): ForwardPass {
    const { add, mul } = this.ring;
    const float = this.ring === float64Ring;
    const inputs = [x];
    const preActivations = [new Float64Array(0)];
    const slopes = [new Float64Array(0)];
    const curvatures = [new Float64Array(0)];
    let output = new Float64Array(0);
    for (let l = 1; l <= this.L; l++) {
      const pattern = this.network.patterns[l - 1]!;
      const a = inputs[l - 1]!;
      const z = new Float64Array(pattern.rows);
      for (let e = 0; e < pattern.param.length; e++) {
        const r = pattern.row[e]!;
        z[r] = float ? z[r]! + this.weight(l, e) * a[pattern.col[e]!]! : add(z[r]!, mul(this.weight(l, e), a[pattern.col[e]!]!));
      }
      preActivations.push(z);
      if (l === this.L) output = z;
      else {
        const next = new Float64Array(pattern.rows + (this.network.bias ? 1 : 0));
        const slope = new Float64Array(pattern.rows);
        const curvature = new Float64Array(pattern.rows);
        if (float) {
          for (let r = 0; r < pattern.rows; r++) {
            next[r] = this.sigma.value(z[r]!);
            slope[r] = this.sigma.first(z[r]!);
            curvature[r] = this.sigma.second(z[r]!);
          }
        } else {
          const mask = this.activation === 'relu' ? this.pattern![sample!]![l]! : undefined;
          for (let r = 0; r < pattern.rows; r++) {
            slope[r] = mask ? mask[r]! : 1;
            next[r] = slope[r] === 1 ? z[r]! : 0;
          }
        }
        if (this.network.bias) next[pattern.rows] = this.ring.fromInteger(1);
        inputs.push(next);
        slopes.push(slope);
        curvatures.push(curvature);
      }
    }
    return { inputs, preActivations, slopes, curvatures, output };
  }

  private forwardSample(i: number): ForwardPass {
    return this.forward(this.sampleInput(i), i);
  }

  /** g_i = ∂ℓ/∂f and S_i at a sample; over Z/PZ (mse) g = f − y, S = I. */
  private lossAt(pass: ForwardPass, i: number): { gradient: Float64Array; hessianFactor: Float64Array } {
    if (this.ring === float64Ring) return lossDerivatives(this.loss, pass.output, this.sampleTarget(i));
    const y = this.sampleTarget(i);
    const K = y.length;
    const hessianFactor = new Float64Array(K * K);
    for (let k = 0; k < K; k++) hessianFactor[k * K + k] = 1;
    return { gradient: pass.output.map((v, k) => this.ring.sub(v, y[k]!)), hessianFactor };
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
    const { add, mul } = this.ring;
    const float = this.ring === float64Ring;
    let delta = seed;
    for (let l = this.L; l >= 1; l--) {
      const pattern = this.network.patterns[l - 1]!;
      const a = pass.inputs[l - 1]!;
      const base = offset + this.network.offsets[l - 1]!;
      for (let e = 0; e < pattern.param.length; e++) {
        const at = base + pattern.param[e]!;
        out[at] = float ? out[at]! + delta[pattern.row[e]!]! * a[pattern.col[e]!]! : add(out[at]!, mul(delta[pattern.row[e]!]!, a[pattern.col[e]!]!));
      }
      if (l > 1) {
        const slope = pass.slopes[l - 1]!;
        const u = new Float64Array(slope.length);
        for (let e = 0; e < pattern.param.length; e++) {
          const c = pattern.col[e]!;
          if (c < slope.length) u[c] = float ? u[c]! + this.weight(l, e) * delta[pattern.row[e]!]! : add(u[c]!, mul(this.weight(l, e), delta[pattern.row[e]!]!));
        }
        for (let c = 0; c < slope.length; c++) u[c] = float ? slope[c]! * u[c]! : slope[c] === 1 ? u[c]! : 0;
        delta = u;
      }
    }
  }

  gradient(): Float64Array {
    const g = new Float64Array(this.parameters);
    for (let i = 0; i < this.samples; i++) {
      const pass = this.forwardSample(i);
      this.backward(pass, this.lossAt(pass, i).gradient, g, 0);
    }
    return g;
  }

  /** F (NK × p): rows S_i J_i. */
  jacobian(): Matrix {
    const K = this.network.targets.rows;
    const F = zeros(this.samples * K, this.parameters);
    for (let i = 0; i < this.samples; i++) {
      const pass = this.forwardSample(i);
      const { hessianFactor } = this.lossAt(pass, i);
      for (let k = 0; k < K; k++) this.backward(pass, hessianFactor.subarray(k * K, (k + 1) * K), F.data, (i * K + k) * this.parameters);
    }
    return F;
  }

  /** Adds ∇²_θ ⟨g, f(x)⟩ (g fixed) into `out` (p × p). */
  private addSampleFunctional(pass: ForwardPass, g: Float64Array, out: Float64Array): void {
    const p = this.parameters;
    const { patterns, offsets } = this.network;
    const { add, mul } = this.ring;
    const float = this.ring === float64Ring;
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
          if (float) for (let j = 0; j < reach; j++) tz[r + j]! += w * prev[pc + j]!;
          else if (w !== 0) for (let j = 0; j < reach; j++) tz[r + j] = add(tz[r + j]!, mul(w, prev[pc + j]!));
        }
        const at = r + offsets[l - 1]! + pattern.param[e]!;
        tz[at] = add(tz[at]!, a[c]!);
      }
      Tz.push(tz);
      if (l < this.L) {
        const slope = pass.slopes[l]!;
        const ta = new Float64Array(pattern.rows * p);
        // only the columns of layers ≤ l are nonzero
        const width = offsets[l - 1]! + pattern.parameters;
        for (let r = 0; r < pattern.rows; r++) {
          const s = slope[r]!;
          if (float) for (let j = 0; j < width; j++) ta[r * p + j] = s * tz[r * p + j]!;
          else if (s === 1) ta.set(tz.subarray(r * p, r * p + width), r * p);
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
        if (ac !== 0) {
          if (float) for (let j = 0; j < p; j++) out[row + j]! += ac * Td[tdr + j]!;
          else for (let j = 0; j < p; j++) out[row + j] = add(out[row + j]!, mul(ac, Td[tdr + j]!));
        }
        const dr = delta[r]!;
        if (c < hidden && dr !== 0) {
          // ∂ã_{l-1}/∂θ lives on the columns of layers < l
          const tc = c * p;
          const width = offsets[l - 1]!;
          if (float) for (let j = 0; j < width; j++) out[row + j]! += dr * prevTa[tc + j]!;
          else for (let j = 0; j < width; j++) out[row + j] = add(out[row + j]!, mul(dr, prevTa[tc + j]!));
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
        u[c] = add(u[c]!, mul(w, delta[r]!));
        const tc = c * p;
        const tdr = r * p;
        if (w !== 0) {
          if (float) for (let j = 0; j < p; j++) Tu[tc + j]! += w * Td[tdr + j]!;
          else for (let j = 0; j < p; j++) Tu[tc + j] = add(Tu[tc + j]!, mul(w, Td[tdr + j]!));
        }
        const at = tc + offsets[l - 1]! + pattern.param[e]!;
        Tu[at] = add(Tu[at]!, delta[r]!);
      }
      const slope = pass.slopes[l - 1]!;
      const curvature = pass.curvatures[l - 1]!;
      const tz = Tz[l - 1]!;
      const nextDelta = new Float64Array(hidden);
      const nextTd = new Float64Array(hidden * p);
      for (let c = 0; c < hidden; c++) {
        const s1 = slope[c]!;
        const tc = c * p;
        if (float) {
          const s2 = curvature[c]! * u[c]!;
          nextDelta[c] = s1 * u[c]!;
          const width = offsets[l - 1]!; // ∂z_{l-1}/∂θ: the columns of layers < l
          for (let j = 0; j < p; j++) nextTd[tc + j] = s1 * Tu[tc + j]!;
          if (s2 !== 0) for (let j = 0; j < width; j++) nextTd[tc + j]! += s2 * tz[tc + j]!;
        } else if (s1 === 1) {
          // over Z/PZ: σ' ∈ {0, 1}, σ'' = 0
          nextDelta[c] = u[c]!;
          nextTd.set(Tu.subarray(tc, tc + p), tc);
        }
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
      const pass = this.forwardSample(i);
      this.addSampleFunctional(pass, this.lossAt(pass, i).gradient, H.data);
    }
    if (this.ring !== float64Ring) return H;
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
    addGramInto(hessian, jacobian, this.ring);
    return { parameters: this.parameters, ring: this.ring, jacobian, functional, hessian };
  }
}
