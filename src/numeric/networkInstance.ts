/**
 * A concrete network: weights θ, data X and targets Y drawn from a seed.
 *
 * θ is laid out layer by layer; layer l holds the M_l × (M_{l-1} [+1]) matrix [W_l | b_l] row by row,
 * so parameter (l, a, b) is W_l[a, b] for b < M_{l-1} and b_l[a] for b = M_{l-1}.
 * Float instances: [W_l | b_l] entries ~ N(0, 1/M_{l-1}), x ~ N(0, I), y ~ N(0, I) (mse) or uniform
 * labels (ce). Integer instances (exact ranks): every entry uniform in [−2^20, 2^20], so that a
 * non-generic instance (an accidental zero minor) has probability of order 2^-21 per condition.
 */
import { depth, inputDimension, outputDimension, type FullyConnected } from '../architecture/fullyConnected.js';
import { InputError } from '../errors.js';
import { zeros, type Matrix } from './matrix.js';
import { RandomStream } from './random.js';
import { densePattern, weightLayout, type SharedWeightNetwork } from './sharedWeightNetwork.js';

export const integerEntryBound = 2 ** 20;

export interface NetworkInstance {
  readonly net: FullyConnected;
  /** [W_l | b_l] for l = 1..L (index l − 1), M_l × (M_{l-1} + [bias]). */
  readonly layers: readonly Matrix[];
  /** X, d × N: column i is x_i. */
  readonly inputs: Matrix;
  /** Y, K × N: column i is y_i (one-hot for ce). */
  readonly targets: Matrix;
  readonly integer: boolean;
  readonly seed: number;
}

export interface InstanceOptions {
  seed: number;
  integer?: boolean;
  /** Use these inputs (d × N) instead of Gaussian ones, e.g. a real data set. */
  inputs?: Matrix;
  /** Use these targets (K × N) instead of drawn ones. */
  targets?: Matrix;
  /** Use these weights θ (p values, layer by layer [W_l | b_l] row by row) instead of drawn ones, e.g. a trained model's. */
  weights?: Float64Array;
}

/** θ's length must be p; integer instances need integer weights. */
export function checkWeights(weights: Float64Array, p: number, integer: boolean): void {
  if (weights.length !== p) throw new InputError(`the weights hold ${weights.length} values, the network has p = ${p} parameters`);
  if (integer && !weights.every(Number.isInteger)) throw new InputError('exact ranks need integer weights; these weights have fractional values');
}

/** Where each layer's block [W_l | b_l] starts in θ, and p. */
export function parameterOffsets(net: FullyConnected): { offsets: number[]; total: number } {
  const offsets: number[] = [];
  let total = 0;
  for (let l = 1; l <= depth(net); l++) {
    offsets.push(total);
    total += net.widths[l]! * (net.widths[l - 1]! + (net.bias ? 1 : 0));
  }
  return { offsets, total };
}

/**
 * Data X (d × N) and targets Y (K × N) drawn after the weights from the same stream: Gaussian (or
 * integer) inputs unless given, Gaussian targets (mse) or uniform one-hot labels (ce). Shared by
 * every architecture family, so a seed draws the same data for all of them.
 */
export function sampleData(
  stream: RandomStream,
  shape: { d: number; K: number; N: number; loss: 'mse' | 'ce'; integer: boolean; inputs?: Matrix; targets?: Matrix },
): { inputs: Matrix; targets: Matrix } {
  const { d, K, N, integer } = shape;
  const draw = (length: number): Float64Array => (integer ? stream.integerArray(length, integerEntryBound) : stream.gaussianArray(length, 1));
  let inputs: Matrix;
  if (shape.inputs) {
    if (shape.inputs.rows !== d || shape.inputs.cols !== N) {
      throw new InputError(`data are ${shape.inputs.rows}×${shape.inputs.cols}, the network needs d×N = ${d}×${N}`);
    }
    if (integer && !shape.inputs.data.every(Number.isInteger)) throw new InputError('exact ranks need integer data (e.g. pixel counts); these data have fractional values');
    inputs = shape.inputs;
  } else {
    inputs = { rows: d, cols: N, data: draw(d * N) };
  }
  let targets: Matrix;
  if (shape.targets) {
    if (shape.targets.rows !== K || shape.targets.cols !== N) {
      throw new InputError(`targets are ${shape.targets.rows}×${shape.targets.cols}, the network needs K×N = ${K}×${N}`);
    }
    if (integer && !shape.targets.data.every(Number.isInteger)) throw new InputError('exact ranks need integer targets; these targets have fractional values');
    targets = shape.targets;
  } else if (shape.loss === 'ce') {
    targets = zeros(K, N);
    for (let i = 0; i < N; i++) targets.data[stream.integer(0, K - 1) * N + i] = 1;
  } else {
    targets = { rows: K, cols: N, data: draw(K * N) };
  }
  return { inputs, targets };
}

export function sampleInstance(net: FullyConnected, options: InstanceOptions): NetworkInstance {
  const integer = options.integer ?? false;
  const stream = new RandomStream(options.seed);
  const draw = (length: number, scale: number): Float64Array =>
    integer ? stream.integerArray(length, integerEntryBound) : stream.gaussianArray(length, scale);
  const layers: Matrix[] = [];
  const given = options.weights;
  if (given) checkWeights(given, parameterOffsets(net).total, integer);
  let offset = 0;
  for (let l = 1; l <= depth(net); l++) {
    const rows = net.widths[l]!;
    const cols = net.widths[l - 1]! + (net.bias ? 1 : 0);
    layers.push({ rows, cols, data: given ? given.slice(offset, offset + rows * cols) : draw(rows * cols, 1 / Math.sqrt(net.widths[l - 1]!)) });
    offset += rows * cols;
  }
  const { inputs, targets } = sampleData(stream, { d: inputDimension(net), K: outputDimension(net), N: net.samples, loss: net.loss, integer, inputs: options.inputs, targets: options.targets });
  return { net, layers, inputs, targets, integer, seed: options.seed };
}

/**
 * The instance as a shared-weight network whose every entry of [W_l | b_l] is its own parameter
 * (dense patterns, row-major, θ in the order of parameterOffsets): the general oracle
 * src/numeric/sharedWeightHessian.ts then serves fully-connected networks too.
 */
export function denseSharedWeightNetwork(instance: NetworkInstance): SharedWeightNetwork {
  const net = instance.net;
  const layout = weightLayout(denseLayerPatterns(net), net.bias);
  const theta = new Float64Array(layout.parameters);
  instance.layers.forEach((W, l) => theta.set(W.data, layout.offsets[l]!));
  return { ...layout, theta, inputs: instance.inputs, targets: instance.targets };
}

/** The dense patterns of a fully-connected network's layers [W_l | b_l]. */
export function denseLayerPatterns(net: FullyConnected) {
  return net.widths.slice(1).map((rows, l) => densePattern(rows, net.widths[l]!, net.bias));
}
