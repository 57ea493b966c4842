/**
 * A concrete CNN: kernels, output weights, data and targets drawn from a seed, with the network
 * written as a product of pattern-parametrised matrices (weight sharing):
 *   f(x) = W̃_L σ(W̃_{L-1} ⋯ σ(W̃_1 x̃)),  W̃_l = Σ_e θ[offset_l + param_e] at (row_e, col_e)
 * (src/cnn/toeplitz.ts: W̃_l = [T_l | B_l b_l] for a convolution, [W_L | b_L] for the last layer).
 * θ is laid out layer by layer (offsets), each layer like a fully-connected [W | b] block.
 * Float instances: entries ~ N(0, 1/fan-in) (fan-in c_{l-1} κ_l for a convolution, c_{L-1} n_{L-1}
 * for the last layer), x ~ N(0, I), y ~ N(0, I) (mse) or uniform labels (ce). Integer instances
 * (exact ranks): every entry uniform in [−2^20, 2^20], as for fully-connected networks.
 */
import {
  channels,
  convolutionalInputDimension,
  expandedWidths,
  featureShapes,
  kernelElements,
  type Convolutional,
} from '../architecture/convolutional.js';
import { fullyConnected } from '../architecture/fullyConnected.js';
import type { Matrix } from '../numeric/matrix.js';
import { checkWeights, integerEntryBound, sampleData, type NetworkInstance } from '../numeric/networkInstance.js';
import { RandomStream } from '../numeric/random.js';
import { densePattern, layerMatrices, weightLayout, type SharedWeightNetwork, type WeightPattern } from '../numeric/sharedWeightNetwork.js';
import { convolutionPattern } from './toeplitz.js';

export interface ConvolutionalInstance extends SharedWeightNetwork {
  readonly net: Convolutional;
  readonly integer: boolean;
  readonly seed: number;
}

/** The weight patterns of every layer: the Toeplitz patterns of the convolutions, then the dense last layer. */
export function layerPatterns(net: Convolutional): WeightPattern[] {
  const shapes = featureShapes(net);
  const c = channels(net);
  const patterns = net.layers.map((layer, i) =>
    convolutionPattern(
      { inputChannels: c[i]!, outputChannels: layer.channels, input: shapes[i]!, kernel: layer.kernel, stride: layer.stride, padding: layer.padding },
      net.bias,
    ),
  );
  const last = patterns[patterns.length - 1]!;
  patterns.push(densePattern(net.outputs, last.rows, net.bias));
  return patterns;
}

export function sampleConvolutionalInstance(net: Convolutional, options: { seed: number; integer?: boolean; inputs?: Matrix; targets?: Matrix; weights?: Float64Array }): ConvolutionalInstance {
  const integer = options.integer ?? false;
  const stream = new RandomStream(options.seed);
  const { patterns, offsets, parameters } = weightLayout(layerPatterns(net), net.bias);
  const theta = new Float64Array(parameters);
  const c = channels(net);
  const kappa = kernelElements(net);
  if (options.weights) {
    checkWeights(options.weights, parameters, integer);
    theta.set(options.weights);
  } else patterns.forEach((pattern, l) => {
    const fanIn = l < net.layers.length ? c[l]! * kappa[l]! : patterns[l]!.cols - (net.bias ? 1 : 0);
    const values = integer ? stream.integerArray(pattern.parameters, integerEntryBound) : stream.gaussianArray(pattern.parameters, 1 / Math.sqrt(fanIn));
    theta.set(values, offsets[l]!);
  });
  const { inputs, targets } = sampleData(stream, { d: convolutionalInputDimension(net), K: net.outputs, N: net.samples, loss: net.loss, integer, inputs: options.inputs, targets: options.targets });
  return { net, patterns, offsets, parameters, theta, bias: net.bias, inputs, targets, integer, seed: options.seed };
}

/**
 * The equivalent fully-connected instance: widths [c_0 n_0, c_1 n_1, …, K] and the explicit Toeplitz
 * matrices as weights. Its θ_FC = Φ θ: `expandedIndex` gives, per pattern entry, its index in θ_FC.
 */
export function expandedInstance(instance: ConvolutionalInstance): { fc: NetworkInstance; expandedIndex: Int32Array[] } {
  const net = instance.net;
  const fc = fullyConnected({ widths: expandedWidths(net), bias: net.bias, activation: net.activation, loss: net.loss, samples: net.samples });
  const layers = layerMatrices(instance);
  let offset = 0;
  const expandedIndex = instance.patterns.map((pattern) => {
    const index = new Int32Array(pattern.param.length);
    for (let e = 0; e < index.length; e++) index[e] = offset + pattern.row[e]! * pattern.cols + pattern.col[e]!;
    offset += pattern.rows * pattern.cols;
    return index;
  });
  return {
    fc: { net: fc, layers, inputs: instance.inputs, targets: instance.targets, integer: instance.integer, seed: instance.seed },
    expandedIndex,
  };
}
