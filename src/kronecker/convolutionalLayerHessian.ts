/**
 * Layer blocks of a CNN (src/cnn). Layer l's parameters are laid out like a fully-connected layer's
 * [W | b] (toeplitz.ts): out = c_l rows of in = c_{l-1} κ_l [+1] entries (the dense last layer: K rows
 * of c_{L-1} n_{L-1} [+1]). With z_l = W̃_l x̃_l the layer output on n_l positions and U_i = ∂z_l/∂θ_l
 * (U_i[(o,t), (o,j)] = patch_{i,t}[j], the inputs position t reads, 0 on padding, 1 for the bias),
 *   H_l = Σ_i U_iᵀ M_i U_i = Σ_i Σ_{t,t'} M_i[(·,t),(·,t')] ⊗ patch_{i,t} patch_{i,t'}ᵀ,
 * M_i = ∂²ℓ_i/∂z_l² taken from the equivalent fully-connected network (expandedInstance: the Toeplitz
 * matrices as dense weights; layerOutputHessian.ts). The decoupling moments average over samples
 * and output positions, keeping the same-position terms only (the K-FAC approximation for
 * convolutions, Grosse & Martens 2016, "spatially uncorrelated derivatives"):
 *   E[M] = (1/(N n_l)) Σ_{i,t} M_i[(·,t),(·,t)],   E[x̃x̃ᵀ] = (1/(N n_l)) Σ_{i,t} patch_{i,t} patch_{i,t}ᵀ,
 * so H_l ≈ N n_l · E[M] ⊗ E[x̃x̃ᵀ] (decoupling.ts with samples = N n_l). For the dense last layer
 * n_L = 1 and everything is as for a fully-connected layer.
 */
import { expandedInstance, type ConvolutionalInstance } from '../cnn/convolutionalInstance.js';
import { zeros } from '../numeric/matrix.js';
import type { LayerShape } from './layerBlock.js';
import type { LayerHessian } from './layerHessian.js';
import { layerSamples, type BlockPart } from './layerOutputHessian.js';

/** Block shapes of every layer of a CNN (convolutions, then the dense last layer). */
export function convolutionalLayerShapes(instance: ConvolutionalInstance): LayerShape[] {
  return instance.patterns.map((pattern, index) => {
    const out = index < instance.net.layers.length ? instance.net.layers[index]!.channels : instance.net.outputs;
    return { layer: index + 1, out, in: pattern.parameters / out, offset: instance.offsets[index]!, size: pattern.parameters };
  });
}

export function convolutionalLayerHessians(instance: ConvolutionalInstance, part: BlockPart): LayerHessian[] {
  const { fc } = expandedInstance(instance);
  const shapes = convolutionalLayerShapes(instance);
  return layerSamples(fc, part).map((perSample, index) => {
    const shape = shapes[index]!;
    const pattern = instance.patterns[index]!;
    const rows = pattern.rows;
    const P = shape.size;
    const positionCount = rows / shape.out;
    const N = perSample.inputs.length;
    const block = zeros(P, P);
    const outputMoment = zeros(shape.out, shape.out);
    const inputMoment = zeros(shape.in, shape.in);
    const terms = N * positionCount;
    perSample.outputHessians.forEach((M, i) => {
      const x = perSample.inputs[i]!;
      // U (rows × P) and the patches patch_t[j] = U[(0, t), (0, j)]
      const U = new Float64Array(rows * P);
      for (let e = 0; e < pattern.param.length; e++) U[pattern.row[e]! * P + pattern.param[e]!]! += x[pattern.col[e]!]!;
      const MU = new Float64Array(rows * P);
      for (let r = 0; r < rows; r++) {
        for (let s = 0; s < rows; s++) {
          const m = M.data[r * rows + s]!;
          if (m === 0) continue;
          for (let q = 0; q < P; q++) MU[r * P + q]! += m * U[s * P + q]!;
        }
      }
      for (let r = 0; r < rows; r++) {
        for (let a = 0; a < P; a++) {
          const u = U[r * P + a]!;
          if (u === 0) continue;
          for (let q = 0; q < P; q++) block.data[a * P + q]! += u * MU[r * P + q]!;
        }
      }
      for (let t = 0; t < positionCount; t++) {
        for (let o = 0; o < shape.out; o++) {
          for (let o2 = 0; o2 < shape.out; o2++) outputMoment.data[o * shape.out + o2]! += M.data[(o * positionCount + t) * rows + o2 * positionCount + t]! / terms;
        }
        const patch = U.subarray(t * P, t * P + shape.in);
        for (let j = 0; j < shape.in; j++) for (let j2 = 0; j2 < shape.in; j2++) inputMoment.data[j * shape.in + j2]! += (patch[j]! * patch[j2]!) / terms;
      }
    });
    return { shape, part, block, outputMoment, inputMoment, samples: terms };
  });
}
