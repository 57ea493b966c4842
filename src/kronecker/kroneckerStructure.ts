/**
 * The layer-wise Kronecker structure of one architecture, every layer, from one seed:
 *   exact (linear networks, mse): (H_O)_l = (A_lᵀA_l) ⊗ (Z_{l-1}Z_{l-1}ᵀ) in Z/PZ, the factor ranks and
 *     rank (H_O)_l = their product, against the catalog (HO_block, HO_block_output_factor, …_input_factor);
 *   measured (float64, any network): rank (H_O)_l against the catalog and against the bounds read off the
 *     instance's per-sample terms (instanceBounds.ts); for H_l of the chosen part
 *     - ‖H_l − N·E[M_l] ⊗ E[x̃x̃ᵀ]‖_F/‖H_l‖_F (decoupling) and the same for the nearest Kronecker product
 *       (Van Loan–Pitsianis; never larger, it is the optimum),
 *     - the overlap of the top-k eigenspaces of H_l and of each approximation (baseline k/p_l),
 *     - the top-k eigenvectors reshaped to out × in: numerical rank, σ_2/σ_1, rank-one energy (1 if exact),
 *     - the outlier count (outliers.ts) of H_l and of E[M_l], against K,
 *     - the overlap of the top-k eigenspaces of H_l for two seeds of the weights (same data and targets).
 * k defaults to K. Every float64 tolerance is stated where it is computed.
 * CNNs (src/cnn): the same measured section for every convolution and the dense last layer
 * (convolutionalLayerHessian.ts: blocks over the kernel's [W | b] layout, the decoupling averaging over
 * positions); no exact section and no catalog entries for their blocks.
 */
import {
  describeConvolutional,
  expandedWidths,
  layerParameterCounts,
  type Convolutional,
} from '../architecture/convolutional.js';
import { describe, outputDimension, type FullyConnected } from '../architecture/fullyConnected.js';
import { sampleConvolutionalInstance, type ConvolutionalInstance } from '../cnn/convolutionalInstance.js';
import { evaluateFormula, selectFormula } from '../catalog/predict.js';
import { architectureScope, genericDataRank } from '../catalog/vocabulary.js';
import { InputError, TooLargeError } from '../errors.js';
import { sampleInstance, type NetworkInstance } from '../numeric/networkInstance.js';
import type { Matrix } from '../numeric/matrix.js';
import { numericalRank, type NumericalRank } from '../numeric/numericalRank.js';
import { symmetricEigenvalues } from '../linalg/index.js';
import { decoupledApproximation } from './decoupling.js';
import type { InstanceBounds } from './instanceBounds.js';
import { eigengap, randomOverlapBaseline, subspaceOverlap } from './eigenspaceOverlap.js';
import { exactKroneckerStructure, type ExactLayerKronecker } from './exactKronecker.js';
import { kroneckerEigensystem, relativeKroneckerError } from './kroneckerPair.js';
import { convolutionalLayerHessians } from './convolutionalLayerHessian.js';
import { layerShapes, type LayerShape } from './layerBlock.js';
import { layerHessians, type LayerHessian } from './layerHessian.js';
import type { BlockPart } from './layerOutputHessian.js';
import { nearestKronecker } from './nearestKronecker.js';
import { defaultOutlierWindow, outlierCount, type OutlierCount } from './outliers.js';
import { reshapedEigenvector, type ReshapedEigenvector } from './reshapedEigenvector.js';
import { symmetricEigensystem } from '../linalg/index.js';
import { isLinearMse } from '../family/vocabulary.js';
import { sizeLimits, type MeasureProgress } from '../numeric/measure.js';

export interface KroneckerOptions {
  seed?: number;
  /** seed of the second model's weights for the seed overlap (default seed + 1) */
  secondSeed?: number;
  /** k, the dimension of the compared top eigenspaces and the number of reshaped eigenvectors (default K) */
  top?: number;
  /** the Hessian whose blocks are decoupled: H (default) or H_O */
  part?: BlockPart;
  /** outlier window w (default 3K) */
  window?: number;
  /** skip the exact Z/PZ section for linear mse networks */
  skipExact?: boolean;
  force?: boolean;
  /** real data (d × N) instead of Gaussian inputs */
  inputs?: Matrix;
  /** real targets (K × N) instead of drawn ones */
  targets?: Matrix;
  /** given weights θ instead of drawn ones (a trained model) */
  weights?: Float64Array;
  /** the second model's weights for the seed overlap (another trained model) instead of drawn ones */
  secondWeights?: Float64Array;
  /** called as each phase starts, e.g. "layer 2 of 3 (60×60): eigenvectors, nearest A⊗B" (src/report/progressLine.ts draws them) */
  progress?: MeasureProgress;
}

export interface CatalogValue {
  value: number;
  formula: string;
  kind: string;
}

export interface ApproximationReport {
  /** ‖H_l − A⊗B‖_F / ‖H_l‖_F */
  relativeError: number;
  /** overlap of the top-k eigenspaces of H_l and A ⊗ B */
  overlap: number;
}

