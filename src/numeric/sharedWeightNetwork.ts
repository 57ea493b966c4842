/**
 * A network with shared weights: layer l's weight matrix is linear in θ through a 0/1 pattern,
 *   W̃_l = Σ_e θ[offset_l + param_e] E_{row_e, col_e},
 * W̃_l = [W_l | b_l] with the bias as the augmented last column (inputs x̃ = [x; 1]). A fully-connected
 * layer is the dense pattern (every entry of [W | b] its own parameter, row-major); a convolution is its
 * Toeplitz pattern (src/cnn/toeplitz.ts). Every Hessian builder, the trainer and the activation
 * patterns read networks in this one form, so both families share them.
 */
import { zeros, type Matrix } from './matrix.js';

/**
 * Entries of a weight matrix W̃ (rows × cols, the augmented bias column included) that are
 * parameters: W̃[row[e], col[e]] = θ[param[e]] for every entry e; every other entry is 0
 * (the augmenting row [0 … 0 1] of W̃ is not part of the pattern).
 */
export interface WeightPattern {
  readonly rows: number;
  /** including the bias column when there is one */
  readonly cols: number;
  /** number of parameters of the layer */
  readonly parameters: number;
  readonly row: Int32Array;
  readonly col: Int32Array;
  readonly param: Int32Array;
}

/** The layers' patterns and where each layer's parameters start in θ. */
export interface WeightLayout {
  readonly patterns: readonly WeightPattern[];
  /** where layer l's parameters start in θ (index l − 1) */
  readonly offsets: readonly number[];
  /** p */
  readonly parameters: number;
  /** whether every W̃_l has the augmented bias column (inputs x̃ = [x; 1]) */
  readonly bias: boolean;
}

/** A layout with its weights, data and targets: one instance. */
export interface SharedWeightNetwork extends WeightLayout {
  readonly theta: Float64Array;
  /** X, d × N */
  readonly inputs: Matrix;
  /** Y, K × N */
  readonly targets: Matrix;
}

/** θ laid out layer by layer in the order of the patterns. */
export function weightLayout(patterns: readonly WeightPattern[], bias: boolean): WeightLayout {
  const offsets: number[] = [];
  let parameters = 0;
  for (const pattern of patterns) {
    offsets.push(parameters);
    parameters += pattern.parameters;
  }
  return { patterns, offsets, parameters, bias };
}

/** The pattern of a dense layer [W | b] (rows × inputs [+1]): every entry its own parameter, row-major. */
export function densePattern(rows: number, inputs: number, bias: boolean): WeightPattern {
  const cols = inputs + (bias ? 1 : 0);
  const size = rows * cols;
  const row = new Int32Array(size);
  const col = new Int32Array(size);
  const param = new Int32Array(size);
  for (let e = 0; e < size; e++) {
    row[e] = Math.floor(e / cols);
    col[e] = e % cols;
    param[e] = e;
  }
  return { rows, cols, parameters: size, row, col, param };
}

/** W̃ = Σ_e θ[param[e]] at (row[e], col[e]): the explicit matrix [W | b] (for a convolution, [T | B b]). */
export function patternMatrix(pattern: WeightPattern, values: ArrayLike<number>): Matrix {
  const m = zeros(pattern.rows, pattern.cols);
  for (let e = 0; e < pattern.param.length; e++) m.data[pattern.row[e]! * pattern.cols + pattern.col[e]!] = values[pattern.param[e]!]!;
  return m;
}

/** W̃_l = [W_l | b_l] of every layer, explicit. */
export function layerMatrices(network: SharedWeightNetwork): Matrix[] {
  return network.patterns.map((pattern, l) => patternMatrix(pattern, network.theta.subarray(network.offsets[l]!)));
}
