/**
 * The decoupling approximation of [WZWWG20]: the expectation of a Kronecker product replaced by
 * the Kronecker product of expectations,
 *   H_l = N · E[M_l ⊗ x̃x̃ᵀ]  ≈  N · E[M_l] ⊗ E[x̃x̃ᵀ]
 * (the loss is a sum over the N samples, hence the factor N, put on the output side).
 * Exact when M_{l,i} does not depend on the sample (linear networks with MSE loss, any layer) or
 * when x̃_{l,i} x̃_{l,i}ᵀ does not.
 */
import type { KroneckerPair } from './kroneckerPair.js';
import type { LayerHessian } from './layerHessian.js';

export function decoupledApproximation(layer: LayerHessian): KroneckerPair {
  const A = { rows: layer.outputMoment.rows, cols: layer.outputMoment.cols, data: layer.outputMoment.data.map((v) => v * layer.samples) };
  return { A, B: layer.inputMoment };
}