export interface LayerKroneckerReport {
  shape: LayerShape;
  /** numerical rank of (H_O)_l (τ = λ_max · p_l · ε) */
  outerProductRank: NumericalRank;
  /** upper bounds on rank (H_O)_l from the instance's per-sample terms (fully-connected layers) */
  outerProductBounds?: InstanceBounds;
  /** numerical rank of H_l of the chosen part */
  blockRank: NumericalRank;
  blockBounds?: InstanceBounds;
  catalog: Record<string, CatalogValue>;
  exact?: ExactLayerKronecker;
  /** k used for this layer (min(top, p_l − 1)) */
  top: number;
  /** λ_k / λ_{k+1} of H_l: the top-k eigenspace is well defined only when this exceeds 1 */
  eigengap: number | null;
  decoupling: ApproximationReport & { outputMomentRank: NumericalRank; inputMomentRank: NumericalRank };
  nearest: ApproximationReport & { rearrangedSingularValues: number[] };
  baseline: number;
  reshaped: ReshapedEigenvector[];
  outliers: OutlierCount;
  outputMomentOutliers: OutlierCount;
  seedOverlap: number;
}

export interface KroneckerReport {
  architecture: FullyConnected | Convolutional;
  description: string;
  part: BlockPart;
  K: number;
  seeds: [number, number];
  top: number;
  layers: LayerKroneckerReport[];
  /** primes of the exact section, when there is one (drawn, src/kronecker/exactKronecker.ts) */
  primes?: number[];
  seconds: number;
}

/**
 * Rough time: per layer two eigen-decompositions of p_l × p_l (~1.1e-8 s · p_l³ each, measured with
 * ml-matrix), the Jacobi SVD of the out² × in² rearrangement, and for CNNs the per-sample
 * output Hessians of the expanded network (N (c_l n_l)³).
 */
export function estimateKroneckerSeconds(net: FullyConnected | Convolutional): number {
  const shapes =
    net.kind === 'convolutional'
      ? layerParameterCounts(net).map((size, i) => {
          const out = i < net.layers.length ? net.layers[i]!.channels : net.outputs;
          return { size, out, in: size / out };
        })
      : layerShapes(net);
  let seconds = shapes.reduce((t, s) => t + 3 * 1.1e-8 * s.size ** 3 + 1e-8 * Math.min(s.out, s.in) ** 4 * Math.max(s.out, s.in) ** 2, 0);
  if (net.kind === 'convolutional') seconds += expandedWidths(net).slice(1).reduce((t, w) => t + 2e-9 * net.samples * w ** 3, 0);
  return seconds;
}

/** The size guard's time limit (src/numeric/measure.ts sizeLimits), for the layer blocks. */
export const kroneckerTimeLimit = sizeLimits.seconds;

function catalogValues(net: FullyConnected, l: number): Record<string, CatalogValue> {
  const scope = { ...architectureScope(net, genericDataRank(net)), l };
  const values: Record<string, CatalogValue> = {};
  for (const quantity of ['HO_block', 'HO_block_output_factor', 'HO_block_input_factor']) {
    const chosen = selectFormula(quantity, net, scope);
    if (chosen) values[quantity] = { value: evaluateFormula(chosen.formula, scope), formula: chosen.formula.entry.id, kind: chosen.kind };
  }
  return values;
}

/** The same data and targets as `instance`, weights from `seed`. */
export function reseededWeights(instance: NetworkInstance, seed: number, weights?: Float64Array): NetworkInstance {
  const other = sampleInstance(instance.net, { seed, inputs: instance.inputs, weights });
  return { ...other, targets: instance.targets };
}

/** The same data and targets as a CNN instance, kernels and output weights from `seed`. */
export function reseededConvolutionalWeights(instance: ConvolutionalInstance, seed: number, weights?: Float64Array): ConvolutionalInstance {
  const other = sampleConvolutionalInstance(instance.net, { seed, inputs: instance.inputs, weights });
  return { ...other, targets: instance.targets };
}

/** The layer blocks of both parts and of the second seed's chosen part. */
interface Blocks {
  outer: LayerHessian[];
  chosen: LayerHessian[];
  other: LayerHessian[];
}

type Data = Pick<KroneckerOptions, 'inputs' | 'targets' | 'weights' | 'secondWeights'>;

function fullyConnectedBlocks(net: FullyConnected, seed: number, secondSeed: number, part: BlockPart, data: Data): Blocks {
  const instance = sampleInstance(net, { seed, inputs: data.inputs, targets: data.targets, weights: data.weights });
  const outer = layerHessians(instance, 'HO');
  return {
    outer,
    chosen: part === 'HO' ? outer : layerHessians(instance, 'H'),
    other: layerHessians(reseededWeights(instance, secondSeed, data.secondWeights), part),
  };
}

