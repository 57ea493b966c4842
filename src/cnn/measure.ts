/**
 * Measured ranks of H, H_O and H_F for one random instance of a CNN (same shapes and tolerances as
 * src/numeric/measure.ts for fully-connected networks).
 *
 * exact (linear or ReLU CNN, mse): integer instance, every part built in Z/PZ by the structured
 * linear builder on the Toeplitz patterns (src/numeric/linearNetworkHessian.ts) or the ReLU one, rank
 * by elimination, rank(H_O) = rank(J), for as many primes as P(wrong rank) ≤ 1e-9 needs
 * (src/numeric/measure.ts exactPartRanks).
 * float64: the shared-weight builder (any activation, loss, bias); each part's rank at
 * τ = σ_max · p · ε of its own spectrum (H_O from the Gram matrix of its factor F).
 * r is the rank of the data the network reads: X restricted to the input coordinates some output
 * depends on (a stride larger than the kernel can skip some).
 */
import { channels, convolutionalParameterCount, describeConvolutional, kernelElements, positions, type Convolutional } from '../architecture/convolutional.js';
import { InputError } from '../errors.js';
import { isLinearMse } from '../family/vocabulary.js';
import { integerReluInstance, type ActivationPattern } from '../numeric/activationPattern.js';
import { convolutionalActivationPattern } from './convolutionalActivationPattern.js';
import type { HessianParts } from '../numeric/hessianParts.js';
import { zeros, type Matrix } from '../numeric/matrix.js';
import { checkExact, checkMeasureOptions, checkSize, denseCost, exactBuilder, exactPartRanks, floatPartRanks, quantities, type ExactEvidence, type MeasureOptions, type MeasureProgress, type Measurement, type MeasurementCost, type Quantity } from '../numeric/measure.js';
import { sampleConvolutionalInstance, type ConvolutionalInstance } from './convolutionalInstance.js';
import { usedInputIndices } from './geometry.js';
import { LinearNetworkHessian } from '../numeric/linearNetworkHessian.js';
import { SharedWeightHessian } from '../numeric/sharedWeightHessian.js';
import { sharedWeightRowSums } from '../numeric/hadamardBound.js';

export type ConvolutionalMeasurement = Measurement<Convolutional>;

/** H, H_O's factor and H_F in float64: structured for linear mse, forward-over-reverse otherwise. */
export function convolutionalHessianParts(instance: ConvolutionalInstance): HessianParts {
  const net = instance.net;
  return isLinearMse(net)
    ? new LinearNetworkHessian(instance).parts()
    : new SharedWeightHessian(instance, net.activation, net.loss).parts();
}

/** Resources of measuring a CNN (the shared guard: src/numeric/measure.ts denseCost). */
export function estimateConvolutionalCost(net: Convolutional, exact: boolean): MeasurementCost {
  const p = convolutionalParameterCount(net);
  const n = positions(net);
  const c = channels(net);
  const kappa = kernelElements(net);
  const b = net.bias ? 1 : 0;
  // nnz W̃_l ≤ c_l n_l (c_{l-1} κ_l + 1) for a convolution (padding only removes entries), K (c n + 1) for the last layer
  const convolutionEntries = net.layers.reduce((sum, layer, i) => sum + layer.channels * n[i + 1]! * (c[i]! * kappa[i]! + b), 0);
  const patternEntries = convolutionEntries + net.outputs * (c[c.length - 1]! * n[n.length - 1]! + b);
  const units = net.layers.reduce((sum, layer, i) => sum + layer.channels * n[i + 1]!, 0) + net.outputs;
  return denseCost({ parameters: p, jacobianRows: net.samples * net.outputs, samples: net.samples, layers: net.layers.length + 1, patternEntries, units }, exact);
}

/** The rows of X the network reads (input coordinates some output depends on): r is their rank. */
export function readData(instance: ConvolutionalInstance): Matrix {
  const rows = usedInputIndices(instance.net);
  const X = instance.inputs;
  const out = zeros(rows.length, X.cols);
  rows.forEach((row, i) => out.data.set(X.data.subarray(row * X.cols, (row + 1) * X.cols), i * X.cols));
  return out;
}

/** What the primes of an exact CNN rank rest on: row bounds of the absolute instance, rank(H_O) ≤ NK. */
function evidence(instance: ConvolutionalInstance): ExactEvidence {
  return { seed: instance.seed, rowSums: () => sharedWeightRowSums(instance), rankBounds: { HO: instance.net.samples * instance.net.outputs } };
}

export function measureConvolutionalInstance(
  instance: ConvolutionalInstance,
  exact: boolean,
  wanted: readonly Quantity[] = quantities,
  pattern?: ActivationPattern,
  progress?: MeasureProgress,
): Omit<ConvolutionalMeasurement, 'seconds' | 'architecture' | 'seed'> {
  const data = readData(instance);
  if (exact && instance.net.activation === 'relu') {
    const found = pattern ? { pattern } : convolutionalActivationPattern(instance);
    if ('kink' in found) throw new InputError(`this integer instance puts a pre-activation exactly on the ReLU kink (sample ${found.kink.sample + 1}, layer ${found.kink.layer})`);
    return exactPartRanks(instance.parameters, wanted, (field) => exactBuilder(new SharedWeightHessian(instance, 'relu', 'mse', { field, pattern: found.pattern }), field), data, evidence(instance), undefined, progress);
  }
  if (exact) return exactPartRanks(instance.parameters, wanted, (field) => new LinearNetworkHessian(instance, field), data, evidence(instance), undefined, progress);
  progress?.(`building H, H_O, H_F (p = ${instance.parameters})`);
  return floatPartRanks(convolutionalHessianParts(instance), wanted, data, progress);
}

/** Ranks of H, H_O, H_F of a random instance of `net` (seeded), exactly or in float64. */
export function measureConvolutional(net: Convolutional, options: MeasureOptions = {}): ConvolutionalMeasurement {
  checkMeasureOptions(options);
  const seed = options.seed ?? 0;
  const exact = options.exact ?? false;
  if (exact) checkExact(net);
  checkSize(describeConvolutional(net), convolutionalParameterCount(net), estimateConvolutionalCost(net, exact), options.force);
  const started = performance.now();
  if (exact && net.activation === 'relu' && options.weights === undefined) {
    const drawn = integerReluInstance(seed, (s) => sampleConvolutionalInstance(net, { seed: s, integer: true, inputs: options.inputs, targets: options.targets }), convolutionalActivationPattern, describeConvolutional(net));
    const result = measureConvolutionalInstance(drawn.instance, true, options.quantities, drawn.pattern, options.progress);
    return { architecture: net, seed, ...result, seconds: (performance.now() - started) / 1000, ...(drawn.redraws > 0 ? { redraws: drawn.redraws } : {}) };
  }
  const instance = sampleConvolutionalInstance(net, { seed, integer: exact, inputs: options.inputs, targets: options.targets, weights: options.weights });
  const result = measureConvolutionalInstance(instance, exact, options.quantities, undefined, options.progress);
  return { architecture: net, seed, ...result, seconds: (performance.now() - started) / 1000 };
}
