/**
 * The layer-wise Hessian of layer l as a sum of Kronecker products over the samples,
 *   H_l = Σ_i M_{l,i} ⊗ x̃_{l,i} x̃_{l,i}ᵀ        (out·in × out·in, row-major vec of [W_l | b_l])
 * with its two moments E[M_l] = (1/N) Σ_i M_{l,i} (out × out) and E[x̃x̃ᵀ] = (1/N) Σ_i x̃ x̃ᵀ (in × in).
 * H_l equals the diagonal block of the oracle's H (part 'H') or H_O (part 'HO'); the tests check it.
 * The per-sample terms also give upper bounds on rank H_l (instanceBounds.ts).
 */
import { zeros, type Matrix } from '../numeric/matrix.js';
import type { NetworkInstance } from '../numeric/networkInstance.js';
import { instanceBounds, type InstanceBounds } from './instanceBounds.js';
import { addKroneckerWithOuterProduct } from './kroneckerProduct.js';
import { layerShapes, type LayerShape } from './layerBlock.js';
import { layerSamples, type BlockPart } from './layerOutputHessian.js';

export interface LayerHessian {
  shape: LayerShape;
  part: BlockPart;
  /** H_l */
  block: Matrix;
  /** E[M_l] */
  outputMoment: Matrix;
  /** E[x̃ x̃ᵀ] */
  inputMoment: Matrix;
  /** the number of terms the moments average over: N (N × output positions for a convolution) */
  samples: number;
  /** rank bounds from the per-sample terms (fully-connected layers) */
  bounds?: InstanceBounds;
}

/** H_l for every layer l = 1..L (index l − 1). */
export function layerHessians(instance: NetworkInstance, part: BlockPart): LayerHessian[] {
  const shapes = layerShapes(instance.net);
  return layerSamples(instance, part).map((perSample, index) => {
    const shape = shapes[index]!;
    const N = perSample.inputs.length;
    const block = zeros(shape.size, shape.size);
    const outputMoment = zeros(shape.out, shape.out);
    const inputMoment = zeros(shape.in, shape.in);
    perSample.outputHessians.forEach((M, i) => {
      const x = perSample.inputs[i]!;
      addKroneckerWithOuterProduct(block, M, x);
      for (let j = 0; j < M.data.length; j++) outputMoment.data[j]! += M.data[j]! / N;
      for (let b = 0; b < x.length; b++) for (let e = 0; e < x.length; e++) inputMoment.data[b * x.length + e]! += (x[b]! * x[e]!) / N;
    });
    return { shape, part, block, outputMoment, inputMoment, samples: N, bounds: instanceBounds(perSample) };
  });
}