function convolutionalBlocks(net: Convolutional, seed: number, secondSeed: number, part: BlockPart, data: Data): Blocks {
  const instance = sampleConvolutionalInstance(net, { seed, inputs: data.inputs, targets: data.targets, weights: data.weights });
  const outer = convolutionalLayerHessians(instance, 'HO');
  return {
    outer,
    chosen: part === 'HO' ? outer : convolutionalLayerHessians(instance, 'H'),
    other: convolutionalLayerHessians(reseededConvolutionalWeights(instance, secondSeed, data.secondWeights), part),
  };
}

export function kroneckerStructure(net: FullyConnected | Convolutional, options: KroneckerOptions = {}): KroneckerReport {
  const started = performance.now();
  const seed = options.seed ?? 0;
  const secondSeed = options.secondSeed ?? seed + 1;
  if (secondSeed === seed) throw new InputError('the second seed must differ from the first');
  const convolutional = net.kind === 'convolutional';
  const K = convolutional ? net.outputs : outputDimension(net);
  const top = options.top ?? K;
  if (!Number.isInteger(top) || top < 1) throw new InputError(`--top must be a positive integer, got ${top}`);
  const part = options.part ?? 'H';
  const window = options.window ?? defaultOutlierWindow(K);
  const description = convolutional ? describeConvolutional(net) : describe(net);
  const seconds = estimateKroneckerSeconds(net);
  if (!options.force && seconds > kroneckerTimeLimit) {
    throw new TooLargeError(
      `${description}: the layer blocks need about ${Math.round(seconds)} s (limit ${kroneckerTimeLimit} s); pass --force to run anyway`,
    );
  }
  const data: Data = { inputs: options.inputs, targets: options.targets, weights: options.weights, secondWeights: options.secondWeights };
  const progress = options.progress;
  progress?.(`layer blocks of ${part === 'H' ? 'H' : 'H_O'} (seeds ${seed} and ${secondSeed})`);
  const { outer, chosen, other } = convolutional ? convolutionalBlocks(net, seed, secondSeed, part, data) : fullyConnectedBlocks(net, seed, secondSeed, part, data);
  // the exact section needs integral data and targets (given ones may be fractional)
  const integral = [data.inputs, data.targets].every((m) => !m || m.data.every(Number.isInteger));
  // given (trained) weights have no integer instance: no exact section
  const exactLinear = !convolutional && isLinearMse(net) && !options.skipExact && integral && !data.weights;
  if (exactLinear) progress?.('exact Kronecker factors over Z/PZ');
  const exact = exactLinear ? exactKroneckerStructure(sampleInstance(net, { seed, integer: true, inputs: data.inputs, targets: data.targets })) : undefined;
  const layers = chosen.map((layer, index): LayerKroneckerReport => {
    const shape = layer.shape;
    const n = shape.size;
    const k = Math.min(top, Math.max(n - 1, 1));
    progress?.(`layer ${shape.layer} of ${chosen.length} (${n}×${n}): eigenvectors, nearest A⊗B`);
    const eig = symmetricEigensystem(layer.block, k);
    const otherEig = symmetricEigensystem(other[index]!.block, k);
    const decoupled = decoupledApproximation(layer);
    const nearest = nearestKronecker(layer.block, shape);
    const outputMomentValues = symmetricEigenvalues(layer.outputMoment).sort().reverse();
    return {
      shape,
      outerProductRank: numericalRank(symmetricEigenvalues(outer[index]!.block), n),
      outerProductBounds: outer[index]!.bounds,
      blockRank: numericalRank(eig.values, n),
      blockBounds: layer.bounds,
      catalog: convolutional ? {} : catalogValues(net, shape.layer),
      exact: exact?.[index],
      top: k,
      eigengap: eigengap(eig.values, k),
      decoupling: {
        relativeError: relativeKroneckerError(layer.block, decoupled),
        overlap: subspaceOverlap(eig.vectors, kroneckerEigensystem(decoupled, k).vectors),
        outputMomentRank: numericalRank(outputMomentValues, shape.out),
        inputMomentRank: numericalRank(symmetricEigenvalues(layer.inputMoment), shape.in),
      },
      nearest: {
        relativeError: relativeKroneckerError(layer.block, nearest),
        overlap: subspaceOverlap(eig.vectors, kroneckerEigensystem(nearest, k).vectors),
        rearrangedSingularValues: Array.from(nearest.rearrangedSingularValues.subarray(0, 3)),
      },
      baseline: randomOverlapBaseline(k, n),
      reshaped: eig.vectors.map((v, j) => reshapedEigenvector(v, shape, eig.values, j)),
      outliers: outlierCount(eig.values, window),
      outputMomentOutliers: outlierCount(outputMomentValues, window),
      seedOverlap: subspaceOverlap(eig.vectors, otherEig.vectors),
    };
  });
  return {
    architecture: net,
    description,
    part,
    K,
    seeds: [seed, secondSeed],
    top,
    layers,
    primes: exact ? exact[0]!.primes : undefined,
    seconds: (performance.now() - started) / 1000,
  };
}
