/**
 * Per-sample Hessian of the loss with respect to each layer's output, and each layer's input.
 *
 * For sample i, z_l = [W_l | b_l] x̃_l is the output (pre-activation) of layer l and x̃_l = [a_{l-1}; 1 if bias]
 * its input (x̃_1 = [x_i; 1]). Since x̃_l does not depend on W_l, the layer block of the loss Hessian is
 *   H_l = Σ_i M_{l,i} ⊗ x̃_{l,i} x̃_{l,i}ᵀ,   M_{l,i} = ∂²ℓ_i/∂z_l²    ([WZWWG20], row-major vec)
 * and M_{l,i} follows by second-order backpropagation (W = W_{l+1} without its bias column,
 * D = diag σ'(z_l), δ_l = ∂ℓ_i/∂z_l):
 *   M_L = ∇²ℓ(f, y),   M_l = D Wᵀ M_{l+1} W D + diag(σ''(z_l) ⊙ Wᵀ δ_{l+1}).
 * The Gauss–Newton part drops the diagonal term at every step: M^O_l = D Wᵀ M^O_{l+1} W D, so that
 * (H_O)_l = Σ_i M^O_{l,i} ⊗ x̃ x̃ᵀ. For linear and relu networks σ'' = 0 and the two coincide
 * (H_F has zero diagonal blocks).
 */
import { depth } from '../architecture/fullyConnected.js';
import { activationDerivatives } from '../numeric/activation.js';
import { lossDerivatives } from '../numeric/lossFunction.js';
import { zeros, type Matrix } from '../numeric/matrix.js';
import type { NetworkInstance } from '../numeric/networkInstance.js';
import { SharedWeightHessian } from '../numeric/sharedWeightHessian.js';
import { denseSharedWeightNetwork } from '../numeric/networkInstance.js';

/** Which Hessian the blocks belong to: the loss Hessian H or its outer-product part H_O. */
export type BlockPart = 'H' | 'HO';
export const blockParts: readonly BlockPart[] = ['H', 'HO'];

export interface LayerSamples {
  /** M_{l,i} (M_l × M_l) for i = 1..N */
  outputHessians: Matrix[];
  /** x̃_{l,i} (M̃_{l-1}) for i = 1..N */
  inputs: Float64Array[];
}

/** For every layer l (index l − 1), the per-sample M_{l,i} of `part` and the inputs x̃_{l,i}. */
export function layerSamples(instance: NetworkInstance, part: BlockPart): LayerSamples[] {
  const net = instance.net;
  const L = depth(net);
  const sigma = activationDerivatives[net.activation];
  const oracle = new SharedWeightHessian(denseSharedWeightNetwork(instance), net.activation, net.loss);
  const X = instance.inputs;
  const Y = instance.targets;
  const N = net.samples;
  const result: LayerSamples[] = Array.from({ length: L }, () => ({ outputHessians: [], inputs: [] }));
  for (let i = 0; i < N; i++) {
    const x = new Float64Array(X.rows + (net.bias ? 1 : 0));
    for (let j = 0; j < X.rows; j++) x[j] = X.data[j * X.cols + i]!;
    if (net.bias) x[X.rows] = 1;
    const y = new Float64Array(Y.rows);
    for (let k = 0; k < Y.rows; k++) y[k] = Y.data[k * Y.cols + i]!;
    const pass = oracle.forward(x);
    const { gradient, hessianFactor } = lossDerivatives(net.loss, pass.output, y);
    const K = y.length;
    // ∇²ℓ = SᵀS
    let M = zeros(K, K);
    for (let a = 0; a < K; a++) {
      for (let c = 0; c < K; c++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += hessianFactor[k * K + a]! * hessianFactor[k * K + c]!;
        M.data[a * K + c] = s;
      }
    }
    let delta: Float64Array = gradient;
    for (let l = L; l >= 1; l--) {
      result[l - 1]!.outputHessians.push(M);
      result[l - 1]!.inputs.push(pass.inputs[l - 1]!);
      if (l === 1) break;
      const layer = instance.layers[l - 1]!;
      const z = pass.preActivations[l - 1]!;
      const width = z.length;
      const next = zeros(width, width);
      // WᵀM W (hidden columns only), then the D · D scaling and the σ'' diagonal
      const MW = new Float64Array(M.rows * width);
      for (let a = 0; a < M.rows; a++) {
        for (let c = 0; c < M.rows; c++) {
          const mac = M.data[a * M.rows + c]!;
          if (mac === 0) continue;
          for (let e = 0; e < width; e++) MW[a * width + e]! += mac * layer.data[c * layer.cols + e]!;
        }
      }
      const u = new Float64Array(width);
      for (let r = 0; r < layer.rows; r++) {
        const dr = delta[r]!;
        for (let b = 0; b < width; b++) {
          const w = layer.data[r * layer.cols + b]!;
          u[b]! += w * dr;
          if (w === 0) continue;
          for (let e = 0; e < width; e++) next.data[b * width + e]! += w * MW[r * width + e]!;
        }
      }
      const first = Float64Array.from(z, (v) => sigma.first(v));
      for (let b = 0; b < width; b++) {
        for (let e = 0; e < width; e++) next.data[b * width + e]! *= first[b]! * first[e]!;
        if (part === 'H') next.data[b * width + b]! += sigma.second(z[b]!) * u[b]!;
      }
      delta = Float64Array.from(u, (v, b) => first[b]! * v);
      M = next;
    }
  }
  return result;
}
