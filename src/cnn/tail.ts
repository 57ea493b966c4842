/**
 * The CNN above conv 1: conv 2, …, conv L−1 and the dense layer, reading conv 1's output as its data.
 *
 * φ = ⟨Σ, W T_{L-1} ⋯ T_2 T_1(w_1)⟩ is linear in conv 1's kernel w_1, so the functional Hessian splits
 * by conv 1's block, H_F = [[0, F], [Fᵀ, C̃]], where C̃ — the Hessian in everything above conv 1, w_1
 * held — is the functional Hessian of this CNN on the data Z_1 = T_1(w_1) X (the same residuals: its
 * output is the whole network's). Z_1 has N samples of rank ≤ min(r, c_1 u_1), so C̃ has rank at most
 * this CNN's generic rank with min(N, r) samples (a special point never exceeds it), and its catalog
 * prediction may stand for it (docs/cnn.md#several-convolutions-functional-hessian, symbol HFt).
 */
import { convolutional, featureShapes, type Convolutional } from '../architecture/convolutional.js';

/**
 * conv 2, …, conv L−1 and the dense layer on conv 1's output (c_1 channels on map 1's grid), with
 * min(N, r) samples so that its data rank min(N, c_1 u_1) does not exceed r; undefined for one convolution.
 */
export function aboveFirstConvolution(net: Convolutional, dataRank: number): Convolutional | undefined {
  if (net.layers.length < 2) return undefined;
  return convolutional({
    input: featureShapes(net)[1]!,
    inputChannels: net.layers[0]!.channels,
    layers: net.layers.slice(1).map((l) => ({ kernel: [...l.kernel], stride: [...l.stride], padding: [...l.padding], channels: l.channels })),
    outputs: net.outputs,
    samples: Math.max(1, Math.min(net.samples, dataRank)),
    bias: net.bias,
    loss: net.loss,
    activation: net.activation,
  });
}
