/**
 * Layer-wise blocks: the diagonal block of a p × p Hessian part for layer l,
 *   H_l = H[θ_l, θ_l],   θ_l = vec([W_l | b_l]) (row-major, M_l × M̃_{l-1}, M̃_{l-1} = M_{l-1} + [bias]),
 * and, from the factor F of H_O = FᵀF, the block (H_O)_l = F_lᵀ F_l with F_l the columns of layer l.
 * Parameter (l, a, b) sits at offset_l + a·M̃_{l-1} + b, so a block is out·in × out·in with
 * out = M_l, in = M̃_{l-1}.
 */
import { depth, type FullyConnected } from '../architecture/fullyConnected.js';
import { InputError } from '../errors.js';
import { zeros, type Matrix } from '../numeric/matrix.js';
import { parameterOffsets } from '../numeric/networkInstance.js';
import { float64Ring, type PrimeField, type Ring } from '../numeric/ring.js';
import { addGramOfColumnsInto } from '../linalg/gemm.js';

export interface LayerShape {
  /** l, 1-based */
  layer: number;
  /** M_l, the rows of W_l */
  out: number;
  /** M_{l-1} + [bias], the columns of [W_l | b_l] */
  in: number;
  /** where θ_l starts in θ */
  offset: number;
  /** p_l = out · in */
  size: number;
}

export function layerShape(net: FullyConnected, l: number): LayerShape {
  if (!Number.isInteger(l) || l < 1 || l > depth(net)) throw new InputError(`layer must be 1..${depth(net)}, got ${l}`);
  const out = net.widths[l]!;
  const inWidth = net.widths[l - 1]! + (net.bias ? 1 : 0);
  return { layer: l, out, in: inWidth, offset: parameterOffsets(net).offsets[l - 1]!, size: out * inWidth };
}

export function layerShapes(net: FullyConnected): LayerShape[] {
  return Array.from({ length: depth(net) }, (_, i) => layerShape(net, i + 1));
}

/** The diagonal block H[θ_l, θ_l] of a p × p matrix. */
export function diagonalBlock(matrix: Matrix, shape: LayerShape): Matrix {
  const n = shape.size;
  const block = zeros(n, n);
  for (let i = 0; i < n; i++) {
    const from = (shape.offset + i) * matrix.cols + shape.offset;
    block.data.set(matrix.data.subarray(from, from + n), i * n);
  }
  return block;
}

/**
 * (H_O)_l = F_lᵀ F_l from the NK × p factor F (H_O = FᵀF), over `ring`: over Z/PZ by the shared
 * GEMM (src/linalg/gemm.ts, P < 2^23), in float64 by a plain loop.
 */
export function outerProductBlock(factor: Matrix, shape: LayerShape, ring: Ring = float64Ring): Matrix {
  const n = shape.size;
  const block = zeros(n, n);
  const float = ring === float64Ring;
  if ('prime' in ring) {
    const columns = zeros(factor.rows, n);
    for (let row = 0; row < factor.rows; row++) columns.data.set(factor.data.subarray(row * factor.cols + shape.offset, row * factor.cols + shape.offset + n), row * n);
    addGramOfColumnsInto(block, columns, (ring as PrimeField).prime);
    return block;
  }
  for (let row = 0; row < factor.rows; row++) {
    const base = row * factor.cols + shape.offset;
    for (let i = 0; i < n; i++) {
      const fi = factor.data[base + i]!;
      if (fi === 0) continue;
      const bi = i * n;
      for (let j = 0; j < n; j++) {
        block.data[bi + j] = float
          ? block.data[bi + j]! + fi * factor.data[base + j]!
          : ring.add(block.data[bi + j]!, ring.mul(fi, factor.data[base + j]!));
      }
    }
  }
  return block;
}
