/**
 * Any architecture as a pattern network (W̃_l linear in θ through a 0/1 pattern): dense patterns for a
 * fully-connected network (θ = [W_l | b_l] row by row, the instance layout), the Toeplitz patterns of
 * a CNN (src/cnn/convolutionalInstance.ts), and the seeded initial θ of its instance.
 */
import type { Convolutional } from '../architecture/convolutional.js';
import type { FullyConnected } from '../architecture/fullyConnected.js';
import { layerPatterns, sampleConvolutionalInstance } from '../cnn/convolutionalInstance.js';
import { weightLayout } from '../numeric/sharedWeightNetwork.js';
import { denseLayerPatterns, sampleInstance } from '../numeric/networkInstance.js';
import type { Matrix } from '../numeric/matrix.js';
import type { PatternNetwork } from './lossGradient.js';

export function patternNetwork(net: FullyConnected | Convolutional): PatternNetwork {
  const patterns = net.kind === 'fully-connected' ? denseLayerPatterns(net) : layerPatterns(net);
  return { ...weightLayout(patterns, net.bias), activation: net.activation, loss: net.loss };
}

/** The seeded instance's θ (weights ~ N(0, 1/fan-in)), with the given data and targets or drawn ones. */
export function initialInstance(net: FullyConnected | Convolutional, seed: number, data: { inputs?: Matrix; targets?: Matrix }): { theta: Float64Array; inputs: Matrix; targets: Matrix } {
  if (net.kind === 'convolutional') {
    const instance = sampleConvolutionalInstance(net, { seed, ...data });
    return { theta: Float64Array.from(instance.theta), inputs: instance.inputs, targets: instance.targets };
  }
  const instance = sampleInstance(net, { seed, ...data });
  const theta = new Float64Array(instance.layers.reduce((total, layer) => total + layer.data.length, 0));
  let offset = 0;
  for (const layer of instance.layers) {
    theta.set(layer.data, offset);
    offset += layer.data.length;
  }
  return { theta, inputs: instance.inputs, targets: instance.targets };
}
