/**
 * Merging a 1×1 convolution into the convolution below it.
 *
 * A 1×1 convolution l ≥ 2 without padding (any stride) is channel mixing followed by subsampling, so
 * T_l(w_l) T_{l-1}(w_{l-1}) = T′(v) with v = w_l w_{l-1} (c_l × c_{l-2} κ_{l-1}): one convolution with
 * c_l output channels, the kernel and padding of conv l−1 and stride s_{l-1} s_l. The CNN is then a
 * reparametrisation θ ↦ θ′ of the merged CNN (one layer fewer), and with D its Jacobian
 *
 *   H_O = Dᵀ H′_O D,   H_F = Dᵀ H′_F D + C,   H = Dᵀ H′ D + C,
 *
 * where C = ∇²_θ ⟨∇_v ℒ, w_l w_{l-1}⟩ couples only w_l and w_{l-1}: [[0, M], [Mᵀ, 0]] with
 * M(dw_{l-1})(dw_l) = ⟨G, dw_l dw_{l-1}⟩, G = ∇_v ℒ of rank ≤ min(c_l, c_{l-2} e_{l-1}), so
 * rank C ≤ 2 c_{l-1} min(c_l, c_{l-2} e_{l-1}) (the merge cost). Hence rank H_O ≤ rank H′_O and
 * rank H_F, rank H ≤ (those of the merged CNN) + the merge cost; the merged CNN's ranks at this
 * (special) point never exceed its generic ranks, so its predictions may be used. A first
 * convolution that is 1×1 with stride 1 merges the same way into the second (v = w_2 ∘ w_1).
 * The two terms of H_F overlap: with ρ = rank G and q = min(c_{l-1}, ρ), range Dᵀ H′_F D ∩ range C
 * has dimension ≥ q² when conv l−1 is the first convolution and conv l the last (two convolutions), so
 * there rank H_F ≤ rank H′_F + 2 c_{l-1} q − q² (derived); for deeper CNNs the same held on every CNN
 * measured but is not derived, and no formula uses it. What is derived for deeper CNNs is the part
 * span{G} + (col G ∩ (col v)^⊥) ⊗ row G of the overlap (Euler and channel mixing with Eᵀv = 0), of dimension
 * ≥ 1 + c_{l-1}(ρ − c_{l-1})_+: rank H_F ≤ rank H′_F + c_{l-1}(ρ + min(ρ, c_{l-1})) − 1 (cnn-deep-merged-gradient-HF/H).
 * docs/cnn.md#merging-11-convolutions.
 */
import { convolutional, type Convolutional } from '../architecture/convolutional.js';

export interface Merge {
  /** the CNN with the first mergeable 1×1 convolution merged into the one below */
  merged: Convolutional;
  /** 1-based index of the merged 1×1 convolution */
  layer: number;
  /** 2 c_{l-1} min(c_l, c_{l-2} e_{l-1}) */
  cost: number;
  /**
   * For a merge of conv l ≥ 2 into conv l−1 (undefined for a first-layer merge): c_{l-1}, the channels
   * the merge removes, and min(c_l, c_{l-2} e_{l-1}), a bound on rank G from the shape of G
   * (docs/cnn.md#merging-11-convolutions: the overlap of the two terms of H_F).
   */
  up?: { hidden: number; gradientShape: number };
}

const oneByOne = (layer: Convolutional['layers'][number]): boolean => layer.kernel.every((k) => k === 1) && layer.padding.every((p) => p === 0);

/**
 * The first 1×1, unpadded convolution l ≥ 2 merged into conv l−1 (with bias: the affine convolutions
 * merge, T_l(w_l)(T_{l-1}(w_{l-1}) z + B b_{l-1}) + B b_l = T′(v) z + B v_b, [v | v_b] =
 * w_l [w_{l-1} | b_{l-1}] + [0 | b_l], and G gains the bias column); failing that, for a bias-free CNN,
 * a first convolution that is 1×1 with stride 1 merged into conv 2 (T_2(w_2) T_1(w_1) = T_2(w_2 ∘ w_1),
 * c_0 → c_2 channels, mc = 2 c_1 min(c_0, c_2 e_2)); undefined when neither exists.
 */
export function mergeOneByOne(net: Convolutional, effectiveKernel: readonly number[]): Merge | undefined {
  // once per architecture object and effective kernel (the geometry's, itself computed once per
  // architecture): the symbolic network and the prediction then share the merged CNN, and so its geometry
  const cached = merges.get(net);
  if (cached?.effectiveKernel === effectiveKernel) return cached.merge;
  const merge = computeMerge(net, effectiveKernel);
  merges.set(net, { effectiveKernel, merge });
  return merge;
}

const merges = new WeakMap<Convolutional, { effectiveKernel: readonly number[]; merge: Merge | undefined }>();

function computeMerge(net: Convolutional, effectiveKernel: readonly number[]): Merge | undefined {
  const index = net.layers.findIndex((layer, i) => i >= 1 && oneByOne(layer));
  if (index < 0) return net.bias ? undefined : mergeFirstIntoSecond(net, effectiveKernel);
  const below = net.layers[index - 1]!;
  const top = net.layers[index]!;
  const inChannels = index >= 2 ? net.layers[index - 2]!.channels : net.inputChannels;
  const layers = net.layers.map((layer) => ({ channels: layer.channels, kernel: [...layer.kernel], stride: [...layer.stride], padding: [...layer.padding] }));
  layers.splice(index - 1, 2, {
    channels: top.channels,
    kernel: [...below.kernel],
    stride: below.stride.map((s, j) => s * top.stride[j]!),
    padding: [...below.padding],
  });
  const merged = convolutional({
    input: [...net.input],
    inputChannels: net.inputChannels,
    layers,
    outputs: net.outputs,
    samples: net.samples,
    bias: net.bias,
    activation: net.activation,
    loss: net.loss,
  });
  // with bias G = ∇_v ℒ has one more column, the merged bias: c_l × (c_{l-2} e_{l-1} + 1)
  const gradientShape = Math.min(top.channels, inChannels * effectiveKernel[index - 1]! + (net.bias ? 1 : 0));
  return { merged, layer: index + 1, cost: 2 * below.channels * gradientShape, up: { hidden: below.channels, gradientShape } };
}

function mergeFirstIntoSecond(net: Convolutional, effectiveKernel: readonly number[]): Merge | undefined {
  const [first, second] = net.layers;
  if (!first || !second || !oneByOne(first) || first.stride.some((s) => s !== 1)) return undefined;
  const layers = net.layers.slice(1).map((layer) => ({ channels: layer.channels, kernel: [...layer.kernel], stride: [...layer.stride], padding: [...layer.padding] }));
  const merged = convolutional({
    input: [...net.input],
    inputChannels: net.inputChannels,
    layers,
    outputs: net.outputs,
    samples: net.samples,
    bias: net.bias,
    activation: net.activation,
    loss: net.loss,
  });
  // ⟨G, dw_2 ∘ dw_1⟩ = Σ_i ⟨G_i-slice, …⟩: rank c_1 · rank G, G a (c_2 e_2) × c_0 matrix
  const cost = 2 * first.channels * Math.min(net.inputChannels, second.channels * effectiveKernel[1]!);
  return { merged, layer: 1, cost };
}
